//! How large a file each import takes, checked before the file is read:
//! the size on disk first ([`read_file`]), and again at the core's door for
//! bytes that arrived another way ([`check_len`]). Each figure is far above
//! what an office's real file is, and far below what would exhaust an old
//! PC's memory while it is parsed.

use crate::base::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;
use ts_rs::TS;

/// What is being imported; each kind has its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// A glossary as CSV/TSV.
    GlossaryCsv,
    /// A glossary as an Excel workbook.
    GlossaryXlsx,
    /// A glossary as TBX.
    Tbx,
    /// A translation memory as TMX.
    Tmx,
    /// A player's or platform's air log.
    AirLog,
    /// An audio file to import as a take.
    Audio,
    /// A broadcast package (`.loa`).
    Package,
    /// A station's public key file (`.loakey`).
    KeyFile,
    /// The 2025 administrative units (merges.json).
    AdminUnits,
    /// A script's text.
    ScriptText,
    /// A whole-station backup (`.loabackup`).
    Backup,
    /// A release to install (`.loaupdate`).
    Update,
    /// Shared terminology changes carried by hand (`.loachanges`).
    Changes,
}

const MB: u64 = 1024 * 1024;

/// A package's contents may expand to at most this much in all (zip bombs,
/// full disks); its file on disk may be a little larger than that.
pub const PACKAGE_CONTENT_BYTES: u64 = 2048 * MB;

impl ImportKind {
    /// The largest file accepted, in bytes.
    pub fn max_bytes(self) -> u64 {
        match self {
            ImportKind::GlossaryCsv => 50 * MB,
            ImportKind::GlossaryXlsx => 50 * MB,
            ImportKind::Tbx => 100 * MB,
            ImportKind::Tmx => 200 * MB,
            ImportKind::AirLog => 20 * MB,
            // Three hours of 48 kHz stereo WAV is about 2 GB.
            ImportKind::Audio => 2048 * MB,
            ImportKind::Package => PACKAGE_CONTENT_BYTES + 64 * MB,
            ImportKind::KeyFile => 64 * 1024,
            ImportKind::AdminUnits => 64 * MB,
            ImportKind::ScriptText => 2 * MB,
            ImportKind::Backup => 64 * 1024 * MB,
            // An installer with the Whisper model is under 100 MB.
            ImportKind::Update => 1024 * MB,
            // A province's whole glossary and memory (150,000 changes) is
            // about 60 MB.
            ImportKind::Changes => 256 * MB,
        }
    }
}

fn size(bytes: u64) -> String {
    if bytes < MB {
        format!("{} kB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    }
}

fn too_large(name: &str, kind: ImportKind, len: u64) -> CoreError {
    CoreError::DataRow {
        name: name.into(),
        line: None,
        problem: "file-too-large",
        value: format!("{} > {}", size(len), size(kind.max_bytes())),
    }
}

/// Refuses `len` bytes of `kind` above its cap.
pub fn check_len(name: &str, kind: ImportKind, len: u64) -> Result<()> {
    if len > kind.max_bytes() {
        return Err(too_large(name, kind, len));
    }
    Ok(())
}

/// Opens a file of `kind` for reading, refusing it by its size on disk (or
/// when it is no plain file) before a byte is read: the file, its name for
/// messages, and its size. Readers still stop at the cap, should it grow.
pub fn open(path: &Path, kind: ImportKind) -> Result<(std::fs::File, String, u64)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
    let meta = file.metadata().map_err(|e| CoreError::io(path, e))?;
    if !meta.is_file() {
        return Err(CoreError::invalid("file", "not-a-file"));
    }
    check_len(&name, kind, meta.len())?;
    Ok((file, name, meta.len()))
}

/// Reads a whole file of `kind`, refusing it by its size on disk before a
/// byte is read (and stopping at the cap should it grow meanwhile).
pub fn read_file(path: &Path, kind: ImportKind) -> Result<Vec<u8>> {
    let (file, name, len) = open(path, kind)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(kind.max_bytes() + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CoreError::io(path, e))?;
    check_len(&name, kind, bytes.len() as u64)?;
    Ok(bytes)
}

/// [`read_file`] as UTF-8 text (a BOM is dropped).
pub fn read_text(path: &Path, kind: ImportKind) -> Result<String> {
    let bytes = read_file(path, kind)?;
    let text = String::from_utf8(bytes).map_err(|_| CoreError::DataRow {
        name: path.display().to_string(),
        line: None,
        problem: "not-utf8",
        value: String::new(),
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_its_cap_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.loakey");
        // Sparse: the size is what is checked, nothing is read.
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(ImportKind::KeyFile.max_bytes() + 1).unwrap();
        let err = read_file(&path, ImportKind::KeyFile).unwrap_err();
        assert_eq!(err.args()[2], ("problem", "file-too-large".to_string()));
        std::fs::write(&path, "\u{feff}LOA").unwrap();
        assert_eq!(read_text(&path, ImportKind::KeyFile).unwrap(), "LOA");
        // A cap under a megabyte is stated in kB, never as "0 MB".
        assert!(err.to_string().contains("> 64 kB"), "{err}");
    }
}
