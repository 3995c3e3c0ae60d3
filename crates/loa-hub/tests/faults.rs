//! The hub under faults, against a real PostgreSQL: killed in the middle of
//! an upload, and PostgreSQL restarted under it. (One test binary of its
//! own: restarting the server must not disturb the other tests.)

mod support;

use loa_core::broadcast::network;
use std::io::Write;
use support::*;

/// The tests here take turns: a PostgreSQL restart must not land in the
/// middle of the other test.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner())
}

/// Killed mid-upload, the hub lists nothing; started again, it takes the
/// same package whole.
#[test]
fn a_hub_killed_mid_upload_lists_nothing() {
    let _turn = turn();
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let province = station(0);
    let commune = station(1);
    let p_key = enrol(&db, province.path(), "province");
    enrol(&db, commune.path(), "commune");
    let storage = tempfile::tempdir().unwrap();
    let mut hub = serve(&db, storage.path(), 64);
    let bytes = std::fs::read(package(province.path())).unwrap();

    // Headers and half the body, by hand, then the hub is killed.
    let headers = Req::by(&p_key).headers("POST", "/v1/packages", &bytes);
    let addr = hub.base.trim_start_matches("http://").to_string();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        conn,
        "POST /v1/packages HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n",
        bytes.len()
    )
    .unwrap();
    for (n, v) in &headers {
        write!(conn, "{n}: {v}\r\n").unwrap();
    }
    write!(conn, "\r\n").unwrap();
    conn.write_all(&bytes[..bytes.len() / 2]).unwrap();
    conn.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    hub.child.kill().unwrap();
    hub.child.wait().unwrap();
    drop(conn);

    assert_eq!(count(&db, "packages"), 0);
    assert_eq!(count(&db, "deliveries"), 0);
    let stored: Vec<_> = walk(&storage.path().join("sha256"));
    assert!(stored.is_empty(), "no file at any address: {stored:?}");

    let hub = serve(&db, storage.path(), 64);
    let up = call(&hub.base, &Req::by(&p_key), "POST", "/v1/packages", &bytes);
    assert_eq!(up.status, 201, "{}", String::from_utf8_lossy(&up.body));
    assert_eq!(up.json()["sha256"], network::body_hash(&bytes).as_str());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// PostgreSQL restarted while stations are polling: requests fail for a
/// moment with "hub-unavailable", then the same hub process answers again,
/// and its push listener reconnects (stations are told to resync).
#[test]
fn the_hub_recovers_when_postgresql_restarts() {
    let _turn = turn();
    let ctl = std::env::var("LOA_PG_CTL").expect("run under scripts/with-postgres.sh");
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let commune = station(1);
    let c_key = enrol(&db, commune.path(), "commune");
    let storage = tempfile::tempdir().unwrap();
    let hub = serve(&db, storage.path(), 64);
    let heard = listen(&hub.base, &c_key);
    assert!(heard
        .wait_for(GUARD_SECS, |l| l == "event: hello")
        .is_some());
    assert_eq!(
        call(&hub.base, &Req::by(&c_key), "GET", "/v1/inbox", b"").status,
        200
    );

    let restarted = std::process::Command::new(&ctl)
        .args(["restart", "-m", "fast", "-w"])
        .output()
        .unwrap();
    assert!(
        restarted.status.success(),
        "{}",
        String::from_utf8_lossy(&restarted.stderr)
    );

    // Within a few seconds the same process answers again.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(GUARD_SECS);
    let mut statuses = vec![];
    loop {
        let s = call(&hub.base, &Req::by(&c_key), "GET", "/v1/inbox", b"").status;
        statuses.push(s);
        if s == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < until,
            "no recovery: {statuses:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(
        heard
            .wait_for(GUARD_SECS, |l| l == "event: resync")
            .is_some(),
        "the push listener reconnected and told stations to resync"
    );
}
