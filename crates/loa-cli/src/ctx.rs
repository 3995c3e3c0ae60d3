//! What every command shares: output as text or JSON in the user's language,
//! the data folder, and errors as `{code, message}`.

use anyhow::Result;
use loa_core::base::i18n::Localizer;
use loa_core::base::paths;
use loa_core::{CoreError, Db};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub struct Ctx {
    pub json: bool,
    pub l10n: Localizer,
}

impl Ctx {
    pub fn print<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) -> Result<()> {
        let out = if self.json {
            serde_json::to_string_pretty(value)?
        } else {
            text()
        };
        // A closed pipe (`loa … | head`) is the reader's choice, not an error.
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = writeln!(stdout, "{out}") {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
        }
        Ok(())
    }
}

pub fn report(ctx: &Ctx, e: &anyhow::Error) {
    let (code, message) = match e.downcast_ref::<CoreError>() {
        Some(core) => (core.code(), ctx.l10n.error(core)),
        None => ("internal", e.to_string()),
    };
    if ctx.json {
        let body = serde_json::json!({ "error": { "code": code, "message": message } });
        eprintln!("{body}");
    } else {
        eprintln!("{}", ctx.l10n.get("cli-error", &[("message", message)]));
    }
}

pub fn open(data_dir: Option<PathBuf>) -> Result<(Db, PathBuf)> {
    let dir = paths::resolve_data_dir(data_dir)?;
    Ok((Db::open_dir(&dir)?, dir))
}

pub fn lines<T>(l: &Localizer, items: &[T], line: impl Fn(&T) -> String) -> String {
    if items.is_empty() {
        return l.get("cli-none", &[]);
    }
    items.iter().map(line).collect::<Vec<_>>().join("\n")
}

/// A progress line on stderr for long work (`Transcribing  42%`), shown
/// only when stderr is a terminal: scripts and logs get no carriage returns.
pub struct Progress {
    label: String,
    shown: Option<u32>,
    terminal: bool,
}

impl Progress {
    /// `message` is a Fluent id (`cli-progress-…`).
    pub fn new(ctx: &Ctx, message: &str) -> Progress {
        Progress {
            label: ctx.l10n.get(message, &[]),
            shown: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Shows `done` (0…1). Always goes on: on a terminal, Ctrl+C stops.
    pub fn set(&mut self, done: f32) -> bool {
        let percent = (done.clamp(0.0, 1.0) * 100.0) as u32;
        if self.terminal && self.shown != Some(percent) {
            eprint!("\r{} {percent:>3}%", self.label);
            self.shown = Some(percent);
        }
        true
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown.is_some() {
            // Clears the line, so the result printed next stands alone.
            eprint!("\r\x1b[2K");
        }
    }
}
