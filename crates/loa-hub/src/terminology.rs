//! Shared terminology: each station pushes the change sets it signed, and
//! reads everyone's from a cursor (`/v1/changes`). The hub checks each set
//! as a station would, takes a station's own sets only, and takes a set
//! naming approvers only from a province station; it never alters a set,
//! so stations check the signatures again themselves.

use crate::auth::Signed;
use crate::{Hub, HubError};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::Json;
use loa_core::broadcast::changes::{self, FeedEntry, SignedSet};
use loa_core::broadcast::network::Role;
use loa_core::translate::sharing::Kind;
use serde::{Deserialize, Serialize};

/// The channel hubs tell each other about new sets on.
pub const CHANNEL: &str = "loa_hub_changes";
/// A page of the feed stops after this many bytes of sets (always at least
/// one set), so a station joining late reads the province in steps.
const PAGE_BYTES: i64 = 8 << 20;
/// The largest set the hub takes: a set holds at most 2,000 changes, and
/// a day of an office's edits is far below this.
pub const MAX_SET_BYTES: usize = 4 << 20;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pushed {
    pub seq: i64,
    /// False when the hub already had it (nothing changed).
    pub created: bool,
}

/// `POST /v1/changes`: one signed set, `{body, signature}`.
pub async fn push(
    State(hub): State<Hub>,
    Signed { station, auth }: Signed,
    body: Body,
) -> Result<Json<Pushed>, HubError> {
    // The set's body and its signature, as JSON.
    let limit = MAX_SET_BYTES * 2 + 4096;
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| HubError::TooLarge(limit as u64))?;
    if loa_core::broadcast::network::body_hash(&bytes) != auth.body_sha256 {
        return Err(HubError::BodyMismatch);
    }
    let signed: SignedSet =
        serde_json::from_slice(&bytes).map_err(|e| HubError::BadRequest(e.to_string()))?;
    if signed.body.len() > MAX_SET_BYTES {
        return Err(HubError::TooLarge(MAX_SET_BYTES as u64));
    }
    let set = changes::verify(&signed)?;
    // Exactly as the app writes a set: no padding that still verifies.
    if serde_json::to_string(&set).ok().as_deref() != Some(signed.body.as_str()) {
        return Err(HubError::BadRequest(
            "the set is not in its canonical form".into(),
        ));
    }
    if set.signer.key_id != station.key_id
        || !set
            .signer
            .public_key
            .eq_ignore_ascii_case(&station.public_key)
    {
        return Err(HubError::IssuerNotEnrolled(set.signer.key_id));
    }
    if set.changes.iter().any(|c| c.kind == Kind::Approvers) && station.role != Role::Province {
        return Err(HubError::Forbidden);
    }
    let mut client = hub.db.get().await?;
    let tx = client.transaction().await?;
    let inserted = tx
        .query_opt(
            "INSERT INTO change_sets (id, station_key_id, body, signature, changes, received_at, bytes)
             VALUES ($1, $2, $3, $4, $5, to_timestamp($6), $7)
             ON CONFLICT (station_key_id, id) DO NOTHING
             RETURNING seq",
            &[
                &set.id,
                &station.key_id,
                &signed.body,
                &signed.signature,
                &(set.changes.len() as i32),
                &(crate::auth::now() as f64),
                &(signed.body.len() as i32),
            ],
        )
        .await?;
    let (seq, created) = match inserted {
        Some(r) => {
            let seq: i64 = r.get(0);
            tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &seq.to_string()])
                .await?;
            (seq, true)
        }
        None => (
            tx.query_one(
                "SELECT seq FROM change_sets WHERE station_key_id = $1 AND id = $2",
                &[&station.key_id, &set.id],
            )
            .await?
            .get(0),
            false,
        ),
    };
    tx.commit().await?;
    Ok(Json(Pushed { seq, created }))
}

#[derive(Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    after: i64,
}

/// `GET /v1/changes?after=SEQ`: every station's sets after the cursor, in
/// the order the hub took them.
pub async fn feed(
    State(hub): State<Hub>,
    Signed { .. }: Signed,
    Query(q): Query<FeedQuery>,
) -> Result<Json<Vec<FeedEntry>>, HubError> {
    let client = hub.db.get().await?;
    // Where the page ends, from the sizes alone: however large the sets,
    // a reader holds at most one page of them.
    let sizes = client
        .query(
            "SELECT seq, bytes FROM change_sets WHERE seq > $1 ORDER BY seq LIMIT 500",
            &[&q.after],
        )
        .await?;
    let mut last = None;
    let mut total: i64 = 0;
    for r in &sizes {
        let (seq, bytes): (i64, i32) = (crate::api::cell(r, 0), crate::api::cell(r, 1));
        if last.is_some() && total + i64::from(bytes) > PAGE_BYTES {
            break;
        }
        total += i64::from(bytes);
        last = Some(seq);
    }
    let Some(last) = last else {
        return Ok(Json(Vec::new()));
    };
    let rows = client
        .query(
            "SELECT seq, body, signature FROM change_sets WHERE seq > $1 AND seq <= $2 ORDER BY seq",
            &[&q.after, &last],
        )
        .await?;
    Ok(Json(
        rows.iter()
            .map(|r| FeedEntry {
                seq: crate::api::cell(r, 0),
                set: SignedSet {
                    body: crate::api::cell(r, 1),
                    signature: crate::api::cell(r, 2),
                },
            })
            .collect(),
    ))
}
