//! Revisions of a script: the list, word-level differences between two, and
//! restoring an earlier one as a new edit.

use super::edit::update;
use super::{current, get, DiffChunk, DiffOp, RevisionDiff, RevisionInfo, ScriptDetail};
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::{params, Connection, OptionalExtension};

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
