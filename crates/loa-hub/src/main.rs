//! `loa-hub`: init the database, enrol stations, serve.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use loa_core::broadcast::network::Role;
use loa_hub::{api, auth, db, storage::FsStorage, Hub};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "loa-hub", version, about = "Loa Studio's province hub")]
struct Cli {
    /// postgres://user@host/db (default: LOA_HUB_DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the schema, or upgrade it to this version's.
    Init,
    /// Serve stations.
    Serve {
        /// Where package files are kept (shared by every hub process).
        #[arg(long)]
        storage: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: SocketAddr,
        /// The largest package accepted, in MB.
        #[arg(long, default_value_t = 2048)]
        max_upload_mb: u64,
    },
    /// Enrolled stations.
    #[command(subcommand)]
    Station(StationCmd),
}

#[derive(Subcommand)]
enum StationCmd {
    /// Enrol a station from its public key file (.loakey), after comparing
    /// its key id with the station by phone.
    Add {
        #[arg(long)]
        key: PathBuf,
        #[arg(long, value_parser = ["province", "commune"])]
        role: String,
    },
    /// List enrolled stations.
    List,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    loa_core::base::clock::init_from_env().map_err(anyhow::Error::msg)?;
    let url = cli
        .database_url
        .or_else(|| std::env::var("LOA_HUB_DATABASE_URL").ok())
        .context("give --database-url or set LOA_HUB_DATABASE_URL")?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(run(cli.command, &url))
}

async fn run(command: Command, url: &str) -> Result<()> {
    match command {
        Command::Init => {
            let pool = db::pool(url, 2)?;
            let v = db::migrate(&pool).await?;
            println!("schema version {v}");
            Ok(())
        }
        Command::Station(StationCmd::Add { key, role }) => {
            let pool = db::pool(url, 2)?;
            let text = loa_core::base::limits::read_text(
                &key,
                loa_core::base::limits::ImportKind::KeyFile,
            )?;
            let info = loa_core::broadcast::key::parse_text(&text)?;
            let role = Role::parse(&role).context("role")?;
            let client = pool.get().await?;
            client
                .execute(
                    "INSERT INTO stations (key_id, public_key, name, admin_code, role)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (key_id) DO UPDATE SET name = $3, admin_code = $4, role = $5",
                    &[
                        &info.key_id,
                        &info.public_key,
                        &info.station,
                        &info.admin_code,
                        &role.as_str(),
                    ],
                )
                .await?;
            println!(
                "enrolled {} ({}) as {}, key id {}",
                info.station,
                info.admin_code,
                role.as_str(),
                info.key_id
            );
            Ok(())
        }
        Command::Station(StationCmd::List) => {
            let pool = db::pool(url, 2)?;
            let client = pool.get().await?;
            for r in client
                .query(
                    "SELECT key_id, name, admin_code, role, last_seen::text FROM stations ORDER BY name",
                    &[],
                )
                .await?
            {
                let seen: Option<String> = r.get(4);
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    r.get::<_, String>(0),
                    r.get::<_, String>(1),
                    r.get::<_, String>(2),
                    r.get::<_, String>(3),
                    seen.unwrap_or_else(|| "-".into())
                );
            }
            Ok(())
        }
        Command::Serve {
            storage,
            listen,
            max_upload_mb,
        } => {
            let pool = db::pool(url, 16)?;
            let v = db::version(&pool).await?;
            if v != db::latest() {
                anyhow::bail!(
                    "the database's schema is at version {v}, this hub needs {}: run `loa-hub init`",
                    db::latest()
                );
            }
            let hub = Hub {
                db: pool,
                storage: Arc::new(FsStorage::open(&storage)?),
                max_upload: max_upload_mb * 1024 * 1024,
                events: loa_hub::events::channel(),
            };
            loa_hub::events::spawn_listener(url.to_string(), hub.clone());
            let sweeper = hub.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                    let _ = auth::forget_old_nonces(&sweeper).await;
                }
            });
            let listener = tokio::net::TcpListener::bind(listen).await?;
            eprintln!("loa-hub listening on http://{}", listener.local_addr()?);
            axum::serve(listener, api::router(hub))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
            Ok(())
        }
    }
}
