//! The concept-based termbase: a concept holds terms in several languages.
//! Terms are edited here; [`exchange`] and [`tbx`] move whole glossaries in
//! and out (CSV/TSV, XLSX, TBX).

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::{like_contains, Db};
use crate::base::text;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub mod exchange;
pub mod tbx;
pub mod terms;

pub use crate::translate::sharing::STATUSES;

/// SQL ranking a term's `status` in the order of [`STATUSES`]: the term to
/// use comes first wherever a concept's terms are offered or expected.
pub const STATUS_RANK: &str = "CASE status WHEN 'preferred' THEN 0 WHEN 'admitted' THEN 1 \
     WHEN 'deprecated' THEN 2 ELSE 3 END";

/// Whether a term of this status is one a translation should use.
pub fn is_approved(status: &str) -> bool {
    matches!(status, "preferred" | "admitted")
}

/// A concept read from a file, with the row or line it came from.
pub(crate) struct Incoming {
    pub line: usize,
    pub concept: ConceptInput,
    /// Who made its terms and when, by (language, match key), where the
    /// file says (TBX).
    pub provenance: std::collections::HashMap<(String, String), Provenance>,
}

/// Who made a term and when, as a file may say (TBX transaction groups):
/// (who, Unix seconds) for its origination, last modification and the
/// approval of its status.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Provenance {
    pub created: Option<(String, i64)>,
    pub modified: Option<(String, i64)>,
    pub approved: Option<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Term {
    pub id: i64,
    /// The same on every PC (docs/shared-terminology.md).
    pub uid: String,
    /// Versions made apart differ (see `sharing`).
    pub conflict: bool,
    pub lang: String,
    pub text: String,
    /// preferred / admitted / deprecated / forbidden
    pub status: String,
    pub part_of_speech: String,
    pub usage_note: String,
    pub source: String,
    pub author: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Concept {
    pub id: i64,
    pub uid: String,
    /// Its fields or one of its terms are in conflict.
    pub conflict: bool,
    pub external_id: String,
    pub domain: String,
    pub definition: String,
    pub note: String,
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub terms: Vec<Term>,
}

impl Concept {
    /// The concept as the editor opens it: saved unchanged, it changes
    /// nothing.
    pub fn to_input(&self) -> ConceptInput {
        ConceptInput {
            external_id: self.external_id.clone(),
            domain: self.domain.clone(),
            definition: self.definition.clone(),
            note: self.note.clone(),
            source: self.source.clone(),
            terms: self
                .terms
                .iter()
                .map(|t| TermInput {
                    id: Some(t.id),
                    lang: t.lang.clone(),
                    text: t.text.clone(),
                    status: t.status.clone(),
                    part_of_speech: t.part_of_speech.clone(),
                    usage_note: t.usage_note.clone(),
                    source: t.source.clone(),
                })
                .collect(),
        }
    }
}

/// A term as the user edits it; `id` is absent for a new term.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TermInput {
    #[ts(optional)]
    pub id: Option<i64>,
    pub lang: String,
    pub text: String,
    pub status: String,
    #[serde(default)]
    pub part_of_speech: String,
    #[serde(default)]
    pub usage_note: String,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptInput {
    #[serde(default)]
    pub external_id: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub definition: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub source: String,
    pub terms: Vec<TermInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptEdit {
    pub id: i64,
    pub concept: ConceptInput,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptMerge {
    /// The concept that stays.
    pub into: i64,
    /// The duplicate whose terms move over; it is then deleted.
    pub from: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptQuery {
    #[ts(optional)]
    pub search: Option<String>,
    /// Only concepts with a term in this language.
    #[ts(optional)]
    pub lang: Option<String>,
    #[ts(optional)]
    pub domain: Option<String>,
    /// Only concepts with a term of this status (in `lang`, when given).
    #[ts(optional)]
    pub status: Option<String>,
    #[ts(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptPage {
    pub total: u32,
    pub items: Vec<Concept>,
}
/// One form of a cell such as `nhỏ / nít (small regarding children), bé`:
/// the form and its note.
#[derive(Debug, PartialEq)]
pub struct Form {
    pub text: String,
    pub note: String,
}

/// Splits a cell of a descriptive word list into forms. Forms are separated by
/// `|`, `/`, `;` or `,` outside brackets and quotes; `(…)` and `"…"` are
/// notes; a form written only in brackets, like `(tôi)`, is a form.
pub fn split_forms(cell: &str) -> Vec<Form> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut cur) = (0usize, false, String::new());
    for c in cell.chars() {
        match c {
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            '"' => quoted = !quoted,
            '|' | '/' | ';' | ',' if depth == 0 && !quoted => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.iter().filter_map(|p| parse_form(p)).collect()
}

fn parse_form(part: &str) -> Option<Form> {
    let (mut form, mut notes) = (String::new(), Vec::new());
    let mut chars = part.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' => {
                let (mut depth, mut note) = (1, String::new());
                for n in chars.by_ref() {
                    match n {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                    note.push(n);
                }
                notes.push(note);
            }
            '"' => {
                let note: String = chars.by_ref().take_while(|n| *n != '"').collect();
                notes.push(note);
            }
            _ => form.push(c),
        }
    }
    let mut form = text::clean_line(&text::repair_marks(&form));
    let notes: Vec<String> = notes
        .iter()
        .map(|n| text::clean_line(&text::repair_marks(n)))
        .filter(|n| !n.is_empty())
        .collect();
    if form.is_empty() {
        // "(tôi)": the bracketed word is itself the form, if it is a plain word.
        match notes.as_slice() {
            [only] if only.chars().all(|c| c.is_alphabetic() || c == ' ') => {
                form = only.clone();
                return Some(Form {
                    text: form,
                    note: String::new(),
                });
            }
            _ => return None,
        }
    }
    Some(Form {
        text: form,
        note: notes.join("; "),
    })
}

pub use crate::base::text::term_text;

pub(crate) fn clean_input(conn: &Connection, input: &ConceptInput) -> Result<ConceptInput> {
    let mut terms: Vec<TermInput> = Vec::new();
    for t in &input.terms {
        let text_ = term_text(&t.lang, &t.text);
        if text_.is_empty() {
            continue;
        }
        if !STATUSES.contains(&t.status.as_str()) {
            return Err(CoreError::invalid("term-status", "unknown"));
        }
        crate::base::language::get(conn, &t.lang)?;
        // The same term twice in one concept is kept once.
        let key = text::match_key(&text_);
        if terms
            .iter()
            .any(|o| o.lang == t.lang && text::match_key(&o.text) == key)
        {
            continue;
        }
        terms.push(TermInput {
            id: t.id,
            lang: t.lang.clone(),
            text: text_,
            status: t.status.clone(),
            part_of_speech: text::clean_line(&t.part_of_speech),
            usage_note: text::clean_line(&t.usage_note),
            source: text::clean_line(&t.source),
        });
    }
    if terms.is_empty() {
        return Err(CoreError::invalid("terms", "empty"));
    }
    Ok(ConceptInput {
        external_id: text::clean_line(&input.external_id),
        domain: text::clean_line(&input.domain),
        definition: text::clean(&input.definition).trim().to_string(),
        note: text::clean(&input.note).trim().to_string(),
        source: text::clean_line(&input.source),
        terms,
    })
}

pub(crate) fn insert_term(
    conn: &Connection,
    concept_id: i64,
    t: &TermInput,
    who: &str,
    at: i64,
) -> Result<i64> {
    let concept_uid: String = conn
        .prepare_cached("SELECT coalesce(uid, '') FROM concepts WHERE id = ?1")?
        .query_row([concept_id], |r| r.get(0))?;
    // The same term added to the same concept by two offices is one term.
    let mut uid =
        crate::base::uid::from_content("term", &[&concept_uid, &t.lang, &text::match_key(&t.text)]);
    if taken(conn, "terms", &uid)? {
        uid = crate::base::uid::random()?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO terms(concept_id, lang, text, search_key, status, part_of_speech,
                           usage_note, source, author, created_at, updated_at, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
    )?;
    let mut row = term_row(concept_id, t, who, at).to_vec();
    row.push(uid.into());
    Ok(stmt.insert(params_from_iter(row))?)
}

fn taken(conn: &Connection, table: &str, uid: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM {table} WHERE uid = ?1)"
        ))?
        .query_row([uid], |r| r.get(0))?)
}

/// A term as stored, after its key (the concept's id for an insert, the
/// term's for an update): the order both statements number them in.
fn term_row(key: i64, t: &TermInput, who: &str, at: i64) -> [Value; 10] {
    [
        key.into(),
        t.lang.clone().into(),
        t.text.clone().into(),
        text::fold(&t.text).into(),
        t.status.clone().into(),
        t.part_of_speech.clone().into(),
        t.usage_note.clone().into(),
        t.source.clone().into(),
        who.to_string().into(),
        at.into(),
    ]
}

/// How a new concept gets its shared identity.
#[derive(Clone, Copy)]
pub(crate) enum Origin {
    /// Typed in the editor: a new identity.
    Editor,
    /// Read from a file two offices may both import: an identity made from
    /// its content, so both hold one concept.
    File,
}

/// Inserts an already-cleaned concept.
pub(crate) fn insert_concept(
    conn: &Connection,
    c: &ConceptInput,
    who: &str,
    at: i64,
    origin: Origin,
) -> Result<i64> {
    let mut uid = match origin {
        Origin::Editor => crate::base::uid::random()?,
        Origin::File => crate::base::uid::concept_from_content(
            &c.external_id,
            c.terms.iter().map(|t| (t.lang.as_str(), t.text.as_str())),
        ),
    };
    if taken(conn, "concepts", &uid)? {
        uid = crate::base::uid::random()?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO concepts(external_id, domain, definition, note, source, created_at, updated_at, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
    )?;
    let id = stmt.insert(params![
        c.external_id,
        c.domain,
        c.definition,
        c.note,
        c.source,
        at,
        uid
    ])?;
    for t in &c.terms {
        insert_term(conn, id, t, who, at)?;
    }
    Ok(id)
}

pub fn create(db: &mut Db, input: &ConceptInput, who: &str) -> Result<Concept> {
    let tx = db.conn_mut().transaction()?;
    let c = clean_input(&tx, input)?;
    let at = now();
    let id = insert_concept(&tx, &c, who, at, Origin::Editor)?;
    crate::base::store::bump_revision(&tx, crate::base::store::Revision::Glossary)?;
    share(&tx, &[], &[get(&tx, id)?], &[], who, at)?;
    tx.commit()?;
    get(db.conn(), id)
}

fn concept_value(c: &Concept, deleted: bool) -> crate::translate::sharing::ConceptValue {
    crate::translate::sharing::ConceptValue {
        external_id: c.external_id.clone(),
        domain: c.domain.clone(),
        definition: c.definition.clone(),
        note: c.note.clone(),
        source: c.source.clone(),
        deleted,
    }
}

fn term_value(concept: &str, t: &Term, deleted: bool) -> crate::translate::sharing::TermValue {
    crate::translate::sharing::TermValue {
        concept: concept.to_string(),
        lang: t.lang.clone(),
        text: t.text.clone(),
        part_of_speech: t.part_of_speech.clone(),
        usage_note: t.usage_note.clone(),
        source: t.source.clone(),
        status: t.status.clone(),
        deleted,
    }
}

/// Records what an edit changed as shared changes, one per register that
/// changed (docs/shared-terminology.md): `before` and `after` are the
/// concepts it touched, `deleted` those it deleted.
pub(crate) fn share(
    conn: &Connection,
    before: &[Concept],
    after: &[Concept],
    deleted: &[Concept],
    who: &str,
    at: i64,
) -> Result<()> {
    use crate::translate::sharing::{record, register_of, Kind, StatusValue, TermValue};
    use std::collections::{HashMap, HashSet};
    for c in after {
        let old = before.iter().find(|b| b.uid == c.uid);
        // Editing a concept deleted elsewhere keeps it.
        let changed = old.map(|o| concept_value(o, false)) != Some(concept_value(c, false));
        if changed || register_of(conn, Kind::Concept, &c.uid)?.gone() {
            record(
                conn,
                Kind::Concept,
                &c.uid,
                &concept_value(c, false),
                who,
                at,
            )?;
        }
    }
    for c in deleted {
        record(
            conn,
            Kind::Concept,
            &c.uid,
            &concept_value(c, true),
            who,
            at,
        )?;
    }
    let old_terms: HashMap<&str, (&str, &Term)> = before
        .iter()
        .flat_map(|c| {
            c.terms
                .iter()
                .map(move |t| (t.uid.as_str(), (c.uid.as_str(), t)))
        })
        .collect();
    let mut kept: HashSet<&str> = HashSet::new();
    for c in after {
        for t in &c.terms {
            kept.insert(&t.uid);
            let value = term_value(&c.uid, t, false);
            let old = old_terms.get(t.uid.as_str());
            // Its fields apart from the status (a status is a change of its own).
            let fields_changed = old.is_none_or(|(old_concept, old)| {
                let then = term_value(old_concept, old, false);
                TermValue {
                    status: String::new(),
                    ..then
                } != TermValue {
                    status: String::new(),
                    ..value.clone()
                }
            });
            if fields_changed {
                record(conn, Kind::Term, &t.uid, &value, who, at)?;
            }
            let Some((_, old)) = old else { continue };
            if old.status != t.status {
                let status = StatusValue {
                    status: t.status.clone(),
                    accepts: Vec::new(),
                };
                record(conn, Kind::Status, &t.uid, &status, who, at)?;
            }
        }
    }
    for (uid, (concept, t)) in old_terms {
        if !kept.contains(uid) {
            record(
                conn,
                Kind::Term,
                uid,
                &term_value(concept, t, true),
                who,
                at,
            )?;
        }
    }
    Ok(())
}

/// Records a concept read from a file as [`share`] records a new one, with
/// each term's authorship as the file gives it (TBX transaction groups):
/// who made it and when, who changed it last, who set its status.
pub(crate) fn share_imported(
    conn: &Connection,
    c: &Concept,
    provenance: &std::collections::HashMap<(String, String), Provenance>,
    who: &str,
    at: i64,
) -> Result<()> {
    use crate::translate::sharing::{record, Kind, StatusValue};
    if provenance.is_empty() {
        return share(conn, &[], std::slice::from_ref(c), &[], who, at);
    }
    record(
        conn,
        Kind::Concept,
        &c.uid,
        &concept_value(c, false),
        who,
        at,
    )?;
    for t in &c.terms {
        let p = provenance
            .get(&(t.lang.clone(), text::match_key(&t.text)))
            .cloned()
            .unwrap_or_default();
        let value = term_value(&c.uid, t, false);
        let made = p.created.unwrap_or_else(|| (who.to_string(), at));
        record(conn, Kind::Term, &t.uid, &value, &made.0, made.1)?;
        if let Some((by, when)) = p.modified.filter(|m| *m != made) {
            record(conn, Kind::Term, &t.uid, &value, &by, when)?;
        }
        if let Some((by, when)) = p.approved {
            let status = StatusValue {
                status: t.status.clone(),
                accepts: Vec::new(),
            };
            record(conn, Kind::Status, &t.uid, &status, &by, when)?;
        }
    }
    Ok(())
}

/// Saves the user's edit: changed terms are updated (and signed by `who`),
/// new ones added, the ones no longer listed removed.
pub fn update(db: &mut Db, id: i64, input: &ConceptInput, who: &str) -> Result<Concept> {
    let tx = db.conn_mut().transaction()?;
    let old = get(&tx, id)?;
    let c = clean_input(&tx, input)?;
    crate::base::store::bump_revision(&tx, crate::base::store::Revision::Glossary)?;

    let at = now();
    let before = old.clone();
    tx.execute(
        "UPDATE concepts SET external_id = ?2, domain = ?3, definition = ?4, note = ?5,
                source = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            id,
            c.external_id,
            c.domain,
            c.definition,
            c.note,
            c.source,
            at
        ],
    )?;
    let kept: Vec<i64> = c.terms.iter().filter_map(|t| t.id).collect();
    for t in &old.terms {
        if !kept.contains(&t.id) {
            tx.execute("DELETE FROM terms WHERE id = ?1", [t.id])?;
        }
    }
    for t in &c.terms {
        match t.id.and_then(|tid| old.terms.iter().find(|o| o.id == tid)) {
            Some(o) => {
                let same = o.lang == t.lang
                    && o.text == t.text
                    && o.status == t.status
                    && o.part_of_speech == t.part_of_speech
                    && o.usage_note == t.usage_note
                    && o.source == t.source;
                if !same {
                    tx.execute(
                        "UPDATE terms SET lang = ?2, text = ?3, search_key = ?4, status = ?5,
                                part_of_speech = ?6, usage_note = ?7, source = ?8,
                                author = ?9, updated_at = ?10 WHERE id = ?1",
                        params_from_iter(term_row(o.id, t, who, at)),
                    )?;
                }
            }
            None => {
                insert_term(&tx, id, t, who, at)?;
            }
        }
    }
    let after = get(&tx, id)?;
    share(&tx, &[before], &[after], &[], who, at)?;
    tx.commit()?;
    get(db.conn(), id)
}

/// Deletes the concept and its terms (a delete that travels, so an edit
/// made elsewhere meanwhile meets it as a conflict). [`undelete`] brings
/// them back.
pub fn delete(db: &mut Db, id: i64, who: &str) -> Result<()> {
    let tx = db.conn_mut().transaction()?;
    let old = get(&tx, id)?;
    let at = now();
    tx.execute(
        "UPDATE concepts SET deleted_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    crate::base::store::bump_revision(&tx, crate::base::store::Revision::Glossary)?;
    share(
        &tx,
        std::slice::from_ref(&old),
        &[],
        std::slice::from_ref(&old),
        who,
        at,
    )?;
    tx.commit()?;
    Ok(())
}

/// Records, as created by `who`, what the glossary held before it was
/// shared (or was imported before this version): every live concept or
/// term no change speaks of. Their identities were made from content, so
/// two offices holding the same glossary record the same values, which
/// meet as one. Returns how many concepts were recorded.
pub fn share_untracked(conn: &Connection, who: &str) -> Result<usize> {
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT c.id FROM concepts c WHERE c.deleted_at IS NULL AND (
                 NOT EXISTS (SELECT 1 FROM changes x WHERE x.kind = 'concept' AND x.subject = c.uid)
              OR EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id AND NOT EXISTS (
                     SELECT 1 FROM changes x WHERE x.kind = 'term' AND x.subject = t.uid)))
             ORDER BY c.id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    use crate::translate::sharing::{adopt, Kind};
    let tracked = |kind: &str, uid: &str| -> Result<bool> {
        Ok(conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM changes WHERE kind = ?1 AND subject = ?2)",
            )?
            .query_row([kind, uid], |r| r.get(0))?)
    };
    for &id in &ids {
        let c = get(conn, id)?;
        if !tracked("concept", &c.uid)? {
            adopt(
                conn,
                Kind::Concept,
                &c.uid,
                &concept_value(&c, false),
                who,
                c.created_at,
            )?;
        }
        for t in &c.terms {
            if !tracked("term", &t.uid)? {
                let value = term_value(&c.uid, t, false);
                adopt(conn, Kind::Term, &t.uid, &value, who, t.updated_at)?;
            }
        }
    }
    Ok(ids.len())
}

/// Ends a conflict by choosing one of the versions shown side by side, or
/// restores an earlier version from the history (of the concept's fields,
/// one of its terms or a status): it is written again, as a new change,
/// over every current version, and that choice travels like an edit.
/// Keeping a term that was edited while its concept was deleted elsewhere
/// brings the concept back.
pub fn resolve(db: &mut Db, concept_id: i64, choice: &str, who: &str) -> Result<Concept> {
    use crate::translate::sharing::{record, register_of, Kind};
    let tx = db.conn_mut().transaction()?;
    let uid = concept_uid(&tx, concept_id, false)?;
    let (kind, subject): (String, String) = tx
        .query_row(
            "SELECT kind, subject FROM changes WHERE id = ?1",
            [choice],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("change", choice))?;
    let kind = crate::translate::sharing::Kind::parse(&kind)
        .ok_or_else(|| CoreError::not_found("change", choice))?;
    let reg = register_of(&tx, kind, &subject)?;
    let chosen = reg
        .versions
        .iter()
        .find(|v| v.change.id == choice)
        .ok_or_else(|| CoreError::invalid("choice", "unknown"))?;
    let belongs = match kind {
        Kind::Concept => subject == uid,
        Kind::Term | Kind::Status => {
            let concept: Option<String> = tx
                .query_row(
                    "SELECT json_extract(value, '$.concept') FROM changes
                      WHERE kind = 'term' AND subject = ?1 LIMIT 1",
                    [&subject],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            concept.as_deref() == Some(uid.as_str())
        }
        _ => false,
    };
    if !belongs {
        return Err(CoreError::invalid("choice", "other-concept"));
    }
    let value = chosen.change.value.clone();
    let at = now();
    record(&tx, kind, &subject, &value, who, at)?;
    let kept = value.get("deleted").and_then(|d| d.as_bool()) != Some(true);
    let concept = register_of(&tx, Kind::Concept, &uid)?;
    let concept_gone = concept.gone();
    if kept && kind == Kind::Concept {
        // Keeping a concept over its delete keeps the terms deleted with it.
        let terms: Vec<String> = tx
            .prepare(
                "SELECT DISTINCT subject FROM changes
                  WHERE kind = 'term' AND json_extract(value, '$.concept') = ?1",
            )?
            .query_map([&uid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for t in terms {
            let reg = register_of(&tx, Kind::Term, &t)?;
            if !reg.gone() {
                continue;
            }
            if let Some(v) = reg.last_alive() {
                record(&tx, Kind::Term, &t, &v.change.value, who, at)?;
            }
        }
    }
    if kept && kind != Kind::Concept && concept_gone {
        if let Some(v) = concept.last_alive() {
            record(&tx, Kind::Concept, &uid, &v.change.value, who, at)?;
        }
    }
    tx.commit()?;
    get(db.conn(), concept_id)
}

/// One version of a concept's fields, of one of its terms or of a term's
/// status, as the Glossary lists them (history, conflicts, proposals).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptVersion {
    pub change_id: String,
    /// "concept", "term" or "status".
    pub kind: String,
    /// The concept's or term's uid: versions of one register share it.
    pub subject: String,
    /// The term's language ("" for the concept's own fields).
    pub lang: String,
    pub at: i64,
    pub author: String,
    /// The station it came from ("" for this one).
    pub station: String,
    pub text: String,
    pub status: String,
    pub usage_note: String,
    pub domain: String,
    pub definition: String,
    pub note: String,
    pub deleted: bool,
    /// One of the versions in conflict.
    pub in_conflict: bool,
    /// A status change waiting for an approver.
    pub proposal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptSharing {
    /// Newest first.
    pub versions: Vec<ConceptVersion>,
    /// Languages whose proposals this station may decide (it is their
    /// approver, or none is named).
    pub decides: Vec<String>,
}

/// A concept's shared identity; `deleted` asks for a deleted one.
fn concept_uid(conn: &Connection, id: i64, deleted: bool) -> Result<String> {
    conn.query_row(
        "SELECT coalesce(uid, '') FROM concepts WHERE id = ?1 AND (?2 = 0 OR deleted_at IS NOT NULL)",
        params![id, deleted],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| CoreError::not_found("concept", id))
}

/// A concept's history, conflicts and open proposals.
pub fn sharing(conn: &Connection, id: i64) -> Result<ConceptSharing> {
    use crate::translate::sharing::{approvers, history, Kind};
    let uid = concept_uid(conn, id, false)?;
    let list = history(conn, &uid)?;
    let mut lang_of: std::collections::HashMap<String, String> = Default::default();
    for h in list.iter().filter(|h| h.kind == Kind::Term) {
        if let Some(l) = h.value.get("lang").and_then(|l| l.as_str()) {
            lang_of.insert(h.subject.clone(), l.to_string());
        }
    }
    let field = |h: &crate::translate::sharing::History, name: &str| {
        h.value
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let versions: Vec<ConceptVersion> = list
        .iter()
        .filter(|h| matches!(h.kind, Kind::Concept | Kind::Term | Kind::Status))
        .map(|h| ConceptVersion {
            change_id: h.change_id.clone(),
            kind: h.kind.as_str().to_string(),
            subject: h.subject.clone(),
            lang: lang_of.get(&h.subject).cloned().unwrap_or_default(),
            at: h.at,
            author: h.author.clone(),
            station: h.station.clone(),
            text: field(h, "text"),
            status: field(h, "status"),
            usage_note: field(h, "usageNote"),
            domain: field(h, "domain"),
            definition: field(h, "definition"),
            note: field(h, "note"),
            deleted: h.value.get("deleted").and_then(|d| d.as_bool()) == Some(true),
            in_conflict: h.head,
            proposal: h.proposal,
        })
        .collect();
    let own = crate::translate::sharing::own_key_id(conn)?;
    let mut langs: Vec<String> = lang_of.into_values().collect();
    langs.sort();
    langs.dedup();
    let mut decides = Vec::new();
    for l in langs {
        let named = approvers(conn, &l)?;
        if named.is_empty() || named.contains(&own) {
            decides.push(l);
        }
    }
    Ok(ConceptSharing { versions, decides })
}

/// An approver accepts a proposed status (it takes effect, as the
/// approver's own change) or rejects it.
pub fn decide(
    db: &mut Db,
    concept_id: i64,
    proposal: &str,
    accept: bool,
    who: &str,
) -> Result<Concept> {
    use crate::translate::sharing::{record, DecisionValue, Kind, StatusValue};
    let view = sharing(db.conn(), concept_id)?;
    let p = view
        .versions
        .iter()
        .find(|v| v.change_id == proposal && v.proposal)
        .ok_or_else(|| CoreError::invalid("choice", "not-a-proposal"))?
        .clone();
    if !view.decides.contains(&p.lang) {
        return Err(CoreError::invalid("decision", "not-approver"));
    }
    let tx = db.conn_mut().transaction()?;
    let at = now();
    if accept {
        let value = StatusValue {
            status: p.status.clone(),
            accepts: vec![p.change_id.clone()],
        };
        record(&tx, Kind::Status, &p.subject, &value, who, at)?;
    } else {
        let value = DecisionValue {
            rejects: vec![p.change_id.clone()],
        };
        record(&tx, Kind::Decision, &p.subject, &value, who, at)?;
    }
    tx.commit()?;
    get(db.conn(), concept_id)
}

/// Brings a deleted concept back with the terms it had when deleted.
pub fn undelete(db: &mut Db, id: i64, who: &str) -> Result<Concept> {
    use crate::translate::sharing::{record, register_of, Kind};
    let tx = db.conn_mut().transaction()?;
    let uid = concept_uid(&tx, id, true)?;
    let at = now();
    tx.execute("UPDATE concepts SET deleted_at = NULL WHERE id = ?1", [id])?;
    crate::base::store::bump_revision(&tx, crate::base::store::Revision::Glossary)?;
    // Each register's last version before the delete, written again.
    let again = |kind: Kind, subject: &str| -> Result<()> {
        let reg = register_of(&tx, kind, subject)?;
        if let Some(v) = reg.last_alive() {
            if reg
                .heads
                .iter()
                .all(|&h| reg.versions[h].change.id != v.change.id)
            {
                record(&tx, kind, subject, &v.change.value, who, at)?;
            }
        }
        Ok(())
    };
    again(Kind::Concept, &uid)?;
    let terms: Vec<String> = tx
        .prepare(
            "SELECT DISTINCT subject FROM changes
              WHERE kind = 'term' AND json_extract(value, '$.concept') = ?1",
        )?
        .query_map([&uid], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for t in terms {
        again(Kind::Term, &t)?;
    }
    tx.commit()?;
    get(db.conn(), id)
}

/// Moves the duplicate's terms into the concept that stays (a term both
/// already have is kept once, with the survivor's details), fills the
/// survivor's empty fields from the duplicate and deletes the duplicate.
pub fn merge(db: &mut Db, into: i64, from: i64, who: &str) -> Result<Concept> {
    if into == from {
        return Err(CoreError::invalid("merge", "same-concept"));
    }
    let tx = db.conn_mut().transaction()?;
    let keep = get(&tx, into)?;
    let dup = get(&tx, from)?;
    crate::base::store::bump_revision(&tx, crate::base::store::Revision::Glossary)?;
    let before = [keep.clone(), dup.clone()];

    let at = now();
    for t in &dup.terms {
        let key = text::match_key(&t.text);
        let exists = keep
            .terms
            .iter()
            .any(|k| k.lang == t.lang && text::match_key(&k.text) == key);
        if !exists {
            tx.execute(
                "UPDATE terms SET concept_id = ?2, author = ?3, updated_at = ?4 WHERE id = ?1",
                params![t.id, into, who, at],
            )?;
        }
    }
    let pick = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            a.to_string()
        }
    };
    tx.execute(
        "UPDATE concepts SET domain = ?2, definition = ?3, note = ?4, updated_at = ?5 WHERE id = ?1",
        params![
            into,
            pick(&keep.domain, &dup.domain),
            pick(&keep.definition, &dup.definition),
            pick(&keep.note, &dup.note),
            at
        ],
    )?;
    tx.execute(
        "UPDATE concepts SET deleted_at = ?2 WHERE id = ?1",
        params![from, at],
    )?;
    let after = get(&tx, into)?;
    let gone = Concept {
        terms: Vec::new(),
        ..dup
    };
    share(&tx, &before, &[after], &[gone], who, at)?;
    tx.commit()?;
    get(db.conn(), into)
}

fn terms_of(conn: &Connection, concept_id: i64) -> Result<Vec<Term>> {
    // The term to use first, then oldest first: the same order on every PC.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.id, t.lang, t.text, t.status, t.part_of_speech, t.usage_note, t.source,
                t.author, t.updated_at, coalesce(t.uid, ''), t.conflict
           FROM terms t JOIN languages l ON l.code = t.lang
          WHERE t.concept_id = ?1 ORDER BY l.sort, {STATUS_RANK}, t.created_at, t.uid"
    ))?;
    let rows = stmt.query_map([concept_id], |r| {
        Ok(Term {
            id: r.get(0)?,
            uid: r.get(9)?,
            conflict: r.get(10)?,
            lang: r.get(1)?,
            text: r.get(2)?,
            status: r.get(3)?,
            part_of_speech: r.get(4)?,
            usage_note: r.get(5)?,
            source: r.get(6)?,
            author: r.get(7)?,
            updated_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const CONCEPT_COLUMNS: &str =
    "c.id, c.external_id, c.domain, c.definition, c.note, c.source, c.created_at, c.updated_at,
     coalesce(c.uid, ''), c.conflict";

fn concept_row(r: &rusqlite::Row) -> rusqlite::Result<Concept> {
    Ok(Concept {
        id: r.get(0)?,
        uid: r.get(8)?,
        conflict: r.get(9)?,
        external_id: r.get(1)?,
        domain: r.get(2)?,
        definition: r.get(3)?,
        note: r.get(4)?,
        source: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        terms: Vec::new(),
    })
}

/// A concept that is not deleted.
pub fn get(conn: &Connection, id: i64) -> Result<Concept> {
    // Cached: sharing what was there before reads every concept.
    let mut c = conn
        .prepare_cached(&format!(
            "SELECT {CONCEPT_COLUMNS} FROM concepts c WHERE c.id = ?1 AND c.deleted_at IS NULL"
        ))?
        .query_row([id], concept_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("concept", id))?;
    c.terms = terms_of(conn, id)?;
    Ok(c)
}

/// Concepts whose terms, definition or note match the search (diacritics and
/// case ignored), filtered by language, domain and term status, ordered by
/// external id.
pub fn list(db: &Db, q: &ConceptQuery) -> Result<ConceptPage> {
    let conn = db.conn();
    let pattern = like_contains(&text::fold(q.search.as_deref().unwrap_or("")));
    let lang = q.lang.as_deref().unwrap_or("");
    let domain = q.domain.as_deref().unwrap_or("");
    let status = q.status.as_deref().unwrap_or("");
    let limit = q.limit.unwrap_or(500).min(5000);
    let filter = "FROM concepts c
        WHERE c.deleted_at IS NULL
          AND (?1 = '' OR EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id
                                   AND t.search_key LIKE ?1 ESCAPE '\\')
                       OR lower(c.definition) LIKE ?1 ESCAPE '\\'
                       OR lower(c.note) LIKE ?1 ESCAPE '\\')
          AND (?2 = '' OR EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id AND t.lang = ?2))
          AND (?3 = '' OR c.domain = ?3)
          AND (?4 = '' OR EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id
                                   AND t.status = ?4 AND (?2 = '' OR t.lang = ?2)))";
    let args = params![pattern, lang, domain, status, limit];
    let total: u32 = conn.query_row(&format!("SELECT count(*) {filter}"), &args[..4], |r| {
        r.get(0)
    })?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONCEPT_COLUMNS} {filter}
         ORDER BY CAST(c.external_id AS INTEGER), c.external_id, c.id LIMIT ?5"
    ))?;
    let mut items: Vec<Concept> = stmt
        .query_map(args, concept_row)?
        .collect::<rusqlite::Result<_>>()?;
    for c in &mut items {
        c.terms = terms_of(conn, c.id)?;
    }
    Ok(ConceptPage { total, items })
}

/// Every live concept with its terms, oldest first: the same order on every
/// PC that holds the same changes (for export).
pub fn all(conn: &Connection) -> Result<Vec<Concept>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONCEPT_COLUMNS} FROM concepts c WHERE c.deleted_at IS NULL
          ORDER BY c.created_at, c.uid"
    ))?;
    let mut items: Vec<Concept> = stmt
        .query_map([], concept_row)?
        .collect::<rusqlite::Result<_>>()?;
    for c in &mut items {
        c.terms = terms_of(conn, c.id)?;
    }
    Ok(items)
}

/// The domains in use, for the filter.
pub fn domains(db: &Db) -> Result<Vec<String>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT DISTINCT domain FROM concepts WHERE deleted_at IS NULL AND domain != '' ORDER BY domain",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(db: &Db) -> Result<u32> {
    Ok(db.conn().query_row(
        "SELECT count(*) FROM concepts WHERE deleted_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}
#[cfg(test)]
mod tests;
