//! Translation memory: segment pairs saved as translators confirm them, and
//! fuzzy lookup of earlier translations for a new source segment.
//!
//! Similarity is measured on syllables, the unit Vietnamese is written in:
//! 1 − (syllable edit distance / longer length), after normalizing tones and
//! case. Lookup never scans the whole memory: an inverted index of syllable
//! pairs (bigrams) shortlists the units that share the most pairs with the
//! query, and only those are scored exactly.

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// Trados' default: below 70 % a match costs more to fix than to retype.
pub const DEFAULT_THRESHOLD: u32 = 70;
/// How many shortlisted units are scored exactly per lookup.
const SHORTLIST: usize = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TmUnit {
    pub id: i64,
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
    pub translator: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TmMatch {
    pub unit: TmUnit,
    /// 0–100.
    pub score: u32,
}

pub use crate::base::text::syllables;

/// Levenshtein distance over syllables, in O(n·m) time and O(m) memory.
pub fn edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Similarity 0–100 of two syllable sequences.
pub fn similarity<T: PartialEq>(a: &[T], b: &[T]) -> u32 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 100;
    }
    let d = edit_distance(a, b);
    (100 * (longer - d) / longer) as u32
}

/// Saves a confirmed pair (an identical pair is only touched, not doubled).
pub fn add(
    conn: &rusqlite::Connection,
    source_lang: &str,
    target_lang: &str,
    source: &str,
    target: &str,
    translator: &str,
    script_id: Option<i64>,
) -> Result<i64> {
    let source = text::canonical_vi_line(source);
    let target = text::clean_line(target);
    if source.is_empty() || target.is_empty() {
        return Err(CoreError::invalid("segment", "empty"));
    }
    let key = syllables(&source).join(" ");
    let t = now();
    crate::base::store::bump_revision(conn, crate::base::store::Revision::Memory)?;
    // The same pair saved by two offices is one unit.
    let uid = crate::base::uid::from_content("tm", &[source_lang, target_lang, &key, &target]);
    // Cached statements: a TMX import adds thousands.
    conn.prepare_cached(
        "INSERT INTO tm_units(source_lang, target_lang, source, target, source_key, script_id,
                              translator, created_at, updated_at, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)
         ON CONFLICT(source_lang, target_lang, source_key, target)
         DO UPDATE SET updated_at = excluded.updated_at, translator = excluded.translator",
    )?
    .execute(params![
        source_lang,
        target_lang,
        source,
        target,
        key,
        script_id,
        translator,
        t,
        uid
    ])?;
    let (id, uid): (i64, String) = conn
        .prepare_cached(
            "SELECT id, uid FROM tm_units
              WHERE source_lang = ?1 AND target_lang = ?2 AND source_key = ?3 AND target = ?4",
        )?
        .query_row(params![source_lang, target_lang, key, target], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let value = crate::translate::sharing::TmValue {
        source_lang: source_lang.to_string(),
        target_lang: target_lang.to_string(),
        source: source.clone(),
        target: target.clone(),
        translator: translator.to_string(),
    };
    crate::translate::sharing::record(
        conn,
        crate::translate::sharing::Kind::Tm,
        &uid,
        &value,
        translator,
        t,
    )?;
    Ok(id)
}

/// Records, as added, every unit saved before sharing began (no change
/// speaks of it); returns how many.
pub fn share_untracked(conn: &rusqlite::Connection) -> Result<usize> {
    let units: Vec<(String, crate::translate::sharing::TmValue, i64)> = conn
        .prepare(
            "SELECT uid, source_lang, target_lang, source, target, translator, updated_at
               FROM tm_units u
              WHERE NOT EXISTS (SELECT 1 FROM changes x WHERE x.kind = 'tm' AND x.subject = u.uid)
              ORDER BY id",
        )?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                crate::translate::sharing::TmValue {
                    source_lang: r.get(1)?,
                    target_lang: r.get(2)?,
                    source: r.get(3)?,
                    target: r.get(4)?,
                    translator: r.get(5)?,
                },
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (uid, value, at) in &units {
        let who = value.translator.clone();
        crate::translate::sharing::adopt(
            conn,
            crate::translate::sharing::Kind::Tm,
            uid,
            value,
            &who,
            *at,
        )?;
    }
    Ok(units.len())
}

/// Stored units of a language pair (or the one with `id`), oldest first:
/// the same order on every PC that holds the same changes.
pub fn units_of(
    conn: &rusqlite::Connection,
    source_lang: &str,
    target_lang: &str,
    id: Option<i64>,
) -> Result<Vec<TmUnit>> {
    units_where(
        conn,
        "source_lang = ?1 AND target_lang = ?2 AND (?3 IS NULL OR id = ?3)",
        params![source_lang, target_lang, id],
    )
}

/// Stored units with these ids (those that still exist), oldest first.
pub fn units_with_ids(conn: &rusqlite::Connection, ids: &[i64]) -> Result<Vec<TmUnit>> {
    units_where(
        conn,
        "id IN (SELECT value FROM json_each(?1))",
        [serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())],
    )
}

fn units_where(
    conn: &rusqlite::Connection,
    filter: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<TmUnit>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, source_lang, target_lang, source, target, translator, updated_at
           FROM tm_units WHERE {filter} ORDER BY created_at, uid"
    ))?;
    let units = stmt
        .query_map(p, |r| {
            Ok(TmUnit {
                id: r.get(0)?,
                source_lang: r.get(1)?,
                target_lang: r.get(2)?,
                source: r.get(3)?,
                target: r.get(4)?,
                translator: r.get(5)?,
                updated_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(units)
}

struct Indexed {
    unit: TmUnit,
    syllables: Vec<u32>,
}

/// The fuzzy index of one language pair, built from the stored units.
pub struct TmIndex {
    units: Vec<Indexed>,
    /// Unit id → position in `units`.
    positions: HashMap<i64, u32>,
    /// Syllable → number (so units compare as integer sequences).
    vocab: HashMap<String, u32>,
    /// Syllable bigram (or the single syllable of one-word units) → units.
    postings: HashMap<(u32, u32), Vec<u32>>,
}

fn grams(s: &[u32]) -> Vec<(u32, u32)> {
    if s.len() == 1 {
        return vec![(s[0], u32::MAX)];
    }
    let mut g: Vec<(u32, u32)> = s.windows(2).map(|w| (w[0], w[1])).collect();
    g.sort_unstable();
    g.dedup();
    g
}

impl TmIndex {
    pub fn build(units: Vec<TmUnit>) -> TmIndex {
        let mut ix = TmIndex {
            units: Vec::with_capacity(units.len()),
            positions: HashMap::with_capacity(units.len()),
            vocab: HashMap::new(),
            postings: HashMap::new(),
        };
        for unit in units {
            ix.append(unit);
        }
        ix
    }

    fn append(&mut self, unit: TmUnit) {
        let i = self.units.len() as u32;
        let ids: Vec<u32> = syllables(&unit.source)
            .into_iter()
            .map(|s| {
                let n = self.vocab.len() as u32;
                *self.vocab.entry(s).or_insert(n)
            })
            .collect();
        for g in grams(&ids) {
            self.postings.entry(g).or_default().push(i);
        }
        self.positions.insert(unit.id, i);
        self.units.push(Indexed {
            unit,
            syllables: ids,
        });
    }

    /// Adds a unit saved since the index was built, so new units do not
    /// rebuild it. A unit already indexed (same id; its text never changes)
    /// is only refreshed.
    pub fn push(&mut self, unit: TmUnit) {
        match self.positions.get(&unit.id) {
            Some(&i) => self.units[i as usize].unit = unit,
            None => self.append(unit),
        }
    }

    pub fn load(db: &Db, source_lang: &str, target_lang: &str) -> Result<TmIndex> {
        Ok(TmIndex::build(units_of(
            db.conn(),
            source_lang,
            target_lang,
            None,
        )?))
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn units(&self) -> Vec<&TmUnit> {
        self.units.iter().map(|u| &u.unit).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    fn query_ids(&self, source: &str) -> Vec<u32> {
        // Syllables the memory has never seen still count for length and
        // distance; they just share no bigram.
        syllables(source)
            .iter()
            .map(|s| self.vocab.get(s).copied().unwrap_or(u32::MAX - 1))
            .collect()
    }

    /// The best `limit` matches scoring at least `threshold`, best first.
    pub fn lookup(&self, source: &str, threshold: u32, limit: usize) -> Vec<TmMatch> {
        let q = self.query_ids(source);
        if q.is_empty() {
            return Vec::new();
        }
        let mut shared: HashMap<u32, u32> = HashMap::new();
        for g in grams(&q) {
            if let Some(list) = self.postings.get(&g) {
                for &u in list {
                    *shared.entry(u).or_default() += 1;
                }
            }
        }
        let mut shortlist: Vec<(u32, u32)> = shared.into_iter().collect();
        // Most shared bigrams first; equal counts: the closer length.
        shortlist.sort_unstable_by_key(|&(u, n)| {
            let len = self.units[u as usize].syllables.len();
            (std::cmp::Reverse(n), len.abs_diff(q.len()), u)
        });
        shortlist.truncate(SHORTLIST);
        self.score(&q, shortlist.into_iter().map(|(u, _)| u), threshold, limit)
    }

    /// The same answer by scoring every unit: the peer in benchmarks.
    pub fn lookup_brute_force(&self, source: &str, threshold: u32, limit: usize) -> Vec<TmMatch> {
        let q = self.query_ids(source);
        if q.is_empty() {
            return Vec::new();
        }
        self.score(&q, 0..self.units.len() as u32, threshold, limit)
    }

    fn score(
        &self,
        q: &[u32],
        candidates: impl Iterator<Item = u32>,
        threshold: u32,
        limit: usize,
    ) -> Vec<TmMatch> {
        let mut found: Vec<(u32, u32)> = candidates
            .filter_map(|u| {
                let s = &self.units[u as usize].syllables;
                // The length gap alone caps the score: skip hopeless units.
                let longer = s.len().max(q.len());
                if 100 * (longer - s.len().abs_diff(q.len())) / longer < threshold as usize {
                    return None;
                }
                let score = similarity(q, s);
                (score >= threshold).then_some((u, score))
            })
            .collect();
        found.sort_unstable_by_key(|&(u, score)| {
            (
                std::cmp::Reverse(score),
                std::cmp::Reverse(self.units[u as usize].unit.updated_at),
                u,
            )
        });
        found.truncate(limit);
        found
            .into_iter()
            .map(|(u, score)| TmMatch {
                unit: self.units[u as usize].unit.clone(),
                score,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, source: &str, target: &str) -> TmUnit {
        TmUnit {
            id,
            source_lang: "vie".into(),
            target_lang: "mtq".into(),
            source: source.into(),
            target: target.into(),
            translator: String::new(),
            updated_at: id,
        }
    }

    #[test]
    fn distance_and_similarity_on_syllables() {
        let a = syllables("Trạm y tế xã thông báo lịch tiêm chủng");
        let b = syllables("Trạm y tế phường thông báo lịch tiêm chủng");
        assert_eq!(edit_distance(&a, &b), 1);
        assert_eq!(similarity(&a, &b), 88);
        assert_eq!(similarity(&syllables("Uỷ ban"), &syllables("ỦY BAN")), 100);
        assert_eq!(similarity::<String>(&[], &[]), 100);
    }

    #[test]
    fn lookup_ranks_and_respects_threshold() {
        let ix = TmIndex::build(vec![
            unit(1, "Trạm y tế xã thông báo lịch tiêm chủng.", "T1"),
            unit(2, "Trạm y tế phường thông báo lịch tiêm chủng.", "T2"),
            unit(3, "Đề nghị bà con chủ động sắp xếp công việc.", "T3"),
            unit(4, "Trạm y tế", "T4"),
        ]);
        let m = ix.lookup("Trạm y tế xã thông báo lịch tiêm chủng cho trẻ.", 70, 5);
        assert_eq!(
            m.iter().map(|m| (m.unit.id, m.score)).collect::<Vec<_>>(),
            vec![(1, 81), (2, 72)]
        );
        assert_eq!(
            ix.lookup("Trạm y tế xã thông báo lịch tiêm chủng.", 70, 5)[0].score,
            100
        );
        assert!(ix.lookup("Hoàn toàn khác.", 70, 5).is_empty());
        assert!(ix.lookup("", 70, 5).is_empty());
    }

    #[test]
    fn stored_pairs_are_found_and_not_doubled() {
        let db = Db::open_in_memory().unwrap();
        let a = add(db.conn(), "vie", "mtq", "Hoà bình", "X", "Lan", None).unwrap();
        let b = add(db.conn(), "vie", "mtq", "Hòa bình", "X", "Lan", None).unwrap();
        assert_eq!(a, b, "tone style does not make a new unit");
        assert_eq!(
            add(db.conn(), "vie", "mtq", " ", "X", "", None)
                .unwrap_err()
                .code(),
            "invalid"
        );
        let ix = TmIndex::load(&db, "vie", "mtq").unwrap();
        assert_eq!(ix.len(), 1);
        assert_eq!(ix.lookup("hoà bình", 70, 5)[0].score, 100);
        assert!(TmIndex::load(&db, "vie", "ktv").unwrap().is_empty());
    }
}
