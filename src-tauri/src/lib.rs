//! Loa Studio's desktop shell: opens the database, serves the UI and routes
//! IPC calls to the core. No domain logic lives here.

mod args;
pub mod bindings;
mod commands;
pub mod desktop;
pub mod error;
pub mod hub;
pub mod jobs;

use error::ApiError;
use loa_core::{base::paths, Db};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub struct AppState {
    data_dir: PathBuf,
    /// This window's hold on the data folder; `None` when another program
    /// has it, and then nothing in the folder is touched.
    _lock: Option<loa_core::base::instance::DataLock>,
    /// The open database, or why it could not be opened: the window still
    /// comes up and shows the reason instead of vanishing.
    db: Mutex<Result<Db, ApiError>>,
    /// Files the app was started with or handed, until the window takes them.
    opened: Mutex<Vec<PathBuf>>,
    /// When `main` began, for the start-up figure (`LOA_STARTUP_TRACE`).
    pub launched: std::time::Instant,
    /// The province hub's background sync, once the window is up.
    hub: std::sync::OnceLock<Arc<hub::HubWorker>>,
}

impl AppState {
    pub fn open(data_dir: PathBuf) -> AppState {
        let (lock, db) = match loa_core::base::instance::DataLock::acquire(&data_dir, "Loa Studio")
        {
            Ok(lock) => {
                // Clean-up only under the lock: another program's staged
                // files are its work in progress, not leftovers.
                loa_core::record::incoming::clear(&data_dir);
                let db = loa_core::backup::finish_interrupted(&data_dir)
                    .and_then(|()| Db::open_dir(&data_dir))
                    .and_then(|mut db| {
                        loa_core::broadcast::package::clear_orphans(&db, &data_dir)?;
                        // A new office picks its station from the whole
                        // directory; if this fails (a full disk), Stations
                        // offers to load it and says why it could not.
                        let _ = loa_core::broadcast::station::ensure_directory(&mut db);
                        Ok(db)
                    });
                (Some(lock), db.map_err(ApiError::from))
            }
            Err(e) => (None, Err(ApiError::from(e))),
        };
        AppState {
            data_dir,
            _lock: lock,
            db: Mutex::new(db),
            opened: Mutex::new(Vec::new()),
            launched: std::time::Instant::now(),
            hub: std::sync::OnceLock::new(),
        }
    }

    /// The hub's background worker; an error in a window that does not
    /// hold the data folder (it then syncs nothing).
    pub fn hub(&self) -> Result<&Arc<hub::HubWorker>, ApiError> {
        self.with_db(|_, _| Ok(()))?;
        self.hub
            .get()
            .ok_or_else(|| ApiError::from(loa_core::CoreError::invalid("hub-url", "no-hub")))
    }

    /// Asks for a sync soon (after the hub's address changed, or a package
    /// was queued).
    pub fn wake_hub(&self) {
        if let Some(w) = self.hub.get() {
            w.wake();
        }
    }

    /// Whether this window has the data folder (and may listen for later
    /// launches on it).
    pub fn holds_folder(&self) -> bool {
        self._lock.is_some()
    }

    pub fn add_opened(&self, paths: Vec<PathBuf>) {
        self.opened
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(paths);
    }

    pub fn take_opened(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.opened.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn with_db<T>(
        &self,
        f: impl FnOnce(&mut Db, &Path) -> loa_core::Result<T>,
    ) -> Result<T, ApiError> {
        // A panic in another command must not lock the user out of their data.
        let mut guard = self.db.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Ok(db) => f(db, &self.data_dir).map_err(ApiError::from),
            Err(e) => Err(e.clone()),
        }
    }

    /// Restores a backup into this window's (empty) data folder: the open
    /// database is closed for the time, replaced, and opened again.
    pub fn restore_backup(
        &self,
        path: &Path,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<loa_core::backup::BackupInfo, ApiError> {
        let mut guard = self.db.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = guard.as_ref() {
            return Err(e.clone());
        }
        if !loa_core::backup::is_empty_station(&self.data_dir)? {
            return Err(loa_core::CoreError::invalid("restore", "not-empty").into());
        }
        *guard = Err(ApiError::from(loa_core::CoreError::Cancelled));
        let out = loa_core::backup::restore(path, &self.data_dir, progress);
        *guard = Db::open_dir(&self.data_dir).map_err(ApiError::from);
        Ok(out?)
    }

    /// Like [`AppState::with_db`] on a connection of its own, for jobs that
    /// run long (building, verifying, copying packages): the app's other
    /// commands go on meanwhile. WAL lets them read while the job does, and
    /// its few writes wait their turn through the busy timeout.
    pub fn with_own_db<T>(
        &self,
        f: impl FnOnce(&mut Db, &Path) -> loa_core::Result<T>,
    ) -> Result<T, ApiError> {
        // The shared connection's state says whether the database opened.
        self.with_db(|_, _| Ok(()))?;
        let mut db = Db::open_dir(&self.data_dir)?;
        f(&mut db, &self.data_dir).map_err(ApiError::from)
    }
}

/// `--data-dir DIR` on the command line wins over LOA_DATA_DIR and the
/// platform default.
fn data_dir_from_args() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
    }
    None
}

pub fn run() {
    // Installers and package managers ask the program itself what it is.
    if std::env::args_os()
        .skip(1)
        .any(|a| a == "--version" || a == "-V")
    {
        println!("loa-studio {}", loa_core::VERSION);
        return;
    }
    desktop::use_bundled_webview();
    desktop::lighter_webview();
    let launched = std::time::Instant::now();
    if let Err(e) = loa_core::base::clock::init_from_env() {
        eprintln!("Loa Studio: {e}");
        std::process::exit(2);
    }
    let data_dir = match paths::resolve_data_dir(data_dir_from_args()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("Loa Studio: {e}");
            std::process::exit(2);
        }
    };
    // A second launch (a .loa double-clicked while the app runs) hands its
    // files to the running window and ends.
    let files = desktop::file_args(std::env::args_os().skip(1));
    if desktop::hand_off(&data_dir, &files) {
        return;
    }
    let mut state = AppState::open(data_dir);
    state.launched = launched;
    let state = Arc::new(state);
    state.add_opened(files);
    let listening = Arc::clone(&state);
    if let Err(e) = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(move |app| {
            if listening.holds_folder() && listening.with_db(|_, _| Ok(())).is_ok() {
                let worker =
                    hub::HubWorker::start(app.handle().clone(), listening.data_dir().to_path_buf());
                let _ = listening.hub.set(worker);
            }
            if listening.holds_folder() {
                let app = app.handle().clone();
                let state = Arc::clone(&listening);
                let started = desktop::listen(listening.data_dir(), move |paths| {
                    use tauri::{Emitter, Manager};
                    state.add_opened(paths);
                    if let Some(w) = app.get_webview_window("main") {
                        let _ = w.unminimize();
                        let _ = w.set_focus();
                    }
                    // The window then asks for them (opened_files).
                    let _ = app.emit("loa://opened", ());
                });
                if let Err(e) = started {
                    // Only later launches lose: they open their own window,
                    // which is told the folder is in use.
                    eprintln!("Loa Studio: not listening for other launches: {e}");
                }
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
    {
        eprintln!("Loa Studio could not start: {e}");
        std::process::exit(1);
    }
}
