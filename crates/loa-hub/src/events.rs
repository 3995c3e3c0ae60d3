//! Push: a station holding `GET /v1/events` (server-sent events) hears of
//! each package delivered to it at once. Hub processes share nothing but
//! PostgreSQL, so an upload to one reaches stations connected to another
//! through `LISTEN`/`NOTIFY`: each process listens, looks up the package's
//! recipients once, and tells those connected to it.

use crate::auth::Signed;
use crate::Hub;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};

/// The channel hubs tell each other about new deliveries on.
pub const CHANNEL: &str = "loa_hub_delivery";

/// What a `NOTIFY` carries, and what a station is told.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub sha256: String,
    pub priority: String,
}

/// One message to this process's connected stations.
#[derive(Debug, Clone)]
pub enum Push {
    Delivery {
        note: Note,
        /// Key ids of the recipients.
        stations: Arc<Vec<String>>,
    },
    /// Notifications may have been missed (the listener reconnected): every
    /// station should look at its inbox.
    Resync,
    /// A station pushed terminology changes: every station may read them.
    Changes,
}

pub fn channel() -> broadcast::Sender<Push> {
    broadcast::channel(1024).0
}

/// Keeps a `LISTEN` connection open for the life of the process,
/// reconnecting after PostgreSQL restarts.
pub fn spawn_listener(url: String, hub: Hub) {
    tokio::spawn(async move {
        let mut first = true;
        loop {
            if let Err(e) = listen(&url, &hub, first).await {
                // Never a panic should stderr be gone: the listener must live.
                use std::io::Write;
                let _ = writeln!(std::io::stderr(), "loa-hub: listening for deliveries: {e}");
            }
            first = false;
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    });
}

async fn listen(url: &str, hub: &Hub, first: bool) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let pump = tokio::spawn(async move {
        let mut messages = stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(m) = messages.next().await {
            match m {
                Ok(tokio_postgres::AsyncMessage::Notification(n)) => {
                    let _ = tx.send((n.channel().to_string(), n.payload().to_string()));
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    });
    client
        .batch_execute(&format!(
            "LISTEN {CHANNEL}; LISTEN {}",
            crate::terminology::CHANNEL
        ))
        .await?;
    if !first {
        let _ = hub.events.send(Push::Resync);
    }
    while let Some((channel, payload)) = rx.recv().await {
        if channel == crate::terminology::CHANNEL {
            let _ = hub.events.send(Push::Changes);
            continue;
        }
        let Ok(note) = serde_json::from_str::<Note>(&payload) else {
            continue;
        };
        let Ok(db) = hub.db.get().await else {
            let _ = hub.events.send(Push::Resync);
            continue;
        };
        let rows = db
            .query(
                "SELECT station_key_id FROM deliveries WHERE sha256 = $1",
                &[&note.sha256],
            )
            .await;
        match rows {
            Ok(rows) => {
                let stations = Arc::new(rows.iter().map(|r| r.get(0)).collect());
                let _ = hub.events.send(Push::Delivery { note, stations });
            }
            Err(_) => {
                let _ = hub.events.send(Push::Resync);
            }
        }
    }
    pump.await.ok().transpose()?;
    Ok(())
}

/// `GET /v1/events`: `hello` once connected, then `delivery` (the package's
/// hash and priority) for each package delivered to this station,
/// `changes` when terminology changes arrived, and `resync` when the hub
/// may have missed some.
pub async fn events(
    State(hub): State<Hub>,
    Signed { station, .. }: Signed,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = hub.events.subscribe();
    let key = station.key_id;
    let hello = stream::once(async { Ok(Event::default().event("hello").data("")) });
    let pushes = stream::unfold((rx, key), |(mut rx, key)| async move {
        loop {
            let event = match rx.recv().await {
                Ok(Push::Delivery { note, stations }) if stations.contains(&key) => {
                    Event::default()
                        .event("delivery")
                        .data(serde_json::to_string(&note).unwrap_or_default())
                }
                Ok(Push::Delivery { .. }) => continue,
                Ok(Push::Changes) => Event::default().event("changes").data(""),
                Ok(Push::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    Event::default().event("resync").data("")
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            return Some((Ok(event), (rx, key)));
        }
    });
    Sse::new(hello.chain(pushes)).keep_alive(KeepAlive::default())
}
