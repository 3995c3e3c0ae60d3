//! The real `loa` binary on a throwaway data folder: the data folder,
//! messages, scripts, the glossary, the memory, translation and QA.

mod support;
use support::*;

#[test]
fn init_demo_then_query_everything() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&loa(dir.path(), &["init", "--demo", "--json"]));
    assert_eq!(v["demo"]["scripts"], 3);
    assert_eq!(v["demo"]["concepts"], 116);
    // The whole station directory, the demo's province among it.
    assert_eq!(v["directory"]["provinces"], 34);
    assert_eq!(v["directory"]["communes"], 3321);
    assert!(dir.path().join("loa.sqlite").exists());

    // A second init keeps the data and says the demo is already there.
    let v = json(&loa(dir.path(), &["init", "--demo", "--json"]));
    assert_eq!(v["demo"]["alreadySeeded"], true);
    assert!(v["directory"].is_null(), "the directory is loaded once");

    let info = json(&loa(dir.path(), &["info", "--json"]));
    assert_eq!(info["scripts"], 3);
    assert_eq!(info["stations"], 34 + 3321);

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
    confirm_segment(d, &id, "Lịch (thử) ngày 21/4/2023.");
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
    confirm_segment(d, &id, "Lịch tiêm chủng (thử) ngày 21/3/2023.");
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

/// Confirms segment 0 of the Mường translation of script `id` as `target`.
fn confirm_segment(d: &std::path::Path, id: &str, target: &str) {
    let args = ["translate", "set", id, "--lang", "mtq", "--segment", "0"];
    let mut args = args.to_vec();
    args.extend(["--target", target, "--confirm", "--json"]);
    json(&loa(d, &args));
}

/// `loa update`: a release signed with the key the build trusts installs (on
/// Linux: the verified .deb waits with the command to install it); the same
/// file is refused by a build that does not trust its key, and an older
/// version is refused; neither leaves anything behind.
#[test]
fn update_from_a_signed_file() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("data");
    let key = t.path().join("release.key");
    let made = json(&loa(
        &d,
        &[
            "--json",
            "release",
            "keygen",
            "--out",
            key.to_str().unwrap(),
        ],
    ));
    let public = made["publicKey"].as_str().unwrap().to_string();
    let deb = t.path().join("loa-studio_9.9.9_amd64.deb");
    std::fs::write(&deb, b"a stand-in for the real .deb").unwrap();
    let pack = |version: &str, out: &str| {
        let out = t.path().join(out);
        json(&loa(
            &d,
            &[
                "--json",
                "release",
                "pack",
                "--key",
                key.to_str().unwrap(),
                "--version",
                version,
                "--platform",
                "linux-x86_64",
                "--notes",
                "Bản thử",
                "--out",
                out.to_str().unwrap(),
                deb.to_str().unwrap(),
            ],
        ));
        out
    };
    let newer = pack("9.9.9", "new.loaupdate");
    let older = pack("0.0.1", "old.loaupdate");
    let run = |file: &std::path::Path, trusted: Option<&str>, check: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_loa"));
        c.arg("--data-dir")
            .arg(&d)
            .args(["--json", "update"])
            .arg(file);
        if check {
            c.arg("--check");
        }
        c.env("LANG", "C")
            .env_remove(loa_core::update::TEST_KEY_ENV);
        if let Some(k) = trusted {
            c.env(loa_core::update::TEST_KEY_ENV, k);
        }
        c.output().unwrap()
    };
    let updates = d.join("updates");
    if cfg!(all(
        target_os = "linux",
        target_arch = "x86_64",
        debug_assertions
    )) {
        let out = run(&newer, None, true);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("update-signature"));
        let out = run(&older, Some(&public), false);
        assert!(String::from_utf8_lossy(&out.stderr).contains("update-not-newer"));
        assert!(!updates.exists());
        let checked = json(&run(&newer, Some(&public), true));
        assert_eq!(checked["manifest"]["version"], "9.9.9");
        assert!(!updates.exists(), "--check writes nothing");
        let done = json(&run(&newer, Some(&public), false));
        assert_eq!(done["kind"], "manual");
        let staged = updates.join("loa-studio_9.9.9_amd64.deb");
        assert!(done["command"]
            .as_str()
            .unwrap()
            .contains(staged.to_str().unwrap()));
        assert_eq!(
            std::fs::read(&staged).unwrap(),
            std::fs::read(&deb).unwrap()
        );
        std::fs::remove_file(&staged).unwrap();

        // The office's update address: a static JSON naming the file, which
        // is fetched and then checked exactly like one from a USB stick.
        let served = t.path().join("www");
        std::fs::create_dir_all(served.join("loa")).unwrap();
        std::fs::copy(&newer, served.join("loa/new.loaupdate")).unwrap();
        std::fs::write(
            served.join("loa/feed.json"),
            r#"{"version":"9.9.9","url":"new.loaupdate","notes":"Bản thử"}"#,
        )
        .unwrap();
        std::fs::write(served.join("loa/old.json"), r#"{"version":"0.0.1"}"#).unwrap();
        let base = serve(served);
        let by_url = |path: &str, check: bool| {
            let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_loa"));
            c.arg("--data-dir")
                .arg(&d)
                .args(["--json", "update", "--url"]);
            c.arg(format!("{base}{path}"));
            if check {
                c.arg("--check");
            }
            c.env("LANG", "C")
                .env(loa_core::update::TEST_KEY_ENV, &public);
            json(&c.output().unwrap())
        };
        assert!(by_url("/loa/old.json", false).is_null(), "nothing newer");
        assert_eq!(by_url("/loa/feed.json", true)["version"], "9.9.9");
        assert!(!staged.exists());
        assert_eq!(by_url("/loa/feed.json", false)["kind"], "manual");
        assert_eq!(
            std::fs::read(&staged).unwrap(),
            std::fs::read(&deb).unwrap()
        );
        let missing = std::process::Command::new(env!("CARGO_BIN_EXE_loa"))
            .arg("--data-dir")
            .arg(&d)
            .args(["--json", "update", "--url"])
            .arg(format!("{base}/loa/none.json"))
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&missing.stderr).contains("\"network\""));
    }
}

/// A throwaway HTTP server on loopback for `root`'s files (404 otherwise);
/// returns its base address.
fn serve(root: std::path::PathBuf) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            // The rest of the request head.
            let mut h = String::new();
            while reader.read_line(&mut h).is_ok_and(|n| n > 2) {
                h.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/");
            let body = std::fs::read(root.join(path.trim_start_matches('/')));
            let (status, body) = match body {
                Ok(b) => ("200 OK", b),
                Err(_) => ("404 Not Found", b"not found".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    base
}
