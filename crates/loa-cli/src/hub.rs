//! `loa hub`: this station's link to the province hub.

use crate::ctx::{open, Ctx, Progress};
use anyhow::Result;
use clap::Subcommand;
use loa_core::broadcast::hub;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum HubCmd {
    /// Set the hub's address (https://…); an empty address stops using one.
    Set { url: String },
    /// The hub's address, the last sync and what waits.
    Status,
    /// Send what waits, fetch and import what arrived, report receipts.
    Sync,
    /// For a province station: every station (last seen, version, free
    /// disk, silent ones marked) and every package's reach; with
    /// --package, where that package is, station by station.
    Network {
        #[arg(long, value_name = "SHA256")]
        package: Option<String>,
    },
}

pub fn writes(cmd: &HubCmd) -> bool {
    !matches!(cmd, HubCmd::Status | HubCmd::Network { .. })
}

pub fn run(cmd: HubCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let (mut db, dir) = open(data_dir)?;
    match cmd {
        HubCmd::Set { url } => {
            hub::set_url(&db, &url)?;
            status(&db, ctx)
        }
        HubCmd::Status => status(&db, ctx),
        HubCmd::Network { package: Some(sha) } => {
            let reach = loa_net::hub::client(&db, &dir)?.reach(&sha)?;
            ctx.print(&reach, || {
                crate::ctx::lines(l, &reach, |r| {
                    format!(
                        "{} ({})  {}  {}  {}",
                        r.name,
                        r.admin_code,
                        r.delivered.as_deref().unwrap_or("-"),
                        r.imported.as_deref().unwrap_or("-"),
                        r.aired
                            .iter()
                            .map(|a| a.at.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            })
        }
        HubCmd::Network { package: None } => {
            let net = loa_net::hub::client(&db, &dir)?.network()?;
            ctx.print(&net, || {
                let mut out = vec![crate::ctx::lines(l, &net.stations, |s| {
                    format!(
                        "{}{} ({})  {}  {}  {}",
                        if s.silent { "! " } else { "  " },
                        s.name,
                        s.admin_code,
                        s.last_seen.as_deref().unwrap_or("-"),
                        s.app_version,
                        s.pending
                    )
                })];
                out.push(crate::ctx::lines(l, &net.packages, |p| {
                    format!(
                        "{}  {}/{}/{}/{}  {}",
                        p.uploaded_at, p.recipients, p.delivered, p.imported, p.aired, p.title
                    )
                }));
                out.join("\n\n")
            })
        }
        HubCmd::Sync => {
            let mut bar = Progress::new(ctx, "cli-progress-sync");
            let done = loa_net::hub::sync(&mut db, &dir, &mut |f| bar.set(f))?;
            drop(bar);
            ctx.print(&done, || {
                l.get(
                    "cli-hub-synced",
                    &[
                        ("sent", done.sent.to_string()),
                        ("imported", done.imported.to_string()),
                        ("held", done.held.to_string()),
                        ("refused", done.refused.to_string()),
                        ("receipts", done.receipts.to_string()),
                    ],
                )
            })
        }
    }
}

fn status(db: &loa_core::Db, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let link = hub::link(db)?;
    ctx.print(&link, || {
        if link.url.is_empty() {
            return l.get("cli-hub-none", &[]);
        }
        l.get(
            "cli-hub-status",
            &[
                ("url", link.url.clone()),
                (
                    "error",
                    if link.last_error.is_empty() {
                        l.get("cli-hub-ok", &[])
                    } else {
                        link.last_error.clone()
                    },
                ),
                ("outbox", link.outbox.to_string()),
                ("waiting", link.waiting.to_string()),
                ("receipts", link.receipts.to_string()),
            ],
        )
    })
}
