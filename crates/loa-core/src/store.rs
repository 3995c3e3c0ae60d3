//! The embedded SQLite database: opening, pragmas and versioned migrations.

use crate::error::{CoreError, Result};
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// A schema step. Steps are applied in order, each in its own transaction,
/// and `PRAGMA user_version` records the last one applied.
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
    /// Data work SQL cannot do (anything needing the text normalizer), run
    /// in the same transaction after `sql`.
    pub then: Option<fn(&Connection) -> Result<()>>,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "settings_stations",
        sql: include_str!("migrations/0001_settings_stations.sql"),
        then: None,
    },
    Migration {
        version: 2,
        name: "scripts",
        sql: include_str!("migrations/0002_scripts.sql"),
        then: None,
    },
    Migration {
        version: 3,
        name: "glossary",
        sql: include_str!("migrations/0003_glossary.sql"),
        then: None,
    },
    Migration {
        version: 4,
        name: "script_workflow",
        sql: include_str!("migrations/0004_script_workflow.sql"),
        then: Some(crate::script::reindex_all),
    },
    Migration {
        version: 5,
        name: "templates",
        sql: include_str!("migrations/0005_templates.sql"),
        then: Some(crate::template::add_builtin),
    },
    Migration {
        version: 6,
        name: "readers",
        sql: include_str!("migrations/0006_readers.sql"),
        then: None,
    },
    Migration {
        version: 7,
        name: "memory",
        sql: include_str!("migrations/0007_memory.sql"),
        then: None,
    },
    Migration {
        version: 8,
        name: "translation",
        sql: include_str!("migrations/0008_translation.sql"),
        then: Some(crate::language::add_palettes),
    },
    Migration {
        version: 9,
        name: "takes",
        sql: include_str!("migrations/0009_takes.sql"),
        then: None,
    },
    Migration {
        version: 10,
        name: "take edits",
        sql: include_str!("migrations/0010_take_edits.sql"),
        then: None,
    },
    Migration {
        version: 11,
        name: "transcripts",
        sql: include_str!("migrations/0011_transcripts.sql"),
        then: None,
    },
    Migration {
        version: 12,
        name: "packages",
        sql: include_str!("migrations/0012_packages.sql"),
        then: None,
    },
    Migration {
        version: 13,
        name: "schedule",
        sql: include_str!("migrations/0013_schedule.sql"),
        then: None,
    },
    Migration {
        version: 14,
        name: "imported packages",
        sql: include_str!("migrations/0014_imported_packages.sql"),
        then: None,
    },
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

pub const DB_FILE: &str = "loa.sqlite";

pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
    pub(crate) cache: crate::cache::Indexes,
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
        crate::language::ensure_defaults(&conn)?;
        Ok(Db {
            conn,
            path,
            cache: Default::default(),
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
}

pub fn schema_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies every migration above the current version up to `target`. A
/// database written by a newer app is refused rather than guessed at.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32> {
    let current = schema_version(conn)?;
    if current > latest_version() {
        return Err(CoreError::SchemaTooNew {
            found: current,
            supported: latest_version(),
        });
    }
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        if let Some(then) = m.then {
            then(&tx)?;
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    schema_version(conn)
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
