//! `loa bench transcribe-long`: a long bulletin (the real clips read over
//! and over with pauses) transcribed by loa, its audio cut at pauses, beside
//! faster-whisper on the same file, model, beam and threads. Each engine
//! runs as its own process, alternately, so that neither's memory or warm
//! caches count for the other: median wall time, word error rate, words
//! kept and peak resident memory.

use anyhow::Result;
use loa_core::record::audio::{self, Pcm};
use loa_core::record::readback::word_errors;
use loa_core::CoreError;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LongRun {
    pub engine: String,
    /// Wall time of each run, loading the model included.
    pub seconds: Vec<f64>,
    pub median_seconds: f64,
    pub wer: f32,
    /// Share of the reference's words that came back at all.
    pub kept: f32,
    /// Peak resident memory of the process (Linux; None elsewhere).
    pub peak_mb: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LongBench {
    pub audio_seconds: f64,
    pub words: usize,
    pub beam: u32,
    pub threads: u32,
    pub engines: Vec<LongRun>,
    /// loa's median time ÷ the peer's.
    pub ratio: Option<f64>,
}

/// Pauses between sentences, in turn, and between readings: as a reader
/// takes them.
const PAUSES: [f64; 4] = [0.6, 0.9, 1.2, 0.8];
const BETWEEN_READINGS: f64 = 2.0;

/// The clips (`<name>.wav` + `<name>.txt`) read over and over until at
/// least `minutes` long, as one 16 kHz WAV at `out`; its text.
fn long_reading(clips: &Path, minutes: f64, out: &Path) -> Result<(f64, String)> {
    let wavs = super::clip_files(clips)?;
    let rate = loa_speech::transcribe::RATE;
    let mut sentences = Vec::new();
    for w in &wavs {
        let pcm = audio::decode_file(w, &mut |_| true)?;
        let text =
            std::fs::read_to_string(w.with_extension("txt")).map_err(|e| CoreError::io(w, e))?;
        sentences.push((
            loa_speech::transcribe::prepare(&pcm)?,
            text.trim().to_string(),
        ));
    }
    let silence = |s: f64| std::iter::repeat_n(0.0f32, (s * f64::from(rate)) as usize);
    let (mut samples, mut text) = (Vec::new(), Vec::new());
    let mut k = 0;
    while (samples.len() as f64) < minutes * 60.0 * f64::from(rate) {
        if !samples.is_empty() {
            samples.extend(silence(BETWEEN_READINGS));
        }
        for (i, (s, t)) in sentences.iter().enumerate() {
            if i > 0 {
                samples.extend(silence(PAUSES[k % PAUSES.len()]));
                k += 1;
            }
            samples.extend(s);
            text.push(t.as_str());
        }
    }
    let seconds = samples.len() as f64 / f64::from(rate);
    let pcm = Pcm {
        samples,
        rate,
        channels: 1,
    };
    std::fs::write(out, audio::render::wav(&pcm)?).map_err(|e| CoreError::io(out, e))?;
    Ok((seconds, text.join(" ")))
}

/// Runs a program to its end: what it printed, its wall time, and its peak
/// resident memory (VmHWM, read from /proc while it runs; None where there
/// is no /proc).
fn run_measured(cmd: &mut Command) -> Result<(Vec<u8>, f64, Option<f64>)> {
    let t0 = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        stdout.read_to_end(&mut b).map(|_| b)
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        stderr.read_to_end(&mut b).map(|_| b)
    });
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kb: Option<u64> = None;
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            let hwm = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak_kb = peak_kb.max(hwm);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let seconds = t0.elapsed().as_secs_f64();
    let out = out.join().map_err(|_| anyhow::anyhow!("reader"))??;
    let err = err.join().map_err(|_| anyhow::anyhow!("reader"))??;
    if !status.success() {
        anyhow::bail!("{}", String::from_utf8_lossy(&err));
    }
    Ok((out, seconds, peak_kb.map(|k| k as f64 / 1024.0)))
}

pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s.get(s.len() / 2).copied().unwrap_or(0.0)
}

pub fn bench(
    clips: &Path,
    ct2: &Path,
    peer: Option<&Path>,
    beam: u32,
    threads: Option<u32>,
    minutes: f64,
    runs: u32,
) -> Result<LongBench> {
    let threads = threads.unwrap_or_else(loa_speech::transcribe::default_threads);
    let tmp = std::env::temp_dir().join(format!("loa-bench-long-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| CoreError::io(&tmp, e))?;
    let result = measure(&tmp, clips, ct2, peer, beam, threads, minutes, runs);
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

#[allow(clippy::too_many_arguments)]
fn measure(
    tmp: &Path,
    clips: &Path,
    ct2: &Path,
    peer: Option<&Path>,
    beam: u32,
    threads: u32,
    minutes: f64,
    runs: u32,
) -> Result<LongBench> {
    let wav = tmp.join("bulletin.wav");
    let (audio_seconds, reference) = long_reading(clips, minutes, &wav)?;
    loa_speech::model::import(
        tmp,
        ct2,
        "base",
        Some(loa_speech::Quantization::Q8_0),
        &mut |_| true,
    )?;
    let loa = std::env::current_exe()?;
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/bench_faster_whisper.py");
    let (b, t) = (beam.to_string(), threads.to_string());
    // Per engine, its runs: (text, seconds, peak); the engines alternate.
    type Runs = Vec<(String, f64, Option<f64>)>;
    let mut results: Vec<(String, Runs)> =
        vec![("loa (whisper-rs q8_0, cut at pauses)".into(), Vec::new())];
    if peer.is_some() {
        results.push(("faster-whisper (int8)".into(), Vec::new()));
    }
    for _ in 0..runs.max(1) {
        let (out, secs, peak) = run_measured(
            Command::new(&loa)
                .arg("--data-dir")
                .arg(tmp)
                .args(["--json", "transcribe"])
                .arg(&wav)
                .args(["--model", "base", "--beam", &b, "--threads", &t]),
        )?;
        let v: serde_json::Value = serde_json::from_slice(&out)?;
        let text = v["segments"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s["text"].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        results[0].1.push((text, secs, peak));
        if let Some(python) = peer {
            let (out, secs, peak) = run_measured(
                Command::new(python)
                    .arg(&script)
                    .arg(ct2)
                    .args([t.as_str(), b.as_str(), "vi"])
                    .arg(&wav),
            )?;
            let v: serde_json::Value = serde_json::from_slice(&out)?;
            let text = v["clips"][0]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            results[1].1.push((text, secs, peak));
        }
    }
    let engines: Vec<LongRun> = results
        .into_iter()
        .map(|(engine, runs)| {
            let seconds: Vec<f64> = runs.iter().map(|r| r.1).collect();
            let e = word_errors(&reference, &runs[0].0, false);
            LongRun {
                engine,
                median_seconds: median(&seconds),
                seconds,
                wer: e.rate(),
                kept: e.kept(),
                peak_mb: runs.iter().filter_map(|r| r.2).reduce(f64::max),
            }
        })
        .collect();
    let ratio = engines
        .get(1)
        .map(|p| engines[0].median_seconds / p.median_seconds);
    Ok(LongBench {
        audio_seconds,
        words: word_errors(&reference, "", false).words,
        beam,
        threads,
        engines,
        ratio,
    })
}
