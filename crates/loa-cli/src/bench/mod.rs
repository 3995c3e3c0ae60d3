//! `loa bench`: measurements beside a named peer, run side by side.

use crate::ctx::Ctx;
use anyhow::Result;
use clap::{Args, Subcommand};
use loa_core::record::audio;
use loa_core::CoreError;
use serde::Serialize;
use std::path::PathBuf;

mod long_speech;

#[derive(Subcommand)]
pub enum BenchCmd {
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
    /// beam and threads, alternately: median time, real-time factor and
    /// word error rate.
    Transcribe {
        #[command(flatten)]
        speech: SpeechArgs,
        #[arg(long, default_value_t = 5)]
        runs: u32,
    },
    /// Long-form transcription: the real clips read over and over with
    /// pauses (at least N minutes), loa (its audio cut at pauses) beside
    /// faster-whisper on the same file, each its own process, alternately:
    /// median time, word error rate, words kept, peak memory.
    TranscribeLong {
        #[command(flatten)]
        speech: SpeechArgs,
        #[arg(long, default_value_t = 5.0)]
        minutes: f64,
        #[arg(long, default_value_t = 3)]
        runs: u32,
    },
    /// Shared terminology: an office with N concepts and M memory units
    /// shares them, a new office takes them all (verify + apply), beside
    /// inserting the same rows straight in; then 100 edits travel.
    Sharing {
        #[arg(long, default_value_t = 50_000)]
        concepts: u32,
        #[arg(long, default_value_t = 100_000)]
        units: u32,
        #[arg(long, default_value_t = 100)]
        edits: u32,
    },
    /// Script search: FTS5 over folded text vs a LIKE scan of the same text.
    Scripts {
        #[arg(long, default_value_t = 100_000)]
        count: u32,
        #[arg(long, default_value_t = 200)]
        queries: u32,
    },
}

/// What both transcription benchmarks run on.
#[derive(Args)]
pub struct SpeechArgs {
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
}

impl SpeechArgs {
    /// The clips folder and the CTranslate2 model, from the options or
    /// else the environment.
    fn sources(&self) -> Result<(PathBuf, PathBuf)> {
        Ok((
            from_env(self.clips.clone(), "LOA_SPEECH_CLIPS")?,
            from_env(self.ct2.clone(), "LOA_WHISPER_CT2")?,
        ))
    }
}

/// The `<name>.wav` files of a clips folder that have their `<name>.txt`,
/// in name order.
fn clip_files(clips: &std::path::Path) -> Result<Vec<PathBuf>> {
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
    Ok(wavs)
}

/// A path from its option, else from an environment variable.
fn from_env(v: Option<PathBuf>, var: &str) -> Result<PathBuf> {
    v.or_else(|| std::env::var_os(var).map(PathBuf::from))
        .ok_or_else(|| anyhow::anyhow!("--{} or {var} is needed", var.to_lowercase()))
}

pub fn run(cmd: BenchCmd, _data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let _l = &ctx.l10n;
    match cmd {
        BenchCmd::Verify { mb } => {
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
        BenchCmd::Sharing {
            concepts,
            units,
            edits,
        } => {
            let b = loa_core::bench::sharing(concepts, units, edits)?;
            ctx.print(&b, || {
                format!(
                    "{} concepts ({} terms) and {} memory units: {} signed changes, {:.1} MB\n\
                     first office records and signs them:   {:.2} s\n\
                     new office's first sync (verify+apply): {:.2} s\n\
                     same rows inserted straight (peer):     {:.2} s\n\
                     ratio: the first sync takes {:.1}x the time of a plain insert\n\
                     {} edits, sealed, carried and applied:  {:.0} ms\n\
                     term recognition's next lookup:         {:.1} ms ({})",
                    b.concepts,
                    b.terms,
                    b.units,
                    b.changes,
                    b.file_mb,
                    b.seal_seconds,
                    b.first_sync_seconds,
                    b.peer_insert_seconds,
                    b.ratio,
                    b.edits,
                    b.edits_ms,
                    b.term_index_after_edits_ms,
                    if b.term_index_rebuilt {
                        "index built again"
                    } else {
                        "changed terms taken in, no rebuild"
                    }
                )
            })
        }
        BenchCmd::Audio { minutes } => {
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
        BenchCmd::Transcribe { speech, runs } => {
            let (clips, ct2) = speech.sources()?;
            let b = bench_transcribe(
                &clips,
                &ct2,
                speech.peer_python.as_deref(),
                speech.beam,
                speech.threads,
                runs,
            )?;
            ctx.print(&b, || {
                let mut out = vec![format!(
                    "{} clips, {:.1} s of Vietnamese speech, Whisper base, beam {}, {} threads",
                    b.clips, b.audio_seconds, b.beam, b.threads
                )];
                for e in &b.engines {
                    let runs: Vec<String> = e.runs.iter().map(|s| format!("{s:.2}")).collect();
                    out.push(format!(
                        "{:<22} median {:>6.2} s ({})  RTF {:.2}  WER {:.1}% (without tones {:.1}%)  load {:.2} s",
                        e.engine,
                        e.seconds,
                        runs.join(", "),
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
        BenchCmd::TranscribeLong {
            speech,
            minutes,
            runs,
        } => {
            let (clips, ct2) = speech.sources()?;
            let b = long_speech::bench(
                &clips,
                &ct2,
                speech.peer_python.as_deref(),
                speech.beam,
                speech.threads,
                minutes,
                runs,
            )?;
            ctx.print(&b, || {
                let mut out = vec![format!(
                    "a bulletin read over and over: {:.0} s, {} words of real Vietnamese speech, Whisper base, beam {}, {} threads",
                    b.audio_seconds, b.words, b.beam, b.threads
                )];
                for e in &b.engines {
                    let runs: Vec<String> = e.seconds.iter().map(|s| format!("{s:.1}")).collect();
                    out.push(format!(
                        "{:<38} median {:>6.1} s ({})  WER {:.1}%  words kept {:.1}%  peak {}",
                        e.engine,
                        e.median_seconds,
                        runs.join(", "),
                        e.wer * 100.0,
                        e.kept * 100.0,
                        e.peak_mb.map(|m| format!("{m:.0} MB")).unwrap_or_else(|| "-".into())
                    ));
                }
                out.push(match b.ratio {
                    Some(r) => format!("ratio: loa takes {r:.2}x the time of faster-whisper"),
                    None => "ratio: - (scripts/fetch-faster-whisper.sh installs the peer)".into(),
                });
                out.join("\n")
            })
        }
        BenchCmd::Tm { count, queries } => {
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
        BenchCmd::Terms {
            count,
            syllables,
            runs,
        } => {
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
        BenchCmd::Scripts { count, queries } => {
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
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EngineRun {
    engine: String,
    load_seconds: f64,
    /// Transcribing all clips, model already loaded: the median run.
    seconds: f64,
    /// Each run's time, in the order they ran.
    runs: Vec<f64>,
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

/// An engine's figures from its runs over the clips (each run: per clip,
/// the text and the time); word error rates from the first run.
fn engine_run(engine: &str, load: f64, runs: &[Vec<(String, f64)>], refs: &[String]) -> EngineRun {
    let first = runs.first().cloned().unwrap_or_default();
    let mean = |fold: bool| {
        first
            .iter()
            .zip(refs)
            .map(|((t, _), r)| loa_core::record::readback::word_error_rate(r, t, fold))
            .sum::<f32>()
            / refs.len().max(1) as f32
    };
    let times: Vec<f64> = runs
        .iter()
        .map(|r| r.iter().map(|(_, s)| s).sum())
        .collect();
    EngineRun {
        engine: engine.into(),
        load_seconds: load,
        seconds: long_speech::median(&times),
        runs: times,
        wer: mean(false),
        wer_toneless: mean(true),
        texts: first.iter().map(|(t, _)| t.clone()).collect(),
    }
}

fn bench_transcribe(
    clips: &std::path::Path,
    ct2: &std::path::Path,
    peer: Option<&std::path::Path>,
    beam: u32,
    threads: Option<u32>,
    runs: u32,
) -> Result<TranscribeBench> {
    use std::time::Instant;
    let wavs = clip_files(clips)?;
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
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/bench_faster_whisper.py");
    // The engines take turns, so that a slow spell of the machine does not
    // fall on one of them only.
    let (mut ours, mut theirs, mut peer_load) = (Vec::new(), Vec::new(), 0.0);
    for _ in 0..runs.max(1) {
        let mut run = Vec::new();
        for samples in &prepared {
            let t0 = Instant::now();
            let t = model.run(samples, &opts, &mut |_| true)?;
            run.push((t.text(), t0.elapsed().as_secs_f64()));
        }
        ours.push(run);
        let Some(python) = peer else { continue };
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
        peer_load = v["loadSeconds"].as_f64().unwrap_or(0.0);
        theirs.push(
            v["clips"]
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
                .unwrap_or_default(),
        );
    }
    drop(model);
    let _ = std::fs::remove_dir_all(&tmp);
    let mut engines = vec![engine_run("loa (whisper-rs q8_0)", load, &ours, &refs)];
    if peer.is_some() {
        engines.push(engine_run(
            "faster-whisper (int8)",
            peer_load,
            &theirs,
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
