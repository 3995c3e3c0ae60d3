//! Broadcast scripts: drafting, the approval workflow, revisions, search.
//!
//! Workflow: draft → review → approved (and back to draft). Sending a draft
//! for approval freezes its revision; the next edit of a frozen revision
//! starts a new one and returns the script to draft, so what was approved is
//! never changed behind the approver's back.

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Default radio reading rate in syllables per minute (the middle of the
/// 120–140 range announcers read at on commune loudspeakers).
const MAX_TITLE_CHARS: usize = 300;
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
const MAX_NOTES_BYTES: usize = 64 * 1024;
const MAX_TARGET_SECONDS: u32 = 4 * 3600;
const DEFAULT_LIST_LIMIT: u32 = 1000;

/// Declares a closed set of values stored as text, with its TS union type.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
        pub enum $name { $(#[serde(rename = $s)] $var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$var => $s),+ } }
            pub fn parse(s: &str) -> Option<$name> { match s { $($s => Some($name::$var),)+ _ => None } }
        }
    };
}

text_enum!(
    /// Thông tư 39/2020/TT-BTTTT: thông thường / ưu tiên / khẩn cấp.
    Priority { Normal = "normal", Priority = "priority", Emergency = "emergency" }
);
text_enum!(Category {
    Health = "health",
    Agriculture = "agriculture",
    Law = "law",
    Security = "security",
    Disaster = "disaster",
    Other = "other",
});
text_enum!(Status { Draft = "draft", Review = "review", Approved = "approved" });
text_enum!(SortBy {
    Relevance = "relevance",
    Updated = "updated",
    Title = "title",
    Priority = "priority",
    Duration = "duration",
});

/// Everything a user edits in a script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScriptInput {
    pub title: String,
    pub body: String,
    /// Program name; created in the program list when new. Empty: none.
    pub program: String,
    pub category: Category,
    pub priority: Priority,
    pub policy_ref: String,
    /// ISO 639-3 codes from the language registry.
    pub target_langs: Vec<String>,
    /// Wanted reading time; 0 when not set.
    pub target_seconds: u32,
    /// First and last air date, `YYYY-MM-DD` or empty.
    pub air_from: String,
    pub air_until: String,
    pub notes: String,
    /// Reader profile whose rate the estimate uses; none: the language's.
    pub reader_id: Option<i64>,
}

impl Default for ScriptInput {
    fn default() -> Self {
        ScriptInput {
            title: String::new(),
            body: String::new(),
            program: String::new(),
            category: Category::Other,
            priority: Priority::Normal,
            policy_ref: String::new(),
            target_langs: vec!["vie".into()],
            target_seconds: 0,
            air_from: String::new(),
            air_until: String::new(),
            notes: String::new(),
            reader_id: None,
        }
    }
}

/// Marked stretches of a text, as `[start, end)` offsets in UTF-16 code
/// units so the UI can slice JavaScript strings with them directly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Marked {
    pub text: String,
    pub marks: Vec<(u32, u32)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScriptSummary {
    pub id: i64,
    pub title: String,
    pub program: Option<String>,
    pub category: Category,
    pub priority: Priority,
    pub status: Status,
    pub policy_ref: String,
    pub target_langs: Vec<String>,
    pub syllables: u32,
    pub est_seconds: u32,
    pub target_seconds: u32,
    pub revision: u32,
    pub updated_at: i64,
    /// When searching: the title with the matching words marked.
    pub title_hit: Option<Marked>,
    /// When searching: a stretch of the text or policy reference around the
    /// first match.
    pub snippet: Option<Marked>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScriptDetail {
    pub summary: ScriptSummary,
    pub input: ScriptInput,
    pub author: String,
    pub approved_by: String,
    pub approved_at: Option<i64>,
    pub source: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScriptQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub status: Option<Status>,
    #[ts(optional)]
    pub program: Option<String>,
    #[ts(optional)]
    pub category: Option<Category>,
    #[ts(optional)]
    pub priority: Option<Priority>,
    /// Scripts that target this language.
    #[ts(optional)]
    pub lang: Option<String>,
    /// Last updated on or after / on or before, `YYYY-MM-DD`.
    #[ts(optional)]
    pub updated_from: Option<String>,
    #[ts(optional)]
    pub updated_to: Option<String>,
    #[ts(optional)]
    pub sort: Option<SortBy>,
    #[ts(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionInfo {
    pub revision: u32,
    pub title: String,
    pub author: String,
    /// Sent for approval: no longer changes.
    pub frozen: bool,
    pub syllables: u32,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScriptEvent {
    pub at: i64,
    pub who: String,
    pub from_status: Status,
    pub to_status: Status,
    pub revision: u32,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum DiffOp {
    Equal,
    Insert,
    Delete,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffChunk {
    pub op: DiffOp,
    pub text: String,
}

/// A word-level comparison of two revisions.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionDiff {
    pub from: u32,
    pub to: u32,
    pub title: Vec<DiffChunk>,
    pub policy_ref: Vec<DiffChunk>,
    pub body: Vec<DiffChunk>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReadingEstimate {
    pub syllables: u32,
    pub seconds: u32,
}

/// IPC arguments: an edit of script `id`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScriptEdit {
    pub id: i64,
    pub input: ScriptInput,
}

/// IPC arguments: a workflow move.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub id: i64,
    pub status: Status,
    pub note: String,
}

/// IPC arguments: one revision of script `id`, or a pair to compare.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionRef {
    pub id: i64,
    pub revision: u32,
    /// For a diff: the older revision.
    #[ts(optional)]
    pub against: Option<u32>,
}

/// IPC arguments: the live estimate of text being typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EstimateRequest {
    pub body: String,
    pub reader_id: Option<i64>,
    pub target_langs: Vec<String>,
}

/// Estimated reading time in whole seconds at `syllables_per_minute`.
pub fn estimate_seconds(syllables: u32, syllables_per_minute: u32) -> u32 {
    let rate = syllables_per_minute.max(1);
    (syllables * 60).div_ceil(rate)
}

/// Reading time of `body` at `rate` syllables per minute.
pub fn estimate(body: &str, rate: u32) -> ReadingEstimate {
    let syllables = text::spoken_syllables(body) as u32;
    ReadingEstimate {
        syllables,
        seconds: estimate_seconds(syllables, rate),
    }
}

/// The estimate at the rate of the reader, else of the first language.
pub fn estimate_for(db: &Db, req: &EstimateRequest) -> Result<ReadingEstimate> {
    let rate = crate::draft::reading::rate_for(db, req.reader_id, &req.target_langs)?;
    Ok(estimate(&req.body, rate))
}

/// Checks a `YYYY-MM-DD` date, leap years included.
fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// The input as it will be stored: cleaned, canonical, validated.
fn normalized(conn: &Connection, input: &ScriptInput) -> Result<ScriptInput> {
    let title = text::canonical_vi_line(&input.title);
    if title.is_empty() {
        return Err(CoreError::invalid("title", "empty"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(CoreError::invalid("title", "too-long"));
    }
    if input.body.len() > MAX_BODY_BYTES {
        return Err(CoreError::invalid("body", "too-long"));
    }
    if input.notes.len() > MAX_NOTES_BYTES {
        return Err(CoreError::invalid("notes", "too-long"));
    }
    if input.target_seconds > MAX_TARGET_SECONDS {
        return Err(CoreError::invalid("target-seconds", "too-long"));
    }
    let air_from = input.air_from.trim().to_string();
    let air_until = input.air_until.trim().to_string();
    for d in [&air_from, &air_until] {
        if !d.is_empty() && !valid_date(d) {
            return Err(CoreError::invalid("air-dates", "bad-date"));
        }
    }
    if !air_from.is_empty() && !air_until.is_empty() && air_until < air_from {
        return Err(CoreError::invalid("air-dates", "end-before-start"));
    }
    let mut langs: Vec<String> = Vec::new();
    for l in &input.target_langs {
        let l = text::clean_line(l).to_lowercase();
        let known: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM languages WHERE code = ?1)",
            [&l],
            |r| r.get(0),
        )?;
        if !known {
            return Err(CoreError::invalid("target-langs", "unknown"));
        }
        if !langs.contains(&l) {
            langs.push(l);
        }
    }
    if let Some(id) = input.reader_id {
        let exists: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM readers WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(CoreError::not_found("reader", id));
        }
    }
    Ok(ScriptInput {
        reader_id: input.reader_id,
        title,
        body: text::canonical_vi(&input.body).trim_end().to_string(),
        program: text::canonical_vi_line(&input.program),
        category: input.category,
        priority: input.priority,
        policy_ref: text::canonical_vi_line(&input.policy_ref),
        target_langs: langs,
        target_seconds: input.target_seconds,
        air_from,
        air_until,
        notes: text::canonical_vi(&input.notes).trim().to_string(),
    })
}

fn program_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    if name.is_empty() {
        return Ok(None);
    }
    conn.execute("INSERT OR IGNORE INTO programs(name) VALUES (?1)", [name])?;
    Ok(Some(conn.query_row(
        "SELECT id FROM programs WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?))
}

/// Keeps the full-text row of one script in step with the script.
fn reindex(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM scripts_fts WHERE rowid = ?1", [id])?;
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT title, policy_ref, body FROM scripts WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((title, policy_ref, body)) = row {
        conn.execute(
            "INSERT INTO scripts_fts(rowid, title, policy_ref, body) VALUES (?1, ?2, ?3, ?4)",
            params![
                id,
                text::fold(&title),
                text::fold(&policy_ref),
                text::fold(&body)
            ],
        )?;
    }
    Ok(())
}

/// Rebuilds the whole full-text index (migration 4 uses it).
pub fn reindex_all(conn: &Connection) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM scripts")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        reindex(conn, id)?;
    }
    Ok(())
}

pub fn create(db: &mut Db, input: &ScriptInput, author: &str) -> Result<ScriptDetail> {
    let tx = db.conn_mut().transaction()?;
    let id = create_in(&tx, input, author, "")?;
    tx.commit()?;
    get(db, id)
}

pub(crate) fn create_in(
    conn: &Connection,
    input: &ScriptInput,
    author: &str,
    source: &str,
) -> Result<i64> {
    let s = normalized(conn, input)?;
    let author = text::canonical_vi_line(author);
    let t = now();
    conn.execute(
        "INSERT INTO scripts(title, body, program_id, category, priority, status, policy_ref,
                             target_langs, notes, source, target_seconds, air_from, air_until,
                             author, created_at, updated_at, reader_id)
         VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
        params![
            s.title,
            s.body,
            program_id(conn, &s.program)?,
            s.category.as_str(),
            s.priority.as_str(),
            s.policy_ref,
            s.target_langs.join(","),
            s.notes,
            text::canonical_vi_line(source),
            s.target_seconds,
            s.air_from,
            s.air_until,
            author,
            t,
            s.reader_id
        ],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO script_revisions(script_id, revision, title, body, policy_ref, author,
                                      created_at, updated_at)
         VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![id, s.title, s.body, s.policy_ref, author, t],
    )?;
    reindex(conn, id)?;
    Ok(id)
}

struct Current {
    status: Status,
    revision: u32,
    title: String,
    body: String,
    policy_ref: String,
}

fn current(conn: &Connection, id: i64) -> Result<Current> {
    conn.query_row(
        "SELECT status, revision, title, body, policy_ref FROM scripts
          WHERE id = ?1 AND deleted_at IS NULL",
        [id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        },
    )
    .optional()?
    .map(|(status, revision, title, body, policy_ref)| Current {
        status: Status::parse(&status).unwrap_or(Status::Draft),
        revision,
        title,
        body,
        policy_ref,
    })
    .ok_or_else(|| CoreError::not_found("script", id))
}

fn log_event(
    conn: &Connection,
    id: i64,
    who: &str,
    from: Status,
    to: Status,
    revision: u32,
    note: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO script_events(script_id, at, who, from_status, to_status, revision, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            now(),
            text::canonical_vi_line(who),
            from.as_str(),
            to.as_str(),
            revision,
            text::canonical_vi(note).trim()
        ],
    )?;
    Ok(())
}

/// Saves an edit. Changing the wording of a script that was sent for
/// approval (or approved) returns it to draft under a new revision.
pub fn update(db: &mut Db, id: i64, input: &ScriptInput, who: &str) -> Result<ScriptDetail> {
    let tx = db.conn_mut().transaction()?;
    update_in(&tx, id, input, who)?;
    tx.commit()?;
    get(db, id)
}

fn update_in(conn: &Connection, id: i64, input: &ScriptInput, who: &str) -> Result<()> {
    let cur = current(conn, id)?;
    let s = normalized(conn, input)?;
    let who = text::canonical_vi_line(who);
    let t = now();
    let wording_changed =
        s.title != cur.title || s.body != cur.body || s.policy_ref != cur.policy_ref;
    let mut revision = cur.revision;
    let mut status = cur.status;
    if wording_changed {
        let frozen: bool = conn
            .query_row(
                "SELECT frozen FROM script_revisions WHERE script_id = ?1 AND revision = ?2",
                params![id, cur.revision],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(true);
        if frozen {
            revision += 1;
            conn.execute(
                "INSERT INTO script_revisions(script_id, revision, title, body, policy_ref,
                                              author, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![id, revision, s.title, s.body, s.policy_ref, who, t],
            )?;
        } else {
            conn.execute(
                "UPDATE script_revisions SET title = ?3, body = ?4, policy_ref = ?5,
                        author = CASE WHEN ?6 = '' THEN author ELSE ?6 END, updated_at = ?7
                  WHERE script_id = ?1 AND revision = ?2",
                params![id, revision, s.title, s.body, s.policy_ref, who, t],
            )?;
        }
        if status != Status::Draft {
            log_event(conn, id, &who, status, Status::Draft, revision, "edited")?;
            status = Status::Draft;
        }
    }
    conn.execute(
        "UPDATE scripts SET title = ?2, body = ?3, program_id = ?4, category = ?5, priority = ?6,
                status = ?7, policy_ref = ?8, target_langs = ?9, notes = ?10, target_seconds = ?11,
                air_from = ?12, air_until = ?13, revision = ?14, updated_at = ?15, reader_id = ?16,
                approved_by = CASE WHEN ?7 = 'approved' THEN approved_by ELSE '' END,
                approved_at = CASE WHEN ?7 = 'approved' THEN approved_at ELSE NULL END
          WHERE id = ?1",
        params![
            id,
            s.title,
            s.body,
            program_id(conn, &s.program)?,
            s.category.as_str(),
            s.priority.as_str(),
            status.as_str(),
            s.policy_ref,
            s.target_langs.join(","),
            s.notes,
            s.target_seconds,
            s.air_from,
            s.air_until,
            revision,
            t,
            s.reader_id
        ],
    )?;
    if wording_changed {
        reindex(conn, id)?;
    }
    Ok(())
}

/// Moves a script through the workflow. Approving needs a named approver
/// (the user's name from Settings); sending for approval freezes the
/// current revision.
pub fn set_status(db: &mut Db, id: i64, to: Status, who: &str, note: &str) -> Result<ScriptDetail> {
    let tx = db.conn_mut().transaction()?;
    set_status_in(&tx, id, to, who, note)?;
    tx.commit()?;
    get(db, id)
}

pub(crate) fn set_status_in(
    conn: &Connection,
    id: i64,
    to: Status,
    who: &str,
    note: &str,
) -> Result<()> {
    let cur = current(conn, id)?;
    let who = text::canonical_vi_line(who);
    if cur.status == to {
        return Ok(());
    }
    let allowed = matches!(
        (cur.status, to),
        (Status::Draft, Status::Review)
            | (Status::Review, Status::Approved)
            | (Status::Review, Status::Draft)
            | (Status::Approved, Status::Draft)
    );
    if !allowed {
        return Err(CoreError::invalid("status", "transition"));
    }
    if to == Status::Approved && who.is_empty() {
        return Err(CoreError::invalid("approver", "empty"));
    }
    if to == Status::Review {
        conn.execute(
            "UPDATE script_revisions SET frozen = 1 WHERE script_id = ?1 AND revision = ?2",
            params![id, cur.revision],
        )?;
    }
    let (approved_by, approved_at) = if to == Status::Approved {
        (who.clone(), Some(now()))
    } else {
        (String::new(), None)
    };
    conn.execute(
        "UPDATE scripts SET status = ?2, approved_by = ?3, approved_at = ?4, updated_at = ?5
          WHERE id = ?1",
        params![id, to.as_str(), approved_by, approved_at, now()],
    )?;
    log_event(conn, id, &who, cur.status, to, cur.revision, note)
}

/// Moves a script to the bin; [`undelete`] brings it back.
pub fn delete(db: &mut Db, id: i64) -> Result<()> {
    let n = db.conn().execute(
        "UPDATE scripts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
        params![id, now()],
    )?;
    if n == 0 {
        return Err(CoreError::not_found("script", id));
    }
    Ok(())
}

pub fn undelete(db: &mut Db, id: i64) -> Result<ScriptDetail> {
    let n = db.conn().execute(
        "UPDATE scripts SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
        [id],
    )?;
    if n == 0 {
        return Err(CoreError::not_found("script", id));
    }
    get(db, id)
}

const COLUMNS: &str = "SELECT s.id, s.title, p.name, s.category, s.priority, s.status,
        s.policy_ref, s.target_langs, s.body, s.updated_at, s.notes, s.source, s.created_at,
        s.target_seconds, s.revision, s.air_from, s.air_until, s.author, s.approved_by,
        s.approved_at, s.reader_id";

fn parse_enum<T>(i: usize, v: String, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    parse(&v).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown value {v}").into(),
        )
    })
}

fn split_langs(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn detail_row(
    r: &rusqlite::Row,
    rates: &crate::draft::reading::Rates,
) -> rusqlite::Result<ScriptDetail> {
    let body: String = r.get(8)?;
    let reader_id: Option<i64> = r.get(20)?;
    let langs = split_langs(&r.get::<_, String>(7)?);
    let est = estimate(&body, rates.rate(reader_id, &langs));
    let category = parse_enum(3, r.get(3)?, Category::parse)?;
    let priority = parse_enum(4, r.get(4)?, Priority::parse)?;
    let program: Option<String> = r.get(2)?;
    let input = ScriptInput {
        title: r.get(1)?,
        body,
        program: program.clone().unwrap_or_default(),
        category,
        priority,
        policy_ref: r.get(6)?,
        target_langs: langs,
        target_seconds: r.get(13)?,
        air_from: r.get(15)?,
        air_until: r.get(16)?,
        notes: r.get(10)?,
        reader_id,
    };
    Ok(ScriptDetail {
        summary: ScriptSummary {
            id: r.get(0)?,
            title: input.title.clone(),
            program,
            category,
            priority,
            status: parse_enum(5, r.get(5)?, Status::parse)?,
            policy_ref: input.policy_ref.clone(),
            target_langs: input.target_langs.clone(),
            syllables: est.syllables,
            est_seconds: est.seconds,
            target_seconds: input.target_seconds,
            revision: r.get(14)?,
            updated_at: r.get(9)?,
            title_hit: None,
            snippet: None,
        },
        input,
        source: r.get(11)?,
        created_at: r.get(12)?,
        author: r.get(17)?,
        approved_by: r.get(18)?,
        approved_at: r.get(19)?,
    })
}

/// The search query as FTS5 wants it: each folded word as a quoted prefix
/// term, all required. None when the query has no words.
fn fts_query(search: &str) -> Option<(String, Vec<String>)> {
    let words: Vec<String> = text::fold(search)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    if words.is_empty() {
        return None;
    }
    let q = words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ");
    Some((q, words))
}

/// Scripts matching the query, at most `limit` (default 1000).
///
/// With a search and relevance order: scripts whose title has every word
/// come first, ranked by BM25; then the other matches, newest first. Common
/// policy words ("chính sách") match most scripts, and BM25 over tens of
/// thousands of body matches costs time and tells the user nothing; FTS5
/// walks the rest in rowid order and stops when the page is full.
pub fn list(db: &Db, q: &ScriptQuery) -> Result<Vec<ScriptSummary>> {
    let search = q.search.as_deref().and_then(fts_query);
    let limit = q.limit.unwrap_or(DEFAULT_LIST_LIMIT).min(10_000);
    let sort = q.sort.unwrap_or(if search.is_some() {
        SortBy::Relevance
    } else {
        SortBy::Updated
    });
    let mut out = match (&search, sort) {
        (Some((fts, _)), SortBy::Relevance) => {
            let mut found = query(
                db,
                q,
                Some(&format!("{{title}} : ({fts})")),
                Order::Rank,
                limit,
                &[],
            )?;
            if (found.len() as u32) < limit {
                let seen: Vec<i64> = found.iter().map(|s| s.id).collect();
                let rest = limit - found.len() as u32;
                found.extend(query(db, q, Some(fts), Order::Newest, rest, &seen)?);
            }
            found
        }
        (Some((fts, _)), _) => query(db, q, Some(fts), Order::Newest, limit, &[])?,
        (None, _) => query(db, q, None, Order::Newest, limit, &[])?,
    };
    if let Some((_, words)) = &search {
        for s in &mut out {
            s.title_hit = Some(mark(&s.title, words)).filter(|m| !m.marks.is_empty());
        }
    }
    match sort {
        SortBy::Title => out.sort_by_cached_key(|s| text::fold(&s.title)),
        SortBy::Duration => out.sort_by_key(|s| std::cmp::Reverse(s.est_seconds)),
        SortBy::Priority => out.sort_by_key(|s| match s.priority {
            Priority::Emergency => 0,
            Priority::Priority => 1,
            Priority::Normal => 2,
        }),
        SortBy::Updated if search.is_none() => {}
        SortBy::Updated => out.sort_by_key(|s| std::cmp::Reverse(s.updated_at)),
        SortBy::Relevance => {}
    }
    Ok(out)
}

enum Order {
    Rank,
    Newest,
}

/// One page of scripts matching `fts` (an FTS5 expression) and the filters,
/// skipping `exclude`.
fn query(
    db: &Db,
    q: &ScriptQuery,
    fts: Option<&str>,
    order: Order,
    limit: u32,
    exclude: &[i64],
) -> Result<Vec<ScriptSummary>> {
    let mut filters = vec!["s.deleted_at IS NULL".to_string()];
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut arg = |v: rusqlite::types::Value| {
        args.push(v);
        format!("?{}", args.len())
    };
    let from = match fts {
        Some(expr) => {
            let p = arg(expr.to_string().into());
            filters.push(format!("f.scripts_fts MATCH {p}"));
            "scripts_fts f JOIN scripts s ON s.id = f.rowid LEFT JOIN programs p ON p.id = s.program_id"
        }
        None => "scripts s LEFT JOIN programs p ON p.id = s.program_id",
    };
    if let Some(st) = q.status {
        let p = arg(st.as_str().to_string().into());
        filters.push(format!("s.status = {p}"));
    }
    if let Some(c) = q.category {
        let p = arg(c.as_str().to_string().into());
        filters.push(format!("s.category = {p}"));
    }
    if let Some(pr) = q.priority {
        let p = arg(pr.as_str().to_string().into());
        filters.push(format!("s.priority = {p}"));
    }
    if let Some(prog) = q.program.as_deref().filter(|p| !p.is_empty()) {
        let p = arg(text::canonical_vi_line(prog).into());
        filters.push(format!("p.name = {p}"));
    }
    if let Some(lang) = q.lang.as_deref().filter(|l| !l.is_empty()) {
        let p = arg(lang.to_string().into());
        filters.push(format!(
            "(',' || s.target_langs || ',') LIKE '%,' || {p} || ',%'"
        ));
    }
    for (bound, op) in [(&q.updated_from, ">="), (&q.updated_to, "<=")] {
        if let Some(d) = bound.as_deref().filter(|d| !d.is_empty()) {
            if !valid_date(d) {
                return Err(CoreError::invalid("date-range", "bad-date"));
            }
            let p = arg(d.to_string().into());
            // The clock's offset, not SQLite's `localtime`, so the dates
            // agree with every other date the core computes.
            let off = arg(crate::base::clock::local_offset(db.conn())?.into());
            filters.push(format!("date(s.updated_at + {off}, 'unixepoch') {op} {p}"));
        }
    }
    if !exclude.is_empty() {
        let ids: Vec<String> = exclude.iter().map(i64::to_string).collect();
        filters.push(format!("s.id NOT IN ({})", ids.join(",")));
    }
    let order = match (order, fts.is_some()) {
        (Order::Rank, true) => "f.rank",
        (_, true) => "f.rowid DESC",
        // Emergencies first, then the most recently edited.
        (_, false) => "s.priority = 'emergency' DESC, s.updated_at DESC, s.id DESC",
    };
    let sql = format!(
        "{COLUMNS} FROM {from} WHERE {} ORDER BY {order} LIMIT {limit}",
        filters.join(" AND ")
    );
    let words = fts
        .and_then(|_| q.search.as_deref().and_then(fts_query))
        .map(|x| x.1);
    let mut stmt = db.conn().prepare_cached(&sql)?;
    let rates = crate::draft::reading::Rates::load(db)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| detail_row(r, &rates))?;
    let mut out = Vec::new();
    for row in rows {
        let d = row?;
        let mut s = d.summary;
        if let Some(words) = &words {
            s.snippet = [&d.input.body, &d.input.policy_ref]
                .into_iter()
                .map(|t| snippet(t, words))
                .find(|m| !m.marks.is_empty());
        }
        out.push(s);
    }
    Ok(out)
}

/// Marks every word of `text` whose search key starts with one of `words`
/// (the same prefix rule as the full-text query).
pub fn mark(text_: &str, words: &[String]) -> Marked {
    let mut marks = Vec::new();
    let mut utf16 = 0u32;
    let mut word_start: Option<(u32, usize)> = None;
    let flush = |start: u32, from: usize, to: usize, end16: u32, marks: &mut Vec<(u32, u32)>| {
        let key = text::fold(&text_[from..to]);
        if words.iter().any(|w| key.starts_with(w.as_str())) {
            marks.push((start, end16));
        }
    };
    for (i, c) in text_.char_indices() {
        if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
            if word_start.is_none() {
                word_start = Some((utf16, i));
            }
        } else if let Some((s16, s)) = word_start.take() {
            flush(s16, s, i, utf16, &mut marks);
        }
        utf16 += c.len_utf16() as u32;
    }
    if let Some((s16, s)) = word_start {
        flush(s16, s, text_.len(), utf16, &mut marks);
    }
    Marked {
        text: text_.to_string(),
        marks,
    }
}

/// About 30 words around the first match, on word boundaries, marked.
fn snippet(full: &str, words: &[String]) -> Marked {
    const BEFORE: usize = 8;
    const AFTER: usize = 22;
    let tokens: Vec<&str> = full.split_whitespace().collect();
    let hit = tokens.iter().position(|t| {
        t.split(|c: char| !c.is_alphanumeric()).any(|part| {
            let key = text::fold(part);
            !key.is_empty() && words.iter().any(|w| key.starts_with(w.as_str()))
        })
    });
    let Some(hit) = hit else {
        return Marked {
            text: String::new(),
            marks: vec![],
        };
    };
    let from = hit.saturating_sub(BEFORE);
    let to = (hit + AFTER).min(tokens.len());
    let mut text_ = tokens[from..to].join(" ");
    if from > 0 {
        text_.insert_str(0, "… ");
    }
    if to < tokens.len() {
        text_.push_str(" …");
    }
    mark(&text_, words)
}

pub fn get(db: &Db, id: i64) -> Result<ScriptDetail> {
    let rates = crate::draft::reading::Rates::load(db)?;
    db.conn()
        .query_row(
            &format!("{COLUMNS} FROM scripts s LEFT JOIN programs p ON p.id = s.program_id WHERE s.id = ?1 AND s.deleted_at IS NULL"),
            [id],
            |r| detail_row(r, &rates),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("script", id))
}

pub fn count(db: &Db) -> Result<u32> {
    Ok(db.conn().query_row(
        "SELECT count(*) FROM scripts WHERE deleted_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// The user-managed program list, in Vietnamese alphabetical order.
pub fn programs(db: &Db) -> Result<Vec<String>> {
    let mut names: Vec<String> = db
        .conn()
        .prepare_cached("SELECT name FROM programs")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names.sort_by_cached_key(|n| text::fold(n));
    Ok(names)
}

pub fn revisions(db: &Db, id: i64) -> Result<Vec<RevisionInfo>> {
    current(db.conn(), id)?;
    let mut stmt = db.conn().prepare_cached(
        "SELECT revision, title, author, frozen, body, created_at, updated_at
           FROM script_revisions WHERE script_id = ?1 ORDER BY revision DESC",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(RevisionInfo {
            revision: r.get(0)?,
            title: r.get(1)?,
            author: r.get(2)?,
            frozen: r.get(3)?,
            syllables: text::spoken_syllables(&r.get::<_, String>(4)?) as u32,
            created_at: r.get(5)?,
            updated_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn revision_text(conn: &Connection, id: i64, rev: u32) -> Result<(String, String, String)> {
    conn.query_row(
        "SELECT title, policy_ref, body FROM script_revisions WHERE script_id = ?1 AND revision = ?2",
        params![id, rev],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()?
    .ok_or_else(|| CoreError::not_found("revision", format!("{id}/{rev}")))
}

/// Word-level differences between two revisions of a script.
pub fn diff(db: &Db, id: i64, from: u32, to: u32) -> Result<RevisionDiff> {
    let a = revision_text(db.conn(), id, from)?;
    let b = revision_text(db.conn(), id, to)?;
    Ok(RevisionDiff {
        from,
        to,
        title: word_diff(&a.0, &b.0),
        policy_ref: word_diff(&a.1, &b.1),
        body: word_diff(&a.2, &b.2),
    })
}

/// Diffs on words. A change that touches several nearby words comes back as
/// one deletion and one insertion rather than a word-by-word zipper: a
/// whitespace-only stretch between two changes counts as changed.
pub fn word_diff(a: &str, b: &str) -> Vec<DiffChunk> {
    let d = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_words(a, b);
    let raw: Vec<(DiffOp, &str)> = d
        .iter_all_changes()
        .map(|c| {
            let op = match c.tag() {
                similar::ChangeTag::Equal => DiffOp::Equal,
                similar::ChangeTag::Insert => DiffOp::Insert,
                similar::ChangeTag::Delete => DiffOp::Delete,
            };
            (op, c.value())
        })
        .collect();
    let mut out: Vec<DiffChunk> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<DiffChunk>, del: &mut String, ins: &mut String| {
        for (op, text) in [(DiffOp::Delete, del), (DiffOp::Insert, ins)] {
            if !text.is_empty() {
                out.push(DiffChunk {
                    op,
                    text: std::mem::take(text),
                });
            }
        }
    };
    for (i, (op, text)) in raw.iter().enumerate() {
        let bridged = *op == DiffOp::Equal
            && text.trim().is_empty()
            && i > 0
            && raw[i - 1].0 != DiffOp::Equal
            && raw.get(i + 1).is_some_and(|n| n.0 != DiffOp::Equal);
        match op {
            DiffOp::Delete => del.push_str(text),
            DiffOp::Insert => ins.push_str(text),
            DiffOp::Equal if bridged => {
                del.push_str(text);
                ins.push_str(text);
            }
            DiffOp::Equal => {
                flush(&mut out, &mut del, &mut ins);
                match out.last_mut() {
                    Some(last) if last.op == DiffOp::Equal => last.text.push_str(text),
                    _ => out.push(DiffChunk {
                        op: DiffOp::Equal,
                        text: text.to_string(),
                    }),
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// Makes an old revision's wording current again. This is an edit like any
/// other: an approved script goes back to draft under a new revision.
pub fn restore(db: &mut Db, id: i64, rev: u32, who: &str) -> Result<ScriptDetail> {
    let (title, policy_ref, body) = revision_text(db.conn(), id, rev)?;
    let mut input = get(db, id)?.input;
    input.title = title;
    input.policy_ref = policy_ref;
    input.body = body;
    update(db, id, &input, who)
}

pub fn events(db: &Db, id: i64) -> Result<Vec<ScriptEvent>> {
    current(db.conn(), id)?;
    let mut stmt = db.conn().prepare_cached(
        "SELECT at, who, from_status, to_status, revision, note FROM script_events
          WHERE script_id = ?1 ORDER BY at DESC, id DESC",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(ScriptEvent {
            at: r.get(0)?,
            who: r.get(1)?,
            from_status: parse_enum(2, r.get(2)?, Status::parse)?,
            to_status: parse_enum(3, r.get(3)?, Status::parse)?,
            revision: r.get(4)?,
            note: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, body: &str) -> ScriptInput {
        ScriptInput {
            title: title.into(),
            body: body.into(),
            program: "Truyền thông chính sách".into(),
            category: Category::Health,
            policy_ref: "Chỉ thị 07/CT-TTg".into(),
            ..Default::default()
        }
    }

    fn search(db: &Db, q: &str) -> Vec<ScriptSummary> {
        list(
            db,
            &ScriptQuery {
                search: Some(q.into()),
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn create_normalizes_and_search_ignores_diacritics() {
        let mut db = Db::open_in_memory().unwrap();
        let d = create(
            &mut db,
            &input(
                "  Lịch tiêm chủng  ",
                "Uỷ ban nhân dân xã thông báo đường sẽ sửa.\n\n",
            ),
            "Hoà",
        )
        .unwrap();
        assert_eq!(d.summary.title, "Lịch tiêm chủng");
        assert_eq!(d.input.body, "Ủy ban nhân dân xã thông báo đường sẽ sửa.");
        assert_eq!(d.author, "Hòa");
        assert_eq!(d.summary.syllables, 10);
        assert_eq!(d.summary.est_seconds, 5);
        assert_eq!(
            d.summary.program.as_deref(),
            Some("Truyền thông chính sách")
        );
        for q in ["duong", "UY BAN", "tiem chung", "07/ct-ttg", "thong bao"] {
            assert_eq!(search(&db, q).len(), 1, "{q}");
        }
        assert!(search(&db, "100%").is_empty());
        assert!(search(&db, "cắt điện").is_empty());
    }

    #[test]
    fn title_hits_rank_first_and_are_marked() {
        let mut db = Db::open_in_memory().unwrap();
        create(
            &mut db,
            &input("Thông báo chung", "Lịch tiêm chủng cho trẻ em tháng 5."),
            "",
        )
        .unwrap();
        create(
            &mut db,
            &input("Lịch tiêm chủng mở rộng", "Thông báo của trạm y tế."),
            "",
        )
        .unwrap();
        let hits = search(&db, "tiem chung");
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].title, "Lịch tiêm chủng mở rộng");
        let t = hits[0].title_hit.as_ref().unwrap();
        let utf16: Vec<u16> = t.text.encode_utf16().collect();
        let marked: Vec<String> = t
            .marks
            .iter()
            .map(|(a, b)| String::from_utf16(&utf16[*a as usize..*b as usize]).unwrap())
            .collect();
        assert_eq!(marked, vec!["tiêm", "chủng"]);
        let s = hits[1].snippet.as_ref().unwrap();
        assert_eq!(s.marks.len(), 2);
    }

    #[test]
    fn workflow_and_revisions() {
        let mut db = Db::open_in_memory().unwrap();
        let id = create(&mut db, &input("Tiêm chủng", "Bản nháp đầu."), "Lan")
            .unwrap()
            .summary
            .id;
        // Draft edits amend revision 1.
        let d = update(
            &mut db,
            id,
            &input("Tiêm chủng", "Bản nháp thứ hai."),
            "Lan",
        )
        .unwrap();
        assert_eq!(d.summary.revision, 1);
        assert_eq!(revisions(&db, id).unwrap().len(), 1);

        // Straight to approved is not a valid move, nor approving anonymously.
        let err = set_status(&mut db, id, Status::Approved, "Lan", "").unwrap_err();
        assert_eq!(err.code(), "invalid");
        set_status(&mut db, id, Status::Review, "Lan", "").unwrap();
        let err = set_status(&mut db, id, Status::Approved, "  ", "").unwrap_err();
        assert_eq!(err.args()[0].1, "approver");
        let d = set_status(&mut db, id, Status::Approved, "Trưởng đài", "Đồng ý").unwrap();
        assert_eq!(d.summary.status, Status::Approved);
        assert_eq!(d.approved_by, "Trưởng đài");
        assert!(d.approved_at.is_some());

        // A metadata-only change keeps the approval.
        let mut meta = d.input.clone();
        meta.notes = "Phát 2 lần".into();
        let d = update(&mut db, id, &meta, "Lan").unwrap();
        assert_eq!(d.summary.status, Status::Approved);

        // Editing the wording of an approved script: new revision, back to draft.
        let mut edited = d.input.clone();
        edited.body = "Bản đã sửa sau khi duyệt.".into();
        let d = update(&mut db, id, &edited, "Lan").unwrap();
        assert_eq!(d.summary.status, Status::Draft);
        assert_eq!(d.summary.revision, 2);
        assert_eq!(d.approved_by, "");
        let revs = revisions(&db, id).unwrap();
        assert_eq!(
            revs.iter().map(|r| r.revision).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert!(revs[1].frozen && !revs[0].frozen);

        let diff = diff(&db, id, 1, 2).unwrap();
        let ops: Vec<(DiffOp, &str)> = diff.body.iter().map(|c| (c.op, c.text.as_str())).collect();
        assert!(ops.contains(&(DiffOp::Delete, "nháp thứ hai.")), "{ops:?}");
        assert!(
            ops.contains(&(DiffOp::Insert, "đã sửa sau khi duyệt.")),
            "{ops:?}"
        );

        // Restoring revision 1 is an edit of the draft revision 2.
        let d = restore(&mut db, id, 1, "Lan").unwrap();
        assert_eq!(d.input.body, "Bản nháp thứ hai.");
        assert_eq!(d.summary.revision, 2);

        let ev = events(&db, id).unwrap();
        let moves: Vec<(Status, Status)> =
            ev.iter().map(|e| (e.from_status, e.to_status)).collect();
        assert_eq!(
            moves,
            vec![
                (Status::Approved, Status::Draft),
                (Status::Review, Status::Approved),
                (Status::Draft, Status::Review)
            ]
        );
    }

    #[test]
    fn delete_and_undo() {
        let mut db = Db::open_in_memory().unwrap();
        let id = create(&mut db, &input("Cắt điện", "Lịch cắt điện."), "")
            .unwrap()
            .summary
            .id;
        delete(&mut db, id).unwrap();
        assert!(search(&db, "cat dien").is_empty());
        assert_eq!(get(&db, id).unwrap_err().code(), "not-found");
        assert_eq!(delete(&mut db, id).unwrap_err().code(), "not-found");
        undelete(&mut db, id).unwrap();
        assert_eq!(search(&db, "cat dien").len(), 1);
    }

    #[test]
    fn filters_and_sorting() {
        let mut db = Db::open_in_memory().unwrap();
        let mut a = input("Bão số 3", "Cảnh báo bão.");
        a.priority = Priority::Emergency;
        a.category = Category::Disaster;
        a.target_langs = vec!["vie".into(), "ktv".into()];
        create(&mut db, &a, "").unwrap();
        let mut b = input("An toàn giao thông", &"Đi đúng làn đường. ".repeat(40));
        b.program = "Bản tin thời sự".into();
        create(&mut db, &b, "").unwrap();
        let q = |f: ScriptQuery| {
            list(&db, &f)
                .unwrap()
                .into_iter()
                .map(|s| s.title)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            q(ScriptQuery {
                lang: Some("ktv".into()),
                ..Default::default()
            }),
            vec!["Bão số 3"]
        );
        assert_eq!(
            q(ScriptQuery {
                category: Some(Category::Disaster),
                ..Default::default()
            }),
            vec!["Bão số 3"]
        );
        assert_eq!(
            q(ScriptQuery {
                program: Some("Bản tin thời sự".into()),
                ..Default::default()
            }),
            vec!["An toàn giao thông"]
        );
        assert_eq!(
            q(ScriptQuery {
                sort: Some(SortBy::Title),
                ..Default::default()
            }),
            vec!["An toàn giao thông", "Bão số 3"]
        );
        assert_eq!(
            q(ScriptQuery {
                sort: Some(SortBy::Duration),
                ..Default::default()
            }),
            vec!["An toàn giao thông", "Bão số 3"]
        );
        // Emergencies first by default.
        assert_eq!(q(ScriptQuery::default())[0], "Bão số 3");
        assert!(q(ScriptQuery {
            updated_to: Some("2000-01-01".into()),
            ..Default::default()
        })
        .is_empty());
        let err = list(
            &db,
            &ScriptQuery {
                updated_from: Some("2025-02-30".into()),
                ..Default::default()
            },
        );
        assert_eq!(err.unwrap_err().code(), "invalid");
        assert_eq!(
            programs(&db).unwrap(),
            vec!["Bản tin thời sự", "Truyền thông chính sách"]
        );
    }

    #[test]
    fn bad_input_is_refused_and_changes_nothing() {
        let mut db = Db::open_in_memory().unwrap();
        let bad = |f: fn(&mut ScriptInput)| {
            let mut i = input("Tiêu đề", "Nội dung");
            f(&mut i);
            i
        };
        let cases: Vec<(ScriptInput, &str)> = vec![
            (bad(|i| i.title = " \u{200B} ".into()), "title"),
            (bad(|i| i.body = "a ".repeat(MAX_BODY_BYTES)), "body"),
            (bad(|i| i.air_from = "2025-13-01".into()), "air-dates"),
            (bad(|i| i.air_from = "2024-02-29".into()), ""),
            (
                bad(|i| {
                    i.air_from = "2025-05-02".into();
                    i.air_until = "2025-05-01".into();
                }),
                "air-dates",
            ),
            (bad(|i| i.target_langs = vec!["xyz".into()]), "target-langs"),
            (bad(|i| i.target_seconds = 99_999), "target-seconds"),
        ];
        for (i, field) in cases {
            match create(&mut db, &i, "") {
                Ok(_) => assert_eq!(field, "", "accepted a bad {field}"),
                Err(e) => assert_eq!(e.args()[0].1, field),
            }
        }
        assert_eq!(count(&db).unwrap(), 1, "only the valid leap day was saved");
        assert_eq!(get(&db, 42).unwrap_err().code(), "not-found");
        // A failed update leaves the script as it was.
        let id = list(&db, &ScriptQuery::default()).unwrap()[0].id;
        let before = get(&db, id).unwrap();
        assert!(update(&mut db, id, &bad(|i| i.title = String::new()), "").is_err());
        assert_eq!(get(&db, id).unwrap().input, before.input);
    }

    #[test]
    fn diff_sides_rebuild_both_texts() {
        let (a, b) = (
            "Họp dân lúc 7h30 tại nhà văn hóa thôn.",
            "Họp dân lúc 8h tại hội trường thôn 2.",
        );
        let d = word_diff(a, b);
        let side = |skip: DiffOp| {
            d.iter()
                .filter(|c| c.op != skip)
                .map(|c| c.text.as_str())
                .collect::<String>()
        };
        assert_eq!(side(DiffOp::Insert), a);
        assert_eq!(side(DiffOp::Delete), b);
        assert!(d
            .iter()
            .any(|c| c.op == DiffOp::Equal && c.text.contains("Họp dân lúc")));
        assert!(word_diff("giống nhau", "giống nhau")
            .iter()
            .all(|c| c.op == DiffOp::Equal));
    }

    #[test]
    fn reading_time() {
        assert_eq!(estimate_seconds(130, 130), 60);
        assert_eq!(estimate_seconds(131, 130), 61);
        assert_eq!(estimate_seconds(0, 0), 0);
    }
}
