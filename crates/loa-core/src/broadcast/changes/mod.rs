//! Shared terminology on the move (docs/shared-terminology.md): this
//! station's changes sealed into sets signed with its key, sets received
//! from the hub or a `.loachanges` file checked and applied, the same way
//! whatever carried them.

use crate::base::clock::now;
use crate::base::error::{ChangesProblem, CoreError, Result};
use crate::base::limits::{self, ImportKind};
use crate::base::store::Db;
use crate::broadcast::key::{self, StationKey};
use crate::translate::sharing::{self, Change, Kind};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod approvers;

pub const FORMAT: &str = "loa-changes-1";
const FILE_FORMAT: &str = "loa-changes-file-1";
/// Changes per set: a set is signed, sent and applied whole.
pub const SET_MAX: usize = 2000;
/// What no office's change needs: longer is refused, not stored.
const MAX_SET_BYTES: usize = 32 * 1024 * 1024;
const MAX_TEXT: usize = 64;
const MAX_VALUE_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signer {
    pub key_id: String,
    pub public_key: String,
    pub station: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeSet {
    pub format: String,
    pub id: String,
    pub signer: Signer,
    pub changes: Vec<Change>,
    /// The languages its changes speak of, as the signer has them: a
    /// station that lacks one adds it (never overwriting its own), so a
    /// language the province added reaches every commune with its terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LanguageDef>,
}

/// A language as a set carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LanguageDef {
    pub code: String,
    pub name_vi: String,
    #[serde(default)]
    pub name_native: String,
    pub script: String,
}

/// Languages a set may define: more than any province keeps.
const MAX_LANGUAGES: usize = 64;

/// A set as carried: exactly the bytes signed, and the signature (hex).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedSet {
    pub body: String,
    pub signature: String,
}

#[derive(Serialize, Deserialize)]
struct FileDoc {
    format: String,
    sets: Vec<SignedSet>,
}

/// Where a set came from: the hub only carries enrolled stations' sets; a
/// file may carry anyone's, so its signers must be trusted here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Hub,
    File,
}

fn refuse(problem: ChangesProblem, detail: impl Into<String>) -> CoreError {
    CoreError::Changes {
        problem,
        detail: detail.into(),
    }
}

/// Seals this station's pending changes into signed sets (after recording,
/// on first use, what it held before sharing began). Returns how many sets
/// were made.
pub fn seal(db: &mut Db, data_dir: &Path) -> Result<usize> {
    db.with_large_cache(|db| seal_in(db, data_dir))
}

fn seal_in(db: &mut Db, data_dir: &Path) -> Result<usize> {
    let info = crate::broadcast::station::own_key_info(db, data_dir)?;
    let station_key = StationKey::own(db, data_dir)?;
    let who = crate::base::settings::get_value(db, "user.name")?.unwrap_or_default();
    let tx = db.conn_mut().transaction()?;
    // What was there before sharing began is recorded once; every edit
    // since records itself.
    let adopted: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM settings WHERE key = 'sharing.adopted')",
        [],
        |r| r.get(0),
    )?;
    if !adopted {
        crate::translate::glossary::share_untracked(&tx, &who)?;
        crate::translate::memory::share_untracked(&tx)?;
        tx.execute(
            "INSERT INTO settings(key, value) VALUES ('sharing.adopted', '1')",
            [],
        )?;
    }
    let mut sets = 0;
    loop {
        let changes = sharing::unsealed(&tx, SET_MAX)?;
        if changes.is_empty() {
            break;
        }
        let languages = definitions(&tx, &changes)?;
        let set = ChangeSet {
            format: FORMAT.into(),
            id: crate::base::uid::random()?,
            signer: Signer {
                key_id: info.key_id.clone(),
                public_key: info.public_key.clone(),
                station: info.station.clone(),
            },
            changes,
            languages,
        };
        let body = serde_json::to_string(&set)
            .map_err(|e| refuse(ChangesProblem::Damaged, e.to_string()))?;
        let signature = key::hex(&station_key.sign(body.as_bytes()));
        tx.execute(
            "INSERT INTO change_sets(id, key_id, station, body, signature, own, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
            params![
                set.id,
                info.key_id,
                info.station,
                body.as_bytes(),
                signature,
                now()
            ],
        )?;
        let mut mark =
            tx.prepare_cached("UPDATE changes SET set_id = ?2, key_id = ?3 WHERE id = ?1")?;
        for c in &set.changes {
            mark.execute(params![c.id, set.id, info.key_id])?;
        }
        sets += 1;
    }
    tx.commit()?;
    Ok(sets)
}

/// The language codes a set's changes need to be applied.
fn languages_used(changes: &[Change]) -> std::collections::BTreeSet<String> {
    let mut codes = std::collections::BTreeSet::new();
    for c in changes {
        match c.kind {
            Kind::Term => {
                if let Some(l) = c.value.get("lang").and_then(|v| v.as_str()) {
                    codes.insert(l.to_string());
                }
            }
            Kind::Tm => {
                for f in ["sourceLang", "targetLang"] {
                    if let Some(l) = c.value.get(f).and_then(|v| v.as_str()) {
                        codes.insert(l.to_string());
                    }
                }
            }
            Kind::Approvers => {
                codes.insert(c.subject.clone());
            }
            _ => {}
        }
    }
    codes
}

/// This station's definitions of the languages `changes` speak of.
fn definitions(conn: &Connection, changes: &[Change]) -> Result<Vec<LanguageDef>> {
    let mut out = Vec::new();
    for code in languages_used(changes) {
        if let Ok(l) = crate::base::language::get(conn, &code) {
            out.push(LanguageDef {
                code: l.code,
                name_vi: l.name_vi,
                name_native: l.name_native,
                script: l.script,
            });
        }
    }
    Ok(out)
}

/// Adds the set's languages this station lacks, then holds the set if a
/// language its changes need is still missing.
fn ensure_languages(conn: &Connection, set: &ChangeSet, who: &str) -> Result<()> {
    for l in &set.languages {
        conn.execute(
            "INSERT OR IGNORE INTO languages(code, name_vi, name_native, script, sort)
             VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(sort), 0) + 1 FROM languages))",
            params![l.code, l.name_vi, l.name_native, l.script],
        )?;
    }
    let mut missing = Vec::new();
    for code in languages_used(&set.changes) {
        if crate::base::language::get(conn, &code).is_err() {
            missing.push(code);
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(refuse(
            ChangesProblem::UnknownLanguage,
            format!("{} — {who}", missing.join(", ")),
        ))
    }
}

/// Checks a set's signature and shape; returns it read.
pub fn verify(s: &SignedSet) -> Result<ChangeSet> {
    if s.body.len() > MAX_SET_BYTES {
        return Err(refuse(
            ChangesProblem::TooLarge,
            format!("{} bytes", s.body.len()),
        ));
    }
    let set: ChangeSet = serde_json::from_str(&s.body)
        .map_err(|e| refuse(ChangesProblem::Damaged, e.to_string()))?;
    if set.format != FORMAT {
        return Err(refuse(ChangesProblem::Damaged, set.format));
    }
    let who = format!("{} ({})", set.signer.station, set.signer.key_id);
    let public = key::decode_hex::<32>(&set.signer.public_key)
        .ok_or_else(|| refuse(ChangesProblem::Signature, who.clone()))?;
    let signature = key::decode_hex::<64>(&s.signature)
        .ok_or_else(|| refuse(ChangesProblem::Signature, who.clone()))?;
    if key::key_id(&public) != set.signer.key_id
        || !key::verify(&public, s.body.as_bytes(), &signature)
    {
        return Err(refuse(ChangesProblem::Signature, who));
    }
    if set.changes.len() > SET_MAX || set.languages.len() > MAX_LANGUAGES {
        return Err(refuse(ChangesProblem::TooLarge, who));
    }
    for l in &set.languages {
        let name = |t: &str, empty_ok: bool| {
            (empty_ok || !t.trim().is_empty())
                && t.chars().count() <= MAX_TEXT
                && !t.chars().any(char::is_control)
        };
        if !crate::base::language::valid_code(&l.code)
            || !name(&l.name_vi, false)
            || !name(&l.name_native, true)
            || !crate::base::language::SCRIPTS.contains(&l.script.as_str())
        {
            return Err(refuse(ChangesProblem::Damaged, who));
        }
    }
    for c in &set.changes {
        let short = |t: &str| !t.is_empty() && t.len() <= MAX_TEXT;
        if !short(&set.id)
            || !short(&c.id)
            || !short(&c.subject)
            || c.base.len() > 64
            || c.base.iter().any(|b| !short(b))
            || c.author.len() > 200
            || !c.value.is_object()
            || c.value.to_string().len() > MAX_VALUE_BYTES
        {
            return Err(refuse(ChangesProblem::TooLarge, who));
        }
    }
    Ok(set)
}

fn trusted(conn: &Connection, key_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM stations WHERE key_id = ?1 AND trusted_at IS NOT NULL)",
        [key_id],
        |r| r.get(0),
    )?)
}

/// Checks and applies one set; returns how many of its changes were new.
/// This station's own sets, and sets seen before, change nothing.
pub fn receive(conn: &Connection, s: &SignedSet, via: Via) -> Result<usize> {
    receive_checked(conn, s, via, || verify(s))
}

/// [`receive`] with the signature check's result coming from `checked`
/// (done on another thread by [`each_checked`]).
fn receive_checked(
    conn: &Connection,
    s: &SignedSet,
    via: Via,
    checked: impl FnOnce() -> Result<ChangeSet>,
) -> Result<usize> {
    // A set already here is passed over before its signature is checked
    // again: a file or feed repeats most of what a station has.
    #[derive(Deserialize)]
    struct Head {
        id: String,
    }
    if let Ok(head) = serde_json::from_str::<Head>(&s.body) {
        let known: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM change_sets WHERE id = ?1)",
            [&head.id],
            |r| r.get(0),
        )?;
        if known {
            return Ok(0);
        }
    }
    let set = checked()?;
    if sharing::own_key_id(conn)? == set.signer.key_id {
        return Ok(0);
    }
    let who = format!("{} ({})", set.signer.station, set.signer.key_id);
    let is_trusted = trusted(conn, &set.signer.key_id)?;
    if via == Via::File && !is_trusted {
        return Err(refuse(ChangesProblem::Untrusted, who));
    }
    if set.changes.iter().any(|c| c.kind == Kind::Approvers) && !is_trusted {
        return Err(refuse(ChangesProblem::NotAllowed, who));
    }
    ensure_languages(conn, &set, &who)?;
    conn.execute(
        "INSERT INTO change_sets(id, key_id, station, body, signature, own, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
        params![
            set.id,
            set.signer.key_id,
            set.signer.station,
            s.body.as_bytes(),
            s.signature,
            now()
        ],
    )?;
    sharing::apply(conn, &set.id, &set.signer.key_id, &set.changes)
}

/// Calls `take` with each set and its checked form, in order, while a
/// second thread checks the next ones: on a first sync the signature checks
/// and parsing cost nothing on top of writing.
fn each_checked<'a>(
    sets: impl Iterator<Item = &'a SignedSet> + Clone + Send,
    mut take: impl FnMut(&'a SignedSet, Result<ChangeSet>) -> Result<()>,
) -> Result<()> {
    std::thread::scope(|scope| {
        // Two sets ahead at most: memory stays bounded by the sets' size.
        let (send, checked) = std::sync::mpsc::sync_channel(2);
        let ahead = sets.clone();
        scope.spawn(move || {
            for s in ahead {
                if send.send(verify(s)).is_err() {
                    break;
                }
            }
        });
        for (s, c) in sets.zip(checked) {
            take(s, c)?;
        }
        Ok(())
    })
}

/// One set of the hub's feed with its place in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedEntry {
    pub seq: i64,
    pub set: SignedSet,
}

/// Sets as `SELECT id, body, signature …` reads them.
fn sets(conn: &Connection, sql: &str) -> Result<Vec<(String, SignedSet)>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| {
        let body: Vec<u8> = r.get(1)?;
        Ok((
            r.get(0)?,
            SignedSet {
                body: String::from_utf8_lossy(&body).into_owned(),
                signature: r.get(2)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// This station's sets the hub has not taken yet: (set id, set).
pub fn unpushed(conn: &Connection) -> Result<Vec<(String, SignedSet)>> {
    sets(
        conn,
        "SELECT id, body, signature FROM change_sets WHERE own = 1 AND pushed = 0 ORDER BY rowid",
    )
}

/// The hub took the set (or refused it for good: not sent again).
pub fn pushed(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("UPDATE change_sets SET pushed = 1 WHERE id = ?1", [id])?;
    Ok(())
}

const CURSOR: &str = "hub.changes_cursor";

/// Where this station is in the hub's feed.
pub fn feed_cursor(db: &Db) -> Result<i64> {
    Ok(crate::base::settings::get_value(db, CURSOR)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// What a page of the feed brought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedResult {
    pub new: usize,
    /// Sets kept aside until their signer is trusted here.
    pub held: usize,
    /// Sets refused for good (not what their signature says).
    pub refused: usize,
}

/// Applies a page of the feed in one transaction and moves the cursor past
/// it. A set this station cannot take yet is held and tried again later;
/// one that fails its checks is skipped, so it cannot stop the feed.
pub fn receive_feed(db: &mut Db, entries: &[FeedEntry]) -> Result<FeedResult> {
    db.with_large_cache(|db| receive_feed_in(db, entries))
}

fn receive_feed_in(db: &mut Db, entries: &[FeedEntry]) -> Result<FeedResult> {
    let tx = db.conn_mut().transaction()?;
    let mut out = FeedResult::default();
    each_checked(entries.iter().map(|e| &e.set), |set, checked| {
        let id = checked.as_ref().map(|c| c.id.clone()).ok();
        // Each set on its own: one that cannot be applied leaves nothing
        // behind and is held, so it never stops the sets after it.
        tx.execute_batch("SAVEPOINT one_set")?;
        let applied = receive_checked(&tx, set, Via::Hub, || checked);
        if applied.is_err() {
            tx.execute_batch("ROLLBACK TO one_set")?;
        }
        tx.execute_batch("RELEASE one_set")?;
        match applied {
            Ok(n) => out.new += n,
            Err(e) => match held_problem(&e) {
                Some((problem, detail)) => {
                    tx.execute(
                        "INSERT OR IGNORE INTO change_sets_held(id, body, signature, problem, detail, received_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![id, set.body.as_bytes(), set.signature, problem, detail, now()],
                    )?;
                    out.held += 1;
                }
                None if matches!(e, CoreError::Changes { .. }) => out.refused += 1,
                None => return Err(e),
            },
        }
        Ok(())
    })?;
    if let Some(last) = entries.last() {
        tx.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![CURSOR, last.seq.to_string()],
        )?;
    }
    tx.commit()?;
    Ok(out)
}

/// Why a set that failed to apply is held rather than refused: the code
/// and detail to keep, or `None` for a set refused for good. An error that
/// is not the set's (a full disk, a failing drive) is returned as it is.
fn held_problem(e: &CoreError) -> Option<(&'static str, String)> {
    match e {
        CoreError::Changes {
            problem:
                problem @ (ChangesProblem::Untrusted
                | ChangesProblem::NotAllowed
                | ChangesProblem::UnknownLanguage),
            detail,
        } => Some((problem.code(), detail.clone())),
        CoreError::Db(rusqlite::Error::SqliteFailure(e, m))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Some((
                ChangesProblem::CannotApply.code(),
                m.clone().unwrap_or_default(),
            ))
        }
        _ => None,
    }
}

/// Tries the held sets again (after a key was trusted or a language
/// added); returns how many changes they brought.
pub fn retry_held(db: &mut Db) -> Result<usize> {
    let held = sets(
        db.conn(),
        "SELECT id, body, signature FROM change_sets_held ORDER BY rowid",
    )?;
    let mut new = 0;
    for (id, s) in held {
        let tx = db.conn_mut().transaction()?;
        match receive(&tx, &s, Via::Hub) {
            Ok(n) => {
                tx.execute("DELETE FROM change_sets_held WHERE id = ?1", [&id])?;
                tx.commit()?;
                new += n;
            }
            Err(e) => {
                drop(tx);
                match held_problem(&e) {
                    Some((problem, detail)) => {
                        db.conn().execute(
                            "UPDATE change_sets_held SET problem = ?2, detail = ?3 WHERE id = ?1",
                            params![id, problem, detail],
                        )?;
                    }
                    // It will never apply (its signature no longer checks).
                    None if matches!(e, CoreError::Changes { .. }) => {
                        db.conn()
                            .execute("DELETE FROM change_sets_held WHERE id = ?1", [&id])?;
                    }
                    None => return Err(e),
                }
            }
        }
    }
    Ok(new)
}

/// A set from the hub waiting here, and why.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "HeldChangeSet")]
pub struct HeldSet {
    pub id: String,
    /// The signing station as the set names it, and its key id.
    pub station: String,
    pub key_id: String,
    pub changes: u32,
    /// An error code (`changes-unknown-language`, …) the UI words.
    pub problem: String,
    pub detail: String,
    /// Unix seconds.
    pub received_at: i64,
}

/// The held sets, oldest first.
pub fn held(conn: &Connection) -> Result<Vec<HeldSet>> {
    #[derive(Deserialize)]
    struct Head {
        signer: Signer,
        #[serde(default)]
        changes: Vec<serde::de::IgnoredAny>,
    }
    let mut stmt = conn.prepare(
        "SELECT id, body, problem, detail, received_at FROM change_sets_held ORDER BY rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        let body: Vec<u8> = r.get(1)?;
        Ok((
            r.get::<_, String>(0)?,
            body,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, body, problem, detail, received_at) = row?;
        let head = serde_json::from_slice::<Head>(&body).ok();
        out.push(HeldSet {
            id,
            station: head
                .as_ref()
                .map(|h| h.signer.station.clone())
                .unwrap_or_default(),
            key_id: head
                .as_ref()
                .map(|h| h.signer.key_id.clone())
                .unwrap_or_default(),
            changes: head.map_or(0, |h| h.changes.len() as u32),
            problem,
            detail,
            received_at,
        });
    }
    Ok(out)
}

/// Every set this station holds, its own and others', oldest first.
pub fn all_sets(conn: &Connection) -> Result<Vec<SignedSet>> {
    Ok(sets(
        conn,
        "SELECT id, body, signature FROM change_sets ORDER BY rowid",
    )?
    .into_iter()
    .map(|(_, s)| s)
    .collect())
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangesExported {
    pub sets: u32,
    pub changes: u32,
}

/// "Xuất thay đổi…": every change this station knows, signed, in one file
/// another office imports as if it came from the hub.
pub fn export_file(db: &mut Db, data_dir: &Path, path: &Path) -> Result<ChangesExported> {
    let (bytes, r) = export_bytes(db, data_dir)?;
    crate::base::files::write_atomically(path, &bytes)?;
    Ok(r)
}

/// The `.loachanges` file's bytes (see [`export_file`]).
pub fn export_bytes(db: &mut Db, data_dir: &Path) -> Result<(Vec<u8>, ChangesExported)> {
    seal(db, data_dir)?;
    let sets = all_sets(db.conn())?;
    let changes: u32 = db.conn().query_row(
        "SELECT count(*) FROM changes WHERE set_id IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    let doc = FileDoc {
        format: FILE_FORMAT.into(),
        sets,
    };
    let bytes =
        serde_json::to_vec(&doc).map_err(|e| refuse(ChangesProblem::Damaged, e.to_string()))?;
    let r = ChangesExported {
        sets: doc.sets.len() as u32,
        changes,
    };
    Ok((bytes, r))
}

#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangesImported {
    pub sets: u32,
    /// Changes this station did not have.
    pub new: u32,
    /// Concepts now in conflict, here.
    pub conflicts: u32,
}

/// "Nhập thay đổi…": applies a `.loachanges` file, all or nothing. A file
/// imported twice changes nothing the second time.
pub fn import_file(db: &mut Db, path: &Path) -> Result<ChangesImported> {
    let (file, name, _) = limits::open(path, ImportKind::Changes)?;
    let mut text = String::new();
    use std::io::Read;
    file.take(ImportKind::Changes.max_bytes())
        .read_to_string(&mut text)
        .map_err(|e| refuse(ChangesProblem::Damaged, format!("{name}: {e}")))?;
    let doc: FileDoc = serde_json::from_str(&text)
        .map_err(|e| refuse(ChangesProblem::Damaged, format!("{name}: {e}")))?;
    if doc.format != FILE_FORMAT {
        return Err(refuse(ChangesProblem::Damaged, name));
    }
    drop(text);
    db.with_large_cache(|db| {
        let tx = db.conn_mut().transaction()?;
        let mut out = ChangesImported::default();
        each_checked(doc.sets.iter(), |s, checked| {
            let new = receive_checked(&tx, s, Via::File, || checked)?;
            out.sets += u32::from(new > 0);
            out.new += new as u32;
            Ok(())
        })?;
        out.conflicts = tx.query_row(
            "SELECT count(*) FROM concepts WHERE conflict = 1 AND deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(out)
    })
}

#[cfg(test)]
mod tests;
