//! The station's side of the province hub: its address, the packages
//! waiting to be sent, what the inbox brought and how far each got, and
//! receipts waiting to be reported. All of it lives in the database, so a
//! station that is offline for a month, or crashes mid-sync, loses nothing
//! and catches up in order. The network itself is `loa-net`'s; the wire
//! protocol is [`super::network`].

use crate::base::calendar;
use crate::base::clock::{self, now};
use crate::base::error::{CoreError, Result};
use crate::base::settings::{get_value, set_value};
use crate::base::store::Db;
use crate::broadcast::network::{InboxEntry, Receipt, ReceiptKind};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

const URL: &str = "hub.url";
const CURSOR: &str = "hub.cursor";
const LAST_SYNC: &str = "hub.last_sync";
const LAST_ERROR: &str = "hub.last_error";
/// This station's role as the hub last said.
const ROLE: &str = "hub.role";
/// The last air-log row reported as aired.
const AIRLOG_MARK: &str = "hub.airlog_reported";
/// How far a province station has read the network's airings.
const AIRLOG_CURSOR: &str = "hub.airlog_cursor";

/// What Settings → "Máy chủ tỉnh" and `loa hub status` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "HubLink")]
pub struct Link {
    /// Empty when this station uses no hub.
    pub url: String,
    /// Unix seconds of the last sync that reached the hub.
    #[ts(type = "number | null")]
    pub last_sync: Option<i64>,
    /// The last sync's error code (`network`, `hub-unknown-key`…), if it failed.
    pub last_error: String,
    /// Packages waiting to be sent.
    pub outbox: u32,
    /// Packages from the hub not imported yet (downloading, or waiting for
    /// their issuer's key to be trusted).
    pub waiting: u32,
    /// Receipts not reported yet.
    pub receipts: u32,
    /// `province` or `commune`, as the hub last said; empty before.
    pub role: String,
}

pub fn link(db: &Db) -> Result<Link> {
    let c = db.conn();
    let count = |sql: &str| -> Result<u32> { Ok(c.query_row(sql, [], |r| r.get(0))?) };
    Ok(Link {
        url: get_value(db, URL)?.unwrap_or_default(),
        last_sync: get_value(db, LAST_SYNC)?.and_then(|v| v.parse().ok()),
        last_error: get_value(db, LAST_ERROR)?.unwrap_or_default(),
        outbox: count("SELECT count(*) FROM hub_outbox WHERE sent_at IS NULL AND problem IS NULL")?,
        waiting: count("SELECT count(*) FROM hub_inbox WHERE state IN ('listed', 'downloaded')")?,
        receipts: count("SELECT count(*) FROM hub_receipts WHERE sent_at IS NULL")?,
        role: get_value(db, ROLE)?.unwrap_or_default(),
    })
}

pub fn set_role(db: &Db, role: crate::broadcast::network::Role) -> Result<()> {
    set_value(db, ROLE, role.as_str())
}

/// Sets the hub's address (`https://…`); empty means no hub.
pub fn set_url(db: &Db, url: &str) -> Result<()> {
    let url = url.trim().trim_end_matches('/');
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(CoreError::invalid("hub-url", "http-url"));
    }
    if url.starts_with("http://") && !loopback(url) {
        return Err(CoreError::invalid("hub-url", "https-only"));
    }
    set_value(db, URL, url)
}

/// Whether an address names this PC itself. Plain `http://` is taken only
/// there (a hub tried on one PC, a tunnel): across a network the hub's
/// answers, which decide what a station downloads and whom it hears of,
/// travel over TLS.
fn loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub fn url(db: &Db) -> Result<Option<String>> {
    Ok(get_value(db, URL)?.filter(|u| !u.is_empty()))
}

fn outbox_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("hub").join("outbox")
}

/// Where a package from the hub is downloaded to (`.part` while incomplete).
pub fn inbox_file(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir
        .join("hub")
        .join("inbox")
        .join(format!("{sha256}.loa"))
}

/// Queues a package file this station built to go out through the hub. The
/// file must verify as this station's own; it is copied into the data
/// folder, so the send survives the original being moved or the USB stick
/// being pulled. Queuing it twice changes nothing.
pub fn queue_send(db: &Db, data_dir: &Path, file: &Path) -> Result<()> {
    use crate::base::error::PackageProblem;
    use crate::broadcast::package::{self, Trust};
    let own = crate::broadcast::key::StationKey::load(data_dir)?.map(|k| k.key_id());
    let today = clock::today(db.conn())?;
    let checked = package::verify_file(db.conn(), own.as_deref(), file, today, &mut |_, _| true)?;
    let uuid = checked.manifest.id.clone();
    let row: Option<(i64, String)> = db
        .conn()
        .query_row(
            "SELECT id, targets FROM packages WHERE uuid = ?1 AND direction = 'sent'",
            [&uuid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (package_id, targets) = match (checked.trust, row) {
        (Trust::Own, Some(row)) => row,
        _ => {
            return Err(CoreError::Package {
                problem: PackageProblem::Untrusted,
                detail: checked.manifest.issuer.key_id,
            })
        }
    };
    let already: bool = db.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM hub_outbox WHERE package_id = ?1)",
        [package_id],
        |r| r.get(0),
    )?;
    if already {
        return Ok(());
    }
    let dir = outbox_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    let copy = dir.join(format!("{uuid}.loa"));
    let part = dir.join(format!("{uuid}.loa.part"));
    std::fs::copy(file, &part).map_err(|e| CoreError::io(file, e))?;
    std::fs::rename(&part, &copy).map_err(|e| CoreError::io(&copy, e))?;
    let codes = group_codes(db, &targets)?;
    db.conn().execute(
        "INSERT OR IGNORE INTO hub_outbox (package_id, file, to_codes, queued_at) VALUES (?1, ?2, ?3, ?4)",
        params![package_id, copy.display().to_string(), codes.join(","), now()],
    )?;
    Ok(())
}

/// The admin codes of the stations in the package's target groups: the
/// hub knows stations, not this station's groups.
fn group_codes(db: &Db, targets: &str) -> Result<Vec<String>> {
    let targets: crate::broadcast::package::Targets =
        serde_json::from_str(targets).unwrap_or_default();
    let mut codes = Vec::new();
    let mut stmt = db.conn().prepare_cached(
        "SELECT s.admin_code FROM station_groups g
         JOIN station_group_members m ON m.group_id = g.id
         JOIN stations s ON s.id = m.station_id
         WHERE g.name = ?1 AND s.admin_code IS NOT NULL AND s.admin_code <> ''",
    )?;
    for g in &targets.groups {
        for code in stmt.query_map([g], |r| r.get::<_, String>(0))? {
            codes.push(code?);
        }
    }
    codes.sort();
    codes.dedup();
    Ok(codes)
}

/// A package waiting to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub id: i64,
    pub package_uuid: String,
    pub file: PathBuf,
    /// Comma-separated admin codes (the `to` of the upload).
    pub to_codes: String,
}

pub fn outbox(db: &Db) -> Result<Vec<Outgoing>> {
    let mut stmt = db.conn().prepare(
        "SELECT o.id, p.uuid, o.file, o.to_codes FROM hub_outbox o JOIN packages p ON p.id = o.package_id
         WHERE o.sent_at IS NULL AND o.problem IS NULL ORDER BY o.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Outgoing {
            id: r.get(0)?,
            package_uuid: r.get(1)?,
            file: PathBuf::from(r.get::<_, String>(2)?),
            to_codes: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The hub took the package (`problem` None) or refused it for good.
pub fn sent(db: &Db, data_dir: &Path, out: &Outgoing, problem: Option<&str>) -> Result<()> {
    db.conn().execute(
        "UPDATE hub_outbox SET sent_at = CASE WHEN ?2 IS NULL THEN ?3 END, problem = ?2 WHERE id = ?1",
        params![out.id, problem, now()],
    )?;
    if problem.is_none() && out.file.starts_with(outbox_dir(data_dir)) {
        let _ = std::fs::remove_file(&out.file);
    }
    Ok(())
}

/// How far this station has read its inbox on the hub.
pub fn cursor(db: &Db) -> Result<i64> {
    Ok(get_value(db, CURSOR)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Records entries read from the inbox and moves the cursor past them, in
/// one transaction.
pub fn listed(db: &mut Db, entries: &[InboxEntry]) -> Result<()> {
    let tx = db.conn_mut().transaction()?;
    let mut last = tx_number(&tx, CURSOR)?;
    for e in entries {
        tx.execute(
            "INSERT OR IGNORE INTO hub_inbox
             (seq, sha256, package_uuid, title, priority, issuer_key_id, size, state, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'listed', ?8)",
            params![
                e.seq,
                e.sha256,
                e.package_id,
                e.title,
                e.priority,
                e.issuer_key_id,
                e.size,
                now()
            ],
        )?;
        last = last.max(e.seq);
    }
    tx_set_number(&tx, CURSOR, last)?;
    tx.commit()?;
    Ok(())
}

/// A package from the hub not imported yet, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "HubWaiting")]
pub struct Waiting {
    pub seq: i64,
    pub sha256: String,
    pub package_uuid: String,
    pub title: String,
    pub priority: String,
    pub size: i64,
    /// `listed` (to download) or `downloaded` (to import).
    pub state: String,
    /// Why it waits: `package-untrusted` until its issuer's key is trusted.
    pub problem: String,
    /// Where it is (or will be) downloaded: open it to check its issuer.
    pub file: String,
}

pub fn waiting(db: &Db, data_dir: &Path) -> Result<Vec<Waiting>> {
    let mut stmt = db.conn().prepare(
        "SELECT seq, sha256, package_uuid, title, priority, size, state, coalesce(problem, '')
         FROM hub_inbox WHERE state IN ('listed', 'downloaded') ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        let sha256: String = r.get(1)?;
        Ok(Waiting {
            file: inbox_file(data_dir, &sha256).display().to_string(),
            seq: r.get(0)?,
            sha256,
            package_uuid: r.get(2)?,
            title: r.get(3)?,
            priority: r.get(4)?,
            size: r.get(5)?,
            state: r.get(6)?,
            problem: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn moment(db: &Db) -> Result<String> {
    Ok(calendar::rfc3339(now(), clock::local_offset(db.conn())?))
}

fn set_state(db: &Db, sha256: &str, state: &str, problem: Option<&str>) -> Result<String> {
    db.conn().execute(
        "UPDATE hub_inbox SET state = ?2, problem = ?3, updated_at = ?4 WHERE sha256 = ?1",
        params![sha256, state, problem, now()],
    )?;
    Ok(db.conn().query_row(
        "SELECT package_uuid FROM hub_inbox WHERE sha256 = ?1",
        [sha256],
        |r| r.get(0),
    )?)
}

fn receipt(db: &Db, uuid: &str, kind: ReceiptKind) -> Result<()> {
    db.conn().execute(
        "INSERT OR IGNORE INTO hub_receipts (package_uuid, kind, at) VALUES (?1, ?2, ?3)",
        params![uuid, kind.as_str(), moment(db)?],
    )?;
    Ok(())
}

/// The whole file arrived and matched its hash: "delivered" goes back.
pub fn downloaded(db: &Db, sha256: &str) -> Result<()> {
    let uuid = set_state(db, sha256, "downloaded", None)?;
    receipt(db, &uuid, ReceiptKind::Delivered)
}

/// Imported into the library: "imported" goes back.
pub fn imported(db: &Db, data_dir: &Path, sha256: &str) -> Result<()> {
    let uuid = set_state(db, sha256, "imported", None)?;
    let _ = std::fs::remove_file(inbox_file(data_dir, sha256));
    receipt(db, &uuid, ReceiptKind::Imported)
}

/// Kept, to import once the reason is gone (an issuer not trusted yet).
pub fn held(db: &Db, sha256: &str, problem: &str) -> Result<()> {
    set_state(db, sha256, "downloaded", Some(problem)).map(|_| ())
}

/// Refused for good (tampered, expired, already imported).
pub fn refused(db: &Db, data_dir: &Path, sha256: &str, problem: &str) -> Result<()> {
    let _ = std::fs::remove_file(inbox_file(data_dir, sha256));
    set_state(db, sha256, "refused", Some(problem)).map(|_| ())
}

/// Queues an "aired" receipt for each air-log entry of a received package
/// since the last call; returns how many.
pub fn queue_aired(db: &mut Db) -> Result<u32> {
    let offset = clock::local_offset(db.conn())?;
    let tx = db.conn_mut().transaction()?;
    let mark: i64 = tx_number(&tx, AIRLOG_MARK)?;
    let rows: Vec<(i64, String, i64, String, f64, Option<bool>)> = {
        let mut stmt = tx.prepare(
            "SELECT a.id, a.package_uuid, a.aired_at, a.lang, a.seconds, a.on_time FROM air_log a
             WHERE a.id > ?1 AND a.package_uuid <> ''
               AND EXISTS (SELECT 1 FROM packages p WHERE p.uuid = a.package_uuid AND p.direction = 'received')
             ORDER BY a.id",
        )?;
        let mapped = stmt.query_map([mark], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        mapped.collect::<rusqlite::Result<_>>()?
    };
    let mut queued = 0;
    let mut last = mark;
    for (id, uuid, at, lang, seconds, on_time) in rows {
        queued += tx.execute(
            "INSERT OR IGNORE INTO hub_receipts (package_uuid, kind, at, lang, seconds, on_time)
             VALUES (?1, 'aired', ?2, ?3, ?4, ?5)",
            params![uuid, calendar::rfc3339(at, offset), lang, seconds, on_time],
        )? as u32;
        last = id;
    }
    // Rows not of received packages are passed over for good too.
    let top: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM air_log", [], |r| r.get(0))?;
    tx_set_number(&tx, AIRLOG_MARK, last.max(top))?;
    tx.commit()?;
    Ok(queued)
}

/// Receipts not reported yet, oldest first, at most `limit`.
pub fn receipts(db: &Db, limit: u32) -> Result<Vec<(i64, Receipt)>> {
    let mut stmt = db.conn().prepare(
        "SELECT id, package_uuid, kind, at, lang, seconds, on_time FROM hub_receipts
         WHERE sent_at IS NULL ORDER BY id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        let kind: String = r.get(2)?;
        Ok((
            r.get(0)?,
            Receipt {
                package_id: r.get(1)?,
                kind: ReceiptKind::parse(&kind).unwrap_or(ReceiptKind::Delivered),
                at: r.get(3)?,
                lang: r.get(4)?,
                seconds: r.get(5)?,
                on_time: r.get(6)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn receipts_sent(db: &mut Db, ids: &[i64]) -> Result<()> {
    let t = now();
    let tx = db.conn_mut().transaction()?;
    for id in ids {
        tx.execute(
            "UPDATE hub_receipts SET sent_at = ?2 WHERE id = ?1",
            params![id, t],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// How far this (province) station has read the network's airings.
pub fn airlog_cursor(db: &Db) -> Result<i64> {
    Ok(get_value(db, AIRLOG_CURSOR)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Keeps airings the hub reported from every station, for the reports,
/// and moves the cursor past them, in one transaction.
pub fn received_airings(db: &mut Db, airings: &[crate::broadcast::network::Airing]) -> Result<()> {
    let tx = db.conn_mut().transaction()?;
    let mut last: i64 = tx_number(&tx, AIRLOG_CURSOR)?;
    for a in airings {
        let Some((at, _)) = calendar::parse_moment(&a.at, 0) else {
            continue;
        };
        tx.execute(
            "INSERT OR IGNORE INTO network_air_log
             (id, station_key, station_name, admin_code, package_uuid, title, lang, seconds, aired_at, on_time)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![a.id, a.station_key_id, a.station_name, a.admin_code, a.package_id, a.title, a.lang, a.seconds, at, a.on_time],
        )?;
        last = last.max(a.id);
    }
    tx_set_number(&tx, AIRLOG_CURSOR, last)?;
    tx.commit()?;
    Ok(())
}

/// A numeric setting (a cursor) read inside a transaction; 0 when unset.
fn tx_number(tx: &rusqlite::Transaction, key: &str) -> Result<i64> {
    Ok(tx
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Moves a cursor inside the transaction that took what it points past.
fn tx_set_number(tx: &rusqlite::Transaction, key: &str, value: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value.to_string()],
    )?;
    Ok(())
}

/// Records how the sync ended: `error` is the code of what stopped it.
pub fn synced(db: &Db, error: Option<&str>) -> Result<()> {
    if error.is_none() {
        set_value(db, LAST_SYNC, &now().to_string())?;
    }
    set_value(db, LAST_ERROR, error.unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_taken_only_for_this_pc() {
        let db = Db::open_in_memory().unwrap();
        for ok in [
            "https://hub.tinh.gov.vn",
            "https://10.0.0.5:8443/loa/",
            "http://127.0.0.1:8787",
            "http://localhost:8787",
            "http://[::1]:8787",
            "http://127.8.9.10",
            "",
        ] {
            set_url(&db, ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for (bad, reason) in [
            ("http://192.168.1.10:8787", "https-only"),
            ("http://hub.tinh.gov.vn", "https-only"),
            ("http://localhost.evil.example", "https-only"),
            ("http://127.0.0.1.evil.example", "https-only"),
            ("http://user@10.0.0.1", "https-only"),
            ("ftp://hub", "http-url"),
        ] {
            match set_url(&db, bad) {
                Err(CoreError::Invalid { reason: r, .. }) => assert_eq!(r, reason, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert_eq!(url(&db).unwrap(), None, "the last good one was empty");
    }
}
