//! Who may change the data folder. Writers hold the folder's lock for their
//! run, so they never run beside the app or each other; readers go on beside
//! a running app (SQLite's WAL keeps them consistent).

use crate::{backup, broadcast, draft, hub, setup, speech, station, take, translate, Command};
use anyhow::Result;
use loa_core::base::instance::DataLock;
use std::path::PathBuf;

/// The folder's lock when `cmd` writes, held until it is dropped.
pub fn for_command(cmd: &Command, data_dir: Option<PathBuf>) -> Result<Option<DataLock>> {
    if !writes(cmd) {
        return Ok(None);
    }
    let dir = loa_core::base::paths::resolve_data_dir(data_dir)?;
    Ok(Some(DataLock::acquire(&dir, "loa")?))
}

/// Whether a command may change the data folder. Writers hold the folder's
/// lock for their run, so they never run beside the app or each other;
/// readers go on beside a running app (SQLite's WAL keeps them consistent).
pub fn writes(cmd: &Command) -> bool {
    match cmd {
        // The key is made atomically on first use, whoever holds the folder,
        // and a station's key must be readable while the app runs.
        Command::Info | Command::Qa(_) | Command::Report(_) | Command::Key(_) => false,
        Command::Bench(_) | Command::Audio(_) => false,
        Command::Transcribe(_) | Command::CheckReading(_) => false,
        // Updates touch only their own folder, never the database.
        Command::Update(_) | Command::Release(_) => false,
        Command::Init(_) => true,
        Command::Script(c) => draft::script_writes(c),
        Command::Template(c) => draft::template_writes(c),
        Command::Glossary(c) => translate::glossary_writes(c),
        Command::Tm(c) => translate::tm_writes(c),
        Command::Translate(c) => translate::translate_writes(c),
        Command::Station(c) => station::writes(c),
        Command::Take(c) => take::writes(c),
        Command::Group(c) => broadcast::group_writes(c),
        Command::Package(c) => broadcast::package_writes(c),
        Command::Schedule(c) => broadcast::schedule_writes(c),
        Command::Airlog(c) => broadcast::airlog_writes(c),
        Command::Settings(c) => setup::settings_writes(c),
        Command::Model(c) => speech::model_writes(c),
        Command::Backup(c) => backup::writes(c),
        Command::Hub(c) => hub::writes(c),
    }
}
