//! `loa-hub bench-sharing`: issue 18's figures through a real hub on
//! loopback. A province office holding a large glossary and memory shares
//! them (its first sync seals and pushes every change); a new office joins
//! and takes them all in its first sync (pulled page by page, each set's
//! signature checked, applied); then edits at the province reach the new
//! office, timed from the province's sync to the end of the office's. The
//! peer is the same rows written straight into an empty database on disk.

use super::{create_database, drop_database, enrol, scratch_dir, wait_healthy, HubProcess};
use crate::db;
use anyhow::{ensure, Result};
use loa_core::base::store::Db;
use loa_core::bench;
use loa_core::broadcast::{hub, key::StationKey};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharingReport {
    pub concepts: u32,
    pub terms: u32,
    pub units: u32,
    /// Terminology changes the province's first sync sent.
    pub changes: u32,
    /// The province's first sync: everything recorded, signed and pushed.
    pub share_seconds: f64,
    /// The new office's first sync: every set pulled, checked and applied.
    pub first_sync_seconds: f64,
    /// The peer: the same rows inserted straight into an empty database.
    pub peer_insert_seconds: f64,
    /// First sync ÷ plain insert.
    pub ratio: f64,
    pub edits: u32,
    /// From the province's sync after the edits to the end of the office's
    /// next sync, in milliseconds.
    pub edits_ms: f64,
    pub edits_arrived: u32,
    /// Whether term recognition at the office rebuilt its index to take the
    /// edits in (it must not).
    pub term_index_rebuilt: bool,
}

pub async fn run(admin_url: &str, concepts: u32, units: u32, edits: u32) -> Result<SharingReport> {
    let work = scratch_dir()?;
    let url = create_database(admin_url).await?;
    let result = measure(&url, &work, concepts, units, edits).await;
    drop_database(admin_url, &url).await;
    let _ = std::fs::remove_dir_all(&work);
    result
}

struct Office {
    dir: PathBuf,
    db: Db,
}

impl Office {
    fn open(dir: PathBuf) -> Result<Office> {
        let db = Db::open_dir(&dir)?;
        Ok(Office { dir, db })
    }

    fn key(&self) -> Result<StationKey> {
        Ok(StationKey::own(&self.db, &self.dir)?)
    }

    /// One sync, as the app's background thread runs it.
    fn sync(&mut self) -> Result<loa_net::hub::Synced> {
        Ok(loa_net::hub::sync(&mut self.db, &self.dir, &mut |_| true)?)
    }
}

async fn measure(
    url: &str,
    work: &Path,
    concepts: u32,
    units: u32,
    edits: u32,
) -> Result<SharingReport> {
    let pool = db::pool(url, 2)?;
    db::migrate(&pool).await?;
    let mut province = Office::open(work.join("province"))?;
    let mut office = Office::open(work.join("office"))?;
    enrol(&pool, &province.key()?, &[office.key()?]).await?;
    let hub_process = HubProcess::start(url, work)?;
    wait_healthy(hub_process.addr).await?;
    let base = format!("http://{}", hub_process.addr);
    for o in [&province, &office] {
        hub::set_url(&o.db, &base)?;
    }
    let peer_dir = work.join("peer");

    // The syncs are blocking (the app runs them on a job thread).
    let report = tokio::task::spawn_blocking(move || -> Result<SharingReport> {
        let seed = bench::sharing_seed(concepts, units);
        bench::insert_seed(&mut province.db, &seed)?;

        let t = Instant::now();
        let shared = province.sync()?;
        let share_seconds = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let taken = office.sync()?;
        let first_sync_seconds = t.elapsed().as_secs_f64();
        ensure!(
            taken.changes_received == shared.changes_sent,
            "the office took {} of {} changes",
            taken.changes_received,
            shared.changes_sent
        );

        let peer_insert_seconds = bench::insert_seed(&mut Db::open_dir(&peer_dir)?, &seed)?;

        // Term recognition is in use at the office when the edits arrive.
        let _ = office.db.term_index("ktv")?;
        let builds = office.db.index_rebuilds();
        bench::edit_terms(&mut province.db, edits)?;
        let t = Instant::now();
        province.sync()?;
        office.sync()?;
        let edits_ms = t.elapsed().as_secs_f64() * 1000.0;
        let _ = office.db.term_index("ktv")?;
        let term_index_rebuilt = office.db.index_rebuilds() != builds;
        let (terms, edits_arrived) = bench::terms_and_edits(&office.db)?;
        Ok(SharingReport {
            concepts,
            terms,
            units,
            changes: shared.changes_sent,
            share_seconds,
            first_sync_seconds,
            peer_insert_seconds,
            ratio: first_sync_seconds / peer_insert_seconds.max(1e-9),
            edits,
            edits_ms,
            edits_arrived,
            term_index_rebuilt,
        })
    })
    .await??;
    drop(hub_process);
    Ok(report)
}
