//! Files handed to the app (audio to import now; packages later) land here
//! first, so long work on them can run off the IPC call that delivered them,
//! with progress and cancel. A file is referred to by a token, never by a
//! path the caller chose, and anything left over is cleared at start.

use crate::base::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Staged {
    pub token: String,
    pub size: u64,
}

fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("incoming")
}

/// The extension of the user's file name, which decoders use as a hint.
fn extension(file_name: &str) -> String {
    Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".into())
}

pub fn stage(data_dir: &Path, file_name: &str, bytes: &[u8]) -> Result<Staged> {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    let token = format!(
        "{}-{}-{}.{}",
        std::process::id(),
        crate::base::clock::now(),
        N.fetch_add(1, Ordering::Relaxed),
        extension(file_name)
    );
    crate::base::files::write_atomically(&dir.join(&token), bytes)?;
    Ok(Staged {
        token,
        size: bytes.len() as u64,
    })
}

/// The staged file for a token; tokens that could reach outside the folder
/// are refused.
pub fn path(data_dir: &Path, token: &str) -> Result<PathBuf> {
    let safe = !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !token.starts_with('.');
    let p = dir(data_dir).join(token);
    if !safe || !p.is_file() {
        return Err(CoreError::invalid("file", "unknown"));
    }
    Ok(p)
}

pub fn remove(data_dir: &Path, token: &str) {
    if let Ok(p) = path(data_dir, token) {
        let _ = std::fs::remove_file(p);
    }
}

/// Drops whatever a previous run left behind.
pub fn clear(data_dir: &Path) {
    let _ = std::fs::remove_dir_all(dir(data_dir));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_are_found_by_token_only() {
        let d = tempfile::tempdir().unwrap();
        let s = stage(d.path(), "Bản tin sáng.MP3", b"abc").unwrap();
        assert!(s.token.ends_with(".mp3"));
        assert_eq!(
            std::fs::read(path(d.path(), &s.token).unwrap()).unwrap(),
            b"abc"
        );
        for bad in ["../loa.sqlite", "..", "", "a/b", "nope.wav"] {
            assert!(path(d.path(), bad).is_err(), "{bad}");
        }
        assert_ne!(stage(d.path(), "x", b"").unwrap().token, s.token);
        remove(d.path(), &s.token);
        assert!(path(d.path(), &s.token).is_err());
        clear(d.path());
        assert!(!dir(d.path()).exists());
    }
}
