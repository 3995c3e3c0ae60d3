//! Writing files so that a crash, a full disk or a name already taken never
//! leaves half a file or overwrites one: every stage that writes a file the
//! user will open (exports, takes, packages, backups) goes through here.

use crate::base::error::{CoreError, Result};
use std::path::{Path, PathBuf};

/// A file-name-safe ASCII slug of at most `words` words: "Lịch tiêm chủng"
/// → "lich-tiem-chung".
pub fn file_slug(title: &str, words: usize) -> String {
    crate::base::text::fold(title)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .take(words)
        .collect::<Vec<_>>()
        .join("-")
}

/// `dir/stem.ext`, or `stem-2.ext`, `stem-3.ext`… the first not taken;
/// the folder is made if needed.
pub fn fresh_path(dir: &Path, stem: &str, ext: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
    let mut path = dir.join(format!("{stem}.{ext}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.{ext}"));
        n += 1;
    }
    Ok(path)
}

pub fn write_fresh(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = fresh_path(dir, stem, ext)?;
    write_atomically(&path, bytes)?;
    Ok(path)
}

/// Writes `path` whole or not at all: the bytes go to a `.part` file
/// beside it, which is synced to the disk and then renamed over `path`. A
/// full disk or any other failure removes the `.part` and leaves `path` as
/// it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("part");
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(CoreError::io(path, e));
    }
    // The rename itself reaches the disk with its folder.
    if let Some(dir) = path.parent().and_then(|d| std::fs::File::open(d).ok()) {
        let _ = dir.sync_all();
    }
    Ok(())
}
