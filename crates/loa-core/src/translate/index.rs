//! In-memory indexes kept with the open database: the term automaton per
//! language and the fuzzy memory index per language pair. Each remembers the
//! data revision it was built from and how far it has read the log of
//! touched rows (`terms_touched`, `tm_touched`): when the data changed, it
//! takes in only the rows touched since (an edit here, a hundred changes
//! from another office) and is built again from the database only when
//! much changed at once (a first sync) or the log no longer reaches back.

use crate::base::error::Result;
use crate::base::store::{revision, Db, Revision};
use crate::translate::glossary::terms::TermIndex;
use crate::translate::memory::{self, TmIndex, TmUnit};
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::sync::Arc;

struct Built<T> {
    rev: i64,
    /// The last log entry taken in.
    seen: i64,
    ix: Arc<T>,
}

#[derive(Default)]
pub struct Indexes {
    terms: HashMap<String, Built<TermIndex>>,
    memory: HashMap<(String, String), Built<TmIndex>>,
    rebuilds: u64,
}

/// How many touched rows an index takes in before it is cheaper to build
/// it again.
fn budget(len: usize) -> usize {
    (len / 10).max(1000)
}

/// The log's last entry, and whether it still holds everything after
/// `seen`.
fn log_reach(conn: &Connection, table: &str, seen: i64) -> Result<(i64, bool)> {
    let (first, last): (Option<i64>, Option<i64>) = conn.query_row(
        &format!("SELECT min(seq), max(seq) FROM {table}"),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // Entries are numbered up from the last one kept (the bound never takes
    // the last): a number below `seen` means the log was emptied.
    let whole = first.is_none_or(|f| f <= seen + 1) && last.is_none_or(|l| l >= seen);
    Ok((last.unwrap_or(seen).max(seen), whole))
}

fn json_ids(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

impl Db {
    /// Full builds of an index since this database was opened (tests and
    /// benchmarks check that a few changes never cause one).
    pub fn index_rebuilds(&mut self) -> u64 {
        self.extra::<Indexes>().rebuilds
    }

    pub fn term_index(&mut self, lang: &str) -> Result<Arc<TermIndex>> {
        let rev = revision(self.conn(), Revision::Glossary)?;
        let cached = self
            .extra::<Indexes>()
            .terms
            .get(lang)
            .map(|b| (b.rev, b.seen, Arc::clone(&b.ix)));
        let (seen, ix) = match cached {
            Some((r, _, ix)) if r == rev => return Ok(ix),
            Some((_, seen, ix)) => match self.terms_since(lang, seen, &ix)? {
                Some(next) => next,
                None => self.terms_anew(lang)?,
            },
            None => self.terms_anew(lang)?,
        };
        self.extra::<Indexes>().terms.insert(
            lang.to_string(),
            Built {
                rev,
                seen,
                ix: Arc::clone(&ix),
            },
        );
        Ok(ix)
    }

    fn terms_anew(&mut self, lang: &str) -> Result<(i64, Arc<TermIndex>)> {
        // Read the log's end first: a write landing meanwhile is taken in
        // again next time (taking a row in twice changes nothing).
        let (seen, _) = log_reach(self.conn(), "terms_touched", 0)?;
        let ix = Arc::new(TermIndex::load(self, lang)?);
        self.extra::<Indexes>().rebuilds += 1;
        Ok((seen, ix))
    }

    /// The index with the terms touched since `seen` taken in, or None when
    /// building it again is the way.
    fn terms_since(
        &mut self,
        lang: &str,
        seen: i64,
        ix: &TermIndex,
    ) -> Result<Option<(i64, Arc<TermIndex>)>> {
        let conn = self.conn();
        let (last, whole) = log_reach(conn, "terms_touched", seen)?;
        if !whole {
            return Ok(None);
        }
        let limit = budget(ix.len());
        let touched: Vec<i64> = conn
            .prepare_cached(
                "SELECT DISTINCT term_id FROM terms_touched
                  WHERE seq > ?1 AND seq <= ?2 AND lang = ?3 LIMIT ?4",
            )?
            .query_map(params![seen, last, lang, limit as i64 + 1], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if touched.len() > limit {
            return Ok(None);
        }
        let now = TermIndex::rows(
            conn,
            "SELECT t.id, t.concept_id, t.text FROM terms t
               JOIN concepts c ON c.id = t.concept_id AND c.deleted_at IS NULL
              WHERE t.lang = ?1 AND t.id IN (SELECT value FROM json_each(?2)) ORDER BY t.id",
            params![lang, json_ids(&touched)],
        )?;
        Ok(Some((last, Arc::new(ix.with_changes(&touched, now)?))))
    }

    pub fn tm_index(&mut self, source_lang: &str, target_lang: &str) -> Result<Arc<TmIndex>> {
        let rev = revision(self.conn(), Revision::Memory)?;
        let key = (source_lang.to_string(), target_lang.to_string());
        let cached = self.extra::<Indexes>().memory.remove(&key);
        let (seen, ix) = match cached {
            Some(b) if b.rev == rev => {
                let ix = Arc::clone(&b.ix);
                self.extra::<Indexes>().memory.insert(key, b);
                return Ok(ix);
            }
            Some(b) => match self.units_since(source_lang, target_lang, b.seen, b.ix)? {
                Ok(next) => next,
                Err(()) => self.units_anew(source_lang, target_lang)?,
            },
            None => self.units_anew(source_lang, target_lang)?,
        };
        self.extra::<Indexes>().memory.insert(
            key,
            Built {
                rev,
                seen,
                ix: Arc::clone(&ix),
            },
        );
        Ok(ix)
    }

    fn units_anew(&mut self, source_lang: &str, target_lang: &str) -> Result<(i64, Arc<TmIndex>)> {
        let (seen, _) = log_reach(self.conn(), "tm_touched", 0)?;
        let ix = Arc::new(TmIndex::load(self, source_lang, target_lang)?);
        self.extra::<Indexes>().rebuilds += 1;
        Ok((seen, ix))
    }

    /// The index with the units saved since `seen` pushed in; Err when it
    /// must be built again (a unit left, too many came, or the index is in
    /// use elsewhere and cannot be changed in place).
    fn units_since(
        &mut self,
        source_lang: &str,
        target_lang: &str,
        seen: i64,
        mut ix: Arc<TmIndex>,
    ) -> Result<std::result::Result<(i64, Arc<TmIndex>), ()>> {
        let conn = self.conn();
        let (last, whole) = log_reach(conn, "tm_touched", seen)?;
        if !whole {
            return Ok(Err(()));
        }
        let limit = budget(ix.len());
        let touched: Vec<(i64, bool)> = conn
            .prepare_cached(
                "SELECT unit_id, max(gone) FROM tm_touched
                  WHERE seq > ?1 AND seq <= ?2 AND source_lang = ?3 AND target_lang = ?4
                  GROUP BY unit_id LIMIT ?5",
            )?
            .query_map(
                params![seen, last, source_lang, target_lang, limit as i64 + 1],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        if touched.len() > limit || touched.iter().any(|(_, gone)| *gone) {
            return Ok(Err(()));
        }
        let ids: Vec<i64> = touched.into_iter().map(|(id, _)| id).collect();
        let units: Vec<TmUnit> = memory::units_with_ids(conn, &ids)?;
        let Some(index) = Arc::get_mut(&mut ix) else {
            return Ok(Err(()));
        };
        for unit in units {
            index.push(unit);
        }
        Ok(Ok((last, ix)))
    }
}

#[cfg(test)]
mod tests;
