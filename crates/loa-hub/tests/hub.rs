//! The hub against a real PostgreSQL (run under `scripts/with-postgres.sh`,
//! as `make test` does), with packages built by the real `loa`. The hub and
//! every client run at one fixed moment, so nothing depends on today.

use loa_core::broadcast::key::StationKey;
use loa_core::broadcast::network;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const AT: &str = "2026-12-31T08:00:00+07:00";
/// `AT` in Unix seconds.
const AT_UNIX: i64 = 1_798_678_800;

fn admin_url() -> String {
    std::env::var("LOA_HUB_DATABASE_URL").expect(
        "the hub's tests need PostgreSQL: run them under scripts/with-postgres.sh (make test does)",
    )
}

/// A new, empty database on the test server; its URL.
fn fresh_database() -> String {
    let admin = admin_url();
    let mut raw = [0u8; 6];
    getrandom::fill(&mut raw).unwrap();
    let name = format!("hub_{}", loa_core::broadcast::key::hex(&raw));
    let out = Command::new("psql")
        .arg(&admin)
        .args(["-q", "-c", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = admin.rsplit_once('/').unwrap().0;
    format!("{base}/{name}")
}

fn hub_cmd(db: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_loa-hub"));
    c.env("LOA_HUB_DATABASE_URL", db).env("LOA_NOW", AT);
    c
}

fn hub_run(db: &str, args: &[&str]) -> String {
    let out = hub_cmd(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "loa-hub {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

struct Hub {
    child: Child,
    base: String,
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &str, storage: &Path, max_upload_mb: u32) -> Hub {
    let mut child = hub_cmd(db)
        .args(["serve", "--listen", "127.0.0.1:0", "--storage"])
        .arg(storage)
        .args(["--max-upload-mb", &max_upload_mb.to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("loa-hub listening on ")
        .unwrap_or_else(|| panic!("hub did not start: {line}"))
        .to_string();
    Hub { child, base }
}

/// The `loa` built beside `loa-hub` (`cargo test --workspace` builds both).
fn loa(dir: &Path, args: &[&str]) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_loa-hub"))
        .with_file_name(format!("loa{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "build the workspace first: {} is missing",
        bin.display()
    );
    Command::new(bin)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("LOA_DATA_DIR")
        .env("LOA_NOW", AT)
        .env("LANG", "C")
        .output()
        .unwrap()
}

fn loa_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = loa(dir, &all);
    assert!(
        out.status.success(),
        "loa {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A station's data folder with the demo data, set up as its `nth` commune.
fn station(nth: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    loa_json(dir.path(), &["init", "--demo"]);
    let list = loa_json(dir.path(), &["station", "list", "--level", "commune"]);
    let id = list[nth]["id"].as_i64().unwrap().to_string();
    loa_json(dir.path(), &["settings", "set", "--station", &id]);
    dir
}

/// Enrols the station in `dir` on the hub with `role`; its key.
fn enrol(db: &str, dir: &Path, role: &str) -> StationKey {
    let key = key_file(dir);
    let added = hub_run(
        db,
        &[
            "station",
            "add",
            "--role",
            role,
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert!(added.contains(&format!("as {role}")), "{added}");
    StationKey::load(dir).unwrap().unwrap()
}

fn key_file(dir: &Path) -> PathBuf {
    let out = dir.join("station.loakey");
    loa_json(dir, &["key", "export", "--out", out.to_str().unwrap()]);
    out
}

/// A package built by the station in `dir` (one approved demo script, read
/// as a two-second tone).
fn package(dir: &Path) -> PathBuf {
    let approved = loa_json(dir, &["script", "list", "--status", "approved"]);
    let script = approved[0]["id"].as_i64().unwrap().to_string();
    let wav = dir.join("tone.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    for i in 0..32_000 {
        w.write_sample(((i as f64 * 0.17).sin() * 6000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    loa_json(
        dir,
        &[
            "take",
            "import",
            wav.to_str().unwrap(),
            "--script",
            &script,
            "--choose",
        ],
    );
    let pkg = dir.join("ban-tin.loa");
    loa_json(
        dir,
        &[
            "package",
            "build",
            "--script",
            &script,
            "--lang",
            "vie",
            "--out",
            pkg.to_str().unwrap(),
        ],
    );
    pkg
}

/// A signed request as a station sends it; `time` and `sign_with` let a
/// test send what a forger or a wrong clock would.
struct Req<'a> {
    key: &'a StationKey,
    sign_with: Option<&'a StationKey>,
    time: i64,
}

impl<'a> Req<'a> {
    fn by(key: &'a StationKey) -> Self {
        Req {
            key,
            sign_with: None,
            time: AT_UNIX,
        }
    }

    fn headers(&self, method: &str, path: &str, body: &[u8]) -> Vec<(String, String)> {
        let signer = self.sign_with.unwrap_or(self.key);
        let mut auth =
            network::sign(signer, method, path, self.time, &network::body_hash(body)).unwrap();
        if self.sign_with.is_some() {
            // The forger claims the enrolled station's key id.
            auth.key_id = self.key.key_id();
        }
        vec![
            (network::HEADER_KEY.into(), auth.key_id),
            (network::HEADER_TIME.into(), auth.time.to_string()),
            (network::HEADER_NONCE.into(), auth.nonce),
            (network::HEADER_BODY.into(), auth.body_sha256),
            (network::HEADER_SIGNATURE.into(), auth.signature),
        ]
    }
}

struct Answer {
    status: u16,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn send(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    extra: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let url = format!("{base}{path}");
    let a = agent();
    let resp = if method == "GET" {
        let mut r = a.get(&url);
        for (n, v) in headers {
            r = r.header(n, v);
        }
        for (n, v) in extra {
            r = r.header(*n, *v);
        }
        r.call()
    } else {
        let mut r = a.post(&url);
        for (n, v) in headers {
            r = r.header(n, v);
        }
        r.send(body)
    };
    let mut resp = resp.unwrap();
    let headers = resp
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = resp
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()
        .unwrap();
    Answer {
        status: resp.status().as_u16(),
        body,
        headers,
    }
}

fn call(base: &str, req: &Req, method: &str, path: &str, body: &[u8]) -> Answer {
    send(
        base,
        method,
        path,
        &req.headers(method, path, body),
        &[],
        body,
    )
}

fn count(db: &str, table: &str) -> i64 {
    let out = Command::new("psql")
        .arg(db)
        .args(["-tAc", &format!("SELECT count(*) FROM {table}")])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn enrolled_stations_exchange_a_package_and_everything_else_is_refused() {
    let db = fresh_database();
    assert!(hub_run(&db, &["init"]).contains("schema version 1"));
    // Upgrading an up-to-date schema changes nothing.
    assert!(hub_run(&db, &["init"]).contains("schema version 1"));

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
    assert_eq!(s.status, 204);
    let listed = hub_run(&db, &["station", "list"]);
    assert!(
        listed.lines().filter(|l| !l.ends_with("\t-")).count() >= 1,
        "{listed}"
    );
}
