//! `loa take`: the readings of a script, for building packages headless.

use crate::ctx::{lines, open, Ctx};
use anyhow::Result;
use clap::Subcommand;
use loa_core::record::recording;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum TakeCmd {
    /// Add an audio file (WAV, MP3, FLAC, OGG, M4A) as a take of a script.
    Import {
        file: PathBuf,
        #[arg(long)]
        script: i64,
        /// Language read (ISO 639-3).
        #[arg(long = "reading-lang", default_value = "vie")]
        reading_lang: String,
        /// Also choose it as the take that goes on air.
        #[arg(long)]
        choose: bool,
    },
    /// Takes of a script in a language; * marks the chosen one.
    List {
        #[arg(long)]
        script: i64,
        #[arg(long = "reading-lang", default_value = "vie")]
        reading_lang: String,
    },
    /// Choose the take that goes on air for its script and language.
    Choose { id: i64 },
}

pub fn run(cmd: TakeCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let (mut db, dir) = open(data_dir)?;
    match cmd {
        TakeCmd::Import {
            file,
            script,
            reading_lang,
            choose,
        } => {
            let bytes = loa_core::base::limits::read_file(
                &file,
                loa_core::base::limits::ImportKind::Audio,
            )?;
            let who = loa_core::base::settings::load(&db)?.user_name;
            let mut t = recording::import(
                &db,
                &dir,
                &recording::TakeImport {
                    script_id: script,
                    lang: reading_lang,
                    file_name: file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    bytes,
                },
                &who,
            )?;
            if choose {
                t = recording::choose(&mut db, t.id)?;
            }
            ctx.print(&t, || format!("{}  {:.1} s", t.id, t.seconds))
        }
        TakeCmd::List {
            script,
            reading_lang,
        } => {
            let list = recording::list(&db, script, &reading_lang)?;
            ctx.print(&list, || {
                lines(&ctx.l10n, &list, |t| {
                    format!(
                        "{:>4}{} {:.1} s  {}",
                        t.id,
                        if t.chosen { "*" } else { " " },
                        t.seconds,
                        t.name
                    )
                })
            })
        }
        TakeCmd::Choose { id } => {
            let t = recording::choose(&mut db, id)?;
            ctx.print(&t, || t.id.to_string())
        }
    }
}

/// Whether the command may change the data folder (see `main::writes`).
pub fn writes(cmd: &TakeCmd) -> bool {
    !matches!(cmd, TakeCmd::List { .. })
}
