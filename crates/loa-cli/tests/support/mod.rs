//! Running the real `loa` binary on a throwaway data folder, on a fixed
//! moment.

#![allow(dead_code)] // each test file uses some of these

use std::process::{Command, Output};

/// The moment every CLI test runs at unless it names another: tests never
/// depend on the day they happen to run.
pub const AT: &str = "2026-12-31T08:00:00+07:00";

pub fn loa(dir: &std::path::Path, args: &[&str]) -> Output {
    loa_at(AT, dir, args)
}

pub fn loa_at(now: &str, dir: &std::path::Path, args: &[&str]) -> Output {
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

pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}
