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

/// TBX administrative status of a term, as stored.
pub const STATUSES: &[&str] = &["preferred", "admitted", "deprecated", "forbidden"];

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Term {
    pub id: i64,
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
    pub external_id: String,
    pub domain: String,
    pub definition: String,
    pub note: String,
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub terms: Vec<Term>,
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

/// The stored form of a term: Vietnamese in canonical tone placement, every
/// language NFC with Word-paste debris removed.
pub fn term_text(lang: &str, raw: &str) -> String {
    if lang == "vie" {
        text::canonical_vi_line(raw)
    } else {
        text::clean_line(&text::repair_marks(raw))
    }
}

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
    let mut stmt = conn.prepare_cached(
        "INSERT INTO terms(concept_id, lang, text, search_key, status, part_of_speech,
                           usage_note, source, author, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?;
    Ok(stmt.insert(params_from_iter(term_row(concept_id, t, who, at)))?)
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

/// Inserts an already-cleaned concept.
pub(crate) fn insert_concept(
    conn: &Connection,
    c: &ConceptInput,
    who: &str,
    at: i64,
) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO concepts(external_id, domain, definition, note, source, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?;
    let id = stmt.insert(params![
        c.external_id,
        c.domain,
        c.definition,
        c.note,
        c.source,
        at
    ])?;
    for t in &c.terms {
        insert_term(conn, id, t, who, at)?;
    }
    Ok(id)
}

pub fn create(db: &mut Db, input: &ConceptInput, who: &str) -> Result<Concept> {
    let tx = db.conn_mut().transaction()?;
    let c = clean_input(&tx, input)?;
    let id = insert_concept(&tx, &c, who, now())?;
    crate::base::store::bump_revision(&tx, crate::base::store::Revision::Glossary)?;
    tx.commit()?;
    get(db.conn(), id)
}

/// Saves the user's edit: changed terms are updated (and signed by `who`),
/// new ones added, the ones no longer listed removed.
pub fn update(db: &mut Db, id: i64, input: &ConceptInput, who: &str) -> Result<Concept> {
    let tx = db.conn_mut().transaction()?;
    let old = get(&tx, id)?;
    let c = clean_input(&tx, input)?;
    crate::base::store::bump_revision(&tx, crate::base::store::Revision::Glossary)?;

    let at = now();
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
    tx.commit()?;
    get(db.conn(), id)
}

/// Deletes softly, so the deletion can be undone.
pub fn delete(db: &Db, id: i64) -> Result<()> {
    let n = db.conn().execute(
        "UPDATE concepts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
        params![id, now()],
    )?;
    if n == 0 {
        return Err(CoreError::not_found("concept", id));
    }
    crate::base::store::bump_revision(db.conn(), crate::base::store::Revision::Glossary)?;
    Ok(())
}

pub fn undelete(db: &Db, id: i64) -> Result<Concept> {
    let n = db.conn().execute(
        "UPDATE concepts SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
        [id],
    )?;
    if n == 0 {
        return Err(CoreError::not_found("concept", id));
    }
    crate::base::store::bump_revision(db.conn(), crate::base::store::Revision::Glossary)?;
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
    tx.commit()?;
    get(db.conn(), into)
}

fn terms_of(conn: &Connection, concept_id: i64) -> Result<Vec<Term>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.lang, t.text, t.status, t.part_of_speech, t.usage_note, t.source,
                t.author, t.updated_at
           FROM terms t JOIN languages l ON l.code = t.lang
          WHERE t.concept_id = ?1 ORDER BY l.sort, t.id",
    )?;
    let rows = stmt.query_map([concept_id], |r| {
        Ok(Term {
            id: r.get(0)?,
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
    "c.id, c.external_id, c.domain, c.definition, c.note, c.source, c.created_at, c.updated_at";

fn concept_row(r: &rusqlite::Row) -> rusqlite::Result<Concept> {
    Ok(Concept {
        id: r.get(0)?,
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
    let mut c = conn
        .query_row(
            &format!(
                "SELECT {CONCEPT_COLUMNS} FROM concepts c WHERE c.id = ?1 AND c.deleted_at IS NULL"
            ),
            [id],
            concept_row,
        )
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

/// Every live concept with its terms, in id order (for export).
pub fn all(conn: &Connection) -> Result<Vec<Concept>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONCEPT_COLUMNS} FROM concepts c WHERE c.deleted_at IS NULL ORDER BY c.id"
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
