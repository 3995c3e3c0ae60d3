//! The hub's PostgreSQL: the connection pool and versioned migrations.

use anyhow::{Context, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};

/// Migrations in order; the schema's version is how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_start.sql"),
    include_str!("../migrations/002_airlog_cursor.sql"),
    include_str!("../migrations/003_terminology.sql"),
    include_str!("../migrations/004_sets_per_signer.sql"),
];

pub fn pool(url: &str, size: usize) -> Result<Pool> {
    let config: tokio_postgres::Config = url.parse().context("database URL")?;
    let manager = Manager::from_config(
        config,
        tokio_postgres::NoTls,
        // A connection that broke (PostgreSQL restarted) is replaced on its
        // next use rather than handed out again.
        ManagerConfig {
            recycling_method: RecyclingMethod::Verified,
        },
    );
    // An unreachable PostgreSQL answers 503 within seconds, never holding
    // requests until their stations give up.
    Ok(Pool::builder(manager)
        .max_size(size)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(Some(std::time::Duration::from_secs(10)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        .recycle_timeout(Some(std::time::Duration::from_secs(5)))
        .build()?)
}

/// Creates or upgrades the schema; returns its version. Two hubs starting
/// at once take turns (an advisory lock), so each migration runs once.
pub async fn migrate(pool: &Pool) -> Result<usize> {
    let mut client = pool.get().await.context("connect to PostgreSQL")?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock(7277)", &[])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS hub_schema (version integer NOT NULL)")
        .await?;
    let row = tx.query_opt("SELECT version FROM hub_schema", &[]).await?;
    let current = match row {
        Some(r) => r.get::<_, i32>(0) as usize,
        None => {
            tx.execute("INSERT INTO hub_schema VALUES (0)", &[]).await?;
            0
        }
    };
    if current > MIGRATIONS.len() {
        anyhow::bail!(
            "the database's schema version {current} is newer than this hub ({})",
            MIGRATIONS.len()
        );
    }
    for sql in &MIGRATIONS[current..] {
        tx.batch_execute(sql).await?;
    }
    tx.execute(
        "UPDATE hub_schema SET version = $1",
        &[&(MIGRATIONS.len() as i32)],
    )
    .await?;
    tx.commit().await?;
    Ok(MIGRATIONS.len())
}

/// The schema version in the database (0 before `loa-hub init`).
pub async fn version(pool: &Pool) -> Result<usize> {
    let client = pool.get().await.context("connect to PostgreSQL")?;
    let exists: bool = client
        .query_one("SELECT to_regclass('hub_schema') IS NOT NULL", &[])
        .await?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client
        .query_opt("SELECT version FROM hub_schema", &[])
        .await?;
    Ok(row.map(|r| r.get::<_, i32>(0) as usize).unwrap_or(0))
}

/// How many migrations this hub knows.
pub fn latest() -> usize {
    MIGRATIONS.len()
}
