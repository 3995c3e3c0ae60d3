//! Cutting a recording at its pauses into pieces Whisper hears one at a time.
//!
//! Left to itself, whisper.cpp reads 30 s windows and feeds each window's
//! text to the next as a prompt. On a notice read twice ("xin nhắc lại…")
//! that prompt makes the second reading come back as a loop of the first,
//! and a long bulletin loses whole minutes once a window goes wrong. So the
//! audio is cut here, at pauses, into pieces of at most [`MAX_SECONDS`],
//! and each piece is transcribed on its own.
//!
//! The voice-activity detector is the app's own: 10 ms frames whose level
//! stands out from the recording's noise floor. Office recordings are read
//! speech with clear pauses between sentences, which level alone finds; a
//! neural detector (Silero) would add a second model to ship and load for
//! the same cuts.

use std::ops::Range;

/// Whisper's window is 30 s; a piece leaves room for the padding around it.
pub const MAX_SECONDS: f64 = 28.0;
/// Frames of 10 ms.
const FRAMES_PER_SECOND: usize = 100;
/// A quieter stretch shorter than this is a breath inside a phrase, not a
/// place to cut.
const MIN_PAUSE: usize = 30;
/// A louder stretch shorter than this is a click, not speech.
const MIN_SOUND: usize = 5;
/// Silence kept on each side of a piece, so no word's edge is clipped.
const PAD: usize = 20;
/// Nothing below this level (RMS, dBFS) is speech, whatever the noise.
const FLOOR_DB: f32 = -50.0;

/// Where to cut `samples` (mono at `rate`): sample ranges in order, each
/// at most [`MAX_SECONDS`] long, none overlapping, covering every stretch
/// of sound. Silence at the ends and long pauses between pieces are left
/// out. Empty when there is no sound at all.
pub fn plan(samples: &[f32], rate: u32) -> Vec<Range<usize>> {
    plan_levels(&levels(samples, rate), rate, samples.len())
}

/// The level (RMS, dBFS) of each 10 ms frame of `samples`, the last one
/// possibly shorter: all [`plan_levels`] needs of the audio.
pub fn levels(samples: &[f32], rate: u32) -> Vec<f32> {
    samples.chunks(frame_len(rate)).map(level_db).collect()
}

/// [`levels`] of audio that arrives in pieces, equal to it however the
/// audio is cut.
pub struct Levels {
    frame: usize,
    buf: Vec<f32>,
    pub levels: Vec<f32>,
}

impl Levels {
    pub fn new(rate: u32) -> Levels {
        Levels {
            frame: frame_len(rate),
            buf: Vec::new(),
            levels: Vec::new(),
        }
    }

    pub fn push(&mut self, mut samples: &[f32]) {
        while !samples.is_empty() {
            let n = (self.frame - self.buf.len()).min(samples.len());
            self.buf.extend_from_slice(&samples[..n]);
            samples = &samples[n..];
            if self.buf.len() == self.frame {
                self.levels.push(level_db(&self.buf));
                self.buf.clear();
            }
        }
    }

    pub fn finish(mut self) -> Vec<f32> {
        if !self.buf.is_empty() {
            self.levels.push(level_db(&self.buf));
        }
        self.levels
    }
}

/// Whether any 10 ms frame is loud enough to be speech at all.
pub fn any_sound(levels: &[f32]) -> bool {
    levels.iter().any(|&l| l > FLOOR_DB)
}

fn frame_len(rate: u32) -> usize {
    (rate as usize / FRAMES_PER_SECOND).max(1)
}

/// [`plan`] from the audio's [`levels`]: `len` samples at `rate`.
pub fn plan_levels(levels: &[f32], rate: u32, len: usize) -> Vec<Range<usize>> {
    let frame = frame_len(rate);
    let threshold = threshold(levels);
    let mut voiced: Vec<bool> = levels.iter().map(|&l| l > threshold).collect();
    fill_runs(&mut voiced, false, MIN_PAUSE);
    fill_runs(&mut voiced, true, MIN_SOUND);
    let max = (MAX_SECONDS * FRAMES_PER_SECOND as f64) as usize - 2 * PAD;
    let regions = split_long(runs(&voiced), levels, max);
    pack(&regions, max, levels.len())
        .into_iter()
        .map(|r| (r.start * frame).min(len)..(r.end * frame).min(len))
        .filter(|r| !r.is_empty())
        .collect()
}

fn level_db(frame: &[f32]) -> f32 {
    let mean_square = frame.iter().map(|s| s * s).sum::<f32>() / frame.len().max(1) as f32;
    10.0 * (mean_square + 1e-12).log10()
}

/// The level above which a frame is taken for speech: a quarter of the way
/// from the noise floor (the 10th percentile of frame levels) to the loud
/// frames (the 95th), never below [`FLOOR_DB`]. A quiet room gives the
/// floor; a hum or fan raises the threshold with it.
fn threshold(levels: &[f32]) -> f32 {
    if levels.is_empty() {
        return FLOOR_DB;
    }
    let mut sorted = levels.to_vec();
    sorted.sort_by(f32::total_cmp);
    let at = |p: usize| sorted[(sorted.len() - 1) * p / 100];
    let (floor, loud) = (at(10), at(95));
    (floor + 0.25 * (loud - floor)).max(FLOOR_DB)
}

/// Turns every run of `value` shorter than `min` into its opposite, except
/// runs at the ends (leading and trailing silence stay silence).
fn fill_runs(frames: &mut [bool], value: bool, min: usize) {
    let mut i = 0;
    while i < frames.len() {
        let start = i;
        while i < frames.len() && frames[i] == frames[start] {
            i += 1;
        }
        let inner = start > 0 && i < frames.len();
        let kept_at_edge = !value && !inner;
        if frames[start] == value && i - start < min && !kept_at_edge {
            frames[start..i].fill(!value);
        }
    }
}

/// The runs of sound, as frame ranges.
fn runs(voiced: &[bool]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < voiced.len() {
        if voiced[i] {
            let start = i;
            while i < voiced.len() && voiced[i] {
                i += 1;
            }
            out.push(start..i);
        } else {
            i += 1;
        }
    }
    out
}

/// Speech with no pause for longer than `max` frames is cut at its
/// quietest frame in the second half of each `max` stretch.
fn split_long(regions: Vec<Range<usize>>, levels: &[f32], max: usize) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(regions.len());
    for r in regions {
        let mut start = r.start;
        while r.end - start > max {
            let cut = (start + max / 2..start + max)
                .min_by(|&a, &b| levels[a].total_cmp(&levels[b]))
                .unwrap_or(start + max);
            out.push(start..cut);
            start = cut;
        }
        out.push(start..r.end);
    }
    out
}

/// Regions packed into pieces of at most `max` frames of speech (plus
/// padding). A piece that must end early ends at the longest pause in its
/// second half (between sentences, rather than after a comma).
fn pack(regions: &[Range<usize>], max: usize, total: usize) -> Vec<Range<usize>> {
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < regions.len() {
        let start = regions[i].start;
        let mut last = i;
        while last + 1 < regions.len() && regions[last + 1].end - start <= max {
            last += 1;
        }
        if last + 1 < regions.len() {
            let pause_after = |k: usize| regions[k + 1].start - regions[k].end;
            last = (i..=last)
                .filter(|&k| regions[k].end - start >= max / 2)
                .max_by_key(|&k| (pause_after(k), k))
                .unwrap_or(last);
        }
        let from = start
            .saturating_sub(PAD)
            .max(pieces.last().map_or(0, |p| p.end));
        let to = match regions.get(last + 1) {
            // Half the pause at most, so the next piece gets its padding too.
            Some(next) => regions[last].end + PAD.min((next.start - regions[last].end) / 2),
            None => (regions[last].end + PAD).min(total),
        };
        pieces.push(from..to);
        i = last + 1;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 16_000;

    /// Sound and silence: (seconds, loud?) in turn. Speech-like: a 200 Hz
    /// tone whose level moves with a syllable rhythm.
    fn audio(parts: &[(f64, bool)]) -> Vec<f32> {
        let mut out = Vec::new();
        for &(secs, loud) in parts {
            let n = (secs * RATE as f64) as usize;
            for i in 0..n {
                let t = i as f32 / RATE as f32;
                let env = 0.55 + 0.45 * (2.0 * std::f32::consts::PI * 3.0 * t).sin();
                let v = 0.3 * env * (2.0 * std::f32::consts::PI * 200.0 * t).sin();
                out.push(if loud { v } else { 0.0005 * (i % 7) as f32 });
            }
        }
        out
    }

    fn secs(r: &Range<usize>) -> (f64, f64) {
        (r.start as f64 / RATE as f64, r.end as f64 / RATE as f64)
    }

    #[test]
    fn sentences_are_packed_whole_into_pieces_cut_in_pauses() {
        // Twelve 5 s sentences with 1 s pauses, 3 s of silence after six:
        // about 74 s, as a bulletin read twice.
        let mut parts = vec![(0.5, false)];
        for i in 0..12 {
            parts.push((5.0, true));
            parts.push((if i == 5 { 3.0 } else { 1.0 }, false));
        }
        let samples = audio(&parts);
        let pieces = plan(&samples, RATE);
        assert!(pieces.len() >= 3, "{pieces:?}");
        let mut last_end = 0;
        for p in &pieces {
            let (s, e) = secs(p);
            assert!(e - s <= MAX_SECONDS + 0.01, "{s}..{e}");
            assert!(p.start >= last_end, "pieces overlap: {pieces:?}");
            last_end = p.end;
        }
        // Every sentence lies whole inside one piece.
        let mut t = 0.5;
        for i in 0..12 {
            let inside = pieces.iter().any(|p| {
                let (s, e) = secs(p);
                s <= t && t + 5.0 <= e
            });
            assert!(inside, "sentence {i} at {t} s is cut: {pieces:?}");
            t += 5.0 + if i == 5 { 3.0 } else { 1.0 };
        }
    }

    #[test]
    fn a_breath_is_no_cut_and_silence_is_no_piece() {
        let samples = audio(&[
            (2.0, false),
            (3.0, true),
            (0.15, false),
            (3.0, true),
            (2.0, false),
        ]);
        let pieces = plan(&samples, RATE);
        assert_eq!(pieces.len(), 1, "{pieces:?}");
        let (s, e) = secs(&pieces[0]);
        assert!(
            (1.7..2.0).contains(&s) && (8.15..8.45).contains(&e),
            "{s}..{e}"
        );
        assert!(plan(&audio(&[(5.0, false)]), RATE).is_empty());
        assert!(plan(&[], RATE).is_empty());
    }

    #[test]
    fn speech_with_no_pause_is_cut_within_the_limit() {
        let samples = audio(&[(70.0, true)]);
        let pieces = plan(&samples, RATE);
        assert!(pieces.len() >= 3, "{pieces:?}");
        assert_eq!(pieces[0].start, 0);
        assert_eq!(pieces.last().unwrap().end, samples.len());
        for w in pieces.windows(2) {
            assert_eq!(w[0].end, w[1].start, "nothing lost between pieces");
        }
        assert!(pieces.iter().all(|p| secs(p).1 - secs(p).0 <= MAX_SECONDS));
    }

    #[test]
    fn levels_in_pieces_equal_levels_of_the_whole() {
        let samples = audio(&[(1.234, true), (0.5, false), (0.77, true)]);
        let whole = levels(&samples, RATE);
        assert_eq!(whole.len(), samples.len().div_ceil(160));
        for piece in [1, 100, 160, 999, samples.len()] {
            let mut l = Levels::new(RATE);
            for part in samples.chunks(piece) {
                l.push(part);
            }
            assert_eq!(l.finish(), whole, "pieces of {piece}");
        }
        assert!(any_sound(&whole));
        assert!(!any_sound(&levels(&audio(&[(2.0, false)]), RATE)));
    }

    #[test]
    fn a_noise_floor_raises_the_threshold() {
        // Speech over a steady hum at about −30 dBFS: the pauses still cut.
        let mut samples = audio(&[
            (10.0, true),
            (2.0, false),
            (10.0, true),
            (2.0, false),
            (10.0, true),
        ]);
        for (i, s) in samples.iter_mut().enumerate() {
            *s += 0.03 * (2.0 * std::f32::consts::PI * 50.0 * i as f32 / RATE as f32).sin();
        }
        let pieces = plan(&samples, RATE);
        assert_eq!(
            pieces.len(),
            2,
            "{:?}",
            pieces.iter().map(secs).collect::<Vec<_>>()
        );
    }
}
