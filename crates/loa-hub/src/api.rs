//! The hub's HTTP interface, `/v1/…`. Every route but `/v1/health` needs a
//! signed request (see [`crate::auth`]).

use crate::auth::{Signed, Station};
use crate::{sane, Hub, HubError};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::StreamExt;
use loa_core::broadcast::network::{
    self, Airing, InboxEntry, Network, NetworkPackage, NetworkStation, Reach, Receipt, ReceiptKind,
    Role,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// Vietnam's offset: the hub decides a package's expiry in its issuers' day.
const OFFSET_SECS: i64 = 7 * 3600;

pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/v1/health", get(|| async { "ok" }))
        .route("/v1/packages", post(upload))
        .route("/v1/packages/{sha256}", get(download))
        .route("/v1/inbox", get(inbox))
        .route("/v1/receipts", post(receipts))
        .route("/v1/status", post(status))
        .route("/v1/events", get(crate::events::events))
        .route(
            "/v1/changes",
            get(crate::terminology::feed).post(crate::terminology::push),
        )
        .route("/v1/network", get(network_view))
        .route("/v1/airlog", get(airlog))
        .route("/v1/network/{sha256}", get(package_reach))
        .layer(axum::middleware::from_fn(contain_panics))
        .with_state(hub)
}

/// A panic in one handler answers 500 for that request alone: the
/// connection and the process go on serving every other station.
async fn contain_panics(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use futures_util::FutureExt;
    match std::panic::AssertUnwindSafe(next.run(req))
        .catch_unwind()
        .await
    {
        Ok(r) => r,
        Err(_) => HubError::Internal.into_response(),
    }
}

#[derive(Deserialize)]
struct UploadQuery {
    /// Admin codes of further recipients, comma-separated: the issuer's
    /// groups, expanded by the issuer.
    #[serde(default)]
    to: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    pub sha256: String,
    /// False when the hub already had it (nothing changed).
    pub created: bool,
    pub recipients: u64,
}

/// Reads a small JSON body whose hash was signed.
async fn signed_json<T: serde::de::DeserializeOwned>(
    body: Body,
    signed: &str,
) -> Result<T, HubError> {
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .map_err(|e| HubError::BadRequest(e.to_string()))?;
    if network::body_hash(&bytes) != signed {
        return Err(HubError::BodyMismatch);
    }
    serde_json::from_slice(&bytes).map_err(|e| HubError::BadRequest(e.to_string()))
}

/// Streams the body to a scratch file within the size limit, hashing it.
async fn receive(hub: &Hub, body: Body) -> Result<(std::path::PathBuf, String, u64), HubError> {
    let scratch = hub.storage.scratch()?;
    let result = async {
        let mut file = tokio::fs::File::create(&scratch).await?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| HubError::BadRequest(e.to_string()))?;
            size += chunk.len() as u64;
            if size > hub.max_upload {
                return Err(HubError::TooLarge(hub.max_upload));
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await?;
        }
        file.sync_all().await?;
        Ok((loa_core::broadcast::key::hex(&hasher.finalize()), size))
    }
    .await;
    match result {
        Ok((sha, size)) => Ok((scratch, sha, size)),
        Err(e) => {
            let _ = tokio::fs::remove_file(&scratch).await;
            Err(e)
        }
    }
}

async fn upload(
    State(hub): State<Hub>,
    Signed { station, auth }: Signed,
    headers: HeaderMap,
    Query(q): Query<UploadQuery>,
    body: Body,
) -> Result<Response, HubError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > hub.max_upload) {
        return Err(HubError::TooLarge(hub.max_upload));
    }
    let (scratch, sha, size) = receive(&hub, body).await?;
    let stored = store(
        &hub,
        &station,
        &auth.body_sha256,
        &q.to,
        &scratch,
        &sha,
        size,
    )
    .await;
    if stored.is_err() {
        let _ = tokio::fs::remove_file(&scratch).await;
    }
    let up = stored?;
    let code = if up.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(up)).into_response())
}

/// Checks an uploaded package as a station would, then lists it and its
/// deliveries in one transaction. The file is at its address before the
/// package is listed, so a hub killed at any point never lists a package
/// it cannot serve.
async fn store(
    hub: &Hub,
    station: &Station,
    signed: &str,
    to: &str,
    scratch: &std::path::Path,
    sha: &str,
    size: u64,
) -> Result<Uploaded, HubError> {
    if sha != signed {
        return Err(HubError::BodyMismatch);
    }
    let path = scratch.to_path_buf();
    let today = loa_core::base::calendar::local_day_minute(crate::auth::now(), OFFSET_SECS).0;
    let checked = tokio::task::spawn_blocking(move || {
        loa_core::broadcast::package::verify_signed(&path, today, &mut |_, _| true)
    })
    .await
    .map_err(|e| HubError::Io(std::io::Error::other(e)))??;
    let m = &checked.manifest;
    if m.issuer.key_id != station.key_id
        || !m
            .issuer
            .public_key
            .eq_ignore_ascii_case(&station.public_key)
    {
        return Err(HubError::IssuerNotEnrolled(m.issuer.key_id.clone()));
    }
    hub.storage.commit(scratch, sha)?;
    let mut codes: Vec<String> = m
        .targets
        .stations
        .iter()
        .map(|s| s.admin_code.trim().to_string())
        .chain(to.split(',').map(|c| c.trim().to_string()))
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    let mut everyone =
        m.targets.stations.is_empty() && m.targets.groups.is_empty() && codes.is_empty();
    let mut client = hub.db.get().await?;
    if station.role != Role::Province {
        // A commune speaks only for itself: its packages go to the
        // province's stations, never to everyone or to other communes
        // (an emergency to a whole province is the province's to send).
        let province: Vec<String> = client
            .query(
                "SELECT admin_code FROM stations WHERE role = 'province'",
                &[],
            )
            .await?
            .iter()
            .map(|r| cell(r, 0))
            .collect();
        if !m.targets.groups.is_empty() {
            return Err(HubError::NotAllowed(
                "a commune station may not address a group".into(),
            ));
        }
        if let Some(other) = codes.iter().find(|c| !province.contains(c)) {
            return Err(HubError::NotAllowed(format!(
                "a commune station may address only the province's stations, not {}",
                sane::clip(other)
            )));
        }
        if everyone {
            everyone = false;
            codes = province;
        }
    }
    let manifest = &checked.manifest_text;
    let priority = serde_json::to_value(m.priority)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let tx = client.transaction().await?;
    let created = tx
        .execute(
            "INSERT INTO packages (sha256, package_id, title, priority, issuer_key_id, size, manifest, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, to_timestamp($8)) ON CONFLICT DO NOTHING",
            &[&sha, &m.id, &m.title, &priority, &station.key_id, &(size as i64), manifest, &(crate::auth::now() as f64)],
        )
        .await?
        == 1;
    let recipients = if created {
        tx.execute(
            "INSERT INTO deliveries (station_key_id, sha256)
             SELECT key_id, $1 FROM stations
             WHERE key_id <> $2 AND ($3 OR admin_code = ANY($4))
             ORDER BY key_id
             ON CONFLICT DO NOTHING",
            &[&sha, &station.key_id, &everyone, &codes],
        )
        .await?
    } else {
        0
    };
    if created {
        let note = serde_json::to_string(&crate::events::Note {
            sha256: sha.to_string(),
            priority: priority.clone(),
        })
        .map_err(|e| HubError::BadRequest(e.to_string()))?;
        tx.execute(
            "SELECT pg_notify($1, $2)",
            &[&crate::events::CHANNEL, &note],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Uploaded {
        sha256: sha.to_string(),
        created,
        recipients,
    })
}

#[derive(Deserialize)]
struct InboxQuery {
    #[serde(default)]
    after: i64,
}

async fn inbox(
    State(hub): State<Hub>,
    Signed { station, .. }: Signed,
    Query(q): Query<InboxQuery>,
) -> Result<Json<Vec<InboxEntry>>, HubError> {
    let client = hub.db.get().await?;
    client
        .execute(
            "UPDATE stations SET last_seen = to_timestamp($2) WHERE key_id = $1",
            &[&station.key_id, &(crate::auth::now() as f64)],
        )
        .await?;
    let rows = client
        .query(
            "SELECT d.seq, p.sha256, p.package_id, p.title, p.priority, p.issuer_key_id, p.size
             FROM deliveries d JOIN packages p ON p.sha256 = d.sha256
             WHERE d.station_key_id = $1 AND d.seq > $2
             ORDER BY d.seq LIMIT 500",
            &[&station.key_id, &q.after],
        )
        .await?;
    Ok(Json(
        rows.iter()
            .map(|r| InboxEntry {
                seq: cell(r, 0),
                sha256: cell(r, 1),
                package_id: cell(r, 2),
                title: cell(r, 3),
                priority: cell(r, 4),
                issuer_key_id: cell(r, 5),
                size: cell(r, 6),
            })
            .collect(),
    ))
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` against `len`; `None` when the
/// header asks for something else (then the whole file is sent).
fn byte_range(value: &str, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (len.saturating_sub(n), len.checked_sub(1)?)
        }
        (a, "") => (a.parse().ok()?, len.checked_sub(1)?),
        (a, b) => (
            a.parse().ok()?,
            b.parse::<u64>().ok()?.min(len.saturating_sub(1)),
        ),
    };
    Some(if start <= end && start < len {
        Ok((start, end))
    } else {
        Err(())
    })
}

async fn download(
    State(hub): State<Hub>,
    Signed { station, .. }: Signed,
    headers: HeaderMap,
    Path(sha256): Path<String>,
) -> Result<Response, HubError> {
    let client = hub.db.get().await?;
    let allowed = client
        .query_opt(
            "SELECT 1 FROM packages p WHERE p.sha256 = $1 AND (p.issuer_key_id = $2 OR $3
               OR EXISTS (SELECT 1 FROM deliveries d WHERE d.sha256 = p.sha256 AND d.station_key_id = $2))",
            &[&sha256, &station.key_id, &(station.role == Role::Province)],
        )
        .await?
        .is_some();
    let path = hub
        .storage
        .locate(&sha256)
        .filter(|_| allowed)
        .ok_or(HubError::NotFound)?;
    let etag = format!("\"{sha256}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let mut file = tokio::fs::File::open(&path).await?;
    let len = file.metadata().await?.len();
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| byte_range(v, len));
    let (status, start, end) = match range {
        None => (StatusCode::OK, 0, len.saturating_sub(1)),
        Some(Ok((a, b))) => (StatusCode::PARTIAL_CONTENT, a, b),
        Some(Err(())) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{len}"))],
            )
                .into_response())
        }
    };
    let count = if len == 0 { 0 } else { end - start + 1 };
    file.seek(std::io::SeekFrom::Start(start)).await?;
    let stream = tokio_util::io::ReaderStream::with_capacity(file.take(count), 256 * 1024);
    let mut resp = Response::builder()
        .status(status)
        .header(header::ETAG, etag)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_TYPE, "application/vnd.loa-studio.package")
        .header(header::CONTENT_LENGTH, count);
    if status == StatusCode::PARTIAL_CONTENT {
        resp = resp.header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}"));
    }
    resp.body(Body::from_stream(stream))
        .map_err(|e| HubError::Io(std::io::Error::other(e)))
}

/// `POST /v1/receipts`: what became of packages delivered to the station.
/// Every receipt is checked before any is stored (see [`crate::sane`]),
/// and each must name a package delivered to this station, so no station
/// can report for another's package or inflate its reach.
async fn receipts(
    State(hub): State<Hub>,
    Signed { station, auth }: Signed,
    body: Body,
) -> Result<Json<serde_json::Value>, HubError> {
    let list: Vec<Receipt> = signed_json(body, &auth.body_sha256).await?;
    if list.len() > sane::MAX_RECEIPTS {
        return Err(HubError::BadRequest("too many receipts at once".into()));
    }
    let now = crate::auth::now();
    let times = list
        .iter()
        .enumerate()
        .map(|(i, r)| {
            sane::receipt(r, now).map_err(|e| match e {
                HubError::BadRequest(m) => HubError::BadRequest(format!("receipt {i}: {m}")),
                e => e,
            })
        })
        .collect::<Result<Vec<i64>, HubError>>()?;
    let mut ids: Vec<&str> = list.iter().map(|r| r.package_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut client = hub.db.get().await?;
    // Each package delivered to this station, with its length.
    let lengths: std::collections::HashMap<String, f64> = client
        .query(
            "SELECT p.package_id,
                    coalesce((SELECT sum(CASE WHEN jsonb_typeof(i->'seconds') = 'number'
                                             THEN (i->>'seconds')::float8 ELSE 0 END)
                              FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.manifest->'items') = 'array'
                                                             THEN p.manifest->'items' ELSE '[]'::jsonb END) i), 0)
             FROM deliveries d JOIN packages p ON p.sha256 = d.sha256
             WHERE d.station_key_id = $1 AND p.package_id = ANY($2)",
            &[&station.key_id, &ids],
        )
        .await?
        .iter()
        .map(|r| (cell(r, 0), cell(r, 1)))
        .collect();
    for (i, r) in list.iter().enumerate() {
        let Some(length) = lengths.get(&r.package_id) else {
            return Err(HubError::BadRequest(format!(
                "receipt {i}: package {} was not delivered to this station",
                sane::clip(&r.package_id)
            )));
        };
        if r.seconds > length + sane::AIRED_SLACK_SECS {
            return Err(HubError::BadRequest(format!(
                "receipt {i}: {} s is longer than the package ({length:.0} s)",
                r.seconds
            )));
        }
    }
    let tx = client.transaction().await?;
    let mut stored = 0;
    for (r, at) in list.iter().zip(times) {
        stored += tx
            .execute(
                "INSERT INTO receipts (station_key_id, package_id, kind, at, lang, seconds, on_time)
                 VALUES ($1, $2, $3, to_timestamp($4), $5, $6, $7) ON CONFLICT DO NOTHING",
                &[
                    &station.key_id,
                    &r.package_id,
                    &r.kind.as_str(),
                    &(at as f64),
                    &r.lang,
                    &r.seconds,
                    &r.on_time,
                ],
            )
            .await?;
    }
    tx.commit().await?;
    Ok(Json(serde_json::json!({ "stored": stored })))
}

/// A row's value, or the type's empty value when the stored row holds
/// something else (a NULL, a time PostgreSQL cannot print): a handler
/// never panics on what is in the database.
pub(crate) fn cell<'a, T>(r: &'a tokio_postgres::Row, i: usize) -> T
where
    T: tokio_postgres::types::FromSql<'a> + Default,
{
    r.try_get(i).unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusReport {
    app_version: String,
    free_disk: i64,
}

async fn status(
    State(hub): State<Hub>,
    Signed { station, auth }: Signed,
    body: Body,
) -> Result<Json<serde_json::Value>, HubError> {
    let s: StatusReport = signed_json(body, &auth.body_sha256).await?;
    sane::text("appVersion", &s.app_version, sane::MAX_VERSION)?;
    if s.free_disk < -1 {
        return Err(HubError::BadRequest("freeDisk: not a size".into()));
    }
    let client = hub.db.get().await?;
    client
        .execute(
            "UPDATE stations SET last_seen = to_timestamp($4), app_version = $2, free_disk = $3 WHERE key_id = $1",
            &[&station.key_id, &s.app_version, &s.free_disk, &(crate::auth::now() as f64)],
        )
        .await?;
    // The station learns its role (the province's views are only for it).
    Ok(Json(serde_json::json!({ "role": station.role })))
}

/// `GET /v1/network`, for province stations: every station with when it
/// was last seen, and every recent package with how far it got.
async fn network_view(
    State(hub): State<Hub>,
    Signed { station, .. }: Signed,
) -> Result<Json<Network>, HubError> {
    if station.role != Role::Province {
        return Err(HubError::Forbidden);
    }
    let client = hub.db.get().await?;
    let now = crate::auth::now() as f64;
    let stations = client
        .query(
            "SELECT s.key_id, s.name, s.admin_code, s.role,
                    to_char(s.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                    coalesce(s.app_version, ''), coalesce(s.free_disk, -1),
                    (SELECT count(*) FROM deliveries d JOIN packages p ON p.sha256 = d.sha256
                      WHERE d.station_key_id = s.key_id AND NOT EXISTS (
                        SELECT 1 FROM receipts r WHERE r.station_key_id = s.key_id
                           AND r.package_id = p.package_id AND r.kind = 'delivered')),
                    s.last_seen IS NULL OR s.last_seen < to_timestamp($1) - make_interval(secs => $2)
             FROM stations s ORDER BY s.name",
            &[&now, &(network::SILENT_SECS as f64)],
        )
        .await?
        .iter()
        .map(|r| NetworkStation {
            key_id: cell(r, 0),
            name: cell(r, 1),
            admin_code: cell(r, 2),
            role: Role::parse(cell(r, 3)).unwrap_or(Role::Commune),
            last_seen: cell(r, 4),
            app_version: cell(r, 5),
            free_disk: cell(r, 6),
            pending: cell(r, 7),
            silent: cell(r, 8),
        })
        .collect();
    let packages = client
        .query(
            "SELECT p.sha256, p.package_id, p.title, p.priority, p.issuer_key_id,
                    to_char(p.uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                    (SELECT count(*) FROM deliveries d WHERE d.sha256 = p.sha256),
                    (SELECT count(DISTINCT station_key_id) FROM receipts r WHERE r.package_id = p.package_id AND r.kind = 'delivered'),
                    (SELECT count(DISTINCT station_key_id) FROM receipts r WHERE r.package_id = p.package_id AND r.kind = 'imported'),
                    (SELECT count(DISTINCT station_key_id) FROM receipts r WHERE r.package_id = p.package_id AND r.kind = 'aired')
             FROM packages p ORDER BY p.uploaded_at DESC, p.sha256 LIMIT 200",
            &[],
        )
        .await?
        .iter()
        .map(|r| NetworkPackage {
            sha256: cell(r, 0),
            package_id: cell(r, 1),
            title: cell(r, 2),
            priority: cell(r, 3),
            issuer_key_id: cell(r, 4),
            uploaded_at: cell(r, 5),
            recipients: cell(r, 6),
            delivered: cell(r, 7),
            imported: cell(r, 8),
            aired: cell(r, 9),
        })
        .collect();
    Ok(Json(Network { stations, packages }))
}

/// `GET /v1/airlog?after=`, for province stations: every airing reported
/// by any station, from the cursor, for the province's reports.
async fn airlog(
    State(hub): State<Hub>,
    Signed { station, .. }: Signed,
    Query(q): Query<InboxQuery>,
) -> Result<Json<Vec<Airing>>, HubError> {
    if station.role != Role::Province {
        return Err(HubError::Forbidden);
    }
    let client = hub.db.get().await?;
    let rows = client
        .query(
            "SELECT r.id, s.key_id, s.name, s.admin_code, r.package_id,
                    coalesce((SELECT p.title FROM packages p WHERE p.package_id = r.package_id LIMIT 1), ''),
                    to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                    r.lang, r.seconds, r.on_time
             FROM receipts r JOIN stations s ON s.key_id = r.station_key_id
             WHERE r.kind = 'aired' AND r.id > $1 ORDER BY r.id LIMIT 1000",
            &[&q.after],
        )
        .await?;
    Ok(Json(
        rows.iter()
            .map(|r| Airing {
                id: cell(r, 0),
                station_key_id: cell(r, 1),
                station_name: cell(r, 2),
                admin_code: cell(r, 3),
                package_id: cell(r, 4),
                title: cell(r, 5),
                at: cell(r, 6),
                lang: cell(r, 7),
                seconds: cell(r, 8),
                on_time: cell(r, 9),
            })
            .collect(),
    ))
}

/// `GET /v1/network/{sha256}`, for province stations: each recipient of
/// the package with when it got it, imported it, and every airing.
async fn package_reach(
    State(hub): State<Hub>,
    Signed { station, .. }: Signed,
    Path(sha256): Path<String>,
) -> Result<Json<Vec<Reach>>, HubError> {
    if station.role != Role::Province {
        return Err(HubError::Forbidden);
    }
    let client = hub.db.get().await?;
    let package_id: String = client
        .query_opt(
            "SELECT package_id FROM packages WHERE sha256 = $1",
            &[&sha256],
        )
        .await?
        .ok_or(HubError::NotFound)
        .map(|r| cell(&r, 0))?;
    let rows = client
        .query(
            "SELECT s.key_id, s.name, s.admin_code, r.kind,
                    to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                    r.lang, r.seconds, r.on_time
             FROM deliveries d JOIN stations s ON s.key_id = d.station_key_id
             LEFT JOIN receipts r ON r.station_key_id = s.key_id AND r.package_id = $2
             WHERE d.sha256 = $1 ORDER BY s.name, r.at",
            &[&sha256, &package_id],
        )
        .await?;
    let mut out: Vec<Reach> = Vec::new();
    for r in &rows {
        let key_id: String = cell(r, 0);
        if out.last().is_none_or(|x| x.key_id != key_id) {
            out.push(Reach {
                key_id: key_id.clone(),
                name: cell(r, 1),
                admin_code: cell(r, 2),
                delivered: None,
                imported: None,
                aired: vec![],
            });
        }
        let reach = out.last_mut().expect("pushed above");
        let kind: Option<String> = cell(r, 3);
        let at: Option<String> = cell(r, 4);
        match (kind.as_deref().and_then(ReceiptKind::parse), at) {
            (Some(ReceiptKind::Delivered), at) => reach.delivered = reach.delivered.take().or(at),
            (Some(ReceiptKind::Imported), at) => reach.imported = reach.imported.take().or(at),
            (Some(ReceiptKind::Aired), Some(at)) => reach.aired.push(Receipt {
                package_id: package_id.clone(),
                kind: ReceiptKind::Aired,
                at,
                lang: cell(r, 5),
                seconds: cell(r, 6),
                on_time: cell(r, 7),
            }),
            _ => {}
        }
    }
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn ranges_are_read_as_http_says() {
        assert_eq!(byte_range("bytes=0-9", 100), Some(Ok((0, 9))));
        assert_eq!(byte_range("bytes=50-", 100), Some(Ok((50, 99))));
        assert_eq!(byte_range("bytes=-10", 100), Some(Ok((90, 99))));
        assert_eq!(byte_range("bytes=90-200", 100), Some(Ok((90, 99))));
        assert_eq!(byte_range("bytes=100-", 100), Some(Err(())));
        assert_eq!(byte_range("bytes=0-1,5-6", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
    }
}
