//! The province network under a dishonest or broken station (issue 29): a
//! key that is valid, requests that are signed, and values that are not
//! sane. Against a real hub and PostgreSQL.

mod support;

use loa_core::broadcast::network;
use std::process::Command;
use support::*;

fn psql(db: &str, sql: &str) {
    let out = Command::new("psql")
        .arg(db)
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The station in `dir` builds a package and uploads it: its bytes, its
/// hash and the hub's answer.
fn upload(
    hub: &Hub,
    dir: &std::path::Path,
    key: &loa_core::broadcast::key::StationKey,
) -> (Vec<u8>, String, Answer) {
    let bytes = std::fs::read(package(dir)).unwrap();
    let sha = network::body_hash(&bytes);
    let up = call(&hub.base, &Req::by(key), "POST", "/v1/packages", &bytes);
    (bytes, sha, up)
}

fn post(base: &str, key: &loa_core::broadcast::key::StationKey, path: &str, body: &str) -> Answer {
    call(base, &Req::by(key), "POST", path, body.as_bytes())
}

#[test]
fn impossible_receipts_are_refused_and_no_stored_row_stops_a_handler() {
    let Network {
        db,
        province,
        p_key,
        c_key,
        storage,
        ..
    } = network();
    let hub = serve(&db, storage.path(), 4);
    let (_, sha, up) = upload(&hub, province.path(), &p_key);
    assert_eq!(up.status, 201, "{}", String::from_utf8_lossy(&up.body));
    let inbox = call(&hub.base, &Req::by(&c_key), "GET", "/v1/inbox?after=0", b"").json();
    let id = inbox[0]["packageId"].as_str().unwrap().to_string();

    // Each refused with 400 and its reason; nothing of the batch stored.
    let aired = |at: &str, seconds: &str, pkg: &str| {
        format!(
            r#"[{{"packageId":"{id}","kind":"delivered","at":"2026-12-31T08:01:00+07:00"}},
               {{"packageId":"{pkg}","kind":"aired","at":"{at}","lang":"vie","seconds":{seconds},"onTime":true}}]"#
        )
    };
    let ok_at = "2026-12-31T08:05:00+07:00";
    for (what, body, reason) in [
        ("infinity", aired("infinity", "2", &id), "at:"),
        (
            "year 294276",
            aired("294276-01-01T00:00:00Z", "2", &id),
            "at:",
        ),
        (
            "two years back",
            aired("2024-12-31T08:00:00+07:00", "2", &id),
            "outside",
        ),
        (
            "a week ahead",
            aired("2027-01-07T08:00:00+07:00", "2", &id),
            "outside",
        ),
        (
            "longer than the package",
            aired(ok_at, "86400", &id),
            "longer than the package",
        ),
        ("negative", aired(ok_at, "-1", &id), "seconds"),
        (
            "another package",
            aired(ok_at, "2", "not-delivered-here"),
            "not delivered",
        ),
        ("NUL in the id", aired(ok_at, "2", "a\\u0000b"), "packageId"),
    ] {
        let r = post(&hub.base, &c_key, "/v1/receipts", &body);
        assert_eq!(
            r.status,
            400,
            "{what}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let message = r.json()["message"].as_str().unwrap_or("").to_string();
        assert!(message.contains(reason), "{what}: {message}");
        assert_eq!(count(&db, "receipts"), 0, "{what}: nothing stored");
    }
    // The same batch with sane values is taken whole.
    let r = post(&hub.base, &c_key, "/v1/receipts", &aired(ok_at, "2", &id));
    assert_eq!((r.status, r.json()["stored"].clone()), (200, 2.into()));
    // The province did not receive its own package: its receipt for it is
    // not its to make, so no station inflates another package's reach.
    let r = post(&hub.base, &p_key, "/v1/receipts", &aired(ok_at, "2", &id));
    assert_eq!(r.status, 400);
    let s = post(
        &hub.base,
        &c_key,
        "/v1/status",
        &format!(r#"{{"appVersion":"{}","freeDisk":1}}"#, "9".repeat(200)),
    );
    assert_eq!(s.status, 400, "an app version of 200 characters");

    // Rows no honest hub writes, planted straight in the database (an older
    // hub stored `infinity` as it was sent): every reading handler still
    // answers, for the province and for the commune.
    psql(
        &db,
        &format!(
            "INSERT INTO receipts (station_key_id, package_id, kind, at, lang, seconds, on_time)
             VALUES ('{c}', '{id}', 'aired', 'infinity', '', 'NaN', NULL),
                    ('{c}', '{id}', 'aired', '-infinity', 'x', 'Infinity', true),
                    ('{c}', 'gone', 'imported', 'infinity', '', 0, NULL);
             UPDATE stations SET last_seen = 'infinity', app_version = NULL, free_disk = NULL;
             INSERT INTO packages (sha256, package_id, title, priority, issuer_key_id, size, manifest, uploaded_at)
             VALUES ('{z}', '', '', '', '{p}', -1, '{{\"items\": 7}}', 'infinity');
             INSERT INTO deliveries (station_key_id, sha256) VALUES ('{c}', '{z}');",
            c = c_key.key_id(),
            p = p_key.key_id(),
            z = "0".repeat(64),
        ),
    );
    for (who, key) in [("province", &p_key), ("commune", &c_key)] {
        for path in [
            "/v1/airlog?after=0".to_string(),
            "/v1/network".to_string(),
            format!("/v1/network/{sha}"),
            format!("/v1/network/{}", "0".repeat(64)),
            "/v1/inbox?after=0".to_string(),
            "/v1/changes?after=0".to_string(),
        ] {
            let r = call(&hub.base, &Req::by(key), "GET", &path, b"");
            assert!(
                r.status == 200 || (who == "commune" && r.status == 403),
                "{who} {path}: {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            );
        }
    }
    let log = call(
        &hub.base,
        &Req::by(&p_key),
        "GET",
        "/v1/airlog?after=0",
        b"",
    )
    .json();
    assert_eq!(log.as_array().map(Vec::len), Some(3), "{log}");
}

#[test]
fn a_time_header_at_the_edge_of_i64_is_refused_not_a_crash() {
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let province = station(0);
    let key = enrol(&db, province.path(), "province");
    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 1);
    for time in [i64::MIN, i64::MIN + 1, i64::MAX] {
        let r = call(
            &hub.base,
            &Req {
                key: &key,
                sign_with: None,
                time,
            },
            "GET",
            "/v1/inbox?after=0",
            b"",
        );
        assert_eq!(
            (r.status, r.json()["code"].clone()),
            (401, "hub-clock-skew".into()),
            "time {time}"
        );
    }
    let ok = call(&hub.base, &Req::by(&key), "GET", "/v1/inbox?after=0", b"");
    assert_eq!(ok.status, 200, "the hub serves on");
}

#[test]
fn a_commune_addresses_only_the_province() {
    let Network {
        db,
        province,
        commune,
        p_key,
        c_key,
        storage,
    } = network();
    let other = station(2);
    let o_key = enrol(&db, other.path(), "commune");
    let hub = serve(&db, storage.path(), 4);
    let bytes = std::fs::read(package(commune.path())).unwrap();
    let other_code = loa_json(other.path(), &["station", "list", "--level", "commune"])[2]
        ["adminCode"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        !other_code.is_empty(),
        "the other commune has an admin code"
    );

    let path = format!("/v1/packages?to={other_code}");
    let r = call(&hub.base, &Req::by(&c_key), "POST", &path, &bytes);
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (403, "hub-forbidden".into()),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(count(&db, "packages"), 0);

    // Addressed to no one, it reaches the province alone.
    let r = call(&hub.base, &Req::by(&c_key), "POST", "/v1/packages", &bytes);
    assert_eq!((r.status, r.json()["recipients"].clone()), (201, 1.into()));
    let inbox = |k| call(&hub.base, &Req::by(k), "GET", "/v1/inbox?after=0", b"").json();
    assert_eq!(inbox(&p_key).as_array().map(Vec::len), Some(1));
    assert_eq!(inbox(&o_key).as_array().map(Vec::len), Some(0));

    // The province still addresses anyone.
    let pkg = std::fs::read(package(province.path())).unwrap();
    let r = call(&hub.base, &Req::by(&p_key), "POST", &path, &pkg);
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(inbox(&o_key).as_array().map(Vec::len), Some(1));
}

#[test]
fn a_download_cut_after_its_last_byte_is_taken_and_a_refused_send_stops_nothing() {
    let Network {
        db,
        province,
        commune,
        p_key,
        storage,
        ..
    } = network();
    let hub = serve(&db, storage.path(), 4);
    let (bytes, sha, up) = upload(&hub, province.path(), &p_key);
    assert_eq!(up.status, 201);

    // A sync killed after the last byte, before the rename: the whole file
    // waits as `.part`. Asking for the bytes after it gets a 416.
    let inbox = commune.path().join("hub").join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join(format!("{sha}.loa.part")), &bytes).unwrap();
    // The commune also has a package of its own waiting, addressed to
    // another commune: the hub refuses it for good.
    let other = loa_json(commune.path(), &["station", "list", "--level", "commune"])[2]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let own = package_with(
        commune.path(),
        &["--target-station", &other],
        "to-other.loa",
    );
    loa_json(commune.path(), &["package", "send", own.to_str().unwrap()]);
    let key = key_file(province.path());
    let province_here = loa_json(commune.path(), &["station", "list", "--level", "commune"])[0]
        ["id"]
        .as_i64()
        .unwrap()
        .to_string();
    loa_json(
        commune.path(),
        &[
            "station",
            "trust",
            &province_here,
            "--key",
            key.to_str().unwrap(),
        ],
    );
    loa_json(commune.path(), &["hub", "set", &hub.base]);
    let synced = loa_json(commune.path(), &["hub", "sync"]);
    assert_eq!(synced["imported"], 1, "{synced}");
    let again = loa_json(commune.path(), &["hub", "sync"]);
    assert_eq!(again["imported"], 0, "{again}");
    let status = loa_json(commune.path(), &["hub", "status"]);
    assert_eq!(
        status["outbox"], 0,
        "the refused send is not retried: {status}"
    );
}

/// A change set signed by `key`, with `id`, holding `changes`.
fn signed_set(
    key: &loa_core::broadcast::key::StationKey,
    id: &str,
    changes: Vec<loa_core::translate::sharing::Change>,
) -> loa_core::broadcast::changes::SignedSet {
    use loa_core::broadcast::changes::{ChangeSet, SignedSet, Signer, FORMAT};
    let set = ChangeSet {
        format: FORMAT.into(),
        id: id.into(),
        signer: Signer {
            key_id: key.key_id(),
            public_key: loa_core::broadcast::key::hex(&key.public_bytes()),
            station: "Đài thử".into(),
        },
        changes,
        languages: vec![],
    };
    let body = serde_json::to_string(&set).unwrap();
    SignedSet {
        signature: loa_core::broadcast::key::hex(&key.sign(body.as_bytes())),
        body,
    }
}

/// `n` memory units of about `each` bytes: a set of a chosen size.
fn units(n: usize, each: usize) -> Vec<loa_core::translate::sharing::Change> {
    (0..n)
        .map(|i| loa_core::translate::sharing::Change {
            id: format!("u{i}"),
            kind: loa_core::translate::sharing::Kind::Tm,
            subject: format!("unit{i}"),
            base: vec![],
            at: AT_UNIX,
            author: "thử".into(),
            value: serde_json::json!({
                "sourceLang": "vie",
                "targetLang": "ktv",
                "source": "a".repeat(each),
                "target": "thử",
                "translator": "",
            }),
        })
        .collect()
}

#[test]
fn terminology_sets_are_their_signers_bounded_and_canonical() {
    let Network {
        db,
        p_key,
        c_key,
        storage,
        ..
    } = network();
    let hub = serve(&db, storage.path(), 4);
    let push = |key, set: &loa_core::broadcast::changes::SignedSet| {
        let body = serde_json::to_vec(set).unwrap();
        call(&hub.base, &Req::by(key), "POST", "/v1/changes", &body)
    };
    // A commune takes the id the province is about to use: the province's
    // set still goes in, as its own.
    let first = push(&c_key, &signed_set(&c_key, "next-id", vec![]));
    assert_eq!(first.json()["created"], true);
    let province = push(&p_key, &signed_set(&p_key, "next-id", units(1, 10)));
    assert_eq!(
        (province.status, province.json()["created"].clone()),
        (200, true.into()),
        "{}",
        String::from_utf8_lossy(&province.body)
    );
    let again = push(&p_key, &signed_set(&p_key, "next-id", units(1, 10)));
    assert_eq!(again.json()["created"], false, "the same signer's set once");

    // Padding that still verifies is refused; so is a set over the cap.
    let set = signed_set(&p_key, "padded", vec![]);
    let body = set.body.replacen('{', "{   ", 1);
    let padded = loa_core::broadcast::changes::SignedSet {
        signature: loa_core::broadcast::key::hex(&p_key.sign(body.as_bytes())),
        body,
    };
    assert!(loa_core::broadcast::changes::verify(&padded).is_ok());
    let r = push(&p_key, &padded);
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    let r = push(&p_key, &signed_set(&p_key, "huge", units(300, 15_000)));
    assert_eq!(r.status, 413, "{}", String::from_utf8_lossy(&r.body));

    // Three sets of 3 MB: a page holds two (8 MB), the next page the third.
    for i in 0..3 {
        let r = push(
            &p_key,
            &signed_set(&p_key, &format!("big{i}"), units(200, 15_000)),
        );
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    }
    let page = |after: i64| {
        call(
            &hub.base,
            &Req::by(&c_key),
            "GET",
            &format!("/v1/changes?after={after}"),
            b"",
        )
        .json()
    };
    let one = page(2);
    assert_eq!(
        one.as_array().map(Vec::len),
        Some(2),
        "two big sets in a page"
    );
    let next = one[1]["seq"].as_i64().unwrap();
    assert_eq!(page(next).as_array().map(Vec::len), Some(1));
}

#[test]
fn an_admin_code_is_one_stations_unless_the_province_says_so() {
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let first = station(1);
    let second = station(1);
    enrol(&db, first.path(), "commune");
    let key = key_file(second.path());
    let add = |extra: &[&str]| {
        let mut args = vec![
            "station",
            "add",
            "--role",
            "commune",
            "--key",
            key.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        hub_cmd(&db).args(&args).output().unwrap()
    };
    let refused = add(&[]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("already held"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(count(&db, "stations"), 1);
    assert!(add(&["--share-code"]).status.success());
    assert_eq!(count(&db, "stations"), 2);
}
