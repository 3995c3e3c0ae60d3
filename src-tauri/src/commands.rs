//! The IPC surface. Each command is declared once in `commands!` with its
//! argument and result types; the macro makes the Tauri command (run on a
//! blocking thread, errors mapped to [`ApiError`]) and the TypeScript
//! signature, so the two cannot disagree.

use crate::args::*;
use crate::error::ApiError;
use crate::jobs::{self, Job, JobProgress};
use crate::AppState;
use loa_core::base::limits::ImportKind;
use loa_core::record::audio::device::{self, InputDevice, Level};
use loa_core::translate::glossary::exchange;
use loa_core::{
    base::language, base::settings, broadcast::airlog, broadcast::changes::approvers,
    broadcast::group, broadcast::key, broadcast::package, broadcast::player_export,
    broadcast::report, broadcast::schedule, broadcast::station, draft::reading, draft::script,
    draft::template, record::readback, record::recording, record::transcript, translate::glossary,
    translate::qa, translate::translation, CoreError, Db,
};
use std::sync::{Mutex, OnceLock};

/// Speech jobs take every core but one: one at a time, the rest wait in
/// line.
fn speech_lane() -> &'static Mutex<()> {
    static LANE: OnceLock<Mutex<()>> = OnceLock::new();
    LANE.get_or_init(|| Mutex::new(()))
}

/// Share of a transcription's bar for decoding the take into the folder
/// the pieces are read from.
const SPOOL_SHARE: f32 = 0.03;

/// Transcribes a take of any length in bounded memory: the audio is
/// streamed into the take's transcribing folder and heard a piece at a
/// time, and a run that was cancelled or cut short goes on from the last
/// finished piece (see `loa_speech::spool`).
fn transcribe_take(
    state: &AppState,
    job: &mut Job,
    r: TranscribeTake,
) -> Result<transcript::Transcript, ApiError> {
    let (source, plan, work) = state.with_db(|db, dir| {
        let source = recording::streamed(db, dir, r.take_id)?;
        let take = &source.take;
        let choice = loa_speech::reading::Choice {
            model: r.model.clone(),
            ..Default::default()
        };
        let plan = loa_speech::reading::plan(db, dir, take.script_id, &take.lang, &choice)?;
        let work = recording::transcribing_dir(dir, take.id);
        Ok((source, plan, work))
    })?;
    if !job.progress(0.0) {
        return Err(CoreError::Cancelled.into());
    }
    let work = loa_speech::spool::Workspace::new(&work);
    let job = std::cell::RefCell::new(job);
    let heard = loa_speech::transcribe::transcribe_long(
        &plan.model_path,
        &work,
        &source.key,
        |sink| {
            loa_core::record::audio::stream::mono_at(
                &source.path,
                &source.take.edit,
                loa_speech::transcribe::RATE,
                sink,
                &mut |f| job.borrow_mut().progress(f * SPOOL_SHARE),
            )
        },
        &plan.options,
        &mut |p| {
            let done = SPOOL_SHARE + (1.0 - SPOOL_SHARE) * p.percent as f32 / 100.0;
            let mut job = job.borrow_mut();
            if p.pieces == 0 {
                return job.progress_lines(done, &p.partial);
            }
            let part = crate::jobs::JobPart {
                at: p.piece,
                of: p.pieces,
                resumed: p.resumed,
            };
            job.progress_part(done, &p.partial, part)
        },
    )?;
    let stored = state.with_db(|db, _| {
        let who = user(db)?;
        transcript::save(
            db,
            source.take.id,
            transcript::Source::Whisper,
            &plan.model,
            &heard.segments,
            &who,
        )
    })?;
    // Stored: the pieces are not needed any more. A folder left behind
    // costs disk only, and goes with the take or the next transcription.
    let _ = work.remove();
    Ok(stored)
}

/// The read-back check of a transcript against its script, with a second
/// look against the take's audio at the sentences heard differently, when a
/// model is installed (without one, the texts' comparison alone).
fn check_reading(state: &AppState, job: &mut Job, id: i64) -> Result<readback::Readback, ApiError> {
    let (mut r, audio) = state.with_db(|db, dir| {
        let r = readback::check_reading(db, id)?;
        if !r
            .lines
            .iter()
            .any(|l| l.status == readback::ReadStatus::Differs)
        {
            return Ok((r, None));
        }
        let take = recording::get(db, transcript::get(db, id)?.take_id)?;
        let choice = loa_speech::reading::Choice::default();
        let Ok(plan) = loa_speech::reading::plan(db, dir, take.script_id, &take.lang, &choice)
        else {
            return Ok((r, None));
        };
        // The transcript's times are on the take as edited.
        let (pcm, _) = recording::edited_audio(db, dir, take.id)?;
        Ok((r, Some((pcm, plan))))
    })?;
    if let Some((pcm, plan)) = audio {
        if !job.progress(0.0) {
            return Err(CoreError::Cancelled.into());
        }
        let samples = loa_speech::transcribe::prepare(&pcm)?;
        drop(pcm);
        let model = loa_speech::transcribe::Transcriber::load(&plan.model_path)?;
        let o = &plan.options;
        loa_speech::reading::confirm_read(
            &model,
            &samples,
            &o.lang,
            o.threads,
            &mut r,
            &mut |f| job.progress(f),
        )?;
    }
    Ok(r)
}

struct Player {
    /// A received package item plays as take 0 with this set.
    item_id: Option<i64>,
    take_id: i64,
    playback: loa_core::record::audio::playback::Playback,
    edit: loa_core::record::audio::edit::Edit,
    source_seconds: f64,
}

fn player() -> &'static Mutex<Option<Player>> {
    static PLAYER: OnceLock<Mutex<Option<Player>>> = OnceLock::new();
    PLAYER.get_or_init(|| Mutex::new(None))
}

fn with_player<T>(
    f: impl FnOnce(&mut Option<Player>) -> loa_core::Result<T>,
) -> loa_core::Result<T> {
    let mut guard = player().lock().unwrap_or_else(|p| p.into_inner());
    f(&mut guard)
}

/// The one recording the app can run at a time.
struct Active {
    script_id: i64,
    lang: String,
    session: device::Session,
}

fn active() -> &'static Mutex<Option<Active>> {
    static ACTIVE: OnceLock<Mutex<Option<Active>>> = OnceLock::new();
    ACTIVE.get_or_init(|| Mutex::new(None))
}

fn with_active<T>(
    f: impl FnOnce(&mut Option<Active>) -> loa_core::Result<T>,
) -> loa_core::Result<T> {
    let mut guard = active().lock().unwrap_or_else(|p| p.into_inner());
    f(&mut guard)
}
use std::path::Path;
use std::sync::Arc;

/// The user's name from Settings: recorded as author and approver.
fn user(db: &Db) -> loa_core::Result<String> {
    Ok(settings::load(db)?.user_name)
}

pub struct CommandSig {
    pub name: &'static str,
    pub args_ts: String,
    pub ret_ts: String,
    /// Takes a job id and a progress channel besides its arguments.
    pub job: bool,
}

/// Handlers of plain commands get the open database; job handlers get the
/// app state, so they can do their slow part without holding the database.
macro_rules! commands {
    (
        $( fn $name:ident($args:ty) -> $ret:ty = $handler:expr; )*
        jobs {
            $( fn $jname:ident($jargs:ty) -> $jret:ty = $jhandler:expr; )*
        }
        shell {
            $( fn $sname:ident($sargs:ty) -> $sret:ty = $shandler:expr; )*
        }
    ) => {
        pub mod ipc {
            use super::*;
            $(
                #[tauri::command]
                pub async fn $name(
                    state: tauri::State<'_, Arc<AppState>>,
                    args: $args,
                ) -> Result<$ret, ApiError> {
                    let state = Arc::clone(state.inner());
                    tauri::async_runtime::spawn_blocking(move || {
                        state.with_db(|db, dir| {
                            let f: fn(&mut Db, &Path, $args) -> loa_core::Result<$ret> = $handler;
                            f(db, dir, args)
                        })
                    })
                    .await
                    .map_err(ApiError::internal)?
                }
            )*
            $(
                #[tauri::command]
                pub async fn $jname(
                    state: tauri::State<'_, Arc<AppState>>,
                    args: $jargs,
                    job: String,
                    on_progress: tauri::ipc::Channel<JobProgress>,
                ) -> Result<$jret, ApiError> {
                    let state = Arc::clone(state.inner());
                    tauri::async_runtime::spawn_blocking(move || {
                        jobs::run(job, on_progress, |j| {
                            let f: fn(&AppState, &mut Job, $jargs) -> Result<$jret, ApiError> =
                                $jhandler;
                            f(&state, j, args)
                        })
                    })
                    .await
                    .map_err(ApiError::internal)?
                }
            )*
            $(
                #[tauri::command]
                pub async fn $sname(
                    app: tauri::AppHandle,
                    state: tauri::State<'_, Arc<AppState>>,
                    args: $sargs,
                ) -> Result<$sret, ApiError> {
                    let state = Arc::clone(state.inner());
                    // Off the main thread: a file dialog blocks until closed.
                    tauri::async_runtime::spawn_blocking(move || {
                        let f: fn(&tauri::AppHandle, &AppState, $sargs) -> Result<$sret, ApiError> =
                            $shandler;
                        f(&app, &state, args)
                    })
                    .await
                    .map_err(ApiError::internal)?
                }
            )*
        }

        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(ipc::$name,)* $(ipc::$jname,)* $(ipc::$sname,)*]
        }

        pub fn signatures() -> Vec<CommandSig> {
            let cfg = crate::bindings::config();
            let mut out = vec![$(CommandSig {
                name: stringify!($name),
                args_ts: <$args as ts_rs::TS>::name(&cfg),
                ret_ts: <$ret as ts_rs::TS>::name(&cfg),
                job: false,
            }),*];
            out.extend([$(CommandSig {
                name: stringify!($jname),
                args_ts: <$jargs as ts_rs::TS>::name(&cfg),
                ret_ts: <$jret as ts_rs::TS>::name(&cfg),
                job: true,
            }),*]);
            out.extend([$(CommandSig {
                name: stringify!($sname),
                args_ts: <$sargs as ts_rs::TS>::name(&cfg),
                ret_ts: <$sret as ts_rs::TS>::name(&cfg),
                job: false,
            }),*]);
            out
        }
    };
}

commands! {
    fn app_overview(()) -> loa_core::Overview = |db, dir, ()| loa_core::overview(db, dir);
    fn settings_get(()) -> settings::Settings = |db, _, ()| settings::load(db);
    fn update_about(()) -> loa_core::update::About = |db, _, ()| loa_core::update::about(db);
    fn hub_link(()) -> loa_core::broadcast::hub::Link = |db, _, ()| loa_core::broadcast::hub::link(db);
    fn hub_waiting(()) -> Vec<loa_core::broadcast::hub::Waiting> = |db, dir, ()| loa_core::broadcast::hub::waiting(db, dir);
    fn settings_update(settings::SettingsPatch) -> settings::Settings =
        |db, _, patch| settings::update(db, &patch);
    fn language_list(()) -> Vec<language::Language> = |db, _, ()| language::list(db);
    fn script_list(script::ScriptQuery) -> Vec<script::ScriptSummary> = |db, _, q| script::list(db, &q);
    fn script_get(i64) -> script::ScriptDetail = |db, _, id| script::get(db, id);
    fn script_create(script::ScriptInput) -> script::ScriptDetail =
        |db, _, input| { let who = user(db)?; script::create(db, &input, &who) };
    fn script_update(script::ScriptEdit) -> script::ScriptDetail =
        |db, _, e| { let who = user(db)?; script::update(db, e.id, &e.input, &who) };
    fn script_set_status(script::StatusChange) -> script::ScriptDetail =
        |db, _, c| { let who = user(db)?; script::set_status(db, c.id, c.status, &who, &c.note) };
    fn script_delete(i64) -> () = |db, _, id| script::delete(db, id);
    fn script_undelete(i64) -> script::ScriptDetail = |db, _, id| script::undelete(db, id);
    fn script_revisions(i64) -> Vec<script::RevisionInfo> = |db, _, id| script::revisions(db, id);
    fn script_events(i64) -> Vec<script::ScriptEvent> = |db, _, id| script::events(db, id);
    fn script_diff(script::RevisionRef) -> script::RevisionDiff =
        |db, _, r| script::diff(db, r.id, r.against.unwrap_or(r.revision.saturating_sub(1)), r.revision);
    fn script_restore(script::RevisionRef) -> script::ScriptDetail =
        |db, _, r| { let who = user(db)?; script::restore(db, r.id, r.revision, &who) };
    fn script_programs(()) -> Vec<String> = |db, _, ()| script::programs(db);
    fn template_list(()) -> Vec<template::Template> = |db, _, ()| template::list(db);
    fn template_save(template::SaveAsTemplate) -> template::Template =
        |db, _, a| template::save_from_script(db, a.script_id, &a.name);
    fn template_delete(i64) -> () = |db, _, id| template::delete(db, id);
    fn template_use(i64) -> script::ScriptDetail =
        |db, _, id| { let who = user(db)?; template::new_script(db, id, &who) };
    fn script_segments(i64) -> Vec<loa_core::draft::segment::Segment> =
        |db, _, id| Ok(loa_core::draft::segment::segment(&script::get(db, id)?.input.body));
    fn script_export(loa_core::draft::export::ExportRequest) -> String = |db, dir, r| {
        let lang = settings::load(db)?.ui_lang;
        let path = loa_core::draft::export::write_script(
            &script::get(db, r.id)?,
            r.format,
            &loa_core::base::paths::export_dir(dir),
            &loa_core::base::i18n::Localizer::new(&lang),
        )?;
        Ok(path.display().to_string())
    };
    fn script_estimate(script::EstimateRequest) -> script::ReadingEstimate =
        |db, _, req| script::estimate_for(db, &req);
    fn reader_list(()) -> Vec<reading::Reader> = |db, _, ()| reading::list(db);
    fn reader_create(reading::NewReader) -> reading::Reader = |db, _, r| reading::create(db, &r);
    fn reader_delete(i64) -> () = |db, _, id| reading::delete(db, id);
    fn lang_rate_list(()) -> Vec<reading::LangRate> = |db, _, ()| reading::lang_rates(db);
    fn lang_rate_set(reading::LangRate) -> Vec<reading::LangRate> = |db, _, r| reading::set_lang_rate(db, &r);
    // Terminology held for want of this language applies as soon as it
    // exists here.
    fn language_save(language::Language) -> language::Language = |db, _, l| {
        let saved = language::save(db, &l)?;
        loa_core::broadcast::changes::retry_held(db)?;
        Ok(saved)
    };
    fn language_delete(String) -> () = |db, _, code| language::delete(db, &code);
    fn glossary_list(glossary::ConceptQuery) -> glossary::ConceptPage = |db, _, q| glossary::list(db, &q);
    fn glossary_get(i64) -> glossary::Concept = |db, _, id| glossary::get(db.conn(), id);
    fn glossary_domains(()) -> Vec<String> = |db, _, ()| glossary::domains(db);
    fn glossary_create(glossary::ConceptInput) -> glossary::Concept =
        |db, _, c| { let who = user(db)?; glossary::create(db, &c, &who) };
    fn glossary_update(glossary::ConceptEdit) -> glossary::Concept =
        |db, _, e| { let who = user(db)?; glossary::update(db, e.id, &e.concept, &who) };
    fn glossary_delete(i64) -> () =
        |db, _, id| { let who = user(db)?; glossary::delete(db, id, &who) };
    fn glossary_undelete(i64) -> glossary::Concept =
        |db, _, id| { let who = user(db)?; glossary::undelete(db, id, &who) };
    fn glossary_merge(glossary::ConceptMerge) -> glossary::Concept =
        |db, _, m| { let who = user(db)?; glossary::merge(db, m.into, m.from, &who) };
    fn glossary_import(GlossaryImport) -> exchange::ImportReport = |db, dir, r| {
        let who = user(db)?;
        let path = loa_core::record::incoming::path(dir, &r.token)?;
        let kind = match r.options.format {
            exchange::Format::Tbx => ImportKind::Tbx,
            exchange::Format::Xlsx => ImportKind::GlossaryXlsx,
            _ => ImportKind::GlossaryCsv,
        };
        let bytes = loa_core::base::limits::read_file(&path, kind)?;
        exchange::import(db, &bytes, &r.options, &who, r.commit)
    };
    fn glossary_sharing(i64) -> glossary::ConceptSharing = |db, _, id| glossary::sharing(db.conn(), id);
    fn glossary_resolve(ConceptChoice) -> glossary::Concept =
        |db, _, c| { let who = user(db)?; glossary::resolve(db, c.concept_id, &c.change_id, &who) };
    fn glossary_decide(ProposalDecision) -> glossary::Concept = |db, _, d| {
        let who = user(db)?;
        glossary::decide(db, d.concept_id, &d.change_id, d.accept, &who)
    };
    fn glossary_approvers(()) -> approvers::ApproversOverview = |db, _, ()| approvers::overview(db);
    fn glossary_name_approvers(ApproversNaming) -> approvers::LanguageApprovers = |db, _, n| {
        let who = user(db)?;
        approvers::name(db, &n.lang, &n.key_ids, &who, loa_core::base::clock::now())
    };
    fn glossary_changes_held(()) -> Vec<loa_core::broadcast::changes::HeldSet> =
        |db, _, ()| loa_core::broadcast::changes::held(db.conn());
    fn glossary_changes_export(()) -> ChangesFile = |db, dir, ()| {
        let (bytes, r) = loa_core::broadcast::changes::export_bytes(db, dir)?;
        let day = loa_core::base::clock::today(db.conn())?;
        let path = loa_core::base::files::write_fresh(&loa_core::base::paths::export_dir(dir),
            &format!("thay-doi-thuat-ngu-{day}"), "loachanges", &bytes)?;
        Ok(ChangesFile { path: path.display().to_string(), sets: r.sets, changes: r.changes })
    };
    fn glossary_changes_import(String) -> loa_core::broadcast::changes::ChangesImported = |db, dir, token| {
        let path = loa_core::record::incoming::path(dir, &token)?;
        let r = loa_core::broadcast::changes::import_file(db, &path);
        loa_core::record::incoming::remove(dir, &token);
        r
    };
    fn glossary_export(exchange::Format) -> String = |db, dir, format| {
        let bytes = exchange::export(db, format)?;
        let path = loa_core::base::files::write_fresh(
            &loa_core::base::paths::export_dir(dir), "thuat-ngu", format.extension(), &bytes)?;
        Ok(path.display().to_string())
    };
    fn translation_open(translation::TranslationRef) -> translation::Translation =
        |db, _, r| translation::open(db, r.script_id, &r.lang);
    fn translation_save(translation::SegmentSave) -> translation::Translation =
        |db, _, s| { let who = user(db)?; translation::save_segment(db, &s, &who) };
    fn translation_set_status(translation::TranslationStatusChange) -> translation::Translation =
        |db, _, c| { let who = user(db)?; translation::set_status(db, c.script_id, &c.lang, c.status, &who) };
    fn translation_matches(translation::MatchQuery) -> Vec<translation::MatchSuggestion> =
        |db, _, q| translation::matches(db, &q);
    fn translation_qa(translation::TranslationRef) -> Vec<qa::QaIssue> =
        |db, _, r| qa::check_translation(db, r.script_id, &r.lang);
    fn translation_summary(i64) -> Vec<translation::TranslationInfo> =
        |db, _, id| translation::summary(db, id);
    fn translation_export(translation::TranslationExport) -> String = |db, dir, r| {
        let lang = settings::load(db)?.ui_lang;
        let path = translation::export(db, &r, &loa_core::base::paths::export_dir(dir),
            &loa_core::base::i18n::Localizer::new(&lang))?;
        Ok(path.display().to_string())
    };
    fn audio_devices(()) -> Vec<InputDevice> = |_, _, ()| device::input_devices();
    fn take_list(recording::TakeRef) -> Vec<recording::Take> =
        |db, _, r| recording::list(db, r.script_id, &r.lang);
    fn take_choose(i64) -> recording::Take = |db, _, id| recording::choose(db, id);
    fn take_rename(recording::TakeRename) -> recording::Take = |db, _, r| recording::rename(db, r.id, &r.name);
    fn take_delete(i64) -> () = |db, dir, id| recording::delete(db, dir, id);
    fn take_peaks(i64) -> Vec<f32> = |db, _, id| recording::peaks(db, id);
    fn broadcast_profiles(()) -> Vec<loa_core::record::audio::render::ProfileInfo> =
        |_, _, ()| Ok(loa_core::record::audio::render::Profile::ALL.iter().map(|p| p.info()).collect());
    fn takes_recover(()) -> Vec<recording::Take> =
        |db, dir, ()| { let who = user(db)?; recording::recover(db, dir, &who) };
    fn recording_start(RecordingStart) -> () = |db, dir, r| {
        script::get(db, r.script_id)?;
        language::get(db.conn(), &r.lang)?;
        with_active(|a| {
            if a.is_some() {
                return Err(CoreError::invalid("recording", "busy"));
            }
            let path = recording::new_take_path(dir, r.script_id, &r.lang);
            let session = device::Session::start(r.device_id.clone(), path)?;
            *a = Some(Active { script_id: r.script_id, lang: r.lang.clone(), session });
            Ok(())
        })
    };
    fn recording_active(()) -> Option<RecordingStart> = |_, _, ()| with_active(|a| {
        Ok(a.as_ref().map(|a| RecordingStart { script_id: a.script_id, lang: a.lang.clone(), device_id: None }))
    });
    fn recording_level(()) -> Option<Level> =
        |_, _, ()| with_active(|a| Ok(a.as_ref().map(|a| a.session.level())));
    fn recording_pause(bool) -> () = |_, _, paused| with_active(|a| {
        a.as_ref().map(|a| a.session.pause(paused)).ok_or(CoreError::invalid("recording", "not-running"))
    });
    fn recording_stop(()) -> recording::Take = |db, _, ()| {
        let a = with_active(|a| a.take().ok_or(CoreError::invalid("recording", "not-running")))?;
        let path = a.session.stop()?;
        let who = user(db)?;
        recording::add_file(db, &path, a.script_id, &a.lang, "recorded", &who)
    };
    fn playback_play(PlayRequest) -> () = |db, dir, r| {
        let (pcm, take) = recording::edited_audio(db, dir, r.take_id)?;
        let (edit, source_seconds) = (take.edit, take.source_seconds);
        let from = if r.in_source == Some(true) {
            edit.to_edited(r.from, source_seconds)
        } else {
            r.from
        };
        let playback = loa_core::record::audio::playback::Playback::start(pcm, from.max(0.0))?;
        with_player(|slot| {
            *slot = Some(Player { item_id: None, take_id: r.take_id, playback, edit, source_seconds });
            Ok(())
        })
    };
    fn playback_pause(bool) -> () = |_, _, paused| with_player(|slot| {
        if let Some(p) = slot.as_ref() { p.playback.pause(paused); }
        Ok(())
    });
    fn playback_seek(f64) -> () = |_, _, s| with_player(|slot| {
        if let Some(p) = slot.as_ref() { p.playback.seek(s); }
        Ok(())
    });
    fn playback_stop(()) -> () = |_, _, ()| with_player(|slot| { slot.take(); Ok(()) });
    fn playback_state(()) -> Option<Playing> = |_, _, ()| with_player(|slot| {
        Ok(slot.as_ref().map(|p| {
            let state = p.playback.state();
            Playing {
                take_id: p.take_id,
                item_id: p.item_id,
                source_seconds: p.edit.to_source(state.seconds, p.source_seconds),
                state,
            }
        }))
    });
    fn take_edit(recording::TakeEdit) -> recording::Take = |db, dir, e| recording::set_edit(db, dir, &e);
    fn take_undo(i64) -> recording::Take = |db, dir, id| recording::undo_edit(db, dir, id);
    fn take_redo(i64) -> recording::Take = |db, dir, id| recording::redo_edit(db, dir, id);
    fn take_auto_trim(recording::TakeAutoTrim) -> recording::Take =
        |db, dir, r| recording::auto_trim(db, dir, &r);
    fn job_cancel(String) -> () = |_, _, id| { jobs::cancel(&id); Ok(()) };
    fn tm_import(String) -> loa_core::translate::tmx::TmxImportSummary = |db, dir, token| {
        let path = loa_core::record::incoming::path(dir, &token)?;
        let xml = loa_core::base::limits::read_text(&path, ImportKind::Tmx);
        loa_core::record::incoming::remove(dir, &token);
        loa_core::translate::tmx::import(db, &xml?)
    };
    fn tm_export(String) -> String = |db, dir, lang| {
        let xml = loa_core::translate::tmx::export(db, translation::SOURCE_LANG, &lang)?;
        let path = loa_core::base::files::write_fresh(
            &loa_core::base::paths::export_dir(dir), &format!("bo-nho-dich-vi-{lang}"), "tmx", xml.as_bytes())?;
        Ok(path.display().to_string())
    };
    fn station_list(station::StationQuery) -> Vec<station::StationSummary> = |db, _, q| station::list(db, &q);
    fn station_get(i64) -> station::StationDetail = |db, _, id| station::get(db, id);
    fn station_load_directory(()) -> station::AdminImportSummary = |db, _, ()| station::load_directory(db);
    fn model_list(()) -> Vec<loa_speech::ModelInfo> = |_, dir, ()| loa_speech::model::list(dir);
    fn model_set_default(String) -> Vec<loa_speech::ModelInfo> =
        |_, dir, name| { loa_speech::model::set_default(dir, &name)?; loa_speech::model::list(dir) };
    fn model_delete(String) -> Vec<loa_speech::ModelInfo> =
        |_, dir, name| { loa_speech::model::delete(dir, &name)?; loa_speech::model::list(dir) };
    fn transcript_get(i64) -> Option<transcript::Transcript> = |db, _, take| transcript::for_take(db, take);
    fn transcript_save(transcript::LinesSave) -> transcript::Transcript =
        |db, _, r| transcript::set_lines(db, &r);
    fn transcript_mark(transcript::Mark) -> transcript::Transcript = |db, _, m| transcript::mark_stored(db, &m);
    fn transcript_manual(i64) -> transcript::Transcript =
        |db, _, take| { let who = user(db)?; transcript::start_manual(db, take, &who) };
    fn transcript_delete(i64) -> () = |db, _, id| transcript::delete(db, id);
    fn transcript_export(transcript::TranscriptExport) -> String = |db, dir, r| {
        let path = transcript::export(db, &r, &loa_core::base::paths::export_dir(dir))?;
        Ok(path.display().to_string())
    };
    fn transcript_to_script(transcript::ToScript) -> script::ScriptDetail =
        |db, _, r| { let who = user(db)?; transcript::to_script(db, &r, &who) };
    fn station_update(station::StationEdit) -> station::StationDetail = |db, _, e| station::update(db, &e);
    fn station_create(station::StationNew) -> station::StationDetail = |db, _, n| station::create(db, &n);
    fn station_trust_key(StationTrustKey) -> station::StationDetail =
        |db, _, r| station::trust(db, r.id, &key::parse_text(&r.text)?, r.confirm_replace.as_deref());
    fn station_untrust(i64) -> station::StationDetail = |db, _, id| station::untrust(db, id);
    fn key_info(()) -> key::PublicKeyInfo = |db, dir, ()| loa_core::broadcast::station::own_key_info(db, dir);
    fn key_parse(String) -> key::PublicKeyInfo = |_, _, text| key::parse_text(&text);
    fn backup_status(()) -> loa_core::backup::BackupStatus = |db, _, ()| loa_core::backup::status(db);
    fn backup_can_restore(()) -> bool = |_, dir, ()| loa_core::backup::is_empty_station(dir);
    fn backup_found(()) -> Vec<loa_core::backup::BackupInfo> = |_, dir, ()| {
        let dirs: Vec<std::path::PathBuf> =
            loa_core::base::paths::destinations(dir).into_iter().map(|d| d.path.into()).collect();
        Ok(loa_core::backup::find(&dirs))
    };
    fn key_export(()) -> String = |db, dir, ()| {
        let info = loa_core::broadcast::station::own_key_info(db, dir)?;
        let name = format!("khoa-{}", loa_core::base::files::file_slug(&info.station, 6));
        let path = loa_core::base::files::write_fresh(&loa_core::base::paths::export_dir(dir), &name, "loakey",
            key::export_text(&info).as_bytes())?;
        Ok(path.display().to_string())
    };
    fn group_list(()) -> Vec<group::Group> = |db, _, ()| group::list(db);
    fn group_save(group::GroupSave) -> group::Group = |db, _, g| group::save(db, &g);
    fn group_delete(i64) -> () = |db, _, id| group::delete(db, id);
    fn destinations(()) -> Vec<loa_core::base::paths::Destination> = |_, dir, ()| Ok(loa_core::base::paths::destinations(dir));
    fn package_plan(package::BuildRequest) -> package::Plan = |db, _, r| package::plan(db, &r);
    fn package_list(package::Direction) -> Vec<package::PackageSummary> = |db, _, d| package::list(db, d);
    fn package_get(i64) -> package::PackageDetail = |db, dir, id| package::get(db, dir, id);
    fn package_delete(i64) -> () = |db, dir, id| package::delete(db, dir, id);
    fn package_trust(PackageTrust) -> station::StationDetail = |db, dir, r| {
        let path = loa_core::record::incoming::path(dir, &r.token)?;
        package::trust_issuer(db, dir, &path, &r.key_id, r.confirm_replace.as_deref())
    };
    fn package_discard(String) -> () = |_, dir, token| { loa_core::record::incoming::remove(dir, &token); Ok(()) };
    fn item_play(PlayItem) -> () = |db, dir, r| {
        let path = package::item_audio(db, dir, r.item_id)?;
        let pcm = loa_core::record::audio::decode_file(&path, &mut |_| true)?;
        let seconds = pcm.seconds();
        let playback = loa_core::record::audio::playback::Playback::start(pcm, r.from.max(0.0))?;
        with_player(|slot| {
            *slot = Some(Player { item_id: Some(r.item_id), take_id: 0, playback,
                edit: Default::default(), source_seconds: seconds });
            Ok(())
        })
    };
    fn schedule_slots(()) -> Vec<schedule::Slot> = |db, _, ()| schedule::slots(db);
    fn schedule_save_slots(Vec<schedule::Slot>) -> Vec<schedule::Slot> = |db, _, l| schedule::save_slots(db, &l);
    fn schedule_this_week(()) -> String = |db, _, ()| schedule::this_week(db);
    fn schedule_shift_week(WeekShift) -> String = |_, _, w| schedule::shift_week(&w.week, w.by.into());
    fn clock_today(()) -> String = |db, _, ()| Ok(loa_core::base::clock::today(db.conn())?.to_string());
    fn schedule_week(String) -> schedule::Week = |db, _, w| schedule::week(db, &w);
    fn schedule_place_package(PlacePackage) -> schedule::PlaceResult =
        |db, _, r| schedule::place_package(db, r.package_id, r.from.as_deref(), r.to.as_deref());
    fn schedule_place(schedule::Place) -> schedule::PlaceResult = |db, _, p| schedule::place(db, &p);
    fn schedule_now(i64) -> i64 = |db, _, item| schedule::insert_now(db, item);
    fn schedule_remove(i64) -> () = |db, _, id| schedule::remove(db, id);
    fn schedule_move(EntryMove) -> () = |db, _, m| schedule::reorder(db, m.entry_id, m.delta);
    fn schedule_ics(String) -> String = |db, dir, week| {
        let text = schedule::ics(db, &week)?;
        let path = loa_core::base::files::write_fresh(&loa_core::base::paths::export_dir(dir),
            &format!("lich-phat-{week}"), "ics", text.as_bytes())?;
        Ok(path.display().to_string())
    };
    fn airlog_mark(airlog::AirMark) -> airlog::AirEntry = |db, _, m| airlog::mark(db, &m);
    fn airlog_unmark(i64) -> () = |db, _, id| airlog::unmark(db, id);
    fn airlog_list(DateRange) -> Vec<airlog::AirEntry> = |db, _, r| airlog::list(db, &r.from, &r.to);
    fn airlog_import(String) -> airlog::AirImportSummary = |db, dir, token| {
        let path = loa_core::record::incoming::path(dir, &token)?;
        let bytes = std::fs::read(&path).map_err(|e| CoreError::io(&path, e));
        loa_core::record::incoming::remove(dir, &token);
        airlog::import_csv(db, &bytes?)
    };
    fn report_build(report::ReportQuery) -> report::Report = |db, _, q| report::build(db, &q);
    fn report_export(ReportExport) -> String = |db, dir, r| {
        let l = loa_core::base::i18n::Localizer::new(&settings::load(db)?.ui_lang);
        let path = report::export(db, &r.query, r.format, &loa_core::base::paths::export_dir(dir), &l)?;
        Ok(path.display().to_string())
    };
    jobs {
        fn backup_create(String) -> loa_core::backup::BackupInfo = |state, job, out| {
            state.with_own_db(|db, dir| {
                loa_core::backup::create(db, dir, std::path::Path::new(out.trim()),
                    &mut |done, total| job.progress(done as f32 / total.max(1) as f32))
            })
        };
        fn backup_restore(String) -> loa_core::backup::BackupInfo = |state, job, path| {
            state.restore_backup(std::path::Path::new(path.trim()),
                &mut |done, total| job.progress(done as f32 / total.max(1) as f32))
        };
        fn player_export(PlayerExport) -> player_export::PlayerExported = |state, job, r| {
            state.with_own_db(|db, dir| {
                player_export::export(db, dir, &r.week, std::path::Path::new(r.out.trim()),
                    &mut |done, total| job.progress(done as f32 / total.max(1) as f32))
            })
        };
        fn take_export(recording::TakeExport) -> recording::Rendered = |state, job, r| {
            state.with_own_db(|db, dir| {
                let out = loa_core::base::paths::export_dir(dir);
                loa_core::broadcast::player_export::take(db, dir, &r, &out, &mut |f| job.progress(f))
            })
        };
        fn package_build(package::BuildRequest) -> Vec<package::Built> = |state, job, r| {
            state.with_own_db(|db, dir| {
                package::build(db, dir, &r, &mut |done, total| job.progress(done as f32 / total.max(1) as f32))
            })
        };
        fn package_inspect(String) -> package::Inspected = |state, job, token| {
            state.with_own_db(|db, dir| {
                let path = loa_core::record::incoming::path(dir, &token)?;
                package::inspect(db, dir, &path, &mut |d, t| job.progress(d as f32 / t.max(1) as f32))
            })
        };
        fn package_import(PackageOpen) -> package::PackageDetail = |state, job, r| {
            let out = state.with_own_db(|db, dir| {
                let path = loa_core::record::incoming::path(dir, &r.token)?;
                package::import(db, dir, &path, Some(&r.file_name),
                    &mut |d, t| job.progress(d as f32 / t.max(1) as f32))
            });
            if out.is_ok() {
                loa_core::record::incoming::remove(state.data_dir(), &r.token);
            }
            out
        };
        fn transcribe(TranscribeTake) -> transcript::Transcript = |state, job, r| {
            job.heavy(speech_lane(), |job| transcribe_take(state, job, r))
        };
        fn readback_check(i64) -> readback::Readback = |state, job, id| {
            job.heavy(speech_lane(), |job| check_reading(state, job, id))
        };
        fn take_language(i64) -> loa_speech::transcribe::LanguageGuess = |state, job, id| {
            job.heavy(speech_lane(), |job| {
                let (source, threads, path) = state.with_db(|db, dir| {
                    let s = settings::load(db)?;
                    let source = recording::streamed(db, dir, id)?;
                    let (_, path) = loa_speech::model::resolve(dir, None)?;
                    Ok((source, loa_speech::reading::settings_threads(&s), path))
                })?;
                // Whisper judges the language on the first 30 s: only
                // those are decoded, however long the take.
                let samples = loa_core::record::audio::stream::mono_head(
                    &source.path,
                    &source.take.edit,
                    loa_speech::transcribe::RATE,
                    30.0,
                    &mut |f| job.progress(0.5 * f),
                )?;
                let guess = loa_speech::transcribe::Transcriber::load(&path)?.language(&samples, threads)?;
                job.progress(1.0);
                Ok(guess)
            })
        };
        fn hub_network(()) -> loa_core::broadcast::network::Network = |state, _job, ()| {
            let client = state.with_own_db(|db, dir| loa_net::hub::client(db, dir))?;
            Ok(client.network()?)
        };
        fn hub_reach(String) -> Vec<loa_core::broadcast::network::Reach> = |state, _job, sha| {
            let client = state.with_own_db(|db, dir| loa_net::hub::client(db, dir))?;
            Ok(client.reach(sha.trim())?)
        };
        fn hub_sync(()) -> loa_net::hub::Synced = |state, job, ()| {
            state.hub()?.sync(&mut |f| job.progress(f))
        };
        fn update_check(String) -> loa_core::update::UpdateInfo = |_state, job, path| {
            Ok(loa_core::update::inspect(Path::new(path.trim()), &loa_core::update::Expect::this_build(),
                &mut |d, t| job.progress(d as f32 / t.max(1) as f32))?)
        };
        fn update_feed_check(String) -> Option<loa_core::update::Feed> = |state, job, url| {
            state.with_db(|db, _| loa_core::update::set_feed_url(db, &url))?;
            job.progress(0.0);
            Ok(loa_net::feed::check(&url, loa_core::VERSION)?)
        };
        fn update_download(String) -> String = |state, job, url| {
            let path = loa_net::feed::download(&url, state.data_dir(),
                &mut |d, t| job.progress(d as f32 / t.max(1) as f32))?;
            Ok(path.display().to_string())
        };
        fn update_install(String) -> loa_core::update::Install = |state, job, path| {
            let staged = loa_core::update::stage(Path::new(path.trim()), state.data_dir(),
                &loa_core::update::Expect::this_build(),
                &mut |d, t| job.progress(d as f32 / t.max(1) as f32))?;
            Ok(loa_core::update::install(&staged)?)
        };
        fn model_import(ModelImport) -> loa_speech::ModelInfo = |state, job, r| {
            let src = std::path::PathBuf::from(r.path.trim());
            job.heavy(speech_lane(), |job| {
                loa_speech::model::import(state.data_dir(), &src, r.name.trim(), r.quantize,
                    &mut |f| job.progress(f)).map_err(ApiError::from)
            })
        };
        fn take_import(recording::TakeImportStaged) -> recording::Take = |state, job, r| {
            state.with_db(|db, _| recording::check_owner(db, r.script_id, &r.lang))?;
            let path = loa_core::record::incoming::path(state.data_dir(), &r.token)?;
            let decoded = loa_core::record::audio::decode_file(&path, &mut |f| job.progress(f));
            loa_core::record::incoming::remove(state.data_dir(), &r.token);
            let pcm = decoded?;
            state.with_db(|db, dir| {
                let who = user(db)?;
                recording::add_decoded(db, dir, r.script_id, &r.lang, &pcm, &who)
            })
        };
    }
    shell {
        fn file_pick(crate::desktop::FilePick) -> Option<String> = |app, _, pick| {
            Ok(crate::desktop::pick_file(app, &pick).map(|p| p.display().to_string()))
        };
        fn folder_pick(String) -> Option<String> = |app, _, title| {
            Ok(crate::desktop::pick_folder(app, &title).map(|p| p.display().to_string()))
        };
        fn file_open(FileOpen) -> loa_core::record::incoming::Staged = |_, state, r| {
            Ok(loa_core::record::incoming::stage_file(state.data_dir(), Path::new(&r.path), r.kind)?)
        };
        fn key_file_read(String) -> String = |_, _, path| {
            Ok(loa_core::base::limits::read_text(Path::new(&path), ImportKind::KeyFile)?)
        };
        fn hub_set(String) -> loa_core::broadcast::hub::Link = |_, state, url| {
            let link = state.with_db(|db, _| {
                loa_core::broadcast::hub::set_url(db, &url)?;
                loa_core::broadcast::hub::link(db)
            })?;
            state.wake_hub();
            Ok(link)
        };
        fn package_send(String) -> loa_core::broadcast::hub::Link = |_, state, path| {
            let link = state.with_own_db(|db, dir| {
                loa_core::broadcast::hub::queue_send(db, dir, Path::new(path.trim()))?;
                loa_core::broadcast::hub::link(db)
            })?;
            state.wake_hub();
            Ok(link)
        };
        // After a glossary edit: its change goes to the hub now, not at the
        // next minute's sync (nothing happens without a hub).
        fn hub_wake(()) -> () = |_, state, ()| {
            state.wake_hub();
            Ok(())
        };
        fn export_reveal(String) -> () = |_, state, path| {
            crate::desktop::reveal(&loa_core::base::paths::export_dir(state.data_dir()), Path::new(&path))
        };
        fn app_painted(()) -> () = |_, state, ()| {
            // The start-up figure in README: from `main` to the first frame
            // the window paints with its data (scripts/measure-desktop.sh).
            if std::env::var_os("LOA_STARTUP_TRACE").is_some() {
                eprintln!("loa-studio: first paint {} ms", state.launched.elapsed().as_millis());
            }
            Ok(())
        };
        fn opened_files(()) -> Vec<String> = |_, state, ()| {
            Ok(state.take_opened().iter().map(|p| p.display().to_string()).collect())
        };
    }
}
