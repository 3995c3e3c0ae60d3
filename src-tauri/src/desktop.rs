//! How the app meets the operating system: the WebView2 runtime an offline
//! installer carried, and the files it was asked to open.

use std::path::{Path, PathBuf};

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
}
