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
    decode_source(&name, Box::new(file), len, hint, progress)
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
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| problem(name, "audio-unsupported", e.to_string()))?;
    let mut pcm = Pcm {
        rate: 0,
        channels: 0,
        samples: Vec::new(),
    };
    let mut chunk: Vec<f32> = Vec::new();
    let mut bad_packets = 0u32;
    let mut packets = 0u64;
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
                let (rate, ch) = (spec.rate(), spec.channels().count() as u16);
                if pcm.rate == 0 {
                    pcm.rate = rate;
                    pcm.channels = ch;
                } else if pcm.rate != rate || pcm.channels != ch {
                    return Err(problem(name, "audio-corrupt", "format changes mid-stream"));
                }
                if pcm.samples.len().saturating_add(buf.samples_interleaved()) > budget {
                    return Err(problem(
                        name,
                        "audio-too-large",
                        format!("{} MB", budget * 4 / (1 << 20)),
                    ));
                }
                chunk.resize(buf.samples_interleaved(), 0.0);
                buf.copy_to_slice_interleaved(&mut chunk);
                pcm.samples.extend_from_slice(&chunk);
                if pcm.seconds() > MAX_SECONDS as f64 {
                    return Err(problem(
                        name,
                        "audio-too-long",
                        format!("{} h", MAX_SECONDS / 3600),
                    ));
                }
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
            let done = pcm.seconds();
            // Progress by decoded time against the stream's own length when
            // known, else unknown (0).
            let total = params
                .sample_rate
                .zip(
                    format
                        .default_track(TrackType::Audio)
                        .and_then(|t| t.num_frames),
                )
                .map(|(r, n)| n as f64 / f64::from(r));
            let frac = total.map(|t| (done / t).min(1.0) as f32).unwrap_or(0.0);
            if !progress(frac) {
                return Err(CoreError::Cancelled);
            }
        }
    }
    if pcm.samples.is_empty() || pcm.rate == 0 {
        return Err(problem(name, "audio-empty", ""));
    }
    // Decoders may overshoot slightly; clean non-finite values so DSP stays sane.
    for s in &mut pcm.samples {
        if !s.is_finite() {
            *s = 0.0;
        }
    }
    progress(1.0);
    Ok(pcm)
}
