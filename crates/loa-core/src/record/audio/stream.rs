//! A take as transcription hears it (decoded, edited, mono, resampled),
//! produced a packet at a time so an hour-long recording never sits whole
//! in memory. The result equals the in-memory path sample for sample:
//! [`super::edit::Edit::apply`] then [`super::Pcm::to_mono`] then
//! [`super::dsp::resample`].

use super::decode::{stream_file, Shape};
use super::dsp::Resampling;
use super::edit::{Edit, EditStream};
use crate::base::error::Result;
use std::path::Path;

/// Streams the file at `path` with `edit` applied, mixed to mono and
/// resampled to `rate`, into `sink`. `progress` gets the fraction decoded
/// and returns false to stop ([`crate::CoreError::Cancelled`]).
pub fn mono_at(
    path: &Path,
    edit: &Edit,
    rate: u32,
    sink: &mut dyn FnMut(&[f32]) -> Result<()>,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<()> {
    // Made once the first packet tells the stream's shape.
    let mut stages: Option<(EditStream, Resampling, usize)> = None;
    let mut mono: Vec<f32> = Vec::new();
    stream_file(
        path,
        &mut |shape: Shape, samples: &[f32]| {
            if stages.is_none() {
                // The stream's own end bounds the last stretch: a length
                // the file claims may be an estimate.
                stages = Some((
                    edit.stream(shape.rate, shape.channels, None),
                    Resampling::new(shape.rate, rate)?,
                    usize::from(shape.channels.max(1)),
                ));
            }
            let Some((cut, resampling, ch)) = stages.as_mut() else {
                return Ok(());
            };
            cut.push(samples, &mut |kept: &[f32]| {
                mono.clear();
                super::mix_to_mono(kept, *ch, &mut mono);
                resampling.push(&mono, sink)
            })
        },
        progress,
    )?;
    if let Some((mut cut, mut resampling, ch)) = stages {
        cut.finish(&mut |kept: &[f32]| {
            mono.clear();
            super::mix_to_mono(kept, ch, &mut mono);
            resampling.push(&mono, sink)
        })?;
        resampling.finish(sink)?;
    }
    Ok(())
}

/// The first `seconds` of [`mono_at`]: decoding stops soon after, so the
/// head of an hour-long take costs what a short take does. Shorter audio
/// comes back whole.
pub fn mono_head(
    path: &Path,
    edit: &Edit,
    rate: u32,
    seconds: f64,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Vec<f32>> {
    let want = (seconds.max(0.0) * f64::from(rate)) as usize;
    let mut head: Vec<f32> = Vec::new();
    let enough = std::cell::Cell::new(want == 0);
    let streamed = mono_at(
        path,
        edit,
        rate,
        &mut |s: &[f32]| {
            let take = want.saturating_sub(head.len()).min(s.len());
            head.extend_from_slice(&s[..take]);
            enough.set(head.len() >= want);
            Ok(())
        },
        // Stopping the decoder is how the rest is skipped.
        &mut |f| !enough.get() && progress(f),
    );
    match streamed {
        Err(crate::CoreError::Cancelled) if enough.get() => Ok(head),
        other => other.map(|()| head),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::audio::edit::Span;
    use crate::record::audio::{dsp, test_signals::noise, Pcm};

    #[test]
    fn streamed_equals_decoded_edited_mixed_and_resampled_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let mono = noise(0.4, 4.0, 44_100);
        // Stereo with different channels, so the mix is not a copy.
        let mut samples = Vec::new();
        for (i, s) in mono.samples.iter().enumerate() {
            samples.push(*s);
            samples.push(0.5 * s + 0.001 * (i % 17) as f32);
        }
        let pcm = Pcm {
            rate: 44_100,
            channels: 2,
            samples,
        };
        let path = dir.path().join("take.wav");
        std::fs::write(&path, crate::record::audio::render::wav(&pcm).unwrap()).unwrap();
        let decoded = crate::record::audio::decode_file(&path, &mut |_| true).unwrap();
        for edit in [
            Edit::default(),
            Edit {
                start: 0.3,
                end: Some(3.5),
                cuts: vec![Span { from: 1.0, to: 1.7 }],
            },
        ] {
            let want =
                dsp::resample(&edit.apply(&decoded).to_mono().samples, 44_100, 16_000).unwrap();
            let mut got = Vec::new();
            mono_at(
                &path,
                &edit,
                16_000,
                &mut |s| {
                    got.extend_from_slice(s);
                    Ok(())
                },
                &mut |_| true,
            )
            .unwrap();
            assert_eq!(got.len(), want.len());
            assert!(got == want, "{edit:?}");
            let head = mono_head(&path, &edit, 16_000, 1.5, &mut |_| true).unwrap();
            assert!(head[..] == want[..24_000], "{edit:?}");
            let all = mono_head(&path, &edit, 16_000, 60.0, &mut |_| true).unwrap();
            assert!(all == want, "shorter audio comes back whole");
        }
    }
}
