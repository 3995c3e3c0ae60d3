//! The province network's wire protocol, shared by the stations' client and
//! the hub server: no HTTP here, only what both sides must agree on.
//!
//! Every request is signed with the station's own Ed25519 key (the one that
//! signs its packages), over the key id, method, path, time, a nonce and
//! the body's SHA-256. There are no passwords: the hub knows a station by
//! the key the province enrolled after comparing its key id by phone.

use crate::base::error::{CoreError, Result};
use crate::broadcast::key::{self, StationKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// How far a request's time may be from the hub's clock.
pub const MAX_SKEW_SECS: i64 = 300;

pub const HEADER_KEY: &str = "x-loa-key";
pub const HEADER_TIME: &str = "x-loa-time";
pub const HEADER_NONCE: &str = "x-loa-nonce";
pub const HEADER_BODY: &str = "x-loa-content-sha256";
pub const HEADER_SIGNATURE: &str = "x-loa-signature";

/// The signed parts of a request, as sent in the `x-loa-*` headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestAuth {
    pub key_id: String,
    /// Unix seconds.
    pub time: i64,
    /// 32 hex digits, never reused.
    pub nonce: String,
    /// SHA-256 of the body, 64 hex digits.
    pub body_sha256: String,
    /// 128 hex digits.
    pub signature: String,
}

/// The exact bytes signed: one field per line, the method upper-case and
/// the path with its query as sent.
pub fn canonical(
    key_id: &str,
    method: &str,
    path: &str,
    time: i64,
    nonce: &str,
    body_sha256: &str,
) -> String {
    format!(
        "LOA-HUB-1\n{key_id}\n{}\n{path}\n{time}\n{nonce}\n{body_sha256}",
        method.to_ascii_uppercase()
    )
}

pub fn body_hash(body: &[u8]) -> String {
    key::hex(&Sha256::digest(body))
}

/// Signs a request whose body hashes to `body_sha256`, at `time`.
pub fn sign(
    station: &StationKey,
    method: &str,
    path: &str,
    time: i64,
    body_sha256: &str,
) -> Result<RequestAuth> {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw)
        .map_err(|e| CoreError::io("random", std::io::Error::other(e.to_string())))?;
    let nonce = key::hex(&raw);
    let key_id = station.key_id();
    let text = canonical(&key_id, method, path, time, &nonce, body_sha256);
    Ok(RequestAuth {
        signature: key::hex(&station.sign(text.as_bytes())),
        key_id,
        time,
        nonce,
        body_sha256: body_sha256.to_string(),
    })
}

/// Why the hub refused a request's signature, in the order it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthProblem {
    /// Headers missing or malformed.
    Malformed,
    /// The time is more than [`MAX_SKEW_SECS`] away from the hub's.
    Skew,
    BadSignature,
}

impl RequestAuth {
    /// Checks the signature with the enrolled `public` key and the time
    /// against `now`. The caller checks that the key is enrolled, that the
    /// body matches `body_sha256`, and that the nonce is new.
    pub fn check(
        &self,
        public: &[u8; 32],
        method: &str,
        path: &str,
        now: i64,
    ) -> std::result::Result<(), AuthProblem> {
        let nonce_ok = self.nonce.len() == 32 && self.nonce.bytes().all(|b| b.is_ascii_hexdigit());
        if !nonce_ok || key::decode_hex::<32>(&self.body_sha256).is_none() {
            return Err(AuthProblem::Malformed);
        }
        // A station's number meets the hub's: checked, as `i64::MIN`
        // would overflow the subtraction.
        let off = now.checked_sub(self.time).and_then(i64::checked_abs);
        if off.is_none_or(|d| d > MAX_SKEW_SECS) {
            return Err(AuthProblem::Skew);
        }
        let Some(sig) = key::decode_hex::<64>(&self.signature) else {
            return Err(AuthProblem::Malformed);
        };
        let text = canonical(
            &self.key_id,
            method,
            path,
            self.time,
            &self.nonce,
            &self.body_sha256,
        );
        if key::key_id(public) != self.key_id || !key::verify(public, text.as_bytes(), &sig) {
            return Err(AuthProblem::BadSignature);
        }
        Ok(())
    }
}

/// A station's role in the province network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// May send to every station and sees the network's status.
    Province,
    Commune,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Province => "province",
            Role::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "province" => Some(Role::Province),
            "commune" => Some(Role::Commune),
            _ => None,
        }
    }
}

/// One package waiting in a station's inbox on the hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxEntry {
    /// The inbox cursor: entries come in increasing `seq`.
    pub seq: i64,
    /// The package file's SHA-256, which is also its address on the hub.
    pub sha256: String,
    pub package_id: String,
    pub title: String,
    /// `normal`, `priority` or `emergency`.
    pub priority: String,
    pub issuer_key_id: String,
    pub size: i64,
}

/// What a station reports about a package it received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ReceiptKind {
    Delivered,
    Imported,
    Aired,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub package_id: String,
    pub kind: ReceiptKind,
    /// RFC 3339, the station's clock.
    pub at: String,
    /// What aired: the language and length (aired receipts only).
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub seconds: f64,
    /// Whether it aired within the package's validity.
    #[serde(default)]
    pub on_time: Option<bool>,
}

impl ReceiptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptKind::Delivered => "delivered",
            ReceiptKind::Imported => "imported",
            ReceiptKind::Aired => "aired",
        }
    }

    pub fn parse(s: &str) -> Option<ReceiptKind> {
        match s {
            "delivered" => Some(ReceiptKind::Delivered),
            "imported" => Some(ReceiptKind::Imported),
            "aired" => Some(ReceiptKind::Aired),
            _ => None,
        }
    }
}

/// Silent this long, a station stands out in the network view.
pub const SILENT_SECS: i64 = 24 * 3600;

/// One enrolled station as the province sees it (`GET /v1/network`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NetworkStation {
    pub key_id: String,
    pub name: String,
    pub admin_code: String,
    pub role: Role,
    /// RFC 3339 (UTC), or none if never seen.
    #[ts(optional)]
    pub last_seen: Option<String>,
    pub app_version: String,
    /// Bytes free in its data folder; -1 unknown.
    pub free_disk: i64,
    /// Packages delivered to it that it has not fetched yet.
    pub pending: i64,
    /// Not seen for [`SILENT_SECS`] (or never).
    pub silent: bool,
}

/// One package on the hub, with how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NetworkPackage {
    pub sha256: String,
    pub package_id: String,
    pub title: String,
    pub priority: String,
    pub issuer_key_id: String,
    pub uploaded_at: String,
    pub recipients: i64,
    pub delivered: i64,
    pub imported: i64,
    /// Stations that aired it at least once.
    pub aired: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Network {
    pub stations: Vec<NetworkStation>,
    /// The newest first.
    pub packages: Vec<NetworkPackage>,
}

/// Where one package is, station by station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reach {
    pub key_id: String,
    pub name: String,
    pub admin_code: String,
    #[ts(optional)]
    pub delivered: Option<String>,
    #[ts(optional)]
    pub imported: Option<String>,
    /// Each airing: when, in which language, how long.
    pub aired: Vec<Receipt>,
}

/// One airing anywhere in the network, as the province fetches them
/// (`GET /v1/airlog?after=`), for its reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Airing {
    /// The cursor: airings come in increasing `id`.
    pub id: i64,
    pub station_key_id: String,
    pub station_name: String,
    pub admin_code: String,
    pub package_id: String,
    pub title: String,
    /// RFC 3339.
    pub at: String,
    pub lang: String,
    pub seconds: f64,
    pub on_time: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_request_checks_only_as_it_was_signed() {
        let k = StationKey::generate().unwrap();
        let body = body_hash(b"{}");
        let auth = sign(&k, "post", "/v1/receipts", 1_000_000, &body).unwrap();
        let public = k.public_bytes();
        assert_eq!(
            auth.check(&public, "POST", "/v1/receipts", 1_000_100),
            Ok(())
        );
        assert_eq!(
            auth.check(&public, "POST", "/v1/inbox", 1_000_000),
            Err(AuthProblem::BadSignature),
            "another path"
        );
        assert_eq!(
            auth.check(
                &public,
                "POST",
                "/v1/receipts",
                1_000_000 + MAX_SKEW_SECS + 1
            ),
            Err(AuthProblem::Skew)
        );
        for time in [i64::MIN, i64::MAX] {
            let edge = sign(&k, "GET", "/v1/inbox", time, &body).unwrap();
            assert_eq!(
                edge.check(&public, "GET", "/v1/inbox", 1_000_000),
                Err(AuthProblem::Skew),
                "{time}"
            );
        }
        let other = StationKey::generate().unwrap().public_bytes();
        assert_eq!(
            auth.check(&other, "POST", "/v1/receipts", 1_000_000),
            Err(AuthProblem::BadSignature)
        );
        let mut changed = auth.clone();
        changed.body_sha256 = body_hash(b"{\"x\":1}");
        assert_eq!(
            changed.check(&public, "POST", "/v1/receipts", 1_000_000),
            Err(AuthProblem::BadSignature)
        );
        let mut bad = auth;
        bad.nonce = "zz".into();
        assert_eq!(
            bad.check(&public, "POST", "/v1/receipts", 1_000_000),
            Err(AuthProblem::Malformed)
        );
    }
}
