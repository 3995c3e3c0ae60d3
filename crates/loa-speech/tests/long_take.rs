//! Issue 19 §4: an hour-long take transcribes in bounded memory, shows
//! which piece it is on, and after a cancel or a crash goes on from the
//! last finished piece. Its own test binary, because it counts every
//! allocation the Rust side makes.

mod common;

use common::{ct2, installed, speech_of, vietnamese_clips};
use loa_core::record::audio::{edit::Edit, stream};
use loa_core::CoreError;
use loa_speech::spool::Workspace;
use loa_speech::transcribe::{self, TranscribeOptions, TranscribeProgress, RATE};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes held and their peak. Only Rust
/// allocations pass here: the model and whisper.cpp's buffers (C++) do not,
/// and are the same size for a minute as for an hour.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most Rust heap held while `f` runs, above what was held before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = HELD.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

const SOURCE_RATE: u32 = 22_050;
const HOUR: f64 = 3600.0;

/// Writes an hour of 22.05 kHz 16-bit mono WAV, a packet at a time: a quiet
/// room (noise far below speech) with the real clips read at `at` seconds.
fn hour_long_wav(path: &Path, clips: &[Vec<f32>], at: &[f64]) {
    let total = (HOUR * f64::from(SOURCE_RATE)) as u32;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let data = total * 2;
    let mut header = Vec::new();
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&(36 + data).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes());
    header.extend_from_slice(&SOURCE_RATE.to_le_bytes());
    header.extend_from_slice(&(SOURCE_RATE * 2).to_le_bytes());
    header.extend_from_slice(&2u16.to_le_bytes());
    header.extend_from_slice(&16u16.to_le_bytes());
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data.to_le_bytes());
    out.write_all(&header).unwrap();
    // The clips at the source's rate, placed by sample.
    let placed: Vec<(usize, Vec<f32>)> = clips
        .iter()
        .zip(at)
        .map(|(c, &t)| {
            let up = loa_core::record::audio::dsp::resample(c, RATE, SOURCE_RATE).unwrap();
            ((t * f64::from(SOURCE_RATE)) as usize, up)
        })
        .collect();
    let mut seed = 0x2545_f491u32;
    for i in 0..total as usize {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let mut v = (seed as f32 / u32::MAX as f32 - 0.5) * 0.0006;
        for (start, clip) in &placed {
            if let Some(s) = i.checked_sub(*start).and_then(|k| clip.get(k)) {
                v += s;
            }
        }
        let q = (v.clamp(-1.0, 1.0) * 32767.0) as i16;
        out.write_all(&q.to_le_bytes()).unwrap();
    }
    out.flush().unwrap();
}

#[test]
fn an_hour_long_take_transcribes_in_bounded_memory_and_resumes_after_a_cancel_or_crash() {
    let (Some(src), Some(clips)) = (ct2(), vietnamese_clips()) else {
        return;
    };
    let (data, model) = installed(&src);
    let speech = speech_of(&clips);
    // Near the start, spread over the hour, and near the end.
    let at = [3.0, 700.0, 1410.0, 2160.0, 2890.0, HOUR - 12.0];
    let wav = data.path().join("meeting.wav");
    let clock = std::time::Instant::now();
    hour_long_wav(&wav, &speech, &at);
    eprintln!(
        "an hour of WAV written in {:.1} s",
        clock.elapsed().as_secs_f64()
    );
    let work = Workspace::new(&data.path().join("transcribing").join("take-1"));
    let opts = TranscribeOptions {
        threads: Some(common::threads()),
        ..Default::default()
    };
    let key = "take 1, no edit";
    let fill = |sink: &mut dyn FnMut(&[f32]) -> loa_core::Result<()>| {
        stream::mono_at(&wav, &Edit::default(), RATE, sink, &mut |_| true)
    };

    // Stopped when the fourth piece starts: three are written down.
    let (first, peak_first) = peak_of(|| {
        transcribe::transcribe_long(&model, &work, key, fill, &opts, &mut |p| p.piece < 4)
    });
    assert!(matches!(first, Err(CoreError::Cancelled)), "{first:?}");
    eprintln!(
        "spooled and three pieces heard in {:.1} s",
        clock.elapsed().as_secs_f64()
    );
    let log = work.dir().join("pieces.jsonl");
    let lines = std::fs::read_to_string(&log).unwrap().lines().count();
    assert_eq!(lines, 1 + 3, "a header and three finished pieces");
    // Then the power goes while the next piece is written.
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    f.write_all(br#"{"start":46080000,"end":4612"#).unwrap();
    drop(f);

    let mut seen: Vec<TranscribeProgress> = Vec::new();
    let (second, peak_second) = peak_of(|| {
        transcribe::transcribe_long(
            &model,
            &work,
            key,
            |_| panic!("the spooled audio is read again, not decoded"),
            &opts,
            &mut |p| {
                if seen.last().is_none_or(|l| l.piece != p.piece) {
                    seen.push(TranscribeProgress {
                        partial: Vec::new(),
                        ..p.clone()
                    });
                }
                true
            },
        )
    });
    let t = second.unwrap();
    let heard: Vec<u32> = seen.iter().map(|p| p.piece).collect();
    assert_eq!(
        heard,
        [4, 5, 6],
        "only the missing pieces are heard: {seen:?}"
    );
    assert!(
        seen.iter().all(|p| p.pieces == 6 && p.resumed == 3),
        "{seen:?}"
    );
    assert!((t.seconds - HOUR).abs() < 0.01, "{}", t.seconds);

    // Every clip is heard at its place in the hour: the words whose times
    // fall in its stretch are its words.
    for (((_, want), t0), s) in clips.iter().zip(at).zip(&speech) {
        let t1 = t0 + s.len() as f64 / f64::from(RATE);
        let said: Vec<&str> = t
            .segments
            .iter()
            .flat_map(|l| &l.words)
            .filter(|w| w.start >= t0 - 0.5 && w.end <= t1 + 0.5)
            .map(|w| w.text.as_str())
            .collect();
        let e = loa_core::record::readback::word_errors(want, &said.join(" "), false);
        eprintln!("clip at {t0:.0} s: WER {:.2} ({} words)", e.rate(), e.words);
        assert!(e.rate() <= 0.5, "clip at {t0} s: {e:?}\n{said:?}\n{want}");
    }
    assert!(
        t.segments
            .iter()
            .all(|l| at.iter().zip(&speech).any(|(t0, s)| {
                l.start >= t0 - 0.5 && l.end <= t0 + s.len() as f64 / f64::from(RATE) + 0.5
            })),
        "nothing heard in the quiet between"
    );

    // An hour at 16 kHz is 230 MB of samples and the 22 kHz source 318 MB;
    // neither is ever held.
    eprintln!(
        "Rust heap peak: {:.1} MB spooling and three pieces, {:.1} MB resuming",
        peak_first as f64 / 1e6,
        peak_second as f64 / 1e6
    );
    assert!(peak_first < 32_000_000, "{peak_first} bytes");
    assert!(peak_second < 32_000_000, "{peak_second} bytes");

    // Stored by the caller, the folder goes.
    work.remove().unwrap();
    assert!(!work.dir().exists());
}
