//! Any audio file an office has, decoded to float PCM (symphonia). Broken,
//! empty, unsupported or over-long input is an error naming the problem;
//! decoding reports progress and stops when asked.

use super::{Pcm, MAX_SECONDS};
use crate::base::limits::{check_len, ImportKind};

/// The highest sample rate and channel count a file may claim. Both come
/// from the file, and a decoder sizes its buffers by them: a FLAC claiming
/// 655,350 Hz on 8 channels expands one megabyte into tens of gigabytes.
pub const MAX_RATE: u32 = 192_000;
pub const MAX_CHANNELS: usize = 8;
/// The decoded samples (f32) held at most: 2.4 GB, about 1 h 45 min of
/// 48 kHz stereo or 3 h of 48 kHz mono.
pub const MAX_DECODED_SAMPLES: usize = 600_000_000;
/// Real audio, however compressed (HE-AAC at 8 kbit/s), decodes to well
/// under this many samples per byte of file; a file that expands further
/// (constant FLAC frames) is a bomb. Plus a minute of 48 kHz stereo, so
/// a tiny real file is never judged by its ratio.
const MAX_SAMPLES_PER_BYTE: usize = 100;
const RATIO_ALLOWANCE: usize = 60 * 48_000 * 2;
use crate::base::error::{CoreError, Result};
use std::path::Path;
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::meta::MetadataOptions;

fn problem(name: &str, problem: &'static str, value: impl Into<String>) -> CoreError {
    CoreError::data_row(name, None, problem, value)
}

/// Decodes a file. `progress` gets the fraction done (by bytes read) and
/// returns false to cancel.
pub fn decode_file(path: &Path, progress: &mut dyn FnMut(f32) -> bool) -> Result<Pcm> {
    let (name, file, len, hint) = open(path)?;
    decode_source(&name, Box::new(file), len, hint, progress)
}

/// A file opened for decoding: its name, length and extension hint.
fn open(path: &Path) -> Result<(String, std::fs::File, u64, Hint)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    Ok((name, file, len, hint))
}

/// Decodes bytes in memory (an import sent by the UI, a test).
pub fn decode_bytes(name: &str, bytes: Vec<u8>) -> Result<Pcm> {
    let len = bytes.len() as u64;
    let mut hint = Hint::new();
    if let Some(ext) = name.rsplit('.').next() {
        hint.with_extension(ext);
    }
    decode_source(
        name,
        Box::new(std::io::Cursor::new(bytes)),
        len,
        hint,
        &mut |_| true,
    )
}

/// The text tags a file carries (raw key → value), as a player reads them.
#[cfg(test)]
pub(crate) fn tags(bytes: Vec<u8>) -> Vec<(String, String)> {
    let mss = MediaSourceStream::new(
        Box::new(std::io::Cursor::new(bytes)),
        MediaSourceStreamOptions::default(),
    );
    let mut format = symphonia::default::get_probe()
        .probe(
            &Hint::new(),
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .unwrap();
    let mut meta = format.metadata();
    let Some(rev) = meta.skip_to_latest() else {
        return Vec::new();
    };
    rev.media
        .tags
        .iter()
        .filter_map(|t| match &t.raw.value {
            symphonia::core::meta::RawValue::String(s) => Some((t.raw.key.clone(), s.to_string())),
            _ => None,
        })
        .collect()
}

/// Refuses a rate or channel count no real recording has (see [`MAX_RATE`]).
fn check_shape(name: &str, rate: Option<u32>, channels: Option<usize>) -> Result<()> {
    if let Some(r) = rate.filter(|r| *r == 0 || *r > MAX_RATE) {
        return Err(problem(name, "audio-rate", format!("{r} Hz")));
    }
    if let Some(c) = channels.filter(|c| *c == 0 || *c > MAX_CHANNELS) {
        return Err(problem(name, "audio-channels", c.to_string()));
    }
    Ok(())
}

fn decode_source(
    name: &str,
    source: Box<dyn symphonia::core::io::MediaSource>,
    len: u64,
    hint: Hint,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Pcm> {
    let mut samples: Vec<f32> = Vec::new();
    let shape = stream_source(
        name,
        source,
        len,
        hint,
        &mut |_, chunk| {
            if samples.len().saturating_add(chunk.len()) > MAX_DECODED_SAMPLES {
                return Err(problem(
                    name,
                    "audio-too-large",
                    format!("{} MB", MAX_DECODED_SAMPLES * 4 / (1 << 20)),
                ));
            }
            samples.extend_from_slice(chunk);
            Ok(())
        },
        progress,
    )?;
    Ok(Pcm {
        rate: shape.rate,
        channels: shape.channels,
        samples,
    })
}

/// A stream's rate and channel count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub rate: u32,
    pub channels: u16,
    /// The stream's length in frames, when the file says.
    pub frames: Option<u64>,
}

/// Decodes a file a packet at a time: `sink` gets the stream's shape and
/// each packet's interleaved samples, and nothing is held (an hour-long
/// take goes through in a few megabytes). Same checks as [`decode_file`].
pub fn stream_file(
    path: &Path,
    sink: &mut dyn FnMut(Shape, &[f32]) -> Result<()>,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Shape> {
    let (name, file, len, hint) = open(path)?;
    stream_source(&name, Box::new(file), len, hint, sink, progress)
}

fn stream_source(
    name: &str,
    source: Box<dyn symphonia::core::io::MediaSource>,
    len: u64,
    hint: Hint,
    sink: &mut dyn FnMut(Shape, &[f32]) -> Result<()>,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Shape> {
    if len == 0 {
        return Err(problem(name, "audio-empty", ""));
    }
    check_len(name, ImportKind::Audio, len)?;
    let budget = MAX_DECODED_SAMPLES
        .min(RATIO_ALLOWANCE.saturating_add((len as usize).saturating_mul(MAX_SAMPLES_PER_BYTE)));
    let mss = MediaSourceStream::new(source, MediaSourceStreamOptions::default());
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| problem(name, "audio-unsupported", e.to_string()))?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| problem(name, "audio-unsupported", "no audio track"))?;
    let track_id = track.id;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| problem(name, "audio-unsupported", "no audio codec"))?
        .clone();
    check_shape(
        name,
        params.sample_rate,
        params.channels.as_ref().map(|c| c.count()),
    )?;
    let frames = track.num_frames;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| problem(name, "audio-unsupported", e.to_string()))?;
    let mut shape: Option<Shape> = None;
    let mut decoded = 0usize;
    let mut chunk: Vec<f32> = Vec::new();
    let mut bad_packets = 0u32;
    let mut packets = 0u64;
    let seconds = |decoded: usize, s: Option<Shape>| {
        s.map_or(0.0, |s| {
            decoded as f64 / f64::from(s.channels.max(1)) / f64::from(s.rate.max(1))
        })
    };
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            // A truncated file ends early: keep what decoded.
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(problem(name, "audio-corrupt", e.to_string())),
        };
        if packet.track_id != track_id {
            continue;
        }
        packets += 1;
        match decoder.decode(&packet) {
            Ok(buf) => {
                let spec = buf.spec();
                check_shape(name, Some(spec.rate()), Some(spec.channels().count()))?;
                let now = Shape {
                    rate: spec.rate(),
                    channels: spec.channels().count() as u16,
                    frames,
                };
                match shape {
                    None => shape = Some(now),
                    Some(s) if s != now => {
                        return Err(problem(name, "audio-corrupt", "format changes mid-stream"))
                    }
                    Some(_) => {}
                }
                if decoded.saturating_add(buf.samples_interleaved()) > budget {
                    return Err(problem(
                        name,
                        "audio-too-large",
                        format!("{} MB", budget * 4 / (1 << 20)),
                    ));
                }
                chunk.resize(buf.samples_interleaved(), 0.0);
                buf.copy_to_slice_interleaved(&mut chunk);
                // Decoders may overshoot slightly; clean non-finite values so
                // DSP stays sane.
                for s in &mut chunk {
                    if !s.is_finite() {
                        *s = 0.0;
                    }
                }
                decoded += chunk.len();
                if seconds(decoded, shape) > MAX_SECONDS as f64 {
                    return Err(problem(
                        name,
                        "audio-too-long",
                        format!("{} h", MAX_SECONDS / 3600),
                    ));
                }
                sink(now, &chunk)?;
            }
            // One damaged frame is skipped, as players do; a file of them is not audio.
            Err(SymError::DecodeError(_)) => {
                bad_packets += 1;
                if bad_packets > 50 && bad_packets as u64 * 2 > packets {
                    return Err(problem(name, "audio-corrupt", "too many damaged frames"));
                }
            }
            Err(e) => return Err(problem(name, "audio-corrupt", e.to_string())),
        }
        if packets.is_multiple_of(64) {
            // Progress by decoded time against the stream's own length when
            // known, else unknown (0).
            let total = params
                .sample_rate
                .zip(frames)
                .map(|(r, n)| n as f64 / f64::from(r));
            let frac = total
                .map(|t| (seconds(decoded, shape) / t).min(1.0) as f32)
                .unwrap_or(0.0);
            if !progress(frac) {
                return Err(CoreError::Cancelled);
            }
        }
    }
    let Some(shape) = shape.filter(|_| decoded > 0) else {
        return Err(problem(name, "audio-empty", ""));
    };
    progress(1.0);
    Ok(shape)
}
