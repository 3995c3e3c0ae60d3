//! Term recognition: every glossary term in a text, found in one pass.
//!
//! Text and terms are compared in their match form: words (runs of letters
//! and digits) in canonical tone placement and lower case, one space between
//! words and a separator mark wherever punctuation stood, so a term never
//! matches across a comma or a full stop. Each term is anchored by a leading
//! space, so matches start on a syllable boundary; the end is checked, and
//! of overlapping candidates the leftmost-longest wins ("Ủy ban nhân dân
//! tỉnh" over "Ủy ban nhân dân"). One Aho–Corasick automaton serves the
//! whole glossary: the cost is the text's length, not the number of terms.
//!
//! In Vietnamese a syllable boundary is not a word boundary: the glossary's
//! "kiến" (ant) is not in "kiến thức" (knowledge). A Vietnamese index keeps
//! a term only where it stands as a word of its own, by the word list of
//! `base::words`.

use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::base::words::{self, Lexicon};
use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Arc;
use ts_rs::TS;

/// Stands where punctuation separated two words; no term contains it.
const BREAK: char = '\u{1}';

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TermHit {
    /// Offsets in the original text, in characters (Unicode scalar values).
    pub start: u32,
    pub end: u32,
    /// The text as written there.
    pub text: String,
    pub term_id: i64,
    pub concept_id: i64,
    /// The glossary's form of the term.
    pub term: String,
}

/// A text in match form, with where each word came from.
struct MatchForm {
    key: String,
    /// Per word: byte offset of its leading space in `key`, byte length of
    /// the word in `key`, char range in the original.
    words: Vec<(usize, usize, u32, u32)>,
}

fn match_form(input: &str) -> MatchForm {
    let mut key = String::with_capacity(input.len() + 8);
    let mut words = Vec::new();
    let (mut last, mut chars) = (0usize, 0u32);
    for (at, word) in text::word_spans(input) {
        let gap = &input[last..at];
        chars += gap.chars().count() as u32;
        if !key.is_empty() && gap.chars().any(|c| !c.is_whitespace()) {
            key.push(' ');
            key.push(BREAK);
        }
        let start = chars;
        chars += word.chars().count() as u32;
        last = at + word.len();
        let pos = key.len();
        key.push(' ');
        let w = text::word_match_key(word);
        key.push_str(&w);
        words.push((pos, w.len(), start, chars));
    }
    MatchForm { key, words }
}

/// The match key of a term: its match form, or None when it has no words.
pub fn term_key(term: &str) -> Option<String> {
    let f = match_form(term);
    (!f.words.is_empty()).then_some(f.key)
}

#[derive(Clone)]
struct Entry {
    term_id: i64,
    concept_id: i64,
    term: String,
    /// Byte length of its match key.
    key_len: usize,
}

impl Entry {
    /// The entries not in `except`, as (term id, concept id, text).
    fn rows_except<'a>(
        entries: &'a [Entry],
        except: &'a HashSet<i64>,
    ) -> impl Iterator<Item = (i64, i64, String)> + 'a {
        entries
            .iter()
            .filter(|e| !except.contains(&e.term_id))
            .map(|e| (e.term_id, e.concept_id, e.term.clone()))
    }
}

/// Terms compiled into one automaton (pattern i is `entries[i]`).
struct Compiled {
    ac: Option<AhoCorasick>,
    entries: Vec<Entry>,
}

impl Compiled {
    fn new(terms: impl IntoIterator<Item = (i64, i64, String)>) -> Result<Compiled> {
        let mut keys = Vec::new();
        let mut entries = Vec::new();
        for (term_id, concept_id, term) in terms {
            let Some(key) = term_key(&term) else { continue };
            entries.push(Entry {
                term_id,
                concept_id,
                term,
                key_len: key.len(),
            });
            keys.push(key);
        }
        let ac = if keys.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&keys)
                    .map_err(|e| CoreError::DataFile {
                        name: "glossary".into(),
                        line: None,
                        detail: e.to_string(),
                    })?,
            )
        };
        Ok(Compiled { ac, entries })
    }

    /// Every occurrence that also ends on a word boundary: (start, end,
    /// entry).
    fn candidates<'a>(&'a self, key: &str, out: &mut Vec<(usize, usize, &'a Entry)>) {
        let Some(ac) = &self.ac else { return };
        let bytes = key.as_bytes();
        out.extend(
            ac.find_overlapping_iter(key)
                .filter(|m| m.end() == bytes.len() || bytes[m.end()] == b' ')
                .map(|m| (m.start(), m.end(), &self.entries[m.pattern().as_usize()])),
        );
    }
}

/// The automaton over one language's terms: the one built from the
/// database, and the terms changed since compiled apart (few, so cheap),
/// with the base's changed or removed terms passed over.
pub struct TermIndex {
    base: Arc<Compiled>,
    /// Terms of `base` changed or removed since it was built.
    stale: HashSet<i64>,
    delta: Compiled,
    len: usize,
    /// The language's words, where terms must stand as words of their own
    /// (Vietnamese); None: any syllable boundary will do.
    words: Option<&'static Lexicon>,
}

/// Which candidates (start, end, entry) in `form` start and end on word
/// boundaries: the syllables between punctuation marks are split into
/// words with the candidates themselves as possible words.
fn on_word_boundaries(
    form: &MatchForm,
    candidates: &mut Vec<(usize, usize, &Entry)>,
    lex: &Lexicon,
) {
    if candidates.is_empty() {
        return;
    }
    let span = |s: usize, e: usize| {
        (
            form.words.partition_point(|w| w.0 < s),
            form.words.partition_point(|w| w.0 + 1 + w.1 <= e),
        )
    };
    let spans: HashSet<(usize, usize)> = candidates.iter().map(|&(s, e, _)| span(s, e)).collect();
    let longest = spans.iter().map(|(a, b)| b - a).max().unwrap_or(1);
    let syllables: Vec<&str> = form
        .words
        .iter()
        .map(|w| &form.key[w.0 + 1..w.0 + 1 + w.1])
        .collect();
    let bytes = form.key.as_bytes();
    let n = syllables.len();
    let mut boundary = vec![false; n + 1];
    let mut start = 0;
    for k in 1..=n {
        // A punctuation mark ends a run: no word spans it.
        let broken = k == n || (form.words[k].0 > 0 && bytes[form.words[k].0 - 1] == BREAK as u8);
        if !broken {
            continue;
        }
        let run = lex.boundaries(&syllables[start..k], longest, |i, j| {
            spans.contains(&(start + i, start + j))
        });
        for (i, b) in run.into_iter().enumerate() {
            boundary[start + i] |= b;
        }
        start = k;
    }
    candidates.retain(|&(s, e, _)| {
        let (a, b) = span(s, e);
        boundary[a] && boundary[b]
    });
}

impl TermIndex {
    /// Builds from (term id, concept id, term text). Terms whose match key is
    /// empty are skipped; where several terms share a key, the one with the
    /// lowest id is found.
    pub fn build(terms: impl IntoIterator<Item = (i64, i64, String)>) -> Result<TermIndex> {
        let base = Compiled::new(terms)?;
        Ok(TermIndex {
            len: base.entries.len(),
            base: Arc::new(base),
            stale: HashSet::new(),
            delta: Compiled::new([])?,
            words: None,
        })
    }

    /// This index finding terms only where they stand as words of their
    /// own, by `words` (see [`on_word_boundaries`]).
    pub fn with_words(mut self, words: Option<&'static Lexicon>) -> TermIndex {
        self.words = words;
        self
    }

    /// The word list for terms in `lang`: Vietnamese has one.
    fn words_for(lang: &str) -> Option<&'static Lexicon> {
        (lang == words::LANG).then(words::vietnamese).flatten()
    }

    /// (term id, concept id, text) as a query returns them.
    pub(crate) fn rows(
        conn: &rusqlite::Connection,
        sql: &str,
        p: impl rusqlite::Params,
    ) -> Result<Vec<(i64, i64, String)>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_map(p, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The automaton for the glossary's terms in `lang`, forbidden terms
    /// included (QA needs to find those too).
    pub fn load(db: &Db, lang: &str) -> Result<TermIndex> {
        Ok(TermIndex::build(TermIndex::rows(
            db.conn(),
            "SELECT t.id, t.concept_id, t.text FROM terms t
               JOIN concepts c ON c.id = t.concept_id AND c.deleted_at IS NULL
              WHERE t.lang = ?1 ORDER BY t.id",
            [lang],
        )?)?
        .with_words(TermIndex::words_for(lang)))
    }

    /// This index after the terms `touched` changed: `now` holds those of
    /// them that are (still) in the glossary, as they are now. The base
    /// automaton is kept; only the changed terms are compiled, unless they
    /// have grown to a good part of the whole (then all are compiled again,
    /// from memory).
    pub fn with_changes(&self, touched: &[i64], now: Vec<(i64, i64, String)>) -> Result<TermIndex> {
        let touched: HashSet<i64> = touched.iter().copied().collect();
        let mut stale = self.stale.clone();
        stale.extend(touched.iter().copied());
        let mut delta: Vec<(i64, i64, String)> = Entry::rows_except(&self.delta.entries, &touched)
            .chain(now)
            .collect();
        if delta.len() > (self.base.entries.len() / 20).max(200) {
            let mut all: Vec<(i64, i64, String)> = Entry::rows_except(&self.base.entries, &stale)
                .chain(delta)
                .collect();
            all.sort_by_key(|t| t.0);
            return Ok(TermIndex::build(all)?.with_words(self.words));
        }
        delta.sort_by_key(|t| t.0);
        let delta = Compiled::new(delta)?;
        let len = self
            .base
            .entries
            .iter()
            .filter(|e| !stale.contains(&e.term_id))
            .count()
            + delta.entries.len();
        Ok(TermIndex {
            base: Arc::clone(&self.base),
            stale,
            delta,
            len,
            words: self.words,
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn alive(&self) -> impl Iterator<Item = &Entry> {
        self.base
            .entries
            .iter()
            .filter(|e| !self.stale.contains(&e.term_id))
            .chain(self.delta.entries.iter())
    }

    /// Every term occurrence in `input`, left to right, longest first where
    /// candidates overlap.
    pub fn find(&self, input: &str) -> Vec<TermHit> {
        if self.len == 0 {
            return Vec::new();
        }
        let form = match_form(input);
        let mut candidates = Vec::new();
        self.base.candidates(&form.key, &mut candidates);
        if !self.stale.is_empty() {
            candidates.retain(|(_, _, e)| !self.stale.contains(&e.term_id));
        }
        self.delta.candidates(&form.key, &mut candidates);
        self.select(input, &form, candidates)
    }

    /// Leftmost-longest choice among boundary-checked candidates (start, end,
    /// pattern) in `form`, mapped back to the original text.
    fn select(
        &self,
        input: &str,
        form: &MatchForm,
        mut candidates: Vec<(usize, usize, &Entry)>,
    ) -> Vec<TermHit> {
        if let Some(words) = self.words {
            on_word_boundaries(form, &mut candidates, words);
        }
        // Of terms with the same key, the lowest id: the same choice
        // whatever order the terms were taken in.
        candidates.sort_by_key(|&(s, e, t)| (s, std::cmp::Reverse(e), t.term_id));
        let chars: Vec<char> = input.chars().collect();
        let mut hits = Vec::new();
        let mut covered = 0usize;
        for (s, e, entry) in candidates {
            if s < covered {
                continue;
            }
            debug_assert_eq!(e - s, entry.key_len);
            // Leading spaces of words are the anchors: find the words spanned.
            let first = form.words.partition_point(|w| w.0 < s);
            let last = form.words.partition_point(|w| w.0 + 1 + w.1 <= e);
            let (Some(a), Some(b)) = (
                form.words.get(first),
                last.checked_sub(1).and_then(|l| form.words.get(l)),
            ) else {
                continue;
            };
            hits.push(TermHit {
                start: a.2,
                end: b.3,
                text: chars[a.2 as usize..b.3 as usize].iter().collect(),
                term_id: entry.term_id,
                concept_id: entry.concept_id,
                term: entry.term.clone(),
            });
            covered = e;
        }
        hits
    }

    /// The same answer found the slow way: each term searched on its own, as
    /// tools without an automaton do. For the benchmark and the tests.
    pub fn find_naive(&self, input: &str) -> Vec<TermHit> {
        let form = match_form(input);
        let keys: Vec<(&Entry, String)> = self
            .alive()
            .filter_map(|e| Some((e, term_key(&e.term)?)))
            .collect();
        let mut candidates = Vec::new();
        for (entry, k) in &keys {
            let mut from = 0;
            while let Some(pos) = form.key[from..].find(k.as_str()) {
                let s = from + pos;
                let e = s + k.len();
                if e == form.key.len() || form.key.as_bytes()[e] == b' ' {
                    candidates.push((s, e, *entry));
                }
                from = s + 1;
            }
        }
        self.select(input, &form, candidates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(terms: &[&str]) -> TermIndex {
        TermIndex::build(
            terms
                .iter()
                .enumerate()
                .map(|(i, t)| (i as i64 + 1, i as i64 + 1, t.to_string())),
        )
        .unwrap()
    }

    fn found(ix: &TermIndex, text: &str) -> Vec<(String, String)> {
        ix.find(text)
            .into_iter()
            .map(|h| (h.text, h.term))
            .collect()
    }

    #[test]
    fn tone_style_and_case_do_not_matter() {
        let ix = index(&["Ủy ban nhân dân", "hộ nghèo", "bảo hiểm y tế"]);
        for text in [
            "Uỷ ban nhân dân xã",
            "ỦY BAN NHÂN DÂN xã",
            "ủy ban nhân dân xã",
        ] {
            let hits = ix.find(text);
            assert_eq!(hits.len(), 1, "{text}");
            assert_eq!(hits[0].term, "Ủy ban nhân dân");
            assert_eq!((hits[0].start, hits[0].end), (0, 15));
        }
        // Diacritics are meaning in Vietnamese: "ho ngheo" is not "hộ nghèo".
        assert!(ix.find("ho ngheo").is_empty());
    }

    #[test]
    fn longest_match_and_syllable_boundaries() {
        let ix = index(&["ủy ban nhân dân", "ủy ban nhân dân tỉnh", "dân", "an"]);
        assert_eq!(
            found(&ix, "Ủy ban nhân dân tỉnh họp với dân bản."),
            vec![
                ("Ủy ban nhân dân tỉnh".into(), "ủy ban nhân dân tỉnh".into()),
                ("dân".into(), "dân".into()),
            ]
        );
        // "an" inside "ban" or "toàn" is not the word "an".
        assert!(found(&ix, "ban toàn").is_empty());
        assert_eq!(found(&ix, "an toàn").len(), 1);
    }

    #[test]
    fn punctuation_breaks_terms_and_offsets_are_characters() {
        let ix = index(&["hộ nghèo", "tiêm chủng"]);
        assert!(ix.find("Các hộ, nghèo").is_empty());
        let hits = ix.find("“Tiêm chủng” cho hộ nghèo.");
        assert_eq!(hits.len(), 2);
        assert_eq!((hits[0].start, hits[0].end), (1, 11));
        assert_eq!(hits[1].text, "hộ nghèo");
    }

    #[test]
    fn automaton_and_naive_agree() {
        let ix = index(&[
            "thông tin",
            "thông tin cơ sở",
            "cơ sở",
            "người dân",
            "dân",
            "vùng sâu",
            "vùng xa",
        ]);
        let text = "Cung cấp thông tin cơ sở cho người dân vùng sâu, vùng xa; thông tin đến dân.";
        assert_eq!(ix.find(text), ix.find_naive(text));
        assert_eq!(ix.find(text).len(), 6);
    }
}
