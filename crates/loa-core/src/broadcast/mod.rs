//! Stage 4, broadcasting: signed packages (build, verify, library), station
//! keys, stations and groups, the week's schedule, the export to a player's
//! folder, the air log and the reports made from it.
//!
//! May import: `base`, `draft`, `translate`, `record`.

pub mod airlog;
pub mod changes;
pub mod group;
pub mod hub;
pub mod key;
pub mod network;
pub mod package;
pub mod player_export;
pub mod report;
pub mod schedule;
pub mod station;
