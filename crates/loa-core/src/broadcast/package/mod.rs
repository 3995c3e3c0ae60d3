//! Broadcast packages: approved, translated, recorded scripts leave the
//! issuing station as one signed `.loa` file (a ZIP with a manifest and a
//! detached Ed25519 signature; see `docs/package-format.md`) and are
//! verified, imported and aired by the stations that receive them.

mod build;
mod library;
mod verify;

pub use build::{build, plan, BuildRequest, Built, Plan, PlanItem, Profile};
#[cfg(feature = "bench")]
pub(crate) use build::{write_package, Rendered};
pub use library::{
    clear_orphans, delete, get, import, inspect, item_audio, list, trust_issuer, Direction,
    Inspected, PackageDetail, PackageItem, PackageSummary,
};
pub use verify::{verify_file, verify_signed, Checked, Trust};

use crate::base::calendar::{self, Date};
use crate::base::error::{CoreError, PackageProblem, Result};
use crate::draft::script::{Category, Priority};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The format this app writes and reads; a package of another is refused by
/// number, never half-read.
pub const FORMAT: u32 = 1;
/// At most this much in all, uncompressed (zip bombs, full disks).
pub const MAX_TOTAL_BYTES: u64 = crate::base::limits::PACKAGE_CONTENT_BYTES;
/// Entries above 1 MiB may not expand more than this.
pub const MAX_RATIO: u64 = 100;
pub const MAX_ENTRIES: usize = 5000;
const MAX_MANIFEST_BYTES: u64 = 4 * 1024 * 1024;
/// Email and Zalo attachments stop around here.
pub const ATTACHMENT_LIMIT: u64 = 25 * 1000 * 1000;

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackageManifest")]
pub struct Manifest {
    pub format: u32,
    pub id: String,
    pub title: String,
    pub issuer: Issuer,
    /// When it was built, with the issuer's UTC offset.
    pub created: String,
    #[ts(type = "string")]
    pub valid_from: Date,
    #[ts(type = "string")]
    pub valid_until: Date,
    pub priority: Priority,
    /// Suggested daily slots, `HH:MM` starts.
    #[serde(default)]
    pub slots: Vec<String>,
    #[serde(default)]
    pub targets: Targets,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackageIssuer")]
pub struct Issuer {
    pub station: String,
    #[serde(default)]
    pub admin_code: String,
    pub key_id: String,
    /// The Ed25519 public key, 64 hex digits; trusted only once its key id
    /// was checked with the issuer.
    pub public_key: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackageTargets")]
pub struct Targets {
    #[serde(default)]
    pub stations: Vec<TargetStation>,
    /// Group names, as the issuer calls them.
    #[serde(default)]
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetStation {
    #[serde(default)]
    pub admin_code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackageManifestItem")]
pub struct Item {
    /// The issuer's script id and revision.
    pub script_id: i64,
    pub revision: u32,
    pub lang: String,
    pub title: String,
    #[serde(default)]
    pub program: String,
    pub category: Category,
    pub seconds: f64,
    #[ts(optional)]
    pub lufs: Option<f64>,
    #[ts(optional)]
    pub true_peak_db: Option<f64>,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "PackageFileKind")]
pub enum FileKind {
    /// The take, rendered to the broadcast profile (MP3).
    Audio,
    /// The text read, UTF-8.
    Text,
    /// The text read, as a Word document.
    Document,
    /// SRT subtitles, where the take has a transcript.
    Subtitles,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackageFile")]
pub struct FileEntry {
    pub kind: FileKind,
    pub path: String,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

impl Item {
    pub fn file(&self, kind: FileKind) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.kind == kind)
    }
}

fn refuse(problem: PackageProblem, detail: impl Into<String>) -> CoreError {
    CoreError::Package {
        problem,
        detail: detail.into(),
    }
}

/// An entry name that is safe to extract anywhere: relative, `/`-separated,
/// not too long for Windows, and each part a name
/// [`crate::base::paths::safe_component`] accepts (no `..`, drive letters,
/// backslashes, control characters or Windows device names).
pub fn safe_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 200 && name.split('/').all(crate::base::paths::safe_component)
}

/// The longest validity a package may claim, in days from its first day: a
/// stolen key must not be able to put a message on air for years.
pub const MAX_VALID_DAYS: i64 = 366;

impl Manifest {
    /// Parses and checks a manifest: the format number first (a newer
    /// package is refused by number even if the rest would not parse), then
    /// every field a reader relies on.
    pub fn parse(bytes: &[u8]) -> Result<Manifest> {
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| refuse(PackageProblem::BadManifest, e.to_string()))?;
        match value.get("format").and_then(|f| f.as_u64()) {
            Some(f) if f == u64::from(FORMAT) => {}
            Some(f) => return Err(refuse(PackageProblem::Format, f.to_string())),
            None => return Err(refuse(PackageProblem::BadManifest, "format")),
        }
        let m: Manifest = serde_json::from_value(value)
            .map_err(|e| refuse(PackageProblem::BadManifest, e.to_string()))?;
        m.validate()?;
        Ok(m)
    }

    fn validate(&self) -> Result<()> {
        let bad = |what: &str| Err(refuse(PackageProblem::BadManifest, what));
        if !is_uuid(&self.id) {
            return bad("id");
        }
        if self.title.trim().is_empty() || self.issuer.station.trim().is_empty() {
            return bad("title");
        }
        if self.valid_until < self.valid_from {
            return bad("validUntil");
        }

        if self.slots.iter().any(|s| calendar::parse_hhmm(s).is_none()) {
            return bad("slots");
        }
        if self.items.is_empty() {
            return bad("items");
        }
        let mut paths = std::collections::HashSet::new();
        let mut total: u64 = 0;
        for item in &self.items {
            // An ISO 639-3 code, as the registry stores them: item
            // languages become parts of file names.
            if !crate::base::language::valid_code(&item.lang) {
                return bad("lang");
            }
            if !item.seconds.is_finite() || item.seconds < 0.0 {
                return bad("items");
            }
            if item.file(FileKind::Audio).is_none() {
                return bad("audio");
            }
            for f in &item.files {
                if !safe_name(&f.path)
                    || !f.path.starts_with("items/")
                    || f.sha256.len() != 64
                    || !f.sha256.bytes().all(|b| b.is_ascii_hexdigit())
                {
                    return bad(&f.path);
                }
                if !paths.insert(f.path.as_str()) {
                    return Err(refuse(PackageProblem::Duplicate, f.path.clone()));
                }
                total = total.saturating_add(f.size);
            }
        }
        if total > MAX_TOTAL_BYTES {
            return Err(refuse(PackageProblem::TooLarge, total.to_string()));
        }
        Ok(())
    }

    /// What a signed manifest may still not say: checked after the
    /// signature, so an edited manifest is reported as edited.
    pub fn check_claims(&self) -> Result<()> {
        if self.valid_from.days_until(self.valid_until) >= MAX_VALID_DAYS {
            return Err(refuse(
                PackageProblem::ValidTooLong,
                format!("{} – {}", self.valid_from, self.valid_until),
            ));
        }
        Ok(())
    }

    pub fn seconds(&self) -> f64 {
        self.items.iter().map(|i| i.seconds).sum()
    }
}

pub(crate) fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A random (version 4) UUID.
pub(crate) fn new_uuid() -> Result<String> {
    crate::base::uid::random()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_escape_are_unsafe() {
        for ok in [
            "manifest.json",
            "items/001-vie/audio.mp3",
            "items/002-blt/script.txt",
        ] {
            assert!(safe_name(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../evil.mp3",
            "items/../../x",
            "items//a",
            "items/./a",
            "C:/Windows/x",
            "items\\..\\x",
            "items/a\u{0}b",
            "items/CON.",
            "items/CON/audio.mp3",
            "items/001-vie/nul.txt",
            "items/a?b",
        ] {
            assert!(!safe_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn uuids_are_v4() {
        let a = new_uuid().unwrap();
        assert!(is_uuid(&a), "{a}");
        assert_eq!(&a[14..15], "4");
        assert_ne!(a, new_uuid().unwrap());
    }

    /// The example in docs/package-format.md is a manifest this code reads.
    #[test]
    fn documented_example_parses() {
        let doc = include_str!("../../../../../docs/package-format.md");
        let start = doc.find("```json\n").expect("example") + 8;
        let end = start + doc[start..].find("```").unwrap();
        let m = Manifest::parse(&doc.as_bytes()[start..end]).unwrap();
        assert_eq!(m.format, FORMAT);
        assert_eq!(m.items[0].file(FileKind::Audio).unwrap().size, 1_473_600);
        assert_eq!(m.priority, Priority::Normal);
        // The key id shown is the one of the key shown.
        let public = crate::broadcast::key::decode_hex::<32>(&m.issuer.public_key).unwrap();
        assert_eq!(crate::broadcast::key::key_id(&public), m.issuer.key_id);
    }

    #[test]
    fn newer_format_is_refused_by_number() {
        let err = Manifest::parse(br#"{"format": 2, "whatever": true}"#).unwrap_err();
        assert_eq!(
            (err.code(), err.args()[0].1.as_str()),
            ("package-format", "2")
        );
        let err = Manifest::parse(b"{not json").unwrap_err();
        assert_eq!(err.code(), "package-bad-manifest");
    }
}
