//! The base every stage stands on: the SQLite store and its migrations, the
//! one text normalizer, errors, messages, settings, the language registry,
//! dates and the clock, paths, safe file writing, import limits and where
//! Vietnamese words begin and end.
//!
//! May import: nothing from the stages (`draft`, `translate`, `record`,
//! `broadcast`) nor from the crate root.

pub mod calendar;
pub mod clock;
pub mod csvfile;
pub mod error;
pub mod files;
pub mod format;
pub mod i18n;
pub mod instance;
pub mod language;
pub mod limits;
pub mod paths;
pub mod priority;
pub mod settings;
pub mod store;
pub mod text;
pub mod uid;
pub mod words;
pub mod xml;

/// The version of Loa Studio, written into packages and exchange files.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
