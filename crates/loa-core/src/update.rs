//! Updates without internet: a newer release carried on a USB stick as a
//! `.loaupdate` file, installed only if the project's release key signed it.
//!
//! The file is a ZIP of three entries: `update.json` (what it is: version,
//! platform, the installer's name, size and SHA-256), `update.sig` (the
//! Ed25519 signature of `update.json`'s exact bytes, in hex) and the
//! installer itself. Every check runs before anything is written; the
//! installer is copied out under a temporary name and takes its real name
//! only once its hash matched, so a refused file changes nothing.
//!
//! The release key's private half is kept offline by whoever makes
//! releases, never in the repository; the public half is built in below.

use crate::base::error::{CoreError, Result, UpdateProblem};
use crate::base::limits::{self, ImportKind};
use crate::broadcast::key::{self, StationKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The project's release key (public half), made on 2026-12-03.
pub const RELEASE_KEY: &str = "c1314ecc66010d7270faaad3126bcfd383f8edca36c4ae1e4930c197f5f709f0";
/// Its key id, as README and the About box show it.
pub const RELEASE_KEY_ID: &str = "WJLF-6QO2-24CX-6HVG";

/// A debug build also trusts the public key in this variable, so tests can
/// sign updates without the release key. Release builds ignore it.
pub const TEST_KEY_ENV: &str = "LOA_RELEASE_TEST_KEY";

const MANIFEST: &str = "update.json";
const SIGNATURE: &str = "update.sig";
const PRODUCT: &str = "loa-studio";
const FORMAT: u32 = 1;
const MAX_MANIFEST_BYTES: u64 = 64 * 1024;

/// `update.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateManifest {
    pub format: u32,
    pub product: String,
    /// `MAJOR.MINOR.PATCH`.
    pub version: String,
    /// `windows-x86_64`, `linux-x86_64`: see [`this_platform`].
    pub platform: String,
    /// The installer's file name inside the update.
    pub file: String,
    pub size: u64,
    /// 64 hex digits.
    pub sha256: String,
    /// What changed, shown before installing.
    #[serde(default)]
    pub notes: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub released: String,
}

/// A verified update, as the user is shown it before installing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInfo {
    pub manifest: UpdateManifest,
    /// The version running now.
    pub current: String,
    /// The key that signed it.
    pub key_id: String,
}

/// What the update must be to be installed here.
#[derive(Debug, Clone)]
pub struct Expect {
    pub version: String,
    pub platform: String,
    pub keys: Vec<[u8; 32]>,
}

impl Expect {
    /// This build: its version, platform and the release key (plus the test
    /// key of [`TEST_KEY_ENV`] in a debug build).
    pub fn this_build() -> Expect {
        let mut keys: Vec<[u8; 32]> = key::decode_hex::<32>(RELEASE_KEY).into_iter().collect();
        if cfg!(debug_assertions) {
            if let Some(k) = std::env::var(TEST_KEY_ENV)
                .ok()
                .and_then(|v| key::decode_hex::<32>(v.trim()))
            {
                keys.push(k);
            }
        }
        Expect {
            version: crate::base::VERSION.to_string(),
            platform: this_platform(),
            keys,
        }
    }
}

/// What Settings shows beside "Cập nhật từ tệp…".
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct About {
    pub version: String,
    pub platform: String,
    /// The release key's id, to compare with the one the project publishes.
    pub release_key_id: String,
    /// The office's update address, if it set one.
    pub feed_url: String,
}

/// The settings entry holding the office's update address.
const FEED_URL_SETTING: &str = "update.url";

pub fn about(db: &crate::Db) -> Result<About> {
    Ok(About {
        version: crate::base::VERSION.to_string(),
        platform: this_platform(),
        release_key_id: RELEASE_KEY_ID.to_string(),
        feed_url: crate::base::settings::get_value(db, FEED_URL_SETTING)?.unwrap_or_default(),
    })
}

/// Remembers the office's update address (empty: none).
pub fn set_feed_url(db: &crate::Db, url: &str) -> Result<()> {
    crate::base::settings::set_value(db, FEED_URL_SETTING, url.trim())
}

/// `os-arch` as Rust names them: `windows-x86_64`, `linux-x86_64`,
/// `macos-aarch64`.
pub fn this_platform() -> String {
    format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH)
}

fn refuse(problem: UpdateProblem, detail: impl Into<String>) -> CoreError {
    CoreError::Update {
        problem,
        detail: detail.into(),
    }
}

/// `1.2.3` as numbers; anything else is not a version.
pub fn parse_version(v: &str) -> Option<[u64; 3]> {
    let mut parts = v.trim().split('.');
    let mut out = [0u64; 3];
    for slot in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = p.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// Compares two versions; `None` if either is not one.
pub fn compare_versions(a: &str, b: &str) -> Option<Ordering> {
    Some(parse_version(a)?.cmp(&parse_version(b)?))
}

/// A plain file name: no folders, nothing hidden, nothing a shell or
/// Windows would read specially.
fn safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
}

type Archive = ZipArchive<std::io::BufReader<std::fs::File>>;

fn read_small(archive: &mut Archive, name: &str, missing: UpdateProblem) -> Result<Vec<u8>> {
    let entry = archive
        .by_name(name)
        .map_err(|_| refuse(missing, name.to_string()))?;
    if entry.size() > MAX_MANIFEST_BYTES {
        return Err(refuse(UpdateProblem::BadManifest, name.to_string()));
    }
    let mut bytes = Vec::new();
    entry
        .take(MAX_MANIFEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(UpdateProblem::Damaged, e.to_string()))?;
    Ok(bytes)
}

/// Opens the file and checks everything but the installer's bytes: the
/// entries, the signature, and that the update is for this platform and
/// newer than what runs.
fn open_checked(path: &Path, expect: &Expect) -> Result<(Archive, UpdateInfo)> {
    let (file, _, _) = limits::open(path, ImportKind::Update)?;
    let mut archive = ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| refuse(UpdateProblem::Damaged, e.to_string()))?;
    let signature = read_small(&mut archive, SIGNATURE, UpdateProblem::NoSignature)?;
    let manifest_bytes = read_small(&mut archive, MANIFEST, UpdateProblem::BadManifest)?;
    let signature = std::str::from_utf8(&signature)
        .ok()
        .and_then(|s| key::decode_hex::<64>(s.trim()))
        .ok_or_else(|| refuse(UpdateProblem::NoSignature, SIGNATURE))?;
    let signer = expect
        .keys
        .iter()
        .find(|k| key::verify(k, &manifest_bytes, &signature))
        .ok_or_else(|| refuse(UpdateProblem::Signature, ""))?;
    // Only now, signed by a key we trust, is the manifest worth parsing.
    let manifest: UpdateManifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| refuse(UpdateProblem::BadManifest, e.to_string()))?;
    if manifest.format != FORMAT || manifest.product != PRODUCT {
        return Err(refuse(
            UpdateProblem::BadManifest,
            format!("{} {}", manifest.product, manifest.format),
        ));
    }
    if !safe_file_name(&manifest.file) || key::decode_hex::<32>(&manifest.sha256).is_none() {
        return Err(refuse(UpdateProblem::BadManifest, manifest.file.clone()));
    }
    if manifest.platform != expect.platform {
        return Err(refuse(
            UpdateProblem::Platform,
            format!("{} ≠ {}", manifest.platform, expect.platform),
        ));
    }
    match compare_versions(&manifest.version, &expect.version) {
        Some(Ordering::Greater) => {}
        Some(_) => {
            return Err(refuse(
                UpdateProblem::NotNewer,
                format!("{} ≤ {}", manifest.version, expect.version),
            ))
        }
        None => return Err(refuse(UpdateProblem::BadManifest, manifest.version.clone())),
    }
    if archive.index_for_name(&manifest.file).is_none() {
        return Err(refuse(UpdateProblem::MissingFile, manifest.file.clone()));
    }
    // Nothing else rides along with a signed release.
    if archive.len() != 3 {
        return Err(refuse(UpdateProblem::Damaged, archive.len().to_string()));
    }
    let info = UpdateInfo {
        current: expect.version.clone(),
        key_id: key::key_id(signer),
        manifest,
    };
    Ok((archive, info))
}

/// Streams the installer through SHA-256 into `out`, checking its size and
/// hash against the manifest.
fn copy_installer(
    archive: &mut Archive,
    m: &UpdateManifest,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<()> {
    let mut entry = archive
        .by_name(&m.file)
        .map_err(|_| refuse(UpdateProblem::MissingFile, m.file.clone()))?;
    if entry.encrypted()
        || !matches!(
            entry.compression(),
            CompressionMethod::Stored | CompressionMethod::Deflated
        )
        || entry.size() != m.size
    {
        return Err(refuse(UpdateProblem::Tampered, m.file.clone()));
    }
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut done = 0u64;
    loop {
        let n = entry
            .read(&mut buf)
            .map_err(|_| refuse(UpdateProblem::Tampered, m.file.clone()))?;
        if n == 0 {
            break;
        }
        done += n as u64;
        if done > m.size {
            return Err(refuse(UpdateProblem::Tampered, m.file.clone()));
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])
            .map_err(|e| CoreError::io(&m.file, e))?;
        if !progress(done, m.size) {
            return Err(CoreError::Cancelled);
        }
    }
    if done != m.size || key::hex(&hasher.finalize()) != m.sha256.to_ascii_lowercase() {
        return Err(refuse(UpdateProblem::Tampered, m.file.clone()));
    }
    Ok(())
}

/// Checks an update completely (the installer's hash included) without
/// writing anything.
pub fn inspect(
    path: &Path,
    expect: &Expect,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<UpdateInfo> {
    let (mut archive, info) = open_checked(path, expect)?;
    copy_installer(&mut archive, &info.manifest, &mut std::io::sink(), progress)?;
    Ok(info)
}

/// Where verified installers wait to be run.
pub fn updates_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("updates")
}

/// A verified installer copied out of its update, ready to run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Staged {
    pub info: UpdateInfo,
    pub installer: String,
}

/// Checks the update and copies its installer to [`updates_dir`]. The
/// installer appears under its name only once every check passed.
pub fn stage(
    path: &Path,
    data_dir: &Path,
    expect: &Expect,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Staged> {
    let (mut archive, info) = open_checked(path, expect)?;
    let dir = updates_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    let target = dir.join(&info.manifest.file);
    let part = dir.join(format!("{}.part", info.manifest.file));
    let copied = (|| {
        let mut out = std::fs::File::create(&part).map_err(|e| CoreError::io(&part, e))?;
        copy_installer(&mut archive, &info.manifest, &mut out, progress)?;
        out.sync_all().map_err(|e| CoreError::io(&part, e))?;
        drop(out);
        std::fs::rename(&part, &target).map_err(|e| CoreError::io(&target, e))
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    Ok(Staged {
        info,
        installer: target.display().to_string(),
    })
}

/// How a staged installer is run on this platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Install {
    /// The installer was started silently; the app should close so it can
    /// replace the program files, and the installer starts it again.
    Started { installer: String },
    /// Installing needs the system's package manager and an administrator:
    /// the command to run.
    Manual { installer: String, command: String },
}

/// What running `installer` means on `os` (a parameter so each platform's
/// answer is tested everywhere).
pub fn plan(installer: &str, os: &str) -> Install {
    if os == "windows" && installer.to_ascii_lowercase().ends_with(".exe") {
        Install::Started {
            installer: installer.to_string(),
        }
    } else if installer.ends_with(".deb") {
        Install::Manual {
            installer: installer.to_string(),
            command: format!("sudo apt install '{installer}'"),
        }
    } else {
        Install::Manual {
            installer: installer.to_string(),
            command: installer.to_string(),
        }
    }
}

/// Runs a staged installer as [`plan`] says: on Windows, silently with
/// `/UPDATE` so it reopens the app once done.
pub fn install(staged: &Staged) -> Result<Install> {
    let how = plan(&staged.installer, std::env::consts::OS);
    if let Install::Started { installer } = &how {
        std::process::Command::new(installer)
            .args(["/S", "/UPDATE"])
            .spawn()
            .map_err(|e| CoreError::io(installer, e))?;
    }
    Ok(how)
}

/// Makes a `.loaupdate` (for whoever makes releases, with the release key).
pub fn pack(
    signer: &StationKey,
    version: &str,
    platform: &str,
    notes: &str,
    released: &str,
    installer: &Path,
    out: &Path,
) -> Result<UpdateManifest> {
    if parse_version(version).is_none() {
        return Err(refuse(UpdateProblem::BadManifest, version));
    }
    let file = installer
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| safe_file_name(n))
        .ok_or_else(|| refuse(UpdateProblem::BadManifest, installer.display().to_string()))?
        .to_string();
    let mut hasher = Sha256::new();
    let mut src = std::fs::File::open(installer).map_err(|e| CoreError::io(installer, e))?;
    let size = std::io::copy(&mut src, &mut hasher).map_err(|e| CoreError::io(installer, e))?;
    let manifest = UpdateManifest {
        format: FORMAT,
        product: PRODUCT.into(),
        version: version.into(),
        platform: platform.into(),
        file: file.clone(),
        size,
        sha256: key::hex(&hasher.finalize()),
        notes: notes.into(),
        released: released.into(),
    };
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| refuse(UpdateProblem::BadManifest, e.to_string()))?;
    let signature = key::hex(&signer.sign(&json));
    let part = out.with_extension("loaupdate.part");
    let written = (|| {
        let f = std::fs::File::create(&part).map_err(|e| CoreError::io(&part, e))?;
        let mut zip = ZipWriter::new(std::io::BufWriter::new(f));
        let stored = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .large_file(size > u32::MAX as u64);
        let io = |e: zip::result::ZipError| CoreError::io(out, std::io::Error::other(e));
        zip.start_file(MANIFEST, stored).map_err(io)?;
        zip.write_all(&json).map_err(|e| CoreError::io(out, e))?;
        zip.start_file(SIGNATURE, stored).map_err(io)?;
        zip.write_all(signature.as_bytes())
            .map_err(|e| CoreError::io(out, e))?;
        zip.start_file(file.as_str(), stored).map_err(io)?;
        let mut src = std::fs::File::open(installer).map_err(|e| CoreError::io(installer, e))?;
        std::io::copy(&mut src, &mut zip).map_err(|e| CoreError::io(installer, e))?;
        zip.finish()
            .map_err(io)?
            .into_inner()
            .map_err(|e| CoreError::io(out, e.into_error()))?
            .sync_all()
            .map_err(|e| CoreError::io(out, e))?;
        std::fs::rename(&part, out).map_err(|e| CoreError::io(out, e))
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    Ok(manifest)
}

/// What an office's update address serves: a static JSON naming the newest
/// release and where its `.loaupdate` is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Feed {
    pub version: String,
    /// The `.loaupdate` to fetch, absolute or relative to the feed.
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub notes: String,
}

/// Reads a feed; `None` when it names no version newer than `current`.
pub fn parse_feed(bytes: &[u8], current: &str) -> Result<Option<Feed>> {
    let feed: Feed = serde_json::from_slice(bytes)
        .map_err(|e| refuse(UpdateProblem::BadManifest, e.to_string()))?;
    match compare_versions(&feed.version, current) {
        Some(Ordering::Greater) => Ok(Some(feed)),
        Some(_) => Ok(None),
        None => Err(refuse(UpdateProblem::BadManifest, feed.version)),
    }
}

#[cfg(test)]
mod tests;
