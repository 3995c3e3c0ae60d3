//! Audio for broadcast: decoding what offices have (WAV, MP3, OGG, FLAC,
//! M4A), measuring loudness the EBU R128 way, and rendering what horn
//! loudspeakers and FM transmitters need (normalized, true-peak limited,
//! mono, resampled, MP3 or WAV). Most of it works on whole takes in
//! memory as 32-bit float; a 60-minute mono take at 48 kHz is ~700 MB as
//! interleaved stereo, so decoding refuses anything past [`MAX_SECONDS`].
//! What must handle hour-long takes (transcription) streams instead
//! ([`stream`]).

pub mod decode;
pub mod device;
pub mod dsp;
pub mod edit;
pub mod id3;
pub mod lame;
pub mod loudness;
pub mod playback;
pub mod render;
pub mod stream;
pub mod take;
pub mod waveform;

pub use decode::{decode_bytes, decode_file};
pub use loudness::{analyze, Loudness};
pub use render::{render, RenderFormat, RenderOptions};

/// Longer than any broadcast item; also what keeps memory bounded.
pub const MAX_SECONDS: u64 = 3 * 3600;

/// Interleaved float samples in [-1, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Pcm {
    pub rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

impl Pcm {
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels.max(1))
    }

    pub fn seconds(&self) -> f64 {
        self.frames() as f64 / f64::from(self.rate.max(1))
    }

    /// The channels averaged into one.
    pub fn to_mono(&self) -> Pcm {
        let ch = usize::from(self.channels.max(1));
        if ch == 1 {
            return self.clone();
        }
        let mut samples = Vec::with_capacity(self.frames());
        mix_to_mono(&self.samples, ch, &mut samples);
        Pcm {
            rate: self.rate,
            channels: 1,
            samples,
        }
    }
}

/// Interleaved frames of `channels` averaged into one channel, appended to
/// `out`.
pub fn mix_to_mono(samples: &[f32], channels: usize, out: &mut Vec<f32>) {
    let ch = channels.max(1);
    out.extend(
        samples
            .chunks_exact(ch)
            .map(|f| f.iter().sum::<f32>() / ch as f32),
    );
}

/// Decibels of a linear amplitude (−∞ for silence).
pub fn db(linear: f64) -> f64 {
    20.0 * linear.log10()
}

pub fn from_db(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

#[cfg(test)]
pub(crate) mod test_signals {
    use super::Pcm;

    /// A sine at `dbfs` peak level in every channel.
    pub fn sine(freq: f32, dbfs: f32, seconds: f32, rate: u32, channels: u16) -> Pcm {
        let amp = 10f32.powf(dbfs / 20.0);
        let n = (seconds * rate as f32) as usize;
        let mut samples = Vec::with_capacity(n * channels as usize);
        for i in 0..n {
            let v = amp * (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin();
            for _ in 0..channels {
                samples.push(v);
            }
        }
        Pcm {
            rate,
            channels,
            samples,
        }
    }

    /// Deterministic white-ish noise (xorshift), peak `amp`.
    pub fn noise(amp: f32, seconds: f32, rate: u32) -> Pcm {
        let mut x: u32 = 0x9E37_79B9;
        let n = (seconds * rate as f32) as usize;
        let samples = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                amp * ((x as f32 / u32::MAX as f32) * 2.0 - 1.0)
            })
            .collect();
        Pcm {
            rate,
            channels: 1,
            samples,
        }
    }
}
