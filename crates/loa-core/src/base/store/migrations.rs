//! The schema's history. Each step is SQL, and may be followed by a data step
//! written in Rust when SQL cannot do the work; a data step uses only the
//! base, never a stage's code, so that changing a stage never changes what
//! an old migration did.

use crate::base::error::{CoreError, Result};
use rusqlite::Connection;

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
        then: Some(fill_script_index),
    },
    Migration {
        version: 5,
        name: "templates",
        sql: include_str!("migrations/0005_templates.sql"),
        then: None,
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
        then: Some(super::seed::add_palettes),
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
    Migration {
        version: 15,
        name: "hub",
        sql: include_str!("migrations/0015_hub.sql"),
        then: None,
    },
    Migration {
        version: 16,
        name: "network air log",
        sql: include_str!("migrations/0016_network_air_log.sql"),
        then: None,
    },
    Migration {
        version: 17,
        name: "shared terminology",
        sql: include_str!("migrations/0017_shared_terminology.sql"),
        then: Some(give_uids),
    },
    Migration {
        version: 18,
        name: "index log",
        sql: include_str!("migrations/0018_index_log.sql"),
        then: None,
    },
    Migration {
        version: 19,
        name: "held sets' detail",
        sql: include_str!("migrations/0019_held_sets_detail.sql"),
        then: None,
    },
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
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

/// Migration 4's data step: the diacritic-folded full-text index of every
/// script (the draft stage keeps it current from then on).
fn fill_script_index(conn: &Connection) -> Result<()> {
    super::fts::index_scripts(conn, None)
}

/// Migration 17's data step: identities for what is already there, made
/// from content (docs/shared-terminology.md), so two offices that imported
/// the same glossary or memory hold the same concepts, terms and units.
fn give_uids(conn: &Connection) -> Result<()> {
    use crate::base::text::match_key;
    use crate::base::uid::from_content;
    use std::collections::HashSet;
    let mut used: HashSet<String> = HashSet::new();
    let mut unique = |candidate: String| -> Result<String> {
        if used.insert(candidate.clone()) {
            Ok(candidate)
        } else {
            let r = crate::base::uid::random()?;
            used.insert(r.clone());
            Ok(r)
        }
    };
    let concepts: Vec<(i64, String)> = conn
        .prepare("SELECT id, external_id FROM concepts ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, external) in concepts {
        let mut terms: Vec<(i64, String, String)> = conn
            .prepare_cached("SELECT id, lang, text FROM terms WHERE concept_id = ?1 ORDER BY id")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let uid = unique(crate::base::uid::concept_from_content(
            &external,
            terms.iter().map(|(_, l, t)| (l.as_str(), t.as_str())),
        ))?;
        conn.execute(
            "UPDATE concepts SET uid = ?2 WHERE id = ?1",
            rusqlite::params![id, uid],
        )?;
        for (tid, lang, text) in terms.drain(..) {
            let t = unique(from_content("term", &[&uid, &lang, &match_key(&text)]))?;
            conn.execute(
                "UPDATE terms SET uid = ?2 WHERE id = ?1",
                rusqlite::params![tid, t],
            )?;
        }
    }
    let units: Vec<(i64, String, String, String, String)> = conn
        .prepare(
            "SELECT id, source_lang, target_lang, source_key, target FROM tm_units ORDER BY id",
        )?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, sl, tl, key, target) in units {
        let uid = unique(from_content("tm", &[&sl, &tl, &key, &target]))?;
        conn.execute(
            "UPDATE tm_units SET uid = ?2 WHERE id = ?1",
            rusqlite::params![id, uid],
        )?;
    }
    Ok(())
}
