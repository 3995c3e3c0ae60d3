//! Broadcast scripts: drafting, the approval workflow, revisions, search.
//!
//! Workflow: draft → review → approved (and back to draft). Sending a draft
//! for approval freezes its revision; the next edit of a frozen revision
//! starts a new one and returns the script to draft, so what was approved is
//! never changed behind the approver's back.

use crate::base::calendar::Date;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod edit;
mod history;
mod search;
mod workflow;

pub use crate::draft::reading::{
    estimate, estimate_for, estimate_seconds, EstimateRequest, ReadingEstimate,
};
pub(crate) use edit::create_in;
pub use edit::{create, delete, undelete, update};
pub use history::{diff, restore, revisions, word_diff};
pub use search::{list, mark};
pub(crate) use workflow::set_status_in;
pub use workflow::{events, set_status};

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

/// A `YYYY-MM-DD` of this era: a year like 0026 is a typing slip.
fn plausible_date(s: &str) -> bool {
    Date::parse(s).is_some_and(|d| (1900..=2200).contains(&d.ymd().0))
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
        if !d.is_empty() && !plausible_date(d) {
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

enum Order {
    Rank,
    Newest,
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

#[cfg(test)]
mod tests;
