//! The real `loa` binary on a throwaway data folder.

use std::process::{Command, Output};

fn loa(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loa"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("LOA_DATA_DIR")
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
        &["script", "list", "--search", "dan toc thieu so", "--json"],
    ));
    let arr = scripts.as_array().unwrap();
    assert!(!arr.is_empty());
    let id = arr[0]["id"].as_i64().unwrap();
    let shown = json(&loa(
        dir.path(),
        &["script", "show", &id.to_string(), "--json"],
    ));
    assert!(shown["summary"]["estSeconds"].as_u64().unwrap() > 30);
    assert!(shown["body"].as_str().unwrap().contains("đồng bào"));

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
        &["--lang", "en", "--json", "script", "show", "999"],
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
