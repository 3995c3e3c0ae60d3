//! What the speech test binaries share: the real model and clips that
//! `make test` fetches, skipped with a word when they are not there.
#![allow(dead_code)] // each test binary uses its own part

use loa_speech::model;
use loa_speech::transcribe;
use loa_speech::Quantization;
use std::path::{Path, PathBuf};

/// Threads for a test's transcription: every core the test may use
/// (`taskset` included), as a test keeps no window responsive; never more,
/// as ggml's workers spin while they wait and two on one core crawl.
pub fn threads() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get()) as u32
}

pub fn ct2() -> Option<PathBuf> {
    let dir = std::env::var_os("LOA_WHISPER_CT2").map(PathBuf::from);
    if dir.as_ref().is_none_or(|d| !d.join("model.bin").is_file()) {
        eprintln!("skipped: set LOA_WHISPER_CT2 to the model folder (scripts/fetch-model.sh ct2)");
        return None;
    }
    dir
}

pub fn vietnamese_clips() -> Option<Vec<(PathBuf, String)>> {
    let dir = std::env::var_os("LOA_SPEECH_CLIPS").map(PathBuf::from);
    let Some(dir) = dir.filter(|d| d.is_dir()) else {
        eprintln!("skipped: set LOA_SPEECH_CLIPS (scripts/fetch-speech-clips.sh)");
        return None;
    };
    let mut clips: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .map(|wav| {
            let text = std::fs::read_to_string(wav.with_extension("txt")).unwrap();
            (wav, text.trim().to_string())
        })
        .collect();
    clips.sort();
    assert!(clips.len() >= 6, "{clips:?}");
    Some(clips)
}

/// The model converted to q8_0 and installed in a fresh data folder.
pub fn installed(src: &Path) -> (tempfile::TempDir, PathBuf) {
    let data = tempfile::tempdir().unwrap();
    model::import(
        data.path(),
        src,
        "base",
        Some(Quantization::Q8_0),
        &mut |_| true,
    )
    .unwrap();
    let path = model::path(data.path(), "base").unwrap();
    (data, path)
}

pub fn speech_of(clips: &[(PathBuf, String)]) -> Vec<Vec<f32>> {
    clips
        .iter()
        .map(|(wav, _)| {
            let pcm = loa_core::record::audio::decode_file(wav, &mut |_| true).unwrap();
            transcribe::prepare(&pcm).unwrap()
        })
        .collect()
}
