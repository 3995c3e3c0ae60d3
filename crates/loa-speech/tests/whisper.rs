//! The importer and the transcriber on a real model: the Whisper base model
//! in CTranslate2 form (what `scripts/fetch-model.sh` fetches; `make test`
//! sets LOA_WHISPER_CT2), converted here by our own importer, must hear
//! synthesized English word for word. Without the model the tests say so
//! and do nothing.

use loa_speech::model;
use loa_speech::transcribe::{self, TranscribeOptions};
use loa_speech::Quantization;
use std::path::{Path, PathBuf};
use std::process::Command;

fn ct2() -> Option<PathBuf> {
    let dir = std::env::var_os("LOA_WHISPER_CT2").map(PathBuf::from);
    if dir.as_ref().is_none_or(|d| !d.join("model.bin").is_file()) {
        eprintln!("skipped: set LOA_WHISPER_CT2 to the model folder (scripts/fetch-model.sh ct2)");
        return None;
    }
    dir
}

/// espeak-ng reads `text` into a WAV file.
fn speak(voice: &str, text: &str, out: &Path) {
    let ok = Command::new("espeak-ng")
        .args(["-v", voice, "-s", "150", "-w"])
        .arg(out)
        .arg(text)
        .status()
        .expect("espeak-ng is installed by scripts/setup.sh test");
    assert!(ok.success());
}

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn transcribe_file(model: &Path, wav: &Path, lang: &str) -> transcribe::Transcript {
    let pcm = loa_core::audio::decode_file(wav, &mut |_| true).unwrap();
    let samples = transcribe::prepare(&pcm).unwrap();
    let opts = TranscribeOptions {
        lang: lang.into(),
        threads: Some(2),
        ..Default::default()
    };
    let mut calls = 0;
    let t = transcribe::transcribe(model, &samples, &opts, &mut |_| {
        calls += 1;
        true
    })
    .unwrap();
    assert!(calls > 0, "progress is reported");
    t
}

#[test]
fn converted_models_hear_english_word_for_word_and_can_be_cancelled() {
    let Some(src) = ct2() else { return };
    let data = tempfile::tempdir().unwrap();
    let mut steps = 0;
    let m = model::import(
        data.path(),
        &src,
        "base-q8",
        Some(Quantization::Q8_0),
        &mut |_| {
            steps += 1;
            true
        },
    )
    .unwrap();
    assert!(steps > 100, "conversion reports progress per tensor");
    assert_eq!(
        (m.size.as_str(), m.multilingual, m.quantization),
        ("base", true, Some(Quantization::Q8_0))
    );
    // q8_0 is about half of f16 (145 MB as CTranslate2 f16).
    assert!(m.bytes > 60_000_000 && m.bytes < 100_000_000, "{}", m.bytes);

    let text = "Please wash your hands with soap before every meal. \
                The health station opens early in the morning.";
    let wav = data.path().join("en.wav");
    speak("en", text, &wav);
    let path = model::path(data.path(), "base-q8").unwrap();
    let t = transcribe_file(&path, &wav, "en");
    assert_eq!(words(&t.text()), words(text), "{t:?}");
    let first = &t.segments[0];
    assert!(first.start < 1.0 && first.end > first.start && first.confidence > 0.5);

    // Cancelling stops it with Cancelled and nothing else.
    let pcm = loa_core::audio::decode_file(&wav, &mut |_| true).unwrap();
    let samples = transcribe::prepare(&pcm).unwrap();
    let err = transcribe::transcribe(&path, &samples, &TranscribeOptions::default(), &mut |_| {
        false
    })
    .unwrap_err();
    assert_eq!(err.code(), "cancelled");
}

#[test]
fn a_broken_model_directory_is_refused_and_leaves_nothing() {
    let Some(src) = ct2() else { return };
    let data = tempfile::tempdir().unwrap();
    let broken = data.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    let bytes = std::fs::read(src.join("model.bin")).unwrap();
    std::fs::write(broken.join("model.bin"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::copy(src.join("vocabulary.txt"), broken.join("vocabulary.txt")).unwrap();
    let err = model::import(data.path(), &broken, "broken", None, &mut |_| true).unwrap_err();
    assert_eq!(err.code(), "data-row");
    assert!(model::list(data.path()).unwrap().is_empty());
    assert!(!model::path(data.path(), "broken")
        .unwrap()
        .with_extension("part")
        .exists());
}
