//! `loa`: Loa Studio without a window, on the same data as the app.

mod backup;
mod broadcast;
mod take;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use loa_core::base::i18n::{self, Localizer};
use loa_core::base::limits::{self, ImportKind};
use loa_core::translate::glossary::exchange::{self, Format, ImportOptions, OnConflict};
use loa_core::{
    base::paths, base::settings, broadcast::station, draft::script, record::audio,
    translate::glossary, translate::translation, CoreError, Db,
};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "loa",
    version,
    about = "Loa Studio command line: scripts, glossary, stations and more, on the app's own data."
)]
struct Cli {
    /// Data folder (default: LOA_DATA_DIR, else the per-user app data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Message language: vi or en (default: from LANG, else vi). `--lang`
    /// is the language of content (translations, takes, packages).
    #[arg(long = "ui-lang", global = true, value_name = "LANG")]
    ui_lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or upgrade the database; --demo also loads the demo data.
    Init {
        #[arg(long)]
        demo: bool,
    },
    /// Show the data folder, schema version and counts.
    Info,
    /// Broadcast scripts.
    #[command(subcommand)]
    Script(ScriptCmd),
    /// The multilingual glossary.
    #[command(subcommand)]
    Glossary(GlossaryCmd),
    /// Script templates.
    #[command(subcommand)]
    Template(TemplateCmd),
    /// Translation memory.
    #[command(subcommand)]
    Tm(TmCmd),
    /// Translate scripts segment by segment.
    #[command(subcommand)]
    Translate(TranslateCmd),
    /// Check a script's translation: terms, numbers, untranslated segments…
    /// Exits with 1 when an error is found.
    Qa {
        script: i64,
        #[arg(long)]
        lang: String,
    },
    /// The station directory.
    #[command(subcommand)]
    Station(StationCmd),
    /// Readings (takes) of scripts.
    #[command(subcommand)]
    Take(take::TakeCmd),
    /// Groups of stations to address packages to.
    #[command(subcommand)]
    Group(broadcast::GroupCmd),
    /// This station's signing key.
    #[command(subcommand)]
    Key(broadcast::KeyCmd),
    /// Signed broadcast packages: build, verify, import.
    #[command(subcommand)]
    Package(broadcast::PackageCmd),
    /// The broadcast week: slots, placing items, iCalendar and player export.
    #[command(subcommand)]
    Schedule(broadcast::ScheduleCmd),
    /// What aired: mark items or import a player's log.
    #[command(subcommand)]
    Airlog(broadcast::AirlogCmd),
    /// The period report: figures, or XLSX/DOCX with --format and --out.
    Report(broadcast::ReportArgs),
    /// User settings.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Benchmarks against a named peer, run side by side (build with --release).
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Measure and render audio for broadcast.
    #[command(subcommand)]
    Audio(AudioCmd),
    /// Whisper models installed on this PC.
    #[command(subcommand)]
    Model(ModelCmd),
    /// Back up the whole station, or restore it on another PC.
    #[command(subcommand)]
    Backup(backup::BackupCmd),
    /// Transcribe speech in an audio file with Whisper (offline).
    Transcribe {
        audio: PathBuf,
        /// Model name from `loa model list` (default: the default model).
        #[arg(long)]
        model: Option<String>,
        /// Spoken language (Whisper's code).
        #[arg(long = "speech-lang", default_value = "vi")]
        speech_lang: String,
        #[arg(long, default_value_t = 5)]
        beam: u32,
        /// Default: cores − 1.
        #[arg(long)]
        threads: Option<u32>,
        /// Words that bias spelling (e.g. policy terms).
        #[arg(long, default_value = "")]
        prompt: String,
        /// Also write subtitles.
        #[arg(long)]
        srt: Option<PathBuf>,
        #[arg(long)]
        vtt: Option<PathBuf>,
    },
    /// Transcribe a reading and check it against its script: each sentence
    /// read, differs or missing, words added, and a score.
    CheckReading {
        audio: PathBuf,
        #[arg(long)]
        script: i64,
        /// Language of the reading (registry code; only Vietnamese has a
        /// speech model).
        #[arg(long = "reading-lang", default_value = "vie")]
        reading_lang: String,
        #[arg(long)]
        model: Option<String>,
        /// Default: the app's setting.
        #[arg(long)]
        beam: Option<u32>,
        #[arg(long)]
        threads: Option<u32>,
    },
}

#[derive(Subcommand)]
enum ModelCmd {
    /// Installed models: name, size, quantization, languages.
    List,
    /// Install a model: a whisper.cpp `.bin` file, or a faster-whisper /
    /// CTranslate2 model folder (converted; optionally quantized).
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

#[derive(Subcommand)]
enum BenchCmd {
    /// Verify a package with one large file, beside plain SHA-256 of the
    /// same bytes in memory (verification should be hash-bound).
    Verify {
        #[arg(long, default_value_t = 200)]
        mb: u32,
    },
    /// Render a synthetic N-minute recording to a −16 LUFS MP3, beside
    /// two-pass ffmpeg loudnorm (when installed); and waveform peaks of 60 minutes.
    Audio {
        #[arg(long, default_value_t = 10)]
        minutes: u32,
    },
    /// Translation-memory fuzzy lookup: bigram index vs scoring every unit.
    Tm {
        #[arg(long, default_value_t = 100_000)]
        count: u32,
        #[arg(long, default_value_t = 200)]
        queries: u32,
    },
    /// Term recognition: one Aho-Corasick pass vs searching each term.
    Terms {
        #[arg(long, default_value_t = 50_000)]
        count: u32,
        #[arg(long, default_value_t = 2_000)]
        syllables: u32,
        #[arg(long, default_value_t = 50)]
        runs: u32,
    },
    /// Transcription of real Vietnamese speech: whisper-rs (our q8_0 model)
    /// beside faster-whisper (int8) on the same Whisper model, same clips,
    /// beam and threads: time, real-time factor and word error rate.
    Transcribe {
        /// Folder of <name>.wav + <name>.txt pairs
        /// (scripts/fetch-speech-clips.sh).
        /// Default: LOA_SPEECH_CLIPS.
        #[arg(long)]
        clips: Option<PathBuf>,
        /// The CTranslate2 model folder both engines start from
        /// (scripts/fetch-model.sh ct2); converted here to q8_0.
        /// Default: LOA_WHISPER_CT2.
        #[arg(long)]
        ct2: Option<PathBuf>,
        /// Python with faster-whisper (scripts/fetch-faster-whisper.sh);
        /// without it only loa runs.
        #[arg(long)]
        peer_python: Option<PathBuf>,
        #[arg(long, default_value_t = 5)]
        beam: u32,
        /// Default: cores − 1, for both.
        #[arg(long)]
        threads: Option<u32>,
    },
    /// Script search: FTS5 over folded text vs a LIKE scan of the same text.
    Scripts {
        #[arg(long, default_value_t = 100_000)]
        count: u32,
        #[arg(long, default_value_t = 200)]
        queries: u32,
    },
}

#[derive(Subcommand)]
enum ScriptCmd {
    /// Create a script from a UTF-8 text file; prints its id.
    Add(ScriptFields),
    /// Change a script; only the options given change.
    Edit {
        id: i64,
        #[command(flatten)]
        fields: ScriptEdit,
    },
    /// List scripts, optionally filtered.
    List {
        #[arg(long, value_parser = ["draft", "review", "approved"])]
        status: Option<String>,
        #[arg(long, value_parser = ["normal", "priority", "emergency"])]
        priority: Option<String>,
        /// Only scripts that target this language (ISO 639-3).
        #[arg(long = "in")]
        in_lang: Option<String>,
        #[arg(long)]
        program: Option<String>,
    },
    /// Search titles, texts and policy references (diacritics optional).
    Search { query: String },
    /// Show one script with its reading-time estimate.
    Show { id: i64 },
    /// Move a script through the workflow: draft, review or approved.
    SetStatus {
        id: i64,
        #[arg(value_parser = ["draft", "review", "approved"])]
        status: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Move a script to the bin (`undelete` brings it back).
    Delete { id: i64 },
    /// Bring a deleted script back.
    Undelete { id: i64 },
    /// Revisions and workflow history of a script.
    History { id: i64 },
    /// The script's translation segments (sentences by paragraph).
    Segments { id: i64 },
    /// Word-level differences between two revisions.
    Diff { id: i64, from: u32, to: u32 },
    /// Write a script to a file.
    Export {
        id: i64,
        #[arg(long, value_parser = ["docx", "txt"])]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
struct ScriptFields {
    #[arg(long)]
    title: String,
    /// The script text, a UTF-8 file.
    #[arg(long)]
    file: PathBuf,
    #[arg(long, default_value = "")]
    program: String,
    #[arg(long, default_value = "other", value_parser = ["health", "agriculture", "law", "security", "disaster", "other"])]
    category: String,
    #[arg(long, default_value = "normal", value_parser = ["normal", "priority", "emergency"])]
    priority: String,
    #[arg(long, default_value = "")]
    policy_ref: String,
    /// Target languages, comma-separated ISO 639-3 codes.
    #[arg(long, default_value = "vie")]
    langs: String,
}

#[derive(Args)]
struct ScriptEdit {
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    file: Option<PathBuf>,
    #[arg(long)]
    program: Option<String>,
    #[arg(long, value_parser = ["normal", "priority", "emergency"])]
    priority: Option<String>,
    #[arg(long)]
    policy_ref: Option<String>,
}

#[derive(Subcommand)]
enum TmCmd {
    /// Save a confirmed segment pair.
    Add {
        #[arg(long, default_value = "vie")]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        source: String,
        #[arg(long)]
        target: String,
    },
    /// Earlier translations of a segment, best first (fuzzy, syllable-based).
    Lookup {
        text: String,
        #[arg(long, default_value = "vie")]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, default_value_t = loa_core::translate::memory::DEFAULT_THRESHOLD)]
        threshold: u32,
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
    /// Import a TMX 1.4 file (all or nothing).
    Import { file: PathBuf },
    /// Export one language pair as TMX 1.4.
    Export {
        #[arg(long, default_value = "vie")]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum TemplateCmd {
    /// List templates.
    List,
    /// Start a new draft script from a template; prints its id.
    Use { id: i64 },
    /// Save a script as a template.
    Save {
        script: i64,
        #[arg(long)]
        name: String,
    },
    /// Delete a template.
    Delete { id: i64 },
}

#[derive(Subcommand)]
enum GlossaryCmd {
    /// Find every glossary term in a UTF-8 text file (offsets in characters).
    Annotate {
        file: PathBuf,
        /// The text's language (ISO 639-3).
        #[arg(long, default_value = "vie")]
        lang: String,
    },
    /// List concepts with their terms.
    List {
        #[arg(long)]
        search: Option<String>,
        /// Only concepts with a term in this language (ISO 639-3, e.g. mtq).
        #[arg(long = "in")]
        in_lang: Option<String>,
        #[arg(long, default_value_t = 500)]
        limit: u32,
    },
    /// Import a glossary (CSV/TSV, XLSX or TBX), all or nothing.
    Import {
        file: PathBuf,
        /// Default: from the file's extension.
        #[arg(long, value_parser = ["csv", "xlsx", "tbx"])]
        format: Option<String>,
        /// Column fields in order, comma-separated, e.g.
        /// "id,term:vie,term:mtq,status:mtq" (empty = ignore the column).
        /// Default: guessed from the header row.
        #[arg(long)]
        map: Option<String>,
        /// For a concept sharing a term with an existing one.
        #[arg(long, default_value = "merge", value_parser = ["merge", "skip", "add"])]
        on_conflict: String,
        /// Show what would be imported without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the whole glossary.
    Export {
        #[arg(long, value_parser = ["csv", "xlsx", "tbx"])]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AudioCmd {
    /// Input devices (microphones) this computer has.
    Devices,
    /// Record from a microphone into a WAV file, written to disk as it goes.
    Record {
        out: PathBuf,
        #[arg(long)]
        seconds: f64,
        /// Device id from `loa audio devices` (default: the default input).
        #[arg(long)]
        device: Option<String>,
    },
    /// Repair takes cut off by a crash (`*.recording.wav`) in a folder.
    Recover { dir: PathBuf },
    /// Play an audio file on the default output and wait for its end.
    Play {
        file: PathBuf,
        #[arg(long, default_value_t = 0.0)]
        from: f64,
    },
    /// Duration, sample rate, channels, integrated loudness (LUFS), loudness
    /// range and true peak (EBU R128).
    Analyze { file: PathBuf },
    /// Render broadcast-ready audio: loudness-normalized, true-peak limited,
    /// mono, resampled, MP3 or WAV.
    Render {
        input: PathBuf,
        output: PathBuf,
        /// Integrated loudness: -16 for loudspeakers/IP radio, -23 for FM.
        #[arg(long, default_value_t = -16.0, allow_negative_numbers = true)]
        target: f64,
        #[arg(long, default_value_t = -1.0, allow_negative_numbers = true)]
        true_peak: f64,
        /// Default: from the output's extension.
        #[arg(long, value_parser = ["mp3", "wav"])]
        format: Option<String>,
        /// MP3 bitrate, e.g. 64k.
        #[arg(long, default_value = "64k")]
        bitrate: String,
        #[arg(long, default_value_t = 44_100)]
        rate: u32,
        #[arg(long)]
        trim_silence: bool,
        /// Cut below this frequency (Hz), for horn loudspeakers.
        #[arg(long)]
        high_pass: Option<f32>,
        #[arg(long, default_value = "")]
        title: String,
    },
}

#[derive(Subcommand)]
enum TranslateCmd {
    /// The translation of a script: segments, status and progress.
    Show {
        script: i64,
        #[arg(long)]
        lang: String,
    },
    /// Save one segment's translation (draft, or confirmed with --confirm).
    Set {
        script: i64,
        #[arg(long)]
        lang: String,
        /// 0-based segment position.
        #[arg(long)]
        segment: u32,
        #[arg(long)]
        target: String,
        #[arg(long)]
        confirm: bool,
    },
    /// Mark the translation translated (refused while QA finds errors).
    Done {
        script: i64,
        #[arg(long)]
        lang: String,
    },
}

#[derive(Subcommand)]
enum StationCmd {
    /// List stations; the search also finds pre-2025 names.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long, value_parser = ["province", "commune"])]
        level: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Show one station with its former units.
    Show { id: i64 },
    /// Import the 2025 administrative units (merges.json) as stations.
    ImportAdminUnits(ImportAdmin),
    /// Trust a station's public key file (check its key id by phone first).
    Trust {
        id: i64,
        #[arg(long)]
        key: PathBuf,
        /// Replacing the station's trusted key: the new key id's last
        /// group, as read back by phone.
        #[arg(long = "replace", value_name = "LAST-GROUP")]
        replace: Option<String>,
    },
    /// Stop trusting a station's key.
    Untrust { id: i64 },
}

#[derive(Args)]
struct ImportAdmin {
    file: PathBuf,
    /// Only this province (code such as 48, or name without diacritics).
    #[arg(long)]
    province: Option<String>,
}

#[derive(Subcommand)]
enum SettingsCmd {
    /// Show the settings.
    Show,
    /// Change settings.
    Set {
        #[arg(long = "ui-lang", value_parser = ["vi", "en"])]
        ui_lang: Option<String>,
        #[arg(long)]
        user_name: Option<String>,
        /// Station id of this PC (see `loa station list`).
        #[arg(long)]
        station: Option<i64>,
        /// Vietnamese reading rate, syllables per minute (60–250).
        #[arg(long)]
        reading_rate: Option<u32>,
    },
}

struct Ctx {
    json: bool,
    l10n: Localizer,
}

impl Ctx {
    fn print<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) -> Result<()> {
        let out = if self.json {
            serde_json::to_string_pretty(value)?
        } else {
            text()
        };
        // A closed pipe (`loa … | head`) is the reader's choice, not an error.
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = writeln!(stdout, "{out}") {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = loa_core::base::clock::init_from_env() {
        eprintln!("loa: {e}");
        return ExitCode::from(2);
    }
    let lang = i18n::pick_lang(
        cli.ui_lang
            .as_deref()
            .or(std::env::var("LANG").ok().as_deref()),
    );
    let ctx = Ctx {
        json: cli.json,
        l10n: Localizer::new(lang),
    };
    match run(cli, &ctx) {
        Ok(()) => ExitCode::SUCCESS,
        // The issues are already printed; the exit code tells scripts.
        Err(e) if e.is::<QaFailed>() || e.is::<broadcast::NotValid>() => ExitCode::FAILURE,
        Err(e) => {
            report(&ctx, &e);
            ExitCode::FAILURE
        }
    }
}

fn report(ctx: &Ctx, e: &anyhow::Error) {
    let (code, message) = match e.downcast_ref::<CoreError>() {
        Some(core) => (core.code(), ctx.l10n.error(core)),
        None => ("internal", e.to_string()),
    };
    if ctx.json {
        let body = serde_json::json!({ "error": { "code": code, "message": message } });
        eprintln!("{body}");
    } else {
        eprintln!("{}", ctx.l10n.get("cli-error", &[("message", message)]));
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EngineRun {
    engine: String,
    load_seconds: f64,
    /// Transcribing all clips, model already loaded.
    seconds: f64,
    wer: f32,
    wer_toneless: f32,
    texts: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TranscribeBench {
    clips: usize,
    audio_seconds: f64,
    beam: u32,
    threads: u32,
    engines: Vec<EngineRun>,
    /// loa's time ÷ the peer's.
    ratio: Option<f64>,
}

fn engine_run(engine: &str, load: f64, runs: &[(String, f64)], refs: &[String]) -> EngineRun {
    let mean = |fold: bool| {
        runs.iter()
            .zip(refs)
            .map(|((t, _), r)| loa_core::record::readback::word_error_rate(r, t, fold))
            .sum::<f32>()
            / refs.len().max(1) as f32
    };
    EngineRun {
        engine: engine.into(),
        load_seconds: load,
        seconds: runs.iter().map(|(_, s)| s).sum(),
        wer: mean(false),
        wer_toneless: mean(true),
        texts: runs.iter().map(|(t, _)| t.clone()).collect(),
    }
}

fn bench_transcribe(
    clips: &std::path::Path,
    ct2: &std::path::Path,
    peer: Option<&std::path::Path>,
    beam: u32,
    threads: Option<u32>,
) -> Result<TranscribeBench> {
    use std::time::Instant;
    let mut wavs: Vec<PathBuf> = std::fs::read_dir(clips)
        .map_err(|e| CoreError::io(clips, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav") && p.with_extension("txt").is_file())
        .collect();
    wavs.sort();
    if wavs.is_empty() {
        return Err(CoreError::invalid("file", "format").into());
    }
    let refs: Vec<String> = wavs
        .iter()
        .map(|w| std::fs::read_to_string(w.with_extension("txt")).unwrap_or_default())
        .collect();
    let threads = threads.unwrap_or_else(loa_speech::transcribe::default_threads);
    let opts = loa_speech::TranscribeOptions {
        lang: "vi".into(),
        beam_size: beam,
        threads: Some(threads),
        initial_prompt: String::new(),
    };
    let tmp = std::env::temp_dir().join(format!("loa-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    loa_speech::model::import(
        &tmp,
        ct2,
        "base",
        Some(loa_speech::Quantization::Q8_0),
        &mut |_| true,
    )?;
    let model_path = loa_speech::model::path(&tmp, "base")?;
    let mut audio_seconds = 0.0;
    let mut prepared = Vec::new();
    for w in &wavs {
        let pcm = audio::decode_file(w, &mut |_| true)?;
        audio_seconds += pcm.frames() as f64 / f64::from(pcm.rate);
        prepared.push(loa_speech::transcribe::prepare(&pcm)?);
    }
    let t0 = Instant::now();
    let model = loa_speech::transcribe::Transcriber::load(&model_path)?;
    let load = t0.elapsed().as_secs_f64();
    let mut runs = Vec::new();
    for samples in &prepared {
        let t0 = Instant::now();
        let t = model.run(samples, &opts, &mut |_| true)?;
        runs.push((t.text(), t0.elapsed().as_secs_f64()));
    }
    drop(model);
    let _ = std::fs::remove_dir_all(&tmp);
    let mut engines = vec![engine_run("loa (whisper-rs q8_0)", load, &runs, &refs)];
    if let Some(python) = peer {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scripts/bench_faster_whisper.py");
        let out = std::process::Command::new(python)
            .arg(&script)
            .arg(ct2)
            .args([threads.to_string(), beam.to_string(), "vi".into()])
            .args(&wavs)
            .output()
            .map_err(|e| CoreError::io(python, e))?;
        if !out.status.success() {
            anyhow::bail!(
                "faster-whisper failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let runs: Vec<(String, f64)> = v["clips"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| {
                        (
                            c["text"].as_str().unwrap_or_default().to_string(),
                            c["elapsed"].as_f64().unwrap_or(0.0),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        engines.push(engine_run(
            "faster-whisper (int8)",
            v["loadSeconds"].as_f64().unwrap_or(0.0),
            &runs,
            &refs,
        ));
    }
    let ratio = engines.get(1).map(|p| engines[0].seconds / p.seconds);
    Ok(TranscribeBench {
        clips: wavs.len(),
        audio_seconds,
        beam,
        threads,
        engines,
        ratio,
    })
}

/// A unit enum's serde name ("read", "differs"…), for message ids.
fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Decodes an audio file and transcribes it with the named model, or the
/// default one.
fn transcribe_file(
    dir: &std::path::Path,
    model: Option<String>,
    audio: &std::path::Path,
    opts: &loa_speech::TranscribeOptions,
) -> Result<loa_speech::Transcript> {
    let name = match model {
        Some(m) => m,
        None => loa_speech::model::default_model(dir)?.name,
    };
    let path = loa_speech::model::path(dir, &name)?;
    if !path.is_file() {
        return Err(CoreError::not_found("model", &name).into());
    }
    let pcm = audio::decode_file(audio, &mut |_| true)?;
    let samples = loa_speech::transcribe::prepare(&pcm)?;
    Ok(loa_speech::transcribe::transcribe(
        &path,
        &samples,
        opts,
        &mut |_| true,
    )?)
}

fn open(data_dir: Option<PathBuf>) -> Result<(Db, PathBuf)> {
    let dir = paths::resolve_data_dir(data_dir)?;
    Ok((Db::open_dir(&dir)?, dir))
}

/// One line per item, or "(none)" in the user's language.
/// `loa qa` found errors.
#[derive(Debug)]
struct QaFailed;

impl std::fmt::Display for QaFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("QA found errors")
    }
}

impl std::error::Error for QaFailed {}

fn lines<T>(l: &Localizer, items: &[T], line: impl Fn(&T) -> String) -> String {
    if items.is_empty() {
        return l.get("cli-none", &[]);
    }
    items.iter().map(line).collect::<Vec<_>>().join("\n")
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

/// Whether a command may change the data folder. Writers hold the folder's
/// lock for their run, so they never run beside the app or each other;
/// readers go on beside a running app (SQLite's WAL keeps them consistent).
fn writes(cmd: &Command) -> bool {
    use broadcast::{AirlogCmd, GroupCmd, PackageCmd, ScheduleCmd};
    if let Command::Backup(b) = cmd {
        return backup::writes(b);
    }
    !matches!(
        cmd,
        Command::Info
            | Command::Qa { .. }
            | Command::Report(_)
            // The key is made atomically on first use, whoever holds the
            // folder, and a station's key must be readable while the app runs.
            | Command::Key(_)
            | Command::Bench(_)
            | Command::Audio(_)
            | Command::Transcribe { .. }
            | Command::CheckReading { .. }
            | Command::Model(ModelCmd::List)
            | Command::Settings(SettingsCmd::Show)
            | Command::Script(
                ScriptCmd::List { .. }
                    | ScriptCmd::Search { .. }
                    | ScriptCmd::Show { .. }
                    | ScriptCmd::History { .. }
                    | ScriptCmd::Segments { .. }
                    | ScriptCmd::Diff { .. }
                    | ScriptCmd::Export { .. }
            )
            | Command::Glossary(
                GlossaryCmd::List { .. }
                    | GlossaryCmd::Export { .. }
                    | GlossaryCmd::Annotate { .. }
            )
            | Command::Tm(TmCmd::Lookup { .. } | TmCmd::Export { .. })
            | Command::Template(TemplateCmd::List)
            | Command::Translate(TranslateCmd::Show { .. })
            | Command::Station(StationCmd::List { .. } | StationCmd::Show { .. })
            | Command::Take(take::TakeCmd::List { .. })
            | Command::Group(GroupCmd::List)
            | Command::Package(
                PackageCmd::Verify { .. } | PackageCmd::List { .. } | PackageCmd::Show { .. }
            )
            | Command::Schedule(
                ScheduleCmd::Slots | ScheduleCmd::Show { .. } | ScheduleCmd::Export { .. }
            )
            | Command::Airlog(AirlogCmd::List { .. })
    )
}

fn run(cli: Cli, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    // Held until the command ends.
    let _lock = if writes(&cli.command) {
        let dir = paths::resolve_data_dir(cli.data_dir.clone())?;
        Some(loa_core::base::instance::DataLock::acquire(&dir, "loa")?)
    } else {
        None
    };
    match cli.command {
        Command::Model(cmd) => {
            let dir = paths::resolve_data_dir(cli.data_dir)?;
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
                    let m = loa_speech::model::import(&dir, &path, &out, q, &mut |_| true)?;
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
        Command::Transcribe {
            audio,
            model,
            speech_lang,
            beam,
            threads,
            prompt,
            srt,
            vtt,
        } => {
            let dir = paths::resolve_data_dir(cli.data_dir)?;
            let opts = loa_speech::TranscribeOptions {
                lang: speech_lang,
                beam_size: beam,
                threads,
                initial_prompt: prompt,
            };
            let t = transcribe_file(&dir, model, &audio, &opts)?;
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
        Command::CheckReading {
            audio,
            script,
            reading_lang,
            model,
            beam,
            threads,
        } => {
            let (mut db, dir) = open(cli.data_dir)?;
            if reading_lang != loa_core::translate::translation::SOURCE_LANG {
                return Err(CoreError::invalid("language", "no-speech-model").into());
            }
            let s = settings::load(&db)?;
            let sentences =
                loa_core::record::transcript::expected_sentences(&mut db, script, &reading_lang)?;
            let opts = loa_speech::TranscribeOptions {
                lang: "vi".into(),
                beam_size: beam.unwrap_or(s.speech_beam),
                threads: threads.or((s.speech_threads > 0).then_some(s.speech_threads)),
                initial_prompt: if s.speech_prompt {
                    loa_core::record::transcript::prompt_for(&mut db, script)?
                } else {
                    String::new()
                },
            };
            drop(db);
            let t = transcribe_file(&dir, model, &audio, &opts)?;
            let r = loa_core::record::readback::compare(&sentences, &t.segments)?;
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
        Command::Init { demo } => {
            let (mut db, dir) = open(cli.data_dir)?;
            let version = db.schema_version()?;
            let seeded = if demo {
                Some(loa_core::demo::seed(&mut db)?)
            } else {
                None
            };
            let out = serde_json::json!({
                "dataDir": dir.display().to_string(),
                "schemaVersion": version,
                "demo": seeded,
            });
            ctx.print(&out, || {
                let mut lines = vec![l.get(
                    "cli-init-done",
                    &[
                        ("path", dir.display().to_string()),
                        ("version", version.to_string()),
                    ],
                )];
                match &seeded {
                    Some(s) if s.already_seeded => lines.push(l.get("cli-demo-already", &[])),
                    Some(s) => lines.push(l.get(
                        "cli-demo-seeded",
                        &[
                            ("scripts", s.scripts.to_string()),
                            ("concepts", s.concepts.to_string()),
                            ("stations", s.stations.to_string()),
                        ],
                    )),
                    None => {}
                }
                lines.join("\n")
            })
        }
        Command::Info => {
            let (db, dir) = open(cli.data_dir)?;
            let o = loa_core::overview(&db, &dir)?;
            ctx.print(&o, || {
                format!(
                    "Loa Studio {}\n{}\nschema {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
                    o.version,
                    l.get("home-data-dir", &[("path", o.data_dir.clone())]),
                    o.schema_version,
                    l.get("home-stat-scripts", &[]),
                    o.scripts,
                    l.get("home-stat-concepts", &[]),
                    o.concepts,
                    l.get("home-stat-stations", &[]),
                    o.stations,
                    l.get("home-stat-languages", &[]),
                    o.languages
                )
            })
        }
        Command::Script(cmd) => {
            let (mut db, _) = open(cli.data_dir)?;
            let who = settings::load(&db)?.user_name;
            let summaries = |list: &[script::ScriptSummary]| {
                lines(l, list, |s| {
                    format!(
                        "{:>5}  {:<10} {:<12} {}",
                        s.id,
                        l.get(&format!("status-{}", s.status.as_str()), &[]),
                        l.get(&format!("priority-{}", s.priority.as_str()), &[]),
                        s.title
                    )
                })
            };
            match cmd {
                ScriptCmd::Add(f) => {
                    let input = script::ScriptInput {
                        title: f.title,
                        body: limits::read_text(&f.file, ImportKind::ScriptText)?,
                        program: f.program,
                        category: script::Category::parse(&f.category)
                            .unwrap_or(script::Category::Other),
                        priority: script::Priority::parse(&f.priority)
                            .unwrap_or(script::Priority::Normal),
                        policy_ref: f.policy_ref,
                        target_langs: f
                            .langs
                            .split(',')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect(),
                        ..Default::default()
                    };
                    let d = script::create(&mut db, &input, &who)?;
                    ctx.print(&d, || d.summary.id.to_string())
                }
                ScriptCmd::Edit { id, fields } => {
                    let mut input = script::get(&db, id)?.input;
                    if let Some(t) = fields.title {
                        input.title = t;
                    }
                    if let Some(f) = &fields.file {
                        input.body = limits::read_text(f, ImportKind::ScriptText)?;
                    }
                    if let Some(p) = fields.program {
                        input.program = p;
                    }
                    if let Some(p) = fields.priority.as_deref().and_then(script::Priority::parse) {
                        input.priority = p;
                    }
                    if let Some(r) = fields.policy_ref {
                        input.policy_ref = r;
                    }
                    let d = script::update(&mut db, id, &input, &who)?;
                    ctx.print(&d, || {
                        format!("{} (rev {})", d.summary.id, d.summary.revision)
                    })
                }
                ScriptCmd::List {
                    status,
                    priority,
                    in_lang,
                    program,
                } => {
                    let list = script::list(
                        &db,
                        &script::ScriptQuery {
                            status: status.as_deref().and_then(script::Status::parse),
                            priority: priority.as_deref().and_then(script::Priority::parse),
                            lang: in_lang,
                            program,
                            ..Default::default()
                        },
                    )?;
                    ctx.print(&list, || summaries(&list))
                }
                ScriptCmd::Search { query } => {
                    let list = script::list(
                        &db,
                        &script::ScriptQuery {
                            search: Some(query),
                            ..Default::default()
                        },
                    )?;
                    ctx.print(&list, || summaries(&list))
                }
                ScriptCmd::Show { id } => {
                    let d = script::get(&db, id)?;
                    ctx.print(&d, || {
                        let s = &d.summary;
                        format!(
                            "{}\n{}: {}\n{}: {} (rev {})\n{}: {} ({})\n\n{}",
                            s.title,
                            l.get("script-policy-ref", &[]),
                            s.policy_ref,
                            l.get("script-status", &[]),
                            l.get(&format!("status-{}", s.status.as_str()), &[]),
                            s.revision,
                            l.get("script-reading-time", &[]),
                            loa_core::draft::export::format_duration(l, s.est_seconds),
                            l.get("script-syllables", &[("count", s.syllables.to_string())]),
                            d.input.body
                        )
                    })
                }
                ScriptCmd::SetStatus { id, status, note } => {
                    let to = script::Status::parse(&status).unwrap_or(script::Status::Draft);
                    let d = script::set_status(&mut db, id, to, &who, &note)?;
                    ctx.print(&d, || {
                        l.get(&format!("status-{}", d.summary.status.as_str()), &[])
                    })
                }
                ScriptCmd::Delete { id } => {
                    script::delete(&mut db, id)?;
                    ctx.print(&serde_json::json!({ "deleted": id }), || id.to_string())
                }
                ScriptCmd::Undelete { id } => {
                    let d = script::undelete(&mut db, id)?;
                    ctx.print(&d, || d.summary.title.clone())
                }
                ScriptCmd::History { id } => {
                    let revisions = script::revisions(&db, id)?;
                    let events = script::events(&db, id)?;
                    let out = serde_json::json!({ "revisions": revisions, "events": events });
                    ctx.print(&out, || {
                        let mut lines: Vec<String> = revisions
                            .iter()
                            .map(|r| format!("rev {:>3}  {}  {}", r.revision, r.author, r.title))
                            .collect();
                        lines.extend(events.iter().map(|e| {
                            format!(
                                "{} → {}  {}  rev {}",
                                l.get(&format!("status-{}", e.from_status.as_str()), &[]),
                                l.get(&format!("status-{}", e.to_status.as_str()), &[]),
                                e.who,
                                e.revision
                            )
                        }));
                        lines.join("\n")
                    })
                }
                ScriptCmd::Diff { id, from, to } => {
                    let d = script::diff(&db, id, from, to)?;
                    ctx.print(&d, || {
                        d.body
                            .iter()
                            .map(|c| match c.op {
                                script::DiffOp::Equal => c.text.clone(),
                                script::DiffOp::Delete => format!("[-{}-]", c.text),
                                script::DiffOp::Insert => format!("{{+{}+}}", c.text),
                            })
                            .collect()
                    })
                }
                ScriptCmd::Segments { id } => {
                    let segs = loa_core::draft::segment::segment(&script::get(&db, id)?.input.body);
                    ctx.print(&segs, || {
                        lines(l, &segs, |s| format!("{:>3}  {}", s.paragraph + 1, s.text))
                    })
                }
                ScriptCmd::Export { id, format, out } => {
                    let d = script::get(&db, id)?;
                    let bytes = match loa_core::draft::export::ExportFormat::parse(&format) {
                        Some(loa_core::draft::export::ExportFormat::Docx) => {
                            loa_core::draft::export::script_docx(&d, l)?
                        }
                        _ => loa_core::draft::export::script_txt(&d, l).into_bytes(),
                    };
                    loa_core::base::files::write_atomically(&out, &bytes)?;
                    ctx.print(
                        &serde_json::json!({ "out": out.display().to_string() }),
                        || out.display().to_string(),
                    )
                }
            }
        }
        Command::Tm(cmd) => {
            let (mut db, _) = open(cli.data_dir)?;
            match cmd {
                TmCmd::Add {
                    from,
                    to,
                    source,
                    target,
                } => {
                    let who = settings::load(&db)?.user_name;
                    let id = loa_core::translate::memory::add(
                        db.conn(),
                        &from,
                        &to,
                        &source,
                        &target,
                        &who,
                        None,
                    )?;
                    ctx.print(&serde_json::json!({ "id": id }), || id.to_string())
                }
                TmCmd::Lookup {
                    text,
                    from,
                    to,
                    threshold,
                    limit,
                } => {
                    let matches = loa_core::translate::memory::TmIndex::load(&db, &from, &to)?
                        .lookup(&text, threshold, limit);
                    ctx.print(&matches, || {
                        lines(l, &matches, |m| {
                            format!("{:>3}%  {}  →  {}", m.score, m.unit.source, m.unit.target)
                        })
                    })
                }
                TmCmd::Import { file } => {
                    let xml = limits::read_text(&file, ImportKind::Tmx)?;
                    let s = loa_core::translate::tmx::import(&mut db, &xml)?;
                    ctx.print(&s, || format!("{} ({} skipped)", s.units, s.skipped))
                }
                TmCmd::Export { from, to, out } => {
                    let xml = loa_core::translate::tmx::export(&db, &from, &to)?;
                    loa_core::base::files::write_atomically(&out, xml.as_bytes())?;
                    ctx.print(
                        &serde_json::json!({ "out": out.display().to_string() }),
                        || out.display().to_string(),
                    )
                }
            }
        }
        Command::Template(cmd) => {
            let (mut db, _) = open(cli.data_dir)?;
            match cmd {
                TemplateCmd::List => {
                    let list = loa_core::draft::template::list(&db)?;
                    ctx.print(&list, || {
                        lines(l, &list, |t| format!("{:>4}  {}", t.id, t.name))
                    })
                }
                TemplateCmd::Use { id } => {
                    let who = settings::load(&db)?.user_name;
                    let d = loa_core::draft::template::new_script(&mut db, id, &who)?;
                    ctx.print(&d, || d.summary.id.to_string())
                }
                TemplateCmd::Save { script, name } => {
                    let t = loa_core::draft::template::save_from_script(&mut db, script, &name)?;
                    ctx.print(&t, || t.id.to_string())
                }
                TemplateCmd::Delete { id } => {
                    loa_core::draft::template::delete(&mut db, id)?;
                    ctx.print(&serde_json::json!({ "deleted": id }), || id.to_string())
                }
            }
        }
        Command::Glossary(GlossaryCmd::Annotate { file, lang }) => {
            let (db, _) = open(cli.data_dir)?;
            let text = limits::read_text(&file, ImportKind::ScriptText)?;
            let hits =
                loa_core::translate::glossary::terms::TermIndex::load(&db, &lang)?.find(&text);
            ctx.print(&hits, || {
                lines(l, &hits, |h| {
                    format!(
                        "{:>6}-{:<6} {}  → #{} {}",
                        h.start, h.end, h.text, h.concept_id, h.term
                    )
                })
            })
        }
        Command::Glossary(GlossaryCmd::List {
            search,
            in_lang,
            limit,
        }) => {
            let (db, _) = open(cli.data_dir)?;
            let page = glossary::list(
                &db,
                &glossary::ConceptQuery {
                    search,
                    lang: in_lang,
                    limit: Some(limit),
                    ..Default::default()
                },
            )?;
            ctx.print(&page, || {
                let mut out = vec![l.get("glossary-count", &[("total", page.total.to_string())])];
                for c in &page.items {
                    let terms: Vec<String> = c
                        .terms
                        .iter()
                        .map(|t| format!("{}: {}", t.lang, t.text))
                        .collect();
                    out.push(format!(
                        "{:<14} {:<24} {}",
                        c.external_id,
                        c.definition,
                        terms.join("; ")
                    ));
                }
                out.join("\n")
            })
        }
        Command::Glossary(GlossaryCmd::Import {
            file,
            format,
            map,
            on_conflict,
            dry_run,
        }) => {
            let (mut db, _) = open(cli.data_dir)?;
            let format = format
                .as_deref()
                .and_then(Format::parse)
                .or_else(|| Format::of_path(&file.to_string_lossy()))
                .ok_or(CoreError::invalid("format", "unknown"))?;
            let kind = match format {
                Format::Csv => ImportKind::GlossaryCsv,
                Format::Xlsx => ImportKind::GlossaryXlsx,
                Format::Tbx => ImportKind::Tbx,
            };
            let bytes = loa_core::base::limits::read_file(&file, kind)?;
            let opts = ImportOptions {
                format,
                mapping: map.map(|m| m.split(',').map(|f| f.trim().to_string()).collect()),
                on_conflict: match on_conflict.as_str() {
                    "skip" => OnConflict::Skip,
                    "add" => OnConflict::Add,
                    _ => OnConflict::Merge,
                },
            };
            let who = settings::load(&db)?.user_name;
            let r = exchange::import(&mut db, &bytes, &opts, &who, !dry_run)?;
            ctx.print(&r, || {
                l.get(
                    "glossary-import-result",
                    &[
                        ("concepts", r.concepts.to_string()),
                        ("new", r.new.to_string()),
                        ("duplicate", r.duplicate.to_string()),
                        ("conflicting", r.conflicting.to_string()),
                    ],
                )
            })
        }
        Command::Glossary(GlossaryCmd::Export { format, out }) => {
            let (db, _) = open(cli.data_dir)?;
            let format = Format::parse(&format).ok_or(CoreError::invalid("format", "unknown"))?;
            let bytes = exchange::export(&db, format)?;
            loa_core::base::files::write_atomically(&out, &bytes)?;
            ctx.print(
                &serde_json::json!({ "out": out.display().to_string() }),
                || out.display().to_string(),
            )
        }
        Command::Translate(cmd) => {
            let (mut db, _) = open(cli.data_dir)?;
            let who = settings::load(&db)?.user_name;
            let t = match cmd {
                TranslateCmd::Show { script, lang } => translation::open(&mut db, script, &lang)?,
                TranslateCmd::Set {
                    script,
                    lang,
                    segment,
                    target,
                    confirm,
                } => {
                    let current = translation::open(&mut db, script, &lang)?;
                    let source = current
                        .segments
                        .get(segment as usize)
                        .map(|s| s.source.clone())
                        .ok_or(CoreError::not_found("segment", segment))?;
                    translation::save_segment(
                        &mut db,
                        &translation::SegmentSave {
                            script_id: script,
                            lang,
                            position: segment,
                            source,
                            target,
                            confirm,
                        },
                        &who,
                    )?
                }
                TranslateCmd::Done { script, lang } => translation::set_status(
                    &mut db,
                    script,
                    &lang,
                    translation::TranslationStatus::Translated,
                    &who,
                )?,
            };
            ctx.print(&t, || {
                let mut out = vec![format!(
                    "{} [{}] {}/{}",
                    t.title, t.lang, t.progress.confirmed, t.progress.total
                )];
                for s in &t.segments {
                    out.push(format!(
                        "{:>3} {:<12} {}\n    → {}",
                        s.position,
                        format!("{:?}", s.status).to_lowercase(),
                        s.source,
                        s.target
                    ));
                }
                out.join("\n")
            })
        }
        Command::Audio(AudioCmd::Devices) => {
            let list = audio::device::input_devices()?;
            ctx.print(&list, || {
                lines(l, &list, |d| {
                    format!(
                        "{} {}  ({})",
                        if d.is_default { "*" } else { " " },
                        d.name,
                        d.id
                    )
                })
            })
        }
        Command::Audio(AudioCmd::Record {
            out,
            seconds,
            device,
        }) => {
            if !(0.0..=4.0 * 3600.0).contains(&seconds) {
                return Err(CoreError::invalid("seconds", "out-of-range").into());
            }
            let rec = audio::device::Recorder::start(device.as_deref(), &out)?;
            let started = std::time::Instant::now();
            let mut level = audio::device::Level::default();
            // Counted in recorded audio, not wall time: devices can take a
            // moment to start delivering. A device that never does ends it.
            while level.seconds < seconds && started.elapsed().as_secs_f64() < seconds + 10.0 {
                std::thread::sleep(std::time::Duration::from_millis(100));
                level = rec.level();
                if level.device_error.is_some() {
                    break;
                }
            }
            let path = rec.stop()?;
            let out = serde_json::json!({
                "out": path.display().to_string(),
                "seconds": level.seconds,
                "deviceError": level.device_error,
            });
            ctx.print(&out, || {
                format!("{}: {:.1} s", path.display(), level.seconds)
            })
        }
        Command::Audio(AudioCmd::Play { file, from }) => {
            let pcm = audio::decode_file(&file, &mut |_| true)?;
            let p = audio::playback::Playback::start(pcm, from)?;
            let mut state = p.state();
            while !state.finished {
                std::thread::sleep(std::time::Duration::from_millis(50));
                state = p.state();
            }
            ctx.print(&state, || format!("{:.1} s", state.duration))
        }
        Command::Audio(AudioCmd::Recover { dir }) => {
            let found = audio::take::recover_all(&dir)?;
            ctx.print(&found, || {
                lines(l, &found, |r| format!("{}: {:.1} s", r.path, r.seconds))
            })
        }
        Command::Audio(AudioCmd::Analyze { file }) => {
            let pcm = audio::decode_file(&file, &mut |_| true)?;
            let a = audio::analyze(&pcm)?;
            let opt = |v: Option<f64>, unit: &str| {
                v.map(|v| format!("{v:.1} {unit}"))
                    .unwrap_or_else(|| "-inf".into())
            };
            ctx.print(&a, || {
                format!(
                    "{:.2} s, {} Hz, {} ch\nI: {}\nLRA: {:.1} LU\nTP: {}",
                    a.seconds,
                    a.rate,
                    a.channels,
                    opt(a.integrated_lufs, "LUFS"),
                    a.range_lu,
                    opt(a.true_peak_db, "dBTP")
                )
            })
        }
        Command::Audio(AudioCmd::Render {
            input,
            output,
            target,
            true_peak,
            format,
            bitrate,
            rate,
            trim_silence,
            high_pass,
            title,
        }) => {
            let ext = output
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            let format = match format.as_deref().unwrap_or(ext.as_str()) {
                "wav" => audio::RenderFormat::Wav,
                _ => audio::RenderFormat::Mp3,
            };
            let bitrate_kbps = bitrate
                .trim_end_matches(['k', 'K'])
                .parse()
                .map_err(|_| CoreError::invalid("bitrate", "unsupported"))?;
            let pcm = audio::decode_file(&input, &mut |_| true)?;
            let opts = audio::RenderOptions {
                target_lufs: target,
                true_peak_db: true_peak,
                format,
                bitrate_kbps,
                rate,
                high_pass_hz: high_pass,
                trim_silence,
                title,
                ..Default::default()
            };
            let (bytes, l) = audio::render(&pcm, &opts)?;
            loa_core::base::files::write_atomically(&output, &bytes)?;
            ctx.print(&l, || {
                format!(
                    "{}: {:.2} s, {:.1} LUFS, {:.1} dBTP",
                    output.display(),
                    l.seconds,
                    l.integrated_lufs.unwrap_or(f64::NEG_INFINITY),
                    l.true_peak_db.unwrap_or(f64::NEG_INFINITY)
                )
            })
        }
        Command::Qa { script, lang } => {
            let (mut db, _) = open(cli.data_dir)?;
            let issues = loa_core::translate::qa::check(&mut db, script, &lang)?;
            ctx.print(&issues, || {
                lines(l, &issues, |i| {
                    let kind = serde_json::to_value(i.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default();
                    format!(
                        "#{:<3} {:<8} {}",
                        i.position,
                        format!("{:?}", i.severity).to_lowercase(),
                        l.get(
                            &format!("qa-{kind}"),
                            &[("found", i.found.clone()), ("expected", i.expected.clone())]
                        )
                    )
                })
            })?;
            if issues
                .iter()
                .any(|i| i.severity == loa_core::translate::qa::Severity::Error)
            {
                return Err(QaFailed.into());
            }
            Ok(())
        }
        Command::Station(StationCmd::Trust { id, key, replace }) => {
            broadcast::trust(id, &key, replace.as_deref(), cli.data_dir, ctx)
        }
        Command::Take(cmd) => take::run(cmd, cli.data_dir, ctx),
        Command::Backup(cmd) => backup::run(cmd, cli.data_dir, ctx),
        Command::Group(cmd) => broadcast::group(cmd, cli.data_dir, ctx),
        Command::Key(cmd) => broadcast::key(cmd, cli.data_dir, ctx),
        Command::Package(cmd) => broadcast::package(cmd, cli.data_dir, ctx),
        Command::Schedule(cmd) => broadcast::schedule(cmd, cli.data_dir, ctx),
        Command::Airlog(cmd) => broadcast::airlog(cmd, cli.data_dir, ctx),
        Command::Report(args) => broadcast::report(args, cli.data_dir, ctx),
        Command::Station(cmd) => {
            let (mut db, _) = open(cli.data_dir)?;
            match cmd {
                StationCmd::Trust { .. } => unreachable!("handled above"),
                StationCmd::Untrust { id } => {
                    let s = station::untrust(&mut db, id)?;
                    ctx.print(&s, || s.summary.name.clone())
                }
                StationCmd::List {
                    search,
                    level,
                    limit,
                } => {
                    let level = match level.as_deref() {
                        Some("province") => Some(station::StationLevel::Province),
                        Some("commune") => Some(station::StationLevel::Commune),
                        _ => None,
                    };
                    let list = station::list(
                        &db,
                        &station::StationQuery {
                            search,
                            level,
                            limit: Some(limit),
                        },
                    )?;
                    ctx.print(&list, || {
                        lines(l, &list, |s| {
                            let alias = s
                                .matched_alias
                                .as_ref()
                                .map(|a| {
                                    let m = l.get("station-matched-alias", &[("name", a.clone())]);
                                    format!("  ({m})")
                                })
                                .unwrap_or_default();
                            format!(
                                "{:>5}  {:<6} {}{}",
                                s.id,
                                s.admin_code.as_deref().unwrap_or(""),
                                s.name,
                                alias
                            )
                        })
                    })
                }
                StationCmd::Show { id } => {
                    let d = station::get(&db, id)?;
                    ctx.print(&d, || {
                        let mut out = vec![
                            d.summary.name.clone(),
                            format!(
                                "{}: {}",
                                l.get("station-code", &[]),
                                d.summary.admin_code.as_deref().unwrap_or("")
                            ),
                        ];
                        if let Some(p) = &d.summary.parent_name {
                            out.push(format!("{}: {p}", l.get("station-parent", &[])));
                        }
                        out.push(format!("{}:", l.get("station-aliases", &[])));
                        for a in &d.aliases {
                            let kind = l.get(&format!("station-merge-{}", a.merge_type), &[]);
                            out.push(format!("  {} {} ({kind})", a.old_code, a.name));
                        }
                        out.join("\n")
                    })
                }
                StationCmd::ImportAdminUnits(args) => {
                    let json = limits::read_text(&args.file, ImportKind::AdminUnits)?;
                    let s = station::import_admin_units(&mut db, &json, args.province.as_deref())?;
                    ctx.print(&s, || {
                        format!("{} + {} ({} aliases)", s.provinces, s.communes, s.aliases)
                    })
                }
            }
        }
        Command::Bench(BenchCmd::Verify { mb }) => {
            let b = loa_core::bench::verify(mb)?;
            ctx.print(&b, || {
                format!(
                    "package with {:.0} MB of audio\n\
                     SHA-256 in memory (peer): {:.2} s  {:.0} MB/s\n\
                     loa package verify:       {:.2} s  {:.0} MB/s\n\
                     ratio: verify takes {:.2}x the time of SHA-256 alone",
                    b.megabytes,
                    b.sha256_seconds,
                    b.sha256_mb_per_s,
                    b.verify_seconds,
                    b.verify_mb_per_s,
                    b.ratio
                )
            })
        }
        Command::Bench(BenchCmd::Audio { minutes }) => {
            let b = loa_core::bench::audio(minutes)?;
            let f = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into());
            ctx.print(&b, || {
                format!(
                    "{} min speech-like audio → −16 LUFS / −1 dBTP, 44.1 kHz mono, 64 kbit/s MP3\n\
                     loa:             {:.2} s  ({} LUFS, {} dBTP)\n\
                     ffmpeg 2-pass:   {} s  ({} LUFS, {} dBTP)\n\
                     ratio: {}\n\
                     waveform peaks, 60 min at 48 kHz: {:.0} ms",
                    b.minutes,
                    b.loa_seconds,
                    f(b.loa_lufs),
                    f(b.loa_true_peak),
                    b.ffmpeg_seconds
                        .map(|s| format!("{s:.2}"))
                        .unwrap_or_else(|| "not installed".into()),
                    f(b.ffmpeg_lufs),
                    f(b.ffmpeg_true_peak),
                    b.ratio
                        .map(|r| format!("loa is {r:.1}x as fast as ffmpeg"))
                        .unwrap_or_else(|| "- (install ffmpeg to compare)".into()),
                    b.peaks_60min_ms
                )
            })
        }
        Command::Bench(BenchCmd::Transcribe {
            clips,
            ct2,
            peer_python,
            beam,
            threads,
        }) => {
            let from_env = |v: Option<PathBuf>, var: &str| {
                v.or_else(|| std::env::var_os(var).map(PathBuf::from))
                    .ok_or_else(|| anyhow::anyhow!("--{} or {var} is needed", var.to_lowercase()))
            };
            let clips = from_env(clips, "LOA_SPEECH_CLIPS")?;
            let ct2 = from_env(ct2, "LOA_WHISPER_CT2")?;
            let b = bench_transcribe(&clips, &ct2, peer_python.as_deref(), beam, threads)?;
            ctx.print(&b, || {
                let mut out = vec![format!(
                    "{} clips, {:.1} s of Vietnamese speech, Whisper base, beam {}, {} threads",
                    b.clips, b.audio_seconds, b.beam, b.threads
                )];
                for e in &b.engines {
                    out.push(format!(
                        "{:<22} {:>6.2} s  RTF {:.2}  WER {:.1}% (without tones {:.1}%)  load {:.2} s",
                        e.engine,
                        e.seconds,
                        e.seconds / b.audio_seconds,
                        e.wer * 100.0,
                        e.wer_toneless * 100.0,
                        e.load_seconds
                    ));
                }
                out.push(match b.ratio {
                    Some(r) => format!("ratio: loa takes {r:.2}x the time of faster-whisper"),
                    None => "ratio: - (scripts/fetch-faster-whisper.sh installs the peer)".into(),
                });
                out.join("\n")
            })
        }
        Command::Bench(BenchCmd::Tm { count, queries }) => {
            let b = loa_core::bench::tm(count, queries)?;
            ctx.print(&b, || {
                format!(
                    "translation memory, {} units, {} top-5 lookups (index built in {:.0} ms)\n\
                     bigram index (loa): median {:.2} ms, p95 {:.2} ms\n\
                     full scan (peer):   median {:.2} ms\n\
                     ratio: {:.0}x faster; same best score as the scan: {:.0} %",
                    b.units,
                    b.queries,
                    b.build_ms,
                    b.index_median_ms,
                    b.index_p95_ms,
                    b.scan_median_ms,
                    b.speedup,
                    b.same_best_percent
                )
            })
        }
        Command::Bench(BenchCmd::Terms {
            count,
            syllables,
            runs,
        }) => {
            let b = loa_core::bench::terms(count, syllables, runs)?;
            ctx.print(&b, || {
                format!(
                    "term recognition, {} terms, {}-syllable script, {} hits (index built in {:.1} ms)\n\
                     Aho-Corasick (loa): median {:.3} ms\n\
                     per-term search (peer): median {:.3} ms\n\
                     ratio: {:.0}x faster; same hits: {}",
                    b.terms, b.syllables, b.hits, b.build_ms, b.automaton_median_ms,
                    b.naive_median_ms, b.speedup, if b.same_hits { "yes" } else { "NO" }
                )
            })
        }
        Command::Bench(BenchCmd::Scripts { count, queries }) => {
            let b = loa_core::bench::search(count, queries)?;
            ctx.print(&b, || {
                format!(
                    "script search, {} scripts, {} queries (built in {:.1} s)\n\
                     FTS5 (loa):      median {:.2} ms, p95 {:.2} ms\n\
                     LIKE scan (peer): median {:.2} ms, p95 {:.2} ms\n\
                     ratio: {:.1}x faster",
                    b.scripts,
                    b.queries,
                    b.build_seconds,
                    b.fts_median_ms,
                    b.fts_p95_ms,
                    b.scan_median_ms,
                    b.scan_p95_ms,
                    b.speedup
                )
            })
        }
        Command::Settings(cmd) => {
            let (mut db, _) = open(cli.data_dir)?;
            let s = match cmd {
                SettingsCmd::Show => settings::load(&db)?,
                SettingsCmd::Set {
                    ui_lang,
                    user_name,
                    station,
                    reading_rate,
                } => settings::update(
                    &mut db,
                    &settings::SettingsPatch {
                        ui_lang,
                        user_name,
                        station_id: station,
                        reading_rate,
                        ..Default::default()
                    },
                )?,
            };
            ctx.print(&s, || {
                format!(
                    "{}: {}\n{}: {}\n{}: {}",
                    l.get("settings-language", &[]),
                    s.ui_lang,
                    l.get("settings-user-name", &[]),
                    s.user_name,
                    l.get("settings-station", &[]),
                    s.station_id.map(|i| i.to_string()).unwrap_or_default()
                )
            })
        }
    }
}
