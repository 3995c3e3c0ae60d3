//! The province hub in the background: a sync shortly after start, every
//! minute, on demand, and at once when the hub pushes a delivery (an
//! emergency shows within seconds). Each sync runs on a database connection
//! of its own, one at a time, so the window never waits on the network;
//! the window hears of each through `loa://hub`.

use crate::error::ApiError;
use loa_core::broadcast::hub;
use loa_core::broadcast::key::StationKey;
use loa_core::Db;
use loa_net::hub::{Client, Synced};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::Emitter;

/// How often the app syncs on its own (pushes wake it sooner).
/// `LOA_HUB_POLL_SECS` sets another period: the end-to-end tests set an
/// hour, so that what reaches a window in them can only have been pushed.
fn period() -> Duration {
    std::env::var("LOA_HUB_POLL_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map_or(Duration::from_secs(60), Duration::from_secs)
}

pub struct HubWorker {
    wake: Mutex<mpsc::Sender<()>>,
    /// Ends the push thread's wait for an address (one was just set).
    push_wake: Mutex<mpsc::Sender<()>>,
    /// One sync at a time, whoever asks.
    lane: Mutex<()>,
    data_dir: PathBuf,
    app: tauri::AppHandle,
}

/// What the window is told after each sync.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct HubEvent {
    #[ts(optional)]
    pub synced: Option<Synced>,
    #[ts(optional)]
    pub error: Option<ApiError>,
}

impl HubWorker {
    pub fn start(app: tauri::AppHandle, data_dir: PathBuf) -> Arc<HubWorker> {
        let (tx, rx) = mpsc::channel();
        let (push_tx, push_rx) = mpsc::channel();
        let worker = Arc::new(HubWorker {
            wake: Mutex::new(tx),
            push_wake: Mutex::new(push_tx),
            lane: Mutex::new(()),
            data_dir,
            app,
        });
        let w = Arc::clone(&worker);
        std::thread::Builder::new()
            .name("hub-sync".into())
            .spawn(move || {
                let mut wait = Duration::from_secs(2);
                let period = period();
                loop {
                    match rx.recv_timeout(wait) {
                        Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                    while rx.try_recv().is_ok() {}
                    wait = period;
                    if w.configured() {
                        let _ = w.sync(&mut |_| true);
                    }
                }
            })
            .ok();
        let w = Arc::clone(&worker);
        std::thread::Builder::new()
            .name("hub-push".into())
            .spawn(move || w.hold_push(push_rx))
            .ok();
        worker
    }

    fn configured(&self) -> bool {
        Db::open_dir(&self.data_dir)
            .ok()
            .and_then(|db| hub::url(&db).ok().flatten())
            .is_some()
    }

    /// Asks for a sync now, and for the push connection if there is none.
    pub fn wake(&self) {
        let _ = self.wake.lock().unwrap_or_else(|p| p.into_inner()).send(());
        let _ = self
            .push_wake
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(());
    }

    fn wake_sync(&self) {
        let _ = self.wake.lock().unwrap_or_else(|p| p.into_inner()).send(());
    }

    /// Syncs now (waiting for one under way to end) and tells the window.
    pub fn sync(&self, progress: &mut dyn FnMut(f32) -> bool) -> Result<Synced, ApiError> {
        let _turn = self.lane.lock().unwrap_or_else(|p| p.into_inner());
        let result = Db::open_dir(&self.data_dir)
            .and_then(|mut db| loa_net::hub::sync(&mut db, &self.data_dir, progress))
            .map_err(ApiError::from);
        let event = HubEvent {
            synced: result.as_ref().ok().cloned(),
            error: result.as_ref().err().cloned(),
        };
        let _ = self.app.emit("loa://hub", event);
        result
    }

    /// Keeps the hub's event stream open while a hub is set, waking the
    /// sync for each delivery; reconnects with a growing pause.
    fn hold_push(&self, woken: mpsc::Receiver<()>) {
        let mut pause = Duration::from_secs(5);
        loop {
            let wait = match client(&self.data_dir) {
                None => Duration::from_secs(60),
                Some(c) => {
                    let connected = c.listen(|event| {
                        if event == "hello" {
                            pause = Duration::from_secs(5);
                        }
                        // Connecting may follow pushes missed while apart.
                        if matches!(event, "hello" | "delivery" | "resync" | "changes") {
                            self.wake_sync();
                        }
                        true
                    });
                    let wait = pause;
                    if connected.is_err() {
                        pause = (pause * 2).min(Duration::from_secs(120));
                    }
                    wait
                }
            };
            match woken.recv_timeout(wait) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => while woken.try_recv().is_ok() {},
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

fn client(data_dir: &Path) -> Option<Client> {
    let db = Db::open_dir(data_dir).ok()?;
    let url = hub::url(&db).ok()??;
    let key = StationKey::load(data_dir).ok()??;
    Some(Client::new(&url, key))
}
