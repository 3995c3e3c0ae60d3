//! `loa model`, `loa transcribe` and `loa check-reading`: Whisper models and
//! speech, through loa-speech (the rules it shares with the app live there).

use crate::ctx::{lines, open, Ctx, Progress};
use anyhow::Result;
use clap::{Args, Subcommand};
use loa_core::base::paths;
use loa_core::record::audio;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ModelCmd {
    /// Installed models: name, size, quantization, languages.
    List,
    /// Install a model: a whisper.cpp `.bin` file, a faster-whisper /
    /// CTranslate2 model folder, or a Hugging Face transformers folder
    /// (`config.json` + `model.safetensors`, e.g. PhoWhisper); folders are
    /// converted and optionally quantized.
    Import {
        path: PathBuf,
        #[arg(long)]
        out: String,
        #[arg(long, value_parser = ["f16", "q8_0", "q5_1"])]
        quantize: Option<String>,
    },
    /// Use this model when none is named.
    Default {
        name: String,
    },
    Delete {
        name: String,
    },
}

#[derive(Args)]
pub struct TranscribeArgs {
    pub audio: PathBuf,
    /// Model name from `loa model list` (default: the default model).
    #[arg(long)]
    pub model: Option<String>,
    /// Spoken language (Whisper's code).
    #[arg(long = "speech-lang", default_value = "vi")]
    pub speech_lang: String,
    #[arg(long, default_value_t = 5)]
    pub beam: u32,
    /// Default: cores − 1.
    #[arg(long)]
    pub threads: Option<u32>,
    /// Words that bias spelling (e.g. policy terms).
    #[arg(long, default_value = "")]
    pub prompt: String,
    /// Also write subtitles.
    #[arg(long)]
    pub srt: Option<PathBuf>,
    #[arg(long)]
    pub vtt: Option<PathBuf>,
}

#[derive(Args)]
pub struct CheckReadingArgs {
    pub audio: PathBuf,
    #[arg(long)]
    pub script: i64,
    /// Language of the reading (registry code; only Vietnamese has a
    /// speech model).
    #[arg(long = "reading-lang", default_value = "vie")]
    pub reading_lang: String,
    #[arg(long)]
    pub model: Option<String>,
    /// Default: the app's setting.
    #[arg(long)]
    pub beam: Option<u32>,
    #[arg(long)]
    pub threads: Option<u32>,
}

pub fn model(cmd: ModelCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let dir = paths::resolve_data_dir(data_dir)?;
    match cmd {
        ModelCmd::List => {
            let all = loa_speech::model::list(&dir)?;
            ctx.print(&all, || lines(l, &all, model_line))
        }
        ModelCmd::Import {
            path,
            out,
            quantize,
        } => {
            let q = quantize
                .as_deref()
                .and_then(loa_speech::Quantization::parse);
            let mut bar = Progress::new(ctx, "cli-progress-model");
            let m = loa_speech::model::import(&dir, &path, &out, q, &mut |f| bar.set(f))?;
            drop(bar);
            ctx.print(&m, || model_line(&m))
        }
        ModelCmd::Default { name } => {
            loa_speech::model::set_default(&dir, &name)?;
            let m = loa_speech::model::default_model(&dir)?;
            ctx.print(&m, || model_line(&m))
        }
        ModelCmd::Delete { name } => {
            loa_speech::model::delete(&dir, &name)?;
            ctx.print(&serde_json::json!({ "deleted": name }), || name.clone())
        }
    }
}

pub fn transcribe(args: TranscribeArgs, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let _l = &ctx.l10n;
    let TranscribeArgs {
        audio,
        model,
        speech_lang,
        beam,
        threads,
        prompt,
        srt,
        vtt,
    } = args;
    let dir = paths::resolve_data_dir(data_dir)?;
    let opts = loa_speech::TranscribeOptions {
        lang: speech_lang,
        beam_size: beam,
        threads,
        initial_prompt: prompt,
    };
    let (_, path) = loa_speech::model::resolve(&dir, model.as_deref())?;
    let t = transcribe_with(ctx, &dir, &path, &audio, &opts)?;
    let cues = loa_core::record::transcript::cues(&t.segments);
    if let Some(p) = srt {
        loa_core::base::files::write_atomically(
            &p,
            loa_core::record::subtitle::srt(&cues).as_bytes(),
        )?;
    }
    if let Some(p) = vtt {
        loa_core::base::files::write_atomically(
            &p,
            loa_core::record::subtitle::vtt(&cues).as_bytes(),
        )?;
    }
    ctx.print(&t, || t.text())
}

pub fn check_reading(args: CheckReadingArgs, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let CheckReadingArgs {
        audio,
        script,
        reading_lang,
        model,
        beam,
        threads,
    } = args;
    let (mut db, dir) = open(data_dir)?;
    let choice = loa_speech::reading::Choice {
        model,
        beam,
        threads,
    };
    let plan = loa_speech::reading::plan(&mut db, &dir, script, &reading_lang, &choice)?;
    let sentences =
        loa_core::record::transcript::expected_sentences(&mut db, script, &reading_lang)?;
    drop(db);
    let mut bar = Progress::new(ctx, "cli-progress-decoding");
    let pcm = audio::decode_file(&audio, &mut |f| bar.set(f))?;
    let samples = loa_speech::transcribe::prepare(&pcm)?;
    let mut bar = Progress::new(ctx, "cli-progress-transcribing");
    let (_, r) = loa_speech::reading::check(&plan, &samples, &sentences, &mut |f| bar.set(f))?;
    ctx.print(&r, || {
        let mut out = Vec::new();
        for line in &r.lines {
            let mark = match line.status {
                loa_core::record::readback::ReadStatus::Read => "✓",
                loa_core::record::readback::ReadStatus::Differs => "~",
                loa_core::record::readback::ReadStatus::Missing => "✗",
            };
            let status = l.get(
                &format!("readback-status-{}", serde_plain(&line.status)),
                &[],
            );
            out.push(format!("{mark} [{status}] {}", line.sentence));
            if line.status == loa_core::record::readback::ReadStatus::Differs {
                out.push(format!(
                    "    {}: {}",
                    l.get("readback-heard", &[]),
                    line.heard
                ));
            }
        }
        for a in &r.added {
            out.push(format!("+ [{}] {}", l.get("readback-added", &[]), a.text));
        }
        out.push(l.get("readback-score", &[("score", format!("{:.0}", r.score))]));
        out.join("\n")
    })
}

/// A unit enum's serde name ("read", "differs"…), for message ids.
pub fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Transcribes an audio file of any length with the model at `model`, in
/// bounded memory, through a folder under the data folder's `transcribing`
/// (see `loa_speech::spool`): run again after Ctrl+C or a crash, it goes on
/// from the last finished piece.
fn transcribe_with(
    ctx: &Ctx,
    data_dir: &std::path::Path,
    model: &std::path::Path,
    file: &std::path::Path,
    opts: &loa_speech::TranscribeOptions,
) -> Result<loa_speech::Transcript> {
    use std::hash::{Hash, Hasher};
    let meta = std::fs::metadata(file).map_err(|e| loa_core::CoreError::io(file, e))?;
    let full = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let mut h = std::hash::DefaultHasher::new();
    full.hash(&mut h);
    let work = loa_speech::spool::Workspace::new(
        &data_dir
            .join("transcribing")
            .join(format!("file-{:016x}", h.finish())),
    );
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let key = format!("file {} {} bytes {modified}", full.display(), meta.len());
    let mut decoding = Progress::new(ctx, "cli-progress-decoding");
    let mut transcribing: Option<Progress> = None;
    let t = loa_speech::transcribe::transcribe_long(
        model,
        &work,
        &key,
        // Owns the decoding bar, which goes when the audio is spooled.
        move |sink| {
            audio::stream::mono_at(
                file,
                &audio::edit::Edit::default(),
                loa_speech::transcribe::RATE,
                sink,
                &mut |f| decoding.set(f),
            )
        },
        opts,
        &mut |p| {
            transcribing
                .get_or_insert_with(|| Progress::new(ctx, "cli-progress-transcribing"))
                .set(p.percent as f32 / 100.0)
        },
    )?;
    work.remove()?;
    Ok(t)
}

fn model_line(m: &loa_speech::ModelInfo) -> String {
    format!(
        "{}{}  {} · {} · {:.0} MB · {}",
        m.name,
        if m.is_default { " *" } else { "" },
        m.size,
        m.quantization
            .map(|q| format!("{q:?}").to_lowercase())
            .unwrap_or_else(|| "?".into()),
        m.bytes as f64 / 1e6,
        if m.multilingual { "multilingual" } else { "en" }
    )
}

/// Whether the command may change the data folder (see `main::writes`).
pub fn model_writes(cmd: &ModelCmd) -> bool {
    !matches!(cmd, ModelCmd::List)
}
