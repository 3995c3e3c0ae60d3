//! Non-destructive editing of a take: where it starts and ends, and the
//! stretches cut out of it. The recorded file is never touched; an edit is a
//! small description applied whenever the take is played, measured or
//! rendered, so every change can be undone.

use super::{dsp, Pcm};
use crate::base::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A stretch of the original recording, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    pub from: f64,
    pub to: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Edit {
    /// Seconds trimmed from the head.
    #[serde(default)]
    pub start: f64,
    /// Where the take ends; None keeps it to the end.
    #[serde(default)]
    #[ts(optional)]
    pub end: Option<f64>,
    /// Stretches cut out between start and end, sorted, not overlapping.
    #[serde(default)]
    pub cuts: Vec<Span>,
}

/// Shorter than this is not a take any more.
const MIN_KEPT_SECONDS: f64 = 0.1;

impl Edit {
    pub fn is_empty(&self) -> bool {
        self.start <= 0.0 && self.end.is_none() && self.cuts.is_empty()
    }

    /// The same edit made consistent with a take of `duration` seconds:
    /// bounds clamped, cuts sorted, merged and kept inside the take. Refuses
    /// an edit that would leave (almost) nothing.
    pub fn normalized(&self, duration: f64) -> Result<Edit> {
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        let start = finite(self.start).clamp(0.0, duration);
        let end = self
            .end
            .map(finite)
            .map(|e| e.clamp(start, duration))
            .filter(|e| *e < duration);
        let stop = end.unwrap_or(duration);
        let mut cuts: Vec<Span> = self
            .cuts
            .iter()
            .map(|c| {
                let (a, b) = (finite(c.from), finite(c.to));
                Span {
                    from: a.min(b).clamp(start, stop),
                    to: a.max(b).clamp(start, stop),
                }
            })
            .filter(|c| c.to - c.from > 0.0)
            .collect();
        cuts.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut merged: Vec<Span> = Vec::with_capacity(cuts.len());
        for c in cuts {
            match merged.last_mut() {
                Some(last) if c.from <= last.to => last.to = last.to.max(c.to),
                _ => merged.push(c),
            }
        }
        let out = Edit {
            start,
            end,
            cuts: merged,
        };
        if out.kept_seconds(duration) < MIN_KEPT_SECONDS {
            return Err(CoreError::invalid("edit", "nothing-left"));
        }
        Ok(out)
    }

    /// The stretches of the original that remain, in order.
    pub fn kept(&self, duration: f64) -> Vec<Span> {
        let stop = self.end.unwrap_or(duration).min(duration);
        let mut out = Vec::with_capacity(self.cuts.len() + 1);
        let mut at = self.start.max(0.0);
        for c in &self.cuts {
            if c.from > at {
                out.push(Span {
                    from: at,
                    to: c.from.min(stop),
                });
            }
            at = at.max(c.to);
        }
        if stop > at {
            out.push(Span { from: at, to: stop });
        }
        out
    }

    pub fn kept_seconds(&self, duration: f64) -> f64 {
        self.kept(duration).iter().map(|s| s.to - s.from).sum()
    }

    /// Where a moment of the edited take lies in the original, so a player
    /// position can be drawn on the original waveform.
    pub fn to_source(&self, edited: f64, duration: f64) -> f64 {
        let mut left = edited.max(0.0);
        let kept = self.kept(duration);
        for s in &kept {
            let len = s.to - s.from;
            if left <= len {
                return s.from + left;
            }
            left -= len;
        }
        kept.last().map(|s| s.to).unwrap_or(0.0)
    }

    /// The inverse of [`to_source`](Self::to_source): a moment of the
    /// original inside a removed stretch maps to where the removal is.
    pub fn to_edited(&self, source: f64, duration: f64) -> f64 {
        let mut before = 0.0;
        for s in self.kept(duration) {
            if source < s.from {
                return before;
            }
            if source <= s.to {
                return before + source - s.from;
            }
            before += s.to - s.from;
        }
        before
    }

    /// The edited audio. Each join gets a 5 ms crossfade so a cut never
    /// clicks on a loudspeaker.
    pub fn apply(&self, pcm: &Pcm) -> Pcm {
        let mut samples: Vec<f32> = Vec::with_capacity(pcm.samples.len());
        let mut keep = |s: &[f32]| {
            samples.extend_from_slice(s);
            Ok(())
        };
        let mut stream = self.stream(pcm.rate, pcm.channels, Some(pcm.seconds()));
        // Collecting into memory cannot fail.
        let _ = stream.push(&pcm.samples, &mut keep);
        let _ = stream.finish(&mut keep);
        Pcm {
            rate: pcm.rate,
            channels: pcm.channels,
            samples,
        }
    }

    /// [`apply`](Self::apply) to audio that arrives in pieces (decoded a
    /// packet at a time), with the same result. `seconds` is the
    /// recording's length when known; an edit's end past the real end is
    /// simply never reached.
    pub fn stream(&self, rate: u32, channels: u16, seconds: Option<f64>) -> EditStream {
        let per_second = f64::from(rate.max(1));
        let frame = |t: f64| {
            let f = (t * per_second).round();
            if f >= usize::MAX as f64 {
                usize::MAX
            } else {
                f.max(0.0) as usize
            }
        };
        let spans = self
            .kept(seconds.unwrap_or(f64::INFINITY))
            .into_iter()
            .map(|s| frame(s.from)..frame(s.to))
            .collect();
        EditStream {
            spans,
            ch: usize::from(channels.max(1)),
            fade: (rate as usize / 200).max(1),
            at: 0,
            span: 0,
            held: Vec::new(),
            joined: 0,
            head: None,
        }
    }
}

/// An edit being applied as the audio goes by: it holds back the last
/// 5 ms given out (the next join may fade into them) and the first 5 ms of
/// a stretch after a cut (to fade them in), never more.
pub struct EditStream {
    /// The stretches kept, in frames of the original.
    spans: Vec<std::ops::Range<usize>>,
    ch: usize,
    fade: usize,
    /// Frames of the original seen so far.
    at: usize,
    /// The stretch being read.
    span: usize,
    /// The last frames given out, not yet handed on (interleaved).
    held: Vec<f32>,
    /// Frames given out so far, the held ones included.
    joined: usize,
    /// The first frames of a stretch after a join, gathered until there
    /// are enough to fade in (or the stretch ends).
    head: Option<Vec<f32>>,
}

impl EditStream {
    /// Takes interleaved frames of the original, handing kept audio to `sink`.
    pub fn push(
        &mut self,
        samples: &[f32],
        sink: &mut dyn FnMut(&[f32]) -> Result<()>,
    ) -> Result<()> {
        let ch = self.ch;
        let frames = samples.len() / ch;
        let (from, to) = (self.at, self.at + frames);
        self.at = to;
        while let Some(span) = self.spans.get(self.span).cloned() {
            let start = span.start.max(from);
            let end = span.end.min(to);
            if start < end {
                self.take(&samples[(start - from) * ch..(end - from) * ch], sink)?;
            }
            if span.end > to {
                break;
            }
            // The stretch is over: a short one fades in with what it has.
            self.join(sink)?;
            self.span += 1;
            if self.span < self.spans.len() {
                self.head = Some(Vec::new());
            }
        }
        Ok(())
    }

    /// Hands on everything still held: the end of the edited audio.
    pub fn finish(&mut self, sink: &mut dyn FnMut(&[f32]) -> Result<()>) -> Result<()> {
        self.join(sink)?;
        self.spans.clear();
        let rest = std::mem::take(&mut self.held);
        if rest.is_empty() {
            Ok(())
        } else {
            sink(&rest)
        }
    }

    fn take(&mut self, kept: &[f32], sink: &mut dyn FnMut(&[f32]) -> Result<()>) -> Result<()> {
        let mut kept = kept;
        if let Some(head) = self.head.as_mut() {
            let want = (self.fade * self.ch)
                .saturating_sub(head.len())
                .min(kept.len());
            head.extend_from_slice(&kept[..want]);
            kept = &kept[want..];
            if head.len() < self.fade * self.ch {
                return Ok(());
            }
            self.join(sink)?;
        }
        self.give(kept, sink)
    }

    /// Crossfades the gathered head of a stretch into the frames held
    /// before it, then gives out the rest of the head.
    fn join(&mut self, sink: &mut dyn FnMut(&[f32]) -> Result<()>) -> Result<()> {
        let Some(head) = self.head.take() else {
            return Ok(());
        };
        let ch = self.ch;
        let n = self.fade.min(self.joined).min(head.len() / ch);
        let base = self.held.len() / ch - n;
        for k in 0..n {
            let g = (k as f32 + 0.5) / n as f32;
            for c in 0..ch {
                let o = (base + k) * ch + c;
                self.held[o] = self.held[o] * (1.0 - g) + head[k * ch + c] * g;
            }
        }
        self.give(&head[n * ch..], sink)
    }

    /// Adds frames to the output, handing on all but the last `fade`.
    fn give(&mut self, frames: &[f32], sink: &mut dyn FnMut(&[f32]) -> Result<()>) -> Result<()> {
        self.joined += frames.len() / self.ch;
        self.held.extend_from_slice(frames);
        let keep = self.fade * self.ch;
        if self.held.len() > 2 * keep {
            let out = self.held.len() - keep;
            sink(&self.held[..out])?;
            self.held.drain(..out);
        }
        Ok(())
    }
}

/// Where speech starts and ends: the first and last 10 ms louder than
/// `threshold_db` (RMS, dBFS), with a quarter second kept each side so
/// breaths before a word are not clipped. None when all is quieter.
pub fn sound_bounds(pcm: &Pcm, threshold_db: f64) -> Option<Span> {
    let mono = pcm.to_mono();
    let (a, b) = dsp::sound_span(&mono.samples, mono.rate, threshold_db, 0.25)?;
    let rate = f64::from(mono.rate.max(1));
    Some(Span {
        from: a as f64 / rate,
        to: b as f64 / rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::audio::test_signals::sine;

    fn ramp(seconds: f64, rate: u32) -> Pcm {
        // Each sample holds its own time, so what was kept can be read back.
        let n = (seconds * f64::from(rate)) as usize;
        Pcm {
            rate,
            channels: 1,
            samples: (0..n).map(|i| i as f32 / rate as f32).collect(),
        }
    }

    #[test]
    fn an_edit_applied_in_pieces_equals_the_whole() {
        // Stereo, so the crossfade's channel arithmetic is exercised; one
        // kept stretch (2 ms) shorter than the 5 ms crossfade.
        let mut pcm = sine(440.0, -6.0, 3.0, 8_000, 2);
        for (i, s) in pcm.samples.iter_mut().enumerate() {
            *s += (i % 13) as f32 * 0.01;
        }
        let edits = [
            Edit::default(),
            Edit {
                start: 0.1,
                end: Some(2.5),
                cuts: vec![
                    Span { from: 0.5, to: 0.9 },
                    Span {
                        from: 0.9021,
                        to: 1.4,
                    },
                    Span { from: 2.0, to: 2.2 },
                ],
            },
            Edit {
                start: 0.0,
                end: None,
                cuts: vec![Span {
                    from: 2.99,
                    to: 3.5,
                }],
            },
        ];
        for edit in edits {
            let edit = edit.normalized(pcm.seconds()).unwrap();
            let whole = edit.apply(&pcm);
            for frames in [1, 7, 40, 1000, pcm.frames()] {
                for known in [Some(pcm.seconds()), None] {
                    let mut got = Vec::new();
                    let mut keep = |s: &[f32]| {
                        got.extend_from_slice(s);
                        Ok(())
                    };
                    let mut st = edit.stream(pcm.rate, pcm.channels, known);
                    for part in pcm.samples.chunks(frames * 2) {
                        st.push(part, &mut keep).unwrap();
                    }
                    st.finish(&mut keep).unwrap();
                    assert_eq!(got, whole.samples, "{edit:?} in pieces of {frames} frames");
                }
            }
        }
    }

    #[test]
    fn normalizing_sorts_merges_and_clamps() {
        let e = Edit {
            start: -1.0,
            end: Some(12.0),
            cuts: vec![
                Span { from: 6.0, to: 5.0 },
                Span { from: 1.0, to: 2.0 },
                Span { from: 1.5, to: 3.0 },
                Span { from: 9.0, to: 9.0 },
            ],
        }
        .normalized(10.0)
        .unwrap();
        assert_eq!(e.start, 0.0);
        assert_eq!(e.end, None, "an end past the take is no trim");
        assert_eq!(
            e.cuts,
            vec![Span { from: 1.0, to: 3.0 }, Span { from: 5.0, to: 6.0 }]
        );
        assert!((e.kept_seconds(10.0) - 7.0).abs() < 1e-9);
        let all = Edit {
            start: 2.0,
            end: Some(5.0),
            cuts: vec![Span { from: 1.0, to: 6.0 }],
        };
        assert_eq!(
            all.normalized(10.0).unwrap_err().to_string(),
            CoreError::invalid("edit", "nothing-left").to_string()
        );
    }

    #[test]
    fn applying_keeps_exactly_the_kept_stretches() {
        let pcm = ramp(4.0, 1000);
        let e = Edit {
            start: 0.5,
            end: Some(3.5),
            cuts: vec![Span { from: 1.0, to: 2.0 }],
        };
        let out = e.apply(&pcm);
        // 0.5..1.0 and 2.0..3.5 = 2 s, minus the 5 ms crossfade overlap.
        assert_eq!(out.frames(), 2000 - 5);
        assert!((out.samples[0] - 0.5).abs() < 1e-6);
        assert!((out.samples[400] - 0.9).abs() < 1e-6);
        assert!((out.samples.last().unwrap() - 3.499).abs() < 1e-6);
        // Right after the join the signal is from after the cut.
        assert!(out.samples[600] > 2.0);
    }

    #[test]
    fn positions_map_both_ways() {
        let e = Edit {
            start: 1.0,
            end: Some(9.0),
            cuts: vec![Span { from: 3.0, to: 5.0 }],
        };
        assert_eq!(e.to_source(0.0, 10.0), 1.0);
        assert_eq!(e.to_source(2.5, 10.0), 5.5);
        assert_eq!(e.to_source(100.0, 10.0), 9.0);
        assert_eq!(e.to_edited(5.5, 10.0), 2.5);
        assert_eq!(e.to_edited(4.0, 10.0), 2.0, "inside a cut → at the join");
        assert_eq!(e.to_edited(0.2, 10.0), 0.0);
    }

    #[test]
    fn sound_bounds_find_the_speech() {
        let mut pcm = sine(440.0, -60.0, 1.0, 16_000, 1);
        pcm.samples
            .extend(sine(440.0, -12.0, 2.0, 16_000, 1).samples);
        pcm.samples
            .extend(sine(440.0, -60.0, 1.5, 16_000, 1).samples);
        let b = sound_bounds(&pcm, -40.0).unwrap();
        assert!((b.from - 0.75).abs() < 0.02, "{b:?}");
        assert!((b.to - 3.25).abs() < 0.02, "{b:?}");
        assert!(sound_bounds(&sine(440.0, -70.0, 1.0, 16_000, 1), -40.0).is_none());
    }
}
