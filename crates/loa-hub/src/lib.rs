//! `loa-hub`: the province's hub. It carries packages signed end to end by
//! their issuers, so it can deliver them without being able to forge them.
//! The process keeps no state of its own: PostgreSQL is the record, and
//! package files sit in a content-addressed storage folder, so any number
//! of hub processes on one database and one folder behave as one service.

pub mod api;
pub mod auth;
pub mod bench;
pub mod db;
pub mod error;
pub mod events;
pub mod sane;
pub mod storage;
pub mod terminology;

pub use error::HubError;

/// What every request handler shares.
#[derive(Clone)]
pub struct Hub {
    pub db: deadpool_postgres::Pool,
    pub storage: std::sync::Arc<dyn storage::Storage>,
    /// The largest package accepted, in bytes (413 above).
    pub max_upload: u64,
    /// Pushes to the stations connected to this process.
    pub events: tokio::sync::broadcast::Sender<events::Push>,
}
