//! The real `loa` binary along the rest of the chain: audio, packages from
//! one station to another and the report, the data folder's lock, and
//! backups.

mod support;
use support::*;

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

/// LAME is loaded at run time (LGPL): without it, MP3 is refused with the
/// package to install, nothing is written, and WAV still renders.
#[test]
fn without_lame_mp3_says_what_to_install_and_wav_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("tone.wav");
    tone_wav(&input, 2);
    let run = |out: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_loa"))
            .args(["--data-dir", d.to_str().unwrap(), "audio", "render"])
            .args([input.to_str().unwrap(), out.to_str().unwrap()])
            .env("LOA_LAME", d.join("no-such-libmp3lame.so"))
            .env("LOA_NOW", AT)
            .env("LANG", "C")
            .output()
            .unwrap()
    };
    let mp3 = d.join("out.mp3");
    let o = run(&mp3);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("libmp3lame0") && err.contains("LAME"), "{err}");
    assert!(!mp3.exists());
    let wav = d.join("out.wav");
    assert!(run(&wav).status.success());
    assert!(std::fs::metadata(&wav).unwrap().len() > 40_000);
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
