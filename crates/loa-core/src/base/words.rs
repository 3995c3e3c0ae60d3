//! Where a Vietnamese sentence's words begin and end.
//!
//! Vietnamese puts a space between syllables, not between words: "kiến
//! thức" (knowledge) is one word of two syllables, and the glossary's "kiến"
//! (ant) is not in it. A list of Vietnamese words of two to four syllables
//! (`assets/data/vi-words`, shipped as a file beside the program, see its
//! README) splits a run of syllables into the fewest words; a syllable the
//! list does not join to its neighbours is a word of its own. Term
//! recognition keeps a term only where it starts and ends on these
//! boundaries. The figures are in README (precision and recall on real
//! policy sentences labelled by hand).

use crate::base::text;
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The registry code of the language these words are of.
pub const LANG: &str = "vie";

/// Longest entry the list is read with, in syllables; longer ones are
/// sayings, not words.
pub const LONGEST: usize = 4;

/// The folder holding the lists, as installed (see [`crate::base::paths::program_dirs`]).
pub const FOLDER: &str = "vi-words";

/// Words of two or more syllables, kept as hashes of their syllables' match
/// keys: 61,000 words in half a megabyte instead of several.
#[derive(Debug, Default)]
pub struct Lexicon {
    words: HashSet<u64>,
    longest: usize,
}

fn hash(syllables: &[&str]) -> u64 {
    // DefaultHasher::new() has fixed keys: the same hash in every run.
    let mut h = DefaultHasher::new();
    for s in syllables {
        s.hash(&mut h);
    }
    h.finish()
}

impl Lexicon {
    /// Reads word lists: one word a line, `#` starts a comment line. Tone
    /// placement, case and Unicode form do not matter (each syllable is
    /// taken in its match key, as the text it is compared with).
    pub fn parse<'a>(lists: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut lex = Lexicon::default();
        for list in lists {
            for line in list.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let keys: Vec<String> = text::words(line).map(text::word_match_key).collect();
                if (2..=LONGEST).contains(&keys.len()) {
                    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                    lex.words.insert(hash(&keys));
                    lex.longest = lex.longest.max(keys.len());
                }
            }
        }
        lex
    }

    /// Reads `words.txt` and `extra.txt` from `dir`; None when the main list
    /// is missing.
    pub fn read_dir(dir: &Path) -> Option<Lexicon> {
        let main = std::fs::read_to_string(dir.join("words.txt")).ok()?;
        let extra = std::fs::read_to_string(dir.join("extra.txt")).unwrap_or_default();
        Some(Lexicon::parse([main.as_str(), extra.as_str()]))
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether these syllables (match keys) are one word of the list.
    pub fn contains(&self, syllables: &[&str]) -> bool {
        syllables.len() >= 2
            && syllables.len() <= self.longest
            && self.words.contains(&hash(syllables))
    }

    /// Where the words of `syllables` (match keys, with no punctuation
    /// between them) begin and end: `out[i]` is true where a word starts
    /// before syllable `i`; `out[0]` and `out[n]` always are. The
    /// syllables are split into the fewest words, where a word is a single
    /// syllable, a word of the list, or a span `also(i, j)` accepts
    /// (glossary terms, so a term of several syllables is a candidate word
    /// itself), at most `longest` syllables long; of equally few words, the
    /// longest first word wins, as in the term matcher.
    pub fn boundaries(
        &self,
        syllables: &[&str],
        longest: usize,
        also: impl Fn(usize, usize) -> bool,
    ) -> Vec<bool> {
        let n = syllables.len();
        let longest = longest.max(self.longest).max(1);
        // fewest[i]: the fewest words syllables[i..] split into; next[i]:
        // where the first of them ends.
        let mut fewest = vec![usize::MAX; n + 1];
        let mut next = vec![0usize; n + 1];
        fewest[n] = 0;
        for i in (0..n).rev() {
            for j in (i + 1..=(i + longest).min(n)).rev() {
                let word = j == i + 1 || self.contains(&syllables[i..j]) || also(i, j);
                if word && fewest[j].saturating_add(1) < fewest[i] {
                    fewest[i] = fewest[j] + 1;
                    next[i] = j;
                }
            }
        }
        let mut out = vec![false; n + 1];
        out[0] = true;
        let mut i = 0;
        while i < n {
            i = next[i];
            out[i] = true;
        }
        out
    }
}

/// Where the installed lists are: the first of the program's folders that
/// has them.
pub fn installed_dir() -> Option<PathBuf> {
    crate::base::paths::program_dirs()
        .into_iter()
        .map(|d| d.join(FOLDER))
        .find(|d| d.join("words.txt").is_file())
}

/// The Vietnamese word list, read once; None when it is not installed
/// (then terms are recognised on syllable boundaries alone, as before).
pub fn vietnamese() -> Option<&'static Lexicon> {
    static WORDS: OnceLock<Option<Lexicon>> = OnceLock::new();
    WORDS
        .get_or_init(|| installed_dir().and_then(|d| Lexicon::read_dir(&d)))
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<String> {
        text::words(s).map(text::word_match_key).collect()
    }

    fn split(lex: &Lexicon, s: &str) -> String {
        let k = keys(s);
        let syl: Vec<&str> = k.iter().map(String::as_str).collect();
        let b = lex.boundaries(&syl, 0, |_, _| false);
        let mut out = String::new();
        for (i, w) in syl.iter().enumerate() {
            if i > 0 {
                out.push(if b[i] { '|' } else { '_' });
            }
            out.push_str(w);
        }
        out
    }

    #[test]
    fn syllables_are_joined_into_the_fewest_words() {
        let lex = Lexicon::parse(["# a comment\nkiến thức\ncá nhân\nuỷ ban nhân dân\nnhân dân\n"]);
        assert_eq!(lex.len(), 4);
        assert_eq!(
            split(&lex, "phổ biến kiến thức cho cá nhân"),
            "phổ|biến|kiến_thức|cho|cá_nhân"
        );
        // The list's old tone placement ("uỷ") matches the text's new one.
        assert_eq!(split(&lex, "Ủy ban nhân dân tỉnh"), "ủy_ban_nhân_dân|tỉnh");
        assert_eq!(split(&lex, "con kiến"), "con|kiến");
    }

    #[test]
    fn a_span_the_caller_knows_is_a_word_too() {
        let lex = Lexicon::parse(["sản xuất\nxuất khẩu"]);
        let k = keys("sản xuất khẩu trang");
        let syl: Vec<&str> = k.iter().map(String::as_str).collect();
        // Leftmost longest among equally few words.
        assert_eq!(
            lex.boundaries(&syl, 0, |_, _| false),
            [true, false, true, true, true]
        );
        // A glossary term "khẩu trang" of two syllables joins them.
        let b = lex.boundaries(&syl, 2, |i, j| (i, j) == (2, 4));
        assert_eq!(b, [true, false, true, false, true]);
    }

    #[test]
    fn the_shipped_lists_are_found_and_read() {
        let dir = installed_dir().expect("the word lists beside the program or in the checkout");
        let lex = Lexicon::read_dir(&dir).unwrap();
        assert!(lex.len() > 60_000, "{}", lex.len());
        for w in [
            "kiến thức",
            "cá nhân",
            "ủy ban nhân dân",
            "người dân",
            "chính sách",
        ] {
            let k = keys(w);
            assert!(
                lex.contains(&k.iter().map(String::as_str).collect::<Vec<_>>()),
                "{w}"
            );
        }
    }
}
