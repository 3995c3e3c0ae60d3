//! Term recognition measured on real policy sentences labelled by hand
//! (`tests/data/term-sentences.tsv`, its header says where they come from
//! and how they were labelled): the demo glossary's Vietnamese terms must be
//! found where they stand as words of their own, and not inside longer words.
//! Run with `--nocapture` for the figures README quotes.

use loa_core::translate::glossary::terms::TermIndex;
use loa_core::Db;

const SENTENCES: &str = include_str!("data/term-sentences.tsv");

struct Labelled {
    split: String,
    text: String,
    /// Character ranges of the bracketed occurrences in `text`.
    terms: Vec<(u32, u32)>,
}

fn labelled() -> Vec<Labelled> {
    let mut out = Vec::new();
    for line in SENTENCES.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(split), Some(_source), Some(marked)) = (cols.next(), cols.next(), cols.next())
        else {
            panic!("three columns: {line}");
        };
        let (mut text, mut terms, mut open, mut at) = (String::new(), Vec::new(), None, 0u32);
        for c in marked.chars() {
            match c {
                '[' => open = Some(at),
                ']' => terms.push((open.take().expect("[ before ]"), at)),
                c => {
                    text.push(c);
                    at += 1;
                }
            }
        }
        out.push(Labelled {
            split: split.into(),
            text,
            terms,
        });
    }
    out
}

/// (true positives, false positives, false negatives) over one split.
fn score(index: &TermIndex, sentences: &[Labelled], split: &str) -> (usize, usize, usize) {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for s in sentences.iter().filter(|s| s.split == split) {
        let found: Vec<(u32, u32)> = index
            .find(&s.text)
            .iter()
            .map(|h| (h.start, h.end))
            .collect();
        tp += found.iter().filter(|f| s.terms.contains(f)).count();
        fp += found.iter().filter(|f| !s.terms.contains(f)).count();
        fn_ += s.terms.iter().filter(|t| !found.contains(t)).count();
    }
    (tp, fp, fn_)
}

fn ratios((tp, fp, fn_): (usize, usize, usize)) -> (f64, f64) {
    (
        tp as f64 / (tp + fp).max(1) as f64,
        tp as f64 / (tp + fn_).max(1) as f64,
    )
}

/// A data folder with the demo glossary (Vietic 116: Vietnamese and Mường).
fn demo() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_dir(dir.path()).unwrap();
    loa_core::demo::seed(&mut db).unwrap();
    (dir, db)
}

#[test]
fn the_demo_glossary_is_recognised_only_where_its_terms_stand_as_words() {
    let (_dir, db) = demo();
    let words = TermIndex::load(&db, "vie").unwrap();
    // The same terms on syllable boundaries alone, as before the word list.
    let syllables = TermIndex::load(&db, "vie").unwrap().with_words(None);
    let sentences = labelled();
    assert!(sentences.len() > 150, "{}", sentences.len());
    for split in ["dev", "test"] {
        let before = score(&syllables, &sentences, split);
        let after = score(&words, &sentences, split);
        let ((p0, r0), (p1, r1)) = (ratios(before), ratios(after));
        let n = sentences.iter().filter(|s| s.split == split).count();
        eprintln!(
            "{split} ({n} sentences, {} terms): syllable boundaries P {p0:.3} R {r0:.3}; \
             words of their own P {p1:.3} R {r1:.3} (tp {}, fp {}, fn {})",
            before.0 + before.2,
            after.0,
            after.1,
            after.2
        );
        assert!(p1 > p0, "{split}: the word list must remove false matches");
    }
    let (precision, recall) = ratios(score(&words, &sentences, "test"));
    assert!(precision >= 0.95, "held-out precision {precision:.3}");
    assert!(recall >= 0.95, "held-out recall {recall:.3}");
}

#[test]
fn a_term_inside_a_longer_word_is_not_a_term() {
    let (_dir, db) = demo();
    let ix = TermIndex::load(&db, "vie").unwrap();
    let found = |t: &str| -> Vec<String> { ix.find(t).into_iter().map(|h| h.text).collect() };
    assert_eq!(found("Phổ biến kiến thức cho cá nhân."), ["cho"]);
    assert_eq!(
        found("Đàn kiến đi trên lưng con cá."),
        ["kiến", "đi", "lưng", "con", "cá"]
    );
    // Minority-language terms have no word list: syllable boundaries only.
    let mtq = TermIndex::load(&db, "mtq").unwrap();
    assert!(!mtq.find("kiển").is_empty());
}
