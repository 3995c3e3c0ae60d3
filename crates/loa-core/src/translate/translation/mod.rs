//! Translating a script into one language, segment by segment.
//!
//! The script's sentences (see [`crate::draft::segment`]) are the source segments.
//! Each stored translation keeps the Vietnamese sentence it was written
//! for. When the script changes, stored segments are re-aligned to the new
//! sentences: an unchanged sentence keeps its translation wherever it moved,
//! an edited one keeps its old translation marked outdated, a deleted one
//! drops out. Nothing is silently kept against a source it no longer fits.

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::draft::script::{self, DiffChunk};
use crate::draft::segment;
use crate::translate::glossary;
use crate::translate::memory::{self, TmMatch, DEFAULT_THRESHOLD};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

mod document;
mod status;

pub use document::{document, export, TranslationExport};
pub use status::set_status;

/// Scripts are written in Vietnamese.
pub const SOURCE_LANG: &str = "vie";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SegmentStatus {
    Untranslated,
    Draft,
    Confirmed,
    /// Translated for a sentence that has since changed.
    Outdated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum TranslationStatus {
    #[serde(rename = "in-progress")]
    InProgress,
    #[serde(rename = "translated")]
    Translated,
}

impl TranslationStatus {
    fn as_str(self) -> &'static str {
        match self {
            TranslationStatus::InProgress => "in-progress",
            TranslationStatus::Translated => "translated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetTerm {
    pub text: String,
    pub status: String,
}

/// A glossary term found in a source segment, with the concept's terms in
/// the target language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TermSuggestion {
    /// Character offsets in the source segment.
    pub start: u32,
    pub end: u32,
    pub source: String,
    pub concept_id: i64,
    pub targets: Vec<TargetTerm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranslationSegment {
    pub position: u32,
    pub paragraph: u32,
    pub source: String,
    pub target: String,
    pub status: SegmentStatus,
    /// For an outdated segment: the sentence the target was written for.
    #[ts(optional)]
    pub previous_source: Option<String>,
    pub translator: String,
    pub updated_at: i64,
    pub terms: Vec<TermSuggestion>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranslationProgress {
    pub total: u32,
    pub untranslated: u32,
    pub draft: u32,
    pub confirmed: u32,
    pub outdated: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Translation {
    pub script_id: i64,
    pub title: String,
    pub lang: String,
    pub status: TranslationStatus,
    pub segments: Vec<TranslationSegment>,
    pub progress: TranslationProgress,
}

/// IPC arguments naming one translation.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranslationRef {
    pub script_id: i64,
    pub lang: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentSave {
    pub script_id: i64,
    pub lang: String,
    pub position: u32,
    /// The source sentence the user translated, to catch a script that
    /// changed meanwhile.
    pub source: String,
    pub target: String,
    /// Confirmed (and saved to the memory) rather than a draft.
    pub confirm: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranslationStatusChange {
    pub script_id: i64,
    pub lang: String,
    pub status: TranslationStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MatchQuery {
    pub lang: String,
    pub source: String,
    #[ts(optional)]
    pub threshold: Option<u32>,
}

/// A memory match with the differences between its source and the query.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MatchSuggestion {
    pub unit: memory::TmUnit,
    /// 0–100.
    pub score: u32,
    /// Words of the query (equal/insert) against the match's source (delete).
    pub diff: Vec<DiffChunk>,
}

#[derive(Debug, Clone)]
struct Stored {
    source: String,
    target: String,
    status: SegmentStatus,
    translator: String,
    updated_at: i64,
}

fn stored_rows(conn: &Connection, script_id: i64, lang: &str) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare_cached(
        "SELECT source, target, status, translator, updated_at FROM translation_segments
          WHERE script_id = ?1 AND lang = ?2 ORDER BY position",
    )?;
    let rows = stmt.query_map(params![script_id, lang], |r| {
        let status: String = r.get(2)?;
        Ok(Stored {
            source: r.get(0)?,
            target: r.get(1)?,
            status: if status == "confirmed" {
                SegmentStatus::Confirmed
            } else {
                SegmentStatus::Draft
            },
            translator: r.get(3)?,
            updated_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Pairs stored rows with the current sentences: equal sentences (by their
/// match form) keep their rows; within a changed stretch, old rows pair up
/// with new sentences in order and become outdated.
fn align(stored: Vec<Stored>, current: &[String]) -> Vec<Option<Stored>> {
    let old: Vec<String> = stored.iter().map(|s| text::match_key(&s.source)).collect();
    let new: Vec<String> = current.iter().map(|s| text::match_key(s)).collect();
    let mut out: Vec<Option<Stored>> = vec![None; current.len()];
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new);
    // Deleted rows wait here for the inserted sentences that follow them.
    let mut pending: Vec<usize> = Vec::new();
    for op in ops {
        match op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                pending.clear();
                for k in 0..len {
                    out[new_index + k] = Some(stored[old_index + k].clone());
                }
            }
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => pending.extend(old_index..old_index + old_len),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for (k, o) in pending.drain(..).take(new_len).enumerate() {
                    out[new_index + k] = Some(stored[o].clone());
                }
            }
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                pending.clear();
                for k in 0..old_len.min(new_len) {
                    out[new_index + k] = Some(stored[old_index + k].clone());
                }
            }
        }
    }
    out
}

/// Re-aligns the stored rows to the script's current sentences and writes
/// them back if anything moved. Returns the aligned rows.
fn sync(
    conn: &Connection,
    script_id: i64,
    lang: &str,
    sentences: &[String],
) -> Result<Vec<Option<Stored>>> {
    let stored = stored_rows(conn, script_id, lang)?;
    let before: Vec<String> = stored.iter().map(|s| s.source.clone()).collect();
    let aligned = align(stored, sentences);
    let after: Vec<String> = aligned.iter().flatten().map(|s| s.source.clone()).collect();
    let positions_same = aligned.iter().take_while(|a| a.is_some()).count() == before.len();
    if before == after && positions_same {
        return Ok(aligned);
    }
    conn.execute(
        "DELETE FROM translation_segments WHERE script_id = ?1 AND lang = ?2",
        params![script_id, lang],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO translation_segments(script_id, lang, position, source, target, status,
                                          translator, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, row) in aligned.iter().enumerate() {
        if let Some(s) = row {
            insert.execute(params![
                script_id,
                lang,
                i as i64,
                s.source,
                s.target,
                if s.status == SegmentStatus::Confirmed {
                    "confirmed"
                } else {
                    "draft"
                },
                s.translator,
                s.updated_at
            ])?;
        }
    }
    Ok(aligned)
}

fn status_of(conn: &Connection, script_id: i64, lang: &str) -> Result<TranslationStatus> {
    let s: Option<String> = conn
        .query_row(
            "SELECT status FROM translations WHERE script_id = ?1 AND lang = ?2",
            params![script_id, lang],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match s.as_deref() {
        Some("translated") => TranslationStatus::Translated,
        _ => TranslationStatus::InProgress,
    })
}

pub(crate) fn check_lang(conn: &Connection, lang: &str) -> Result<()> {
    if lang == SOURCE_LANG {
        return Err(CoreError::invalid("language", "same-as-source"));
    }
    crate::base::language::get(conn, lang).map(|_| ())
}

/// The translation of a script into `lang`, with glossary suggestions.
pub fn open(db: &mut Db, script_id: i64, lang: &str) -> Result<Translation> {
    check_lang(db.conn(), lang)?;
    let detail = script::get(db, script_id)?;
    let segs = segment::segment(&detail.input.body);
    let sentences: Vec<String> = segs.iter().map(|s| s.text.clone()).collect();
    let aligned = {
        let tx = db.conn_mut().transaction()?;
        let a = sync(&tx, script_id, lang, &sentences)?;
        tx.commit()?;
        a
    };
    let status = status_of(db.conn(), script_id, lang)?;
    let index = db.term_index(SOURCE_LANG)?;
    let mut targets_of: HashMap<i64, Vec<TargetTerm>> = HashMap::new();
    let mut stmt = db.conn().prepare_cached(&format!(
        "SELECT text, status FROM terms WHERE concept_id = ?1 AND lang = ?2
          ORDER BY {}, id",
        glossary::STATUS_RANK
    ))?;
    let mut progress = TranslationProgress::default();
    let mut segments = Vec::with_capacity(segs.len());
    for (i, (seg, row)) in segs.iter().zip(aligned).enumerate() {
        let mut terms = Vec::new();
        for hit in index.find(&seg.text) {
            let targets = match targets_of.entry(hit.concept_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
                std::collections::hash_map::Entry::Vacant(e) => e
                    .insert(
                        stmt.query_map(params![hit.concept_id, lang], |r| {
                            Ok(TargetTerm {
                                text: r.get(0)?,
                                status: r.get(1)?,
                            })
                        })?
                        .collect::<rusqlite::Result<Vec<_>>>()?,
                    )
                    .clone(),
            };
            terms.push(TermSuggestion {
                start: hit.start,
                end: hit.end,
                source: hit.text,
                concept_id: hit.concept_id,
                targets,
            });
        }
        let (target, mut status_, translator, updated_at, previous) = match row {
            Some(s) => {
                let outdated = text::match_key(&s.source) != text::match_key(&seg.text);
                (
                    s.target,
                    s.status,
                    s.translator,
                    s.updated_at,
                    outdated.then_some(s.source),
                )
            }
            None => (
                String::new(),
                SegmentStatus::Untranslated,
                String::new(),
                0,
                None,
            ),
        };
        if previous.is_some() {
            status_ = SegmentStatus::Outdated;
        }
        progress.total += 1;
        match status_ {
            SegmentStatus::Untranslated => progress.untranslated += 1,
            SegmentStatus::Draft => progress.draft += 1,
            SegmentStatus::Confirmed => progress.confirmed += 1,
            SegmentStatus::Outdated => progress.outdated += 1,
        }
        segments.push(TranslationSegment {
            position: i as u32,
            paragraph: seg.paragraph,
            source: seg.text.clone(),
            target,
            status: status_,
            previous_source: previous,
            translator,
            updated_at,
            terms,
        });
    }
    let mut status = status;
    if status == TranslationStatus::Translated && progress.confirmed < progress.total {
        // The script changed under a finished translation: it needs work again.
        db.conn().execute(
            "UPDATE translations SET status = 'in-progress' WHERE script_id = ?1 AND lang = ?2",
            params![script_id, lang],
        )?;
        status = TranslationStatus::InProgress;
    }
    Ok(Translation {
        script_id,
        title: detail.input.title,
        lang: lang.to_string(),
        status,
        segments,
        progress,
    })
}

/// Saves one segment as a draft or confirmed. Confirming puts the pair in
/// the translation memory at once. An empty target makes the segment
/// untranslated again. Any edit reopens a translation marked translated.
pub fn save_segment(db: &mut Db, req: &SegmentSave, who: &str) -> Result<Translation> {
    check_lang(db.conn(), &req.lang)?;
    let detail = script::get(db, req.script_id)?;
    let sentences: Vec<String> = segment::segment(&detail.input.body)
        .into_iter()
        .map(|s| s.text)
        .collect();
    let Some(source) = sentences.get(req.position as usize).cloned() else {
        return Err(CoreError::invalid("segment", "source-changed"));
    };
    if text::match_key(&source) != text::match_key(&req.source) {
        return Err(CoreError::invalid("segment", "source-changed"));
    }
    // One line, NFC; spaces are kept as typed so QA can point them out.
    let target: String = text::clean(&req.target)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    let at = now();
    let tx = db.conn_mut().transaction()?;
    sync(&tx, req.script_id, &req.lang, &sentences)?;
    tx.execute(
        "INSERT INTO translations(script_id, lang, status, updated_by, updated_at)
         VALUES (?1, ?2, 'in-progress', ?3, ?4)
         ON CONFLICT(script_id, lang) DO UPDATE SET status = 'in-progress',
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        params![req.script_id, req.lang, who, at],
    )?;
    if target.trim().is_empty() {
        tx.execute(
            "DELETE FROM translation_segments WHERE script_id = ?1 AND lang = ?2 AND position = ?3",
            params![req.script_id, req.lang, req.position],
        )?;
    } else {
        tx.execute(
            "INSERT INTO translation_segments(script_id, lang, position, source, target, status,
                                              translator, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(script_id, lang, position) DO UPDATE SET source = excluded.source,
               target = excluded.target, status = excluded.status,
               translator = excluded.translator, updated_at = excluded.updated_at",
            params![
                req.script_id,
                req.lang,
                req.position,
                source,
                target,
                if req.confirm { "confirmed" } else { "draft" },
                who,
                at
            ],
        )?;
        if req.confirm {
            memory::add(
                &tx,
                SOURCE_LANG,
                &req.lang,
                &source,
                target.trim(),
                who,
                Some(req.script_id),
            )?;
        }
    }
    tx.commit()?;
    open(db, req.script_id, &req.lang)
}

/// Memory matches for a source sentence, best first (at most five: the
/// editor inserts them with Ctrl+1…5).
pub fn matches(db: &mut Db, q: &MatchQuery) -> Result<Vec<MatchSuggestion>> {
    let index = db.tm_index(SOURCE_LANG, &q.lang)?;
    let threshold = q.threshold.unwrap_or(DEFAULT_THRESHOLD).clamp(1, 100);
    Ok(index
        .lookup(&q.source, threshold, 5)
        .into_iter()
        .map(|TmMatch { unit, score }| MatchSuggestion {
            diff: script::word_diff(&unit.source, &q.source),
            unit,
            score,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranslationInfo {
    pub lang: String,
    pub status: TranslationStatus,
    pub progress: TranslationProgress,
}

/// Translations of a script: language and progress, for the script list.
pub fn summary(db: &mut Db, script_id: i64) -> Result<Vec<TranslationInfo>> {
    let langs: Vec<String> = {
        let mut stmt = db
            .conn()
            .prepare_cached("SELECT lang FROM translations WHERE script_id = ?1 ORDER BY lang")?;
        let rows = stmt.query_map([script_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::new();
    for l in langs {
        let t = open(db, script_id, &l)?;
        out.push(TranslationInfo {
            lang: l,
            status: t.status,
            progress: t.progress,
        });
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests;
