//! Changes carried in a file between real data folders, each with its own
//! station key. The terms are made up for the tests, not real Cơ Tu.

use super::*;
use crate::broadcast::station::{self, StationNew};
use crate::translate::glossary::{self, ConceptInput, TermInput};
use crate::translate::sharing::ApproversValue;

struct Office {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    db: Db,
    /// Edits stamped on a chosen moment, never on today's date.
    _clock: crate::base::clock::Scope,
}

fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let db = Db::open_dir(&path).unwrap();
    Office {
        _dir: dir,
        path,
        db,
        _clock: crate::base::clock::scoped(test_clock()),
    }
}

impl Office {
    fn info(&mut self, name: &str) -> key::PublicKeyInfo {
        StationKey::own(&self.db, &self.path)
            .unwrap()
            .info(name, "")
    }

    /// Trusts `other`'s key, as after comparing it by phone.
    fn trust(&mut self, other: &mut Office, name: &str) {
        let info = other.info(name);
        let s = station::create(
            &mut self.db,
            &StationNew {
                name: name.into(),
                admin_code: String::new(),
            },
        )
        .unwrap();
        station::trust(&mut self.db, s.summary.id, &info, None).unwrap();
    }

    fn export(&mut self) -> std::path::PathBuf {
        let file = self.path.join("out.loachanges");
        export_file(&mut self.db, &self.path.clone(), &file).unwrap();
        file
    }

    fn tbx(&self) -> Vec<u8> {
        crate::translate::glossary::exchange::export(
            &self.db,
            crate::translate::glossary::exchange::Format::Tbx,
        )
        .unwrap()
    }
}

fn concept(vie: &str, ktv: &str) -> ConceptInput {
    ConceptInput {
        terms: vec![
            TermInput {
                lang: "vie".into(),
                text: vie.into(),
                status: "preferred".into(),
                ..Default::default()
            },
            TermInput {
                lang: "ktv".into(),
                text: ktv.into(),
                status: "admitted".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

#[test]
fn a_file_carries_signed_changes_and_importing_it_twice_changes_nothing() {
    let (mut a, mut b) = (office(), office());
    b.trust(&mut a, "Đài A");
    let own = station::create(
        &mut a.db,
        &StationNew {
            name: "Đài A".into(),
            admin_code: String::new(),
        },
    )
    .unwrap();
    crate::base::settings::update(
        &mut a.db,
        &crate::base::settings::SettingsPatch {
            station_id: Some(own.summary.id),
            ..Default::default()
        },
    )
    .unwrap();
    // A's glossary from before sharing (the demo), and an edit after.
    crate::demo::seed(&mut a.db).unwrap();
    glossary::create(&mut a.db, &concept("tiêm chủng", "thử một"), "Lan").unwrap();
    let file = a.export();
    let first = import_file(&mut b.db, &file).unwrap();
    assert!(first.new > 100, "the demo glossary came too: {first:?}");
    assert_eq!(first.conflicts, 0);
    assert_eq!(a.tbx(), b.tbx(), "B holds what A holds");
    let again = import_file(&mut b.db, &file).unwrap();
    assert_eq!((again.sets, again.new), (0, 0));
    assert_eq!(a.tbx(), b.tbx());
    // Who made it travels: the station's name and the author.
    let x = glossary::all(b.db.conn())
        .unwrap()
        .into_iter()
        .find(|c| c.terms.iter().any(|t| t.text == "thử một"))
        .unwrap();
    let h = crate::translate::sharing::history(b.db.conn(), &x.uid).unwrap();
    assert!(
        h.iter().any(|v| v.station == "Đài A" && v.author == "Lan"),
        "{h:?}"
    );
}

#[test]
fn refused_changes_never_alter_the_glossary() {
    let (mut a, mut b, mut stranger) = (office(), office(), office());
    b.trust(&mut a, "Đài A");
    glossary::create(&mut a.db, &concept("phòng dịch", "thử hai"), "Lan").unwrap();
    let file = a.export();
    let before = b.tbx();

    // Tampered after signing.
    let text = std::fs::read_to_string(&file).unwrap();
    let forged = b.path.join("forged.loachanges");
    std::fs::write(&forged, text.replace("thử hai", "thử giả")).unwrap();
    let e = import_file(&mut b.db, &forged).unwrap_err();
    assert_eq!(e.code(), "changes-signature", "{e}");

    // From a key B never trusted.
    glossary::create(&mut stranger.db, &concept("lạ", "thử lạ"), "X").unwrap();
    let e = import_file(&mut b.db, &stranger.export()).unwrap_err();
    assert_eq!(e.code(), "changes-untrusted", "{e}");

    // Not a changes file, and cut short.
    let junk = b.path.join("junk.loachanges");
    std::fs::write(&junk, b"PK\x03\x04 not this").unwrap();
    assert_eq!(
        import_file(&mut b.db, &junk).unwrap_err().code(),
        "changes-damaged"
    );
    std::fs::write(&junk, &text.as_bytes()[..text.len() / 2]).unwrap();
    assert_eq!(
        import_file(&mut b.db, &junk).unwrap_err().code(),
        "changes-damaged"
    );

    assert_eq!(b.tbx(), before, "nothing changed");
    let n: i64 =
        b.db.conn()
            .query_row("SELECT count(*) FROM change_sets", [], |r| r.get(0))
            .unwrap();
    assert_eq!(n, 0);
    // The genuine file still applies afterwards.
    assert!(import_file(&mut b.db, &file).unwrap().new > 0);
}

#[test]
fn only_a_trusted_key_names_approvers() {
    let (mut p, mut b) = (office(), office());
    let approvers = |o: &Office| crate::translate::sharing::approvers(o.db.conn(), "ktv").unwrap();
    sharing::record(
        p.db.conn(),
        Kind::Approvers,
        "ktv",
        &ApproversValue {
            key_ids: vec!["WXYZ".into()],
        },
        "Tỉnh",
        1,
    )
    .unwrap();
    seal(&mut p.db, &p.path.clone()).unwrap();
    let sets = all_sets(p.db.conn()).unwrap();
    // Through the hub (which enrols every signer) but from a key B does
    // not trust: refused.
    let e = receive(b.db.conn(), &sets[0], Via::Hub).unwrap_err();
    assert_eq!(e.code(), "changes-not-allowed");
    assert!(approvers(&b).is_empty());
    b.trust(&mut p, "Đài tỉnh");
    receive(b.db.conn(), &sets[0], Via::Hub).unwrap();
    assert_eq!(approvers(&b), vec!["WXYZ".to_string()]);
}

#[test]
fn the_province_names_approvers_among_the_stations_it_knows() {
    let (mut p, mut b) = (office(), office());
    p.info("P");
    p.trust(&mut b, "Xã B");
    let b_key = b.info("Xã B").key_id;
    let before = approvers::overview(&p.db).unwrap();
    assert!(before.can_name, "no hub yet: the office names its own");
    assert!(before.candidates[0].own, "this station first");
    assert!(before
        .candidates
        .iter()
        .any(|c| c.key_id == b_key && c.name == "Xã B" && !c.own));
    let ktv = |o: &approvers::ApproversOverview| {
        o.languages
            .iter()
            .find(|l| l.lang == "ktv")
            .unwrap()
            .clone()
    };
    assert!(ktv(&before).key_ids.is_empty());

    // Before anyone is named, P's own status change takes effect.
    let x = glossary::create(&mut p.db, &concept("lúa", "lua (thử)"), "P").unwrap();
    let status = |o: &Office| {
        glossary::get(o.db.conn(), x.id)
            .unwrap()
            .terms
            .into_iter()
            .find(|t| t.lang == "ktv")
            .unwrap()
            .status
    };
    let set_ktv = |o: &mut Office, to: &str| {
        let mut input = glossary::get(o.db.conn(), x.id).unwrap().to_input();
        for t in &mut input.terms {
            if t.lang == "ktv" {
                t.status = to.into();
            }
        }
        glossary::update(&mut o.db, x.id, &input, "P").unwrap();
        status(o)
    };
    assert_eq!(set_ktv(&mut p, "deprecated"), "deprecated");

    // B named, typed in lower case: from now on P only proposes.
    let named = approvers::name(
        &mut p.db,
        "ktv",
        &[b_key.to_lowercase(), b_key.clone()],
        "Tỉnh",
        crate::base::clock::now(),
    )
    .unwrap();
    assert_eq!(named.key_ids, vec![b_key.clone()]);
    assert_eq!(named.named_by, "Tỉnh");
    assert_eq!(ktv(&approvers::overview(&p.db).unwrap()), named);
    // Judged against the approvers known now: P's earlier change is a
    // proposal too, and the term's first status stands.
    assert_eq!(status(&p), "admitted");
    assert_eq!(set_ktv(&mut p, "forbidden"), "admitted", "a proposal now");

    // A bad key id names nobody and records nothing.
    let e = approvers::name(&mut p.db, "ktv", &["ABCD".into()], "Tỉnh", 0).unwrap_err();
    assert_eq!(e.code(), "invalid");
    // A commune station is refused: the hub would refuse its whole set.
    crate::broadcast::hub::set_role(&p.db, crate::broadcast::network::Role::Commune).unwrap();
    assert!(!approvers::overview(&p.db).unwrap().can_name);
    let e = approvers::name(&mut p.db, "ktv", &[], "Xã", 0).unwrap_err();
    assert_eq!(e.code(), "invalid");
    assert_eq!(
        ktv(&approvers::overview(&p.db).unwrap()).key_ids,
        vec![b_key]
    );
}

/// A concept with a Vietnamese term and one in `lang`.
fn concept_in(vie: &str, lang: &str, text: &str) -> ConceptInput {
    let mut c = concept(vie, text);
    c.terms[1].lang = lang.into();
    c
}

fn add_language(db: &Db, code: &str, name: &str) {
    crate::base::language::save(
        db,
        &crate::base::language::Language {
            code: code.into(),
            name_vi: name.into(),
            name_native: String::new(),
            script: "Latn".into(),
            font: String::new(),
            palette: vec![],
        },
    )
    .unwrap();
}

/// This office's newest sealed set.
fn sealed(o: &mut Office) -> SignedSet {
    seal(&mut o.db, &o.path.clone()).unwrap();
    all_sets(o.db.conn()).unwrap().pop().unwrap()
}

#[test]
fn a_set_that_cannot_be_applied_is_held_and_never_stops_the_feed() {
    let (mut p, mut b) = (office(), office());
    // The province adds a language the commune lacks; its terms carry the
    // language's definition with them.
    add_language(&p.db, "bru", "Bru - Vân Kiều (thử)");
    glossary::create(&mut p.db, &concept_in("mùa khô", "bru", "thử bru"), "Lan").unwrap();
    let with_definition = sealed(&mut p);
    // A set from an older station names a language with no definition.
    add_language(&p.db, "zzq", "Thử");
    glossary::create(&mut p.db, &concept_in("giống lúa", "zzq", "thử zzq"), "Lan").unwrap();
    let carried = sealed(&mut p);
    let mut bare: ChangeSet = serde_json::from_str(&carried.body).unwrap();
    assert_eq!(bare.languages.len(), 2, "vie and zzq travel with it");
    bare.languages.clear();
    let body = serde_json::to_string(&bare).unwrap();
    let key = StationKey::own(&p.db, &p.path).unwrap();
    let unknown = SignedSet {
        signature: key::hex(&key.sign(body.as_bytes())),
        body,
    };
    glossary::create(&mut p.db, &concept("bão số ba", "thử sau"), "Lan").unwrap();
    let after = sealed(&mut p);

    let feed: Vec<FeedEntry> = [unknown, with_definition, after]
        .into_iter()
        .enumerate()
        .map(|(i, set)| FeedEntry {
            seq: i as i64 + 1,
            set,
        })
        .collect();
    let r = receive_feed(&mut b.db, &feed).unwrap();
    assert_eq!(r.held, 1, "{r:?}");
    assert!(r.new >= 4, "the sets around it applied: {r:?}");
    assert_eq!(
        feed_cursor(&b.db).unwrap(),
        3,
        "the cursor moved past all three"
    );
    let has = |o: &Office, text: &str| {
        glossary::all(o.db.conn())
            .unwrap()
            .iter()
            .any(|c| c.terms.iter().any(|t| t.text == text))
    };
    assert!(has(&b, "thử bru") && has(&b, "thử sau") && !has(&b, "thử zzq"));
    assert_eq!(
        crate::base::language::get(b.db.conn(), "bru")
            .unwrap()
            .name_vi,
        "Bru - Vân Kiều (thử)",
        "the language came with its terms"
    );
    let held = held(b.db.conn()).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].problem, "changes-unknown-language");
    assert!(held[0].detail.contains("zzq"), "{:?}", held[0]);
    assert_eq!(held[0].changes as usize, bare.changes.len());
    // Nothing of the held set landed, not even its concept.
    assert!(!has(&b, "thử zzq"));
    assert!(!glossary::all(b.db.conn())
        .unwrap()
        .iter()
        .any(|c| c.terms.iter().any(|t| t.text == "giống lúa")));

    // Still missing: it stays held, and says so again.
    assert_eq!(retry_held(&mut b.db).unwrap(), 0);
    assert_eq!(super::held(b.db.conn()).unwrap().len(), 1);
    // Once the language exists here, it applies.
    add_language(&b.db, "zzq", "Thử");
    assert!(retry_held(&mut b.db).unwrap() > 0);
    assert!(has(&b, "thử zzq"));
    assert!(super::held(b.db.conn()).unwrap().is_empty());
}

/// A moment that then runs (edits made one after the other keep their
/// order), the same whatever day the tests run on.
fn test_clock() -> crate::base::clock::Clock {
    let (unix, offset) = crate::base::clock::Clock::parse_moment("2026-12-31").unwrap_or((0, 0));
    crate::base::clock::Clock::starting(unix, offset)
}
