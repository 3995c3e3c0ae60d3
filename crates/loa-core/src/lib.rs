//! Loa Studio's domain, laid out as the workflow runs: [`draft`] →
//! [`translate`] → [`record`] → [`broadcast`], on a [`base`] of storage,
//! text, settings and files. A stage may use any stage before it, never one
//! after it (`tests/layers.rs` checks this, and that no modules import each
//! other in a loop). No GUI and no C++ dependencies: everything the app does
//! can be driven and tested from here or from the `loa` CLI.

pub mod base;
pub mod broadcast;
pub mod draft;
pub mod record;
pub mod translate;

// Above the four stages: what spans them all.
pub mod backup;
#[cfg(feature = "bench")]
pub mod bench;
pub mod demo;
pub mod update;

pub use base::error::{CoreError, Result};
pub use base::store::Db;
pub use base::VERSION;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
        scripts: draft::script::count(db)?,
        concepts: translate::glossary::count(db)?,
        stations: broadcast::station::count(db)?,
        languages: base::language::list(db)?.len() as u32,
    })
}
