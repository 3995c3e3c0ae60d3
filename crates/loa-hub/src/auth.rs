//! Who is asking: every request carries the station's signature (see
//! `loa_core::broadcast::network`). Refused, in order: missing headers, an
//! unknown key, a time more than five minutes off, a bad signature, a
//! nonce already seen.

use crate::{Hub, HubError};
use axum::http::{HeaderMap, Method, Uri};
use loa_core::broadcast::key;
use loa_core::broadcast::network::{self, AuthProblem, RequestAuth, Role};

/// An enrolled station, as the request proved it to be.
#[derive(Debug, Clone)]
pub struct Station {
    pub key_id: String,
    pub role: Role,
    pub admin_code: String,
    pub public_key: String,
}

fn header(headers: &HeaderMap, name: &str) -> Result<String, HubError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .ok_or(HubError::Malformed)
}

pub fn parse(headers: &HeaderMap) -> Result<RequestAuth, HubError> {
    Ok(RequestAuth {
        key_id: header(headers, network::HEADER_KEY)?,
        time: header(headers, network::HEADER_TIME)?
            .parse()
            .map_err(|_| HubError::Malformed)?,
        nonce: header(headers, network::HEADER_NONCE)?.to_ascii_lowercase(),
        body_sha256: header(headers, network::HEADER_BODY)?.to_ascii_lowercase(),
        signature: header(headers, network::HEADER_SIGNATURE)?,
    })
}

/// The hub's clock (`LOA_NOW` sets it in tests, as for the app): every time
/// the hub records or compares (last seen, uploads, silence) is on it, never
/// on PostgreSQL's own `now()`.
pub fn now() -> i64 {
    loa_core::base::clock::now()
}

/// Checks the request's signature; the caller checks its body against
/// `auth.body_sha256`.
pub async fn authenticate(
    hub: &Hub,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<(Station, RequestAuth), HubError> {
    let auth = parse(headers)?;
    let client = hub.db.get().await?;
    let row = client
        .query_opt(
            "SELECT public_key, role, admin_code FROM stations WHERE key_id = $1",
            &[&auth.key_id],
        )
        .await?
        .ok_or_else(|| HubError::UnknownKey(auth.key_id.clone()))?;
    let public_key: String = row.get(0);
    let public = key::decode_hex::<32>(&public_key).ok_or(HubError::BadSignature)?;
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    auth.check(&public, method.as_str(), path, now())
        .map_err(|p| match p {
            AuthProblem::Malformed => HubError::Malformed,
            AuthProblem::Skew => HubError::Skew,
            AuthProblem::BadSignature => HubError::BadSignature,
        })?;
    let fresh = client
        .execute(
            "INSERT INTO nonces (key_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&auth.key_id, &auth.nonce],
        )
        .await?;
    if fresh == 0 {
        return Err(HubError::Replay);
    }
    let role: String = row.get(1);
    let station = Station {
        key_id: auth.key_id.clone(),
        role: Role::parse(&role).unwrap_or(Role::Commune),
        admin_code: row.get(2),
        public_key,
    };
    Ok((station, auth))
}

/// A request whose signature checked out: handlers take it as an argument,
/// so no route can forget to authenticate.
pub struct Signed {
    pub station: Station,
    pub auth: RequestAuth,
}

impl axum::extract::FromRequestParts<Hub> for Signed {
    type Rejection = HubError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        hub: &Hub,
    ) -> Result<Self, HubError> {
        let (station, auth) = authenticate(hub, &parts.method, &parts.uri, &parts.headers).await?;
        Ok(Signed { station, auth })
    }
}

/// Forgets nonces older than any request the skew check would still let
/// through.
pub async fn forget_old_nonces(hub: &Hub) -> Result<u64, HubError> {
    let client = hub.db.get().await?;
    Ok(client
        .execute(
            "DELETE FROM nonces WHERE seen_at < now() - make_interval(secs => $1)",
            &[&(3.0 * network::MAX_SKEW_SECS as f64)],
        )
        .await?)
}
