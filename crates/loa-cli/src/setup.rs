//! `loa init`, `loa info` and `loa settings`: the data folder and the user's
//! settings.

use crate::ctx::{open, Ctx};
use anyhow::Result;
use clap::{Args, Subcommand};
use loa_core::base::settings;
use std::path::PathBuf;

#[derive(Args)]
pub struct InitArgs {
    #[arg(long)]
    pub demo: bool,
}

#[derive(Subcommand)]
pub enum SettingsCmd {
    /// Show the settings.
    Show,
    /// Change settings.
    Set {
        #[arg(long = "ui-lang", value_parser = ["vi", "en"])]
        ui_lang: Option<String>,
        #[arg(long)]
        user_name: Option<String>,
        /// Station id of this PC (see `loa station list`).
        #[arg(long)]
        station: Option<i64>,
        /// Vietnamese reading rate, syllables per minute (60–250).
        #[arg(long)]
        reading_rate: Option<u32>,
    },
}

pub fn init(args: InitArgs, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let InitArgs { demo } = args;
    let (mut db, dir) = open(data_dir)?;
    let version = db.schema_version()?;
    // The whole station directory, as the app loads it in a new folder.
    let directory = loa_core::broadcast::station::ensure_directory(&mut db)?;
    let seeded = if demo {
        Some(loa_core::demo::seed(&mut db)?)
    } else {
        None
    };
    let out = serde_json::json!({
        "dataDir": dir.display().to_string(),
        "schemaVersion": version,
        "demo": seeded,
        "directory": directory,
    });
    ctx.print(&out, || {
        let mut lines = vec![l.get(
            "cli-init-done",
            &[
                ("path", dir.display().to_string()),
                ("version", version.to_string()),
            ],
        )];
        if let Some(d) = &directory {
            lines.push(l.get(
                "cli-directory-loaded",
                &[
                    ("provinces", d.provinces.to_string()),
                    ("communes", d.communes.to_string()),
                ],
            ));
        }
        match &seeded {
            Some(s) if s.already_seeded => lines.push(l.get("cli-demo-already", &[])),
            Some(s) => lines.push(l.get(
                "cli-demo-seeded",
                &[
                    ("scripts", s.scripts.to_string()),
                    ("concepts", s.concepts.to_string()),
                    ("stations", s.stations.to_string()),
                ],
            )),
            None => {}
        }
        lines.join("\n")
    })
}

pub fn info(data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let (db, dir) = open(data_dir)?;
    let o = loa_core::overview(&db, &dir)?;
    ctx.print(&o, || {
        format!(
            "Loa Studio {}\n{}\nschema {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
            o.version,
            l.get("home-data-dir", &[("path", o.data_dir.clone())]),
            o.schema_version,
            l.get("home-stat-scripts", &[]),
            o.scripts,
            l.get("home-stat-concepts", &[]),
            o.concepts,
            l.get("home-stat-stations", &[]),
            o.stations,
            l.get("home-stat-languages", &[]),
            o.languages
        )
    })
}

pub fn settings(cmd: SettingsCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let (mut db, _) = open(data_dir)?;
    let s = match cmd {
        SettingsCmd::Show => settings::load(&db)?,
        SettingsCmd::Set {
            ui_lang,
            user_name,
            station,
            reading_rate,
        } => settings::update(
            &mut db,
            &settings::SettingsPatch {
                ui_lang,
                user_name,
                station_id: station,
                reading_rate,
                ..Default::default()
            },
        )?,
    };
    ctx.print(&s, || {
        format!(
            "{}: {}\n{}: {}\n{}: {}",
            l.get("settings-language", &[]),
            s.ui_lang,
            l.get("settings-user-name", &[]),
            s.user_name,
            l.get("settings-station", &[]),
            s.station_id.map(|i| i.to_string()).unwrap_or_default()
        )
    })
}

/// Whether the command may change the data folder (see `main::writes`).
pub fn settings_writes(cmd: &SettingsCmd) -> bool {
    !matches!(cmd, SettingsCmd::Show)
}
