//! Where the data lives: `--data-dir`, else `LOA_DATA_DIR`, else the
//! platform's per-user data folder (AppData on Windows, ~/.local/share on
//! Linux).

use crate::error::{CoreError, Result};
use std::path::PathBuf;

pub const DATA_DIR_ENV: &str = "LOA_DATA_DIR";

pub fn resolve_data_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("vn", "Loa Studio", "LoaStudio")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(CoreError::NoDataDir)
}

pub const EXPORT_DIR_ENV: &str = "LOA_EXPORT_DIR";

/// Where exports go: `LOA_EXPORT_DIR`, else "Loa Studio" in the user's
/// Documents folder, else `exports` in the data folder.
pub fn export_dir(data_dir: &std::path::Path) -> PathBuf {
    if let Some(p) = std::env::var_os(EXPORT_DIR_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(|d| d.join("Loa Studio")))
        .unwrap_or_else(|| data_dir.join("exports"))
}
