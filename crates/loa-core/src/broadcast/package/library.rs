//! The packages this station built or received: importing a verified
//! package into the library, trusting an issuer, listing and opening them.

use super::verify::{self, Checked, Trust};
use super::{refuse, FileKind, Manifest};
use crate::base::clock::now;
use crate::base::error::{CoreError, PackageProblem, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::broadcast::key::StationKey;
use crate::draft::script::{Category, Priority};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "PackageDirection")]
pub enum Direction {
    Sent,
    Received,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageSummary {
    pub id: i64,
    /// The manifest's id.
    pub uuid: String,
    pub direction: Direction,
    pub title: String,
    /// Who sent it: the name of the station whose key signed it, as this
    /// PC's directory has it; the manifest's own words only for a station
    /// not in the directory.
    pub issuer_name: String,
    pub issuer_code: String,
    /// What the manifest claims when it differs from the signing station's
    /// name or code here: a trusted key speaking as someone else.
    #[ts(optional)]
    pub claimed_issuer: Option<String>,
    pub key_id: String,
    pub priority: Priority,
    pub created: String,
    pub valid_from: String,
    pub valid_until: String,
    pub items: u32,
    pub seconds: f64,
    pub langs: Vec<String>,
    pub file_name: String,
    pub bytes: u64,
    pub recorded_at: i64,
    /// Past its last valid day.
    pub expired: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageItem {
    pub id: i64,
    pub seq: u32,
    pub script_id: i64,
    pub revision: u32,
    pub lang: String,
    pub title: String,
    pub program: String,
    pub category: Category,
    pub seconds: f64,
    #[ts(optional)]
    pub lufs: Option<f64>,
    #[ts(optional)]
    pub true_peak_db: Option<f64>,
    /// Received items: the MP3 on this PC.
    #[ts(optional)]
    pub audio_path: Option<String>,
    /// Received items: the text to read.
    pub text: String,
    pub has_subtitles: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageDetail {
    pub summary: PackageSummary,
    pub items: Vec<PackageItem>,
    pub slots: Vec<String>,
    pub targets: super::Targets,
}

/// What a package is and whether it can be imported, for the dialog that
/// offers to trust an unknown issuer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackageInspected")]
pub struct Inspected {
    pub manifest: Manifest,
    pub trusted: bool,
    /// Imported before (perhaps since deleted): it will not be again.
    pub already_imported: bool,
    pub bytes: u64,
    /// Who signed it, by this PC's directory (see [`PackageSummary::issuer_name`]).
    pub issuer_name: String,
    /// The manifest's claim, when it differs from the signing station.
    #[ts(optional)]
    pub claimed_issuer: Option<String>,
    /// Its targets name this station, or it names none.
    pub addressed: bool,
    /// Not trusted, and the station the manifest names already has another
    /// trusted key: the likeliest sign of a forgery (or of a new PC at the
    /// issuer, which only a phone call can tell apart). Trusting this key
    /// then replaces that one and takes its own confirmation.
    #[ts(optional)]
    pub other_trusted_key: Option<String>,
}

fn packages_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("packages")
}

fn own_key_id(data_dir: &Path) -> Result<Option<String>> {
    Ok(StationKey::load(data_dir)?.map(|k| k.key_id()))
}

fn verify_staged(
    db: &Db,
    data_dir: &Path,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Checked> {
    let today = crate::base::clock::today(db.conn())?;
    verify::verify_file(
        db.conn(),
        own_key_id(data_dir)?.as_deref(),
        path,
        today,
        progress,
    )
}

/// The received package with this manifest id, if it is in the library.
fn received(conn: &Connection, uuid: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM packages WHERE uuid = ?1 AND direction = 'received'",
            [uuid],
            |r| r.get(0),
        )
        .optional()?)
}

/// Whether a package with this id was ever imported here, deleted since or
/// not: a package airs from one import only.
fn ever_imported(conn: &Connection, uuid: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM imported_packages WHERE uuid = ?1",
            [uuid],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The station that signed, as this PC knows it: (station id, name, code).
fn signer(db: &Db, trust: &Trust) -> Result<Option<(i64, String, String)>> {
    let id = match trust {
        Trust::Own => crate::base::settings::load(db)?.station_id,
        Trust::Station(id) => Some(*id),
        Trust::Unknown => None,
    };
    id.map(|id| {
        crate::broadcast::station::get(db, id)
            .map(|d| (id, d.summary.name, d.summary.admin_code.unwrap_or_default()))
    })
    .transpose()
}

/// The manifest's issuer as it reads, when it is not the station `name`
/// (code `code`): another name (tone placement and case aside) or a code
/// the station does not have.
fn claim_differs(
    (claimed_name, claimed_code): (&str, &str),
    name: &str,
    code: &str,
) -> Option<String> {
    let claimed_code = claimed_code.trim();
    let same_name = text::fold(claimed_name) == text::fold(name);
    let same_code = claimed_code.is_empty() || claimed_code == code.trim();
    (!same_name || !same_code).then(|| {
        if claimed_code.is_empty() {
            claimed_name.to_string()
        } else {
            format!("{claimed_name} ({claimed_code})")
        }
    })
}

/// Whether the package is for this station: it names no targets, or its
/// target stations include this one (by code, else by name). A package
/// that names only groups, which are the issuer's own, counts as addressed.
fn addressed(db: &Db, targets: &super::Targets) -> Result<bool> {
    if targets.stations.is_empty() {
        return Ok(true);
    }
    let Some(own) = crate::broadcast::station::own(db)? else {
        return Ok(true);
    };
    let code = own.admin_code.unwrap_or_default();
    Ok(targets.stations.iter().any(|t| {
        (!code.is_empty() && t.admin_code.trim() == code)
            || (t.admin_code.trim().is_empty() && text::fold(&t.name) == text::fold(&own.name))
    }))
}

/// Every check but trust: the manifest for a person to look at.
pub fn inspect(
    db: &Db,
    data_dir: &Path,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Inspected> {
    let c = verify_staged(db, data_dir, path, progress)?;
    let issuer = &c.manifest.issuer;
    let other_trusted_key = match c.trust {
        Trust::Unknown => {
            match crate::broadcast::station::for_issuer(
                db.conn(),
                &issuer.station,
                &issuer.admin_code,
            )? {
                Some(id) => crate::broadcast::station::trusted_key_id(db.conn(), id)?
                    .filter(|k| *k != issuer.key_id),
                None => None,
            }
        }
        _ => None,
    };
    let (issuer_name, claimed_issuer) = match signer(db, &c.trust)? {
        Some((_, name, code)) => {
            let claim = claim_differs((&issuer.station, &issuer.admin_code), &name, &code);
            (name, claim)
        }
        None => (issuer.station.clone(), None),
    };
    Ok(Inspected {
        already_imported: ever_imported(db.conn(), &c.manifest.id)?,
        trusted: c.trust != Trust::Unknown,
        issuer_name,
        claimed_issuer,
        addressed: addressed(db, &c.manifest.targets)?,
        manifest: c.manifest,
        bytes: c.bytes,
        other_trusted_key,
    })
}

/// Trusts the key that signed this (otherwise valid) package, as the key of
/// the issuing station: the station the manifest names (by administrative
/// code, else by name), or a new station of that name. Call only after a
/// person compared the key id with the issuer. Replacing a station's
/// trusted key also needs `confirm_replace`, the new key id's last group.
pub fn trust_issuer(
    db: &mut Db,
    data_dir: &Path,
    path: &Path,
    key_id: &str,
    confirm_replace: Option<&str>,
) -> Result<crate::broadcast::station::StationDetail> {
    let c = verify_staged(db, data_dir, path, &mut |_, _| true)?;
    let issuer = &c.manifest.issuer;
    // The person confirmed a key id; it must be the one in this package.
    if issuer.key_id != key_id.trim().to_ascii_uppercase() {
        return Err(refuse(PackageProblem::Signature, issuer.key_id.clone()));
    }
    let info = crate::broadcast::key::PublicKeyInfo {
        station: issuer.station.clone(),
        admin_code: issuer.admin_code.clone(),
        key_id: issuer.key_id.clone(),
        public_key: issuer.public_key.to_ascii_lowercase(),
    };
    let tx = db.conn_mut().transaction()?;
    let id = match crate::broadcast::station::for_issuer(&tx, &issuer.station, &issuer.admin_code)?
    {
        Some(id) => id,
        None => crate::broadcast::station::create_in(&tx, &issuer.station, &issuer.admin_code)?,
    };
    crate::broadcast::station::check_replacement(&tx, id, &info.key_id, confirm_replace)?;
    crate::broadcast::station::set_key(&tx, id, &info, true)?;
    tx.commit()?;
    crate::broadcast::station::get(db, id)
}

/// Verifies the package completely, then copies its files into the
/// library and records it, all or nothing. An untrusted, altered, expired or
/// malformed package is refused with its reason and leaves no trace.
/// `file_name` is what the user's file was called (a staged copy has a
/// name of its own); None takes the path's.
pub fn import(
    db: &mut Db,
    data_dir: &Path,
    path: &Path,
    file_name: Option<&str>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<PackageDetail> {
    // Half the progress for checking, half for copying.
    let c = verify_staged(db, data_dir, path, &mut |d, t| {
        progress(d, t.saturating_mul(2))
    })?;
    let issuer_station = match c.trust {
        Trust::Unknown => {
            return Err(refuse(
                PackageProblem::Untrusted,
                c.manifest.issuer.key_id.clone(),
            ))
        }
        Trust::Own => crate::base::settings::load(db)?.station_id,
        Trust::Station(id) => Some(id),
    };
    if ever_imported(db.conn(), &c.manifest.id)? {
        return Err(CoreError::invalid("package", "already-imported"));
    }
    let root = packages_dir(data_dir);
    // A folder of this attempt's own: two imports of one package (two
    // windows, a double click) never write into or delete each other's.
    let attempt = super::new_uuid()?;
    let staging = root.join(format!(".part-{}-{attempt}", c.manifest.id));
    let target = root.join(&c.manifest.id);
    std::fs::create_dir_all(&root).map_err(|e| CoreError::io(&root, e))?;
    std::fs::create_dir(&staging).map_err(|e| CoreError::io(&staging, e))?;
    let result = (|| -> Result<i64> {
        let total: u64 = c
            .manifest
            .items
            .iter()
            .flat_map(|i| &i.files)
            .map(|f| f.size)
            .sum();
        verify::extract(path, &c.manifest, &staging, &mut |d, _| {
            progress(total + d, total.saturating_mul(2))
        })?;
        let tx = db.conn_mut().transaction()?;
        let file_name = match file_name {
            Some(n) => crate::base::text::clean_line(n),
            None => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let id = record(
            &tx,
            "received",
            &c.manifest,
            &c.manifest_text,
            &file_name,
            c.bytes,
            issuer_station,
            |item| {
                item.files
                    .first()
                    .and_then(|f| f.path.rsplit_once('/'))
                    .map(|(folder, _)| format!("packages/{}/{folder}", c.manifest.id))
                    .unwrap_or_default()
            },
        )?;
        // The record of the import outlives the package: INSERT (not OR
        // IGNORE), so of two racing imports the second fails here.
        tx.execute(
            "INSERT INTO imported_packages(uuid, imported_at) VALUES (?1, ?2)",
            params![c.manifest.id, now()],
        )?;
        // Renamed before the commit: a crash in between leaves a folder
        // no record names, which [`clear_orphans`] removes at the next
        // start; the other order would leave a record without its files.
        std::fs::rename(&staging, &target).map_err(|e| CoreError::io(&target, e))?;
        tx.commit()?;
        Ok(id)
    })();
    match result {
        Ok(id) => get(db, data_dir, id),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            if received(db.conn(), &c.manifest.id)?.is_none() {
                let _ = std::fs::remove_dir_all(&target);
            }
            Err(e)
        }
    }
}

/// Stores a package's record and items (inside the caller's transaction);
/// returns its id.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    conn: &Connection,
    direction: &str,
    m: &Manifest,
    manifest_text: &str,
    file_name: &str,
    bytes: u64,
    issuer_station: Option<i64>,
    folder: impl Fn(&super::Item) -> String,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO packages(uuid, direction, title, issuer_station_id, issuer_name, issuer_code,
            key_id, created, valid_from, valid_until, priority, slots, targets, manifest,
            file_name, bytes, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            m.id,
            direction,
            text::canonical_vi_line(&m.title),
            issuer_station,
            text::canonical_vi_line(&m.issuer.station),
            text::clean_line(&m.issuer.admin_code),
            m.issuer.key_id,
            m.created,
            m.valid_from.to_string(),
            m.valid_until.to_string(),
            m.priority.as_str(),
            serde_json::to_string(&m.slots).expect("json"),
            serde_json::to_string(&m.targets).expect("json"),
            manifest_text,
            file_name,
            bytes as i64,
            now(),
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut insert = conn.prepare_cached(
        "INSERT INTO package_items(package_id, seq, script_id, revision, lang, title, program,
            category, seconds, lufs, true_peak_db, folder)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (n, item) in m.items.iter().enumerate() {
        insert.execute(params![
            id,
            n as i64 + 1,
            item.script_id,
            item.revision,
            text::clean_line(&item.lang),
            text::canonical_vi_line(&item.title),
            text::canonical_vi_line(&item.program),
            item.category.as_str(),
            item.seconds,
            item.lufs,
            item.true_peak_db,
            folder(item),
        ])?;
    }
    Ok(id)
}

// The issuer is shown by the signing station's row here (columns 17, 18)
// whenever the package is tied to one; the manifest's words (4, 5) only
// say what it claimed.
const SUMMARY_SELECT: &str =
    "SELECT p.id, p.uuid, p.direction, p.title, p.issuer_name, p.issuer_code,
    p.key_id, p.priority, p.created, p.valid_from, p.valid_until,
    (SELECT count(*) FROM package_items i WHERE i.package_id = p.id),
    (SELECT coalesce(sum(seconds), 0) FROM package_items i WHERE i.package_id = p.id),
    (SELECT group_concat(lang) FROM (SELECT DISTINCT lang FROM package_items i
                                      WHERE i.package_id = p.id ORDER BY lang)),
    p.file_name, p.bytes, p.recorded_at, st.name, st.admin_code
  FROM packages p LEFT JOIN stations st ON st.id = p.issuer_station_id";

fn summary_row(today: &str) -> impl Fn(&rusqlite::Row) -> rusqlite::Result<PackageSummary> + '_ {
    move |r| {
        let valid_until: String = r.get(10)?;
        let (claimed_name, claimed_code): (String, String) = (r.get(4)?, r.get(5)?);
        let signer: Option<(String, String)> = r
            .get::<_, Option<String>>(17)?
            .map(|n| {
                Ok::<_, rusqlite::Error>((n, r.get::<_, Option<String>>(18)?.unwrap_or_default()))
            })
            .transpose()?;
        let (issuer_name, issuer_code, claimed_issuer) = match signer {
            Some((name, code)) => {
                let differs = claim_differs((&claimed_name, &claimed_code), &name, &code);
                (name, code, differs)
            }
            None => (claimed_name, claimed_code, None),
        };
        Ok(PackageSummary {
            id: r.get(0)?,
            uuid: r.get(1)?,
            direction: if r.get::<_, String>(2)? == "sent" {
                Direction::Sent
            } else {
                Direction::Received
            },
            title: r.get(3)?,
            issuer_name,
            issuer_code,
            claimed_issuer,
            key_id: r.get(6)?,
            priority: Priority::parse(&r.get::<_, String>(7)?).unwrap_or(Priority::Normal),
            created: r.get(8)?,
            valid_from: r.get(9)?,
            expired: valid_until.as_str() < today,
            valid_until,
            items: r.get(11)?,
            seconds: r.get(12)?,
            langs: r
                .get::<_, Option<String>>(13)?
                .unwrap_or_default()
                .split(',')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            file_name: r.get(14)?,
            bytes: r.get::<_, i64>(15)? as u64,
            recorded_at: r.get(16)?,
        })
    }
}

/// Packages of one direction: emergencies first, then the newest.
pub fn list(db: &Db, direction: Direction) -> Result<Vec<PackageSummary>> {
    let today = crate::base::clock::today(db.conn())?.to_string();
    let mut stmt = db.conn().prepare_cached(&format!(
        "{SUMMARY_SELECT} WHERE p.direction = ?1
         ORDER BY p.priority = 'emergency' DESC, p.valid_until < ?2, p.priority = 'priority' DESC,
                  p.recorded_at DESC"
    ))?;
    let dir = match direction {
        Direction::Sent => "sent",
        Direction::Received => "received",
    };
    let rows = stmt.query_map(params![dir, today], summary_row(&today))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(db: &Db, data_dir: &Path, id: i64) -> Result<PackageDetail> {
    let today = crate::base::clock::today(db.conn())?.to_string();
    let conn = db.conn();
    let summary = conn
        .query_row(
            &format!("{SUMMARY_SELECT} WHERE p.id = ?1"),
            [id],
            summary_row(&today),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("package", id))?;
    let (slots, targets, manifest): (String, String, String) = conn.query_row(
        "SELECT slots, targets, manifest FROM packages WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let manifest: Option<Manifest> = serde_json::from_str(&manifest).ok();
    let mut stmt = conn.prepare_cached(
        "SELECT id, seq, script_id, revision, lang, title, program, category, seconds, lufs,
                true_peak_db, folder
           FROM package_items WHERE package_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            PackageItem {
                id: r.get(0)?,
                seq: r.get(1)?,
                script_id: r.get(2)?,
                revision: r.get(3)?,
                lang: r.get(4)?,
                title: r.get(5)?,
                program: r.get(6)?,
                category: Category::parse(&r.get::<_, String>(7)?).unwrap_or(Category::Other),
                seconds: r.get(8)?,
                lufs: r.get(9)?,
                true_peak_db: r.get(10)?,
                audio_path: None,
                text: String::new(),
                has_subtitles: false,
            },
            r.get::<_, String>(11)?,
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (mut item, folder) = row?;
        let entry = manifest
            .as_ref()
            .and_then(|m| m.items.get(item.seq as usize - 1));
        if let Some(e) = entry {
            item.has_subtitles = e.file(FileKind::Subtitles).is_some();
        }
        if !folder.is_empty() {
            let dir = data_dir.join(&folder);
            item.audio_path = Some(dir.join("audio.mp3").display().to_string());
            item.text = std::fs::read_to_string(dir.join("script.txt"))
                .map(|t| text::clean(&t).trim().to_string())
                .unwrap_or_default();
        }
        items.push(item);
    }
    Ok(PackageDetail {
        summary,
        items,
        slots: serde_json::from_str(&slots).unwrap_or_default(),
        targets: serde_json::from_str(&targets).unwrap_or_default(),
    })
}

/// Removes a package from the library, with its files.
pub fn delete(db: &Db, data_dir: &Path, id: i64) -> Result<()> {
    let (uuid, direction): (String, String) = db
        .conn()
        .query_row(
            "SELECT uuid, direction FROM packages WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("package", id))?;
    db.conn()
        .execute("DELETE FROM packages WHERE id = ?1", [id])?;
    if direction != "received" {
        return Ok(());
    }
    // The uuid was checked when stored, so this stays inside packages/.
    let dir = packages_dir(data_dir).join(&uuid);
    if super::safe_name(&uuid) && dir.is_dir() {
        std::fs::remove_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    }
    Ok(())
}

/// The MP3 of a received item on this PC.
pub fn item_audio(db: &Db, data_dir: &Path, item_id: i64) -> Result<PathBuf> {
    let folder: String = db
        .conn()
        .query_row(
            "SELECT folder FROM package_items WHERE id = ?1",
            [item_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("item", item_id))?;
    if folder.is_empty() {
        return Err(CoreError::not_found("item", item_id));
    }
    Ok(data_dir.join(folder).join("audio.mp3"))
}

/// Removes imports cut short by a crash or power cut: their temporary
/// folders, and package folders that no record names (a crash between the
/// rename and the commit). Called at start, under the data folder's lock,
/// before anything is imported.
pub fn clear_orphans(db: &Db, data_dir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(packages_dir(data_dir)) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let orphan = if name.starts_with(".part-") {
            true
        } else if super::is_uuid(&name) && e.path().is_dir() {
            received(db.conn(), &name)?.is_none()
        } else {
            false
        };
        if orphan {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    Ok(())
}
