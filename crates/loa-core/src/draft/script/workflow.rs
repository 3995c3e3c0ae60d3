//! The approval workflow: draft → review → approved (and back to draft),
//! each move logged with who, when and a note.

use super::{current, get, parse_enum, ScriptDetail, ScriptEvent, Status};
use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::{params, Connection};

pub(super) fn log_event(
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
