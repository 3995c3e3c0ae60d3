//! The hub against a real PostgreSQL with packages built by the real `loa`.

mod support;

use loa_core::broadcast::key::StationKey;
use loa_core::broadcast::network;
use support::*;

#[test]
fn enrolled_stations_exchange_a_package_and_everything_else_is_refused() {
    let db = fresh_database();
    assert!(hub_run(&db, &["init"]).contains("schema version 4"));
    // Upgrading an up-to-date schema changes nothing.
    assert!(hub_run(&db, &["init"]).contains("schema version 4"));

    let province = station(0);
    let commune = station(1);
    let p_key = enrol(&db, province.path(), "province");
    let c_key = enrol(&db, commune.path(), "commune");
    let stranger = StationKey::generate().unwrap();

    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 1);
    let pkg = package(province.path());
    let bytes = std::fs::read(&pkg).unwrap();
    assert!(
        bytes.len() < 1 << 20,
        "the test package fits the 1 MB limit"
    );
    let sha = network::body_hash(&bytes);

    // Refused, each with its reason, and nothing stored.
    let refusals: Vec<(&str, Answer)> = vec![
        (
            "hub-unknown-key",
            call(
                &hub.base,
                &Req::by(&stranger),
                "POST",
                "/v1/packages",
                &bytes,
            ),
        ),
        (
            "hub-bad-signature",
            call(
                &hub.base,
                &Req {
                    key: &p_key,
                    sign_with: Some(&stranger),
                    time: AT_UNIX,
                },
                "POST",
                "/v1/packages",
                &bytes,
            ),
        ),
        (
            "hub-clock-skew",
            call(
                &hub.base,
                &Req {
                    key: &p_key,
                    sign_with: None,
                    time: AT_UNIX - 3600,
                },
                "POST",
                "/v1/packages",
                &bytes,
            ),
        ),
        (
            "hub-issuer-not-enrolled",
            call(&hub.base, &Req::by(&c_key), "POST", "/v1/packages", &bytes),
        ),
        (
            "hub-too-large",
            call(
                &hub.base,
                &Req::by(&p_key),
                "POST",
                "/v1/packages",
                &vec![7u8; 1_500_000],
            ),
        ),
        (
            "package-damaged",
            call(
                &hub.base,
                &Req::by(&p_key),
                "POST",
                "/v1/packages",
                b"not a package",
            ),
        ),
        ("package-tampered", {
            let mut bad = bytes.clone();
            // A byte inside the stored audio (the files come first in the ZIP).
            bad[200] ^= 0x55;
            call(&hub.base, &Req::by(&p_key), "POST", "/v1/packages", &bad)
        }),
    ];
    for (code, answer) in &refusals {
        assert_eq!(answer.json()["code"], *code, "status {}", answer.status);
    }
    assert_eq!(refusals[0].1.status, 401);
    assert_eq!(refusals[4].1.status, 413);
    assert_eq!(count(&db, "packages"), 0);
    assert_eq!(count(&db, "deliveries"), 0);
    let left: Vec<_> = std::fs::read_dir(storage.path().join("tmp"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "no scratch file is left: {left:?}");

    // A replayed request is refused even though its signature is good.
    let headers = Req::by(&c_key).headers("GET", "/v1/inbox", b"");
    assert_eq!(
        send(&hub.base, "GET", "/v1/inbox", &headers, &[], b"").status,
        200
    );
    let again = send(&hub.base, "GET", "/v1/inbox", &headers, &[], b"");
    assert_eq!(
        (again.status, again.json()["code"].clone()),
        (401, "hub-replay".into())
    );

    // The issuer uploads; the package reaches the commune's inbox.
    let up = call(&hub.base, &Req::by(&p_key), "POST", "/v1/packages", &bytes);
    assert_eq!(up.status, 201, "{}", String::from_utf8_lossy(&up.body));
    assert_eq!(up.json()["recipients"], 1);
    let twice = call(&hub.base, &Req::by(&p_key), "POST", "/v1/packages", &bytes);
    assert_eq!(
        (twice.status, twice.json()["created"].clone()),
        (200, false.into())
    );
    assert_eq!(
        count(&db, "deliveries"),
        1,
        "a second upload changes nothing"
    );

    let inbox = call(&hub.base, &Req::by(&c_key), "GET", "/v1/inbox?after=0", b"").json();
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    assert_eq!(inbox[0]["sha256"], sha.as_str());
    let seq = inbox[0]["seq"].as_i64().unwrap();
    let later = call(
        &hub.base,
        &Req::by(&c_key),
        "GET",
        &format!("/v1/inbox?after={seq}"),
        b"",
    )
    .json();
    assert_eq!(later.as_array().unwrap().len(), 0, "the cursor moves on");
    // The issuer's own inbox does not hold its package.
    let own = call(&hub.base, &Req::by(&p_key), "GET", "/v1/inbox?after=0", b"").json();
    assert_eq!(own.as_array().unwrap().len(), 0);

    // Download: whole, a range (a cut download resumes), and not again.
    let path = format!("/v1/packages/{sha}");
    let whole = call(&hub.base, &Req::by(&c_key), "GET", &path, b"");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, bytes);
    let etag = whole.header("etag").unwrap().to_string();
    let half = bytes.len() / 2;
    let rest = send(
        &hub.base,
        "GET",
        &path,
        &Req::by(&c_key).headers("GET", &path, b""),
        &[("range", &format!("bytes={half}-"))],
        b"",
    );
    assert_eq!(rest.status, 206);
    assert_eq!(rest.body, bytes[half..]);
    assert_eq!(
        rest.header("content-range").unwrap(),
        format!("bytes {half}-{}/{}", bytes.len() - 1, bytes.len())
    );
    let same = send(
        &hub.base,
        "GET",
        &path,
        &Req::by(&c_key).headers("GET", &path, b""),
        &[("if-none-match", &etag)],
        b"",
    );
    assert_eq!(same.status, 304);
    // A station it was not delivered to cannot fetch it.
    let other = station(2);
    let o_key = enrol(&db, other.path(), "commune");
    assert_eq!(
        call(&hub.base, &Req::by(&o_key), "GET", &path, b"").status,
        404
    );

    // What arrived verifies and imports at the commune as a file would.
    let got = commune.path().join("from-hub.loa");
    std::fs::write(&got, &whole.body).unwrap();
    let issuer = loa_json(commune.path(), &["station", "list", "--level", "commune"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let key = key_file(province.path());
    loa_json(
        commune.path(),
        &["station", "trust", &issuer, "--key", key.to_str().unwrap()],
    );
    let imported = loa(
        commune.path(),
        &["package", "import", got.to_str().unwrap()],
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );

    // Receipts and status come back.
    let receipts = serde_json::json!([
        { "packageId": inbox[0]["packageId"], "kind": "delivered", "at": "2026-12-31T08:01:00+07:00" },
        { "packageId": inbox[0]["packageId"], "kind": "imported", "at": "2026-12-31T08:02:00+07:00" },
    ])
    .to_string();
    let r = call(
        &hub.base,
        &Req::by(&c_key),
        "POST",
        "/v1/receipts",
        receipts.as_bytes(),
    );
    assert_eq!(r.json()["stored"], 2);
    let again = call(
        &hub.base,
        &Req::by(&c_key),
        "POST",
        "/v1/receipts",
        receipts.as_bytes(),
    );
    assert_eq!(
        again.json()["stored"],
        0,
        "the same receipts twice are kept once"
    );
    let s = call(
        &hub.base,
        &Req::by(&c_key),
        "POST",
        "/v1/status",
        br#"{"appVersion":"0.1.0","freeDisk":123456789}"#,
    );
    assert_eq!(
        (s.status, s.json()["role"].clone()),
        (200, "commune".into())
    );
    let listed = hub_run(&db, &["station", "list"]);
    assert!(
        listed.lines().filter(|l| !l.ends_with("\t-")).count() >= 1,
        "{listed}"
    );
}

/// Two hub processes on one database and one storage folder behave as one:
/// an emergency uploaded to one is pushed at once to a station listening on
/// the other, and only to the stations it is for.
#[test]
fn an_emergency_uploaded_to_one_hub_reaches_a_station_listening_on_another() {
    let Network {
        db,
        province,
        p_key,
        c_key,
        storage,
        ..
    } = network();
    let a = serve(&db, storage.path(), 64);
    let b = serve(&db, storage.path(), 64);
    // The issuer listens too: it is not a recipient of its own package.
    let heard = listen(&b.base, &c_key);
    let issuer_hears = listen(&b.base, &p_key);
    assert!(heard
        .wait_for(GUARD_SECS, |l| l == "event: hello")
        .is_some());
    assert!(issuer_hears
        .wait_for(GUARD_SECS, |l| l == "event: hello")
        .is_some());

    let pkg = package_as(province.path(), Some("emergency"), "khan-cap.loa");
    let bytes = std::fs::read(&pkg).unwrap();
    let sha = network::body_hash(&bytes);
    let up = call(&a.base, &Req::by(&p_key), "POST", "/v1/packages", &bytes);
    assert_eq!(up.status, 201, "{}", String::from_utf8_lossy(&up.body));

    // No one polls here: any delivery heard is a push.
    let data = heard
        .wait_for(GUARD_SECS, |l| l.starts_with("data: {"))
        .expect("the commune hears of the emergency, pushed");
    let note: serde_json::Value = serde_json::from_str(&data["data: ".len()..]).unwrap();
    assert_eq!(note["sha256"], sha.as_str());
    assert_eq!(note["priority"], "emergency");
    assert!(issuer_hears
        .wait_for(2, |l| l.starts_with("data: {"))
        .is_none());
    // And the file is served by the other process too.
    let path = format!("/v1/packages/{sha}");
    assert_eq!(
        call(&b.base, &Req::by(&c_key), "GET", &path, b"").body,
        bytes
    );
}
