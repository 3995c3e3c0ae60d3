//! What the hub's tests share: a real PostgreSQL (run them under
//! `scripts/with-postgres.sh`, as `make test` does), hubs started as real
//! processes, stations as data folders of the real `loa`, and signed
//! requests. The hub and every client run at one fixed moment, so nothing
//! depends on today.

#![allow(dead_code)] // each test file uses some of these

use loa_core::broadcast::key::StationKey;
use loa_core::broadcast::network;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub const AT: &str = "2026-12-31T08:00:00+07:00";
/// `AT` in Unix seconds.
pub const AT_UNIX: i64 = 1_798_678_800;

pub fn admin_url() -> String {
    std::env::var("LOA_HUB_DATABASE_URL").expect(
        "the hub's tests need PostgreSQL: run them under scripts/with-postgres.sh (make test does)",
    )
}

/// A new, empty database on the test server; its URL.
pub fn fresh_database() -> String {
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

pub fn hub_cmd(db: &str) -> Command {
    hub_cmd_at(AT, db)
}

/// The hub on another moment (`LOA_NOW`): days passing.
pub fn hub_cmd_at(now: &str, db: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_loa-hub"));
    c.env("LOA_HUB_DATABASE_URL", db).env("LOA_NOW", now);
    c
}

pub fn hub_run(db: &str, args: &[&str]) -> String {
    let out = hub_cmd(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "loa-hub {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub struct Hub {
    pub child: Child,
    pub base: String,
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(db: &str, storage: &Path, max_upload_mb: u32) -> Hub {
    serve_at(AT, db, storage, max_upload_mb)
}

pub fn serve_at(now: &str, db: &str, storage: &Path, max_upload_mb: u32) -> Hub {
    let mut child = hub_cmd_at(now, db)
        .args(["serve", "--listen", "127.0.0.1:0", "--storage"])
        .arg(storage)
        .args(["--max-upload-mb", &max_upload_mb.to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    err.read_line(&mut line).unwrap();
    let base = line
        .trim()
        .strip_prefix("loa-hub listening on ")
        .unwrap_or_else(|| panic!("hub did not start: {line}"))
        .to_string();
    // The hub's later messages go to the test's output, and its stderr
    // stays open for them.
    std::thread::spawn(move || {
        for l in err.lines().map_while(|l| l.ok()) {
            eprintln!("[hub] {l}");
        }
    });
    Hub { child, base }
}

/// The `loa` built beside `loa-hub` (`cargo test --workspace` builds both).
pub fn loa(dir: &Path, args: &[&str]) -> Output {
    loa_at(AT, dir, args)
}

pub fn loa_at(now: &str, dir: &Path, args: &[&str]) -> Output {
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
        .env("LOA_NOW", now)
        .env("LANG", "C")
        .output()
        .unwrap()
}

pub fn loa_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    loa_json_at(AT, dir, args)
}

pub fn loa_json_at(now: &str, dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = loa_at(now, dir, &all);
    assert!(
        out.status.success(),
        "loa {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A station's data folder with the demo data, set up as its `nth` commune.
pub fn station(nth: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    loa_json(dir.path(), &["init", "--demo"]);
    let list = loa_json(dir.path(), &["station", "list", "--level", "commune"]);
    let id = list[nth]["id"].as_i64().unwrap().to_string();
    loa_json(dir.path(), &["settings", "set", "--station", &id]);
    dir
}

/// Enrols the station in `dir` on the hub with `role`; its key.
pub fn enrol(db: &str, dir: &Path, role: &str) -> StationKey {
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

pub fn key_file(dir: &Path) -> PathBuf {
    let out = dir.join("station.loakey");
    loa_json(dir, &["key", "export", "--out", out.to_str().unwrap()]);
    out
}

/// A package built by the station in `dir` (one approved demo script, read
/// as a two-second tone).
pub fn package(dir: &Path) -> PathBuf {
    package_as(dir, None, "ban-tin.loa")
}

/// The same with a priority (`normal`, `priority`, `emergency`), as `name`.
pub fn package_as(dir: &Path, priority: Option<&str>, name: &str) -> PathBuf {
    match priority {
        Some(p) => package_with(dir, &["--priority", p], name),
        None => package_with(dir, &[], name),
    }
}

/// A province and a commune on a hub's new database, enrolled, with a
/// storage folder for the hub the test serves.
pub struct Network {
    pub db: String,
    pub province: tempfile::TempDir,
    pub commune: tempfile::TempDir,
    pub p_key: StationKey,
    pub c_key: StationKey,
    pub storage: tempfile::TempDir,
}

pub fn network() -> Network {
    let db = fresh_database();
    hub_run(&db, &["init"]);
    let province = station(0);
    let commune = station(1);
    let p_key = enrol(&db, province.path(), "province");
    let c_key = enrol(&db, commune.path(), "commune");
    Network {
        db,
        province,
        commune,
        p_key,
        c_key,
        storage: tempfile::tempdir().unwrap(),
    }
}

/// A package with more of `loa package build`'s options (targets, …).
pub fn package_with(dir: &Path, extra: &[&str], name: &str) -> PathBuf {
    let approved = loa_json(dir, &["script", "list", "--status", "approved"]);
    let script = approved[0]["id"].as_i64().unwrap().to_string();
    let wav = dir.join("tone.wav");
    if !wav.exists() {
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
    }
    let pkg = dir.join(name);
    let mut args = vec![
        "package",
        "build",
        "--script",
        &script,
        "--lang",
        "vie",
        "--out",
        pkg.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    loa_json(dir, &args);
    pkg
}

/// A station holding the hub's event stream: each line it hears.
pub struct Listening {
    lines: std::sync::mpsc::Receiver<String>,
}

pub fn listen(base: &str, key: &StationKey) -> Listening {
    let headers = Req::by(key).headers("GET", "/v1/events", b"");
    let url = format!("{base}/v1/events");
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut r = agent().get(&url);
        for (n, v) in &headers {
            r = r.header(n, v);
        }
        let Ok(resp) = r.call() else { return };
        let reader = BufReader::new(resp.into_body().into_reader());
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    Listening { lines }
}

/// A bound on waiting for something that must happen (a pushed line, a hub
/// that comes back): only a guard against a hang, far above what a loaded
/// two-core machine needs, never a timing claim.
pub const GUARD_SECS: u64 = 300;

impl Listening {
    /// The first line within `secs` that `want` accepts (the lines before it
    /// are passed over).
    pub fn wait_for(&self, secs: u64, want: impl Fn(&str) -> bool) -> Option<String> {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let left = until.checked_duration_since(std::time::Instant::now())?;
            match self.lines.recv_timeout(left) {
                Ok(l) if want(&l) => return Some(l),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}

/// A signed request as a station sends it; `time` and `sign_with` let a
/// test send what a forger or a wrong clock would.
pub struct Req<'a> {
    pub key: &'a StationKey,
    pub sign_with: Option<&'a StationKey>,
    pub time: i64,
}

impl<'a> Req<'a> {
    pub fn by(key: &'a StationKey) -> Self {
        Req {
            key,
            sign_with: None,
            time: AT_UNIX,
        }
    }

    pub fn headers(&self, method: &str, path: &str, body: &[u8]) -> Vec<(String, String)> {
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

pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

pub fn send(
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

pub fn call(base: &str, req: &Req, method: &str, path: &str, body: &[u8]) -> Answer {
    send(
        base,
        method,
        path,
        &req.headers(method, path, body),
        &[],
        body,
    )
}

pub fn count(db: &str, table: &str) -> i64 {
    let out = Command::new("psql")
        .arg(db)
        .args(["-tAc", &format!("SELECT count(*) FROM {table}")])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}
