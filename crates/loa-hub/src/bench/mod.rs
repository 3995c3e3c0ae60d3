//! `loa-hub bench`: a province's load on one hub, on loopback. The hub runs
//! as its own process (`loa-hub serve`, as in production) on a database of
//! its own, so its CPU can be read apart from the simulated stations'.
//!
//! - **Poll:** every station asks for its inbox once a period (a minute)
//!   while the province uploads packages to everyone; the same schedule is
//!   then run against nginx serving a static file of the same size, the
//!   floor no dynamic server beats.
//! - **Push:** every station holds `/v1/events`; an emergency is uploaded
//!   and each station's wait is timed from the start of the upload.
//! - **Download:** a large package from the hub and the same file from
//!   nginx, one after the other, several times.

pub mod terminology;

use crate::db;
use anyhow::{bail, Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use loa_core::broadcast::key::StationKey;
use loa_core::broadcast::network;
use loa_core::draft::script::Priority;
use serde::Serialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, Semaphore};

pub struct Options {
    pub stations: usize,
    pub rounds: u32,
    pub period: Duration,
    pub packages: usize,
    pub mb: u32,
    pub downloads: u32,
    /// nginx, the peer; without it only the hub runs.
    pub nginx: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub stations: usize,
    pub poll: Poll,
    pub push: Push,
    pub download: Download,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Latency {
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Poll {
    pub rounds: u32,
    pub period_secs: f64,
    pub packages: usize,
    pub hub: Latency,
    /// The hub process's CPU over the phase, in % of one core.
    pub hub_cpu_percent: Option<f64>,
    /// The whole machine's (hub, PostgreSQL and the simulated stations),
    /// in % of all cores.
    pub machine_cpu_percent: Option<f64>,
    /// Stations whose inbox listed every package by the last round.
    pub stations_with_all: usize,
    pub uploads: Latency,
    pub nginx: Option<Latency>,
    /// Hub p99 ÷ nginx p99.
    pub p99_ratio: Option<f64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Push {
    /// Stations holding the connection when the emergency went up.
    pub connected: usize,
    pub heard: usize,
    pub heard_within_5s: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Download {
    pub megabytes: f64,
    /// Median of the runs.
    pub hub_mb_per_s: f64,
    pub nginx_mb_per_s: Option<f64>,
    /// Hub ÷ nginx throughput.
    pub ratio: Option<f64>,
}

/// A station of the simulated province.
struct Sim {
    key: StationKey,
}

pub async fn run(admin_url: &str, opts: Options) -> Result<Report> {
    check_open_files(opts.stations)?;
    let work = scratch_dir()?;
    let url = create_database(admin_url).await?;
    let result = measure(&url, &work, &opts).await;
    drop_database(admin_url, &url).await;
    let _ = std::fs::remove_dir_all(&work);
    result
}

async fn measure(url: &str, work: &Path, opts: &Options) -> Result<Report> {
    let pool = db::pool(url, 2)?;
    db::migrate(&pool).await?;
    let province = StationKey::generate()?;
    let keys = tokio::task::spawn_blocking({
        let n = opts.stations;
        move || {
            (0..n)
                .map(|_| StationKey::generate())
                .collect::<Result<Vec<_>, _>>()
        }
    })
    .await??;
    enrol(&pool, &province, &keys).await?;
    let stations: Arc<Vec<Sim>> = Arc::new(keys.into_iter().map(|key| Sim { key }).collect());
    let province = Arc::new(province);

    let mut hub = HubProcess::start(url, work)?;
    let addr = hub.addr;
    wait_healthy(addr).await?;

    let packages = work.join("packages");
    std::fs::create_dir_all(&packages)?;
    let mut small = Vec::new();
    for i in 0..opts.packages {
        let path = packages.join(format!("p{i}.loa"));
        let key = province.clone();
        small.push(
            tokio::task::spawn_blocking(move || -> Result<Bytes> {
                loa_core::bench::synthetic_package(
                    &path,
                    &key,
                    64 * 1024,
                    Priority::Normal,
                    i as u64 + 1,
                )?;
                Ok(Bytes::from(std::fs::read(&path)?))
            })
            .await??,
        );
    }

    let mut nginx = match &opts.nginx {
        Some(bin) => Some(Nginx::start(bin, work)?),
        None => None,
    };

    let poll = poll_phase(addr, &stations, &province, small, opts, hub.pid(), &nginx).await?;
    let push = push_phase(addr, &stations, &province, work).await?;
    let download = download_phase(addr, &stations[0].key, &province, work, opts, &nginx).await?;

    if let Some(n) = nginx.as_mut() {
        n.stop();
    }
    hub.stop();
    Ok(Report {
        stations: opts.stations,
        poll,
        push,
        download,
    })
}

// ---- the phases ----

async fn poll_phase(
    addr: SocketAddr,
    stations: &Arc<Vec<Sim>>,
    province: &Arc<StationKey>,
    packages: Vec<Bytes>,
    opts: &Options,
    hub_pid: u32,
    nginx: &Option<Nginx>,
) -> Result<Poll> {
    let n_packages = packages.len();
    let cpu_before = (process_cpu(hub_pid), machine_cpu());
    let started = Instant::now();
    let (hub, uploads, seen) = poll_schedule(
        addr,
        stations,
        opts,
        Target::Hub,
        Some((province.clone(), packages)),
    )
    .await;
    let wall = started.elapsed().as_secs_f64();
    let hub_cpu_percent = match (cpu_before.0, process_cpu(hub_pid)) {
        (Some(a), Some(b)) => Some((b - a) / wall * 100.0),
        _ => None,
    };
    let machine_cpu_percent = match (cpu_before.1, machine_cpu()) {
        (Some((busy_a, all_a)), Some((busy_b, all_b))) if all_b > all_a => {
            Some((busy_b - busy_a) / (all_b - all_a) * 100.0)
        }
        _ => None,
    };
    let stations_with_all = seen.iter().filter(|&&s| s >= n_packages).count();
    let nginx_latency = match nginx {
        Some(n) => Some(
            poll_schedule(n.addr, stations, opts, Target::Static, None)
                .await
                .0,
        ),
        None => None,
    };
    let p99_ratio = nginx_latency
        .as_ref()
        .filter(|l| l.p99_ms > 0.0)
        .map(|l| hub.p99_ms / l.p99_ms);
    Ok(Poll {
        rounds: opts.rounds,
        period_secs: opts.period.as_secs_f64(),
        packages: n_packages,
        hub,
        hub_cpu_percent,
        machine_cpu_percent,
        stations_with_all,
        uploads,
        nginx: nginx_latency,
        p99_ratio,
    })
}

#[derive(Clone, Copy)]
enum Target {
    Hub,
    /// nginx's copy of a typical inbox answer.
    Static,
}

/// Every station polls once a period, spread evenly over it, for
/// `opts.rounds` periods; packages (if any) go up evenly before the last
/// round. Returns poll latencies, upload latencies and how many packages
/// each station saw.
async fn poll_schedule(
    addr: SocketAddr,
    stations: &Arc<Vec<Sim>>,
    opts: &Options,
    target: Target,
    uploads: Option<(Arc<StationKey>, Vec<Bytes>)>,
) -> (Latency, Latency, Vec<usize>) {
    let n = stations.len();
    let start = tokio::time::Instant::now() + Duration::from_millis(500);
    let period = opts.period;
    let rounds = opts.rounds;
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let stations = stations.clone();
        let offset = period.mul_f64(i as f64 / n as f64);
        tasks.push(tokio::spawn(async move {
            let key = &stations[i].key;
            let mut cursor = 0i64;
            let mut seen = 0usize;
            let mut times = Vec::with_capacity(rounds as usize);
            let mut errors = 0usize;
            for round in 0..rounds {
                tokio::time::sleep_until(start + period * round + offset).await;
                let t = Instant::now();
                let answer = match target {
                    Target::Hub => {
                        let path = format!("/v1/inbox?after={cursor}");
                        call(addr, signed(key, "GET", &path, Bytes::new())).await
                    }
                    Target::Static => call(addr, plain("/inbox.json")).await,
                };
                match answer {
                    Ok((200, body)) => {
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                        if let Target::Hub = target {
                            let list: Vec<network::InboxEntry> =
                                serde_json::from_slice(&body).unwrap_or_default();
                            seen += list.len();
                            cursor = list.iter().map(|e| e.seq).max().unwrap_or(cursor);
                        }
                    }
                    _ => errors += 1,
                }
            }
            (times, errors, seen)
        }));
    }
    let mut upload_times = Vec::new();
    let mut upload_errors = 0;
    if let Some((province, packages)) = uploads {
        // Spread over all but the last round, so the last round sees them all.
        let span = period * rounds.saturating_sub(1).max(1);
        let count = packages.len().max(1);
        for (j, body) in packages.into_iter().enumerate() {
            tokio::time::sleep_until(start + span.mul_f64(j as f64 / count as f64)).await;
            let t = Instant::now();
            match call(addr, signed(&province, "POST", "/v1/packages", body)).await {
                Ok((201, _)) => upload_times.push(t.elapsed().as_secs_f64() * 1000.0),
                _ => upload_errors += 1,
            }
        }
    }
    let mut times = Vec::new();
    let mut errors = 0;
    let mut seen = Vec::with_capacity(n);
    for t in tasks {
        match t.await {
            Ok((t, e, s)) => {
                times.extend(t);
                errors += e;
                seen.push(s);
            }
            Err(_) => errors += rounds as usize,
        }
    }
    (
        latency(times, errors),
        latency(upload_times, upload_errors),
        seen,
    )
}

async fn push_phase(
    addr: SocketAddr,
    stations: &Arc<Vec<Sim>>,
    province: &Arc<StationKey>,
    work: &Path,
) -> Result<Push> {
    let path = work.join("emergency.loa");
    let sha = {
        let (path, key) = (path.clone(), province.clone());
        tokio::task::spawn_blocking(move || -> Result<String> {
            loa_core::bench::synthetic_package(&path, &key, 64 * 1024, Priority::Emergency, 999)?;
            file_sha256(&path)
        })
        .await??
    };
    let body = Bytes::from(std::fs::read(&path)?);
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel::<()>();
    let (heard_tx, mut heard_rx) = mpsc::unbounded_channel::<Instant>();
    // Stations connect a few hundred at a time, as they would over a morning.
    let gate = Arc::new(Semaphore::new(200));
    let mut tasks = Vec::new();
    for i in 0..stations.len() {
        let (stations, ready, heard, gate, sha) = (
            stations.clone(),
            ready_tx.clone(),
            heard_tx.clone(),
            gate.clone(),
            sha.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let permit = gate.acquire_owned().await.ok()?;
            let req = signed(&stations[i].key, "GET", "/v1/events", Bytes::new());
            let resp = send(addr, req).await.ok()?;
            if resp.status() != 200 {
                return None;
            }
            let mut body = resp.into_body();
            let mut text = String::new();
            while let Some(frame) = body.frame().await {
                let Ok(frame) = frame else { return None };
                if let Some(data) = frame.data_ref() {
                    text.push_str(&String::from_utf8_lossy(data));
                }
                if text.contains("event: hello") {
                    // Connected: the next station may connect.
                    drop(permit);
                    let _ = ready.send(());
                    text.clear();
                    return wait_for(&mut body, &mut text, &sha, &heard).await;
                }
            }
            None
        }));
    }
    drop((ready_tx, heard_tx));
    let mut connected = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while connected < stations.len() {
        match tokio::time::timeout_at(deadline, ready_rx.recv()).await {
            Ok(Some(())) => connected += 1,
            _ => break,
        }
    }
    let t0 = Instant::now();
    let answer = call(addr, signed(province, "POST", "/v1/packages", body)).await?;
    if answer.0 != 201 {
        bail!(
            "the emergency upload was refused: {} {}",
            answer.0,
            String::from_utf8_lossy(&answer.1)
        );
    }
    let mut times = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while times.len() < connected {
        match tokio::time::timeout_at(deadline, heard_rx.recv()).await {
            Ok(Some(at)) => times.push(at.duration_since(t0).as_secs_f64() * 1000.0),
            _ => break,
        }
    }
    for t in tasks {
        t.abort();
    }
    let within = times.iter().filter(|&&ms| ms <= 5000.0).count();
    let l = latency(times, 0);
    Ok(Push {
        connected,
        heard: l.requests,
        heard_within_5s: within,
        p50_ms: l.p50_ms,
        p99_ms: l.p99_ms,
        max_ms: l.max_ms,
    })
}

/// Reads server-sent events until a delivery of `sha` arrives.
async fn wait_for(
    body: &mut Incoming,
    text: &mut String,
    sha: &str,
    heard: &mpsc::UnboundedSender<Instant>,
) -> Option<()> {
    while let Some(frame) = body.frame().await {
        let frame = frame.ok()?;
        if let Some(data) = frame.data_ref() {
            text.push_str(&String::from_utf8_lossy(data));
        }
        if text.contains("event: delivery") && text.contains(sha) {
            let _ = heard.send(Instant::now());
            return Some(());
        }
    }
    None
}

async fn download_phase(
    addr: SocketAddr,
    station: &StationKey,
    province: &Arc<StationKey>,
    work: &Path,
    opts: &Options,
    nginx: &Option<Nginx>,
) -> Result<Download> {
    let path = work.join("large.loa");
    {
        let (path, key, mb) = (path.clone(), province.clone(), opts.mb);
        tokio::task::spawn_blocking(move || {
            loa_core::bench::synthetic_package(
                &path,
                &key,
                mb as usize * 1_000_000,
                Priority::Normal,
                7,
            )
        })
        .await??;
    }
    let body = Bytes::from(std::fs::read(&path)?);
    let len = body.len();
    let sha = {
        let p = path.clone();
        tokio::task::spawn_blocking(move || file_sha256(&p)).await??
    };
    let up = call(addr, signed(province, "POST", "/v1/packages", body)).await?;
    if up.0 != 201 {
        bail!(
            "the large upload was refused: {} {}",
            up.0,
            String::from_utf8_lossy(&up.1)
        );
    }
    if let Some(n) = nginx {
        std::fs::copy(&path, n.root.join("large.loa"))?;
    }
    let megabytes = len as f64 / 1_000_000.0;
    let mut hub_rates = Vec::new();
    let mut nginx_rates = Vec::new();
    let hub_path = format!("/v1/packages/{sha}");
    for _ in 0..opts.downloads.max(1) {
        let t = Instant::now();
        let got = drain(addr, signed(station, "GET", &hub_path, Bytes::new())).await?;
        if got != len {
            bail!("the hub sent {got} bytes of {len}");
        }
        hub_rates.push(megabytes / t.elapsed().as_secs_f64());
        if let Some(n) = nginx {
            let t = Instant::now();
            let got = drain(n.addr, plain("/large.loa")).await?;
            if got != len {
                bail!("nginx sent {got} bytes of {len}");
            }
            nginx_rates.push(megabytes / t.elapsed().as_secs_f64());
        }
    }
    let hub_mb_per_s = median(&mut hub_rates);
    let nginx_mb_per_s = (!nginx_rates.is_empty()).then(|| median(&mut nginx_rates));
    Ok(Download {
        megabytes,
        hub_mb_per_s,
        nginx_mb_per_s,
        ratio: nginx_mb_per_s.map(|n| hub_mb_per_s / n),
    })
}

// ---- HTTP, one connection per request as a station polling once a minute ----

fn signed(key: &StationKey, method: &str, path: &str, body: Bytes) -> Request<Full<Bytes>> {
    let auth = network::sign(
        key,
        method,
        path,
        loa_core::base::clock::now(),
        &network::body_hash(&body),
    );
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1");
    if let Ok(auth) = auth {
        b = b
            .header(network::HEADER_KEY, auth.key_id)
            .header(network::HEADER_TIME, auth.time.to_string())
            .header(network::HEADER_NONCE, auth.nonce)
            .header(network::HEADER_BODY, auth.body_sha256)
            .header(network::HEADER_SIGNATURE, auth.signature);
    }
    b.body(Full::new(body))
        .expect("a request built from valid parts")
}

fn plain(path: &str) -> Request<Full<Bytes>> {
    Request::builder()
        .uri(path)
        .header("host", "127.0.0.1")
        .body(Full::new(Bytes::new()))
        .expect("a request built from valid parts")
}

async fn send(addr: SocketAddr, req: Request<Full<Bytes>>) -> Result<Response<Incoming>> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(sender.send_request(req).await?)
}

/// Status and whole body.
async fn call(addr: SocketAddr, req: Request<Full<Bytes>>) -> Result<(u16, Bytes)> {
    let resp = send(addr, req).await?;
    let status = resp.status().as_u16();
    Ok((status, resp.into_body().collect().await?.to_bytes()))
}

/// Reads a body to the end, keeping none of it; how many bytes came.
async fn drain(addr: SocketAddr, req: Request<Full<Bytes>>) -> Result<usize> {
    let resp = send(addr, req).await?;
    if resp.status() != 200 {
        bail!("download answered {}", resp.status());
    }
    let mut body = resp.into_body();
    let mut n = 0;
    while let Some(frame) = body.frame().await {
        if let Some(d) = frame?.data_ref() {
            n += d.len();
        }
    }
    Ok(n)
}

async fn wait_healthy(addr: SocketAddr) -> Result<()> {
    for _ in 0..200 {
        if let Ok((200, _)) = call(addr, plain("/v1/health")).await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("the hub did not start on {addr}")
}

// ---- the processes ----

struct HubProcess {
    child: Child,
    addr: SocketAddr,
}

impl HubProcess {
    fn start(url: &str, work: &Path) -> Result<HubProcess> {
        let addr = free_addr()?;
        let storage = work.join("storage");
        let log = std::fs::File::create(work.join("hub.log"))?;
        let child = Command::new(std::env::current_exe()?)
            .args(["serve", "--listen", &addr.to_string(), "--storage"])
            .arg(&storage)
            .env("LOA_HUB_DATABASE_URL", url)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("start loa-hub serve")?;
        Ok(HubProcess { child, addr })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Debian's nginx on loopback, serving files from `root`; stopped (with its
/// workers) by `nginx -s stop`.
struct Nginx {
    bin: PathBuf,
    prefix: PathBuf,
    child: Option<Child>,
    addr: SocketAddr,
    root: PathBuf,
}

impl Nginx {
    fn start(bin: &Path, work: &Path) -> Result<Nginx> {
        let prefix = work.join("nginx");
        let root = prefix.join("www");
        std::fs::create_dir_all(prefix.join("logs"))?;
        std::fs::create_dir_all(&root)?;
        // What a typical poll answers: an empty inbox.
        std::fs::write(root.join("inbox.json"), "[]")?;
        let addr = free_addr()?;
        // Run as root, nginx's workers become `nobody`: the work folder must
        // be readable by them.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(work, std::fs::Permissions::from_mode(0o755))?;
        }
        let conf = format!(
            "daemon off;\nworker_processes auto;\npid {prefix}/nginx.pid;\n\
             error_log {prefix}/logs/error.log;\n\
             events {{ worker_connections 16384; }}\n\
             http {{\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n\
             client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n\
             fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n\
             scgi_temp_path {prefix}/scgi;\n\
             types {{ application/json json; }}\n  default_type application/octet-stream;\n\
             server {{ listen {addr}; root {root}; }}\n}}\n",
            prefix = prefix.display(),
            root = root.display(),
        );
        let conf_path = prefix.join("nginx.conf");
        std::fs::write(&conf_path, conf)?;
        let child = Command::new(bin)
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&conf_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let mut n = Nginx {
            bin: bin.to_path_buf(),
            prefix,
            child: Some(child),
            addr,
            root,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(addr).is_ok() {
                return Ok(n);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        n.stop();
        bail!("nginx did not start on {addr}")
    }

    fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let conf = self.prefix.join("nginx.conf");
        let _ = Command::new(&self.bin)
            .arg("-p")
            .arg(&self.prefix)
            .arg("-c")
            .arg(&conf)
            .args(["-s", "stop"])
            .stderr(Stdio::null())
            .status();
        for _ in 0..100 {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---- the database ----

async fn create_database(admin_url: &str) -> Result<String> {
    let (client, conn) = tokio_postgres::connect(admin_url, tokio_postgres::NoTls)
        .await
        .context("connect to PostgreSQL")?;
    tokio::spawn(conn);
    let mut raw = [0u8; 6];
    getrandom::fill(&mut raw).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    let name = format!("loa_bench_{}", loa_core::broadcast::key::hex(&raw));
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .context("create the bench database")?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .context("a database URL ends in /DATABASE")?;
    Ok(format!("{base}/{name}"))
}

async fn drop_database(admin_url: &str, url: &str) {
    let Some((_, name)) = url.rsplit_once('/') else {
        return;
    };
    if let Ok((client, conn)) = tokio_postgres::connect(admin_url, tokio_postgres::NoTls).await {
        tokio::spawn(conn);
        let _ = client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    }
}

async fn enrol(
    pool: &deadpool_postgres::Pool,
    province: &StationKey,
    keys: &[StationKey],
) -> Result<()> {
    let mut ids = vec![province.key_id()];
    let mut publics = vec![province.public_hex()];
    let mut names = vec!["Đài tỉnh (đo tốc độ)".to_string()];
    let mut codes = vec!["00".to_string()];
    let mut roles = vec!["province".to_string()];
    for (i, k) in keys.iter().enumerate() {
        ids.push(k.key_id());
        publics.push(k.public_hex());
        names.push(format!("Đài xã {} (đo tốc độ)", i + 1));
        codes.push(format!("{:05}", 10_000 + i));
        roles.push("commune".into());
    }
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO stations (key_id, public_key, name, admin_code, role)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])",
            &[&ids, &publics, &names, &codes, &roles],
        )
        .await?;
    Ok(())
}

// ---- measures ----

fn latency(mut ms: Vec<f64>, errors: usize) -> Latency {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        if ms.is_empty() {
            0.0
        } else {
            ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1]
        }
    };
    Latency {
        requests: ms.len(),
        errors,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        max_ms: ms.last().copied().unwrap_or(0.0),
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn file_sha256(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(loa_core::broadcast::key::hex(&h.finalize()))
}

/// Seconds of CPU the process has used (user + system, every thread), from
/// `/proc` (Linux; `None` elsewhere). Its ticks are USER_HZ, 100 on every
/// Linux build that matters here.
fn process_cpu(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which may hold spaces: state is 3rd,
    // utime the 14th and stime the 15th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The machine's busy and total CPU ticks so far (`/proc/stat`).
fn machine_cpu() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?;
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: f64 = v.iter().take(8).sum();
    let idle = v.get(3)? + v.get(4).unwrap_or(&0.0);
    Some((total - idle, total))
}

fn free_addr() -> Result<SocketAddr> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?)
}

fn scratch_dir() -> Result<PathBuf> {
    let mut raw = [0u8; 4];
    getrandom::fill(&mut raw).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    let dir = std::env::temp_dir().join(format!(
        "loa-hub-bench-{}",
        loa_core::broadcast::key::hex(&raw)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Each simulated station and each of the hub's connections is a file
/// descriptor; say so before the first "Too many open files".
fn check_open_files(stations: usize) -> Result<()> {
    let Ok(limits) = std::fs::read_to_string("/proc/self/limits") else {
        return Ok(());
    };
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse::<usize>().ok());
    let need = stations + 256;
    match soft {
        Some(n) if n < need => bail!(
            "{stations} stations need at least {need} open files, this shell allows {n}: \
             run `ulimit -n {need}` first (scripts/bench-hub.sh does)"
        ),
        _ => Ok(()),
    }
}
