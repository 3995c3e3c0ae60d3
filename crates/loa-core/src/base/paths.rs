//! Where the data lives: `--data-dir`, else `LOA_DATA_DIR`, else the
//! platform's per-user data folder (AppData on Windows, ~/.local/share on
//! Linux).

use crate::base::error::{CoreError, Result};
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

/// Folders where files installed with the program are found, in order:
/// beside the program (Windows, a portable copy, cargo's build folders),
/// `../lib/loa-studio` (the Linux package puts programs in `/usr/bin`),
/// and, for a program built from a checkout (development and the tests),
/// that checkout's `assets/data`.
pub fn program_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
    {
        out.push(dir.join("../lib/loa-studio"));
        out.insert(0, dir);
    }
    let checkout = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/data"));
    if checkout.is_dir() {
        out.push(checkout);
    }
    out
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

/// A place a package or player folder can be written to.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub path: String,
    /// A USB stick or SD card rather than the PC's own folder.
    pub removable: bool,
}

/// The export folder, then removable drives: on Windows every drive letter
/// but the system's, on Linux what the desktop mounted under /media and
/// /run/media. Nothing is formatted or written here, only listed.
pub fn destinations(data_dir: &std::path::Path) -> Vec<Destination> {
    let mut out = vec![Destination {
        path: export_dir(data_dir).display().to_string(),
        removable: false,
    }];
    let mut drives: Vec<PathBuf> = Vec::new();
    if cfg!(windows) {
        let system = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".into());
        drives = windows_drives(&system, |root| std::path::Path::new(root).is_dir());
    } else {
        let user = std::env::var("USER").unwrap_or_default();
        for base in ["/media", "/run/media"] {
            let base = PathBuf::from(base).join(&user);
            if let Ok(entries) = std::fs::read_dir(&base) {
                drives.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
            }
        }
    }
    drives.sort();
    out.extend(drives.into_iter().map(|p| Destination {
        path: p.display().to_string(),
        removable: true,
    }));
    out
}

/// The drive roots other than the system's (`system` as in %SystemDrive%,
/// e.g. "C:") for which `exists` holds. A and B are floppy letters and
/// asking for them can stall an old PC.
fn windows_drives(system: &str, exists: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let system = system.trim_end_matches(['\\', '/']).to_ascii_uppercase();
    (b'C'..=b'Z')
        .map(|letter| format!("{}:\\", letter as char))
        .filter(|root| !root.starts_with(&system) && exists(root))
        .map(PathBuf::from)
        .collect()
}

/// Whether `name` is safe as one file or folder name on Windows and Linux
/// alike: no separators or characters Windows forbids, not `.`/`..`, no
/// trailing dot or space (Windows drops them, so two names could meet), and
/// none of the names Windows reserves for devices (`CON`, `nul.txt`, `COM1`…).
/// Every name built from data this PC did not write (a package's manifest)
/// goes through here before it reaches the disk.
pub fn safe_component(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 120
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|'])
        && !name.chars().any(char::is_control)
        && !name.ends_with([' ', '.'])
        && !reserved_on_windows(name)
}

fn reserved_on_windows(name: &str) -> bool {
    // `CON.txt` and `con .mp3` are the device too: only the part before
    // the first dot counts, trailing spaces ignored.
    let stem = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        s if s.starts_with("COM") || s.starts_with("LPT") => {
            matches!(
                &s[3..],
                "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
            )
        }
        _ => false,
    }
}

/// `name` if [`safe_component`], else an error naming the field.
pub fn file_name(field: &'static str, name: &str) -> Result<String> {
    if safe_component(name) {
        Ok(name.to_string())
    } else {
        Err(CoreError::invalid(field, "unsafe-name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_drives_are_every_present_letter_but_the_system_one() {
        let present = ["C:\\", "D:\\", "E:\\", "Z:\\"];
        let found = windows_drives("C:", |r| present.contains(&r));
        assert_eq!(found, ["D:\\", "E:\\", "Z:\\"].map(PathBuf::from));
        // Windows installed on D: leaves C: to list; the variable may be lower case.
        let found = windows_drives("d:\\", |r| present.contains(&r));
        assert_eq!(found, ["C:\\", "E:\\", "Z:\\"].map(PathBuf::from));
        assert!(windows_drives("C:", |_| false).is_empty());
    }

    #[test]
    fn names_that_windows_or_linux_would_misread_are_refused() {
        for ok in [
            "audio.mp3",
            "001_tiem-chung-vie.mp3",
            "Loa-2026-W48",
            "a.b.c",
            "console.txt",
        ] {
            assert!(safe_component(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a\\b",
            "C:",
            "x/../../../../loa-evil",
            "CON",
            "con",
            "Con.mp3",
            "nul.txt",
            "PRN",
            "AUX",
            "COM1",
            "com9.wav",
            "LPT1",
            "lpt9",
            "NUL .mp3",
            "name.",
            "name ",
            "a\u{0}b",
            "a\nb",
            "a|b",
            "a?b",
            "a*b",
            "a\"b",
            "a<b>",
            "COM²",
        ] {
            assert!(!safe_component(bad), "{bad:?}");
        }
        assert!(safe_component("COM0") && safe_component("COMX") && safe_component("LPT10"));
        assert_eq!(file_name("file", "CON").unwrap_err().code(), "invalid");
    }
}
