//! The chain over the network, with the real CLI on three data folders: a
//! province sends through the hub, two communes receive and import it by
//! the same verify/trust path as a file (the hub makes no key trusted), one
//! airs it, and the receipts reach the hub.

mod support;

use support::*;

fn sync(dir: &std::path::Path) -> serde_json::Value {
    loa_json(dir, &["hub", "sync"])
}

#[test]
fn send_receive_import_air_and_report_back() {
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let province = station(0);
    let c1 = station(1);
    let c2 = station(2);
    enrol(&db, province.path(), "province");
    enrol(&db, c1.path(), "commune");
    enrol(&db, c2.path(), "commune");
    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 64);
    for d in [province.path(), c1.path(), c2.path()] {
        let link = loa_json(d, &["hub", "set", &hub.base]);
        assert_eq!(link["url"], hub.base.as_str());
    }

    // Commune 1 trusts the province's key (read back by phone); commune 2
    // has not yet.
    let key = key_file(province.path());
    let province_here = loa_json(c1.path(), &["station", "list", "--level", "commune"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    loa_json(
        c1.path(),
        &[
            "station",
            "trust",
            &province_here,
            "--key",
            key.to_str().unwrap(),
        ],
    );

    let pkg = package(province.path());
    let sent = loa_json(province.path(), &["package", "list", "--sent"]);
    let uuid = sent[0]["uuid"].as_str().unwrap().to_string();
    let queued = loa_json(province.path(), &["package", "send", pkg.to_str().unwrap()]);
    assert_eq!(queued["outbox"], 1);
    let s = sync(province.path());
    assert_eq!(s["sent"], 1, "{s}");
    let status = loa_json(province.path(), &["hub", "status"]);
    assert_eq!(
        (status["outbox"].as_u64(), status["role"].as_str()),
        (Some(0), Some("province"))
    );

    let s1 = sync(c1.path());
    assert_eq!(
        (s1["imported"].as_u64(), s1["held"].as_u64()),
        (Some(1), Some(0)),
        "{s1}"
    );
    let received = loa_json(c1.path(), &["package", "list"]);
    assert_eq!(received[0]["uuid"], uuid.as_str());

    // Untrusted: downloaded and held, never imported on the hub's word.
    let s2 = sync(c2.path());
    assert_eq!(
        (s2["imported"].as_u64(), s2["held"].as_u64()),
        (Some(0), Some(1)),
        "{s2}"
    );
    assert_eq!(
        loa_json(c2.path(), &["package", "list"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(loa_json(c2.path(), &["hub", "status"])["waiting"], 1);
    let here = loa_json(c2.path(), &["station", "list", "--level", "commune"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    loa_json(
        c2.path(),
        &["station", "trust", &here, "--key", key.to_str().unwrap()],
    );
    let s2 = sync(c2.path());
    assert_eq!(s2["imported"], 1, "{s2}");
    assert_eq!(loa_json(c2.path(), &["hub", "status"])["waiting"], 0);

    // Commune 1 airs the first item; its receipt goes back by itself.
    let shown = loa_json(
        c1.path(),
        &["package", "show", &received[0]["id"].to_string()],
    );
    let item = shown["items"][0]["id"].to_string();
    loa_json(
        c1.path(),
        &["airlog", "add", "--item", &item, "--at", "2026-12-31 09:00"],
    );
    let s1 = sync(c1.path());
    assert_eq!(s1["receipts"], 1, "{s1}");
    assert_eq!(sync(c1.path())["receipts"], 0, "reported once");

    // The hub holds each commune's delivered and imported, and the airing.
    let kinds = |kind: &str| {
        count(
            &db,
            &format!("receipts WHERE kind = '{kind}' AND package_id = '{uuid}'"),
        )
    };
    assert_eq!(
        (kinds("delivered"), kinds("imported"), kinds("aired")),
        (2, 2, 1)
    );

    // The province sees its network: every station, and how far the
    // package got; a commune may not look.
    let net = loa_json(province.path(), &["hub", "network"]);
    let stations = net["stations"].as_array().unwrap();
    assert_eq!(stations.len(), 3);
    assert!(
        stations
            .iter()
            .all(|s| s["silent"] == false && s["lastSeen"].is_string()),
        "{net}"
    );
    let p = &net["packages"][0];
    assert_eq!(
        (
            p["recipients"].as_i64(),
            p["delivered"].as_i64(),
            p["imported"].as_i64(),
            p["aired"].as_i64()
        ),
        (Some(2), Some(2), Some(2), Some(1))
    );
    let sha = p["sha256"].as_str().unwrap().to_string();
    let reach = loa_json(province.path(), &["hub", "network", "--package", &sha]);
    let aired: Vec<_> = reach
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["aired"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(aired.len(), 1);
    assert_eq!(aired[0]["aired"][0]["lang"], "vie");
    // The province's report counts the commune's airing, by station and
    // language, from the air log the hub brought back.
    assert_eq!(sync(province.path())["airings"], 1);
    let report = loa_json(
        province.path(),
        &["report", "--from", "2026-12-01", "--to", "2026-12-31"],
    );
    assert_eq!(report["broadcasts"], 1, "{report}");
    let commune_name =
        loa_json(c1.path(), &["station", "list", "--level", "commune"])[1]["name"].clone();
    let minutes = report["minutes"].as_array().unwrap();
    assert!(
        minutes.iter().any(|m| m["station"] == commune_name
            && m["lang"] == "vie"
            && m["aired"].as_f64().unwrap() > 0.0),
        "{report}"
    );
    let refused = loa(c1.path(), &["--json", "hub", "network"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("hub-forbidden"));

    // Two days on with no word from anyone, every station stands out.
    drop(hub);
    const LATER: &str = "2027-01-02T08:00:00+07:00";
    let hub = serve_at(LATER, &db, storage.path(), 64);
    loa_json_at(LATER, province.path(), &["hub", "set", &hub.base]);
    let net = loa_json_at(LATER, province.path(), &["hub", "network"]);
    let silent = net["stations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["silent"] == true)
        .count();
    assert_eq!(silent, 3, "{net}");
}

/// With no hub reachable, nothing is lost: the send waits, the error is
/// recorded in words' code, and it goes out once the hub is back.
#[test]
fn offline_sends_wait_and_go_out_later() {
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let province = station(0);
    enrol(&db, province.path(), "province");
    // An address where nothing listens (a port just freed).
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    loa_json(province.path(), &["hub", "set", &dead]);
    let pkg = package(province.path());
    loa_json(province.path(), &["package", "send", pkg.to_str().unwrap()]);
    let out = loa(province.path(), &["--json", "hub", "sync"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"network\""));
    let status = loa_json(province.path(), &["hub", "status"]);
    assert_eq!(
        (status["outbox"].as_u64(), status["lastError"].as_str()),
        (Some(1), Some("network"))
    );

    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 64);
    loa_json(province.path(), &["hub", "set", &hub.base]);
    assert_eq!(sync(province.path())["sent"], 1);
    let status = loa_json(province.path(), &["hub", "status"]);
    assert_eq!(
        (status["outbox"].as_u64(), status["lastError"].as_str()),
        (Some(0), Some(""))
    );
    assert_eq!(count(&db, "packages"), 1);
}

/// A commune offline for 30 days catches up in order: what is still valid
/// is imported in the order it was sent, what expired meanwhile is refused
/// as expired, and nothing is lost or doubled.
#[test]
fn a_station_offline_for_thirty_days_catches_up_in_order() {
    const LATER: &str = "2027-01-30T08:00:00+07:00";
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let province = station(0);
    let commune = station(1);
    enrol(&db, province.path(), "province");
    enrol(&db, commune.path(), "commune");
    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 64);
    loa_json(province.path(), &["hub", "set", &hub.base]);
    let key = key_file(province.path());
    let here = loa_json(commune.path(), &["station", "list", "--level", "commune"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    loa_json(
        commune.path(),
        &["station", "trust", &here, "--key", key.to_str().unwrap()],
    );

    package(province.path()); // a take to build from
    let script = loa_json(province.path(), &["script", "list", "--status", "approved"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let titles = ["Tuần 1", "Tuần 2 (hết hạn sau 7 ngày)", "Tuần 3", "Tuần 4"];
    for (i, title) in titles.iter().enumerate() {
        let out = province.path().join(format!("p{i}.loa"));
        let days = if i == 1 { "7" } else { "60" };
        loa_json(
            province.path(),
            &[
                "package",
                "build",
                "--script",
                &script,
                "--lang",
                "vie",
                "--title",
                title,
                "--valid-days",
                days,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        loa_json(province.path(), &["package", "send", out.to_str().unwrap()]);
    }
    assert_eq!(loa_json(province.path(), &["hub", "sync"])["sent"], 4);
    drop(hub);

    // Thirty days on, the commune comes back.
    let hub = serve_at(LATER, &db, storage.path(), 64);
    loa_json_at(LATER, commune.path(), &["hub", "set", &hub.base]);
    let s = loa_json_at(LATER, commune.path(), &["hub", "sync"]);
    assert_eq!(
        (s["imported"].as_u64(), s["refused"].as_u64()),
        (Some(3), Some(1)),
        "{s}"
    );
    let again = loa_json_at(LATER, commune.path(), &["hub", "sync"]);
    assert_eq!(
        (again["listed"].as_u64(), again["imported"].as_u64()),
        (Some(0), Some(0))
    );
    // In the order sent: the library's ids follow the imports.
    let mut got: Vec<(i64, String)> = loa_json_at(LATER, commune.path(), &["package", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let order: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(order, ["Tuần 1", "Tuần 3", "Tuần 4"]);
}

/// A download cut halfway goes on from its `.part` (a Range request); a
/// `.part` whose bytes are not the package's is caught by the hash and
/// thrown away, and the next sync fetches it whole.
#[test]
fn a_cut_download_resumes_and_a_bad_one_is_caught() {
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let province = station(0);
    let (c1, c2) = (station(1), station(2));
    enrol(&db, province.path(), "province");
    enrol(&db, c1.path(), "commune");
    enrol(&db, c2.path(), "commune");
    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 64);
    let key = key_file(province.path());
    for c in [c1.path(), c2.path()] {
        loa_json(c, &["hub", "set", &hub.base]);
        let here = loa_json(c, &["station", "list", "--level", "commune"])[0]["id"]
            .as_i64()
            .unwrap()
            .to_string();
        loa_json(
            c,
            &["station", "trust", &here, "--key", key.to_str().unwrap()],
        );
    }
    loa_json(province.path(), &["hub", "set", &hub.base]);
    let pkg = package(province.path());
    let bytes = std::fs::read(&pkg).unwrap();
    let sha = loa_core::broadcast::network::body_hash(&bytes);
    loa_json(province.path(), &["package", "send", pkg.to_str().unwrap()]);
    loa_json(province.path(), &["hub", "sync"]);

    let part = |dir: &std::path::Path| {
        dir.join("hub")
            .join("inbox")
            .join(format!("{sha}.loa.part"))
    };
    let half = bytes.len() / 2;
    // Commune 1 was cut after the first half: it finishes from there.
    std::fs::create_dir_all(part(c1.path()).parent().unwrap()).unwrap();
    std::fs::write(part(c1.path()), &bytes[..half]).unwrap();
    assert_eq!(loa_json(c1.path(), &["hub", "sync"])["imported"], 1);
    // Commune 2's half is not the package's: caught, dropped, fetched whole.
    std::fs::create_dir_all(part(c2.path()).parent().unwrap()).unwrap();
    std::fs::write(part(c2.path()), vec![0u8; half]).unwrap();
    assert_eq!(loa_json(c2.path(), &["hub", "sync"])["imported"], 0);
    assert!(!part(c2.path()).exists(), "the bad part is gone");
    assert_eq!(loa_json(c2.path(), &["hub", "sync"])["imported"], 1);
}
