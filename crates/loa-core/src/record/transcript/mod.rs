//! What was said in a take, line by line with times: from Whisper for
//! Vietnamese, or timed by hand while listening for languages no speech
//! model knows (the lines are then the translation's sentences). Lines can
//! be edited, exported as TXT/SRT/VTT, turned into a new script, and
//! checked against the script (see [`crate::record::readback`]).

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::draft::script::{self, ScriptDetail, ScriptInput};
use crate::draft::segment;
use crate::record::recording;
use crate::record::subtitle::{self, Cue};
use crate::translate::translation;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// A word with its time, where the recognizer gave one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Word {
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub probability: f32,
}

/// One line. Seconds count in the edited take. A line not yet timed (manual
/// timing) has `start` and `end` below zero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// Mean token probability 0…1; 1 for lines a person wrote or timed.
    pub confidence: f32,
    #[serde(default)]
    pub words: Vec<Word>,
}

impl Line {
    pub fn timed(&self) -> bool {
        self.start >= 0.0 && self.end >= self.start
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Whisper,
    Manual,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Whisper => "whisper",
            Source::Manual => "manual",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Transcript {
    pub id: i64,
    pub take_id: i64,
    pub source: Source,
    /// The Whisper model that heard it; empty for manual timing.
    pub model: String,
    pub seconds: f64,
    pub lines: Vec<Line>,
    /// The take was edited after the timings were made: they may be off.
    pub stale: bool,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The lines' text as one run, a space between lines.
pub fn joined_text(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| l.text.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Transcript {
    pub fn text(&self) -> String {
        joined_text(&self.lines)
    }

    pub fn cues(&self) -> Vec<Cue> {
        cues(&self.lines)
    }
}

/// Subtitle cues of the timed lines.
pub fn cues(lines: &[Line]) -> Vec<Cue> {
    lines
        .iter()
        .filter(|l| l.timed())
        .map(|l| Cue {
            start: l.start,
            end: l.end,
            text: l.text.clone(),
        })
        .collect()
}

/// IPC arguments: replace a transcript's lines (an edit, or an undo).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinesSave {
    pub id: i64,
    pub lines: Vec<Line>,
}

/// IPC arguments: while listening, line `index` starts (or ends) `at`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Mark {
    pub id: i64,
    pub index: u32,
    pub at: f64,
    /// Marks where the line ends instead (the last line, or a pause).
    #[serde(default)]
    pub end: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename = "TranscriptFormat")]
pub enum Format {
    Txt,
    Srt,
    Vtt,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "txt" => Some(Format::Txt),
            "srt" => Some(Format::Srt),
            "vtt" => Some(Format::Vtt),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Srt => "srt",
            Format::Vtt => "vtt",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptExport {
    pub id: i64,
    pub format: Format,
}

/// IPC arguments: a new draft script from a transcript.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ToScript {
    pub id: i64,
    pub title: String,
}

const COLUMNS: &str = "t.id, t.take_id, t.source, t.model, t.seconds, t.created_by, t.created_at,
    t.updated_at, t.take_edit_seq <> k.edit_seq";

fn lines_of(db: &Db, id: i64) -> Result<Vec<Line>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT start, end, text, confidence, words FROM transcript_segments
          WHERE transcript_id = ?1 ORDER BY pos",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Line {
            start: r.get(0)?,
            end: r.get(1)?,
            text: r.get(2)?,
            confidence: r.get(3)?,
            // Written only here; unreadable means "no word timings".
            words: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn find(db: &Db, filter: &str, key: i64) -> Result<Option<Transcript>> {
    let head = db
        .conn()
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM transcripts t JOIN takes k ON k.id = t.take_id
                  WHERE {filter} = ?1"
            ),
            [key],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, f64>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, bool>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((id, take_id, source, model, seconds, created_by, created_at, updated_at, stale)) =
        head
    else {
        return Ok(None);
    };
    Ok(Some(Transcript {
        id,
        take_id,
        source: if source == "manual" {
            Source::Manual
        } else {
            Source::Whisper
        },
        model,
        seconds,
        lines: lines_of(db, id)?,
        stale,
        created_by,
        created_at,
        updated_at,
    }))
}

pub fn get(db: &Db, id: i64) -> Result<Transcript> {
    find(db, "t.id", id)?.ok_or_else(|| CoreError::not_found("transcript", id))
}

/// The take's transcript, if it has one.
pub fn for_take(db: &Db, take_id: i64) -> Result<Option<Transcript>> {
    recording::get(db, take_id)?;
    find(db, "t.take_id", take_id)
}

fn is_vietnamese(lang: &str) -> bool {
    lang == translation::SOURCE_LANG
}

/// Cleans and checks lines: text through the normalizer (Vietnamese tone
/// placement for Vietnamese), times finite, inside the take, in order.
fn checked(lines: &[Line], seconds: f64, lang: &str) -> Result<Vec<Line>> {
    let limit = seconds + 1.0;
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let finite = l.start.is_finite() && l.end.is_finite();
        let untimed = l.start < 0.0 && l.end < 0.0;
        if !finite || !(untimed || (l.start >= 0.0 && l.end >= l.start && l.end <= limit)) {
            return Err(CoreError::invalid("time", "out-of-range"));
        }
        let text = if is_vietnamese(lang) {
            text::canonical_vi_line(&l.text)
        } else {
            text::clean_line(&l.text)
        };
        out.push(Line {
            start: if untimed { -1.0 } else { l.start },
            end: if untimed { -1.0 } else { l.end },
            text,
            confidence: if l.confidence.is_finite() {
                l.confidence.clamp(0.0, 1.0)
            } else {
                0.0
            },
            words: l
                .words
                .iter()
                .filter(|w| w.start.is_finite() && w.end.is_finite())
                .cloned()
                .collect(),
        });
    }
    Ok(out)
}

fn write_lines(tx: &rusqlite::Transaction, id: i64, lines: &[Line]) -> Result<()> {
    tx.execute(
        "DELETE FROM transcript_segments WHERE transcript_id = ?1",
        [id],
    )?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO transcript_segments(transcript_id, pos, start, end, text, confidence, words)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, l) in lines.iter().enumerate() {
        // Plain numbers and strings: serializing cannot fail.
        let words = serde_json::to_string(&l.words).unwrap_or_else(|_| "[]".into());
        stmt.execute(params![
            id,
            i as i64,
            l.start,
            l.end,
            l.text,
            f64::from(l.confidence),
            words
        ])?;
    }
    Ok(())
}

/// Stores what was heard in a take, replacing its earlier transcript.
pub fn save(
    db: &mut Db,
    take_id: i64,
    source: Source,
    model: &str,
    lines: &[Line],
    who: &str,
) -> Result<Transcript> {
    let take = recording::get(db, take_id)?;
    let lines = checked(lines, take.seconds, &take.lang)?;
    let edit_seq: i64 =
        db.conn()
            .query_row("SELECT edit_seq FROM takes WHERE id = ?1", [take_id], |r| {
                r.get(0)
            })?;
    let tx = db.conn_mut().transaction()?;
    tx.execute("DELETE FROM transcripts WHERE take_id = ?1", [take_id])?;
    let t = now();
    tx.execute(
        "INSERT INTO transcripts(take_id, source, model, take_edit_seq, seconds, created_by,
                                 created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            take_id,
            source.as_str(),
            model,
            edit_seq,
            take.seconds,
            who,
            t
        ],
    )?;
    let id = tx.last_insert_rowid();
    write_lines(&tx, id, &lines)?;
    tx.commit()?;
    get(db, id)
}

/// Replaces the lines of a transcript (an edit, or an undo of one).
pub fn set_lines(db: &mut Db, req: &LinesSave) -> Result<Transcript> {
    let old = get(db, req.id)?;
    let take = recording::get(db, old.take_id)?;
    let lines = checked(&req.lines, old.seconds, &take.lang)?;
    let tx = db.conn_mut().transaction()?;
    write_lines(&tx, req.id, &lines)?;
    tx.execute(
        "UPDATE transcripts SET updated_at = ?2 WHERE id = ?1",
        params![req.id, now()],
    )?;
    tx.commit()?;
    get(db, req.id)
}

/// Manual timing: line `index` starts at `at`, and the line before it, if
/// timed and still open, ends there. With `end`, line `index` ends at `at`.
pub fn mark(lines: &[Line], index: usize, at: f64, end: bool) -> Result<Vec<Line>> {
    if index >= lines.len() {
        return Err(CoreError::not_found("line", index + 1));
    }
    if !at.is_finite() || at < 0.0 {
        return Err(CoreError::invalid("time", "out-of-range"));
    }
    let mut out = lines.to_vec();
    let l = &mut out[index];
    if end {
        if l.start < 0.0 || at < l.start {
            return Err(CoreError::invalid("time", "before-start"));
        }
        l.end = at;
        return Ok(out);
    }
    l.start = at;
    if l.end < at {
        // Open until the next mark: shown up to the end of the take.
        l.end = f64::MAX;
    }
    if index > 0 {
        let p = &mut out[index - 1];
        if p.timed() && p.start <= at && p.end > at {
            p.end = at;
        }
    }
    Ok(out)
}

/// [`mark`] on a stored transcript. An open line is closed at the end of
/// the take.
pub fn mark_stored(db: &mut Db, m: &Mark) -> Result<Transcript> {
    let t = get(db, m.id)?;
    let mut lines = mark(&t.lines, m.index as usize, m.at.min(t.seconds), m.end)?;
    for l in &mut lines {
        if l.timed() && l.end > t.seconds {
            l.end = t.seconds;
        }
    }
    set_lines(
        db,
        &LinesSave {
            id: m.id,
            lines: lines.clone(),
        },
    )
}

/// A transcript to time by hand: the sentences the take should say (the
/// translation for a minority language, the script otherwise), untimed.
pub fn start_manual(db: &mut Db, take_id: i64, who: &str) -> Result<Transcript> {
    let take = recording::get(db, take_id)?;
    let sentences = expected_sentences(db, take.script_id, &take.lang)?;
    let lines: Vec<Line> = sentences
        .into_iter()
        .map(|s| Line {
            start: -1.0,
            end: -1.0,
            text: s.text,
            confidence: 1.0,
            words: Vec::new(),
        })
        .collect();
    if lines.is_empty() {
        // Nothing to time: an empty script, or nothing translated yet.
        let field = if is_vietnamese(&take.lang) {
            "script"
        } else {
            "translation"
        };
        return Err(CoreError::invalid(field, "empty"));
    }
    save(db, take_id, Source::Manual, "", &lines, who)
}

/// What a reading of the script in `lang` should say, sentence by
/// sentence: the script for Vietnamese, else its translation (untranslated
/// sentences left out).
pub fn expected_sentences(
    db: &mut Db,
    script_id: i64,
    lang: &str,
) -> Result<Vec<segment::Segment>> {
    if is_vietnamese(lang) {
        return Ok(segment::segment(&script::get(db, script_id)?.input.body));
    }
    Ok(translation::open(db, script_id, lang)?
        .segments
        .into_iter()
        .filter(|s| !s.target.trim().is_empty())
        .map(|s| segment::Segment {
            paragraph: s.paragraph,
            text: s.target,
        })
        .collect())
}

pub fn delete(db: &Db, id: i64) -> Result<()> {
    if db
        .conn()
        .execute("DELETE FROM transcripts WHERE id = ?1", [id])?
        == 0
    {
        return Err(CoreError::not_found("transcript", id));
    }
    Ok(())
}

/// Whisper reads at most 224 prompt tokens; a Vietnamese syllable can take
/// several, so the prompt is kept short.
const PROMPT_CHARS: usize = 200;

/// The initial prompt for transcribing a reading of a script: the glossary
/// terms the script uses, in the glossary's spelling, so Whisper writes
/// policy terms the way the office does.
pub fn prompt_for(db: &mut Db, script_id: i64) -> Result<String> {
    let body = script::get(db, script_id)?.input.body;
    let index = db.term_index(translation::SOURCE_LANG)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for hit in index.find(&body) {
        if !seen.insert(hit.term_id) {
            continue;
        }
        let t = hit.term.trim();
        if out.chars().count() + t.chars().count() + 2 > PROMPT_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(t);
    }
    Ok(out)
}

/// A pause this long between lines starts a new paragraph.
const PARAGRAPH_GAP: f64 = 1.5;

/// The transcript as running text, paragraphs where the speaker paused.
pub fn paragraphs(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut last_end: Option<f64> = None;
    for l in lines.iter().filter(|l| !l.text.trim().is_empty()) {
        if let Some(e) = last_end {
            let gap = l.timed() && l.start - e >= PARAGRAPH_GAP;
            out.push_str(if gap { "\n\n" } else { " " });
        }
        out.push_str(l.text.trim());
        last_end = l.timed().then_some(l.end).or(last_end);
    }
    out
}

fn file_stem(db: &Db, t: &Transcript) -> Result<String> {
    let take = recording::get(db, t.take_id)?;
    let title = script::get(db, take.script_id)?.input.title;
    let slug = crate::base::files::file_slug(&title, 8);
    Ok(format!(
        "{}-{}-loi",
        if slug.is_empty() { "ban-ghi" } else { &slug },
        take.lang
    ))
}

pub fn render(t: &Transcript, format: Format) -> String {
    match format {
        Format::Txt => paragraphs(&t.lines) + "\n",
        Format::Srt => subtitle::srt(&t.cues()),
        Format::Vtt => subtitle::vtt(&t.cues()),
    }
}

/// Writes the transcript as a file in `out_dir`; returns its path.
pub fn export(db: &Db, req: &TranscriptExport, out_dir: &Path) -> Result<PathBuf> {
    let t = get(db, req.id)?;
    if req.format != Format::Txt && t.cues().is_empty() {
        return Err(CoreError::invalid("transcript", "untimed"));
    }
    crate::base::files::write_fresh(
        out_dir,
        &file_stem(db, &t)?,
        req.format.extension(),
        render(&t, req.format).as_bytes(),
    )
}

/// A new draft script whose body is the transcript, in the take's program.
pub fn to_script(db: &mut Db, req: &ToScript, who: &str) -> Result<ScriptDetail> {
    let t = get(db, req.id)?;
    let take = recording::get(db, t.take_id)?;
    let from = script::get(db, take.script_id)?;
    let body = paragraphs(&t.lines);
    if body.trim().is_empty() {
        return Err(CoreError::invalid("transcript", "empty"));
    }
    let input = ScriptInput {
        title: req.title.clone(),
        body,
        program: from.input.program.clone(),
        category: from.input.category,
        target_langs: vec![take.lang.clone()],
        ..ScriptInput::default()
    };
    script::create(db, &input, who)
}

#[cfg(test)]
mod tests;
