//! How the app meets the operating system: native file dialogs, showing an
//! export in the file manager, the files it is asked to open (a `.loa`
//! double-clicked in Explorer, a second launch handing its file to the
//! running window), and the WebView2 runtime an offline installer carried.
//!
//! File dialogs and the file manager cannot be driven by WebDriver: with
//! `LOA_TEST_DESKTOP=DIR` the end-to-end tests answer the dialogs from
//! `DIR/picks.txt` (one path per line, an empty line cancels) and find what
//! was shown in `DIR/revealed.txt`. Everything after the dialog (size caps,
//! staging, the import) runs as it does for a user.

use crate::error::ApiError;
use loa_core::CoreError;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;
use ts_rs::TS;

/// What a file dialog offers to open; each has its file types.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum FileType {
    Audio,
    Glossary,
    Tmx,
    Package,
    KeyFile,
    AirLog,
    Model,
    Backup,
    Update,
    Changes,
}

impl FileType {
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Audio => &["wav", "mp3", "ogg", "flac", "m4a", "aac"],
            FileType::Glossary => &["csv", "tsv", "txt", "xlsx", "tbx", "xml"],
            FileType::Tmx => &["tmx", "xml"],
            FileType::Package => &["loa"],
            FileType::KeyFile => &["loakey", "txt"],
            FileType::AirLog => &["csv", "txt"],
            FileType::Model => &["bin"],
            FileType::Backup => &["loabackup"],
            FileType::Update => &["loaupdate"],
            FileType::Changes => &["loachanges"],
        }
    }
}

/// IPC arguments: a file dialog's title and what it offers.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FilePick {
    pub file_type: FileType,
    /// Shown as the dialog's title and its filter's name.
    pub title: String,
}

const TEST_DIR_ENV: &str = "LOA_TEST_DESKTOP";

fn test_dir() -> Option<PathBuf> {
    std::env::var_os(TEST_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The tests' answer to a dialog: the first line of `picks.txt`, taken off.
fn next_test_pick(dir: &Path) -> Option<PathBuf> {
    let file = dir.join("picks.txt");
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").trim().to_string();
    let rest: Vec<&str> = lines.collect();
    let _ = std::fs::write(&file, rest.join("\n"));
    (!first.is_empty()).then(|| PathBuf::from(first))
}

fn dialog(
    app: &tauri::AppHandle,
    title: &str,
) -> tauri_plugin_dialog::FileDialogBuilder<tauri::Wry> {
    use tauri::Manager;
    use tauri_plugin_dialog::DialogExt;
    let d = app.dialog().file().set_title(title);
    match app.get_webview_window("main") {
        Some(w) => d.set_parent(&w),
        None => d,
    }
}

/// Asks for one file; `None` when the user cancels.
pub fn pick_file(app: &tauri::AppHandle, pick: &FilePick) -> Option<PathBuf> {
    if let Some(dir) = test_dir() {
        return next_test_pick(&dir);
    }
    dialog(app, &pick.title)
        .add_filter(&pick.title, pick.file_type.extensions())
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks for a folder; `None` when the user cancels.
pub fn pick_folder(app: &tauri::AppHandle, title: &str) -> Option<PathBuf> {
    if let Some(dir) = test_dir() {
        return next_test_pick(&dir);
    }
    dialog(app, title)
        .blocking_pick_folder()
        .and_then(|p| p.into_path().ok())
}

/// `path` if it lies inside `exports` (both resolved, so `..` and links
/// cannot lead out); the app only ever shows its own exports.
pub fn within_exports(exports: &Path, path: &Path) -> Result<PathBuf, ApiError> {
    let outside = || ApiError::from(CoreError::invalid("file", "outside-exports"));
    let root = exports.canonicalize().map_err(|_| outside())?;
    let p = path.canonicalize().map_err(|_| outside())?;
    if p.starts_with(&root) {
        Ok(p)
    } else {
        Err(outside())
    }
}

/// Shows an exported file in the system's file manager, selected where the
/// platform allows.
pub fn reveal(exports: &Path, path: &Path) -> Result<(), ApiError> {
    let p = within_exports(exports, path)?;
    if let Some(dir) = test_dir() {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("revealed.txt"))
            .map_err(|e| CoreError::io(&dir, e))?;
        writeln!(f, "{}", p.display()).map_err(|e| CoreError::io(&dir, e))?;
        return Ok(());
    }
    open_file_manager(&p).map_err(|e| CoreError::io(&p, e).into())
}

#[cfg(windows)]
fn open_file_manager(p: &Path) -> std::io::Result<()> {
    use std::os::windows::process::CommandExt;
    // Explorer wants `/select,"path"` as is: quoted as one argument it
    // would open the Documents folder instead.
    let p = p.display().to_string();
    let p = p.strip_prefix(r"\\?\").unwrap_or(&p);
    std::process::Command::new("explorer.exe")
        .raw_arg(format!("/select,\"{p}\""))
        .spawn()
        .map(drop)
}

#[cfg(target_os = "macos")]
fn open_file_manager(p: &Path) -> std::io::Result<()> {
    std::process::Command::new("open")
        .arg("-R")
        .arg(p)
        .spawn()
        .map(drop)
}

#[cfg(not(any(windows, target_os = "macos")))]
fn open_file_manager(p: &Path) -> std::io::Result<()> {
    let dir = if p.is_dir() {
        p
    } else {
        p.parent().unwrap_or(p)
    };
    std::process::Command::new("xdg-open")
        .arg(dir)
        .spawn()
        .map(drop)
}

/// The files named on the command line (Explorer passes a double-clicked
/// `.loa` this way), skipping the app's own options.
pub fn file_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            args.next();
        } else if !a.to_string_lossy().starts_with('-') {
            out.push(PathBuf::from(a));
        }
    }
    out
}

/// Where the running window listens for a second launch: a loopback port
/// and a secret, in the data folder (which only this user can read).
const HANDOFF_FILE: &str = "loa.window";
/// A hand-off is a few paths; anything longer is not one.
const HANDOFF_MAX: u64 = 64 * 1024;

/// Listens for later launches on the same data folder; each hands over the
/// files it was asked to open (maybe none: it only wants the window shown).
/// The listener lives as long as the process.
pub fn listen(
    data_dir: &Path,
    on_open: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> std::io::Result<()> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let port = listener.local_addr()?.port();
    let mut secret = [0u8; 16];
    getrandom::fill(&mut secret).map_err(|e| std::io::Error::other(e.to_string()))?;
    let secret: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    loa_core::base::files::write_atomically(
        &data_dir.join(HANDOFF_FILE),
        format!("{port} {secret}\n").as_bytes(),
    )
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Some(paths) = read_handoff(stream, &secret) {
                on_open(paths);
            }
        }
    });
    Ok(())
}

fn read_handoff(mut stream: TcpStream, secret: &str) -> Option<Vec<PathBuf>> {
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let reader = BufReader::new(std::io::Read::take(stream.try_clone().ok()?, HANDOFF_MAX));
    let mut lines = reader.lines();
    if lines.next()?.ok()? != secret {
        return None;
    }
    let paths = lines
        .map_while(Result::ok)
        .take_while(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect();
    // The answer tells the launch it reached this window, not some other
    // program that took over a port a crashed window left in the file.
    stream.write_all(b"ok\n").ok()?;
    Some(paths)
}

/// Hands `paths` to a window already running on `data_dir`; false when
/// none answers (none runs, or it ended without tidying up), and this
/// launch then opens its own window.
pub fn hand_off(data_dir: &Path, paths: &[PathBuf]) -> bool {
    let Ok(text) = std::fs::read_to_string(data_dir.join(HANDOFF_FILE)) else {
        return false;
    };
    let mut parts = text.split_whitespace();
    let (Some(Ok(port)), Some(secret)) = (parts.next().map(str::parse::<u16>), parts.next()) else {
        return false;
    };
    let addr = (Ipv4Addr::LOCALHOST, port).into();
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return false;
    };
    let mut msg = format!("{secret}\n");
    for p in paths {
        // Relative to this launch's folder, which the running one does not share.
        let p = std::path::absolute(p).unwrap_or_else(|_| p.clone());
        msg.push_str(&format!("{}\n", p.display()));
    }
    msg.push('\n');
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut answer = String::new();
    s.write_all(msg.as_bytes()).is_ok()
        && BufReader::new(s).read_line(&mut answer).is_ok()
        && answer == "ok\n"
}

/// The folder the offline Windows installer puts a fixed-version WebView2
/// runtime in, beside the program.
const BUNDLED_WEBVIEW: &str = "WebView2";

/// A fixed WebView2 runtime beside the program, if one was installed: the
/// WebView2 loader then uses it instead of the system's (Evergreen) one,
/// which offices without internet may lack.
pub fn bundled_webview(exe_dir: &Path) -> Option<PathBuf> {
    let dir = exe_dir.join(BUNDLED_WEBVIEW);
    dir.join("msedgewebview2.exe").is_file().then_some(dir)
}

/// WebKitGTK reads this before it starts its web process.
const COMPOSITING_OFF: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether to switch WebKitGTK's GPU compositor off, given the variable as
/// the user left it: off unless they set it either way ("0" keeps it on).
fn compositing_off_by_default(set: Option<&std::ffi::OsStr>) -> bool {
    cfg!(target_os = "linux") && set.is_none()
}

/// On Linux, WebKitGTK's GPU compositor holds about 85 MB in the web
/// process (on the software GL of Xvfb and of office PCs without a graphics
/// driver) for a UI that has no 3D, video or canvas: without it the page is
/// painted on the CPU into shared memory, idle memory falls from ~320 to
/// ~235 MB, and first paint is no slower. Runs first thing in `main`,
/// before any thread starts.
pub fn lighter_webview() {
    if compositing_off_by_default(std::env::var_os(COMPOSITING_OFF).as_deref()) {
        std::env::set_var(COMPOSITING_OFF, "1");
    }
}

/// Points the WebView2 loader at a runtime the installer carried. Runs
/// first thing in `main`, before any thread starts.
pub fn use_bundled_webview() {
    if !cfg!(windows) || std::env::var_os("WEBVIEW2_BROWSER_EXECUTABLE_FOLDER").is_some() {
        return;
    }
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    if let Some(dir) = exe_dir.as_deref().and_then(bundled_webview) {
        // The loader reads this documented variable when it starts.
        std::env::set_var("WEBVIEW2_BROWSER_EXECUTABLE_FOLDER", dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn the_compositor_is_switched_off_only_where_the_user_left_it_unset() {
        let linux = cfg!(target_os = "linux");
        assert_eq!(compositing_off_by_default(None), linux);
        assert!(!compositing_off_by_default(Some("0".as_ref())));
        assert!(!compositing_off_by_default(Some("1".as_ref())));
    }

    #[test]
    fn a_bundled_runtime_is_used_only_when_its_browser_is_there() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(bundled_webview(dir.path()), None);
        std::fs::create_dir(dir.path().join("WebView2")).unwrap();
        assert_eq!(
            bundled_webview(dir.path()),
            None,
            "an empty folder is no runtime"
        );
        std::fs::write(dir.path().join("WebView2/msedgewebview2.exe"), b"MZ").unwrap();
        assert_eq!(
            bundled_webview(dir.path()),
            Some(dir.path().join("WebView2"))
        );
    }

    #[test]
    fn files_to_open_are_the_arguments_that_are_not_options() {
        let args = [
            "--data-dir",
            "D:\\Loa",
            "C:\\Tải về\\bản tin.loa",
            "--version",
        ]
        .map(Into::into);
        assert_eq!(file_args(args), [PathBuf::from("C:\\Tải về\\bản tin.loa")]);
        assert!(file_args(Vec::<std::ffi::OsString>::new()).is_empty());
    }

    #[test]
    fn a_second_launch_hands_its_files_to_the_running_window() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("bản tin.loa");
        assert!(
            !hand_off(dir.path(), std::slice::from_ref(&pkg)),
            "no window runs yet"
        );

        let (tx, rx) = mpsc::channel();
        listen(dir.path(), move |paths| tx.send(paths).unwrap()).unwrap();
        assert!(hand_off(dir.path(), std::slice::from_ref(&pkg)));
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), [pkg]);
        assert!(
            hand_off(dir.path(), &[]),
            "a launch with no file only shows the window"
        );
        assert!(rx.recv_timeout(Duration::from_secs(5)).unwrap().is_empty());

        // Someone who cannot read the data folder does not know the secret.
        let text = std::fs::read_to_string(dir.path().join(HANDOFF_FILE)).unwrap();
        let port: u16 = text.split_whitespace().next().unwrap().parse().unwrap();
        let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        s.write_all(b"guess\n/etc/passwd\n").unwrap();
        drop(s);
        assert!(rx.recv_timeout(Duration::from_millis(500)).is_err());

        // A file left by a window that has gone is no window.
        std::fs::write(dir.path().join(HANDOFF_FILE), "1 secret\n").unwrap();
        assert!(!hand_off(dir.path(), &[]));
    }

    #[test]
    fn only_exports_are_shown_in_the_file_manager() {
        let dir = tempfile::tempdir().unwrap();
        let exports = dir.path().join("exports");
        std::fs::create_dir_all(&exports).unwrap();
        let file = exports.join("lich-phat.ics");
        std::fs::write(&file, "x").unwrap();
        assert!(within_exports(&exports, &file).is_ok());
        assert!(within_exports(&exports, &exports).is_ok());
        let code = |r: Result<PathBuf, ApiError>| r.unwrap_err().code;
        assert_eq!(
            code(within_exports(&exports, &dir.path().join("loa.sqlite"))),
            "invalid"
        );
        std::fs::write(dir.path().join("loa.sqlite"), "x").unwrap();
        assert_eq!(
            code(within_exports(&exports, &exports.join("../loa.sqlite"))),
            "invalid"
        );
    }
}
