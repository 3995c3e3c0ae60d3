//! Writing scripts: create, edit (a frozen revision starts a new one), the
//! bin and back.

use super::search::reindex;
use super::workflow::log_event;
use super::{current, get, normalized, program_id, ScriptDetail, ScriptInput, Status};
use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::{params, Connection, OptionalExtension};

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
