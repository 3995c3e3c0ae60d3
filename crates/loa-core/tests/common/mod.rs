//! A small filesystem to fill up: a tmpfs mounted for one test. Mounting
//! needs root (CI runs as root); elsewhere the test re-runs itself in a
//! user and mount namespace of its own (`unshare -rm`), where it is root.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const NS_ENV: &str = "LOA_TEST_IN_MOUNT_NS";

pub struct SmallDisk {
    dir: tempfile::TempDir,
}

/// Runs the rest of `test` on a tmpfs of `bytes`: `Some(disk)` here, or
/// `None` when the test was run to its end in a namespace of its own (its
/// result already asserted) and the caller just returns.
pub fn small_disk(test: &str, bytes: u64) -> Option<SmallDisk> {
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            &format!("size={}k", bytes.div_ceil(1024)),
            "tmpfs",
        ])
        .arg(dir.path())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if mounted {
        return Some(SmallDisk { dir });
    }
    assert!(
        std::env::var_os(NS_ENV).is_none(),
        "cannot mount a tmpfs even in a namespace of its own"
    );
    let exe = std::env::current_exe().unwrap();
    let status = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount"])
        .arg(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(NS_ENV, "1")
        .status()
        .expect("unshare (util-linux) runs the test where it may mount");
    assert!(status.success(), "{test} in its own mount namespace");
    None
}

impl SmallDisk {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk, then frees `leave` bytes; returns the filler.
    pub fn fill_leaving(&self, leave: u64) -> PathBuf {
        let filler = self.dir.path().join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0x5a_u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
        let len = std::fs::metadata(&filler).unwrap().len();
        f.set_len(len.saturating_sub(leave)).unwrap();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}
