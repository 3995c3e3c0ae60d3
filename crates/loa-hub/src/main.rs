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
    /// A province's load on a hub started for it, on loopback, in a new
    /// database it drops after (--database-url names a server where it may
    /// create one). nginx, when given, runs the same load as the peer.
    Bench {
        #[arg(long, default_value_t = 3321)]
        stations: usize,
        /// Polls per station.
        #[arg(long, default_value_t = 5)]
        rounds: u32,
        /// Seconds between a station's polls.
        #[arg(long, default_value_t = 60.0)]
        period: f64,
        /// Packages uploaded to everyone while they poll.
        #[arg(long, default_value_t = 50)]
        packages: usize,
        /// Size of the package downloaded, in MB.
        #[arg(long, default_value_t = 50)]
        mb: u32,
        #[arg(long, default_value_t = 5)]
        downloads: u32,
        /// nginx, the peer (Debian's: /usr/sbin/nginx).
        #[arg(long)]
        peer_nginx: Option<PathBuf>,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Shared terminology through this hub on loopback: a province shares
    /// a large glossary and memory, a new office's first sync takes it all,
    /// then edits travel; beside the same rows inserted straight.
    BenchSharing {
        #[arg(long, default_value_t = 50_000)]
        concepts: u32,
        #[arg(long, default_value_t = 100_000)]
        units: u32,
        #[arg(long, default_value_t = 100)]
        edits: u32,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
    },
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
        /// Let this station share its admin code with one already enrolled
        /// (two PCs of one station, said so by the province).
        #[arg(long)]
        share_code: bool,
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
        Command::Station(StationCmd::Add {
            key,
            role,
            share_code,
        }) => {
            let pool = db::pool(url, 2)?;
            let text = loa_core::base::limits::read_text(
                &key,
                loa_core::base::limits::ImportKind::KeyFile,
            )?;
            let info = loa_core::broadcast::key::parse_text(&text)?;
            let role = Role::parse(&role).context("role")?;
            let client = pool.get().await?;
            let known: Option<String> = client
                .query_opt(
                    "SELECT public_key FROM stations WHERE key_id = $1",
                    &[&info.key_id],
                )
                .await?
                .map(|r| r.get(0));
            if known.is_some_and(|k| !k.eq_ignore_ascii_case(&info.public_key)) {
                anyhow::bail!(
                    "key id {} is enrolled with another public key: refused (a station with a new key enrols under its new key id)",
                    info.key_id
                );
            }
            let holders: Vec<String> = client
                .query(
                    "SELECT name FROM stations WHERE admin_code = $1 AND admin_code <> '' AND key_id <> $2",
                    &[&info.admin_code, &info.key_id],
                )
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            if !holders.is_empty() && !share_code {
                anyhow::bail!(
                    "admin code {} is already held by {}: refused (add --share-code if both PCs are that station)",
                    info.admin_code,
                    holders.join(", ")
                );
            }
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
        Command::Bench {
            stations,
            rounds,
            period,
            packages,
            mb,
            downloads,
            peer_nginx,
            json,
        } => {
            let r = loa_hub::bench::run(
                url,
                loa_hub::bench::Options {
                    stations,
                    rounds,
                    period: std::time::Duration::from_secs_f64(period.max(0.01)),
                    packages,
                    mb,
                    downloads,
                    nginx: peer_nginx,
                },
            )
            .await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                print_bench(&r);
            }
            Ok(())
        }
        Command::BenchSharing {
            concepts,
            units,
            edits,
            json,
        } => {
            let r = loa_hub::bench::terminology::run(url, concepts, units, edits).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!(
                    "{} concepts ({} terms) and {} memory units through the hub: {} signed changes\n\
                     province's first sync (record, sign, push): {:.2} s\n\
                     new office's first sync (pull, verify, apply): {:.2} s\n\
                     same rows inserted straight (peer):            {:.2} s\n\
                     ratio: the first sync takes {:.1}x the time of a plain insert\n\
                     {} edits, province sync to office sync done:  {:.0} ms ({} arrived; term index {})",
                    r.concepts,
                    r.terms,
                    r.units,
                    r.changes,
                    r.share_seconds,
                    r.first_sync_seconds,
                    r.peer_insert_seconds,
                    r.ratio,
                    r.edits,
                    r.edits_ms,
                    r.edits_arrived,
                    if r.term_index_rebuilt { "REBUILT" } else { "updated, not rebuilt" }
                );
            }
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

fn print_bench(r: &loa_hub::bench::Report) {
    let p = &r.poll;
    let opt = |v: Option<f64>, unit: &str| {
        v.map(|v| format!("{v:.1}{unit}"))
            .unwrap_or_else(|| "-".into())
    };
    println!(
        "{} stations polling every {:.0} s, {} rounds, {} packages uploaded meanwhile",
        r.stations, p.period_secs, p.rounds, p.packages
    );
    println!(
        "  hub:    {} polls, {} failed, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; hub CPU {} of a core, machine {}",
        p.hub.requests,
        p.hub.errors,
        p.hub.p50_ms,
        p.hub.p99_ms,
        p.hub.max_ms,
        opt(p.hub_cpu_percent, " %"),
        opt(p.machine_cpu_percent, " %")
    );
    if let Some(n) = &p.nginx {
        println!(
            "  nginx (static file, peer): {} polls, {} failed, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            n.requests, n.errors, n.p50_ms, n.p99_ms, n.max_ms
        );
    }
    println!(
        "  ratio: hub p99 is {}x nginx's; {} of {} stations listed every package; uploads p50 {:.0} ms, p99 {:.0} ms ({} failed)",
        opt(p.p99_ratio, ""),
        p.stations_with_all,
        r.stations,
        p.uploads.p50_ms,
        p.uploads.p99_ms,
        p.uploads.errors
    );
    let s = &r.push;
    println!(
        "push: {} stations connected, {} heard the emergency ({} within 5 s): p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        s.connected, s.heard, s.heard_within_5s, s.p50_ms, s.p99_ms, s.max_ms
    );
    let d = &r.download;
    println!(
        "download of {:.0} MB: hub {:.0} MB/s, nginx {}; ratio: {}",
        d.megabytes,
        d.hub_mb_per_s,
        opt(d.nginx_mb_per_s, " MB/s"),
        d.ratio
            .map(|r| format!("the hub gives {:.0} % of nginx's throughput", r * 100.0))
            .unwrap_or_else(|| "- (give --peer-nginx to compare)".into())
    );
}
