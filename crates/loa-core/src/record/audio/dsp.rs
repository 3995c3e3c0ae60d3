//! Signal processing for rendering: high-pass, silence trim, resampling
//! and the true-peak look-ahead limiter. All on mono float.

use crate::base::error::{CoreError, Result};

/// Second-order Butterworth high-pass (RBJ cookbook): horn loudspeakers
/// cannot reproduce low bass, which only eats their power.
pub fn high_pass(samples: &mut [f32], rate: u32, cutoff_hz: f32) {
    if cutoff_hz <= 0.0 || cutoff_hz >= rate as f32 / 2.0 {
        return;
    }
    let w0 = 2.0 * std::f64::consts::PI * f64::from(cutoff_hz) / f64::from(rate);
    let (sin, cos) = w0.sin_cos();
    let alpha = sin / (2.0 * std::f64::consts::FRAC_1_SQRT_2);
    let a0 = 1.0 + alpha;
    let b0 = (1.0 + cos) / 2.0 / a0;
    let b1 = -(1.0 + cos) / a0;
    let b2 = b0;
    let a1 = -2.0 * cos / a0;
    let a2 = (1.0 - alpha) / a0;
    let (mut x1, mut x2, mut y1, mut y2) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for s in samples.iter_mut() {
        let x = f64::from(*s);
        let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = x;
        y2 = y1;
        y1 = y;
        *s = y as f32;
    }
}

/// The stretch between the first and last sound louder than `threshold_db`
/// (measured over 10 ms windows), widened by `pad_s` each side. None when
/// everything is quieter.
pub fn sound_span(
    samples: &[f32],
    rate: u32,
    threshold_db: f64,
    pad_s: f64,
) -> Option<(usize, usize)> {
    let win = (rate as usize / 100).max(1);
    let threshold = super::from_db(threshold_db) as f32;
    let loud = |w: &[f32]| {
        let rms = (w.iter().map(|s| s * s).sum::<f32>() / w.len() as f32).sqrt();
        rms > threshold
    };
    let windows: Vec<&[f32]> = samples.chunks(win).collect();
    let first = windows.iter().position(|w| loud(w))?;
    let last = windows.iter().rposition(|w| loud(w))?;
    let pad = (pad_s * f64::from(rate)) as usize;
    let start = (first * win).saturating_sub(pad);
    let end = ((last + 1) * win + pad).min(samples.len());
    Some((start, end))
}

/// Band-limited resampling (rubato's FFT resampler) of a mono signal.
pub fn resample(samples: &[f32], from: u32, to: u32) -> Result<Vec<f32>> {
    let mut out = Vec::new();
    let mut keep = |s: &[f32]| {
        out.extend_from_slice(s);
        Ok(())
    };
    let mut r = Resampling::new(from, to)?;
    r.push(samples, &mut keep)?;
    r.finish(&mut keep)?;
    Ok(out)
}

/// [`resample`] of a signal that arrives in pieces (an hour-long take is
/// decoded a packet at a time and never held whole). The output is the
/// same, sample for sample, however the input is cut: rubato's whole-clip
/// method does exactly this in one buffer.
pub struct Resampling {
    /// None when the rates are equal.
    fft: Option<rubato::Fft<f32>>,
    ratio: f64,
    /// Input not yet resampled (a chunk of the FFT's size is kept back until
    /// the end, as the whole-clip method does for its last, partial chunk).
    pending: Vec<f32>,
    out: Vec<f32>,
    taken: usize,
    /// Output frames still to drop: the resampler's start-up delay.
    trim: usize,
    given: usize,
}

impl Resampling {
    pub fn new(from: u32, to: u32) -> Result<Resampling> {
        use rubato::{Fft, FixedSync, Resampler};
        let fft = if from == to {
            None
        } else {
            Some(
                Fft::<f32>::new(from as usize, to as usize, 1024, 1, FixedSync::Both)
                    .map_err(|e| resample_error(e.to_string()))?,
            )
        };
        let trim = fft.as_ref().map_or(0, |f| f.output_delay());
        let out = vec![0.0; fft.as_ref().map_or(0, |f| f.output_frames_max())];
        Ok(Resampling {
            fft,
            ratio: f64::from(to) / f64::from(from.max(1)),
            pending: Vec::new(),
            out,
            taken: 0,
            trim,
            given: 0,
        })
    }

    /// Takes `input`, handing what is ready to `sink`.
    pub fn push(
        &mut self,
        input: &[f32],
        sink: &mut dyn FnMut(&[f32]) -> Result<()>,
    ) -> Result<()> {
        use rubato::Resampler;
        self.taken += input.len();
        let Some(fft) = self.fft.as_ref() else {
            return sink(input);
        };
        let size = fft.input_frames_next();
        self.pending.extend_from_slice(input);
        let mut at = 0;
        while self.pending.len() - at > size {
            self.run(at, None, None, sink)?;
            at += size;
        }
        self.pending.drain(..at);
        Ok(())
    }

    /// Resamples what is left and hands the end of the signal to `sink`:
    /// exactly `ceil(input × to / from)` samples in all.
    pub fn finish(mut self, sink: &mut dyn FnMut(&[f32]) -> Result<()>) -> Result<()> {
        if self.fft.is_none() {
            return Ok(());
        }
        let expected = (self.ratio * self.taken as f64).ceil() as usize;
        let rest = self.pending.len();
        if rest > 0 {
            self.run(0, Some(rest), Some(expected), sink)?;
        }
        self.pending.clear();
        // The delay's worth of output is still inside the filter: pump zeros.
        while self.given < expected {
            if self.run(0, Some(0), Some(expected), sink)? == 0 {
                break;
            }
        }
        Ok(())
    }

    /// One chunk through the FFT from `pending[at..]`; `partial` is how much
    /// of it is real input (the rest zeros), `cap` the most output in all.
    /// Returns how many frames the FFT made.
    fn run(
        &mut self,
        at: usize,
        partial: Option<usize>,
        cap: Option<usize>,
        sink: &mut dyn FnMut(&[f32]) -> Result<()>,
    ) -> Result<usize> {
        use audioadapter_buffers::direct::InterleavedSlice;
        use rubato::{Indexing, Resampler};
        let Some(fft) = self.fft.as_mut() else {
            return Ok(0);
        };
        let size = fft.input_frames_next();
        let input = &self.pending[at..];
        let frames = input.len().min(size);
        let zeros = [0.0f32; 1];
        let input = if frames == 0 {
            &zeros[..]
        } else {
            &input[..frames]
        };
        let wave_in = InterleavedSlice::new(input, 1, input.len())
            .map_err(|e| resample_error(e.to_string()))?;
        let out_len = self.out.len();
        let mut wave_out = InterleavedSlice::new_mut(&mut self.out, 1, out_len)
            .map_err(|e| resample_error(e.to_string()))?;
        let indexing = Indexing {
            input_offset: 0,
            output_offset: 0,
            active_channels_mask: None,
            partial_len: partial,
        };
        let (_, made) = fft
            .process_into_buffer(&wave_in, &mut wave_out, Some(&indexing))
            .map_err(|e| resample_error(e.to_string()))?;
        let skip = self.trim.min(made);
        self.trim -= skip;
        let mut end = made;
        if let Some(cap) = cap {
            end = end.min(skip + cap.saturating_sub(self.given));
        }
        if end > skip {
            self.given += end - skip;
            sink(&self.out[skip..end])?;
        }
        Ok(made)
    }
}

fn resample_error(detail: String) -> CoreError {
    CoreError::DataFile {
        name: "audio".into(),
        line: None,
        detail,
    }
}

/// Estimated peak between each sample and the next (and at the sample),
/// from a 4-point cubic through the neighbours at ¼, ½ and ¾: inter-sample
/// peaks are what a DAC and an MP3 decoder reconstruct, and what "true
/// peak" measures.
fn true_peaks(x: &[f32]) -> Vec<f32> {
    let n = x.len();
    let at = |i: isize| -> f32 {
        if i < 0 || i as usize >= n {
            0.0
        } else {
            x[i as usize]
        }
    };
    (0..n)
        .map(|i| {
            let i = i as isize;
            let (p0, p1, p2, p3) = (at(i - 1), at(i), at(i + 1), at(i + 2));
            let mut peak = p1.abs();
            for t in [0.25f32, 0.5, 0.75] {
                // Catmull-Rom spline.
                let v = 0.5
                    * ((2.0 * p1)
                        + (-p0 + p2) * t
                        + (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3) * t * t
                        + (-p0 + 3.0 * p1 - 3.0 * p2 + p3) * t * t * t);
                peak = peak.max(v.abs());
            }
            peak
        })
        .collect()
}

/// Sliding-window minimum over [i − r, i + r] (monotonic deque, O(n)).
fn window_min(v: &[f32], r: usize) -> Vec<f32> {
    let n = v.len();
    let mut out = vec![0.0; n];
    let mut dq: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut next = 0;
    for (i, o) in out.iter_mut().enumerate() {
        let hi = (i + r).min(n - 1);
        while next <= hi {
            while dq.back().is_some_and(|&b| v[b] >= v[next]) {
                dq.pop_back();
            }
            dq.push_back(next);
            next += 1;
        }
        while dq.front().is_some_and(|&f| f + r < i) {
            dq.pop_front();
        }
        *o = v[dq[0]];
    }
    out
}

/// Look-ahead peak limiter: the gain starts falling `lookahead_s` before a
/// peak that would pass `ceiling` (linear) and recovers over `release_s`,
/// so peaks are caught without clipping or clicks.
///
/// Why it never overshoots: the required gain is min-filtered over ±L and
/// then averaged over ±L, so every averaged value is at most the required
/// gain at its centre; the release only ever lowers the gain further.
pub fn limit(samples: &mut [f32], rate: u32, ceiling: f32, lookahead_s: f32, release_s: f32) {
    if samples.is_empty() {
        return;
    }
    let l = ((lookahead_s * rate as f32) as usize).max(1);
    let required: Vec<f32> = true_peaks(samples)
        .into_iter()
        .map(|p| if p > ceiling { ceiling / p } else { 1.0 })
        .collect();
    if required.iter().all(|g| *g >= 1.0) {
        return;
    }
    let min = window_min(&required, l);
    // Moving average over ±l via a prefix sum.
    let mut prefix = Vec::with_capacity(min.len() + 1);
    prefix.push(0.0f64);
    for g in &min {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + f64::from(*g));
    }
    let n = samples.len();
    let recover = 1.0 - (-1.0 / (release_s * rate as f32)).exp();
    let mut gain = 1.0f32;
    for i in 0..n {
        let (a, b) = (i.saturating_sub(l), (i + l + 1).min(n));
        let avg = ((prefix[b] - prefix[a]) / (b - a) as f64) as f32;
        // Edges average fewer points; the min keeps them safe.
        let target = avg.min(min[i]);
        gain = if target < gain {
            target
        } else {
            gain + (target - gain) * recover
        };
        samples[i] *= gain;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::audio::test_signals::{noise, sine};

    /// rubato's whole-clip resampling, which [`Resampling`] must equal.
    fn whole_clip(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
        use audioadapter_buffers::owned::InterleavedOwned;
        use rubato::{Fft, FixedSync, Resampler};
        let mut r = Fft::<f32>::new(from as usize, to as usize, 1024, 1, FixedSync::Both).unwrap();
        let input = InterleavedOwned::new_from(samples.to_vec(), 1, samples.len()).unwrap();
        r.process_all(&input, samples.len(), None)
            .unwrap()
            .take_data()
    }

    #[test]
    fn resampling_in_pieces_equals_the_whole_clip() {
        let signal = noise(0.3, 1.3, 44_100).samples;
        for (from, to) in [
            (44_100, 16_000),
            (48_000, 16_000),
            (22_050, 16_000),
            (8_000, 16_000),
        ] {
            for len in [0, 1, 700, 1024, 1025, 2048, 20_000, signal.len()] {
                let clip = &signal[..len];
                let want = if len == 0 {
                    Vec::new()
                } else {
                    whole_clip(clip, from, to)
                };
                assert_eq!(
                    want.len(),
                    (len as f64 * to as f64 / from as f64).ceil() as usize
                );
                for piece in [1, 333, 1024, 4096, usize::MAX] {
                    let mut got = Vec::new();
                    let mut keep = |s: &[f32]| {
                        got.extend_from_slice(s);
                        Ok(())
                    };
                    let mut r = Resampling::new(from, to).unwrap();
                    for part in clip.chunks(piece.min(len.max(1))) {
                        r.push(part, &mut keep).unwrap();
                    }
                    r.finish(&mut keep).unwrap();
                    assert_eq!(got, want, "{from}→{to}, {len} samples in pieces of {piece}");
                }
            }
        }
    }

    #[test]
    fn high_pass_removes_bass_keeps_speech_band() {
        let rms = |v: &[f32]| (v.iter().map(|s| s * s).sum::<f32>() / v.len() as f32).sqrt();
        let mut low = sine(40.0, -6.0, 1.0, 48_000, 1).samples;
        let mut mid = sine(1000.0, -6.0, 1.0, 48_000, 1).samples;
        let (l0, m0) = (rms(&low), rms(&mid));
        high_pass(&mut low, 48_000, 150.0);
        high_pass(&mut mid, 48_000, 150.0);
        assert!(rms(&low[4800..]) < l0 * 0.1, "40 Hz cut by 20 dB");
        assert!(
            (rms(&mid[4800..]) / m0 - 1.0).abs() < 0.02,
            "1 kHz untouched"
        );
    }

    #[test]
    fn silence_trim_finds_the_sound() {
        let rate = 16_000;
        let mut v = vec![0.0f32; rate as usize];
        v.extend(sine(440.0, -20.0, 2.0, rate, 1).samples);
        v.extend(vec![0.0f32; rate as usize]);
        let (a, b) = sound_span(&v, rate, -50.0, 0.25).unwrap();
        assert_eq!((a, b), (12_000, 52_000));
        assert!(sound_span(&[0.0; 1000], rate, -50.0, 0.1).is_none());
    }

    #[test]
    fn resampling_keeps_length_and_pitch() {
        let s = sine(1000.0, -6.0, 1.0, 48_000, 1).samples;
        let r = resample(&s, 48_000, 44_100).unwrap();
        assert!((r.len() as i64 - 44_100).abs() < 50, "{}", r.len());
        // Zero crossings per second ≈ 2 × 1000.
        let crossings = r[4410..39_690]
            .windows(2)
            .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
            .count();
        assert!((795..=805).contains(&crossings), "{crossings}");
    }

    #[test]
    fn limiter_holds_the_ceiling_without_clipping() {
        // Loud noise bursts over a quiet tone.
        let mut v = sine(300.0, -20.0, 3.0, 48_000, 1).samples;
        let burst = noise(1.0, 0.5, 48_000).samples;
        for (i, b) in burst.iter().enumerate() {
            v[48_000 + i] += *b * 1.5;
        }
        let ceiling = 10f32.powf(-1.2 / 20.0);
        limit(&mut v, 48_000, ceiling, 0.005, 0.08);
        let peak = true_peaks(&v).into_iter().fold(0.0f32, f32::max);
        assert!(peak <= ceiling * 1.02, "{peak}");
        // The quiet tone before the burst is untouched (no pumping ahead of time).
        let before = v[..40_000].iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((before - 0.1).abs() < 0.002, "{before}");
        // No sample is flattened at the ceiling as a clipper would.
        let at_ceiling = v
            .iter()
            .filter(|s| (s.abs() - ceiling).abs() < 1e-6)
            .count();
        assert!(at_ceiling < 5);
    }

    #[test]
    fn window_min_matches_naive() {
        let v: Vec<f32> = (0..200).map(|i| ((i * 37) % 101) as f32).collect();
        let fast = window_min(&v, 7);
        for (i, got) in fast.iter().enumerate() {
            let lo = i.saturating_sub(7);
            let hi = (i + 7).min(v.len() - 1);
            let naive = v[lo..=hi].iter().cloned().fold(f32::MAX, f32::min);
            assert_eq!(*got, naive);
        }
    }
}
