//! Broadcast-ready rendering: mono → high-pass → silence trim → resample →
//! loudness normalization → true-peak limiting → MP3 (LAME, CBR) or WAV.

use super::dsp;
use super::loudness::{analyze, Loudness};
use super::{from_db, Pcm};
use crate::base::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RenderFormat {
    Mp3,
    Wav,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenderOptions {
    /// Integrated loudness to reach: −16 LUFS for loudspeakers and IP radio,
    /// −23 LUFS (EBU R128) for FM.
    pub target_lufs: f64,
    /// Ceiling in dBTP.
    pub true_peak_db: f64,
    pub format: RenderFormat,
    /// MP3 CBR bitrate in kbit/s.
    pub bitrate_kbps: u32,
    pub rate: u32,
    /// Horn loudspeakers: cut below this (Hz); None keeps everything.
    #[ts(optional)]
    pub high_pass_hz: Option<f32>,
    pub trim_silence: bool,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub artist: String,
    #[serde(default)]
    pub album: String,
    /// Recording date (YYYY-MM-DD), written to the ID3 tag.
    #[serde(default)]
    pub date: String,
    /// ISO 639 code of the language read, written to the ID3 tag.
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub comment: String,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            target_lufs: -16.0,
            true_peak_db: -1.0,
            format: RenderFormat::Mp3,
            bitrate_kbps: 64,
            rate: 44_100,
            high_pass_hz: None,
            trim_silence: false,
            title: String::new(),
            artist: String::new(),
            album: String::new(),
            date: String::new(),
            language: String::new(),
            comment: String::new(),
        }
    }
}

/// How audio is rendered for a station's equipment: the one definition the
/// package builder, a take's export and the UI's loudness target all use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "PackageProfile")]
pub enum Profile {
    /// Horn loudspeakers and IP speakers: −16 LUFS, 120 Hz high-pass, 64 kbit/s.
    #[default]
    Speaker,
    /// FM transmitters: −23 LUFS (EBU R128), full band, 128 kbit/s.
    Fm,
}

/// A profile's figures, for the UI to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInfo {
    pub profile: Profile,
    pub target_lufs: f64,
    /// A reading within this many LU of the target meets it (EBU R128's
    /// tolerance for programmes).
    pub tolerance_lu: f64,
    /// The true-peak ceiling, dBTP.
    pub true_peak_db: f64,
    pub format: RenderFormat,
    pub bitrate_kbps: u32,
}

impl ProfileInfo {
    /// Whether audio measured at `lufs` with peaks at `true_peak_db` is
    /// ready for this profile as it is.
    pub fn meets(&self, lufs: Option<f64>, true_peak_db: Option<f64>) -> bool {
        lufs.is_some_and(|l| (l - self.target_lufs).abs() <= self.tolerance_lu)
            && true_peak_db.unwrap_or(0.0) <= self.true_peak_db
    }
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Speaker, Profile::Fm];

    /// The rendering of this profile. Silence is not trimmed: a take's own
    /// edit already trimmed it, and trimming again would shift a
    /// transcript's times off the subtitles.
    pub fn options(self) -> RenderOptions {
        let (target_lufs, high_pass_hz, bitrate_kbps) = match self {
            Profile::Speaker => (-16.0, Some(120.0), 64),
            Profile::Fm => (-23.0, None, 128),
        };
        RenderOptions {
            target_lufs,
            true_peak_db: -1.0,
            format: RenderFormat::Mp3,
            bitrate_kbps,
            rate: 44_100,
            high_pass_hz,
            trim_silence: false,
            ..RenderOptions::default()
        }
    }

    pub fn info(self) -> ProfileInfo {
        let o = self.options();
        ProfileInfo {
            profile: self,
            target_lufs: o.target_lufs,
            tolerance_lu: 1.0,
            true_peak_db: o.true_peak_db,
            format: o.format,
            bitrate_kbps: o.bitrate_kbps,
        }
    }
}

const BITRATES: &[u32] = &[
    32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
const RATES: &[u32] = &[16_000, 22_050, 24_000, 32_000, 44_100, 48_000];

fn validate(opts: &RenderOptions) -> Result<()> {
    if !(-40.0..=-5.0).contains(&opts.target_lufs) {
        return Err(CoreError::invalid("target-lufs", "out-of-range"));
    }
    if !(-9.0..=0.0).contains(&opts.true_peak_db) {
        return Err(CoreError::invalid("true-peak", "out-of-range"));
    }
    if !RATES.contains(&opts.rate) {
        return Err(CoreError::invalid("sample-rate", "unsupported"));
    }
    if opts.format == RenderFormat::Mp3 && !BITRATES.contains(&opts.bitrate_kbps) {
        return Err(CoreError::invalid("bitrate", "unsupported"));
    }
    Ok(())
}

/// The processed mono signal, before encoding.
pub fn process(input: &Pcm, opts: &RenderOptions) -> Result<Pcm> {
    fit(
        &prepare(input, opts)?,
        opts.target_lufs,
        opts.true_peak_db - 0.3,
    )
}

/// The signal before normalization, with its measured loudness.
struct Prepared {
    pcm: Pcm,
    lufs: f64,
}

/// Mono, high-pass, silence trim, resampling and measuring: the part of
/// processing that does not depend on the limiter's ceiling.
fn prepare(input: &Pcm, opts: &RenderOptions) -> Result<Prepared> {
    validate(opts)?;
    let mono = input.to_mono();
    let mut x = mono.samples;
    if let Some(hz) = opts.high_pass_hz {
        dsp::high_pass(&mut x, mono.rate, hz);
    }
    if opts.trim_silence {
        match dsp::sound_span(&x, mono.rate, -45.0, 0.3) {
            Some((a, b)) => x = x[a..b].to_vec(),
            None => return Err(CoreError::invalid("audio", "silent")),
        }
    }
    let pcm = Pcm {
        rate: opts.rate,
        channels: 1,
        samples: dsp::resample(&x, mono.rate, opts.rate)?,
    };
    let lufs = analyze(&pcm)?
        .integrated_lufs
        .ok_or(CoreError::invalid("audio", "silent"))?;
    Ok(Prepared { pcm, lufs })
}

/// Loudness normalization under a true-peak ceiling (dBTP).
fn fit(prepared: &Prepared, target_lufs: f64, ceiling_db: f64) -> Result<Pcm> {
    let mut out = Pcm {
        rate: prepared.pcm.rate,
        channels: 1,
        samples: Vec::new(),
    };
    // The limiter takes loudness off the peaks, the more so the more gain
    // goes in, so output loudness grows slower than gain. Secant steps on
    // the measured (gain, loudness) pairs get closer in the same three
    // passes than adding the shortfall each time did.
    let ceiling = from_db(ceiling_db) as f32;
    let first = target_lufs - prepared.lufs;
    let run = |gain_db: f64, out: &mut Pcm| -> Result<f64> {
        let g = from_db(gain_db) as f32;
        out.samples = prepared.pcm.samples.iter().map(|s| s * g).collect();
        dsp::limit(&mut out.samples, out.rate, ceiling, 0.005, 0.1);
        Ok(analyze(out)?.integrated_lufs.unwrap_or(target_lufs))
    };
    let (mut g0, mut l0) = (first, run(first, &mut out)?);
    let mut g1 = g0 + (target_lufs - l0);
    for _ in 0..2 {
        if (target_lufs - l0).abs() < 0.1 {
            break;
        }
        // Past +12 dB of make-up the limiter would flatten the speech; the
        // render stays quieter than asked rather than sound crushed.
        g1 = g1.min(first + 12.0);
        let l1 = run(g1, &mut out)?;
        if (target_lufs - l1).abs() < 0.1 || (g1 - g0).abs() < 1e-3 {
            break;
        }
        let slope = ((l1 - l0) / (g1 - g0)).clamp(0.05, 1.0);
        (g0, l0) = (g1, l1);
        g1 += (target_lufs - l1) / slope;
    }
    Ok(out)
}

/// Renders and encodes; returns the file bytes and the measurement of what
/// a listener gets (for MP3: the file decoded again).
///
/// A lossy encoder adds its own overshoot on top of the limited signal
/// (over 1 dB at 64 kbit/s on noisy speech), so an MP3 is decoded and
/// measured, and rendered again under a lower ceiling until its true peak
/// is within the target.
pub fn render(input: &Pcm, opts: &RenderOptions) -> Result<(Vec<u8>, Loudness)> {
    render_with(input, opts, &mut |_| true)
}

/// [`render`], reporting how far it got (0…1) between its steps; a report
/// answered with false stops it with [`CoreError::Cancelled`].
pub fn render_with(
    input: &Pcm,
    opts: &RenderOptions,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<(Vec<u8>, Loudness)> {
    let mut step = |done: f32| {
        if progress(done) {
            Ok(())
        } else {
            Err(CoreError::Cancelled)
        }
    };
    step(0.0)?;
    let prepared = prepare(input, opts)?;
    step(0.3)?;
    let mut ceiling = opts.true_peak_db - 0.3;
    // Each pass takes what is left in turn; one pass is the rule.
    for pass in 0..4 {
        let base = 0.3 + 0.7 * (1.0 - 0.5f32.powi(pass));
        let share = 0.7 * 0.5f32.powi(pass + 1);
        let out = fit(&prepared, opts.target_lufs, ceiling)?;
        step(base + share * 0.3)?;
        if opts.format == RenderFormat::Wav {
            let loudness = analyze(&out)?;
            step(1.0)?;
            return Ok((wav(&out)?, loudness));
        }
        let bytes = mp3(&out, opts)?;
        step(base + share * 0.7)?;
        let heard = analyze(&super::decode::decode_bytes("render.mp3", bytes.clone())?)?;
        let over = heard.true_peak_db.unwrap_or(f64::NEG_INFINITY) - opts.true_peak_db;
        if over <= 0.0 {
            step(1.0)?;
            return Ok((bytes, heard));
        }
        ceiling -= over + 0.2;
    }
    Err(CoreError::invalid("true-peak", "out-of-range"))
}

/// 16-bit PCM WAV with triangular dither.
pub fn wav(pcm: &Pcm) -> Result<Vec<u8>> {
    let spec = hound::WavSpec {
        channels: pcm.channels,
        sample_rate: pcm.rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let err = |e: hound::Error| CoreError::DataFile {
        name: "WAV".into(),
        line: None,
        detail: e.to_string(),
    };
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut w = hound::WavWriter::new(&mut cursor, spec).map_err(err)?;
        let mut seed: u32 = 0x1234_5678;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as f32 / u32::MAX as f32
        };
        for s in &pcm.samples {
            let d = rnd() - rnd();
            let v = (s * 32767.0 + d).round().clamp(-32768.0, 32767.0) as i16;
            w.write_sample(v).map_err(err)?;
        }
        w.finalize().map_err(err)?;
    }
    Ok(cursor.into_inner())
}

fn mp3(pcm: &Pcm, opts: &RenderOptions) -> Result<Vec<u8>> {
    if ![32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320].contains(&opts.bitrate_kbps) {
        return Err(CoreError::invalid("bitrate", "unsupported"));
    }
    // LAME's CBR presets scale the input down (0.95 up to 160 kbit/s) to
    // spare low bitrates from clipping. The limiter already keeps the true
    // peak under the ceiling, and the loudness must stay what was measured:
    // pre-scale by the inverse so the product is 1.
    let preset_scale: f32 = match opts.bitrate_kbps {
        0..=160 => 0.95,
        192 => 0.97,
        224 => 0.98,
        _ => 1.0,
    };
    let mut out = super::id3::tag(&super::id3::Tags {
        title: &opts.title,
        artist: &opts.artist,
        album: &opts.album,
        date: &opts.date,
        language: &opts.language,
        comment: &opts.comment,
    });
    out.reserve(pcm.samples.len() / 4);
    super::lame::encode_mono(
        &pcm.samples,
        pcm.rate,
        opts.bitrate_kbps,
        1.0 / preset_scale,
        &mut out,
    )
    .map_err(|e| match e {
        super::lame::Error::Missing(_) => CoreError::invalid("encoder", "no-lame"),
        super::lame::Error::Failed(detail) => CoreError::DataFile {
            name: "MP3".into(),
            line: None,
            detail,
        },
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_reports_its_steps_and_stops_when_asked() {
        let mut seen = Vec::new();
        let (bytes, _) = render_with(&material(), &RenderOptions::default(), &mut |f| {
            seen.push(f);
            true
        })
        .unwrap();
        assert!(!bytes.is_empty());
        assert_eq!(seen.first(), Some(&0.0));
        assert_eq!(seen.last(), Some(&1.0));
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        let mut calls = 0;
        let err = render_with(&material(), &RenderOptions::default(), &mut |_| {
            calls += 1;
            calls < 3
        })
        .unwrap_err();
        assert!(matches!(err, CoreError::Cancelled), "{err:?}");
    }

    #[test]
    fn a_profile_says_whether_audio_meets_it() {
        let fm = Profile::Fm.info();
        assert_eq!(
            (fm.target_lufs, fm.tolerance_lu, fm.true_peak_db),
            (-23.0, 1.0, -1.0)
        );
        assert!(fm.meets(Some(-23.9), Some(-1.5)));
        assert!(!fm.meets(Some(-24.2), Some(-1.5)), "beyond the tolerance");
        assert!(!fm.meets(Some(-23.0), Some(-0.5)), "above the ceiling");
        assert!(!fm.meets(None, None), "silence meets nothing");
    }
    use crate::record::audio::decode::decode_bytes;
    use crate::record::audio::test_signals::{noise, sine};

    /// Speech-like test material: a tone with loud bursts of noise band-
    /// limited to the voice band (as speech is, and as a 64 kbit/s MP3
    /// keeps), stereo at 48 kHz.
    fn material() -> Pcm {
        let tone = sine(220.0, -26.0, 8.0, 48_000, 1).samples;
        let mut burst = noise(2.5, 0.3, 48_000).samples;
        // Four one-pole low-passes at ~3 kHz.
        let a = (-2.0 * std::f32::consts::PI * 3000.0 / 48_000.0).exp();
        for _ in 0..4 {
            let mut y = 0.0f32;
            for v in burst.iter_mut() {
                y = (1.0 - a) * *v + a * y;
                *v = y;
            }
        }
        let mut mono = tone;
        for start in [48_000usize, 150_000, 300_000] {
            for (i, b) in burst.iter().enumerate() {
                mono[start + i] += b;
            }
        }
        Pcm {
            rate: 48_000,
            channels: 2,
            samples: mono.iter().flat_map(|s| [*s, *s]).collect(),
        }
    }

    #[test]
    fn normalizes_to_target_under_the_true_peak_ceiling() {
        for target in [-16.0, -23.0] {
            let opts = RenderOptions {
                target_lufs: target,
                format: RenderFormat::Wav,
                ..Default::default()
            };
            let out = process(&material(), &opts).unwrap();
            let l = analyze(&out).unwrap();
            assert_eq!((out.rate, out.channels), (44_100, 1));
            assert!(
                (l.integrated_lufs.unwrap() - target).abs() < 0.5,
                "{target}: {l:?}"
            );
            assert!(l.true_peak_db.unwrap() <= -1.0, "{l:?}");
        }
    }

    #[test]
    fn mp3_decodes_back_with_duration_and_loudness() {
        let opts = RenderOptions {
            title: "Lịch tiêm chủng".into(),
            artist: "Đài xã Ba Tơ".into(),
            language: "hre".into(),
            date: "2026-11-22".into(),
            ..Default::default()
        };
        let (bytes, measured) = render(&material(), &opts).unwrap();
        let tags = crate::record::audio::decode::tags(bytes.clone());
        for want in [
            ("TIT2", "Lịch tiêm chủng"),
            ("TPE1", "Đài xã Ba Tơ"),
            ("TLAN", "hre"),
            ("TDRC", "2026-11-22"),
        ] {
            assert!(
                tags.iter().any(|(k, v)| (k.as_str(), v.as_str()) == want),
                "{want:?} in {tags:?}"
            );
        }
        assert!(
            bytes.len() > 50_000 && bytes.len() < 80_000,
            "64 kbit/s × 8 s ≈ 64 kB: {}",
            bytes.len()
        );
        let back = decode_bytes("out.mp3", bytes).unwrap();
        let l = analyze(&back).unwrap();
        assert!((l.seconds - 8.0).abs() < 0.1, "{}", l.seconds);
        assert!(
            (l.integrated_lufs.unwrap() - measured.integrated_lufs.unwrap()).abs() < 0.5,
            "{l:?} vs {measured:?}"
        );
        assert!((l.integrated_lufs.unwrap() + 16.0).abs() < 0.5);
        assert!(
            l.true_peak_db.unwrap() <= -1.0,
            "the decoded MP3 keeps the ceiling: {l:?}"
        );
    }

    #[test]
    fn wav_round_trip_and_silence_trim() {
        let mut pcm = sine(440.0, -20.0, 2.0, 22_050, 1);
        let mut padded = vec![0.0f32; 22_050 * 2];
        padded.extend(&pcm.samples);
        padded.extend(vec![0.0f32; 22_050]);
        pcm.samples = padded;
        let opts = RenderOptions {
            format: RenderFormat::Wav,
            trim_silence: true,
            rate: 22_050,
            high_pass_hz: Some(120.0),
            ..Default::default()
        };
        let (bytes, l) = render(&pcm, &opts).unwrap();
        assert!((l.seconds - 2.6).abs() < 0.05, "{}", l.seconds);
        let back = decode_bytes("x.wav", bytes).unwrap();
        assert_eq!(back.rate, 22_050);
        assert!((back.seconds() - l.seconds).abs() < 0.01);
    }

    #[test]
    fn bad_options_and_silence_are_refused() {
        let pcm = sine(440.0, -20.0, 1.0, 48_000, 1);
        for bad in [
            RenderOptions {
                target_lufs: 3.0,
                ..Default::default()
            },
            RenderOptions {
                rate: 12_345,
                ..Default::default()
            },
            RenderOptions {
                bitrate_kbps: 63,
                ..Default::default()
            },
        ] {
            assert_eq!(render(&pcm, &bad).unwrap_err().code(), "invalid");
        }
        let silent = Pcm {
            rate: 48_000,
            channels: 1,
            samples: vec![0.0; 48_000],
        };
        assert_eq!(
            render(&silent, &RenderOptions::default())
                .unwrap_err()
                .code(),
            "invalid"
        );
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        assert_eq!(
            decode_bytes("a.wav", vec![]).unwrap_err().code(),
            "data-row"
        );
        assert_eq!(
            decode_bytes("a.mp3", b"not audio at all, just text".to_vec())
                .unwrap_err()
                .code(),
            "data-row"
        );
        // A WAV cut in the middle decodes what is there.
        let full = wav(&sine(440.0, -20.0, 1.0, 16_000, 1)).unwrap();
        let cut = full[..full.len() / 2].to_vec();
        let back = decode_bytes("cut.wav", cut).unwrap();
        assert!((back.seconds() - 0.5).abs() < 0.05, "{}", back.seconds());
    }
}
