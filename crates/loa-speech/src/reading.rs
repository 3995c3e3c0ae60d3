//! Transcribing a reading of a script: which model, which spoken language,
//! which options. The app and the `loa` CLI both ask here, so the rules
//! live once: only Vietnamese has a speech model, the beam, threads and the
//! term prompt come from the station's settings, and the default model is
//! used when none is named.

use crate::model;
use crate::transcribe::TranscribeOptions;
use loa_core::base::settings;
use loa_core::record::transcript;
use loa_core::translate::translation::SOURCE_LANG;
use loa_core::{CoreError, Db, Result};
use std::path::{Path, PathBuf};

/// What the caller may choose over the settings.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// A model by name; default: the default model.
    pub model: Option<String>,
    pub beam: Option<u32>,
    pub threads: Option<u32>,
}

/// A transcription ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub model: String,
    pub model_path: PathBuf,
    pub options: TranscribeOptions,
}

/// Whisper's code for a language of the registry: only Vietnamese has a
/// model that knows it.
pub fn whisper_lang(lang: &str) -> Result<&'static str> {
    if lang == SOURCE_LANG {
        Ok("vi")
    } else {
        Err(CoreError::invalid("language", "no-speech-model"))
    }
}

/// The threads this station's settings give speech work: never more than
/// cores − 1, so the window keeps a core whatever was typed in Settings
/// (ggml's workers spin while they wait). None: that default.
pub fn settings_threads(s: &settings::Settings) -> Option<u32> {
    (s.speech_threads > 0).then(|| s.speech_threads.min(crate::transcribe::default_threads()))
}

/// How to transcribe a reading of script `script_id` in `lang` (a registry
/// code), from this station's settings and the caller's choice.
pub fn plan(
    db: &mut Db,
    data_dir: &Path,
    script_id: i64,
    lang: &str,
    choice: &Choice,
) -> Result<Plan> {
    let spoken = whisper_lang(lang)?;
    let s = settings::load(db)?;
    let (model, model_path) = model::resolve(data_dir, choice.model.as_deref())?;
    let options = TranscribeOptions {
        lang: spoken.into(),
        beam_size: choice.beam.unwrap_or(s.speech_beam),
        threads: choice.threads.or(settings_threads(&s)),
        initial_prompt: if s.speech_prompt {
            transcript::prompt_for(db, script_id)?
        } else {
            String::new()
        },
    };
    Ok(Plan {
        model,
        model_path,
        options,
    })
}

/// A reading of `sentences` (16 kHz `samples`) checked with `plan`: heard,
/// compared with the script, and every sentence heard differently given a
/// second look against the audio ([`confirm_read`]). One model load serves
/// both. `progress` gets the fraction done and stops it with false.
pub fn check(
    plan: &Plan,
    samples: &[f32],
    sentences: &[loa_core::draft::segment::Segment],
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<(crate::Transcript, loa_core::record::readback::Readback)> {
    let model = crate::transcribe::Transcriber::load(&plan.model_path)?;
    let heard = model.run(samples, &plan.options, &mut |p| {
        progress(0.9 * p.percent as f32 / 100.0)
    })?;
    let mut r = loa_core::record::readback::compare(sentences, &heard.segments)?;
    let o = &plan.options;
    confirm_read(&model, samples, &o.lang, o.threads, &mut r, &mut |f| {
        progress(0.9 + 0.1 * f)
    })?;
    Ok((heard, r))
}

/// A sentence heard differently counts as read when the script's own words
/// fit its stretch of audio at most this much worse (nats per token) than
/// the words free transcription heard there. Measured on the six real
/// clips (base model): a sentence's own words fit 0.06–0.79 worse than
/// what was heard, another sentence's 2.3–3.7 worse, the sentence with two
/// words changed 0.7–2.3 worse (the smaller, the longer the sentence).
pub const FIT_MARGIN: f32 = 1.0;
/// Audio kept around a sentence's heard stretch, for its words' edges.
const AROUND: f64 = 0.3;

/// Takes a second look at the sentences a reading seems to say otherwise
/// (`Differs`): each is scored against its own stretch of `samples` (16 kHz)
/// twice, in the script's words and in the words heard, and is read when
/// the script's words fit about as well. A small Whisper model mishears
/// rare words and tones the reader said right; a sentence really misread
/// or replaced fits far worse in the script's words. Missing sentences are
/// left as they are. Returns how many sentences changed.
pub fn confirm_read(
    model: &crate::transcribe::Transcriber,
    samples: &[f32],
    lang: &str,
    threads: Option<u32>,
    r: &mut loa_core::record::readback::Readback,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<usize> {
    use loa_core::record::readback::ReadStatus;
    let rate = f64::from(crate::transcribe::RATE);
    let todo = r
        .lines
        .iter()
        .filter(|l| l.status == ReadStatus::Differs)
        .count();
    let mut changed = 0;
    let differing = r
        .lines
        .iter_mut()
        .filter(|l| l.status == ReadStatus::Differs);
    for (done, line) in differing.enumerate() {
        if !progress(done as f32 / todo.max(1) as f32) {
            return Err(CoreError::Cancelled);
        }
        let (Some(start), Some(end)) = (line.start, line.end) else {
            continue;
        };
        let a = ((start - AROUND).max(0.0) * rate) as usize;
        let b = (((end + AROUND) * rate) as usize).min(samples.len());
        if b <= a || (b - a) as f64 > 29.0 * rate {
            continue;
        }
        let span = &samples[a..b];
        let script = model.fit(span, lang, &line.sentence, threads)?;
        let heard = model.fit(span, lang, &line.heard, threads)?;
        if script >= heard - FIT_MARGIN {
            line.status = ReadStatus::Read;
            changed += 1;
        }
    }
    progress(1.0);
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_vietnamese_is_transcribed_and_settings_fill_the_options() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open_dir(dir.path()).unwrap();
        loa_core::demo::seed(&mut db).unwrap();
        let script = loa_core::draft::script::list(&db, &Default::default()).unwrap()[0].id;
        let err = plan(&mut db, dir.path(), script, "mtq", &Choice::default()).unwrap_err();
        assert_eq!(err.code(), "invalid");
        // No model installed: the plan says so rather than guessing.
        let err = plan(&mut db, dir.path(), script, "vie", &Choice::default()).unwrap_err();
        assert_eq!(err.code(), "invalid");
        // A model file by name: its options come from the settings.
        std::fs::create_dir_all(dir.path().join("models")).unwrap();
        let (name, path) = ("tiny".to_string(), model::path(dir.path(), "tiny").unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"not read here").unwrap();
        settings::update(
            &mut db,
            &settings::SettingsPatch {
                speech_beam: Some(3),
                speech_threads: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
        let p = plan(
            &mut db,
            dir.path(),
            script,
            "vie",
            &Choice {
                model: Some(name.clone()),
                beam: None,
                threads: Some(1),
            },
        )
        .unwrap();
        assert_eq!(p.model, name);
        assert_eq!(p.model_path, path);
        assert_eq!(p.options.lang, "vi");
        assert_eq!(p.options.beam_size, 3, "from the settings");
        assert_eq!(p.options.threads, Some(1), "the caller's choice wins");
        let missing = Choice {
            model: Some("large".into()),
            ..Default::default()
        };
        let err = plan(&mut db, dir.path(), script, "vie", &missing).unwrap_err();
        assert_eq!(err.code(), "not-found");
    }

    #[test]
    fn the_settings_never_give_speech_every_core() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open_dir(dir.path()).unwrap();
        let spare = crate::transcribe::default_threads();
        for (asked, given) in [
            (0, None),
            (1, Some(1)),
            (64, Some(spare)),
            (spare + 1, Some(spare)),
        ] {
            let patch = settings::SettingsPatch {
                speech_threads: Some(asked),
                ..Default::default()
            };
            settings::update(&mut db, &patch).unwrap();
            let s = settings::load(&db).unwrap();
            assert_eq!(settings_threads(&s), given, "{asked} asked");
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        assert!(spare < cores || cores == 1, "{spare} of {cores} cores");
    }
}
