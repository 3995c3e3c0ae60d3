//! `loa`: Loa Studio without a window, on the same data as the app. One
//! module per area, each with its commands and what they do; here only the
//! command line's shape and who may write the data folder.

mod audio;
mod backup;
mod bench;
mod broadcast;
mod ctx;
mod draft;
mod hub;
mod lock;
mod setup;
mod speech;
mod station;
mod take;
mod translate;
mod update;

use anyhow::Result;
use clap::{Parser, Subcommand};
use ctx::Ctx;
use loa_core::base::i18n::{self, Localizer};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "loa",
    version,
    about = "Loa Studio command line: scripts, glossary, stations and more, on the app's own data."
)]
struct Cli {
    /// Data folder (default: LOA_DATA_DIR, else the per-user app data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Message language: vi or en (default: from LANG, else vi). `--lang`
    /// is the language of content (translations, takes, packages).
    #[arg(long = "ui-lang", global = true, value_name = "LANG")]
    ui_lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Create or upgrade the database; --demo also loads the demo data.
    Init(setup::InitArgs),
    /// Show the data folder, schema version and counts.
    Info,
    /// Broadcast scripts.
    #[command(subcommand)]
    Script(draft::ScriptCmd),
    /// The multilingual glossary.
    #[command(subcommand)]
    Glossary(translate::GlossaryCmd),
    /// Script templates.
    #[command(subcommand)]
    Template(draft::TemplateCmd),
    /// Translation memory.
    #[command(subcommand)]
    Tm(translate::TmCmd),
    /// Translate scripts segment by segment.
    #[command(subcommand)]
    Translate(translate::TranslateCmd),
    /// Check a script's translation: terms, numbers, untranslated segments…
    /// Exits with 1 when an error is found.
    Qa(translate::QaArgs),
    /// The station directory.
    #[command(subcommand)]
    Station(station::StationCmd),
    /// Readings (takes) of scripts.
    #[command(subcommand)]
    Take(take::TakeCmd),
    /// Groups of stations to address packages to.
    #[command(subcommand)]
    Group(broadcast::GroupCmd),
    /// This station's signing key.
    #[command(subcommand)]
    Key(broadcast::KeyCmd),
    /// Signed broadcast packages: build, verify, import.
    #[command(subcommand)]
    Package(broadcast::PackageCmd),
    /// The broadcast week: slots, placing items, iCalendar and player export.
    #[command(subcommand)]
    Schedule(broadcast::ScheduleCmd),
    /// What aired: mark items or import a player's log.
    #[command(subcommand)]
    Airlog(broadcast::AirlogCmd),
    /// The period report: figures, or XLSX/DOCX with --format and --out.
    Report(broadcast::ReportArgs),
    /// User settings.
    #[command(subcommand)]
    Settings(setup::SettingsCmd),
    /// Benchmarks against a named peer, run side by side (build with --release).
    #[command(subcommand)]
    Bench(bench::BenchCmd),
    /// Measure and render audio for broadcast.
    #[command(subcommand)]
    Audio(audio::AudioCmd),
    /// Whisper models installed on this PC.
    #[command(subcommand)]
    Model(speech::ModelCmd),
    /// Back up the whole station, or restore it on another PC.
    #[command(subcommand)]
    Backup(backup::BackupCmd),
    /// Transcribe speech in an audio file with Whisper (offline).
    Transcribe(speech::TranscribeArgs),
    /// Transcribe a reading and check it against its script: each sentence
    /// read, differs or missing, words added, and a score.
    CheckReading(speech::CheckReadingArgs),
    /// Install a newer Loa Studio from a `.loaupdate` file signed by the
    /// project's release key (offline, e.g. from a USB stick).
    Update(update::UpdateArgs),
    /// This station's link to the province hub.
    #[command(subcommand)]
    Hub(hub::HubCmd),
    /// For whoever makes releases: the release key and signed updates.
    #[command(subcommand)]
    Release(update::ReleaseCmd),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = loa_core::base::clock::init_from_env() {
        eprintln!("loa: {e}");
        return ExitCode::from(2);
    }
    let lang = i18n::pick_lang(
        cli.ui_lang
            .as_deref()
            .or(std::env::var("LANG").ok().as_deref()),
    );
    let ctx = Ctx {
        json: cli.json,
        l10n: Localizer::new(lang),
    };
    match run(cli, &ctx) {
        Ok(()) => ExitCode::SUCCESS,
        // The issues are already printed; the exit code tells scripts.
        Err(e) if e.is::<translate::QaFailed>() || e.is::<broadcast::NotValid>() => {
            ExitCode::FAILURE
        }
        Err(e) => {
            ctx::report(&ctx, &e);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, ctx: &Ctx) -> Result<()> {
    // Held until the command ends.
    let _lock = lock::for_command(&cli.command, cli.data_dir.clone())?;
    let dir = cli.data_dir;
    match cli.command {
        Command::Init(a) => setup::init(a, dir, ctx),
        Command::Info => setup::info(dir, ctx),
        Command::Settings(c) => setup::settings(c, dir, ctx),
        Command::Script(c) => draft::script(c, dir, ctx),
        Command::Template(c) => draft::template(c, dir, ctx),
        Command::Glossary(c) => translate::glossary(c, dir, ctx),
        Command::Tm(c) => translate::tm(c, dir, ctx),
        Command::Translate(c) => translate::translate(c, dir, ctx),
        Command::Qa(a) => translate::qa(a, dir, ctx),
        Command::Audio(c) => audio::run(c, dir, ctx),
        Command::Take(c) => take::run(c, dir, ctx),
        Command::Model(c) => speech::model(c, dir, ctx),
        Command::Transcribe(a) => speech::transcribe(a, dir, ctx),
        Command::CheckReading(a) => speech::check_reading(a, dir, ctx),
        Command::Station(c) => station::run(c, dir, ctx),
        Command::Group(c) => broadcast::group(c, dir, ctx),
        Command::Key(c) => broadcast::key(c, dir, ctx),
        Command::Package(c) => broadcast::package(c, dir, ctx),
        Command::Schedule(c) => broadcast::schedule(c, dir, ctx),
        Command::Airlog(c) => broadcast::airlog(c, dir, ctx),
        Command::Report(a) => broadcast::report(a, dir, ctx),
        Command::Backup(c) => backup::run(c, dir, ctx),
        Command::Bench(c) => bench::run(c, dir, ctx),
        Command::Update(a) => update::run(a, dir, ctx),
        Command::Hub(c) => hub::run(c, dir, ctx),
        Command::Release(c) => update::release(c, ctx),
    }
}
