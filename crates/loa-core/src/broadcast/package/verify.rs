//! Reading a package without trusting it: every check of the format
//! document, in its order, before a single byte is written anywhere.

use super::{
    refuse, safe_name, FileEntry, Manifest, MANIFEST, MAX_ENTRIES, MAX_MANIFEST_BYTES, MAX_RATIO,
    MAX_TOTAL_BYTES, SIGNATURE,
};
use crate::base::calendar::Date;
use crate::base::error::{CoreError, PackageProblem, Result};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use zip::{CompressionMethod, ZipArchive};

/// Who signed a package, as far as this station is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// This PC's own key.
    Own,
    /// A station whose key was trusted here.
    Station(i64),
    /// Signed correctly by a key not trusted (yet).
    Unknown,
}

/// A package that passed every check except, perhaps, trust.
#[derive(Debug, Clone)]
pub struct Checked {
    pub manifest: Manifest,
    /// The exact signed bytes.
    pub manifest_text: String,
    pub trust: Trust,
    /// Size of the `.loa` file.
    pub bytes: u64,
}

type Archive = ZipArchive<BufReader<File>>;

fn open(path: &Path) -> Result<(Archive, u64)> {
    let f = File::open(path).map_err(|e| CoreError::io(path, e))?;
    let bytes = f.metadata().map_err(|e| CoreError::io(path, e))?.len();
    if bytes > crate::base::limits::ImportKind::Package.max_bytes() {
        return Err(refuse(PackageProblem::TooLarge, bytes.to_string()));
    }
    let archive = ZipArchive::new(BufReader::new(f))
        .map_err(|e| refuse(PackageProblem::Damaged, e.to_string()))?;
    Ok((archive, bytes))
}

/// Step 1 and 2: names, entry types and declared sizes, from the central
/// directory alone.
fn check_entries(archive: &mut Archive, path: &Path) -> Result<()> {
    if archive.len() > MAX_ENTRIES {
        return Err(refuse(PackageProblem::TooLarge, archive.len().to_string()));
    }
    if archive.has_duplicate_names() {
        let name = duplicate_name(archive, path);
        return Err(refuse(PackageProblem::Duplicate, name));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let e = archive
            .by_index_raw(i)
            .map_err(|e| refuse(PackageProblem::Damaged, e.to_string()))?;
        let name = String::from_utf8_lossy(e.name_raw()).into_owned();
        if !safe_name(&name) || std::str::from_utf8(e.name_raw()).is_err() {
            return Err(refuse(PackageProblem::UnsafePath, name));
        }
        let file_type = e.unix_mode().map(|m| m & 0o170_000).unwrap_or(0);
        if e.is_symlink() || !matches!(file_type, 0 | 0o100_000) {
            return Err(refuse(PackageProblem::Symlink, name));
        }
        if e.is_dir() {
            return Err(refuse(PackageProblem::Unlisted, name));
        }
        if e.encrypted()
            || !matches!(
                e.compression(),
                CompressionMethod::Stored | CompressionMethod::Deflated
            )
        {
            return Err(refuse(PackageProblem::Unsupported, name));
        }
        let size = e.size();
        if size > (1 << 20) && size / e.compressed_size().max(1) > MAX_RATIO {
            return Err(refuse(PackageProblem::TooLarge, name));
        }
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(refuse(PackageProblem::TooLarge, total.to_string()));
        }
    }
    Ok(())
}

/// The name that appears twice. The ZIP reader keeps one entry per name, so
/// the central directory is walked directly to say which.
fn duplicate_name(archive: &Archive, path: &Path) -> String {
    let start = archive.central_directory_start();
    let mut cd = Vec::new();
    let read = File::open(path).and_then(|mut f| {
        f.seek(SeekFrom::Start(start))?;
        f.take(16 << 20).read_to_end(&mut cd)
    });
    if read.is_err() {
        return String::new();
    }
    let mut seen = HashSet::new();
    let mut at = 0;
    while at + 46 <= cd.len() && cd[at..at + 4] == [0x50, 0x4b, 0x01, 0x02] {
        let le = |i: usize| usize::from(u16::from_le_bytes([cd[at + i], cd[at + i + 1]]));
        let (name_len, extra, comment) = (le(28), le(30), le(32));
        let Some(name) = cd.get(at + 46..at + 46 + name_len) else {
            break;
        };
        if !seen.insert(name) {
            return String::from_utf8_lossy(name).into_owned();
        }
        at += 46 + name_len + extra + comment;
    }
    String::new()
}

/// The whole of a small entry, refusing more than `limit` bytes.
fn read_small(
    archive: &mut Archive,
    name: &str,
    limit: u64,
    missing: PackageProblem,
) -> Result<Vec<u8>> {
    let mut e = match archive.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Err(refuse(missing, name)),
        Err(e) => return Err(refuse(PackageProblem::Damaged, e.to_string())),
    };
    if e.size() > limit {
        return Err(refuse(PackageProblem::TooLarge, name));
    }
    let mut out = Vec::with_capacity(e.size() as usize);
    (&mut e)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|_| refuse(PackageProblem::Damaged, name))?;
    if out.len() as u64 > limit {
        return Err(refuse(PackageProblem::TooLarge, name));
    }
    Ok(out)
}

/// Step 4: the signature with the key the manifest names, then whether this
/// station trusts that key.
fn check_signature(
    station: Option<(&Connection, Option<&str>)>,
    manifest: &Manifest,
    text: &[u8],
    sig: &[u8],
) -> Result<Trust> {
    let issuer = &manifest.issuer;
    let public = crate::broadcast::key::decode_hex::<32>(&issuer.public_key)
        .ok_or_else(|| refuse(PackageProblem::Signature, issuer.key_id.clone()))?;
    if crate::broadcast::key::key_id(&public) != issuer.key_id
        || !crate::broadcast::key::verify(&public, text, sig)
    {
        return Err(refuse(PackageProblem::Signature, issuer.key_id.clone()));
    }
    let Some((conn, own_key_id)) = station else {
        return Ok(Trust::Unknown);
    };
    if own_key_id == Some(issuer.key_id.as_str()) {
        return Ok(Trust::Own);
    }
    Ok(
        match crate::broadcast::station::trusted_key(conn, &issuer.key_id)? {
            Some((id, key)) if key.eq_ignore_ascii_case(&issuer.public_key) => Trust::Station(id),
            _ => Trust::Unknown,
        },
    )
}

/// Streams every listed file through SHA-256, checking its size and hash;
/// `out` gets the bytes when extracting. `progress(done, total)` returning
/// false cancels.
pub(crate) fn stream_files(
    archive: &mut Archive,
    manifest: &Manifest,
    mut out: impl FnMut(&FileEntry) -> Result<Option<File>>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<()> {
    let files: Vec<&FileEntry> = manifest.items.iter().flat_map(|i| &i.files).collect();
    let total: u64 = files.iter().map(|f| f.size).sum();
    let mut done: u64 = 0;
    let mut buf = vec![0u8; 256 * 1024];
    for f in files {
        let mut sink = out(f)?;
        let mut e = match archive.by_name(&f.path) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => {
                return Err(refuse(PackageProblem::MissingFile, f.path.clone()))
            }
            Err(e) => return Err(refuse(PackageProblem::Damaged, e.to_string())),
        };
        if e.size() != f.size {
            return Err(refuse(PackageProblem::Tampered, f.path.clone()));
        }
        let mut hasher = Sha256::new();
        let mut read: u64 = 0;
        loop {
            // A read error here is a CRC or inflate failure: the bytes were
            // changed after the archive was made.
            let n = e
                .read(&mut buf)
                .map_err(|_| refuse(PackageProblem::Tampered, f.path.clone()))?;
            if n == 0 {
                break;
            }
            read += n as u64;
            if read > f.size {
                return Err(refuse(PackageProblem::Tampered, f.path.clone()));
            }
            hasher.update(&buf[..n]);
            if let Some(s) = sink.as_mut() {
                s.write_all(&buf[..n])
                    .map_err(|err| CoreError::io(&f.path, err))?;
            }
            done += n as u64;
            if !progress(done, total) {
                return Err(CoreError::Cancelled);
            }
        }
        if read != f.size
            || crate::broadcast::key::hex(&hasher.finalize()) != f.sha256.to_ascii_lowercase()
        {
            return Err(refuse(PackageProblem::Tampered, f.path.clone()));
        }
        if let Some(s) = sink {
            s.sync_all().map_err(|err| CoreError::io(&f.path, err))?;
        }
    }
    Ok(())
}

/// Every check but trust, on the file at `path`. `today` decides expiry; a
/// package valid from a later day is accepted so it can be scheduled ahead.
pub fn verify_file(
    conn: &Connection,
    own_key_id: Option<&str>,
    path: &Path,
    today: Date,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Checked> {
    verify_with(Some((conn, own_key_id)), path, today, progress)
}

/// Every check a station makes, trust aside, for whoever keeps no station
/// directory (the province hub, which then asks whether the issuer is
/// enrolled): `trust` is always [`Trust::Unknown`].
pub fn verify_signed(
    path: &Path,
    today: Date,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Checked> {
    verify_with(None, path, today, progress)
}

fn verify_with(
    station: Option<(&Connection, Option<&str>)>,
    path: &Path,
    today: Date,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Checked> {
    let (mut archive, bytes) = open(path)?;
    check_entries(&mut archive, path)?;
    let text = read_small(
        &mut archive,
        MANIFEST,
        MAX_MANIFEST_BYTES,
        PackageProblem::NoManifest,
    )?;
    let manifest = Manifest::parse(&text)?;
    let sig = read_small(&mut archive, SIGNATURE, 64, PackageProblem::Signature)?;
    let trust = check_signature(station, &manifest, &text, &sig)?;
    manifest.check_claims()?;
    let listed: HashSet<&str> = manifest
        .items
        .iter()
        .flat_map(|i| i.files.iter().map(|f| f.path.as_str()))
        .chain([MANIFEST, SIGNATURE])
        .collect();
    // Names were checked to be UTF-8 in step 1.
    if let Some(extra) = archive
        .file_names_raw()
        .map(String::from_utf8_lossy)
        .find(|n| !listed.contains(n.as_ref()))
    {
        return Err(refuse(PackageProblem::Unlisted, extra.into_owned()));
    }
    stream_files(&mut archive, &manifest, |_| Ok(None), progress)?;
    if manifest.valid_until < today {
        return Err(refuse(
            PackageProblem::Expired,
            manifest.valid_until.to_string(),
        ));
    }
    let manifest_text =
        String::from_utf8(text).map_err(|e| refuse(PackageProblem::BadManifest, e.to_string()))?;
    Ok(Checked {
        manifest,
        manifest_text,
        trust,
        bytes,
    })
}

/// Extracts a checked package's files under `dir`, hashing again while
/// writing: the file on a USB stick may change between check and copy.
pub(crate) fn extract(
    path: &Path,
    manifest: &Manifest,
    dir: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<()> {
    let (mut archive, _) = open(path)?;
    stream_files(
        &mut archive,
        manifest,
        |f| {
            let target = dir.join(&f.path);
            let parent = target.parent().expect("entry has a folder");
            std::fs::create_dir_all(parent).map_err(|e| CoreError::io(parent, e))?;
            File::create_new(&target)
                .map(Some)
                .map_err(|e| CoreError::io(&target, e))
        },
        progress,
    )
}
