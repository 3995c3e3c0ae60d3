//! The whole station in one file (`.loabackup`), and back: a consistent
//! snapshot of the database (SQLite's backup API, taken while the app
//! runs), the takes, the received packages and the station's signing key.
//! Whisper models are not included: they are installed again from their
//! own files.
//!
//! A backup is a ZIP with `backup.json` listing every file with its size
//! and SHA-256. Restoring checks all of it before anything is moved, goes
//! only into a data folder that holds no work yet, and finishes after a
//! crash: the files are unpacked beside, marked complete, then moved in
//! with the database last.

use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

pub const EXTENSION: &str = "loabackup";
const FORMAT: u32 = 1;
const MANIFEST: &str = "backup.json";
const DB_ENTRY: &str = "loa.sqlite";
/// What a backup carries beside the database, relative to the data folder.
const FOLDERS: [&str; 2] = ["takes", "packages"];
const KEY_ENTRY: &str = "keys/station.key";
/// Unpacked here inside the data folder, then moved into place.
const STAGING_PREFIX: &str = ".restore-";
/// Written in the staging folder once every file is there and checked.
const READY: &str = ".ready";
const LAST_AT: &str = "backup.last_at";
/// The app reminds to back up after this many days.
pub const REMIND_AFTER_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupManifest {
    pub format: u32,
    pub app_version: String,
    pub created: String,
    /// The same moment as Unix seconds: the restored station's "last
    /// backup".
    pub created_unix: i64,
    pub schema_version: u32,
    pub station: String,
    pub key_id: String,
    pub files: Vec<BackupFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// A backup written, or one looked at before restoring.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub path: String,
    pub bytes: u64,
    pub created: String,
    pub station: String,
    pub key_id: String,
    pub files: u32,
}

/// When this station was last backed up, and whether it is time again.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    #[ts(optional)]
    pub last_at: Option<i64>,
    #[ts(optional)]
    pub days_since: Option<i64>,
    /// Never backed up, or longer ago than [`REMIND_AFTER_DAYS`].
    pub due: bool,
}

fn bad(name: &str, problem: &'static str, value: impl Into<String>) -> CoreError {
    CoreError::data_row(name, None, problem, value)
}

fn zerr(path: &Path) -> impl Fn(zip::result::ZipError) -> CoreError + '_ {
    move |e| CoreError::io(path, std::io::Error::other(e.to_string()))
}

/// Every file a backup takes, relative to the data folder, with its size.
/// A take still being recorded (`*.recording.wav`) and unfinished imports
/// (`.part-*`) are left out.
fn station_files(data_dir: &Path) -> Result<Vec<(String, u64)>> {
    fn walk(root: &Path, rel: &str, out: &mut Vec<(String, u64)>) -> Result<()> {
        let dir = root.join(rel);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        for e in entries {
            let e = e.map_err(|err| CoreError::io(&dir, err))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with(crate::record::audio::take::RECORDING_SUFFIX)
            {
                continue;
            }
            let path = format!("{rel}/{name}");
            let meta = e.metadata().map_err(|err| CoreError::io(e.path(), err))?;
            if meta.is_dir() {
                walk(root, &path, out)?;
            } else if meta.is_file() {
                out.push((path, meta.len()));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for folder in FOLDERS {
        walk(data_dir, folder, &mut out)?;
    }
    let key = data_dir.join(KEY_ENTRY);
    if let Ok(meta) = std::fs::metadata(&key) {
        out.push((KEY_ENTRY.to_string(), meta.len()));
    }
    out.sort();
    Ok(out)
}

/// Where a backup goes: `out` itself when it names a new file, else a
/// fresh `Loa-sao-luu-<date>.loabackup` in the folder `out`.
fn target(out: &Path, date: &str) -> Result<PathBuf> {
    if out.extension().is_some_and(|e| e == EXTENSION) {
        if out.exists() {
            return Err(CoreError::invalid("out", "exists"));
        }
        return Ok(out.to_path_buf());
    }
    crate::base::files::fresh_path(out, &format!("Loa-sao-luu-{date}"), EXTENSION)
}

/// Copies `from` into the open ZIP entry, hashing it; false from
/// `progress` cancels.
fn copy_hashed(
    from: &mut dyn Read,
    to: &mut dyn Write,
    path: &Path,
    done: &mut u64,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n_total = 0u64;
    loop {
        let n = from.read(&mut buf).map_err(|e| CoreError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        to.write_all(&buf[..n])
            .map_err(|e| CoreError::io(path, e))?;
        n_total += n as u64;
        *done += n as u64;
        if !progress(*done) {
            return Err(CoreError::Cancelled);
        }
    }
    Ok((n_total, crate::broadcast::key::hex(&hasher.finalize())))
}

/// Writes a backup of the station into `out` (a folder, or a new
/// `.loabackup` file). `progress(done, total)` counts bytes; false cancels
/// and leaves nothing behind. Remembers when, for the reminder.
pub fn create(
    db: &Db,
    data_dir: &Path,
    out: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    let today = crate::base::clock::today(db.conn())?;
    let path = target(out, &today.to_string())?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let token = crate::broadcast::package::new_uuid()?;
    let snapshot = dir.join(format!(".loa-backup-{token}.sqlite"));
    let part = dir.join(format!(".loa-backup-{token}.part"));
    let result = write(db, data_dir, &path, &snapshot, &part, progress);
    let _ = std::fs::remove_file(&snapshot);
    let info = match result {
        Ok(info) => info,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return Err(e);
        }
    };
    std::fs::rename(&part, &path).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        CoreError::io(&path, e)
    })?;
    crate::base::settings::set_value(db, LAST_AT, &crate::base::clock::now().to_string())?;
    Ok(info)
}

fn write(
    db: &Db,
    data_dir: &Path,
    path: &Path,
    snapshot: &Path,
    part: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    // A consistent copy while the app goes on writing: SQLite's online
    // backup restarts by itself if a page changes under it.
    {
        let mut dst = rusqlite::Connection::open(snapshot)?;
        let backup = rusqlite::backup::Backup::new(db.conn(), &mut dst)?;
        backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
    }
    let files = station_files(data_dir)?;
    let db_size = std::fs::metadata(snapshot)
        .map_err(|e| CoreError::io(snapshot, e))?
        .len();
    let total = db_size + files.iter().map(|(_, s)| s).sum::<u64>();
    let mut done = 0u64;
    let mut tick = |d: u64| progress(d, total);
    let zerr = zerr(part);
    let file = std::fs::File::create(part).map_err(|e| CoreError::io(part, e))?;
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(true);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(true);
    let mut listed = Vec::new();
    zip.start_file(DB_ENTRY, deflated).map_err(&zerr)?;
    let mut src = std::fs::File::open(snapshot).map_err(|e| CoreError::io(snapshot, e))?;
    let (size, sha256) = copy_hashed(&mut src, &mut zip, part, &mut done, &mut tick)?;
    listed.push(BackupFile {
        path: DB_ENTRY.into(),
        size,
        sha256,
    });
    for (rel, _) in &files {
        // Audio and MP3s do not compress; the key and texts are small.
        zip.start_file(rel.as_str(), stored).map_err(&zerr)?;
        let from = data_dir.join(rel);
        let mut src = std::fs::File::open(&from).map_err(|e| CoreError::io(&from, e))?;
        let (size, sha256) = copy_hashed(&mut src, &mut zip, part, &mut done, &mut tick)?;
        listed.push(BackupFile {
            path: rel.clone(),
            size,
            sha256,
        });
    }
    let station = crate::broadcast::station::own_name(db)?;
    let key_id = crate::broadcast::key::StationKey::load(data_dir)?
        .map(|k| k.key_id())
        .unwrap_or_default();
    let offset = crate::base::clock::local_offset(db.conn())?;
    let now = crate::base::clock::now();
    let manifest = BackupManifest {
        format: FORMAT,
        app_version: crate::base::VERSION.into(),
        created: crate::base::calendar::rfc3339(now, offset),
        created_unix: now,
        schema_version: db.schema_version()?,
        station: station.clone(),
        key_id: key_id.clone(),
        files: listed,
    };
    zip.start_file(MANIFEST, deflated).map_err(&zerr)?;
    let text = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    zip.write_all(&text).map_err(|e| CoreError::io(part, e))?;
    let mut w = zip.finish().map_err(&zerr)?;
    w.flush().map_err(|e| CoreError::io(part, e))?;
    let f = w
        .into_inner()
        .map_err(|e| CoreError::io(part, e.into_error()))?;
    f.sync_all().map_err(|e| CoreError::io(part, e))?;
    Ok(BackupInfo {
        path: path.display().to_string(),
        bytes: f.metadata().map_err(|e| CoreError::io(part, e))?.len(),
        created: manifest.created,
        station,
        key_id,
        files: manifest.files.len() as u32,
    })
}

/// When the last backup was made and whether one is due.
pub fn status(db: &Db) -> Result<BackupStatus> {
    let last_at =
        crate::base::settings::get_value(db, LAST_AT)?.and_then(|v| v.parse::<i64>().ok());
    let days_since = last_at.map(|t| (crate::base::clock::now() - t).max(0) / 86_400);
    Ok(BackupStatus {
        last_at,
        days_since,
        due: days_since.is_none_or(|d| d > REMIND_AFTER_DAYS),
    })
}

fn open(
    path: &Path,
) -> Result<(
    ZipArchive<std::io::BufReader<std::fs::File>>,
    BackupManifest,
)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let f = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
    let len = f.metadata().map_err(|e| CoreError::io(path, e))?.len();
    crate::base::limits::check_len(&name, crate::base::limits::ImportKind::Backup, len)?;
    let mut zip = ZipArchive::new(std::io::BufReader::new(f))
        .map_err(|e| bad(&name, "not-a-backup", e.to_string()))?;
    let manifest: BackupManifest = {
        let mut e = zip
            .by_name(MANIFEST)
            .map_err(|_| bad(&name, "not-a-backup", MANIFEST))?;
        if e.size() > 64 * 1024 * 1024 {
            return Err(bad(&name, "not-a-backup", MANIFEST));
        }
        let mut text = Vec::new();
        (&mut e)
            .take(64 * 1024 * 1024)
            .read_to_end(&mut text)
            .map_err(|e| bad(&name, "not-a-backup", e.to_string()))?;
        serde_json::from_slice(&text).map_err(|e| bad(&name, "not-a-backup", e.to_string()))?
    };
    if manifest.format != FORMAT {
        return Err(bad(&name, "backup-format", manifest.format.to_string()));
    }
    let mut seen = std::collections::HashSet::new();
    for f in &manifest.files {
        let allowed = f.path == DB_ENTRY
            || f.path == KEY_ENTRY
            || FOLDERS.iter().any(|d| f.path.starts_with(&format!("{d}/")));
        if !allowed
            || !crate::broadcast::package::safe_name(&f.path)
            || !seen.insert(f.path.as_str())
        {
            return Err(bad(&name, "backup-damaged", f.path.clone()));
        }
    }
    if !seen.contains(DB_ENTRY) {
        return Err(bad(&name, "backup-damaged", DB_ENTRY));
    }
    Ok((zip, manifest))
}

/// What a backup holds, read from its list (nothing is unpacked).
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    let (_, m) = open(path)?;
    Ok(info_of(path, &m))
}

fn info_of(path: &Path, m: &BackupManifest) -> BackupInfo {
    BackupInfo {
        path: path.display().to_string(),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        created: m.created.clone(),
        station: m.station.clone(),
        key_id: m.key_id.clone(),
        files: m.files.len() as u32,
    }
}

/// Whether a data folder holds no work: restoring never overwrites any.
/// A database the app just made (no scripts, glossary, takes, packages,
/// no key) counts as empty.
pub fn is_empty_station(data_dir: &Path) -> Result<bool> {
    // One entry is enough to say no: the folders are not walked (Settings
    // asks this each time it opens, and a station has thousands of takes).
    let holds_files = FOLDERS.iter().any(|f| {
        std::fs::read_dir(data_dir.join(f)).is_ok_and(|mut entries| {
            entries.any(|e| {
                e.is_ok_and(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    !name.starts_with('.')
                        && !name.ends_with(crate::record::audio::take::RECORDING_SUFFIX)
                })
            })
        })
    });
    if holds_files || data_dir.join(KEY_ENTRY).exists() {
        return Ok(false);
    }
    let db_path = data_dir.join(crate::base::store::DB_FILE);
    if !db_path.exists() {
        return Ok(true);
    }
    let conn = rusqlite::Connection::open(&db_path)?;
    let version = crate::base::store::schema_version(&conn)?;
    if version == 0 {
        return Ok(true);
    }
    let mut any = false;
    for table in ["scripts", "concepts", "takes", "packages", "tm_units"] {
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if exists {
            any |= conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), [], |r| {
                r.get::<_, bool>(0)
            })?;
        }
    }
    Ok(!any)
}

/// Restores a backup into `data_dir`, which must hold no work (see
/// [`is_empty_station`]); the caller holds the folder's lock and has no
/// connection open on its database. Every file is checked against the
/// backup's list before any is moved in. `progress(done, total)` counts
/// bytes; false cancels and leaves the folder as it was.
pub fn restore(
    path: &Path,
    data_dir: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<BackupInfo> {
    if !is_empty_station(data_dir)? {
        return Err(CoreError::invalid("restore", "not-empty"));
    }
    let (mut zip, manifest) = open(path)?;
    let info = info_of(path, &manifest);
    std::fs::create_dir_all(data_dir).map_err(|e| CoreError::io(data_dir, e))?;
    let staging = data_dir.join(format!(
        "{STAGING_PREFIX}{}",
        crate::broadcast::package::new_uuid()?
    ));
    std::fs::create_dir(&staging).map_err(|e| CoreError::io(&staging, e))?;
    let unpacked = unpack(&mut zip, &manifest, &staging, path, progress).and_then(|()| {
        check_database(&staging.join(DB_ENTRY))?;
        let ready = staging.join(READY);
        std::fs::write(&ready, b"").map_err(|e| CoreError::io(&ready, e))
    });
    if let Err(e) = unpacked {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    move_in(&staging, data_dir)?;
    // The snapshot was taken before its own backup was recorded: the
    // station restored was last backed up by this very file.
    let conn = rusqlite::Connection::open(data_dir.join(crate::base::store::DB_FILE))?;
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        rusqlite::params![LAST_AT, manifest.created_unix.to_string()],
    )?;
    Ok(info)
}

fn unpack(
    zip: &mut ZipArchive<std::io::BufReader<std::fs::File>>,
    manifest: &BackupManifest,
    staging: &Path,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<()> {
    let name = path.display().to_string();
    let total: u64 = manifest.files.iter().map(|f| f.size).sum();
    let mut done = 0u64;
    let mut tick = |d: u64| progress(d, total);
    for f in &manifest.files {
        let mut e = zip
            .by_name(&f.path)
            .map_err(|_| bad(&name, "backup-damaged", f.path.clone()))?;
        if e.size() != f.size {
            return Err(bad(&name, "backup-damaged", f.path.clone()));
        }
        let target = staging.join(&f.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CoreError::io(parent, e))?;
        }
        let mut out = std::fs::File::create_new(&target).map_err(|e| CoreError::io(&target, e))?;
        let mut limited = (&mut e).take(f.size + 1);
        let (size, sha256) = copy_hashed(&mut limited, &mut out, &target, &mut done, &mut tick)
            .map_err(|err| match err {
                CoreError::Io { .. } if target.exists() => {
                    bad(&name, "backup-damaged", f.path.clone())
                }
                other => other,
            })?;
        if size != f.size || sha256 != f.sha256 {
            return Err(bad(&name, "backup-damaged", f.path.clone()));
        }
        out.sync_all().map_err(|e| CoreError::io(&target, e))?;
    }
    Ok(())
}

/// The restored database must open, be intact and not be newer than this
/// app.
fn check_database(path: &Path) -> Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(bad(DB_ENTRY, "backup-damaged", ok));
    }
    let v = crate::base::store::schema_version(&conn)?;
    if v > crate::base::store::latest_version() {
        return Err(CoreError::SchemaTooNew {
            found: v,
            supported: crate::base::store::latest_version(),
        });
    }
    Ok(())
}

/// Moves a complete staging folder's contents into the data folder, the
/// database last, replacing the empty database the app made. Safe to run
/// again after a crash part-way: what is already moved is skipped.
fn move_in(staging: &Path, data_dir: &Path) -> Result<()> {
    let mv = |from: &Path, to: &Path| -> Result<()> {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CoreError::io(parent, e))?;
        }
        std::fs::rename(from, to).map_err(|e| CoreError::io(to, e))
    };
    for rel in FOLDERS.iter().copied().chain(["keys"]) {
        let from = staging.join(rel);
        if from.exists() {
            let to = data_dir.join(rel);
            // An empty folder the app made is in the way; a full one is
            // not possible here (the station was checked empty).
            let _ = std::fs::remove_dir(&to);
            mv(&from, &to)?;
        }
    }
    let from = staging.join(DB_ENTRY);
    if from.exists() {
        let db = data_dir.join(crate::base::store::DB_FILE);
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(
                data_dir.join(format!("{}{suffix}", crate::base::store::DB_FILE)),
            );
        }
        let _ = std::fs::remove_file(&db);
        mv(&from, &db)?;
    }
    std::fs::remove_dir_all(staging).map_err(|e| CoreError::io(staging, e))
}

/// At start, under the folder's lock: a restore that was cut off after its
/// files were all checked is finished; one cut off before is removed.
pub fn finish_interrupted(data_dir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(STAGING_PREFIX) {
            continue;
        }
        let staging = e.path();
        if staging.join(READY).exists() {
            move_in(&staging, data_dir)?;
        } else {
            let _ = std::fs::remove_dir_all(&staging);
        }
    }
    Ok(())
}

/// Backups lying at the top of these folders (the export folder, USB
/// sticks), newest first, for the restore dialog to offer.
pub fn find(dirs: &[PathBuf]) -> Vec<BackupInfo> {
    let mut out: Vec<BackupInfo> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == EXTENSION) && p.is_file())
        .filter_map(|p| inspect(&p).ok())
        .collect();
    out.sort_by(|a, b| b.created.cmp(&a.created));
    out
}
