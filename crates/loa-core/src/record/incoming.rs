//! Files handed to the app (audio, packages, glossaries, air logs: picked
//! in a file dialog, dropped on the window or opened from Explorer) are
//! copied here first, so long work on them runs on a copy that cannot
//! change or vanish with a USB stick, with progress and cancel. A file is
//! then referred to by a token, never by a path the caller chose, and
//! anything left over is cleared at start.

use crate::base::error::{CoreError, Result};
use crate::base::limits::{self, ImportKind};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Staged {
    pub token: String,
    pub size: u64,
    /// The user's name for the file, for messages.
    pub name: String,
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

/// A fresh token for a file named `file_name`, and the folder it goes in.
fn new_token(data_dir: &Path, file_name: &str) -> Result<(PathBuf, String)> {
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
    Ok((dir, token))
}

/// Copies the file at `src` in, refusing it above `kind`'s cap by its size
/// on disk before a byte is copied, and stopping at the cap should it grow
/// meanwhile. Memory stays bounded whatever the file's size: it is
/// streamed, never read whole.
pub fn stage_file(data_dir: &Path, src: &Path, kind: ImportKind) -> Result<Staged> {
    let (mut file, name, _) = limits::open(src, kind)?;
    let (dir, token) = new_token(data_dir, &name)?;
    let part = dir.join(format!("{token}.part"));
    let copied = (|| {
        let mut out = std::fs::File::create(&part).map_err(|e| CoreError::io(&part, e))?;
        let n = std::io::copy(&mut (&mut file).take(kind.max_bytes() + 1), &mut out)
            .map_err(|e| CoreError::io(src, e))?;
        limits::check_len(&name, kind, n)?;
        out.sync_all().map_err(|e| CoreError::io(&part, e))?;
        std::fs::rename(&part, dir.join(&token)).map_err(|e| CoreError::io(&part, e))?;
        Ok(n)
    })();
    match copied {
        Ok(size) => Ok(Staged { token, size, name }),
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
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
        let src = d.path().join("Bản tin sáng.MP3");
        std::fs::write(&src, b"abc").unwrap();
        let s = stage_file(d.path(), &src, ImportKind::Audio).unwrap();
        assert!(s.token.ends_with(".mp3"));
        assert_eq!(
            std::fs::read(path(d.path(), &s.token).unwrap()).unwrap(),
            b"abc"
        );
        for bad in ["../loa.sqlite", "..", "", "a/b", "nope.wav"] {
            assert!(path(d.path(), bad).is_err(), "{bad}");
        }
        assert_ne!(
            stage_file(d.path(), &src, ImportKind::Audio).unwrap().token,
            s.token
        );
        remove(d.path(), &s.token);
        assert!(path(d.path(), &s.token).is_err());
        clear(d.path());
        assert!(!dir(d.path()).exists());
    }

    #[test]
    fn a_file_is_staged_from_its_path_within_its_cap() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("Bảng thuật ngữ.CSV");
        std::fs::write(&src, "vi,xtu\nxã,vel\n").unwrap();
        let s = stage_file(d.path(), &src, ImportKind::GlossaryCsv).unwrap();
        assert_eq!((s.size, s.name.as_str()), (15, "Bảng thuật ngữ.CSV"));
        assert!(s.token.ends_with(".csv"));
        assert_eq!(
            std::fs::read(path(d.path(), &s.token).unwrap()).unwrap(),
            std::fs::read(&src).unwrap()
        );

        // Over the cap: refused by its size, and nothing is left behind.
        let big = d.path().join("big.loakey");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(ImportKind::KeyFile.max_bytes() + 1)
            .unwrap();
        let e = stage_file(d.path(), &big, ImportKind::KeyFile).unwrap_err();
        assert!(
            matches!(
                e,
                CoreError::DataRow {
                    problem: "file-too-large",
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(std::fs::read_dir(dir(d.path())).unwrap().count(), 1);

        // A folder or a missing file is no file to stage.
        assert!(stage_file(d.path(), d.path(), ImportKind::Audio).is_err());
        assert!(stage_file(d.path(), &d.path().join("gone.wav"), ImportKind::Audio).is_err());
        assert_eq!(std::fs::read_dir(dir(d.path())).unwrap().count(), 1);
    }
}
