//! `loa update FILE`: install a newer release from a `.loaupdate` on a USB
//! stick, only if the project's release key signed it; and `loa release`,
//! with which whoever makes releases signs them.

use crate::ctx::{Ctx, Progress};
use anyhow::Result;
use clap::{Args, Subcommand};
use loa_core::base::paths;
use loa_core::broadcast::key::StationKey;
use loa_core::update::{self, Expect, Install};
use std::path::PathBuf;

#[derive(Args)]
pub struct UpdateArgs {
    /// The `.loaupdate` file.
    #[arg(required_unless_present = "url")]
    file: Option<PathBuf>,
    /// Ask the office's update address (a static JSON) instead, and fetch
    /// the newer release it names.
    #[arg(long, conflicts_with = "file")]
    url: Option<String>,
    /// Only check and say what there is; install nothing.
    #[arg(long)]
    check: bool,
}

#[derive(Subcommand)]
pub enum ReleaseCmd {
    /// Make a release key: the private file (keep it offline, never in the
    /// repository) and its public half to build into the app.
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign an installer into a `.loaupdate`.
    Pack {
        /// The release key's private file.
        #[arg(long)]
        key: PathBuf,
        #[arg(long)]
        version: String,
        /// `windows-x86_64`, `linux-x86_64` (default: this PC's).
        #[arg(long)]
        platform: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
        /// Release date, YYYY-MM-DD.
        #[arg(long, default_value = "")]
        released: String,
        #[arg(long)]
        out: PathBuf,
        installer: PathBuf,
    },
}

pub fn run(a: UpdateArgs, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let expect = Expect::this_build();
    let file = match (a.file, a.url) {
        (Some(file), _) => file,
        (None, Some(url)) => {
            let found = loa_net::feed::check(&url, &expect.version)?;
            let feed = match found {
                Some(f) if !a.check && !f.url.is_empty() => f,
                other => {
                    return ctx.print(&other, || match &other {
                        Some(f) => l.get(
                            "cli-update-available",
                            &[("version", f.version.clone()), ("notes", f.notes.clone())],
                        ),
                        None => l.get("cli-update-none", &[("version", expect.version.clone())]),
                    })
                }
            };
            let dir = paths::resolve_data_dir(data_dir.clone())?;
            let mut bar = Progress::new(ctx, "cli-progress-download");
            loa_net::feed::download(&feed.url, &dir, &mut |d, t| {
                bar.set(d as f32 / t.max(1) as f32)
            })?
        }
        (None, None) => anyhow::bail!("give a .loaupdate file or --url"),
    };
    let mut bar = Progress::new(ctx, "cli-progress-update");
    let mut progress = |done: u64, total: u64| bar.set(done as f32 / total.max(1) as f32);
    if a.check {
        let info = update::inspect(&file, &expect, &mut progress)?;
        drop(bar);
        return ctx.print(&info, || {
            l.get(
                "cli-update-checked",
                &[
                    ("version", info.manifest.version.clone()),
                    ("current", info.current.clone()),
                    ("keyId", info.key_id.clone()),
                    ("notes", info.manifest.notes.clone()),
                ],
            )
        });
    }
    let dir = paths::resolve_data_dir(data_dir)?;
    let staged = update::stage(&file, &dir, &expect, &mut progress)?;
    drop(bar);
    let how = update::install(&staged)?;
    ctx.print(&how, || match &how {
        Install::Started { .. } => l.get(
            "cli-update-started",
            &[("version", staged.info.manifest.version.clone())],
        ),
        Install::Manual { command, .. } => l.get(
            "cli-update-manual",
            &[
                ("version", staged.info.manifest.version.clone()),
                ("command", command.clone()),
            ],
        ),
    })
}

pub fn release(cmd: ReleaseCmd, ctx: &Ctx) -> Result<()> {
    match cmd {
        ReleaseCmd::Keygen { out } => {
            let k = StationKey::generate()?;
            k.save_new(&out)?;
            let shown = serde_json::json!({ "keyId": k.key_id(), "publicKey": k.public_hex() });
            ctx.print(&shown, || {
                format!("key id: {}\npublic key: {}", k.key_id(), k.public_hex())
            })
        }
        ReleaseCmd::Pack {
            key,
            version,
            platform,
            notes,
            released,
            out,
            installer,
        } => {
            let signer = StationKey::load_file(&key)?
                .ok_or_else(|| anyhow::anyhow!("no key file at {}", key.display()))?;
            let platform = platform.unwrap_or_else(update::this_platform);
            let m = update::pack(
                &signer, &version, &platform, &notes, &released, &installer, &out,
            )?;
            ctx.print(&m, || {
                format!(
                    "{} {} {} ({} bytes, sha256 {})",
                    out.display(),
                    m.version,
                    m.platform,
                    m.size,
                    m.sha256
                )
            })
        }
    }
}
