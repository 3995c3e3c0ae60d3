//! The scale benchmark itself, run small: its figures are only worth
//! printing if every simulated station really polled, heard the push and
//! downloaded the whole file, from the hub and from nginx alike. No timing
//! is asserted (the machine's load is not the hub's fault).

mod support;

use std::process::Command;

/// Runs `loa-hub ARGS` (a bench with `--json`) and reads its figures.
fn bench(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_loa-hub"))
        .env("LOA_HUB_DATABASE_URL", support::admin_url())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_scale_benchmark_measures_what_it_says() {
    let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("the benchmark's peer is Debian's nginx: run scripts/setup.sh test");
    let r = bench(&[
        "bench",
        "--stations",
        "40",
        "--rounds",
        "2",
        "--period",
        "1",
        "--packages",
        "3",
        "--mb",
        "1",
        "--downloads",
        "2",
        "--peer-nginx",
        nginx,
        "--json",
    ]);
    let poll = &r["poll"];
    assert_eq!(poll["hub"]["requests"], 80, "{r}");
    assert_eq!(poll["hub"]["errors"], 0);
    assert_eq!(poll["nginx"]["requests"], 80);
    assert_eq!(poll["uploads"]["requests"], 3);
    assert_eq!(
        poll["stationsWithAll"], 40,
        "every inbox listed every package"
    );
    assert!(poll["hub"]["p99Ms"].as_f64().unwrap() >= poll["hub"]["p50Ms"].as_f64().unwrap());
    assert!(poll["p99Ratio"].as_f64().unwrap() > 0.0);
    let push = &r["push"];
    assert_eq!(push["connected"], 40);
    assert_eq!(
        push["heard"], 40,
        "every connected station heard the emergency"
    );
    let d = &r["download"];
    assert!(d["megabytes"].as_f64().unwrap() >= 1.0);
    assert!(d["nginxMbPerS"].as_f64().unwrap() > 0.0);
    assert!(d["ratio"].as_f64().unwrap() > 0.0);
    // The bench's database is gone again.
    let left = Command::new("psql")
        .arg(support::admin_url())
        .args([
            "-tAc",
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'loa_bench_%'",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&left.stdout).trim(), "0");
}

/// Issue 18's figures through the hub, run small: they are only worth
/// printing if the new office took every change and the edits arrived
/// without term recognition rebuilding its index.
#[test]
fn the_sharing_benchmark_carries_everything_through_the_hub() {
    let r = bench(&[
        "bench-sharing",
        "--concepts",
        "30",
        "--units",
        "50",
        "--edits",
        "4",
        "--json",
    ]);
    assert_eq!(r["terms"], 60, "{r}");
    assert_eq!(
        r["changes"],
        30 + 60 + 50,
        "a change per concept, term and unit"
    );
    assert_eq!(r["editsArrived"], 4);
    assert_eq!(r["termIndexRebuilt"], false);
    assert!(r["ratio"].as_f64().unwrap() > 0.0);
}
