//! `loa backup`: the whole station in one file, and back into an empty
//! data folder on another PC.

use crate::ctx::{open, Ctx};
use anyhow::Result;
use clap::Subcommand;
use loa_core::{backup, base::paths};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum BackupCmd {
    /// Back up the database, takes, received packages and the station key.
    Create {
        /// A folder (a file named by the date is made there) or a new
        /// `.loabackup` file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into the data folder, which must hold no work yet.
    Restore { file: PathBuf },
    /// When the last backup was made, and whether one is due.
    Status,
}

/// Whether the command changes the data folder (and so takes its lock).
pub fn writes(cmd: &BackupCmd) -> bool {
    matches!(cmd, BackupCmd::Restore { .. })
}

pub fn run(cmd: BackupCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    match cmd {
        BackupCmd::Create { out } => {
            let (db, dir) = open(data_dir)?;
            let info = backup::create(&db, &dir, &out, &mut |_, _| true)?;
            ctx.print(&info, || {
                l.get(
                    "cli-backup-created",
                    &[
                        ("path", info.path.clone()),
                        ("mb", format!("{:.1}", info.bytes as f64 / 1e6)),
                        ("files", info.files.to_string()),
                    ],
                )
            })
        }
        BackupCmd::Restore { file } => {
            let dir = paths::resolve_data_dir(data_dir)?;
            let info = backup::restore(&file, &dir, &mut |_, _| true)?;
            ctx.print(&info, || {
                l.get(
                    "cli-backup-restored",
                    &[
                        ("station", info.station.clone()),
                        ("created", info.created.clone()),
                        ("path", dir.display().to_string()),
                    ],
                )
            })
        }
        BackupCmd::Status => {
            let (db, _) = open(data_dir)?;
            let s = backup::status(&db)?;
            ctx.print(&s, || match s.days_since {
                Some(d) => l.get("cli-backup-last", &[("days", d.to_string())]),
                None => l.get("cli-backup-never", &[]),
            })
        }
    }
}
