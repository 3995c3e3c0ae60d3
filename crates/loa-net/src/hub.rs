//! The station's client of the province hub, and the sync that runs at
//! start, every minute and on demand: send what waits, read the inbox from
//! the cursor, download (resuming a cut download), import through exactly
//! the path a file from a USB stick takes, and report receipts. The hub is
//! never trusted for anything a package's own signature does not prove: it
//! makes no key trusted here.

use crate::failed;
use loa_core::broadcast::changes;
use loa_core::broadcast::hub;
use loa_core::broadcast::key::{self, StationKey};
use loa_core::broadcast::network::{self, InboxEntry, Receipt};
use loa_core::broadcast::package;
use loa_core::{CoreError, Db, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use ts_rs::TS;

pub struct Client {
    base: String,
    key: StationKey,
    agent: ureq::Agent,
}

/// The hub's answer to an upload.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    pub sha256: String,
    pub created: bool,
    pub recipients: u64,
}

#[derive(Deserialize)]
struct Refusal {
    code: String,
    #[serde(default)]
    message: String,
}

impl Client {
    pub fn new(base: &str, key: StationKey) -> Client {
        Client {
            base: base.trim_end_matches('/').to_string(),
            key,
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_connect(Some(std::time::Duration::from_secs(10)))
                .user_agent(concat!("LoaStudio/", env!("CARGO_PKG_VERSION")))
                .build()
                .into(),
        }
    }

    fn signed<B>(
        &self,
        mut req: ureq::RequestBuilder<B>,
        method: &str,
        path: &str,
        body_sha256: &str,
    ) -> Result<ureq::RequestBuilder<B>> {
        let auth = network::sign(
            &self.key,
            method,
            path,
            loa_core::base::clock::now(),
            body_sha256,
        )?;
        for (name, value) in [
            (network::HEADER_KEY, auth.key_id),
            (network::HEADER_TIME, auth.time.to_string()),
            (network::HEADER_NONCE, auth.nonce),
            (network::HEADER_BODY, auth.body_sha256),
            (network::HEADER_SIGNATURE, auth.signature),
        ] {
            req = req.header(name, value);
        }
        Ok(req)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A 2xx answer, else the hub's refusal as an error.
    fn check(
        &self,
        path: &str,
        r: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<ureq::http::Response<ureq::Body>> {
        let mut resp = r.map_err(|e| failed(&self.url(path), e))?;
        if resp.status().is_success() || resp.status().as_u16() == 304 {
            return Ok(resp);
        }
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .unwrap_or_default();
        Err(match serde_json::from_str::<Refusal>(&text) {
            Ok(r) => CoreError::from_hub(&r.code, r.message),
            Err(_) => failed(&self.url(path), format!("HTTP {status}")),
        })
    }

    fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        let req = self.signed(
            self.agent.get(self.url(path)),
            "GET",
            path,
            &network::body_hash(b""),
        )?;
        let mut resp = self.check(path, req.call())?;
        resp.body_mut()
            .with_config()
            // A page of the terminology feed is the largest answer.
            .limit(64 << 20)
            .read_json()
            .map_err(|e| failed(&self.url(path), e))
    }

    fn post_json<T: Serialize, R: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &T,
    ) -> Result<Option<R>> {
        let bytes = serde_json::to_vec(body).map_err(|e| failed(&self.url(path), e))?;
        let req = self.signed(
            self.agent.post(self.url(path)),
            "POST",
            path,
            &network::body_hash(&bytes),
        )?;
        let mut resp = self.check(
            path,
            req.header("content-type", "application/json")
                .send(&bytes[..]),
        )?;
        if resp.status().as_u16() == 204 {
            return Ok(None);
        }
        resp.body_mut()
            .read_json()
            .map(Some)
            .map_err(|e| failed(&self.url(path), e))
    }

    /// Uploads a package file, streamed; `to` adds recipients by admin code.
    pub fn upload(&self, file: &Path, to: &str) -> Result<Uploaded> {
        let mut hasher = Sha256::new();
        let mut f = std::fs::File::open(file).map_err(|e| CoreError::io(file, e))?;
        let size = std::io::copy(&mut f, &mut hasher).map_err(|e| CoreError::io(file, e))?;
        let sha = key::hex(&hasher.finalize());
        let path = if to.is_empty() {
            "/v1/packages".to_string()
        } else {
            format!(
                "/v1/packages?to={}",
                to.replace(|c: char| !c.is_ascii_alphanumeric() && c != ',', "")
            )
        };
        let f = std::fs::File::open(file).map_err(|e| CoreError::io(file, e))?;
        let req = self.signed(self.agent.post(self.url(&path)), "POST", &path, &sha)?;
        let mut resp = self.check(
            &path,
            req.header("content-type", "application/vnd.loa-studio.package")
                .header("content-length", size.to_string())
                .send(ureq::SendBody::from_reader(&mut std::io::BufReader::new(f))),
        )?;
        resp.body_mut()
            .read_json()
            .map_err(|e| failed(&self.url(&path), e))
    }

    pub fn inbox(&self, after: i64) -> Result<Vec<InboxEntry>> {
        self.get_json(&format!("/v1/inbox?after={after}"))
    }

    /// Downloads a package to `dest`, resuming from `dest.part` when an
    /// earlier download was cut, and checks its hash before it takes its
    /// name. A file that does not match is thrown away.
    pub fn download(
        &self,
        sha256: &str,
        dest: &Path,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<()> {
        let part = dest.with_extension("loa.part");
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
        }
        let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
        // A sync stopped after the last byte and before the rename left the
        // whole file: take it as it is, without asking for the bytes after
        // its end (a 416 every sync).
        if have > 0 && file_sha256(&part)? == sha256 {
            return std::fs::rename(&part, dest).map_err(|e| CoreError::io(dest, e));
        }
        let path = format!("/v1/packages/{sha256}");
        let mut req = self.signed(
            self.agent.get(self.url(&path)),
            "GET",
            &path,
            &network::body_hash(b""),
        )?;
        if have > 0 {
            req = req.header("range", format!("bytes={have}-"));
        }
        let answer = req.call();
        if have > 0 && matches!(&answer, Ok(r) if r.status().as_u16() == 416) {
            // The hub's file is not what the part began (shorter, or
            // another): start again from the first byte.
            std::fs::remove_file(&part).map_err(|e| CoreError::io(&part, e))?;
            return self.download(sha256, dest, progress);
        }
        let mut resp = self.check(&path, answer)?;
        let resumed = resp.status().as_u16() == 206;
        let mut out = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(resumed)
            .truncate(!resumed)
            .open(&part)
            .map_err(|e| CoreError::io(&part, e))?;
        let start = if resumed { have } else { 0 };
        let total = start
            + resp
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        let cap = loa_core::base::limits::ImportKind::Package.max_bytes();
        let mut body = resp.body_mut().with_config().limit(cap).reader();
        crate::copy_body(
            &self.url(&path),
            &mut body,
            &mut out,
            &part,
            start,
            total,
            progress,
        )?;
        drop(out);
        if file_sha256(&part)? != sha256 {
            let _ = std::fs::remove_file(&part);
            return Err(CoreError::from_hub("package-tampered", sha256));
        }
        std::fs::rename(&part, dest).map_err(|e| CoreError::io(dest, e))
    }

    /// Holds the hub's event stream, calling `on` with each event's name
    /// (`hello`, `delivery`, `resync`) until it returns false or the
    /// connection ends.
    pub fn listen(&self, mut on: impl FnMut(&str) -> bool) -> Result<()> {
        use std::io::BufRead;
        let path = "/v1/events";
        let req = self.signed(
            self.agent.get(self.url(path)),
            "GET",
            path,
            &network::body_hash(b""),
        )?;
        let resp = self.check(path, req.call())?;
        let reader = std::io::BufReader::new(resp.into_body().into_reader());
        for line in reader.lines() {
            let line = line.map_err(|e| failed(&self.url(path), e))?;
            if let Some(event) = line.strip_prefix("event:") {
                if !on(event.trim()) {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Pushes one of this station's signed terminology change sets.
    pub fn push_changes(&self, set: &changes::SignedSet) -> Result<()> {
        self.post_json::<_, serde_json::Value>("/v1/changes", set)
            .map(|_| ())
    }

    /// Every station's change sets after the cursor.
    pub fn changes(&self, after: i64) -> Result<Vec<changes::FeedEntry>> {
        self.get_json(&format!("/v1/changes?after={after}"))
    }

    /// The province's view of its network (province stations only).
    pub fn network(&self) -> Result<network::Network> {
        self.get_json("/v1/network")
    }

    /// Where one package is, station by station (province stations only).
    pub fn reach(&self, sha256: &str) -> Result<Vec<network::Reach>> {
        if key::decode_hex::<32>(sha256).is_none() {
            return Err(CoreError::invalid("package", "sha256"));
        }
        self.get_json(&format!("/v1/network/{sha256}"))
    }

    /// Every station's airings from the cursor (province stations only).
    pub fn airlog(&self, after: i64) -> Result<Vec<network::Airing>> {
        self.get_json(&format!("/v1/airlog?after={after}"))
    }

    pub fn receipts(&self, list: &[Receipt]) -> Result<()> {
        self.post_json::<_, serde_json::Value>("/v1/receipts", &list)
            .map(|_| ())
    }

    /// Reports this station's status; the hub answers with its role.
    pub fn status(&self, app_version: &str, free_disk: i64) -> Result<network::Role> {
        #[derive(Deserialize)]
        struct Answer {
            role: network::Role,
        }
        let body = serde_json::json!({ "appVersion": app_version, "freeDisk": free_disk });
        self.post_json::<_, Answer>("/v1/status", &body)?
            .map(|a| a.role)
            .ok_or_else(|| failed(&self.url("/v1/status"), "no answer"))
    }
}

fn file_sha256(path: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut f = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
    std::io::copy(&mut f, &mut hasher).map_err(|e| CoreError::io(path, e))?;
    Ok(key::hex(&hasher.finalize()))
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "HubSync")]
pub struct Synced {
    pub sent: u32,
    pub listed: u32,
    pub imported: u32,
    /// Waiting for their issuer's key to be trusted here.
    pub held: u32,
    pub refused: u32,
    pub receipts: u32,
    /// Other stations' airings brought in for the reports (province PCs).
    pub airings: u32,
    /// Terminology changes sent and received.
    pub changes_sent: u32,
    pub changes_received: u32,
}

/// Syncs with the hub set in `db`. Whatever happens, the outcome is
/// recorded (`hub::synced`), and nothing half-done is lost: the next sync
/// goes on from where this one stopped.
pub fn sync(db: &mut Db, data_dir: &Path, progress: &mut dyn FnMut(f32) -> bool) -> Result<Synced> {
    let result = sync_inner(db, data_dir, progress);
    let _ = hub::synced(db, result.as_ref().err().map(|e| e.code()));
    result
}

/// A client of the hub set in `db`, signing as this station.
pub fn client(db: &Db, data_dir: &Path) -> Result<Client> {
    let url = hub::url(db)?.ok_or_else(|| CoreError::invalid("hub-url", "no-hub"))?;
    Ok(Client::new(&url, StationKey::own(db, data_dir)?))
}

fn sync_inner(
    db: &mut Db,
    data_dir: &Path,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Synced> {
    let client = client(db, data_dir)?;
    let mut done = Synced::default();
    let free = fs4::available_space(data_dir)
        .map(|b| b as i64)
        .unwrap_or(-1);
    let role = client.status(loa_core::VERSION, free)?;
    hub::set_role(db, role)?;
    progress(0.05);

    for out in hub::outbox(db)? {
        match client.upload(&out.file, &out.to_codes) {
            Ok(_) => {
                hub::sent(db, data_dir, &out, None)?;
                done.sent += 1;
            }
            // Refused for good (the package itself, or its size): said once,
            // not retried every minute.
            Err(CoreError::Hub { code, .. })
                if code.starts_with("package-")
                    || code == "hub-too-large"
                    || code == "hub-forbidden"
                    || code == "hub-issuer-not-enrolled" =>
            {
                hub::sent(db, data_dir, &out, Some(code))?;
            }
            Err(e) => return Err(e),
        }
    }
    progress(0.15);

    loop {
        let entries = client.inbox(hub::cursor(db)?)?;
        if entries.is_empty() {
            break;
        }
        done.listed += entries.len() as u32;
        hub::listed(db, &entries)?;
    }

    let waiting = hub::waiting(db, data_dir)?;
    let n = waiting.len().max(1) as f32;
    for (i, w) in waiting.iter().enumerate() {
        let file = hub::inbox_file(data_dir, &w.sha256);
        let base = 0.2 + 0.7 * i as f32 / n;
        if w.state == "listed" {
            match client.download(&w.sha256, &file, &mut |d, t| {
                progress(base + 0.35 / n * d as f32 / t.max(1) as f32)
            }) {
                Ok(()) => hub::downloaded(db, &w.sha256)?,
                Err(CoreError::Hub {
                    code: "package-tampered",
                    ..
                }) => continue,
                Err(e) => return Err(e),
            }
        }
        let name = format!("{}.loa", w.title);
        match package::import(db, data_dir, &file, Some(&name), &mut |_, _| {
            progress(base + 0.35 / n)
        }) {
            Ok(_) => {
                hub::imported(db, data_dir, &w.sha256)?;
                done.imported += 1;
            }
            Err(CoreError::Package {
                problem: loa_core::base::error::PackageProblem::Untrusted,
                ..
            }) => {
                hub::held(db, &w.sha256, "package-untrusted")?;
                done.held += 1;
            }
            // Imported meanwhile from the file itself (after trusting its
            // issuer in the package check): it is here, say so.
            Err(CoreError::Invalid {
                reason: "already-imported",
                ..
            }) => {
                hub::imported(db, data_dir, &w.sha256)?;
            }
            Err(e @ (CoreError::Package { .. } | CoreError::Invalid { .. })) => {
                hub::refused(db, data_dir, &w.sha256, e.code())?;
                done.refused += 1;
            }
            Err(e) => return Err(e),
        }
    }

    hub::queue_aired(db)?;
    loop {
        let batch = hub::receipts(db, 500)?;
        if batch.is_empty() {
            break;
        }
        let (ids, list): (Vec<i64>, Vec<Receipt>) = batch.into_iter().unzip();
        match client.receipts(&list) {
            Ok(()) => {
                hub::receipts_sent(db, &ids)?;
                done.receipts += ids.len() as u32;
            }
            // The hub refuses a batch whole for one receipt it will never
            // take (a package it did not deliver here, a time off by years):
            // sent one by one, the refused one is passed over for good and
            // the rest still count.
            Err(CoreError::Hub {
                code: "hub-bad-request",
                ..
            }) => {
                for (id, r) in ids.iter().zip(&list) {
                    match client.receipts(std::slice::from_ref(r)) {
                        Ok(()) => done.receipts += 1,
                        Err(CoreError::Hub {
                            code: "hub-bad-request",
                            ..
                        }) => {}
                        Err(e) => return Err(e),
                    }
                    hub::receipts_sent(db, &[*id])?;
                }
            }
            Err(e) => return Err(e),
        }
    }
    // A province PC keeps every station's air log for its reports; the hub
    // tells any other station this is not its to read.
    loop {
        match client.airlog(hub::airlog_cursor(db)?) {
            Ok(a) if a.is_empty() => break,
            Ok(a) => {
                done.airings += a.len() as u32;
                hub::received_airings(db, &a)?;
            }
            Err(CoreError::Hub {
                code: "hub-forbidden",
                ..
            }) => break,
            Err(e) => return Err(e),
        }
    }
    // Shared terminology: this station's changes out, everyone's in.
    changes::seal(db, data_dir)?;
    for (id, set) in changes::unpushed(db.conn())? {
        match client.push_changes(&set) {
            Ok(()) => {}
            // Refused for good (not this station's to send): not retried.
            Err(CoreError::Hub { code, .. })
                if code.starts_with("changes-")
                    || code == "hub-forbidden"
                    || code == "hub-issuer-not-enrolled" => {}
            Err(e) => return Err(e),
        }
        changes::pushed(db.conn(), &id)?;
        done.changes_sent += serde_json::from_str::<changes::ChangeSet>(&set.body)
            .map(|s| s.changes.len() as u32)
            .unwrap_or(0);
    }
    loop {
        let page = client.changes(changes::feed_cursor(db)?)?;
        if page.is_empty() {
            break;
        }
        let r = changes::receive_feed(db, &page)?;
        done.changes_received += r.new as u32;
    }
    done.changes_received += changes::retry_held(db)? as u32;
    progress(1.0);
    Ok(done)
}
