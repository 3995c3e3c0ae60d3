//! Takes of a script in one language: recorded from a microphone, imported
//! from a file, or recovered after a crash. The audio lives under the data
//! folder (`takes/`); the database keeps each take's measurement and a
//! waveform overview so lists and meters never decode audio.

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::record::audio::edit::{self, Edit};
use crate::record::audio::{self, render::RenderOptions, Pcm};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Columns of the stored waveform overview.
pub const PEAK_COLUMNS: usize = 600;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Take {
    pub id: i64,
    pub script_id: i64,
    pub lang: String,
    /// The user's name for it; empty until renamed.
    pub name: String,
    /// recorded / imported / recovered
    pub origin: String,
    pub chosen: bool,
    /// Length after the edit; the measurements below are of the edited
    /// audio too, since that is what goes on air.
    pub seconds: f64,
    /// Length of the untouched recording.
    pub source_seconds: f64,
    pub edit: Edit,
    pub can_undo: bool,
    pub can_redo: bool,
    pub rate: u32,
    pub channels: u16,
    #[ts(optional)]
    pub integrated_lufs: Option<f64>,
    pub range_lu: f64,
    #[ts(optional)]
    pub true_peak_db: Option<f64>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeRef {
    pub script_id: i64,
    pub lang: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeImportStaged {
    pub script_id: i64,
    pub lang: String,
    /// From [`crate::record::incoming::stage`].
    pub token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeImport {
    pub script_id: i64,
    pub lang: String,
    /// The file's name (its extension tells the format).
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeRename {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeEdit {
    pub id: i64,
    pub edit: Edit,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeAutoTrim {
    pub id: i64,
    /// Quieter than this (dBFS, RMS over 10 ms) counts as silence.
    pub threshold_db: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeRender {
    pub id: i64,
    pub options: RenderOptions,
}

/// IPC arguments: export a take for a station's equipment, rendered as
/// packages render it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakeExport {
    pub id: i64,
    pub profile: audio::render::Profile,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Rendered {
    pub path: String,
    pub loudness: audio::Loudness,
}

pub fn takes_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("takes")
}

/// A fresh file name that says whose take it is, so a take recovered after
/// a crash finds its script and language again.
pub fn new_take_path(data_dir: &Path, script_id: i64, lang: &str) -> PathBuf {
    let dir = takes_dir(data_dir);
    let stamp = now();
    let mut n = 1;
    loop {
        let p = dir.join(format!("s{script_id}-{lang}-{stamp}-{n}.wav"));
        if !p.exists()
            && !dir
                .join(format!(
                    "s{script_id}-{lang}-{stamp}-{n}{}",
                    audio::take::RECORDING_SUFFIX
                ))
                .exists()
        {
            return p;
        }
        n += 1;
    }
}

fn owner_of(file_name: &str) -> Option<(i64, String)> {
    let rest = file_name.strip_prefix('s')?;
    let (id, rest) = rest.split_once('-')?;
    let (lang, _) = rest.split_once('-')?;
    Some((id.parse().ok()?, lang.to_string()))
}

fn encode_peaks(pcm: &Pcm) -> Vec<u8> {
    audio::waveform::peaks(pcm, PEAK_COLUMNS)
        .into_iter()
        .flat_map(|(lo, hi)| {
            [
                (lo * 127.0).round() as i8 as u8,
                (hi * 127.0).round() as i8 as u8,
            ]
        })
        .collect()
}

const COLUMNS: &str = "id, script_id, lang, name, origin, chosen, seconds, rate, channels,
    integrated_lufs, range_lu, true_peak_db, created_by, created_at, source_seconds, edit,
    edit_seq > 0,
    EXISTS (SELECT 1 FROM take_edits e WHERE e.take_id = takes.id AND e.seq > takes.edit_seq)";

fn parse_edit(json: &str) -> Edit {
    // Written only by this module; an unreadable one means "no edit".
    serde_json::from_str(json).unwrap_or_default()
}

fn edit_json(e: &Edit) -> String {
    // Plain numbers and lists: serializing cannot fail.
    serde_json::to_string(e).unwrap_or_else(|_| "{}".into())
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Take> {
    Ok(Take {
        source_seconds: r.get(14)?,
        edit: parse_edit(&r.get::<_, String>(15)?),
        can_undo: r.get(16)?,
        can_redo: r.get(17)?,
        id: r.get(0)?,
        script_id: r.get(1)?,
        lang: r.get(2)?,
        name: r.get(3)?,
        origin: r.get(4)?,
        chosen: r.get(5)?,
        seconds: r.get(6)?,
        rate: r.get(7)?,
        channels: r.get(8)?,
        integrated_lufs: r.get(9)?,
        range_lu: r.get(10)?,
        true_peak_db: r.get(11)?,
        created_by: r.get(12)?,
        created_at: r.get(13)?,
    })
}

pub fn get(db: &Db, id: i64) -> Result<Take> {
    db.conn()
        .query_row(
            &format!("SELECT {COLUMNS} FROM takes WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("take", id))
}

pub fn list(db: &Db, script_id: i64, lang: &str) -> Result<Vec<Take>> {
    let mut stmt = db.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM takes WHERE script_id = ?1 AND lang = ?2 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![script_id, lang], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Registers a WAV file already in the takes folder: measures it and stores
/// its overview. On failure the file is left for the caller to remove.
pub fn add_file(
    db: &Db,
    path: &Path,
    script_id: i64,
    lang: &str,
    origin: &str,
    who: &str,
) -> Result<Take> {
    crate::draft::script::get(db, script_id)?;
    crate::base::language::get(db.conn(), lang)?;
    let pcm = audio::decode_file(path, &mut |_| true)?;
    let l = audio::analyze(&pcm)?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .ok_or_else(|| CoreError::invalid("audio", "unsupported"))?;
    db.conn().execute(
        "INSERT INTO takes(script_id, lang, name, file, origin, seconds, rate, channels,
                           integrated_lufs, range_lu, true_peak_db, peaks, created_by, created_at,
                           source_seconds)
         VALUES (?1, ?2, '', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?5)",
        params![
            script_id,
            lang,
            file,
            origin,
            l.seconds,
            l.rate,
            l.channels,
            l.integrated_lufs,
            l.range_lu,
            l.true_peak_db,
            encode_peaks(&pcm),
            who,
            now()
        ],
    )?;
    get(db, db.conn().last_insert_rowid())
}

/// Imports an audio file (any format the decoder reads) as a take: decoded
/// and kept as 16-bit WAV. Nothing is left behind when it fails.
pub fn import(db: &Db, data_dir: &Path, req: &TakeImport, who: &str) -> Result<Take> {
    check_owner(db, req.script_id, &req.lang)?;
    let pcm = audio::decode_bytes(&req.file_name, req.bytes.clone())?;
    add_decoded(db, data_dir, req.script_id, &req.lang, &pcm, who)
}

/// The script and language a take is for must exist.
pub fn check_owner(db: &Db, script_id: i64, lang: &str) -> Result<()> {
    crate::draft::script::get(db, script_id)?;
    crate::base::language::get(db.conn(), lang)?;
    Ok(())
}

/// Stores audio decoded elsewhere (off the database, with progress) as an
/// imported take.
pub fn add_decoded(
    db: &Db,
    data_dir: &Path,
    script_id: i64,
    lang: &str,
    pcm: &Pcm,
    who: &str,
) -> Result<Take> {
    check_owner(db, script_id, lang)?;
    if pcm.frames() == 0 {
        return Err(CoreError::invalid("audio", "silent"));
    }
    let wav = audio::render::wav(pcm)?;
    let path = new_take_path(data_dir, script_id, lang);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
    }
    crate::base::files::write_atomically(&path, &wav)?;
    add_file(db, &path, script_id, lang, "imported", who).inspect_err(|_| {
        let _ = std::fs::remove_file(&path);
    })
}

/// Repairs takes cut off by a crash and registers them; returns them so the
/// app can tell the user.
pub fn recover(db: &Db, data_dir: &Path, who: &str) -> Result<Vec<Take>> {
    let mut out = Vec::new();
    for r in audio::take::recover_all(&takes_dir(data_dir))? {
        let path = PathBuf::from(&r.path);
        let name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some((script_id, lang)) = owner_of(&name) {
            if let Ok(t) = add_file(db, &path, script_id, &lang, "recovered", who) {
                out.push(t);
            }
        }
    }
    Ok(out)
}

/// Makes this the take that goes on air (the others stay).
pub fn choose(db: &mut Db, id: i64) -> Result<Take> {
    let t = get(db, id)?;
    let tx = db.conn_mut().transaction()?;
    tx.execute(
        "UPDATE takes SET chosen = 0 WHERE script_id = ?1 AND lang = ?2",
        params![t.script_id, t.lang],
    )?;
    tx.execute("UPDATE takes SET chosen = 1 WHERE id = ?1", [id])?;
    tx.commit()?;
    get(db, id)
}

pub fn rename(db: &Db, id: i64, name: &str) -> Result<Take> {
    let name = text::clean_line(name);
    if name.chars().count() > 120 {
        return Err(CoreError::invalid("take-name", "too-long"));
    }
    if db.conn().execute(
        "UPDATE takes SET name = ?2 WHERE id = ?1",
        params![id, name],
    )? == 0
    {
        return Err(CoreError::not_found("take", id));
    }
    get(db, id)
}

/// Deletes the take and its audio file.
pub fn delete(db: &Db, data_dir: &Path, id: i64) -> Result<()> {
    let file: String = db
        .conn()
        .query_row("SELECT file FROM takes WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::not_found("take", id))?;
    db.conn().execute("DELETE FROM takes WHERE id = ?1", [id])?;
    let _ = std::fs::remove_file(takes_dir(data_dir).join(file));
    let _ = std::fs::remove_dir_all(transcribing_dir(data_dir, id));
    Ok(())
}

/// The stored overview: min/max pairs in [-1, 1].
pub fn peaks(db: &Db, id: i64) -> Result<Vec<f32>> {
    let blob: Vec<u8> = db
        .conn()
        .query_row("SELECT peaks FROM takes WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::not_found("take", id))?;
    Ok(blob
        .into_iter()
        .map(|b| f32::from(b as i8) / 127.0)
        .collect())
}

pub fn file_path(db: &Db, data_dir: &Path, id: i64) -> Result<PathBuf> {
    let file: String = db
        .conn()
        .query_row("SELECT file FROM takes WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::not_found("take", id))?;
    Ok(takes_dir(data_dir).join(file))
}

/// A take's recording as a long job streams it: the file, the take (and
/// so its edit), and a key that changes whenever the audio as edited does.
pub struct Streamed {
    pub path: PathBuf,
    pub take: Take,
    pub key: String,
}

pub fn streamed(db: &Db, data_dir: &Path, id: i64) -> Result<Streamed> {
    let take = get(db, id)?;
    let path = file_path(db, data_dir, id)?;
    let len = std::fs::metadata(&path)
        .map_err(|e| CoreError::io(&path, e))?
        .len();
    let key = format!(
        "take {id} {} {len} bytes, edit {}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        edit_json(&take.edit)
    );
    Ok(Streamed { path, take, key })
}

/// Where a transcription of the take keeps its audio and finished pieces
/// until the transcript is stored (not in backups: it can be made again).
pub fn transcribing_dir(data_dir: &Path, id: i64) -> PathBuf {
    data_dir.join("transcribing").join(format!("take-{id}"))
}

/// The untouched recording.
fn source_audio(db: &Db, data_dir: &Path, id: i64) -> Result<Pcm> {
    audio::decode_file(&file_path(db, data_dir, id)?, &mut |_| true)
}

/// The take as it goes on air: the recording with its edit applied, and
/// the take it belongs to.
pub fn edited_audio(db: &Db, data_dir: &Path, id: i64) -> Result<(Pcm, Take)> {
    let t = get(db, id)?;
    let pcm = source_audio(db, data_dir, id)?;
    Ok(if t.edit.is_empty() {
        (pcm, t)
    } else {
        (t.edit.apply(&pcm), t)
    })
}

/// Stores `edit` of the recording `pcm` as the take's current state at
/// history position `seq` and measures the edited audio again.
fn store_edit(db: &Db, id: i64, pcm: &Pcm, edit: &Edit, seq: i64) -> Result<Take> {
    let edit = edit.normalized(pcm.seconds())?;
    let l = audio::analyze(&edit.apply(pcm))?;
    db.conn().execute(
        "UPDATE takes SET edit = ?2, edit_seq = ?3, seconds = ?4, integrated_lufs = ?5,
                          range_lu = ?6, true_peak_db = ?7
         WHERE id = ?1",
        params![
            id,
            edit_json(&edit),
            seq,
            l.seconds,
            l.integrated_lufs,
            l.range_lu,
            l.true_peak_db
        ],
    )?;
    get(db, id)
}

fn edit_seq(db: &Db, id: i64) -> Result<i64> {
    Ok(db
        .conn()
        .query_row("SELECT edit_seq FROM takes WHERE id = ?1", [id], |r| {
            r.get(0)
        })?)
}

/// Trims or cuts a take. The recording itself is kept; the previous state
/// stays in the history for [`undo_edit`].
pub fn set_edit(db: &mut Db, data_dir: &Path, req: &TakeEdit) -> Result<Take> {
    let t = get(db, req.id)?;
    if req.edit.normalized(t.source_seconds)? == t.edit {
        return Ok(t);
    }
    let pcm = source_audio(db, data_dir, req.id)?;
    push_edit(db, &t, &pcm, &req.edit)
}

/// Appends `edit` to the history of take `t` (whose recording is `pcm`)
/// and makes it current.
fn push_edit(db: &mut Db, t: &Take, pcm: &Pcm, edit: &Edit) -> Result<Take> {
    let edit = edit.normalized(t.source_seconds)?;
    let seq = edit_seq(db, t.id)?;
    let tx = db.conn_mut().transaction()?;
    // The first edit also records the untouched state it can return to.
    tx.execute(
        "INSERT OR IGNORE INTO take_edits(take_id, seq, edit) VALUES (?1, ?2, ?3)",
        params![t.id, seq, edit_json(&t.edit)],
    )?;
    // A new edit after undoing drops the states that were undone.
    tx.execute(
        "DELETE FROM take_edits WHERE take_id = ?1 AND seq > ?2",
        params![t.id, seq],
    )?;
    tx.execute(
        "INSERT INTO take_edits(take_id, seq, edit) VALUES (?1, ?2, ?3)",
        params![t.id, seq + 1, edit_json(&edit)],
    )?;
    tx.commit()?;
    store_edit(db, t.id, pcm, &edit, seq + 1)
}

fn step_edit(db: &mut Db, data_dir: &Path, id: i64, delta: i64) -> Result<Take> {
    get(db, id)?;
    let seq = edit_seq(db, id)?;
    let json: Option<String> = db
        .conn()
        .query_row(
            "SELECT edit FROM take_edits WHERE take_id = ?1 AND seq = ?2",
            params![id, seq + delta],
            |r| r.get(0),
        )
        .optional()?;
    match json {
        Some(j) => {
            let pcm = source_audio(db, data_dir, id)?;
            store_edit(db, id, &pcm, &parse_edit(&j), seq + delta)
        }
        None => Err(CoreError::invalid(
            "edit",
            if delta < 0 {
                "nothing-to-undo"
            } else {
                "nothing-to-redo"
            },
        )),
    }
}

pub fn undo_edit(db: &mut Db, data_dir: &Path, id: i64) -> Result<Take> {
    step_edit(db, data_dir, id, -1)
}

pub fn redo_edit(db: &mut Db, data_dir: &Path, id: i64) -> Result<Take> {
    step_edit(db, data_dir, id, 1)
}

/// Trims the silence before and after the reading, keeping the cuts.
pub fn auto_trim(db: &mut Db, data_dir: &Path, req: &TakeAutoTrim) -> Result<Take> {
    if !(-80.0..=-10.0).contains(&req.threshold_db) {
        return Err(CoreError::invalid("threshold", "out-of-range"));
    }
    let t = get(db, req.id)?;
    let pcm = source_audio(db, data_dir, req.id)?;
    let bounds =
        edit::sound_bounds(&pcm, req.threshold_db).ok_or(CoreError::invalid("audio", "silent"))?;
    let edit = Edit {
        start: bounds.from,
        end: Some(bounds.to),
        cuts: t.edit.cuts.clone(),
    };
    if edit.normalized(t.source_seconds)? == t.edit {
        return Ok(t);
    }
    push_edit(db, &t, &pcm, &edit)
}

/// Renders a take broadcast-ready into `out_dir`, reporting progress (0…1);
/// a report answered with false cancels it and writes nothing.
pub fn render(
    db: &Db,
    data_dir: &Path,
    req: &TakeRender,
    out_dir: &Path,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Rendered> {
    let t = get(db, req.id)?;
    let script = crate::draft::script::get(db, t.script_id)?;
    let (bytes, loudness) = render_bytes(db, data_dir, &t, &script, &req.options, progress)?;
    let ext = match req.options.format {
        audio::RenderFormat::Mp3 => "mp3",
        audio::RenderFormat::Wav => "wav",
    };
    let stem = format!(
        "{}-{}-{}",
        t.script_id,
        crate::base::files::file_slug(&script.summary.title, 8),
        t.lang
    );
    let path = crate::base::files::write_fresh(out_dir, &stem, ext, &bytes)?;
    Ok(Rendered {
        path: path.display().to_string(),
        loudness,
    })
}

/// The take's edited audio rendered with `options`, its tags filled from
/// the script where left empty.
pub fn render_bytes(
    db: &Db,
    data_dir: &Path,
    t: &Take,
    script: &crate::draft::script::ScriptDetail,
    options: &audio::RenderOptions,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<(Vec<u8>, audio::Loudness)> {
    let (pcm, _) = edited_audio(db, data_dir, t.id)?;
    let mut opts = options.clone();
    if opts.title.is_empty() {
        opts.title = script.summary.title.clone();
    }
    if opts.album.is_empty() {
        opts.album = script.input.program.clone();
    }
    if opts.language.is_empty() {
        opts.language = t.lang.clone();
    }
    audio::render::render_with(&pcm, &opts, progress)
}

/// The take chosen to go on air for a script in a language.
pub fn chosen(db: &Db, script_id: i64, lang: &str) -> Result<Option<Take>> {
    let id: Option<i64> = db
        .conn()
        .query_row(
            "SELECT id FROM takes WHERE script_id = ?1 AND lang = ?2 AND chosen = 1",
            params![script_id, lang],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| get(db, id)).transpose()
}

#[cfg(test)]
mod tests;
