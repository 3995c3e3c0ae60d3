//! Loa Studio's domain: storage, the text normalizer, scripts, glossary,
//! stations and messages. No GUI and no C++ dependencies: everything the app
//! does can be driven and tested from here or from the `loa` CLI.

pub mod airlog;
pub mod audio;
pub mod backup;
pub mod bench;
pub mod cache;
pub mod calendar;
pub mod clock;
pub mod csvfile;
pub mod demo;
pub mod error;
pub mod export;
pub mod glossary;
pub mod group;
pub mod i18n;
pub mod incoming;
pub mod instance;
pub mod key;
pub mod language;
pub mod limits;
pub mod memory;
pub mod package;
pub mod paths;
pub mod player;
pub mod qa;
pub mod readback;
pub mod reader;
pub mod recording;
pub mod report;
pub mod schedule;
pub mod script;
pub mod segment;
pub mod settings;
pub mod station;
pub mod store;
pub mod subtitle;
pub mod template;
pub mod term;
pub mod text;
pub mod tmx;
pub mod transcript;
pub mod translation;
pub mod xml;

pub use error::{CoreError, Result};
pub use store::Db;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the home screen and `loa info` show.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub version: String,
    pub data_dir: String,
    pub schema_version: u32,
    pub scripts: u32,
    pub concepts: u32,
    pub stations: u32,
    pub languages: u32,
}

pub fn overview(db: &Db, data_dir: &std::path::Path) -> Result<Overview> {
    Ok(Overview {
        version: VERSION.to_string(),
        data_dir: data_dir.display().to_string(),
        schema_version: db.schema_version()?,
        scripts: script::count(db)?,
        concepts: glossary::count(db)?,
        stations: station::count(db)?,
        languages: language::list(db)?.len() as u32,
    })
}
