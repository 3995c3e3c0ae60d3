//! The real `loa` binary on a throwaway data folder.

use std::process::{Command, Output};

/// The moment every CLI test runs at unless it names another: tests never
/// depend on the day they happen to run.
const AT: &str = "2026-12-31T08:00:00+07:00";

fn loa(dir: &std::path::Path, args: &[&str]) -> Output {
    loa_at(AT, dir, args)
}

fn loa_at(now: &str, dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loa"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("LOA_DATA_DIR")
        .env_remove("LOA_TODAY")
        .env("LOA_NOW", now)
        .env("LANG", "C")
        .output()
        .expect("run loa")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

#[test]
fn init_demo_then_query_everything() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&loa(dir.path(), &["init", "--demo", "--json"]));
    assert_eq!(v["demo"]["scripts"], 3);
    assert_eq!(v["demo"]["concepts"], 116);
    assert!(dir.path().join("loa.sqlite").exists());

    // A second init keeps the data and says the demo is already there.
    let v = json(&loa(dir.path(), &["init", "--demo", "--json"]));
    assert_eq!(v["demo"]["alreadySeeded"], true);

    let info = json(&loa(dir.path(), &["info", "--json"]));
    assert_eq!(info["scripts"], 3);
    assert_eq!(info["stations"], 95);

    let scripts = json(&loa(
        dir.path(),
        &["script", "search", "dan toc thieu so", "--json"],
    ));
    let arr = scripts.as_array().unwrap();
    assert!(!arr.is_empty());
    let id = arr[0]["id"].as_i64().unwrap();
    let shown = json(&loa(
        dir.path(),
        &["script", "show", &id.to_string(), "--json"],
    ));
    assert!(shown["summary"]["estSeconds"].as_u64().unwrap() > 30);
    assert!(shown["input"]["body"]
        .as_str()
        .unwrap()
        .contains("đồng bào"));
    // The demo walked its workflow: the approved script has an approver.
    let approved = json(&loa(
        dir.path(),
        &["script", "list", "--status", "approved", "--json"],
    ));
    let aid = approved[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(
        json(&loa(dir.path(), &["script", "show", &aid, "--json"]))["approvedBy"],
        "Dữ liệu mẫu"
    );

    // Old name "Quảng Nam" finds the Đà Nẵng city station through its alias.
    let st = json(&loa(
        dir.path(),
        &["station", "list", "--search", "Quang Nam", "--json"],
    ));
    assert_eq!(st[0]["matchedAlias"], "Tỉnh Quảng Nam");

    let g = json(&loa(
        dir.path(),
        &[
            "glossary", "list", "--search", "xuong", "--in", "mtq", "--json",
        ],
    ));
    assert_eq!(g["items"][0]["terms"][1]["text"], "xiêng");

    let station_id = st[0]["id"].as_i64().unwrap().to_string();
    let s = json(&loa(
        dir.path(),
        &[
            "settings",
            "set",
            "--user-name",
            "Hoà",
            "--station",
            &station_id,
            "--json",
        ],
    ));
    assert_eq!(s["userName"], "Hòa");

    // Text output is Vietnamese by default.
    let out = loa(dir.path(), &["info"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Kịch bản: 3"));
}

#[test]
fn errors_are_localized_with_failing_exit() {
    let dir = tempfile::tempdir().unwrap();
    let out = loa(dir.path(), &["script", "show", "999"]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Lỗi: Không tìm thấy kịch bản (mã 999)."
    );
    let out = loa(
        dir.path(),
        &["--ui-lang", "en", "--json", "script", "show", "999"],
    );
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "not-found");
    assert_eq!(err["error"]["message"], "Script not found (id 999).");

    // A broken admin-units file changes nothing.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"data\": [ {\"level1_id\": ").unwrap();
    let out = loa(
        dir.path(),
        &["station", "import-admin-units", bad.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("merges.json"));
    let info = json(&loa(dir.path(), &["info", "--json"]));
    assert_eq!(info["stations"], 0);
}

#[test]
fn version_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let out = loa(dir.path(), &["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("loa {}", env!("CARGO_PKG_VERSION"))
    );
    let out = loa(dir.path(), &["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for verb in ["init", "info", "script", "glossary", "station", "settings"] {
        assert!(help.contains(verb), "{verb}");
    }
}

#[test]
fn script_workflow_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    json(&loa(dir.path(), &["init", "--json"]));
    json(&loa(
        dir.path(),
        &["settings", "set", "--user-name", "Chị Lan", "--json"],
    ));
    let body = dir.path().join("body.txt");
    std::fs::write(
        &body,
        "Trạm y tế xã thông báo lịch tiêm chủng ngày 21/3/2023 lúc 7h30.",
    )
    .unwrap();
    let b = body.to_str().unwrap();
    let out = loa(
        dir.path(),
        &[
            "script",
            "add",
            "--title",
            "Lịch tiêm chủng",
            "--file",
            b,
            "--priority",
            "priority",
            "--policy-ref",
            "Quyết định 1950/QĐ-UBND",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(id.parse::<i64>().is_ok(), "add prints the id, got {id:?}");

    let shown = json(&loa(dir.path(), &["script", "show", &id, "--json"]));
    assert_eq!(shown["author"], "Chị Lan");
    assert_eq!(shown["summary"]["priority"], "priority");
    assert!(
        shown["summary"]["syllables"].as_u64().unwrap() > 14,
        "numbers count as spoken"
    );

    assert_eq!(
        json(&loa(
            dir.path(),
            &["script", "search", "quyet dinh 1950", "--json"]
        ))
        .as_array()
        .unwrap()
        .len(),
        1
    );

    json(&loa(
        dir.path(),
        &["script", "set-status", &id, "review", "--json"],
    ));
    let d = json(&loa(
        dir.path(),
        &["script", "set-status", &id, "approved", "--json"],
    ));
    assert_eq!(d["approvedBy"], "Chị Lan");

    // Editing approved wording: a second revision in draft, and a diff.
    std::fs::write(
        &body,
        "Trạm y tế xã thông báo lịch tiêm chủng ngày 28/3/2023 lúc 7h30.",
    )
    .unwrap();
    let d = json(&loa(
        dir.path(),
        &["script", "edit", &id, "--file", b, "--json"],
    ));
    assert_eq!(d["summary"]["revision"], 2);
    assert_eq!(d["summary"]["status"], "draft");
    let diff = loa(dir.path(), &["script", "diff", &id, "1", "2"]);
    assert!(String::from_utf8_lossy(&diff.stdout).contains("[-21/3/2023-]{+28/3/2023+}"));
    let h = json(&loa(dir.path(), &["script", "history", &id, "--json"]));
    assert_eq!(h["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(h["events"].as_array().unwrap().len(), 3);

    let txt = dir.path().join("out.txt");
    json(&loa(
        dir.path(),
        &[
            "script",
            "export",
            &id,
            "--format",
            "txt",
            "--out",
            txt.to_str().unwrap(),
            "--json",
        ],
    ));
    let written = std::fs::read_to_string(&txt).unwrap();
    assert!(written.starts_with('\u{FEFF}'));
    assert!(written.contains("LỊCH TIÊM CHỦNG\r\n"));
    assert!(written.contains("Mức độ: Ưu tiên"));
    assert!(written.contains("28/3/2023"));

    // A file that is not UTF-8 is refused and nothing is created.
    std::fs::write(&body, [0xff, 0xfe, 0x00, 0xd8]).unwrap();
    let out = loa(
        dir.path(),
        &["script", "add", "--title", "Hỏng", "--file", b],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
    json(&loa(dir.path(), &["script", "delete", &id, "--json"]));
    assert!(json(&loa(dir.path(), &["script", "list", "--json"]))
        .as_array()
        .unwrap()
        .is_empty());
    json(&loa(dir.path(), &["script", "undelete", &id, "--json"]));
    assert_eq!(
        json(&loa(dir.path(), &["script", "list", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn annotate_finds_demo_glossary_terms() {
    let dir = tempfile::tempdir().unwrap();
    json(&loa(dir.path(), &["init", "--demo", "--json"]));
    let txt = dir.path().join("t.txt");
    std::fs::write(&txt, "Đàn CHIM bay về núi; lá cây xanh.").unwrap();
    let hits = json(&loa(
        dir.path(),
        &["glossary", "annotate", txt.to_str().unwrap(), "--json"],
    ));
    let found: Vec<(String, u64, u64)> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["text"].as_str().unwrap().to_string(),
                h["start"].as_u64().unwrap(),
                h["end"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(found.contains(&("CHIM".into(), 4, 8)), "{found:?}");
    assert!(found.contains(&("núi".into(), 16, 19)), "{found:?}");
    assert!(found.contains(&("lá".into(), 21, 23)), "{found:?}");
}

#[test]
fn translation_memory_moves_between_stations_as_tmx() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    json(&loa(a.path(), &["init", "--json"]));
    json(&loa(
        a.path(),
        &[
            "tm",
            "add",
            "--to",
            "mtq",
            "--source",
            "Trạm y tế xã thông báo lịch tiêm chủng.",
            "--target",
            "(bản dịch thử)",
            "--json",
        ],
    ));
    let m = json(&loa(
        a.path(),
        &[
            "tm",
            "lookup",
            "Trạm y tế phường thông báo lịch tiêm chủng.",
            "--to",
            "mtq",
            "--json",
        ],
    ));
    assert_eq!(m[0]["score"], 88, "9 syllables, one changed");
    let file = a.path().join("tm.tmx");
    json(&loa(
        a.path(),
        &[
            "tm",
            "export",
            "--to",
            "mtq",
            "--out",
            file.to_str().unwrap(),
            "--json",
        ],
    ));
    json(&loa(b.path(), &["init", "--json"]));
    let s = json(&loa(
        b.path(),
        &["tm", "import", file.to_str().unwrap(), "--json"],
    ));
    assert_eq!(s["units"], 1);
    let m = json(&loa(
        b.path(),
        &[
            "tm",
            "lookup",
            "Trạm y tế xã thông báo lịch tiêm chủng.",
            "--to",
            "mtq",
            "--json",
        ],
    ));
    assert_eq!(m[0]["score"], 100);
    assert_eq!(m[0]["unit"]["target"], "(bản dịch thử)");

    std::fs::write(
        &file,
        "<tmx><body><tu><tuv xml:lang=\"vi\"><seg>x</tuv></tu></body></tmx>",
    )
    .unwrap();
    let out = loa(b.path(), &["tm", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("TMX"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn glossary_exchange_translation_and_qa() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&loa(d, &["init", "--json"]));
    let csv = d.join("g.csv");
    std::fs::write(
        &csv,
        "Tiếng Việt;Tiếng Mường;Trạng thái Mường\ntiêm chủng;tiêm chủng (thử);ưu tiên\n",
    )
    .unwrap();
    // A dry run changes nothing; the import then adds the concept.
    let r = json(&loa(
        d,
        &[
            "glossary",
            "import",
            csv.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    ));
    assert_eq!(r["new"], 1);
    assert_eq!(json(&loa(d, &["glossary", "list", "--json"]))["total"], 0);
    json(&loa(
        d,
        &["glossary", "import", csv.to_str().unwrap(), "--json"],
    ));
    let tbx = d.join("out.tbx");
    json(&loa(
        d,
        &[
            "glossary",
            "export",
            "--format",
            "tbx",
            "--out",
            tbx.to_str().unwrap(),
            "--json",
        ],
    ));
    assert!(std::fs::read_to_string(&tbx)
        .unwrap()
        .contains("<term>tiêm chủng (thử)</term>"));
    // A broken file names its line and leaves the glossary alone.
    std::fs::write(&csv, "vi,mtq,mtq status\nA,B,maybe\n").unwrap();
    let out = loa(d, &["glossary", "import", csv.to_str().unwrap(), "--json"]);
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "data-row");
    let msg = err["error"]["message"].as_str().unwrap();
    assert!(msg.contains("dòng 2") && msg.contains("“maybe”"), "{msg}");
    assert_eq!(json(&loa(d, &["glossary", "list", "--json"]))["total"], 1);

    let body = d.join("b.txt");
    std::fs::write(&body, "Lịch tiêm chủng ngày 21/3/2023.").unwrap();
    let s = json(&loa(
        d,
        &[
            "script",
            "add",
            "--title",
            "T",
            "--file",
            body.to_str().unwrap(),
            "--langs",
            "vie,mtq",
            "--json",
        ],
    ));
    let id = s["summary"]["id"].as_i64().unwrap().to_string();
    let t = json(&loa(
        d,
        &["translate", "show", &id, "--lang", "mtq", "--json"],
    ));
    assert_eq!(
        t["segments"][0]["terms"][0]["targets"][0]["text"],
        "tiêm chủng (thử)"
    );
    json(&loa(
        d,
        &[
            "translate",
            "set",
            &id,
            "--lang",
            "mtq",
            "--segment",
            "0",
            "--target",
            "Lịch (thử) ngày 21/4/2023.",
            "--confirm",
            "--json",
        ],
    ));
    // QA: wrong date and missing term; exit code 1.
    let out = loa(d, &["qa", &id, "--lang", "mtq", "--json"]);
    assert!(!out.status.success());
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["missing-term", "number-mismatch"]);
    assert!(!loa(d, &["translate", "done", &id, "--lang", "mtq"])
        .status
        .success());
    json(&loa(
        d,
        &[
            "translate",
            "set",
            &id,
            "--lang",
            "mtq",
            "--segment",
            "0",
            "--target",
            "Lịch tiêm chủng (thử) ngày 21/3/2023.",
            "--confirm",
            "--json",
        ],
    ));
    assert!(loa(d, &["qa", &id, "--lang", "mtq"]).status.success());
    let done = json(&loa(
        d,
        &["translate", "done", &id, "--lang", "mtq", "--json"],
    ));
    assert_eq!(done["status"], "translated");
    // The confirmed segments are in the memory.
    let m = json(&loa(
        d,
        &[
            "tm",
            "lookup",
            "Lịch tiêm chủng ngày 21/3/2023",
            "--to",
            "mtq",
            "--json",
        ],
    ));
    assert_eq!(m[0]["score"], 100);
}

#[test]
fn audio_analyze_and_render() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A 3 s 1 kHz tone at −20 dBFS, stereo 48 kHz, as a WAV file.
    let input = d.join("tone.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&input, spec).unwrap();
    for i in 0..(3 * 48_000) {
        let v = (0.1
            * (2.0 * std::f64::consts::PI * 1000.0 * f64::from(i) / 48_000.0).sin()
            * 32767.0) as i16;
        w.write_sample(v).unwrap();
        w.write_sample(v).unwrap();
    }
    w.finalize().unwrap();
    let a = json(&loa(
        d,
        &["audio", "analyze", input.to_str().unwrap(), "--json"],
    ));
    assert!(
        (a["integratedLufs"].as_f64().unwrap() + 20.0).abs() < 0.2,
        "{a}"
    );
    assert_eq!(a["channels"], 2);

    let out = d.join("out.mp3");
    let r = json(&loa(
        d,
        &[
            "audio",
            "render",
            input.to_str().unwrap(),
            out.to_str().unwrap(),
            "--target",
            "-16",
            "--json",
        ],
    ));
    assert!(
        (r["integratedLufs"].as_f64().unwrap() + 16.0).abs() < 0.5,
        "{r}"
    );
    let back = json(&loa(
        d,
        &["audio", "analyze", out.to_str().unwrap(), "--json"],
    ));
    assert_eq!(back["channels"], 1);
    assert_eq!(back["rate"], 44_100);
    assert!(
        (back["integratedLufs"].as_f64().unwrap() + 16.0).abs() < 0.5,
        "{back}"
    );
    assert!(back["truePeakDb"].as_f64().unwrap() <= -0.9, "{back}");

    // A text file is not audio: a clear error, nothing written.
    let bad = d.join("bad.mp3");
    std::fs::write(&bad, "không phải âm thanh").unwrap();
    let o = loa(
        d,
        &[
            "audio",
            "render",
            bad.to_str().unwrap(),
            d.join("x.mp3").to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("định dạng âm thanh"));
    assert!(!d.join("x.mp3").exists());
}

/// A tone WAV for takes.
fn tone_wav(path: &std::path::Path, seconds: u32) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(seconds * 16_000) {
        let v = (0.2 * (std::f64::consts::TAU * 440.0 * f64::from(i) / 16_000.0).sin() * 32767.0)
            as i16;
        w.write_sample(v).unwrap();
    }
    w.finalize().unwrap();
}

/// A station with the demo data, set up as the station with this index.
fn demo_station(nth: usize) -> (tempfile::TempDir, i64) {
    let dir = tempfile::tempdir().unwrap();
    json(&loa(dir.path(), &["init", "--demo", "--json"]));
    let list = json(&loa(
        dir.path(),
        &["station", "list", "--level", "commune", "--json"],
    ));
    let id = list[nth]["id"].as_i64().unwrap();
    json(&loa(
        dir.path(),
        &["settings", "set", "--station", &id.to_string(), "--json"],
    ));
    (dir, id)
}

#[test]
fn package_from_district_to_commune_and_report() {
    // A Monday, a Sunday, and the last day of a year in ISO week 53.
    for now in [
        "2026-11-23T07:00:00+07:00",
        "2026-11-29T21:00:00+07:00",
        "2026-12-31T08:00:00+07:00",
    ] {
        district_to_commune_at(now);
    }
}

fn district_to_commune_at(now: &str) {
    let loa = |dir: &std::path::Path, args: &[&str]| loa_at(now, dir, args);
    let (issuer, _) = demo_station(0);
    let (commune, commune_station) = demo_station(1);
    let d = issuer.path();
    let approved = json(&loa(
        d,
        &["script", "list", "--status", "approved", "--json"],
    ));
    let script = approved[0]["id"].as_i64().unwrap().to_string();
    let wav = d.join("doc.wav");
    tone_wav(&wav, 2);
    json(&loa(
        d,
        &[
            "take",
            "import",
            wav.to_str().unwrap(),
            "--script",
            &script,
            "--choose",
            "--json",
        ],
    ));
    let pkg = d.join("ban-tin.loa");
    let built = json(&loa(
        d,
        &[
            "package",
            "build",
            "--script",
            &script,
            "--lang",
            "vie",
            "--out",
            pkg.to_str().unwrap(),
            "--slot",
            "06:00",
            "--json",
        ],
    ));
    assert_eq!(built[0]["items"], 1);
    assert!(pkg.is_file());
    let key = json(&loa(d, &["key", "show", "--json"]));
    let key_id = key["keyId"].as_str().unwrap().to_string();

    // The commune does not know the issuer yet: exit 1 and the reason.
    let c = commune.path();
    let out = loa(c, &["package", "verify", pkg.to_str().unwrap(), "--json"]);
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["valid"].as_bool(), v["trusted"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(v["code"], "package-untrusted");
    assert_eq!(v["detail"], key_id);

    // A tampered copy is refused as such, trusted or not.
    let mut bytes = std::fs::read(&pkg).unwrap();
    let mid = bytes.len() / 3;
    bytes[mid] ^= 0x55;
    let bad = d.join("bad.loa");
    std::fs::write(&bad, bytes).unwrap();

    // Trust through the exported key file, as given on a USB stick.
    let key_file = d.join("ba-to.loakey");
    json(&loa(
        d,
        &[
            "key",
            "export",
            "--out",
            key_file.to_str().unwrap(),
            "--json",
        ],
    ));
    let issuer_station = json(&loa(
        c,
        &["station", "list", "--level", "commune", "--json"],
    ))[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    json(&loa(
        c,
        &[
            "station",
            "trust",
            &issuer_station,
            "--key",
            key_file.to_str().unwrap(),
            "--json",
        ],
    ));
    let v = json(&loa(
        c,
        &["package", "verify", pkg.to_str().unwrap(), "--json"],
    ));
    assert_eq!(v["valid"], true);
    let out = loa(c, &["package", "verify", bad.to_str().unwrap(), "--json"]);
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert!(v["code"].as_str().unwrap().starts_with("package-"), "{v}");

    let imported = json(&loa(
        c,
        &["package", "import", pkg.to_str().unwrap(), "--json"],
    ));
    let pkg_id = imported["summary"]["id"].as_i64().unwrap().to_string();
    let again = loa(c, &["package", "import", pkg.to_str().unwrap()]);
    assert!(!again.status.success());

    let placed = json(&loa(c, &["schedule", "place", &pkg_id, "--json"]));
    assert!(placed["placed"].as_u64().unwrap() >= 1);
    let week = json(&loa(c, &["schedule", "show", "--json"]));
    let entries: Vec<&serde_json::Value> = week["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().unwrap())
        .flat_map(|s| s["entries"].as_array().unwrap())
        .collect();
    assert!(!entries.is_empty(), "{week}");
    let week_id = week["week"].as_str().unwrap();
    let exports = commune.path().join("usb");
    let ics = json(&loa(
        c,
        &[
            "schedule",
            "export",
            "--week",
            week_id,
            "--format",
            "ics",
            "--out",
            exports.to_str().unwrap(),
            "--json",
        ],
    ));
    let ics_text = std::fs::read_to_string(ics["path"].as_str().unwrap()).unwrap();
    assert!(ics_text.contains("BEGIN:VEVENT"));
    let m3u = json(&loa(
        c,
        &[
            "schedule",
            "export",
            "--week",
            week_id,
            "--format",
            "m3u",
            "--out",
            exports.to_str().unwrap(),
            "--json",
        ],
    ));
    assert!(std::path::Path::new(m3u["path"].as_str().unwrap())
        .join("README.txt")
        .is_file());

    let entry = entries[0]["id"].as_i64().unwrap().to_string();
    let aired = json(&loa(c, &["airlog", "add", "--entry", &entry, "--json"]));
    assert_eq!(aired["source"], "manual");
    let day = &aired["airedLocal"].as_str().unwrap()[..10];
    let report = json(&loa(
        c,
        &[
            "report",
            "--from",
            day,
            "--to",
            day,
            "--station",
            &commune_station.to_string(),
            "--json",
        ],
    ));
    assert_eq!(report["broadcasts"], 1);
    assert_eq!(report["onTime"], 1);
    let xlsx = c.join("bao-cao.xlsx");
    json(&loa(
        c,
        &[
            "report",
            "--from",
            day,
            "--to",
            day,
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
            "--json",
        ],
    ));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}

#[test]
fn a_folder_held_by_the_app_refuses_writers_and_serves_readers() {
    let dir = tempfile::tempdir().unwrap();
    json(&loa(dir.path(), &["init", "--demo", "--json"]));
    // The app has the folder (the same lock Loa Studio takes at start).
    let held = loa_core::base::instance::DataLock::acquire(dir.path(), "Loa Studio").unwrap();
    let body = dir.path().join("tin.txt");
    std::fs::write(&body, "Nội dung.").unwrap();
    let add = [
        "script",
        "add",
        "--title",
        "Tin mới",
        "--file",
        body.to_str().unwrap(),
        "--json",
    ];
    let out = loa(dir.path(), &add);
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "folder-in-use", "{err}");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Loa Studio"));
    // Readers still work beside it, and nothing was added.
    let list = json(&loa(dir.path(), &["script", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 3);
    drop(held);
    json(&loa(dir.path(), &add));
    let list = json(&loa(dir.path(), &["script", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 4);
}

#[test]
fn backup_then_restore_on_another_pc() {
    let dir = tempfile::tempdir().unwrap();
    json(&loa(dir.path(), &["init", "--demo", "--json"]));
    assert_eq!(
        json(&loa(dir.path(), &["backup", "status", "--json"]))["due"],
        true
    );
    let usb = tempfile::tempdir().unwrap();
    let made = json(&loa(
        dir.path(),
        &[
            "backup",
            "create",
            "--out",
            usb.path().to_str().unwrap(),
            "--json",
        ],
    ));
    let file = made["path"].as_str().unwrap().to_string();
    assert!(file.ends_with(".loabackup"));
    assert_eq!(
        json(&loa(dir.path(), &["backup", "status", "--json"]))["due"],
        false
    );

    let new_pc = tempfile::tempdir().unwrap();
    let target = new_pc.path().join("data");
    json(&loa(&target, &["backup", "restore", &file, "--json"]));
    assert_eq!(json(&loa(&target, &["info", "--json"]))["scripts"], 3);
    // Over work, never.
    let again = loa(&target, &["backup", "restore", &file, "--json"]);
    assert!(!again.status.success());
    let err: serde_json::Value = serde_json::from_slice(&again.stderr).unwrap();
    assert_eq!(err["error"]["code"], "invalid", "{err}");
}
