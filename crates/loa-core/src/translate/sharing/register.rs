//! Registers, heads and conflicts (docs/shared-terminology.md): the rows of
//! `concepts`, `terms` and `tm_units` are written here from the changes
//! known, one register at a time, by a function of the set of changes only.

use super::{
    ApproversValue, Change, ConceptValue, DecisionValue, Kind, StatusValue, TermValue, TmValue,
};
use crate::base::error::{CoreError, Result};
use crate::base::store::{bump_revision, Revision};
use crate::base::text;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// A change as stored, with who signed it.
#[derive(Debug, Clone)]
pub struct Version {
    pub change: Change,
    /// The signer's key id; this station's own for its unsealed changes.
    pub key_id: String,
    /// The signing station's name ("" for this station's own).
    pub station: String,
}

impl Version {
    fn deleted(&self) -> bool {
        self.change.value.get("deleted").and_then(|d| d.as_bool()) == Some(true)
    }
}

/// Every version of one register, and which are its heads.
#[derive(Debug, Clone)]
pub struct Register {
    pub versions: Vec<Version>,
    pub heads: Vec<usize>,
}

impl Register {
    fn new(versions: Vec<Version>) -> Register {
        let replaced: HashSet<&str> = versions
            .iter()
            .flat_map(|v| v.change.base.iter().map(String::as_str))
            .collect();
        let heads = (0..versions.len())
            .filter(|&i| !replaced.contains(versions[i].change.id.as_str()))
            .collect();
        Register { versions, heads }
    }

    fn head_versions(&self) -> impl Iterator<Item = &Version> {
        self.heads.iter().map(|&i| &self.versions[i])
    }

    /// Heads whose values differ: a conflict.
    pub fn in_conflict(&self) -> bool {
        let values: BTreeSet<String> = self
            .head_versions()
            .map(|v| v.change.value.to_string())
            .collect();
        values.len() > 1
    }

    /// What the glossary shows: the latest head that is not a delete (so
    /// nothing vanishes while in conflict), else the latest head.
    pub fn shown(&self) -> Option<&Version> {
        let latest = |alive: bool| {
            self.head_versions()
                .filter(|v| !alive || !v.deleted())
                .max_by(|a, b| (a.change.at, &a.change.id).cmp(&(b.change.at, &b.change.id)))
        };
        latest(true).or_else(|| latest(false))
    }

    /// The latest version that is not a delete: what undoing a delete, or
    /// keeping a concept over one, writes again.
    pub fn last_alive(&self) -> Option<&Version> {
        self.versions
            .iter()
            .filter(|v| !v.deleted())
            .max_by(|a, b| (a.change.at, &a.change.id).cmp(&(b.change.at, &b.change.id)))
    }

    /// Every head is a delete.
    pub fn gone(&self) -> bool {
        !self.heads.is_empty() && self.head_versions().all(Version::deleted)
    }

    fn created(&self) -> i64 {
        self.versions.iter().map(|v| v.change.at).min().unwrap_or(0)
    }

    pub fn head_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.head_versions().map(|v| v.change.id.clone()).collect();
        ids.sort();
        ids
    }
}

/// This station's key id ("" before it has one).
pub fn own_key_id(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = 'key.id'", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default())
}

fn load(conn: &Connection, kind: Kind, subject: &str) -> Result<Vec<Version>> {
    load_as(conn, &own_key_id(conn)?, kind, subject)
}

/// The versions of one register; this station's unsealed ones as `own`'s.
fn load_as(conn: &Connection, own: &str, kind: Kind, subject: &str) -> Result<Vec<Version>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.base, c.at, c.author, c.value, c.key_id,
                CASE WHEN s.own = 1 THEN '' ELSE coalesce(s.station, '') END
           FROM changes c LEFT JOIN change_sets s ON s.id = c.set_id
          WHERE c.kind = ?1 AND c.subject = ?2 ORDER BY c.at, c.id",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), subject], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, base, at, author, value, key_id, station) = row?;
        out.push(Version {
            change: stored_change(id, kind, subject.to_string(), &base, at, author, &value),
            key_id: if key_id.is_empty() {
                own.to_string()
            } else {
                key_id
            },
            station,
        });
    }
    Ok(out)
}

/// A change as a row of `changes` holds it (base and value as JSON text).
fn stored_change(
    id: String,
    kind: Kind,
    subject: String,
    base: &str,
    at: i64,
    author: String,
    value: &str,
) -> Change {
    Change {
        id,
        kind,
        subject,
        base: serde_json::from_str(base).unwrap_or_default(),
        at,
        author,
        value: serde_json::from_str(value).unwrap_or_default(),
    }
}

/// One register as this copy knows it.
pub fn register_of(conn: &Connection, kind: Kind, subject: &str) -> Result<Register> {
    let versions = load(conn, kind, subject)?;
    Ok(match kind {
        Kind::Status => effective_status(conn, subject, versions)?.0,
        _ => Register::new(versions),
    })
}

/// Who set the term's status in effect, and when: the status version the
/// glossary shows (None while its status is the one it was created with).
pub fn status_set_by(conn: &Connection, term: &str) -> Result<Option<(String, i64)>> {
    let reg = register_of(conn, Kind::Status, term)?;
    Ok(reg.shown().map(|v| (v.change.author.clone(), v.change.at)))
}

/// The key ids named approvers of `lang`; empty when none are (then anyone's
/// status change takes effect).
pub fn approvers(conn: &Connection, lang: &str) -> Result<Vec<String>> {
    let reg = Register::new(load(conn, Kind::Approvers, lang)?);
    let mut keys: BTreeSet<String> = BTreeSet::new();
    // Two province PCs naming approvers apart: both lists count.
    for v in reg.head_versions() {
        let a: ApproversValue = serde_json::from_value(v.change.value.clone()).unwrap_or_default();
        keys.extend(a.key_ids);
    }
    Ok(keys.into_iter().collect())
}

fn term_lang(conn: &Connection, term: &str) -> Result<Option<String>> {
    let reg = Register::new(load(conn, Kind::Term, term)?);
    Ok(reg.shown().map(|v| {
        v.change
            .value
            .get("lang")
            .and_then(|l| l.as_str())
            .unwrap_or_default()
            .to_string()
    }))
}

/// The status register of a term counts only its approvers' changes; the
/// others are proposals (returned second).
fn effective_status(
    conn: &Connection,
    term: &str,
    versions: Vec<Version>,
) -> Result<(Register, Vec<Version>)> {
    let lang = term_lang(conn, term)?.unwrap_or_default();
    let named = approvers(conn, &lang)?;
    let (effective, proposals): (Vec<Version>, Vec<Version>) = versions
        .into_iter()
        .partition(|v| named.is_empty() || named.contains(&v.key_id));
    Ok((Register::new(effective), proposals))
}

/// Records this station's own change, replacing the register's current
/// heads, and writes the register's row. Returns the change.
pub fn record(
    conn: &Connection,
    kind: Kind,
    subject: &str,
    value: &impl Serialize,
    author: &str,
    at: i64,
) -> Result<Change> {
    let base = match kind {
        Kind::Tm | Kind::Decision => Vec::new(),
        _ => register_of(conn, kind, subject)?.head_ids(),
    };
    let change = Change {
        id: crate::base::uid::random()?,
        kind,
        subject: subject.to_string(),
        base,
        at,
        author: author.to_string(),
        value: serde_json::to_value(value).map_err(|_| CoreError::invalid("change", "not-json"))?,
    };
    insert(conn, &change, None, "")?;
    write(conn, kind, subject)?;
    Ok(change)
}

/// Records, as this station's creation of it, a register that no change
/// speaks of yet and whose row already holds `value` (what was there before
/// sharing began): nothing to write back.
pub fn adopt(
    conn: &Connection,
    kind: Kind,
    subject: &str,
    value: &impl Serialize,
    author: &str,
    at: i64,
) -> Result<()> {
    let change = Change {
        id: crate::base::uid::random()?,
        kind,
        subject: subject.to_string(),
        base: Vec::new(),
        at,
        author: author.to_string(),
        value: serde_json::to_value(value).map_err(|_| CoreError::invalid("change", "not-json"))?,
    };
    insert(conn, &change, None, "")?;
    Ok(())
}

fn insert(conn: &Connection, c: &Change, set_id: Option<&str>, key_id: &str) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO changes(id, set_id, key_id, kind, subject, base, at, author, value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let base = serde_json::to_string(&c.base).unwrap_or_else(|_| "[]".into());
    Ok(stmt.execute(params![
        c.id,
        set_id,
        key_id,
        c.kind.as_str(),
        c.subject,
        base,
        c.at,
        c.author,
        c.value.to_string()
    ])? == 1)
}

/// Stores changes signed by `key_id` in set `set_id` (the caller checked
/// the signature) and writes the registers they touch. Changes already
/// known are skipped; returns how many were new.
pub fn apply(conn: &Connection, set_id: &str, key_id: &str, changes: &[Change]) -> Result<usize> {
    let mut batch = Batch::new(conn)?;
    // Registers no earlier change speaks of are written from the set alone
    // (with a term's status register, empty unless the set has some).
    // Asked before the set's changes are stored, so the index alone answers.
    let mut asked: BTreeSet<(Kind, &str)> = BTreeSet::new();
    for c in changes {
        asked.insert((c.kind, &c.subject));
        if c.kind == Kind::Term {
            asked.insert((Kind::Status, &c.subject));
        }
    }
    let pairs: Vec<[&str; 2]> = asked.iter().map(|(k, s)| [k.as_str(), *s]).collect();
    let older: HashSet<(String, String)> = conn
        .prepare_cached(
            "SELECT DISTINCT c.kind, c.subject FROM json_each(?1) j
               JOIN changes c ON c.kind = json_extract(j.value, '$[0]')
                             AND c.subject = json_extract(j.value, '$[1]')",
        )?
        .query_map(
            [serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, subject) in asked {
        if !older.contains(&(kind.as_str().to_string(), subject.to_string())) {
            batch.known.insert((kind, subject.to_string()), Vec::new());
        }
    }
    let mut touched: BTreeSet<(Kind, &str)> = BTreeSet::new();
    let mut new = 0;
    for c in changes {
        if insert(conn, c, Some(set_id), key_id)? {
            touched.insert((c.kind, &c.subject));
            if let Some(versions) = batch.known.get_mut(&(c.kind, c.subject.clone())) {
                versions.push(Version {
                    change: c.clone(),
                    key_id: key_id.to_string(),
                    station: String::new(),
                });
            }
            new += 1;
        }
    }
    for versions in batch.known.values_mut() {
        versions.sort_by(|a, b| (a.change.at, &a.change.id).cmp(&(b.change.at, &b.change.id)));
    }
    // In `Kind` order: concepts before their terms, terms before their
    // statuses, approvers last (they re-judge statuses).
    for (kind, subject) in touched {
        write_in(conn, &mut batch, kind, subject)?;
    }
    batch.finish(conn)?;
    Ok(new)
}

/// Own changes not yet sealed into a set, oldest first.
pub fn unsealed(conn: &Connection, limit: usize) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, subject, base, at, author, value FROM changes
          WHERE set_id IS NULL ORDER BY rowid LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, subject, base, at, author, value) = row?;
        let kind =
            Kind::parse(&kind).ok_or_else(|| CoreError::invalid("change-kind", "unknown"))?;
        out.push(stored_change(id, kind, subject, &base, at, author, &value));
    }
    Ok(out)
}

/// What writing several registers shares: this station's key id, each
/// language's approvers, and what to do once at the end (the concepts whose
/// conflict state to refresh, the revisions to bump), so a first sync of
/// thousands of changes does each once.
struct Batch {
    own: String,
    approvers: std::collections::HashMap<String, Vec<String>>,
    /// Concepts' row ids by uid, as written or looked up in this batch.
    concept_ids: std::collections::HashMap<String, i64>,
    /// Registers whose every version is in hand (a set's new registers, so
    /// a first sync reads nothing back); the others are loaded.
    known: std::collections::HashMap<(Kind, String), Vec<Version>>,
    concepts: BTreeSet<i64>,
    glossary: bool,
    memory: bool,
}

impl Batch {
    fn new(conn: &Connection) -> Result<Batch> {
        Ok(Batch {
            own: own_key_id(conn)?,
            approvers: Default::default(),
            known: Default::default(),
            concept_ids: Default::default(),
            concepts: BTreeSet::new(),
            glossary: false,
            memory: false,
        })
    }

    fn approvers(&mut self, conn: &Connection, lang: &str) -> Result<Vec<String>> {
        if let Some(a) = self.approvers.get(lang) {
            return Ok(a.clone());
        }
        let a = approvers(conn, lang)?;
        self.approvers.insert(lang.to_string(), a.clone());
        Ok(a)
    }

    /// Whether every version of the register came in this batch (so no
    /// row holds anything of it that the batch does not know).
    fn fresh(&self, kind: Kind, subject: &str) -> bool {
        self.known.contains_key(&(kind, subject.to_string()))
    }

    fn versions(&self, conn: &Connection, kind: Kind, subject: &str) -> Result<Vec<Version>> {
        match self.known.get(&(kind, subject.to_string())) {
            Some(v) => Ok(v.clone()),
            None => load_as(conn, &self.own, kind, subject),
        }
    }

    fn finish(self, conn: &Connection) -> Result<()> {
        for id in &self.concepts {
            refresh_conflict(conn, &self, id.to_owned())?;
        }
        if self.glossary {
            bump_revision(conn, Revision::Glossary)?;
        }
        if self.memory {
            bump_revision(conn, Revision::Memory)?;
        }
        Ok(())
    }
}

/// Writes one register's row from its changes.
fn write(conn: &Connection, kind: Kind, subject: &str) -> Result<()> {
    let mut batch = Batch::new(conn)?;
    write_in(conn, &mut batch, kind, subject)?;
    batch.finish(conn)
}

fn write_in(conn: &Connection, batch: &mut Batch, kind: Kind, subject: &str) -> Result<()> {
    match kind {
        Kind::Concept => write_concept(conn, batch, subject)?,
        Kind::Term | Kind::Status | Kind::Decision => write_term(conn, batch, subject)?,
        Kind::Tm => write_tm(conn, batch, subject)?,
        Kind::Approvers => {
            // Who may decide changed: every term of the language again.
            batch.approvers.remove(subject);
            let terms: Vec<String> = conn
                .prepare("SELECT DISTINCT subject FROM changes WHERE kind = 'status'")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for t in terms {
                if term_lang(conn, &t)?.as_deref() == Some(subject) {
                    write_term(conn, batch, &t)?;
                }
            }
        }
    }
    Ok(())
}

/// The concept's row id, made (empty) if its own change has not come yet.
fn concept_row(conn: &Connection, batch: &mut Batch, uid: &str, at: i64) -> Result<i64> {
    if let Some(&id) = batch.concept_ids.get(uid) {
        return Ok(id);
    }
    let id = match conn
        .query_row("SELECT id FROM concepts WHERE uid = ?1", [uid], |r| {
            r.get(0)
        })
        .optional()?
    {
        Some(id) => id,
        None => {
            conn.execute(
                "INSERT INTO concepts(uid, created_at, updated_at) VALUES (?1, ?2, ?2)",
                params![uid, at],
            )?;
            conn.last_insert_rowid()
        }
    };
    batch.concept_ids.insert(uid.to_string(), id);
    Ok(id)
}

fn write_concept(conn: &Connection, batch: &mut Batch, uid: &str) -> Result<()> {
    let reg = Register::new(batch.versions(conn, Kind::Concept, uid)?);
    let Some(shown) = reg.shown() else {
        return Ok(());
    };
    let v: ConceptValue = serde_json::from_value(shown.change.value.clone()).unwrap_or_default();
    // A shown version that is alive means the concept is not deleted
    // (`refresh_conflict` agrees).
    let alive = !shown.deleted();
    // One statement whether the row is new or not.
    let id: i64 = conn.prepare_cached(
        "INSERT INTO concepts(uid, external_id, domain, definition, note, source, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(uid) DO UPDATE SET external_id = excluded.external_id,
             domain = excluded.domain, definition = excluded.definition, note = excluded.note,
             source = excluded.source, created_at = excluded.created_at,
             updated_at = excluded.updated_at,
             deleted_at = CASE WHEN ?9 THEN NULL ELSE deleted_at END
         RETURNING id",
    )?
    .query_row(
        params![
            uid,
            text::clean_line(&v.external_id),
            text::clean_line(&v.domain),
            text::clean(&v.definition).trim(),
            text::clean(&v.note).trim(),
            text::clean_line(&v.source),
            reg.created(),
            shown.change.at,
            alive,
        ],
        |r| r.get(0),
    )?;
    batch.concept_ids.insert(uid.to_string(), id);
    // A concept new with this batch, in one version, alive: its conflict
    // state is its terms', which they refresh if they need to. A first
    // sync of thousands of concepts skips the refresh.
    if !(batch.fresh(Kind::Concept, uid) && alive && !reg.in_conflict()) {
        batch.concepts.insert(id);
    }
    batch.glossary = true;
    Ok(())
}

/// A concept is in conflict if its own fields or any of its terms are; a
/// deleted concept one of whose terms was edited elsewhere meanwhile stays
/// in view, in conflict, until someone chooses.
fn refresh_conflict(conn: &Connection, batch: &Batch, concept_id: i64) -> Result<()> {
    let uid: Option<String> = conn
        .prepare_cached("SELECT uid FROM concepts WHERE id = ?1")?
        .query_row([concept_id], |r| r.get(0))
        .optional()?
        .flatten();
    let reg = match uid {
        Some(uid) => Register::new(batch.versions(conn, Kind::Concept, &uid)?),
        None => Register::new(Vec::new()),
    };
    let terms_in_conflict: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM terms WHERE concept_id = ?1 AND conflict = 1)",
        )?
        .query_row([concept_id], |r| r.get(0))?;
    let conflict = reg.in_conflict() || terms_in_conflict;
    match reg.shown() {
        Some(shown) => {
            let deleted = reg.gone() && !terms_in_conflict;
            conn.prepare_cached(
                "UPDATE concepts SET conflict = ?2, deleted_at = ?3 WHERE id = ?1",
            )?
            .execute(params![
                concept_id,
                conflict,
                deleted.then_some(shown.change.at)
            ])?;
        }
        None => {
            conn.prepare_cached("UPDATE concepts SET conflict = ?2 WHERE id = ?1")?
                .execute(params![concept_id, conflict])?;
        }
    }
    Ok(())
}

fn write_term(conn: &Connection, batch: &mut Batch, uid: &str) -> Result<()> {
    let reg = Register::new(batch.versions(conn, Kind::Term, uid)?);
    let Some(shown) = reg.shown() else {
        return Ok(());
    };
    // A term new with this batch was in no concept before it (nothing to
    // refresh there); the others may be moving.
    let fresh = batch.fresh(Kind::Term, uid) && batch.fresh(Kind::Status, uid);
    let before: Option<i64> = if fresh {
        None
    } else {
        conn.prepare_cached("SELECT concept_id FROM terms WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?
    };
    batch.glossary = true;
    if reg.gone() {
        conn.prepare_cached("DELETE FROM terms WHERE uid = ?1")?
            .execute([uid])?;
        batch.concepts.extend(before);
        return Ok(());
    }
    let v: TermValue = serde_json::from_value(shown.change.value.clone()).unwrap_or_default();
    let named = batch.approvers(conn, &v.lang)?;
    let status_reg = Register::new(
        batch
            .versions(conn, Kind::Status, uid)?
            .into_iter()
            .filter(|s| named.is_empty() || named.contains(&s.key_id))
            .collect(),
    );
    let status = match status_reg.shown() {
        Some(s) => {
            serde_json::from_value::<StatusValue>(s.change.value.clone())
                .unwrap_or_default()
                .status
        }
        None => first_status(&reg),
    };
    let status = if super::STATUSES.contains(&status.as_str()) {
        status
    } else {
        "admitted".to_string()
    };
    let concept_id = concept_row(conn, batch, &v.concept, shown.change.at)?;
    let term_text = text::term_text(&v.lang, &v.text);
    let conflict = reg.in_conflict() || status_reg.in_conflict();
    // One statement whether the row is new or not.
    conn.prepare_cached(
        "INSERT INTO terms(uid, concept_id, lang, text, search_key, status, part_of_speech,
                           usage_note, source, author, created_at, updated_at, conflict)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(uid) DO UPDATE SET concept_id = excluded.concept_id,
             lang = excluded.lang, text = excluded.text, search_key = excluded.search_key,
             status = excluded.status, part_of_speech = excluded.part_of_speech,
             usage_note = excluded.usage_note, source = excluded.source,
             author = excluded.author, created_at = excluded.created_at,
             updated_at = excluded.updated_at, conflict = excluded.conflict",
    )?
    .execute(params![
        uid,
        concept_id,
        v.lang,
        term_text,
        text::fold(&term_text),
        status,
        text::clean_line(&v.part_of_speech),
        text::clean_line(&v.usage_note),
        text::clean_line(&v.source),
        shown.change.author,
        reg.created(),
        shown.change.at,
        conflict
    ])?;
    // A new term in one version leaves its concept's conflict state as it
    // was.
    if !fresh || conflict {
        batch.concepts.insert(concept_id);
    }
    batch.concepts.extend(before);
    Ok(())
}

/// The status a term was created with (its first version's).
fn first_status(reg: &Register) -> String {
    reg.versions
        .iter()
        .filter(|v| v.change.base.is_empty())
        .min_by(|a, b| (a.change.at, &a.change.id).cmp(&(b.change.at, &b.change.id)))
        .and_then(|v| v.change.value.get("status").and_then(|s| s.as_str()))
        .unwrap_or("admitted")
        .to_string()
}

fn write_tm(conn: &Connection, batch: &mut Batch, uid: &str) -> Result<()> {
    let versions = batch.versions(conn, Kind::Tm, uid)?;
    let Some(latest) = versions
        .iter()
        .max_by(|a, b| (a.change.at, &a.change.id).cmp(&(b.change.at, &b.change.id)))
    else {
        return Ok(());
    };
    let created = versions.iter().map(|v| v.change.at).min().unwrap_or(0);
    let v: TmValue = serde_json::from_value(latest.change.value.clone()).unwrap_or_default();
    let source = text::canonical_vi_line(&v.source);
    let target = text::clean_line(&v.target);
    if source.is_empty() || target.is_empty() {
        return Ok(());
    }
    let key = text::syllables(&source).join(" ");
    batch.memory = true;
    conn.prepare_cached(
        "INSERT INTO tm_units(uid, source_lang, target_lang, source, target, source_key,
                              translator, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(source_lang, target_lang, source_key, target)
         DO UPDATE SET uid = excluded.uid, translator = excluded.translator,
                       created_at = excluded.created_at, updated_at = excluded.updated_at",
    )?
    .execute(params![
        uid,
        v.source_lang,
        v.target_lang,
        source,
        target,
        key,
        text::clean_line(&v.translator),
        created,
        latest.change.at
    ])?;
    Ok(())
}

/// One version in a term's or concept's history.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    pub change_id: String,
    pub kind: Kind,
    /// The concept's or term's uid.
    pub subject: String,
    pub at: i64,
    pub author: String,
    /// The signing station ("" for this one).
    pub station: String,
    pub value: serde_json::Value,
    /// One of the versions in conflict (a head of a register that has
    /// several differing).
    pub head: bool,
    /// A status change that is only a proposal.
    pub proposal: bool,
}

/// Every version of a concept's fields, its terms and their statuses,
/// newest first.
pub fn history(conn: &Connection, concept_uid: &str) -> Result<Vec<History>> {
    let mut out = Vec::new();
    let push = |reg: &Register, proposals: &[Version], out: &mut Vec<History>| {
        for (i, v) in reg.versions.iter().enumerate() {
            out.push(History {
                change_id: v.change.id.clone(),
                kind: v.change.kind,
                subject: v.change.subject.clone(),
                at: v.change.at,
                author: v.change.author.clone(),
                station: v.station.clone(),
                value: v.change.value.clone(),
                head: reg.heads.contains(&i) && reg.in_conflict(),
                proposal: false,
            });
        }
        for v in proposals {
            out.push(History {
                change_id: v.change.id.clone(),
                kind: v.change.kind,
                subject: v.change.subject.clone(),
                at: v.change.at,
                author: v.change.author.clone(),
                station: v.station.clone(),
                value: v.change.value.clone(),
                head: false,
                proposal: true,
            });
        }
    };
    push(
        &Register::new(load(conn, Kind::Concept, concept_uid)?),
        &[],
        &mut out,
    );
    let terms: Vec<String> = conn
        .prepare_cached(
            "SELECT DISTINCT subject FROM changes
              WHERE kind = 'term' AND json_extract(value, '$.concept') = ?1",
        )?
        .query_map([concept_uid], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for t in terms {
        push(&Register::new(load(conn, Kind::Term, &t)?), &[], &mut out);
        let (status, proposals) = effective_status(conn, &t, load(conn, Kind::Status, &t)?)?;
        let decided: HashSet<String> = decided(conn, &t)?;
        let open: Vec<Version> = proposals
            .into_iter()
            .filter(|p| !decided.contains(&p.change.id))
            .collect();
        push(&status, &open, &mut out);
    }
    out.sort_by(|a, b| (b.at, &b.change_id).cmp(&(a.at, &a.change_id)));
    Ok(out)
}

/// Proposals an approver accepted or rejected.
fn decided(conn: &Connection, term: &str) -> Result<HashSet<String>> {
    let (status, _) = effective_status(conn, term, load(conn, Kind::Status, term)?)?;
    let mut out: HashSet<String> = HashSet::new();
    for v in &status.versions {
        let s: StatusValue = serde_json::from_value(v.change.value.clone()).unwrap_or_default();
        out.extend(s.accepts);
    }
    let lang = term_lang(conn, term)?.unwrap_or_default();
    let named = approvers(conn, &lang)?;
    for v in load(conn, Kind::Decision, term)? {
        if named.is_empty() || named.contains(&v.key_id) {
            let d: DecisionValue = serde_json::from_value(v.change.value).unwrap_or_default();
            out.extend(d.rejects);
        }
    }
    Ok(out)
}
