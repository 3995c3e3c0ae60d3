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
}

pub fn writes(cmd: &HubCmd) -> bool {
    !matches!(cmd, HubCmd::Status)
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
