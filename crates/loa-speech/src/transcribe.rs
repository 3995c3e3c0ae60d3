//! Transcribing speech with whisper.cpp. Runs on its own thread while the
//! caller watches progress and the segments found so far, and can stop it.

use crate::spool::{Spooled, Workspace};
use crate::{chunk, repeats};
use loa_core::record::audio::{dsp, Pcm};
use loa_core::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use ts_rs::TS;
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

/// Whisper hears 16 kHz mono.
pub const RATE: u32 = 16_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranscribeOptions {
    /// Whisper's language code; fixed ("vi") because detection is
    /// unreliable on short, noisy office recordings.
    pub lang: String,
    pub beam_size: u32,
    /// None: physical cores − 1 (ggml's threads busy-wait, so leave one
    /// core to the app).
    #[ts(optional)]
    pub threads: Option<u32>,
    /// Text that biases spelling: the glossary's Vietnamese terms.
    #[serde(default)]
    pub initial_prompt: String,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            lang: "vi".into(),
            beam_size: 5,
            threads: None,
            initial_prompt: String::new(),
        }
    }
}

/// A line heard, with its words: the core's transcript line, so what
/// Whisper hears is stored as it comes.
pub use loa_core::record::transcript::{Line as Segment, Word};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Transcript {
    pub lang: String,
    pub seconds: f64,
    pub segments: Vec<Segment>,
}

impl Transcript {
    pub fn text(&self) -> String {
        loa_core::record::transcript::joined_text(&self.segments)
    }
}

/// What language a recording sounds like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LanguageGuess {
    /// Whisper's code of the likeliest language ("vi", "en"…).
    pub top: String,
    pub top_probability: f32,
    /// Probability that it is Vietnamese, 0…1.
    pub vietnamese: f32,
    /// Vietnamese is the likeliest language, and not by a hair.
    pub sounds_vietnamese: bool,
}

/// What a running transcription has got to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranscribeProgress {
    pub percent: i32,
    /// Segments found so far (text only; timings come with the result).
    pub partial: Vec<String>,
    /// The piece being heard (from 1) of how many; 0 of 0 before the
    /// pieces are known.
    pub piece: u32,
    pub pieces: u32,
    /// Pieces finished by an earlier run that this one goes on from.
    pub resumed: u32,
}

pub fn default_threads() -> u32 {
    let n = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2) as u32;
    n.saturating_sub(1).max(1)
}

fn failed(detail: impl ToString) -> CoreError {
    CoreError::DataRow {
        name: "whisper".into(),
        line: None,
        problem: "transcription-failed",
        value: detail.to_string(),
    }
}

/// 16 kHz mono for Whisper.
pub fn prepare(pcm: &Pcm) -> Result<Vec<f32>> {
    let mono = pcm.to_mono();
    dsp::resample(&mono.samples, mono.rate, RATE)
}

/// Audio where no 10 ms stretch passes −50 dBFS (RMS) holds no speech,
/// and Whisper would invent some ("Cảm ơn các bạn đã theo dõi").
fn has_sound(samples: &[f32]) -> bool {
    dsp::sound_span(samples, RATE, -50.0, 0.0).is_some()
}

/// A segment's words, from its text tokens: a token starting with a space
/// starts a word. Tokens are byte pieces, so a word's bytes are joined
/// before they are read as UTF-8 (a Vietnamese letter can span two tokens).
/// Also returns each text token's probability.
fn words_of(seg: &whisper_rs::WhisperSegment, eot: i32) -> (Vec<Word>, Vec<f32>) {
    let mut words: Vec<Word> = Vec::new();
    let mut probs = Vec::new();
    let mut bytes: Vec<u8> = Vec::new();
    let mut cur: Option<(f64, f64, Vec<f32>)> = None;
    let mut finish = |bytes: &mut Vec<u8>, cur: &mut Option<(f64, f64, Vec<f32>)>| {
        if let Some((start, end, ps)) = cur.take() {
            let text = String::from_utf8_lossy(bytes).trim().to_string();
            if !text.is_empty() {
                words.push(Word {
                    start,
                    end,
                    text,
                    probability: ps.iter().sum::<f32>() / ps.len().max(1) as f32,
                });
            }
        }
        bytes.clear();
    };
    for i in 0..seg.n_tokens() {
        let Some(t) = seg.get_token(i) else { continue };
        if t.token_id() >= eot {
            continue;
        }
        let Ok(b) = t.to_bytes() else { continue };
        let d = t.token_data();
        // whisper.cpp counts in centiseconds.
        let (t0, t1) = (d.t0 as f64 / 100.0, d.t1 as f64 / 100.0);
        probs.push(d.p);
        if b.first() == Some(&b' ') || cur.is_none() {
            finish(&mut bytes, &mut cur);
            cur = Some((t0, t1, Vec::new()));
        }
        if let Some(c) = cur.as_mut() {
            c.1 = t1.max(c.1);
            c.2.push(d.p);
        }
        bytes.extend_from_slice(b);
    }
    finish(&mut bytes, &mut cur);
    (words, probs)
}

/// The empty transcript of audio without sound, which is never sent to
/// Whisper (it would invent speech).
fn silent(levels: &[f32], len: usize, opts: &TranscribeOptions) -> Option<Transcript> {
    (!chunk::any_sound(levels)).then(|| Transcript {
        lang: opts.lang.clone(),
        seconds: len as f64 / f64::from(RATE),
        segments: Vec::new(),
    })
}

/// Where the samples of a transcription are: in memory, or spooled to
/// disk and read a piece at a time (an hour-long take).
#[derive(Clone, Copy)]
enum Audio<'a> {
    Memory(&'a [f32]),
    Disk(&'a Spooled),
}

impl Audio<'_> {
    fn len(&self) -> usize {
        match self {
            Audio::Memory(s) => s.len(),
            Audio::Disk(s) => s.samples,
        }
    }

    fn read(&self, range: Range<usize>) -> Result<Cow<'_, [f32]>> {
        match self {
            Audio::Memory(s) => Ok(Cow::Borrowed(&s[range])),
            Audio::Disk(s) => s.read(range).map(Cow::Owned),
        }
    }
}

/// Where finished pieces are written down, and the model and options they
/// were heard with.
struct Resume<'a> {
    work: &'a Workspace,
    key: String,
}

/// Transcribes 16 kHz mono `samples` with the model at `model`.
/// `progress` is called about ten times a second; returning false stops
/// the work with [`CoreError::Cancelled`].
pub fn transcribe(
    model: &Path,
    samples: &[f32],
    opts: &TranscribeOptions,
    progress: &mut dyn FnMut(&TranscribeProgress) -> bool,
) -> Result<Transcript> {
    // Silence needs no model: nothing is loaded for it.
    let levels = chunk::levels(samples, RATE);
    match silent(&levels, samples.len(), opts) {
        Some(empty) => Ok(empty),
        None => Transcriber::load(model)?.run(samples, opts, progress),
    }
}

/// [`transcribe`] of a recording too long to hold in memory, through the
/// folder `work`: `fill` hands the 16 kHz mono samples over (once; a later
/// run with the same `audio_key` reads them from the folder), and every
/// piece heard is written down there, so a run that was cancelled or cut
/// short goes on where it stopped. The folder stays until the caller has
/// stored the transcript and calls [`Workspace::remove`].
pub fn transcribe_long(
    model: &Path,
    work: &Workspace,
    audio_key: &str,
    fill: impl FnOnce(&mut dyn FnMut(&[f32]) -> Result<()>) -> Result<()>,
    opts: &TranscribeOptions,
    progress: &mut dyn FnMut(&TranscribeProgress) -> bool,
) -> Result<Transcript> {
    let audio = work.audio(audio_key, fill)?;
    if let Some(empty) = silent(&audio.levels, audio.samples, opts) {
        return Ok(empty);
    }
    let len = std::fs::metadata(model).map(|m| m.len()).unwrap_or(0);
    // Pieces heard with another model or other options are heard again.
    let resume = Resume {
        work,
        key: serde_json::json!({
            "model": model.file_name().map(|n| n.to_string_lossy().into_owned()),
            "modelBytes": len,
            "options": opts,
        })
        .to_string(),
    };
    Transcriber::load(model)?.run_audio(
        Audio::Disk(&audio),
        &audio.levels,
        Some(&resume),
        opts,
        progress,
    )
}

/// A loaded model, for transcribing several recordings without loading it
/// each time.
pub struct Transcriber {
    ctx: WhisperContext,
}

impl Transcriber {
    pub fn load(model: &Path) -> Result<Transcriber> {
        // Before the engine loads, so ggml's messages go where whisper's do.
        whisper_rs::install_logging_hooks();
        crate::engine::ready()?;
        let ctx = WhisperContext::new_with_params(model, WhisperContextParameters::default())
            .map_err(|e| CoreError::DataRow {
                name: model.display().to_string(),
                line: None,
                problem: "model-unreadable",
                value: format!("{e:?}"),
            })?;
        Ok(Transcriber { ctx })
    }

    /// Which language the first 30 s of speech sound like. No model knows
    /// the minority languages, so this only tells whether a take meant for
    /// one of them is in fact Vietnamese (a wrong file in the slot).
    pub fn language(&self, samples: &[f32], threads: Option<u32>) -> Result<LanguageGuess> {
        if !has_sound(samples) {
            return Err(CoreError::invalid("audio", "silent"));
        }
        let threads = threads.unwrap_or_else(default_threads).clamp(1, 64) as usize;
        let first = &samples[..samples.len().min(30 * RATE as usize)];
        let mut state = self
            .ctx
            .create_state()
            .map_err(|e| failed(format!("{e:?}")))?;
        state
            .pcm_to_mel(first, threads)
            .map_err(|e| failed(format!("{e:?}")))?;
        let (top, probs) = state
            .lang_detect(0, threads)
            .map_err(|e| failed(format!("{e:?}")))?;
        let vi = whisper_rs::get_lang_id("vi").unwrap_or(-1);
        let p = |id: i32| {
            usize::try_from(id)
                .ok()
                .and_then(|i| probs.get(i))
                .copied()
                .unwrap_or(0.0)
        };
        Ok(LanguageGuess {
            top: whisper_rs::get_lang_str(top).unwrap_or("?").to_string(),
            top_probability: p(top),
            vietnamese: p(vi),
            sounds_vietnamese: top == vi && p(vi) >= 0.5,
        })
    }

    /// How well `text` fits `samples`, a stretch of audio under 30 s: the
    /// mean log-probability (nats per token, 0 is certain) Whisper gives
    /// `text`'s tokens when made to read them after this audio in `lang`.
    /// Comparing two texts on the same audio tells which one was said,
    /// where free transcription only gives its own best guess.
    pub fn fit(
        &self,
        samples: &[f32],
        lang: &str,
        text: &str,
        threads: Option<u32>,
    ) -> Result<f32> {
        let threads = threads.unwrap_or_else(default_threads).clamp(1, 64) as usize;
        let err = |e: whisper_rs::WhisperError| failed(format!("{e:?}"));
        let lang_id = whisper_rs::get_lang_id(lang)
            .ok_or_else(|| CoreError::invalid("language", "no-speech-model"))?;
        let ctx = &self.ctx;
        let tokens = ctx
            .tokenize(&format!(" {}", text.trim()), 512)
            .map_err(err)?;
        if tokens.is_empty() {
            return Ok(0.0);
        }
        let mut state = ctx.create_state().map_err(err)?;
        state.pcm_to_mel(samples, threads).map_err(err)?;
        state.encode(0, threads).map_err(err)?;
        let prefix = [
            ctx.token_sot(),
            ctx.token_lang(lang_id),
            ctx.token_transcribe(),
            ctx.token_not(),
        ];
        state.decode(&prefix, 0, threads).map_err(err)?;
        let mut total = 0.0f64;
        // Whisper's decoder holds n_text_ctx (448) tokens, the prompt included.
        let tokens = &tokens[..tokens.len().min(400)];
        for (past, &t) in (prefix.len()..).zip(tokens) {
            let logits = state.get_logits().map_err(err)?;
            let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let sum: f64 = logits.iter().map(|&l| f64::from(l - max).exp()).sum();
            let p = usize::try_from(t)
                .ok()
                .and_then(|i| logits.get(i))
                .copied()
                .unwrap_or(f32::MIN);
            total += f64::from(p - max) - sum.ln();
            state.decode(&[t], past, threads).map_err(err)?;
        }
        Ok((total / tokens.len() as f64) as f32)
    }

    /// [`transcribe`] with this model.
    pub fn run(
        &self,
        samples: &[f32],
        opts: &TranscribeOptions,
        progress: &mut dyn FnMut(&TranscribeProgress) -> bool,
    ) -> Result<Transcript> {
        let levels = chunk::levels(samples, RATE);
        self.run_audio(Audio::Memory(samples), &levels, None, opts, progress)
    }

    fn run_audio(
        &self,
        audio: Audio,
        levels: &[f32],
        resume: Option<&Resume>,
        opts: &TranscribeOptions,
        progress: &mut dyn FnMut(&TranscribeProgress) -> bool,
    ) -> Result<Transcript> {
        if let Some(empty) = silent(levels, audio.len(), opts) {
            return Ok(empty);
        }
        let seconds = audio.len() as f64 / f64::from(RATE);
        let mut state = self
            .ctx
            .create_state()
            .map_err(|e| failed(format!("{e:?}")))?;
        // One piece at a time, each heard on its own (see `chunk`).
        let pieces = chunk::plan_levels(levels, RATE, audio.len());
        let mut finished = match resume {
            Some(r) => r.work.finished(&r.key)?,
            None => Vec::new(),
        };
        // Only pieces cut the same way count (the cutting is deterministic,
        // so they all do unless the code changed between runs).
        finished.retain(|(range, _)| pieces.contains(range));
        let earlier: Vec<String> = finished
            .iter()
            .flat_map(|(_, segs)| segs.iter().map(|s| s.text.clone()))
            .collect();
        let mut run = Run {
            state: &mut state,
            eot: self.ctx.token_eot(),
            seconds,
            opts,
            stop: Arc::new(AtomicBool::new(false)),
            partial: Arc::new(Mutex::new(earlier)),
        };
        let total: usize = pieces.iter().map(|p| p.len()).sum::<usize>().max(1);
        let mut done = 0usize;
        // A piece heard again (a loop) starts its share over; the bar
        // never goes back.
        let mut shown = 0;
        let mut segments: Vec<Segment> = Vec::new();
        let count = pieces.len() as u32;
        let resumed = finished.len() as u32;
        for (i, piece) in pieces.into_iter().enumerate() {
            let before = done as f32 / total as f32;
            let share = piece.len() as f32 / total as f32;
            done += piece.len();
            if let Some(k) = finished.iter().position(|(r, _)| *r == piece) {
                segments.extend(finished.swap_remove(k).1);
                continue;
            }
            let mut report = |p: &TranscribeProgress| {
                shown = shown.max((100.0 * (before + share * p.percent as f32 / 100.0)) as i32);
                progress(&TranscribeProgress {
                    percent: shown,
                    partial: p.partial.clone(),
                    piece: i as u32 + 1,
                    pieces: count,
                    resumed,
                })
            };
            let samples = audio.read(piece.clone())?;
            let heard = run.piece(&samples, piece.start, &mut report)?;
            if let Some(r) = resume {
                r.work.record(&piece, &heard)?;
            }
            segments.extend(heard);
        }
        progress(&TranscribeProgress {
            percent: 100,
            partial: segments.iter().map(|s| s.text.clone()).collect(),
            piece: count,
            pieces: count,
            resumed,
        });
        Ok(Transcript {
            lang: opts.lang.clone(),
            seconds,
            // Across pieces too: Whisper repeats a line on noise or music.
            segments: repeats::drop_runs(segments),
        })
    }
}

/// Temperatures a piece is heard again at when it came back as a loop:
/// sampling instead of the beam is what breaks Whisper out of one, as
/// faster-whisper does. whisper.cpp's sampling is seeded, so the result
/// is the same each time.
const LOOP_RETRY_TEMPERATURES: [f32; 2] = [0.4, 0.8];

/// One transcription under way: the model's state and what every piece
/// shares.
struct Run<'a> {
    state: &'a mut whisper_rs::WhisperState,
    eot: i32,
    seconds: f64,
    opts: &'a TranscribeOptions,
    stop: Arc<AtomicBool>,
    partial: Arc<Mutex<Vec<String>>>,
}

impl Run<'_> {
    /// The lines of one piece of the audio (a sample range), heard with no
    /// text from any other piece. A piece that comes back as a loop (an
    /// n-gram three times or more in a row) is heard again at higher
    /// temperatures; the result with the fewest repeats is kept, and what
    /// still repeats past twice is dropped.
    /// `samples` start `start` samples into the recording.
    fn piece(
        &mut self,
        samples: &[f32],
        start: usize,
        progress: &mut dyn FnMut(&TranscribeProgress) -> bool,
    ) -> Result<Vec<Segment>> {
        let mut best = self.hear(samples, start, 0.0, progress)?;
        let mut worst_run = repeats::longest_run(&best);
        for t in LOOP_RETRY_TEMPERATURES {
            if worst_run <= 2 {
                break;
            }
            let again = self.hear(samples, start, t, progress)?;
            let run = repeats::longest_run(&again);
            if run < worst_run {
                (best, worst_run) = (again, run);
            }
        }
        Ok(repeats::drop_runs(best))
    }

    /// whisper.cpp over a piece, starting at `temperature`. Whisper
    /// sometimes ends a window early, at a pause after the first sentence,
    /// and never hears the rest: when sound is left after the last line, it
    /// is transcribed again from there.
    fn hear(
        &mut self,
        samples: &[f32],
        start: usize,
        temperature: f32,
        progress: &mut dyn FnMut(&TranscribeProgress) -> bool,
    ) -> Result<Vec<Segment>> {
        let mut segments = Vec::new();
        let len = samples.len().max(1) as f32;
        let mut from = 0;
        loop {
            let rest = &samples[from..];
            let done_before = from as f32 / len;
            let share = rest.len() as f32 / len;
            let mut report = |p: &TranscribeProgress| {
                progress(&TranscribeProgress {
                    percent: (100.0 * (done_before + share * p.percent as f32 / 100.0)) as i32,
                    partial: p.partial.clone(),
                    ..Default::default()
                })
            };
            let pass = Pass {
                opts: self.opts,
                temperature,
                stop: &self.stop,
                partial: &self.partial,
            };
            pass.run(self.state, rest, &mut report)?;
            let offset = (start + from) as f64 / f64::from(RATE);
            let found = read_segments(self.state, self.eot, offset, self.seconds, &self.opts.lang);
            let end = found.last().map(|s| s.end);
            segments.extend(found);
            let Some(end) = end else { break };
            let next = ((end * f64::from(RATE)) as usize)
                .saturating_sub(start)
                .min(samples.len());
            // At least a second further on, or it would go round in circles.
            if next < from + RATE as usize || !has_sound(&samples[next..]) {
                break;
            }
            from = next;
        }
        Ok(segments)
    }
}

/// What one whisper.cpp run is given besides the audio.
struct Pass<'a> {
    opts: &'a TranscribeOptions,
    temperature: f32,
    stop: &'a Arc<AtomicBool>,
    partial: &'a Arc<Mutex<Vec<String>>>,
}

impl Pass<'_> {
    /// One whisper.cpp run over `samples`, watched from this thread: progress
    /// about ten times a second, and a stop when `progress` says so.
    fn run(
        &self,
        state: &mut whisper_rs::WhisperState,
        samples: &[f32],
        progress: &mut dyn FnMut(&TranscribeProgress) -> bool,
    ) -> Result<()> {
        let (opts, stop, partial) = (self.opts, self.stop, self.partial);
        let percent = Arc::new(AtomicI32::new(0));
        // A beam of one is greedy decoding; when it fails whisper.cpp's
        // checks it falls back to sampling, best of five, as faster-whisper.
        let strategy = match opts.beam_size {
            0 | 1 => SamplingStrategy::Greedy { best_of: 5 },
            b => SamplingStrategy::BeamSearch {
                beam_size: b.min(8) as i32,
                patience: -1.0,
            },
        };
        let mut params = FullParams::new(strategy);
        params.set_language(Some(&opts.lang));
        params.set_n_threads(opts.threads.unwrap_or_else(default_threads).clamp(1, 64) as i32);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_special(false);
        params.set_print_timestamps(false);
        // Falling back to higher temperatures is what breaks whisper.cpp out of
        // loops on some Vietnamese audio.
        params.set_temperature(self.temperature);
        params.set_temperature_inc(0.2);
        // Each piece is heard on its own: text from an earlier piece as the
        // prompt is what turns a repeated reading into a loop.
        params.set_no_context(true);
        params.set_suppress_blank(true);
        // Word times, for the read-back check and for jumping to a word.
        params.set_token_timestamps(true);
        // The encoder works on 30 s windows (1500 frames); a shorter clip needs
        // only its own length of them, with a little room, which cuts the
        // encoder's work in proportion.
        let secs = samples.len() as f64 / f64::from(RATE);
        if secs < 29.0 {
            let frames = ((secs + 1.0) / 30.0 * 1500.0 / 64.0).ceil() as i32 * 64;
            params.set_audio_ctx(frames.clamp(384, 1500));
        }
        if !opts.initial_prompt.trim().is_empty() {
            params.set_initial_prompt(opts.initial_prompt.trim());
        }
        let p = Arc::clone(&percent);
        params.set_progress_callback_safe(move |v: i32| p.store(v, Ordering::Relaxed));
        let seg = Arc::clone(partial);
        params.set_segment_callback_safe_lossy(move |d: whisper_rs::SegmentCallbackData| {
            if let Ok(mut v) = seg.lock() {
                v.push(d.text.trim().to_string());
            }
        });
        // whisper-rs 0.16's `set_abort_callback_safe` reads its closure through
        // a pointer of the wrong type (encodes then abort at random), so the
        // flag is handed to whisper.cpp directly.
        unsafe extern "C" fn abort_when_set(flag: *mut std::ffi::c_void) -> bool {
            // SAFETY: `flag` is `stop`'s AtomicBool, alive until `full` returns.
            unsafe { (*(flag as *const AtomicBool)).load(Ordering::Relaxed) }
        }
        // SAFETY: the callback only reads the AtomicBool, which the caller's
        // `stop` keeps alive past the end of `state.full` below.
        unsafe {
            params.set_abort_callback(Some(abort_when_set));
            params.set_abort_callback_user_data(Arc::as_ptr(stop) as *mut std::ffi::c_void);
        }

        let ran = std::thread::scope(|scope| {
            // The worker wakes this thread when it is done, so no run waits
            // out the rest of a progress tick (a piece is a run: an hour has
            // a hundred and more).
            let watcher = std::thread::current();
            let worker = scope.spawn(move || {
                let r = state.full(params, samples);
                watcher.unpark();
                r
            });
            let mut last = TranscribeProgress {
                percent: -1,
                ..Default::default()
            };
            while !worker.is_finished() {
                std::thread::park_timeout(Duration::from_millis(100));
                let now = TranscribeProgress {
                    percent: percent.load(Ordering::Relaxed),
                    partial: partial.lock().map(|v| v.clone()).unwrap_or_default(),
                    ..Default::default()
                };
                if now != last {
                    if !progress(&now) {
                        stop.store(true, Ordering::Relaxed);
                    }
                    last = now;
                }
            }
            worker.join()
        });
        if stop.load(Ordering::Relaxed) {
            return Err(CoreError::Cancelled);
        }
        ran.map_err(|_| failed("whisper thread panicked"))?
            .map_err(|e| failed(format!("{e:?}")))?;
        Ok(())
    }
}

/// The lines of the last pass, `offset` seconds into the audio, with
/// hallucinations on non-speech dropped.
fn read_segments(
    state: &whisper_rs::WhisperState,
    eot: i32,
    offset: f64,
    seconds: f64,
    lang: &str,
) -> Vec<Segment> {
    let norm = |t: &str| {
        if lang == "vi" {
            loa_core::base::text::canonical_vi_line(t)
        } else {
            loa_core::base::text::clean_line(t)
        }
    };
    let mut segments = Vec::new();
    for seg in state.as_iter() {
        let text = seg
            .to_str_lossy()
            .map(|t| t.trim().to_string())
            .unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let (mut words, probs) = words_of(&seg, eot);
        for w in &mut words {
            w.text = norm(&w.text);
            w.start = (w.start + offset).min(seconds);
            w.end = (w.end + offset).min(seconds);
        }
        let confidence = if probs.is_empty() {
            0.0
        } else {
            probs.iter().sum::<f32>() / probs.len() as f32
        };
        // A segment Whisper itself thinks is not speech, and is unsure of,
        // is a hallucination.
        if seg.no_speech_probability() > 0.6 && confidence < 0.5 {
            continue;
        }
        segments.push(Segment {
            // whisper.cpp counts in centiseconds.
            start: (offset + seg.start_timestamp() as f64 / 100.0).min(seconds),
            end: (offset + seg.end_timestamp() as f64 / 100.0).min(seconds),
            text: norm(&text),
            confidence,
            words,
        });
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_is_not_sent_to_whisper() {
        assert!(!has_sound(&vec![0.0; 16_000]));
        assert!(!has_sound(&vec![0.001; 16_000]));
        assert!(has_sound(&vec![0.1; 16_000]));
        let t = transcribe(
            Path::new("/nonexistent/model.bin"),
            &vec![0.0; 32_000],
            &TranscribeOptions::default(),
            &mut |_| true,
        )
        .unwrap();
        assert!(t.segments.is_empty() && (t.seconds - 2.0).abs() < 1e-9);
    }
}
