//! `loa audio`: microphones, recording, playback, loudness and rendering.

use crate::ctx::{lines, Ctx, Progress};
use anyhow::Result;
use clap::Subcommand;
use loa_core::record::audio;
use loa_core::CoreError;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum AudioCmd {
    /// Input devices (microphones) this computer has.
    Devices,
    /// Record from a microphone into a WAV file, written to disk as it goes.
    Record {
        out: PathBuf,
        #[arg(long)]
        seconds: f64,
        /// Device id from `loa audio devices` (default: the default input).
        #[arg(long)]
        device: Option<String>,
    },
    /// Repair takes cut off by a crash (`*.recording.wav`) in a folder.
    Recover { dir: PathBuf },
    /// Play an audio file on the default output and wait for its end.
    Play {
        file: PathBuf,
        #[arg(long, default_value_t = 0.0)]
        from: f64,
    },
    /// Duration, sample rate, channels, integrated loudness (LUFS), loudness
    /// range and true peak (EBU R128).
    Analyze { file: PathBuf },
    /// Render broadcast-ready audio: loudness-normalized, true-peak limited,
    /// mono, resampled, MP3 or WAV.
    Render {
        input: PathBuf,
        output: PathBuf,
        /// Integrated loudness: -16 for loudspeakers/IP radio, -23 for FM.
        #[arg(long, default_value_t = -16.0, allow_negative_numbers = true)]
        target: f64,
        #[arg(long, default_value_t = -1.0, allow_negative_numbers = true)]
        true_peak: f64,
        /// Default: from the output's extension.
        #[arg(long, value_parser = ["mp3", "wav"])]
        format: Option<String>,
        /// MP3 bitrate, e.g. 64k.
        #[arg(long, default_value = "64k")]
        bitrate: String,
        #[arg(long, default_value_t = 44_100)]
        rate: u32,
        #[arg(long)]
        trim_silence: bool,
        /// Cut below this frequency (Hz), for horn loudspeakers.
        #[arg(long)]
        high_pass: Option<f32>,
        #[arg(long, default_value = "")]
        title: String,
    },
}

pub fn run(cmd: AudioCmd, _data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    match cmd {
        AudioCmd::Devices => {
            let list = audio::device::input_devices()?;
            ctx.print(&list, || {
                lines(l, &list, |d| {
                    format!(
                        "{} {}  ({})",
                        if d.is_default { "*" } else { " " },
                        d.name,
                        d.id
                    )
                })
            })
        }
        AudioCmd::Record {
            out,
            seconds,
            device,
        } => {
            if !(0.0..=4.0 * 3600.0).contains(&seconds) {
                return Err(CoreError::invalid("seconds", "out-of-range").into());
            }
            let rec = audio::device::Recorder::start(device.as_deref(), &out)?;
            let started = std::time::Instant::now();
            let mut level = audio::device::Level::default();
            // Counted in recorded audio, not wall time: devices can take a
            // moment to start delivering. A device that never does ends it.
            while level.seconds < seconds && started.elapsed().as_secs_f64() < seconds + 10.0 {
                std::thread::sleep(std::time::Duration::from_millis(100));
                level = rec.level();
                if level.device_error.is_some() {
                    break;
                }
            }
            let path = rec.stop()?;
            let out = serde_json::json!({
                "out": path.display().to_string(),
                "seconds": level.seconds,
                "deviceError": level.device_error,
            });
            ctx.print(&out, || {
                format!("{}: {:.1} s", path.display(), level.seconds)
            })
        }
        AudioCmd::Play { file, from } => {
            let pcm = audio::decode_file(&file, &mut |_| true)?;
            let p = audio::playback::Playback::start(pcm, from)?;
            let mut state = p.state();
            while !state.finished {
                std::thread::sleep(std::time::Duration::from_millis(50));
                state = p.state();
            }
            ctx.print(&state, || format!("{:.1} s", state.duration))
        }
        AudioCmd::Recover { dir } => {
            let found = audio::take::recover_all(&dir)?;
            ctx.print(&found, || {
                lines(l, &found, |r| format!("{}: {:.1} s", r.path, r.seconds))
            })
        }
        AudioCmd::Analyze { file } => {
            let pcm = audio::decode_file(&file, &mut |_| true)?;
            let a = audio::analyze(&pcm)?;
            let opt = |v: Option<f64>, unit: &str| {
                v.map(|v| format!("{v:.1} {unit}"))
                    .unwrap_or_else(|| "-inf".into())
            };
            ctx.print(&a, || {
                format!(
                    "{:.2} s, {} Hz, {} ch\nI: {}\nLRA: {:.1} LU\nTP: {}",
                    a.seconds,
                    a.rate,
                    a.channels,
                    opt(a.integrated_lufs, "LUFS"),
                    a.range_lu,
                    opt(a.true_peak_db, "dBTP")
                )
            })
        }
        AudioCmd::Render {
            input,
            output,
            target,
            true_peak,
            format,
            bitrate,
            rate,
            trim_silence,
            high_pass,
            title,
        } => {
            let ext = output
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            let format = match format.as_deref().unwrap_or(ext.as_str()) {
                "wav" => audio::RenderFormat::Wav,
                _ => audio::RenderFormat::Mp3,
            };
            let bitrate_kbps = bitrate
                .trim_end_matches(['k', 'K'])
                .parse()
                .map_err(|_| CoreError::invalid("bitrate", "unsupported"))?;
            let mut bar = Progress::new(ctx, "cli-progress-decoding");
            let pcm = audio::decode_file(&input, &mut |f| bar.set(f))?;
            drop(bar);
            let opts = audio::RenderOptions {
                target_lufs: target,
                true_peak_db: true_peak,
                format,
                bitrate_kbps,
                rate,
                high_pass_hz: high_pass,
                trim_silence,
                title,
                ..Default::default()
            };
            let (bytes, l) = audio::render(&pcm, &opts)?;
            loa_core::base::files::write_atomically(&output, &bytes)?;
            ctx.print(&l, || {
                format!(
                    "{}: {:.2} s, {:.1} LUFS, {:.1} dBTP",
                    output.display(),
                    l.seconds,
                    l.integrated_lufs.unwrap_or(f64::NEG_INFINITY),
                    l.true_peak_db.unwrap_or(f64::NEG_INFINITY)
                )
            })
        }
    }
}
