//! Shared terminology through a real hub and PostgreSQL (issue 18): three
//! offices' data folders edit their glossaries and memories apart, sync
//! with the real `loa`, and end with exports equal byte for byte; conflicts
//! show on every side and a choice made on one reaches the others; what a
//! station may not do is refused and alters nothing. The terms written here
//! are made up for the test, not real Cơ Tu.

mod support;

use loa_core::translate::glossary::{self, ConceptInput, TermInput};
use loa_core::translate::memory;
use loa_core::Db;
use std::path::Path;
use support::*;

fn sync(dir: &Path) -> serde_json::Value {
    loa_json(dir, &["hub", "sync"])
}

/// Every office syncs twice over: what one sent, the others then have.
fn round(dirs: &[&Path]) {
    for _ in 0..2 {
        for d in dirs {
            let s = sync(d);
            eprintln!("sync {d:?}: {s}");
        }
    }
}

/// The glossary as CSV and TBX and the Cơ Tu memory as TMX, as written.
fn exports(dir: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for format in ["csv", "tbx"] {
        let file = dir.join(format!("export.{format}"));
        loa_json(
            dir,
            &[
                "glossary",
                "export",
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        out.push(std::fs::read(&file).unwrap());
    }
    let file = dir.join("export.tmx");
    loa_json(
        dir,
        &[
            "tm",
            "export",
            "--to",
            "ktv",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    out.push(std::fs::read(&file).unwrap());
    out
}

fn edit(dir: &Path, f: impl FnOnce(&mut Db)) {
    let mut db = Db::open_dir(dir).unwrap();
    f(&mut db);
}

fn find(db: &Db, text: &str) -> glossary::Concept {
    glossary::all(db.conn())
        .unwrap()
        .into_iter()
        .find(|c| c.terms.iter().any(|t| t.text == text))
        .unwrap_or_else(|| {
            let n: i64 = db
                .conn()
                .query_row(
                    "SELECT count(*) FROM terms t JOIN concepts c ON c.id = t.concept_id WHERE t.text = ?1",
                    [text],
                    |r| r.get(0),
                )
                .unwrap();
            let d: Option<i64> = db
                .conn()
                .query_row(
                    "SELECT c.deleted_at FROM terms t JOIN concepts c ON c.id = t.concept_id WHERE t.text = ?1",
                    [text],
                    |r| r.get(0),
                )
                .ok()
                .flatten();
            panic!("no concept with {text} ({n} rows, deleted at {d:?})")
        })
}

/// Sets the Cơ Tu term of the concept holding `vie` (`f` edits it).
fn edit_ktv(dir: &Path, vie: &str, f: impl Fn(&mut TermInput)) {
    edit(dir, |db| {
        let c = find(db, vie);
        let mut i = c.to_input();
        for t in i.terms.iter_mut().filter(|t| t.lang == "ktv") {
            f(t);
        }
        glossary::update(db, c.id, &i, "Biên dịch").unwrap();
    });
}

fn concept_on(dir: &Path, vie: &str) -> glossary::Concept {
    find(&Db::open_dir(dir).unwrap(), vie)
}

fn trust(dir: &Path, other: &Path) {
    let key = key_file(other);
    let here = loa_json(dir, &["station", "list", "--level", "commune"])[5]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    loa_json(
        dir,
        &["station", "trust", &here, "--key", key.to_str().unwrap()],
    );
}

/// Edits made here in the test run on the moment the `loa` and `loa-hub`
/// processes are given (`LOA_NOW`), never on today's date.
fn on_cli_moment() {
    loa_core::base::clock::set_process(loa_core::base::clock::Clock::starting(AT_UNIX, 7 * 3600));
}

#[test]
fn three_offices_edit_apart_and_converge_through_the_hub() {
    on_cli_moment();
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let province = station(0);
    let c1 = station(1);
    let c2 = station(2);
    enrol(&db, province.path(), "province");
    let k1 = enrol(&db, c1.path(), "commune");
    let k2 = enrol(&db, c2.path(), "commune");
    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 64);
    let all = [province.path(), c1.path(), c2.path()];
    for d in all {
        loa_json(d, &["hub", "set", &hub.base]);
    }
    // The communes trust the province's key (read back by phone).
    trust(c1.path(), province.path());
    trust(c2.path(), province.path());

    // A concept the province writes reaches both communes.
    edit(province.path(), |db| {
        glossary::create(
            db,
            &ConceptInput {
                domain: "y tế".into(),
                terms: vec![
                    TermInput {
                        lang: "vie".into(),
                        text: "tiêm phòng dại".into(),
                        status: "preferred".into(),
                        ..Default::default()
                    },
                    TermInput {
                        lang: "ktv".into(),
                        text: "thử một".into(),
                        status: "admitted".into(),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            },
            "Cán bộ tỉnh",
        )
        .unwrap();
    });
    round(&all);
    let first = exports(province.path());
    assert_eq!(
        exports(c1.path()),
        first,
        "the demo glossary is one, not three"
    );
    assert_eq!(exports(c2.path()), first);
    assert!(!concept_on(c1.path(), "tiêm phòng dại").conflict);

    // Apart: the two communes word the same term differently, each saves a
    // translation, and the province deletes a demo concept one of them edits.
    edit_ktv(c1.path(), "tiêm phòng dại", |t| {
        t.text = "thử hai".into()
    });
    edit_ktv(c2.path(), "tiêm phòng dại", |t| {
        t.text = "thử ba".into()
    });
    let demo = glossary::all(Db::open_dir(province.path()).unwrap().conn())
        .unwrap()
        .into_iter()
        .find(|c| c.terms.iter().all(|t| t.text != "tiêm phòng dại"))
        .unwrap();
    let demo_vie = demo
        .terms
        .iter()
        .find(|t| t.lang == "vie")
        .unwrap()
        .text
        .clone();
    edit(province.path(), |db| {
        let c = find(db, &demo_vie);
        glossary::delete(db, c.id, "Cán bộ tỉnh").unwrap();
    });
    edit(c1.path(), |db| {
        let c = find(db, &demo_vie);
        let mut i = c.to_input();
        i.note = "ghi chú của xã".into();
        glossary::update(db, c.id, &i, "Biên dịch").unwrap();
        memory::add(
            db.conn(),
            "vie",
            "ktv",
            "Hãy đưa trẻ đi tiêm.",
            "Thử câu một.",
            "A",
            None,
        )
        .unwrap();
    });
    edit(c2.path(), |db| {
        memory::add(
            db.conn(),
            "vie",
            "ktv",
            "Hãy rửa tay.",
            "Thử câu hai.",
            "B",
            None,
        )
        .unwrap();
    });
    round(&all);
    let now = exports(province.path());
    assert_eq!(exports(c1.path()), now);
    assert_eq!(exports(c2.path()), now);
    let by_uid = |d: &Path, uid: &str| {
        glossary::all(Db::open_dir(d).unwrap().conn())
            .unwrap()
            .into_iter()
            .find(|c| c.uid == uid)
    };
    for d in all {
        assert!(
            concept_on(d, "tiêm phòng dại").conflict,
            "conflict at {d:?}"
        );
        let kept = by_uid(d, &demo.uid).expect("a deleted concept edited elsewhere stays in view");
        assert!(
            kept.conflict,
            "a delete against an edit is a conflict at {d:?}"
        );
    }
    let tmx = String::from_utf8(now[2].clone()).unwrap();
    assert!(tmx.contains("Thử câu một.") && tmx.contains("Thử câu hai."));

    // The province chooses commune 2's wording; the choice travels.
    let id = concept_on(province.path(), "tiêm phòng dại").id.to_string();
    let history = loa_json(province.path(), &["glossary", "history", &id]);
    let choice = history
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["head"] == true && h["value"]["text"] == "thử ba")
        .unwrap()["changeId"]
        .as_str()
        .unwrap()
        .to_string();
    loa_json(province.path(), &["glossary", "resolve", &id, &choice]);
    round(&all);
    for d in all {
        let c = concept_on(d, "tiêm phòng dại");
        assert!(!c.conflict, "resolved at {d:?}");
        assert!(c.terms.iter().any(|t| t.text == "thử ba"));
    }
    assert_eq!(exports(c1.path()), exports(province.path()));
    assert_eq!(exports(c2.path()), exports(province.path()));

    // Commune 2 keeps the concept the province deleted, as commune 1 had
    // edited it: it comes back whole, everywhere.
    let on_c2 = by_uid(c2.path(), &demo.uid).unwrap();
    let history = loa_json(c2.path(), &["glossary", "history", &on_c2.id.to_string()]);
    let keep = history
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["head"] == true && h["kind"] == "concept" && h["value"]["deleted"] == false)
        .unwrap()["changeId"]
        .as_str()
        .unwrap()
        .to_string();
    loa_json(
        c2.path(),
        &["glossary", "resolve", &on_c2.id.to_string(), &keep],
    );
    round(&all);
    for d in all {
        let c = by_uid(d, &demo.uid).unwrap();
        assert!(!c.conflict, "resolved at {d:?}");
        assert_eq!(c.note, "ghi chú của xã");
        assert_eq!(
            c.terms.len(),
            demo.terms.len(),
            "its terms came back at {d:?}"
        );
    }
    assert_eq!(exports(c1.path()), exports(province.path()));

    // The province names commune 1 approver of Cơ Tu: commune 2's status
    // change is only a proposal, everywhere; commune 1's takes effect.
    loa_json(
        province.path(),
        &["glossary", "approvers", "ktv", &k1.key_id()],
    );
    round(&all);
    edit_ktv(c2.path(), "tiêm phòng dại", |t| {
        t.status = "forbidden".into()
    });
    round(&all);
    let status = |d: &Path| {
        concept_on(d, "tiêm phòng dại")
            .terms
            .into_iter()
            .find(|t| t.lang == "ktv")
            .unwrap()
            .status
    };
    for d in all {
        assert_eq!(status(d), "admitted", "a proposal only, at {d:?}");
    }
    edit_ktv(c1.path(), "tiêm phòng dại", |t| {
        t.status = "preferred".into()
    });
    round(&all);
    for d in all {
        assert_eq!(status(d), "preferred", "the approver's choice at {d:?}");
    }
    assert_eq!(exports(c2.path()), exports(province.path()));

    // A commune cannot name approvers in its app; one that records the
    // change anyway (an altered copy) has its set refused by the hub, and
    // nobody else ever sees it.
    let refused = loa(c2.path(), &["glossary", "approvers", "ktv", &k2.key_id()]);
    assert!(!refused.status.success(), "the app refuses a commune");
    loa_core::translate::sharing::record(
        Db::open_dir(c2.path()).unwrap().conn(),
        loa_core::translate::sharing::Kind::Approvers,
        "ktv",
        &loa_core::translate::sharing::ApproversValue {
            key_ids: vec![k2.key_id()],
        },
        "Xã",
        1,
    )
    .unwrap();
    round(&all);
    let named =
        loa_core::translate::sharing::approvers(Db::open_dir(c1.path()).unwrap().conn(), "ktv")
            .unwrap();
    assert_eq!(named, vec![k1.key_id()]);
}

#[test]
fn the_hub_refuses_forged_and_foreign_change_sets() {
    on_cli_moment();
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let c1 = station(1);
    // A small set from a station the hub does not know (the hub answers
    // before reading a body it will not take).
    let stranger = tempfile::tempdir().unwrap();
    loa_json(stranger.path(), &["init"]);
    let k1 = enrol(&db, c1.path(), "commune");
    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 64);
    edit(c1.path(), |db| {
        let c = glossary::all(db.conn()).unwrap()[0].clone();
        let mut i = c.to_input();
        i.note = "thử ghi chú".into();
        glossary::update(db, c.id, &i, "Biên dịch").unwrap();
        loa_core::broadcast::changes::seal(db, c1.path()).unwrap();
    });
    let sets =
        loa_core::broadcast::changes::all_sets(Db::open_dir(c1.path()).unwrap().conn()).unwrap();
    let set = sets.last().unwrap().clone();

    // Altered after signing: refused by the hub's own check.
    let mut forged = set.clone();
    forged.body = forged.body.replace("thử ghi chú", "ghi chú giả");
    let body = serde_json::to_vec(&forged).unwrap();
    let a = call(&hub.base, &Req::by(&k1), "POST", "/v1/changes", &body);
    assert_eq!(
        (a.status, a.json()["code"].as_str()),
        (422, Some("changes-signature"))
    );

    // An unenrolled station's own set.
    edit(stranger.path(), |db| {
        glossary::create(
            db,
            &ConceptInput {
                terms: vec![TermInput {
                    lang: "vie".into(),
                    text: "người lạ".into(),
                    status: "admitted".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
            "X",
        )
        .unwrap();
        loa_core::broadcast::changes::seal(db, stranger.path()).unwrap();
    });
    let theirs =
        loa_core::broadcast::changes::all_sets(Db::open_dir(stranger.path()).unwrap().conn())
            .unwrap();
    let skey = loa_core::broadcast::key::StationKey::load(stranger.path())
        .unwrap()
        .unwrap();
    let body = serde_json::to_vec(&theirs[0]).unwrap();
    let a = call(&hub.base, &Req::by(&skey), "POST", "/v1/changes", &body);
    assert_eq!(
        (a.status, a.json()["code"].as_str()),
        (401, Some("hub-unknown-key"))
    );

    // Someone else's set, relayed by an enrolled station.
    let a = call(&hub.base, &Req::by(&k1), "POST", "/v1/changes", &body);
    assert_eq!(a.json()["code"], "hub-issuer-not-enrolled");
    assert_eq!(count(&db, "change_sets"), 0, "nothing stored");

    // The genuine set, twice: stored once.
    let body = serde_json::to_vec(&set).unwrap();
    for created in [true, false] {
        let a = call(&hub.base, &Req::by(&k1), "POST", "/v1/changes", &body);
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["created"], created);
    }
    assert_eq!(count(&db, "change_sets"), 1);
}
