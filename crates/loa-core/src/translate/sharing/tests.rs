//! Copies that saw the same changes agree, whatever order the changes came
//! in. Offices here exchange their changes directly (signing and carrying
//! them is `broadcast::changes`, tested there). The terms are made up for
//! the tests, not real Cơ Tu.

use super::*;
use crate::base::store::Db;
use crate::translate::glossary::exchange::{export, Format};
use crate::translate::glossary::{self, Concept, ConceptInput, TermInput};
use crate::translate::memory;
use proptest::prelude::*;

struct Office {
    db: Db,
    key: String,
    /// Edits stamped on a chosen moment, never on today's date.
    _clock: crate::base::clock::Scope,
}

fn office(key: &str) -> Office {
    let db = Db::open_in_memory().unwrap();
    db.conn()
        .execute(
            "INSERT INTO settings(key, value) VALUES ('key.id', ?1)",
            [key],
        )
        .unwrap();
    Office {
        db,
        key: key.to_string(),
        _clock: crate::base::clock::scoped(test_clock()),
    }
}

/// Gives `to` every change `from` has (its own as signed by its key), as a
/// hub or a file would: each station's changes in one set.
fn ship(from: &Office, to: &Office) {
    let rows: Vec<(String, Change)> = from
        .db
        .conn()
        .prepare(
            "SELECT key_id, id, kind, subject, base, at, author, value FROM changes ORDER BY rowid",
        )
        .unwrap()
        .query_map([], |r| {
            let key: String = r.get(0)?;
            let kind: String = r.get(2)?;
            let base: String = r.get(4)?;
            let value: String = r.get(7)?;
            Ok((
                key,
                Change {
                    id: r.get(1)?,
                    kind: Kind::parse(&kind).unwrap(),
                    subject: r.get(3)?,
                    base: serde_json::from_str(&base).unwrap(),
                    at: r.get(5)?,
                    author: r.get(6)?,
                    value: serde_json::from_str(&value).unwrap(),
                },
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut by_key: std::collections::BTreeMap<String, Vec<Change>> = Default::default();
    for (key, c) in rows {
        let key = if key.is_empty() {
            from.key.clone()
        } else {
            key
        };
        if key != to.key {
            by_key.entry(key).or_default().push(c);
        }
    }
    for (key, changes) in by_key {
        let set = format!("set-{key}-{}", crate::base::uid::random().unwrap());
        to.db
            .conn()
            .execute(
                "INSERT INTO change_sets(id, key_id, station, body, signature, own, received_at)
                 VALUES (?1, ?2, ?2, x'', '', 0, 0)",
                rusqlite::params![set, key],
            )
            .unwrap();
        let tx = to.db.conn().unchecked_transaction().unwrap();
        apply(&tx, &set, &key, &changes).unwrap();
        tx.commit().unwrap();
    }
}

fn everyone(offices: &[&Office]) {
    for a in offices {
        for b in offices {
            if a.key != b.key {
                ship(a, b);
            }
        }
    }
}

/// What users and other tools see: every export, byte for byte.
fn exports(o: &Office) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = [Format::Csv, Format::Tbx]
        .into_iter()
        .map(|f| export(&o.db, f).unwrap())
        .collect();
    out.push(
        crate::translate::tmx::export(&o.db, "vie", "ktv")
            .unwrap()
            .into_bytes(),
    );
    out
}

fn term(lang: &str, text: &str, status: &str) -> TermInput {
    TermInput {
        lang: lang.into(),
        text: text.into(),
        status: status.into(),
        ..Default::default()
    }
}

fn create(o: &mut Office, vie: &str, cot: &str) -> Concept {
    glossary::create(
        &mut o.db,
        &ConceptInput {
            domain: "y tế".into(),
            terms: vec![term("vie", vie, "preferred"), term("ktv", cot, "admitted")],
            ..Default::default()
        },
        &format!("Người dùng {}", o.key),
    )
    .unwrap()
}

fn by_uid(o: &Office, uid: &str) -> Concept {
    let id: i64 =
        o.db.conn()
            .query_row("SELECT id FROM concepts WHERE uid = ?1", [uid], |r| {
                r.get(0)
            })
            .unwrap();
    glossary::get(o.db.conn(), id).unwrap()
}

/// Edits one term of the concept as the user would in the editor.
fn edit_term(o: &mut Office, uid: &str, lang: &str, f: impl Fn(&mut TermInput)) {
    let c = by_uid(o, uid);
    let mut input = c.to_input();
    for t in input.terms.iter_mut().filter(|t| t.lang == lang) {
        f(t);
    }
    let who = format!("Người dùng {}", o.key);
    glossary::update(&mut o.db, c.id, &input, &who).unwrap();
}

fn cot_text(o: &Office, uid: &str) -> String {
    by_uid(o, uid)
        .terms
        .iter()
        .find(|t| t.lang == "ktv")
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

#[test]
fn edits_made_apart_conflict_on_every_side_and_one_choice_resolves_them() {
    let (mut a, mut b, c) = (office("A"), office("B"), office("C"));
    let x = create(&mut a, "tiêm chủng", "thử một");
    everyone(&[&a, &b, &c]);
    assert_eq!(cot_text(&c, &x.uid), "thử một");
    assert_eq!(exports(&a), exports(&c));

    edit_term(&mut a, &x.uid, "ktv", |t| t.text = "thử hai".into());
    edit_term(&mut b, &x.uid, "ktv", |t| t.text = "thử ba".into());
    assert!(
        !by_uid(&a, &x.uid).conflict,
        "alone, an edit is no conflict"
    );
    everyone(&[&a, &b, &c]);
    let shown = cot_text(&a, &x.uid);
    for o in [&a, &b, &c] {
        let concept = by_uid(o, &x.uid);
        assert!(concept.conflict, "office {}", o.key);
        assert!(concept.terms.iter().any(|t| t.lang == "ktv" && t.conflict));
        assert_eq!(
            cot_text(o, &x.uid),
            shown,
            "the same version shown everywhere"
        );
    }
    assert_eq!(exports(&a), exports(&b));
    assert_eq!(exports(&a), exports(&c));
    let versions = history(a.db.conn(), &x.uid).unwrap();
    let heads: Vec<String> = versions
        .iter()
        .filter(|h| h.kind == Kind::Term && h.head)
        .filter_map(|h| {
            h.value
                .get("text")
                .and_then(|t| t.as_str())
                .map(String::from)
        })
        .filter(|t| t.starts_with("thử"))
        .collect();
    assert_eq!(heads.len(), 2, "both versions side by side: {heads:?}");
    assert!(heads.contains(&"thử hai".to_string()) && heads.contains(&"thử ba".to_string()));

    // C chooses B's version; the choice travels.
    let mut c = c;
    let choice = history(c.db.conn(), &x.uid)
        .unwrap()
        .into_iter()
        .find(|h| h.head && h.value.get("text").and_then(|t| t.as_str()) == Some("thử ba"))
        .unwrap()
        .change_id;
    let id = by_uid(&c, &x.uid).id;
    glossary::resolve(&mut c.db, id, &choice, "C").unwrap();
    assert!(!by_uid(&c, &x.uid).conflict);
    everyone(&[&a, &b, &c]);
    for o in [&a, &b, &c] {
        assert!(!by_uid(o, &x.uid).conflict, "office {}", o.key);
        assert_eq!(cot_text(o, &x.uid), "thử ba");
    }
    assert_eq!(exports(&a), exports(&b));
    assert_eq!(exports(&b), exports(&c));
}

#[test]
fn a_delete_against_an_edit_is_a_conflict_never_a_silent_loss() {
    let (mut a, mut b) = (office("A"), office("B"));
    let x = create(&mut a, "phòng dịch", "thử bốn");
    everyone(&[&a, &b]);
    glossary::delete(&mut a.db, x.id, "A").unwrap();
    edit_term(&mut b, &x.uid, "ktv", |t| {
        t.usage_note = "dùng khi nói".into()
    });
    everyone(&[&a, &b]);
    for o in [&a, &b] {
        let concept = by_uid(o, &x.uid);
        assert!(concept.conflict, "office {}", o.key);
        let cot = concept.terms.iter().find(|t| t.lang == "ktv").unwrap();
        assert_eq!(cot.usage_note, "dùng khi nói", "the edit is still there");
        assert!(glossary::all(o.db.conn())
            .unwrap()
            .iter()
            .any(|c| c.uid == x.uid));
    }
    assert_eq!(exports(&a), exports(&b));
    // B keeps its edit: the concept is back, everywhere.
    let keep = history(b.db.conn(), &x.uid)
        .unwrap()
        .into_iter()
        .find(|h| {
            h.head && h.value.get("usageNote").and_then(|t| t.as_str()) == Some("dùng khi nói")
        })
        .unwrap()
        .change_id;
    let on_b = by_uid(&b, &x.uid).id;
    glossary::resolve(&mut b.db, on_b, &keep, "B").unwrap();
    everyone(&[&a, &b]);
    for o in [&a, &b] {
        let concept = by_uid(o, &x.uid);
        assert!(!concept.conflict, "office {}", o.key);
        assert!(live(o).iter().any(|c| c.uid == x.uid));
        assert_eq!(concept.terms.len(), 1, "only the kept term came back");
    }
    assert_eq!(exports(&a), exports(&b));
    // Both deleting is no conflict: gone everywhere.
    let y = create(&mut a, "vắc xin", "thử năm");
    everyone(&[&a, &b]);
    let y_on_b = by_uid(&b, &y.uid);
    glossary::delete(&mut a.db, y.id, "A").unwrap();
    glossary::delete(&mut b.db, y_on_b.id, "B").unwrap();
    everyone(&[&a, &b]);
    for o in [&a, &b] {
        assert!(!glossary::all(o.db.conn())
            .unwrap()
            .iter()
            .any(|c| c.uid == y.uid));
    }
}

#[test]
fn only_approvers_change_a_status_and_others_propose() {
    let (mut p, mut a, mut b) = (office("P"), office("A"), office("B"));
    // The province names A approver of Cơ Tu.
    record(
        p.db.conn(),
        Kind::Approvers,
        "ktv",
        &ApproversValue {
            key_ids: vec!["A".into()],
        },
        "Tỉnh",
        1,
    )
    .unwrap();
    let x = create(&mut a, "sốt xuất huyết", "thử sáu");
    everyone(&[&p, &a, &b]);
    let status = |o: &Office| {
        by_uid(o, &x.uid)
            .terms
            .iter()
            .find(|t| t.lang == "ktv")
            .unwrap()
            .status
            .clone()
    };
    edit_term(&mut b, &x.uid, "ktv", |t| t.status = "preferred".into());
    assert_eq!(
        status(&b),
        "admitted",
        "B's own change is a proposal, even at B"
    );
    everyone(&[&p, &a, &b]);
    for o in [&p, &a, &b] {
        assert_eq!(status(o), "admitted", "office {}", o.key);
        let open: Vec<_> = history(o.db.conn(), &x.uid)
            .unwrap()
            .into_iter()
            .filter(|h| h.proposal)
            .collect();
        assert_eq!(open.len(), 1, "the proposal is listed at {}", o.key);
    }
    edit_term(&mut a, &x.uid, "ktv", |t| t.status = "deprecated".into());
    everyone(&[&p, &a, &b]);
    for o in [&p, &a, &b] {
        assert_eq!(
            status(o),
            "deprecated",
            "the approver's choice at {}",
            o.key
        );
    }
    assert_eq!(exports(&p), exports(&b));
    let _ = &mut p;
}

#[test]
fn a_copy_that_learns_of_an_approver_later_reaches_the_same_state() {
    let (mut p, mut a, mut b) = (office("P"), office("A"), office("B"));
    let x = create(&mut a, "bệnh dại", "thử bảy");
    everyone(&[&a, &b]);
    // B changes the status before anyone is named: at B it takes effect…
    edit_term(&mut b, &x.uid, "ktv", |t| t.status = "forbidden".into());
    ship(&b, &a);
    // …and the province then names A, which B hears of before A's change.
    record(
        p.db.conn(),
        Kind::Approvers,
        "ktv",
        &ApproversValue {
            key_ids: vec!["A".into()],
        },
        "Tỉnh",
        2,
    )
    .unwrap();
    everyone(&[&p, &a, &b]);
    for o in [&a, &b, &p] {
        let t = by_uid(o, &x.uid);
        let cot = t.terms.iter().find(|t| t.lang == "ktv").unwrap();
        assert_eq!(
            cot.status, "admitted",
            "B's change is now a proposal at {}",
            o.key
        );
    }
    assert_eq!(exports(&a), exports(&b));
    let _ = (&mut p, &mut a);
}

#[test]
fn memory_units_merge_whoever_saved_them() {
    let (a, b) = (office("A"), office("B"));
    memory::add(
        a.db.conn(),
        "vie",
        "ktv",
        "Xin chào bà con.",
        "Thử chào.",
        "Lan",
        None,
    )
    .unwrap();
    memory::add(
        b.db.conn(),
        "vie",
        "ktv",
        "Xin chào bà con.",
        "Thử chào.",
        "Minh",
        None,
    )
    .unwrap();
    memory::add(
        b.db.conn(),
        "vie",
        "ktv",
        "Hãy rửa tay.",
        "Thử rửa tay.",
        "Minh",
        None,
    )
    .unwrap();
    everyone(&[&a, &b]);
    for o in [&a, &b] {
        let units = memory::units_of(o.db.conn(), "vie", "ktv", None).unwrap();
        assert_eq!(units.len(), 2, "one unit for the pair both saved");
    }
    assert_eq!(exports(&a), exports(&b));
}

#[derive(Debug, Clone)]
enum Op {
    Create(usize, u8),
    EditText(usize, u8, u8),
    Status(usize, u8, u8),
    Delete(usize, u8),
    Memory(usize, u8),
    Ship(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, any::<u8>()).prop_map(|(o, n)| Op::Create(o, n)),
        (0..3usize, any::<u8>(), any::<u8>()).prop_map(|(o, c, n)| Op::EditText(o, c, n)),
        (0..3usize, any::<u8>(), 0..4u8).prop_map(|(o, c, s)| Op::Status(o, c, s)),
        (0..3usize, any::<u8>()).prop_map(|(o, c)| Op::Delete(o, c)),
        (0..3usize, any::<u8>()).prop_map(|(o, n)| Op::Memory(o, n)),
        (0..3usize, 0..3usize).prop_map(|(a, b)| Op::Ship(a, b)),
    ]
}

fn live(o: &Office) -> Vec<Concept> {
    glossary::all(o.db.conn()).unwrap()
}

fn change_ids(o: &Office) -> Vec<String> {
    o.db.conn()
        .prepare("SELECT id FROM changes ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random edits, deletes and status changes at three offices, shipped
    /// in random orders, then everything to everyone: all three agree, and
    /// every change made anywhere is everywhere.
    #[test]
    fn any_interleaving_converges(ops in proptest::collection::vec(op(), 1..40)) {
        let mut offices = [office("A"), office("B"), office("C")];
        let statuses = glossary::STATUSES;
        for op in ops {
            match op {
                Op::Create(o, n) => {
                    create(&mut offices[o], &format!("khái niệm {n}"), &format!("thử {n}"));
                }
                Op::EditText(o, c, n) => {
                    let list = live(&offices[o]);
                    if let Some(x) = list.get(c as usize % list.len().max(1)) {
                        let uid = x.uid.clone();
                        edit_term(&mut offices[o], &uid, "ktv", |t| t.text = format!("sửa {n}"));
                    }
                }
                Op::Status(o, c, s) => {
                    let list = live(&offices[o]);
                    if let Some(x) = list.get(c as usize % list.len().max(1)) {
                        let uid = x.uid.clone();
                        let status = statuses[s as usize % statuses.len()].to_string();
                        edit_term(&mut offices[o], &uid, "ktv", |t| t.status = status.clone());
                    }
                }
                Op::Delete(o, c) => {
                    let list = live(&offices[o]);
                    if let Some(x) = list.get(c as usize % list.len().max(1)) {
                        let id = x.id;
                        glossary::delete(&mut offices[o].db, id, "x").unwrap();
                    }
                }
                Op::Memory(o, n) => {
                    memory::add(offices[o].db.conn(), "vie", "ktv",
                        &format!("Câu số {}.", n % 8), &format!("Thử {n}."), "x", None).unwrap();
                }
                Op::Ship(a, b) if a != b => ship(&offices[a], &offices[b]),
                Op::Ship(..) => {}
            }
        }
        let [a, b, c] = &offices;
        everyone(&[a, b, c]);
        prop_assert_eq!(change_ids(a), change_ids(b));
        prop_assert_eq!(change_ids(b), change_ids(c));
        prop_assert_eq!(exports(a), exports(b));
        prop_assert_eq!(exports(b), exports(c));
        let flags = |o: &Office| -> Vec<(String, bool)> {
            live(o).into_iter().map(|c| (c.uid, c.conflict)).collect()
        };
        prop_assert_eq!(flags(a), flags(b));
        prop_assert_eq!(flags(b), flags(c));
    }
}

/// A moment that then runs (edits made one after the other keep their
/// order), the same whatever day the tests run on.
fn test_clock() -> crate::base::clock::Clock {
    let (unix, offset) = crate::base::clock::Clock::parse_moment("2026-12-31").unwrap_or((0, 0));
    crate::base::clock::Clock::starting(unix, offset)
}
