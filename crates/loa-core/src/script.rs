//! Broadcast scripts. This first cut stores, lists, searches and shows them;
//! editing, workflow and revisions build on it.

use crate::error::{CoreError, Result};
use crate::store::{like_contains, now, Db};
use crate::text;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Default radio reading rate in syllables per minute (the middle of the
/// 120–140 range announcers read at on commune loudspeakers).
pub const DEFAULT_SYLLABLES_PER_MINUTE: u32 = 130;
const MAX_TITLE_CHARS: usize = 300;
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

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

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewScript {
    pub title: String,
    pub body: String,
    #[ts(optional)]
    pub program: Option<String>,
    pub category: Category,
    pub priority: Priority,
    pub status: Status,
    pub policy_ref: String,
    pub target_langs: Vec<String>,
    pub notes: String,
    pub source: String,
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
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScriptDetail {
    pub summary: ScriptSummary,
    pub body: String,
    pub notes: String,
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
}

/// Estimated reading time in whole seconds at `syllables_per_minute`.
pub fn estimate_seconds(syllables: u32, syllables_per_minute: u32) -> u32 {
    let rate = syllables_per_minute.max(1);
    (syllables * 60).div_ceil(rate)
}

fn program_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let name = text::canonical_vi_line(name);
    if name.is_empty() {
        return Ok(None);
    }
    conn.execute("INSERT OR IGNORE INTO programs(name) VALUES (?1)", [&name])?;
    Ok(Some(conn.query_row(
        "SELECT id FROM programs WHERE name = ?1",
        [&name],
        |r| r.get(0),
    )?))
}

pub fn create(db: &mut Db, new: &NewScript) -> Result<i64> {
    let tx = db.conn_mut().transaction()?;
    let id = create_in(&tx, new)?;
    tx.commit()?;
    Ok(id)
}

pub(crate) fn create_in(conn: &Connection, new: &NewScript) -> Result<i64> {
    let title = text::canonical_vi_line(&new.title);
    if title.is_empty() {
        return Err(CoreError::invalid("title", "empty"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(CoreError::invalid("title", "too-long"));
    }
    if new.body.len() > MAX_BODY_BYTES {
        return Err(CoreError::invalid("body", "too-long"));
    }
    let body = text::canonical_vi(&new.body);
    let policy_ref = text::canonical_vi_line(&new.policy_ref);
    let program = match &new.program {
        Some(p) => program_id(conn, p)?,
        None => None,
    };
    let search_key = text::fold(&format!("{title}\n{policy_ref}\n{body}"));
    let t = now();
    conn.execute(
        "INSERT INTO scripts(title, body, program_id, category, priority, status, policy_ref,
                             target_langs, notes, source, search_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        params![
            title,
            body,
            program,
            new.category.as_str(),
            new.priority.as_str(),
            new.status.as_str(),
            policy_ref,
            new.target_langs.join(","),
            text::canonical_vi(&new.notes),
            text::canonical_vi_line(&new.source),
            search_key,
            t
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const SELECT: &str = "SELECT s.id, s.title, p.name, s.category, s.priority, s.status,
        s.policy_ref, s.target_langs, s.body, s.updated_at, s.notes, s.source, s.created_at
   FROM scripts s LEFT JOIN programs p ON p.id = s.program_id";

fn detail_row(r: &rusqlite::Row) -> rusqlite::Result<ScriptDetail> {
    let body: String = r.get(8)?;
    let syllables = text::syllable_count(&body) as u32;
    let bad = |i: usize, v: String| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown value {v}").into(),
        )
    };
    let cat: String = r.get(3)?;
    let pri: String = r.get(4)?;
    let st: String = r.get(5)?;
    let langs: String = r.get(7)?;
    Ok(ScriptDetail {
        summary: ScriptSummary {
            id: r.get(0)?,
            title: r.get(1)?,
            program: r.get(2)?,
            category: Category::parse(&cat).ok_or_else(|| bad(3, cat.clone()))?,
            priority: Priority::parse(&pri).ok_or_else(|| bad(4, pri.clone()))?,
            status: Status::parse(&st).ok_or_else(|| bad(5, st.clone()))?,
            policy_ref: r.get(6)?,
            target_langs: langs
                .split(',')
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            syllables,
            est_seconds: estimate_seconds(syllables, DEFAULT_SYLLABLES_PER_MINUTE),
            updated_at: r.get(9)?,
        },
        body,
        notes: r.get(10)?,
        source: r.get(11)?,
        created_at: r.get(12)?,
    })
}

/// Scripts matching the search over title, policy reference and body
/// (diacritics and case ignored), emergencies first, then newest.
pub fn list(db: &Db, q: &ScriptQuery) -> Result<Vec<ScriptSummary>> {
    let pattern = like_contains(&text::fold(q.search.as_deref().unwrap_or("")));
    let status = q.status.map(Status::as_str).unwrap_or("");
    let mut stmt = db.conn().prepare_cached(&format!(
        "{SELECT} WHERE (?1 = '' OR s.search_key LIKE ?1 ESCAPE '\\')
                    AND (?2 = '' OR s.status = ?2)
          ORDER BY s.priority = 'emergency' DESC, s.updated_at DESC, s.id DESC"
    ))?;
    let rows = stmt.query_map(params![pattern, status], detail_row)?;
    Ok(rows
        .map(|r| r.map(|d| d.summary))
        .collect::<rusqlite::Result<_>>()?)
}

pub fn get(db: &Db, id: i64) -> Result<ScriptDetail> {
    db.conn()
        .query_row(&format!("{SELECT} WHERE s.id = ?1"), [id], detail_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("script", id))
}

pub fn count(db: &Db) -> Result<u32> {
    Ok(db
        .conn()
        .query_row("SELECT count(*) FROM scripts", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(title: &str, body: &str) -> NewScript {
        NewScript {
            title: title.into(),
            body: body.into(),
            program: Some("Truyền thông chính sách".into()),
            category: Category::Health,
            priority: Priority::Normal,
            status: Status::Draft,
            policy_ref: "Chỉ thị 07/CT-TTg".into(),
            target_langs: vec!["vie".into()],
            notes: String::new(),
            source: String::new(),
        }
    }

    #[test]
    fn create_normalizes_and_search_ignores_diacritics() {
        let mut db = Db::open_in_memory().unwrap();
        let id = create(
            &mut db,
            &sample(
                "  Lịch tiêm chủng  ",
                "Uỷ ban nhân dân xã thông báo đường sẽ sửa.",
            ),
        )
        .unwrap();
        let d = get(&db, id).unwrap();
        assert_eq!(d.summary.title, "Lịch tiêm chủng");
        assert_eq!(d.body, "Ủy ban nhân dân xã thông báo đường sẽ sửa.");
        assert_eq!(d.summary.syllables, 10);
        assert_eq!(d.summary.est_seconds, 5);
        assert_eq!(
            d.summary.program.as_deref(),
            Some("Truyền thông chính sách")
        );
        for q in ["duong", "UY BAN", "tiem chung", "07/ct-ttg"] {
            let hits = list(
                &db,
                &ScriptQuery {
                    search: Some(q.into()),
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(hits.len(), 1, "{q}");
        }
        let none = list(
            &db,
            &ScriptQuery {
                search: Some("100%".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn bad_input_is_refused() {
        let mut db = Db::open_in_memory().unwrap();
        assert_eq!(
            create(&mut db, &sample(" \u{200B} ", "x"))
                .unwrap_err()
                .code(),
            "invalid"
        );
        let huge = "a ".repeat(MAX_BODY_BYTES);
        assert_eq!(
            create(&mut db, &sample("t", &huge)).unwrap_err().code(),
            "invalid"
        );
        assert_eq!(count(&db).unwrap(), 0);
        assert_eq!(get(&db, 42).unwrap_err().code(), "not-found");
    }

    #[test]
    fn reading_time() {
        assert_eq!(estimate_seconds(130, 130), 60);
        assert_eq!(estimate_seconds(131, 130), 61);
        assert_eq!(estimate_seconds(0, 0), 0);
    }
}
