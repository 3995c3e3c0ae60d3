//! The full-text index of scripts: their title, policy reference and text
//! folded (no diacritics, đ as d), so a search typed without accents finds
//! them. SQLite's FTS5 keeps it; this keeps it in step with the scripts.

use crate::base::error::Result;
use crate::base::text;
use rusqlite::{params, Connection};

/// Re-indexes one script (a deleted one leaves the index), or every script.
pub fn index_scripts(conn: &Connection, id: Option<i64>) -> Result<()> {
    conn.execute(
        "DELETE FROM scripts_fts WHERE ?1 IS NULL OR rowid = ?1",
        [id],
    )?;
    let mut rows = conn.prepare_cached(
        "SELECT id, title, policy_ref, body FROM scripts WHERE ?1 IS NULL OR id = ?1",
    )?;
    let scripts = rows
        .query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO scripts_fts(rowid, title, policy_ref, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (id, title, policy_ref, body) in scripts {
        insert.execute(params![
            id,
            text::fold(&title),
            text::fold(&policy_ref),
            text::fold(&body)
        ])?;
    }
    Ok(())
}
