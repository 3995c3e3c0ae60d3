//! The indexes follow the data without being built again, and always
//! answer as one built afresh from the database would.

use crate::base::store::Db;
use crate::translate::glossary::terms::TermIndex;
use crate::translate::glossary::{self, ConceptInput, TermInput};
use crate::translate::memory::{self, TmIndex};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "hộ nghèo",
    "tiêm chủng",
    "nước sạch",
    "ủy ban nhân dân",
    "ủy ban nhân dân tỉnh",
    "dân",
    "rửa tay",
];

/// A text holding every word the tests use, each more than once.
fn text() -> String {
    let all = WORDS.join(", ");
    format!("{all}; Uỷ ban nhân dân tỉnh và {all}.")
}

fn concept(words: &[&str]) -> ConceptInput {
    ConceptInput {
        terms: words
            .iter()
            .map(|w| TermInput {
                lang: "vie".into(),
                text: w.to_string(),
                status: "admitted".into(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// The cached index finds what a fresh one finds, term for term.
fn agrees(db: &mut Db) {
    let cached = db.term_index("vie").unwrap();
    let fresh = TermIndex::load(db, "vie").unwrap();
    assert_eq!(cached.find(&text()), fresh.find(&text()));
    assert_eq!(cached.find(&text()), cached.find_naive(&text()));
    assert_eq!(cached.len(), fresh.len());
}

#[derive(Debug, Clone)]
enum Op {
    Create(Vec<usize>),
    Edit(usize, Vec<usize>),
    Delete(usize),
    Undelete(usize),
    Merge(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let words = || proptest::collection::vec(0..WORDS.len(), 1..3);
    prop_oneof![
        words().prop_map(Op::Create),
        (0..8usize, words()).prop_map(|(i, w)| Op::Edit(i, w)),
        (0..8usize).prop_map(Op::Delete),
        (0..8usize).prop_map(Op::Undelete),
        (0..8usize, 0..8usize).prop_map(|(a, b)| Op::Merge(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random edits, deletes, undos and merges (terms sharing a key
    /// included): after each, term recognition answers as a fresh index
    /// does, and the index was built once only.
    #[test]
    fn term_recognition_follows_every_edit(ops in proptest::collection::vec(op(), 1..24)) {
        let mut db = Db::open_in_memory().unwrap();
        let mut ids: Vec<i64> = Vec::new();
        let _ = db.term_index("vie").unwrap();
        for op in ops {
            let pick = |i: usize| (!ids.is_empty()).then(|| ids[i % ids.len()]);
            let words = |w: &[usize]| w.iter().map(|&i| WORDS[i]).collect::<Vec<_>>();
            // Refusals (a deleted concept edited, a merge into itself) are
            // part of the game: they must leave the index right too.
            match op {
                Op::Create(w) => {
                    if let Ok(c) = glossary::create(&mut db, &concept(&words(&w)), "T") {
                        ids.push(c.id);
                    }
                }
                Op::Edit(i, w) => {
                    if let Some(id) = pick(i) {
                        let _ = glossary::update(&mut db, id, &concept(&words(&w)), "T");
                    }
                }
                Op::Delete(i) => {
                    if let Some(id) = pick(i) {
                        let _ = glossary::delete(&mut db, id, "T");
                    }
                }
                Op::Undelete(i) => {
                    if let Some(id) = pick(i) {
                        let _ = glossary::undelete(&mut db, id, "T");
                    }
                }
                Op::Merge(a, b) => {
                    if let (Some(a), Some(b)) = (pick(a), pick(b)) {
                        let _ = glossary::merge(&mut db, a, b, "T");
                    }
                }
            }
            agrees(&mut db);
        }
        prop_assert_eq!(db.index_rebuilds(), 1);
    }
}

#[test]
fn of_terms_sharing_a_key_the_oldest_row_is_found_whatever_was_removed() {
    let mut db = Db::open_in_memory().unwrap();
    let a = glossary::create(&mut db, &concept(&["hộ nghèo"]), "T").unwrap();
    let b = glossary::create(&mut db, &concept(&["Hộ nghèo"]), "T").unwrap();
    let hit = |db: &mut Db| db.term_index("vie").unwrap().find("các hộ nghèo")[0].concept_id;
    assert_eq!(hit(&mut db), a.id);
    glossary::delete(&mut db, a.id, "T").unwrap();
    assert_eq!(hit(&mut db), b.id, "the other term takes over");
    // Brought back, its term is a new row: the lower id is now the other's.
    glossary::undelete(&mut db, a.id, "T").unwrap();
    assert_eq!(hit(&mut db), b.id);
    agrees(&mut db);
    assert_eq!(db.index_rebuilds(), 1);
}

#[test]
fn many_changes_at_once_or_a_log_that_no_longer_reaches_back_rebuild() {
    let mut db = Db::open_in_memory().unwrap();
    glossary::create(&mut db, &concept(&["hộ nghèo"]), "T").unwrap();
    let _ = db.term_index("vie").unwrap();
    // More than the index takes in (1,000 at this size).
    let tx = db.conn_mut().transaction().unwrap();
    for i in 0..1100 {
        let c = ConceptInput {
            external_id: format!("n{i}"),
            ..concept(&[&format!("thôn {i}")])
        };
        let c = glossary::clean_input(&tx, &c).unwrap();
        glossary::insert_concept(&tx, &c, "T", 1, glossary::Origin::File).unwrap();
    }
    crate::base::store::bump_revision(&tx, crate::base::store::Revision::Glossary).unwrap();
    tx.commit().unwrap();
    assert_eq!(db.term_index("vie").unwrap().len(), 1101);
    assert_eq!(db.index_rebuilds(), 2);
    // The log forgot what this index has not read: built again, right.
    glossary::create(&mut db, &concept(&["nước sạch"]), "T").unwrap();
    db.conn().execute("DELETE FROM terms_touched", []).unwrap();
    glossary::create(&mut db, &concept(&["rửa tay"]), "T").unwrap();
    agrees(&mut db);
    assert_eq!(db.index_rebuilds(), 3);
}

#[test]
fn memory_lookup_takes_in_new_units() {
    let mut db = Db::open_in_memory().unwrap();
    let add = |db: &mut Db, s: &str, t: &str| {
        memory::add(db.conn(), "vie", "mtq", s, t, "T", None).unwrap();
        crate::base::store::bump_revision(db.conn(), crate::base::store::Revision::Memory).unwrap();
    };
    add(&mut db, "Bà con đi tiêm chủng đúng lịch.", "(demo) một");
    let _ = db.tm_index("vie", "mtq").unwrap();
    for i in 0..50 {
        add(
            &mut db,
            &format!("Bà con đi tiêm chủng đúng lịch số {i}."),
            &format!("(demo) {i}"),
        );
    }
    // The same unit again only refreshes it.
    add(&mut db, "Bà con đi tiêm chủng đúng lịch.", "(demo) một");
    let cached = db.tm_index("vie", "mtq").unwrap();
    let fresh = TmIndex::load(&db, "vie", "mtq").unwrap();
    assert_eq!(cached.len(), 51);
    let q = "Bà con đi tiêm chủng đúng lịch số 7.";
    let ids = |ix: &TmIndex| {
        ix.lookup(q, 50, 10)
            .into_iter()
            .map(|m| (m.unit.id, m.score))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&cached), ids(&fresh));
    assert_eq!(ids(&cached)[0].1, 100);
    assert_eq!(db.index_rebuilds(), 1);
}
