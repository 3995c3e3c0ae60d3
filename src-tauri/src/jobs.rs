//! Long work (decoding an import, transcription, model import) runs as a
//! job: it reports progress over a Tauri channel and stops when the UI
//! asks, by the id the UI gave it.

use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use ts_rs::TS;

/// How far a job has got, 0…1, and what it has found on the way.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    pub done: f32,
    /// Waiting for another job of its kind to finish first.
    pub queued: bool,
    /// Results found since the last report (transcribed lines), to show
    /// while the job runs.
    pub lines: Vec<String>,
    /// For work done in parts (a long take transcribed piece by piece):
    /// which part is under way.
    #[ts(optional)]
    pub part: Option<JobPart>,
}

/// Part `at` (from 1) of `of`; `resumed` parts were finished by an earlier
/// run that this one goes on from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobPart {
    pub at: u32,
    pub of: u32,
    pub resumed: u32,
}

fn running() -> &'static Mutex<HashMap<String, Arc<AtomicBool>>> {
    static RUNNING: OnceLock<Mutex<HashMap<String, Arc<AtomicBool>>>> = OnceLock::new();
    RUNNING.get_or_init(|| Mutex::new(HashMap::new()))
}

pub struct Job {
    cancel: Arc<AtomicBool>,
    channel: Channel<JobProgress>,
    last: Option<Instant>,
    /// How many lines the UI has been sent.
    sent: usize,
    part: Option<JobPart>,
}

impl Job {
    /// Reports progress (at most ten times a second, and always the end);
    /// false once the user has cancelled.
    pub fn progress(&mut self, done: f32) -> bool {
        self.report(done, false, &[])
    }

    /// [`Job::progress`] with every line found so far; only new ones are
    /// sent.
    pub fn progress_lines(&mut self, done: f32, lines: &[String]) -> bool {
        self.report(done, false, lines)
    }

    /// [`Job::progress_lines`] of work done in parts.
    pub fn progress_part(&mut self, done: f32, lines: &[String], part: JobPart) -> bool {
        if self.part != Some(part) {
            // A new part is worth telling at once.
            self.last = None;
            self.part = Some(part);
        }
        self.report(done, false, lines)
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    fn report(&mut self, done: f32, queued: bool, lines: &[String]) -> bool {
        let due = self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if due || done >= 1.0 || lines.len() > self.sent {
            self.last = Some(Instant::now());
            let new = lines.get(self.sent..).unwrap_or_default().to_vec();
            self.sent = self.sent.max(lines.len());
            // A closed window is not the job's problem.
            let _ = self.channel.send(JobProgress {
                done: done.clamp(0.0, 1.0),
                queued,
                lines: new,
                part: self.part,
            });
        }
        !self.cancelled()
    }

    /// Runs CPU-heavy work `f` (transcription, read-back, model import)
    /// once no other job holding `lane` runs: they take every core but one,
    /// so they go one after another. Waiting, the job reports itself queued
    /// and can be cancelled. `f` runs on a thread of its own at a lower
    /// priority (see `loa_core::base::priority`), so the window stays
    /// responsive beside it on a two-core PC.
    pub fn heavy<T: Send>(
        &mut self,
        lane: &Mutex<()>,
        f: impl FnOnce(&mut Job) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        let guard = loop {
            match lane.try_lock() {
                Ok(g) => break g,
                Err(std::sync::TryLockError::Poisoned(p)) => break p.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => {
                    if self.cancelled() {
                        return Err(loa_core::CoreError::Cancelled.into());
                    }
                    self.last = None;
                    self.report(0.0, true, &[]);
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        };
        // A thread made for the work: a lowered priority cannot be raised
        // again, and the blocking pool's threads are reused.
        let out = std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("loa-heavy-job".into())
                .spawn_scoped(scope, || {
                    loa_core::base::priority::lower_this_thread();
                    f(self)
                })
                .map_err(ApiError::internal)?;
            worker
                .join()
                .map_err(|_| ApiError::internal("the job's thread panicked"))?
        });
        drop(guard);
        out
    }
}

/// Runs `f` as job `id`; `cancel(id)` meanwhile makes its progress calls
/// return false.
pub fn run<T>(
    id: String,
    channel: Channel<JobProgress>,
    f: impl FnOnce(&mut Job) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    // A cancel that arrived before the job started still counts.
    let cancel = Arc::clone(
        running()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(id.clone())
            .or_default(),
    );
    let mut job = Job {
        cancel,
        channel,
        last: None,
        sent: 0,
        part: None,
    };
    let out = f(&mut job);
    running()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id);
    out
}

/// Asks job `id` to stop, also when it has not started yet: the UI may
/// cancel while its call is still on the way.
pub fn cancel(id: &str) {
    let mut running = running().lock().unwrap_or_else(|p| p.into_inner());
    // Bounded: a job that never comes would otherwise leave its flag.
    if running.len() > 1000 {
        running.retain(|_, f| !f.load(Ordering::Relaxed));
    }
    running
        .entry(id.to_string())
        .or_default()
        .store(true, Ordering::Relaxed);
}
