//! Where package files sit: addressed by their SHA-256, behind a small
//! interface so an S3-compatible store can be added later. A file appears
//! under its address only once complete (written aside, then renamed).

use std::io;
use std::path::{Path, PathBuf};

pub trait Storage: Send + Sync {
    /// A new, empty place for an upload in progress (same volume as the
    /// store, so committing is a rename).
    fn scratch(&self) -> io::Result<PathBuf>;
    /// Moves a complete upload to its address; an existing one (the same
    /// bytes, by definition) is kept.
    fn commit(&self, scratch: &Path, sha256: &str) -> io::Result<()>;
    /// The file at an address, for reading.
    fn locate(&self, sha256: &str) -> Option<PathBuf>;
}

pub struct FsStorage {
    root: PathBuf,
}

impl FsStorage {
    pub fn open(root: &Path) -> io::Result<FsStorage> {
        std::fs::create_dir_all(root.join("tmp"))?;
        std::fs::create_dir_all(root.join("sha256"))?;
        Ok(FsStorage {
            root: root.to_path_buf(),
        })
    }

    fn address(&self, sha256: &str) -> Option<PathBuf> {
        let ok = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| self.root.join("sha256").join(&sha256[..2]).join(sha256))
    }
}

impl Storage for FsStorage {
    fn scratch(&self) -> io::Result<PathBuf> {
        let mut raw = [0u8; 16];
        getrandom::fill(&mut raw).map_err(|e| io::Error::other(e.to_string()))?;
        Ok(self
            .root
            .join("tmp")
            .join(loa_core::broadcast::key::hex(&raw)))
    }

    fn commit(&self, scratch: &Path, sha256: &str) -> io::Result<()> {
        let target = self
            .address(sha256)
            .ok_or_else(|| io::Error::other("not a sha256"))?;
        if target.exists() {
            return std::fs::remove_file(scratch);
        }
        std::fs::create_dir_all(target.parent().expect("address has a folder"))?;
        std::fs::rename(scratch, &target)
    }

    fn locate(&self, sha256: &str) -> Option<PathBuf> {
        self.address(sha256).filter(|p| p.is_file())
    }
}
