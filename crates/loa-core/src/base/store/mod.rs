//! The embedded SQLite database: opening, pragmas and versioned migrations.
//! The store knows tables, not the domain: migrations are SQL plus data steps
//! that need only the base (the text normalizer, the shipped languages).

use crate::base::error::{CoreError, Result};

pub mod fts;
mod migrations;
mod seed;

pub use seed::TAI_VIET_FONT;

pub use migrations::{latest_version, migrate_to, schema_version, Migration, MIGRATIONS};
use rusqlite::{Connection, OptionalExtension};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "loa.sqlite";

pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
    /// In-memory data a stage keeps with the open database (the translate
    /// stage's indexes), found by its type so the store need not know it.
    extras: HashMap<TypeId, Box<dyn Any + Send>>,
}

impl Db {
    /// Opens (creating if needed) the database in `data_dir` and brings its
    /// schema up to date.
    pub fn open_dir(data_dir: &Path) -> Result<Db> {
        std::fs::create_dir_all(data_dir).map_err(|e| CoreError::io(data_dir, e))?;
        Self::open(&data_dir.join(DB_FILE))
    }

    pub fn open(path: &Path) -> Result<Db> {
        let conn = Connection::open(path)?;
        // WAL survives power cuts without losing committed work and lets the
        // CLI read while the app writes.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed autosave survives a power cut, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        Self::prepare(conn, Some(path.to_path_buf()))
    }

    pub fn open_in_memory() -> Result<Db> {
        Self::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Db> {
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate_to(&mut conn, latest_version())?;
        seed::ensure_languages(&conn)?;
        trim_touched(&conn);
        Ok(Db {
            conn,
            path,
            extras: HashMap::new(),
        })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn schema_version(&self) -> Result<u32> {
        schema_version(&self.conn)
    }

    /// Runs `f` with a page cache big enough for work on many rows at once
    /// (a first sync of a province's terminology, sharing what was there
    /// before): SQLite then keeps its indexes in memory instead of reading
    /// them back from the OS for every row (a first sync took 1.2x as long
    /// without). The cache grows only as far as used and is given back after.
    pub fn with_large_cache<T>(&mut self, f: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        // Negative: KiB, not pages.
        const LARGE_CACHE_KIB: i64 = -128 * 1024;
        let before: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn
            .pragma_update(None, "cache_size", LARGE_CACHE_KIB)?;
        let out = f(self);
        self.conn.pragma_update(None, "cache_size", before)?;
        out
    }

    /// The `T` kept with this database, made empty on first use.
    pub fn extra<T: Any + Send + Default>(&mut self) -> &mut T {
        let slot = self
            .extras
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()));
        match slot.downcast_mut::<T>() {
            Some(t) => t,
            // Unreachable: each slot is keyed by its own type.
            None => unreachable!("extra slot holds another type"),
        }
    }
}

/// Keeps the logs of touched terms and units (read by the indexes of
/// `translate::index`) to their last 100,000 entries; an index that has not
/// read that far is built again. Housekeeping only: when another process is
/// writing, it waits for the next opening.
fn trim_touched(conn: &Connection) {
    for table in ["terms_touched", "tm_touched"] {
        let _ = conn.execute(
            &format!("DELETE FROM {table} WHERE seq <= (SELECT max(seq) FROM {table}) - 100000"),
            [],
        );
    }
}

/// Data that in-memory indexes are built from. Every change bumps its
/// counter, so a cached index knows when it is stale, whoever wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Revision {
    Glossary,
    Memory,
}

impl Revision {
    fn key(self) -> &'static str {
        match self {
            Revision::Glossary => "rev.glossary",
            Revision::Memory => "rev.memory",
        }
    }
}

pub fn bump_revision(conn: &Connection, what: Revision) -> Result<()> {
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?1, '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [what.key()],
    )?;
    Ok(())
}

pub fn revision(conn: &Connection, what: Revision) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?1",
            [what.key()],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// A LIKE pattern that finds `needle` anywhere, with LIKE's own wildcards
/// escaped (use with `ESCAPE '\'`). Empty needle gives an empty pattern,
/// which queries treat as "no filter".
pub fn like_contains(needle: &str) -> String {
    if needle.is_empty() {
        return String::new();
    }
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}
