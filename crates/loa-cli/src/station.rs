//! `loa station`: the station directory and whose keys are trusted.

use crate::ctx::{lines, open, Ctx};
use anyhow::Result;
use clap::{Args, Subcommand};
use loa_core::base::limits::{self, ImportKind};
use loa_core::broadcast::station;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum StationCmd {
    /// List stations; the search also finds pre-2025 names.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long, value_parser = ["province", "commune"])]
        level: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Show one station with its former units.
    Show { id: i64 },
    /// Import the 2025 administrative units (merges.json) as stations.
    ImportAdminUnits(ImportAdmin),
    /// Trust a station's public key file (check its key id by phone first).
    Trust {
        id: i64,
        #[arg(long)]
        key: PathBuf,
        /// Replacing the station's trusted key: the new key id's last
        /// group, as read back by phone.
        #[arg(long = "replace", value_name = "LAST-GROUP")]
        replace: Option<String>,
    },
    /// Stop trusting a station's key.
    Untrust { id: i64 },
}

#[derive(Args)]
pub struct ImportAdmin {
    pub file: PathBuf,
    /// Only this province (code such as 48, or name without diacritics).
    #[arg(long)]
    pub province: Option<String>,
}

pub fn run(cmd: StationCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    if let StationCmd::Trust { id, key, replace } = &cmd {
        return crate::broadcast::trust(*id, key, replace.as_deref(), data_dir, ctx);
    }
    let (mut db, _) = open(data_dir)?;
    match cmd {
        StationCmd::Trust { .. } => unreachable!("handled above"),
        StationCmd::Untrust { id } => {
            let s = station::untrust(&mut db, id)?;
            ctx.print(&s, || s.summary.name.clone())
        }
        StationCmd::List {
            search,
            level,
            limit,
        } => {
            let level = match level.as_deref() {
                Some("province") => Some(station::StationLevel::Province),
                Some("commune") => Some(station::StationLevel::Commune),
                _ => None,
            };
            let list = station::list(
                &db,
                &station::StationQuery {
                    search,
                    level,
                    limit: Some(limit),
                },
            )?;
            ctx.print(&list, || {
                lines(l, &list, |s| {
                    let alias = s
                        .matched_alias
                        .as_ref()
                        .map(|a| {
                            let m = l.get("station-matched-alias", &[("name", a.clone())]);
                            format!("  ({m})")
                        })
                        .unwrap_or_default();
                    format!(
                        "{:>5}  {:<6} {}{}",
                        s.id,
                        s.admin_code.as_deref().unwrap_or(""),
                        s.name,
                        alias
                    )
                })
            })
        }
        StationCmd::Show { id } => {
            let d = station::get(&db, id)?;
            ctx.print(&d, || {
                let mut out = vec![
                    d.summary.name.clone(),
                    format!(
                        "{}: {}",
                        l.get("station-code", &[]),
                        d.summary.admin_code.as_deref().unwrap_or("")
                    ),
                ];
                if let Some(p) = &d.summary.parent_name {
                    out.push(format!("{}: {p}", l.get("station-parent", &[])));
                }
                out.push(format!("{}:", l.get("station-aliases", &[])));
                for a in &d.aliases {
                    let kind = l.get(&format!("station-merge-{}", a.merge_type), &[]);
                    out.push(format!("  {} {} ({kind})", a.old_code, a.name));
                }
                out.join("\n")
            })
        }
        StationCmd::ImportAdminUnits(args) => {
            let json = limits::read_text(&args.file, ImportKind::AdminUnits)?;
            let s = station::import_admin_units(&mut db, &json, args.province.as_deref())?;
            ctx.print(&s, || {
                format!("{} + {} ({} aliases)", s.provinces, s.communes, s.aliases)
            })
        }
    }
}

/// Whether the command may change the data folder (see `main::writes`).
pub fn writes(cmd: &StationCmd) -> bool {
    !matches!(cmd, StationCmd::List { .. } | StationCmd::Show { .. })
}
