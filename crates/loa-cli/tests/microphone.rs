//! Recording from a real (virtual) microphone: PulseAudio with a null sink
//! whose monitor is the default source, as `make test` starts it. What
//! `paplay` plays into the sink must come back out of `loa audio record`.
//! Without LOA_AUDIO_DEVICE_TESTS=1 (no sound server) these tests say so
//! and do nothing.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One virtual microphone for all: tests take turns, or one would record
/// the other's signal.
static DEVICE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn enabled() -> bool {
    let on = std::env::var("LOA_AUDIO_DEVICE_TESTS").is_ok_and(|v| v == "1");
    if !on {
        eprintln!("skipped: set LOA_AUDIO_DEVICE_TESTS=1 with PulseAudio running (make test does)");
    }
    on
}

fn loa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_loa"));
    c.env("LANG", "C");
    c
}

const RATE: u32 = 48_000;

/// A 1.5 s chirp from 300 Hz to 3 kHz: its correlation peak is sharp.
fn chirp() -> Vec<f32> {
    let n = (1.5 * RATE as f64) as usize;
    let (f0, f1, t1) = (300.0f64, 3000.0f64, 1.5f64);
    (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(RATE);
            let phase = 2.0 * std::f64::consts::PI * (f0 * t + (f1 - f0) * t * t / (2.0 * t1));
            (0.5 * phase.sin()) as f32
        })
        .collect()
}

fn write_wav(path: &Path, samples: &[f32]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for s in samples {
        w.write_sample((s * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
}

fn read_mono(path: &Path) -> (u32, Vec<f32>) {
    let mut r = hound::WavReader::open(path).unwrap();
    let spec = r.spec();
    let ch = spec.channels as usize;
    let s: Vec<f32> = r
        .samples::<i16>()
        .map(|v| f32::from(v.unwrap()) / 32768.0)
        .collect();
    (
        spec.sample_rate,
        s.chunks_exact(ch)
            .map(|f| f.iter().sum::<f32>() / ch as f32)
            .collect(),
    )
}

/// Waits until the take being recorded holds `seconds` of audio.
fn wait_for_audio(recording: &Path, bytes_per_second: u64, seconds: f64) {
    let start = Instant::now();
    loop {
        let len = std::fs::metadata(recording).map(|m| m.len()).unwrap_or(0);
        if len > 44 + (seconds * bytes_per_second as f64) as u64 {
            return;
        }
        // A guard against a dead device only, not a timing claim.
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the microphone delivered nothing"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn what_is_played_is_recorded() {
    if !enabled() {
        return;
    }
    let _turn = DEVICE.lock().unwrap_or_else(|p| p.into_inner());
    // paplay: the recording path alone.
    played_comes_back(|src| {
        Command::new("paplay")
            .args(["--device=virt", src.to_str().unwrap()])
            .status()
            .unwrap()
    });
}

#[test]
fn what_loa_plays_is_recorded() {
    if !enabled() {
        return;
    }
    let _turn = DEVICE.lock().unwrap_or_else(|p| p.into_inner());
    // The app's own player (rodio) on the default output, the null sink.
    played_comes_back(|src| {
        loa()
            .args(["audio", "play", src.to_str().unwrap()])
            .stdout(Stdio::null())
            .status()
            .unwrap()
    });
}

fn played_comes_back(play: impl Fn(&Path) -> std::process::ExitStatus) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("chirp.wav");
    let signal = chirp();
    write_wav(&src, &signal);
    let out = dir.path().join("take.wav");
    let mut rec = loa()
        .args(["audio", "record", out.to_str().unwrap(), "--seconds", "3.5"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // The first callback has arrived before anything is played.
    wait_for_audio(&dir.path().join("take.recording.wav"), 1, 0.0);
    assert!(play(&src).success());
    assert!(rec.wait().unwrap().success());
    let (rate, got) = read_mono(&out);
    assert_eq!(rate, RATE, "the null sink runs at 48 kHz");
    // Normalized cross-correlation around the onset.
    let onset = got
        .iter()
        .position(|s| s.abs() > 0.05)
        .expect("something was recorded");
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    let sn = norm(&signal);
    let mut best = 0.0f64;
    for lag in onset.saturating_sub(2000)..onset + 2000 {
        if lag + signal.len() > got.len() {
            break;
        }
        let w = &got[lag..lag + signal.len()];
        let dot: f64 = w
            .iter()
            .zip(&signal)
            .map(|(a, b)| f64::from(*a) * f64::from(*b))
            .sum();
        best = best.max(dot / (norm(w) * sn));
    }
    assert!(best > 0.95, "correlation {best}");
}

#[test]
fn a_take_killed_mid_recording_is_recovered() {
    if !enabled() {
        return;
    }
    let _turn = DEVICE.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("killed.wav");
    let mut rec = loa()
        .args(["audio", "record", out.to_str().unwrap(), "--seconds", "60"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let recording = dir.path().join("killed.recording.wav");
    // 48 kHz stereo 16-bit: 192 000 bytes a second.
    wait_for_audio(&recording, 192_000, 2.5);
    rec.kill().unwrap(); // SIGKILL: no chance to close the file
    rec.wait().unwrap();
    let o = loa()
        .args(["audio", "recover", dir.path().to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let found: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let secs = found[0]["seconds"].as_f64().unwrap();
    assert!(secs >= 1.5, "recovered up to the last checkpoint: {secs}");
    let a = loa()
        .args(["audio", "analyze", out.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(a.status.success());
    let a: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert!((a["seconds"].as_f64().unwrap() - secs).abs() < 0.01);
}

fn pactl(args: &[&str]) -> String {
    let o = Command::new("pactl").args(args).output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The virtual microphone's module is unloaded mid-take, which is what
/// PulseAudio does when a USB microphone is pulled out.
#[test]
fn an_unplugged_microphone_ends_the_take_and_keeps_it() {
    if !enabled() {
        return;
    }
    let _turn = DEVICE.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("unplugged.wav");
    let rec = loa()
        .args(["audio", "record", out.to_str().unwrap(), "--seconds", "60"])
        .arg("--json")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_audio(&dir.path().join("unplugged.recording.wav"), 192_000, 1.5);
    let module = pactl(&["list", "short", "modules"])
        .lines()
        .find(|l| l.contains("module-null-sink"))
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .expect("the virtual microphone is loaded");
    pactl(&["unload-module", &module]);
    let o = rec.wait_with_output().unwrap();
    // Plug it back in for the tests that follow.
    pactl(&[
        "load-module",
        "module-null-sink",
        "sink_name=virt",
        "rate=48000",
        "channels=2",
    ]);
    pactl(&["set-default-sink", "virt"]);
    pactl(&["set-default-source", "virt.monitor"]);

    assert!(o.status.success(), "a lost device is not a crash");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["deviceError"].is_string(), "the loss is reported: {v}");
    let secs = v["seconds"].as_f64().unwrap();
    assert!((1.0..30.0).contains(&secs), "{v}");
    let a = loa()
        .args(["audio", "analyze", out.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(a.status.success(), "what was recorded is a whole WAV file");
    let a: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert!(
        (a["seconds"].as_f64().unwrap() - secs).abs() < 0.2,
        "{a} vs {v}"
    );
}
