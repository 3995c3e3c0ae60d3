//! The full-text index of scripts: their title, policy reference and text
//! folded (no diacritics, đ as d), so a search typed without accents finds
//! them. SQLite's FTS5 keeps it; this keeps it in step with the scripts.

use crate::base::error::Result;
use crate::base::text;
use rusqlite::{params, Connection, Params};

/// Re-indexes one script (a deleted one leaves the index), or every script.
pub fn index_scripts(conn: &Connection, id: Option<i64>) -> Result<()> {
    // Two statements each, not one with `?1 IS NULL OR …`: an edit (every
    // autosave) must look up its one row, not scan the table.
    match id {
        Some(id) => {
            conn.execute("DELETE FROM scripts_fts WHERE rowid = ?1", [id])?;
            insert(
                conn,
                "SELECT id, title, policy_ref, body FROM scripts WHERE id = ?1",
                [id],
            )
        }
        None => {
            conn.execute("DELETE FROM scripts_fts", [])?;
            insert(conn, "SELECT id, title, policy_ref, body FROM scripts", [])
        }
    }
}

fn insert(conn: &Connection, select: &str, p: impl Params) -> Result<()> {
    let scripts = conn
        .prepare_cached(select)?
        .query_map(p, |r| {
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
