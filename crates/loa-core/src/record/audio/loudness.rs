//! EBU R128 / ITU-R BS.1770 measurement (the `ebur128` crate): integrated
//! loudness, loudness range and true peak, as broadcast targets state them.

use super::{db, Pcm};
use crate::base::error::{CoreError, Result};
use ebur128::{EbuR128, Mode};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Loudness {
    pub seconds: f64,
    pub rate: u32,
    pub channels: u16,
    /// LUFS; None for silence (below the −70 LUFS gate).
    pub integrated_lufs: Option<f64>,
    /// LU.
    pub range_lu: f64,
    /// dBTP, the highest over channels; None for digital silence.
    pub true_peak_db: Option<f64>,
    pub sample_peak_db: Option<f64>,
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

pub fn analyze(pcm: &Pcm) -> Result<Loudness> {
    let err = |e: ebur128::Error| CoreError::DataFile {
        name: "audio".into(),
        line: None,
        detail: e.to_string(),
    };
    let mut m = EbuR128::new(
        u32::from(pcm.channels),
        pcm.rate,
        Mode::I | Mode::LRA | Mode::TRUE_PEAK | Mode::SAMPLE_PEAK,
    )
    .map_err(err)?;
    // In blocks, so memory for the internal histogram stays flat.
    let block = usize::from(pcm.channels) * pcm.rate as usize;
    for chunk in pcm.samples.chunks(block.max(1)) {
        m.add_frames_f32(chunk).map_err(err)?;
    }
    let mut tp = 0.0f64;
    let mut sp = 0.0f64;
    for c in 0..u32::from(pcm.channels) {
        tp = tp.max(m.true_peak(c).map_err(err)?);
        sp = sp.max(m.sample_peak(c).map_err(err)?);
    }
    Ok(Loudness {
        seconds: pcm.seconds(),
        rate: pcm.rate,
        channels: pcm.channels,
        integrated_lufs: finite(m.loudness_global().map_err(err)?),
        range_lu: m.loudness_range().map_err(err)?,
        true_peak_db: finite(db(tp)),
        sample_peak_db: finite(db(sp)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::audio::test_signals::sine;

    #[test]
    fn ebu_tech_3341_reference_levels() {
        // Tech 3341 case 1: 1 kHz sine at −23 dBFS in both channels reads
        // −23 LUFS; case 2 at −33 dBFS reads −33.
        for level in [-23.0, -33.0] {
            let l = analyze(&sine(1000.0, level as f32, 20.0, 48_000, 2)).unwrap();
            let i = l.integrated_lufs.unwrap();
            assert!((i - level).abs() < 0.1, "{level}: {i}");
            assert!((l.true_peak_db.unwrap() - level).abs() < 0.2);
        }
        let silent = analyze(&Pcm {
            rate: 48_000,
            channels: 1,
            samples: vec![0.0; 48_000],
        })
        .unwrap();
        assert_eq!(silent.integrated_lufs, None);
        assert_eq!(silent.true_peak_db, None);
    }
}
