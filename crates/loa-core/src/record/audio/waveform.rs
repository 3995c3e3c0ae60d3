//! Waveform overview: per column, the lowest and highest sample, on the
//! mono mix. One pass; a 60-minute take reduces in well under a second.

use super::Pcm;

/// `columns` (min, max) pairs in [-1, 1].
pub fn peaks(pcm: &Pcm, columns: usize) -> Vec<(f32, f32)> {
    let ch = usize::from(pcm.channels.max(1));
    let frames = pcm.frames();
    if frames == 0 || columns == 0 {
        return Vec::new();
    }
    let mut out = vec![(0.0f32, 0.0f32); columns.min(frames)];
    let n = out.len();
    for (f, frame) in pcm.samples.chunks_exact(ch).enumerate() {
        let v = frame.iter().sum::<f32>() / ch as f32;
        let c = f * n / frames;
        let (lo, hi) = &mut out[c];
        *lo = lo.min(v);
        *hi = hi.max(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::audio::test_signals::sine;

    #[test]
    fn peaks_follow_the_envelope() {
        let mut pcm = sine(100.0, -6.0, 2.0, 8000, 2);
        // Second half silent.
        let half = pcm.samples.len() / 2;
        pcm.samples[half..].iter_mut().for_each(|s| *s = 0.0);
        let p = peaks(&pcm, 10);
        assert_eq!(p.len(), 10);
        assert!((p[0].1 - 0.501).abs() < 0.01 && (p[0].0 + 0.501).abs() < 0.01);
        assert_eq!(p[9], (0.0, 0.0));
    }
}
