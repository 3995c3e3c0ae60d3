//! `loa key`, `loa package`, `loa schedule`, `loa airlog`, `loa report`,
//! `loa group` and the trust commands of `loa station`: the end of the chain,
//! from a signed package to the half-year report.

use crate::ctx::{lines, open, Ctx, Progress};
use anyhow::Result;
use clap::{Args, Subcommand};
use loa_core::broadcast::key;
use loa_core::broadcast::package::{self, BuildRequest, Direction, Profile};
use loa_core::broadcast::report::{self, ReportFormat, ReportQuery};
use loa_core::draft::script::Priority;
use loa_core::{
    base::calendar, broadcast::airlog, broadcast::group, broadcast::player_export,
    broadcast::schedule, broadcast::station, CoreError,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum KeyCmd {
    /// This station's key id (made on first use), to read out by phone.
    Show,
    /// Write the public key to a file to give to receiving stations.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum GroupCmd {
    /// Groups of stations and their members.
    List,
    /// Create or replace a group with these stations.
    Set {
        name: String,
        #[arg(long = "station", required = true)]
        stations: Vec<i64>,
    },
    Delete {
        id: i64,
    },
}

#[derive(Subcommand)]
pub enum PackageCmd {
    /// Render, sign and write a package of approved scripts.
    Build(BuildArgs),
    /// Check a package without importing it. Exit code 0 only when it is
    /// intact, in date and signed by a trusted station.
    Verify { file: PathBuf },
    /// Verify and import a package into the library.
    Import { file: PathBuf },
    /// Trust the key that signed this package, after reading its key id back
    /// with the issuer by phone.
    Trust {
        file: PathBuf,
        #[arg(long = "key-id")]
        key_id: String,
        /// Replacing the station's trusted key: the new key id's last group.
        #[arg(long = "replace", value_name = "LAST-GROUP")]
        replace: Option<String>,
    },
    /// Packages received (or, with --sent, built here).
    List {
        #[arg(long)]
        sent: bool,
    },
    /// One package with its items.
    Show { id: i64 },
    /// Queue a package file this station built to go out through the
    /// province hub; `loa hub sync` (or the app) sends it when the hub is
    /// reachable.
    Send { file: PathBuf },
}

#[derive(Args)]
pub struct BuildArgs {
    #[arg(long = "script", required = true)]
    scripts: Vec<i64>,
    /// Languages to include (default: every language with a chosen take).
    #[arg(long = "lang")]
    langs: Vec<String>,
    /// A .loa file, or a folder to make one in.
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    title: Option<String>,
    #[arg(long, default_value_t = 14)]
    valid_days: u32,
    /// YYYY-MM-DD (default today).
    #[arg(long)]
    valid_from: Option<String>,
    #[arg(long, value_parser = ["normal", "priority", "emergency"])]
    priority: Option<String>,
    /// Suggested daily slot, HH:MM (repeatable).
    #[arg(long = "slot")]
    slots: Vec<String>,
    #[arg(long = "target-station")]
    target_stations: Vec<i64>,
    #[arg(long = "target-group")]
    target_groups: Vec<i64>,
    #[arg(long, value_parser = ["speaker", "fm"], default_value = "speaker")]
    profile: String,
    /// One package per language (attachment limits).
    #[arg(long)]
    split: bool,
}

#[derive(Subcommand)]
pub enum ScheduleCmd {
    /// The daily broadcast slots.
    Slots,
    /// Place a received package's items in its suggested slots on each valid day.
    Place {
        package: i64,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
    /// Put an item on air now (emergencies).
    Now { item: i64 },
    /// The week's schedule (default this week).
    Show {
        #[arg(long)]
        week: Option<String>,
    },
    /// Write the week as iCalendar or as a player folder (numbered MP3s + M3U).
    Export {
        #[arg(long)]
        week: String,
        #[arg(long, value_parser = ["ics", "m3u"])]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum AirlogCmd {
    /// Mark a scheduled entry (or an item) as aired.
    Add {
        #[arg(long)]
        entry: Option<i64>,
        #[arg(long)]
        item: Option<i64>,
        /// YYYY-MM-DD HH:MM (default: the scheduled time, else now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        seconds: Option<f64>,
    },
    /// Import a player's or IP platform's CSV log (columns: time, file or
    /// title, optional duration and station).
    Import { file: PathBuf },
    List {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

#[derive(Args)]
pub struct ReportArgs {
    #[arg(long)]
    from: String,
    #[arg(long)]
    to: String,
    /// Limit to these stations (repeatable; default all).
    #[arg(long = "station")]
    stations: Vec<i64>,
    /// Without --format, the figures are printed.
    #[arg(long, value_parser = ["xlsx", "docx"], requires = "out")]
    format: Option<String>,
    #[arg(long)]
    out: Option<PathBuf>,
}

/// `loa package verify` found the package not valid or not trusted; the
/// reason is already printed.
#[derive(Debug)]
pub struct NotValid;

impl std::fmt::Display for NotValid {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("package not valid")
    }
}

impl std::error::Error for NotValid {}

pub fn key(cmd: KeyCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let (db, dir) = open(data_dir)?;
    let info = loa_core::broadcast::station::own_key_info(&db, &dir)?;
    let name = info.station.clone();
    match cmd {
        KeyCmd::Show => ctx.print(&info, || {
            ctx.l10n.get(
                "cli-key-id",
                &[("id", info.key_id.clone()), ("station", name.clone())],
            )
        }),
        KeyCmd::Export { out } => {
            loa_core::base::files::write_atomically(&out, key::export_text(&info).as_bytes())?;
            ctx.print(&info, || out.display().to_string())
        }
    }
}

pub fn trust(
    id: i64,
    key_file: &Path,
    replace: Option<&str>,
    data_dir: Option<PathBuf>,
    ctx: &Ctx,
) -> Result<()> {
    let (mut db, _) = open(data_dir)?;
    let text =
        loa_core::base::limits::read_text(key_file, loa_core::base::limits::ImportKind::KeyFile)?;
    let info = key::parse_text(&text)?;
    let s = station::trust(&mut db, id, &info, replace)?;
    ctx.print(&s, || {
        ctx.l10n.get(
            "cli-trusted",
            &[
                ("station", s.summary.name.clone()),
                ("id", info.key_id.clone()),
            ],
        )
    })
}

pub fn group(cmd: GroupCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let (mut db, _) = open(data_dir)?;
    match cmd {
        GroupCmd::List => {
            let list = group::list(&db)?;
            ctx.print(&list, || {
                lines(&ctx.l10n, &list, |g| {
                    let names: Vec<&str> = g.members.iter().map(|m| m.name.as_str()).collect();
                    format!("{:>4}  {} ({})", g.id, g.name, names.join(", "))
                })
            })
        }
        GroupCmd::Set { name, stations } => {
            let existing = group::list(&db)?
                .into_iter()
                .find(|g| loa_core::base::text::fold(&g.name) == loa_core::base::text::fold(&name));
            let g = group::save(
                &mut db,
                &group::GroupSave {
                    id: existing.map(|g| g.id),
                    name,
                    station_ids: stations,
                },
            )?;
            ctx.print(&g, || {
                format!("{:>4}  {} ({})", g.id, g.name, g.members.len())
            })
        }
        GroupCmd::Delete { id } => {
            group::delete(&db, id)?;
            ctx.print(&serde_json::json!({ "deleted": id }), String::new)
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Verdict {
    valid: bool,
    trusted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    /// The signing station by this PC's directory (not the manifest's words).
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<String>,
    /// What the manifest claims, when it is not the signing station.
    #[serde(skip_serializing_if = "Option::is_none")]
    claimed_issuer: Option<String>,
    /// Whether its targets include this station (or it names none).
    #[serde(skip_serializing_if = "Option::is_none")]
    addressed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest: Option<package::Manifest>,
}

fn progress_quiet(_: u64, _: u64) -> bool {
    true
}

pub fn package(cmd: PackageCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let (mut db, dir) = open(data_dir)?;
    let l = &ctx.l10n;
    match cmd {
        PackageCmd::Build(a) => {
            let req = BuildRequest {
                script_ids: a.scripts,
                langs: (!a.langs.is_empty()).then_some(a.langs),
                title: a.title,
                priority: a.priority.as_deref().and_then(Priority::parse),
                valid_from: a.valid_from,
                valid_days: a.valid_days,
                slots: a.slots,
                target_stations: a.target_stations,
                target_groups: a.target_groups,
                profile: if a.profile == "fm" {
                    Profile::Fm
                } else {
                    Profile::Speaker
                },
                split_by_language: a.split,
                out: a.out.display().to_string(),
            };
            let plan = package::plan(&db, &req)?;
            if !plan.ready {
                // Say which script and language is missing what, then fail.
                for i in plan.items.iter().filter(|i| i.problem.is_some()) {
                    let p = i.problem.as_deref().unwrap_or_default();
                    eprintln!(
                        "{} #{} [{}]: {}",
                        i.title,
                        i.script_id,
                        i.lang,
                        l.get(&format!("reason-{p}"), &[])
                    );
                }
            }
            let mut bar = Progress::new(ctx, "cli-progress-building");
            let built = package::build(&mut db, &dir, &req, &mut |done, total| {
                bar.set(done as f32 / total.max(1) as f32)
            })?;
            drop(bar);
            ctx.print(&built, || {
                lines(l, &built, |b| {
                    let mb = format!("{:.1}", b.bytes as f64 / 1e6);
                    let mut s = l.get(
                        "cli-package-built",
                        &[
                            ("path", b.path.clone()),
                            ("mb", mb),
                            ("items", b.items.to_string()),
                        ],
                    );
                    if b.over_limit {
                        s.push_str(&format!("\n{}", l.get("cli-package-over-limit", &[])));
                    }
                    s
                })
            })
        }
        PackageCmd::Verify { file } => {
            let verdict = match package::inspect(&db, &dir, &file, &mut progress_quiet) {
                Ok(i) if i.trusted => Verdict {
                    valid: true,
                    trusted: true,
                    code: None,
                    reason: None,
                    detail: None,
                    issuer: Some(i.issuer_name),
                    claimed_issuer: i.claimed_issuer,
                    addressed: Some(i.addressed),
                    manifest: Some(i.manifest),
                },
                Ok(i) => {
                    let e = CoreError::Package {
                        problem: loa_core::base::error::PackageProblem::Untrusted,
                        detail: i.manifest.issuer.key_id.clone(),
                    };
                    Verdict {
                        valid: true,
                        trusted: false,
                        code: Some(e.code().into()),
                        reason: Some(l.error(&e)),
                        detail: Some(i.manifest.issuer.key_id.clone()),
                        issuer: Some(i.issuer_name),
                        claimed_issuer: None,
                        addressed: Some(i.addressed),
                        manifest: Some(i.manifest),
                    }
                }
                Err(e) if matches!(e, CoreError::Package { .. }) => Verdict {
                    valid: false,
                    trusted: false,
                    code: Some(e.code().into()),
                    reason: Some(l.error(&e)),
                    detail: e.args().first().map(|a| a.1.clone()),
                    issuer: None,
                    claimed_issuer: None,
                    addressed: None,
                    manifest: None,
                },
                Err(e) => return Err(e.into()),
            };
            let ok = verdict.valid && verdict.trusted;
            ctx.print(&verdict, || match (&verdict.reason, &verdict.manifest) {
                (None, Some(m)) => {
                    let mut out = vec![l.get(
                        "cli-package-valid",
                        &[
                            ("title", m.title.clone()),
                            ("issuer", verdict.issuer.clone().unwrap_or_default()),
                            ("until", m.valid_until.to_string()),
                        ],
                    )];
                    if let Some(claim) = &verdict.claimed_issuer {
                        out.push(l.get("package-claims-other", &[("claim", claim.clone())]));
                    }
                    if verdict.addressed == Some(false) {
                        out.push(l.get("package-not-addressed", &[]));
                    }
                    out.join("\n")
                }
                (Some(r), _) => r.clone(),
                _ => String::new(),
            })?;
            if ok {
                Ok(())
            } else {
                Err(NotValid.into())
            }
        }
        PackageCmd::Import { file } => {
            let d = package::import(&mut db, &dir, &file, None, &mut progress_quiet)?;
            ctx.print(&d, || {
                l.get(
                    "cli-package-imported",
                    &[
                        ("title", d.summary.title.clone()),
                        ("id", d.summary.id.to_string()),
                        ("items", d.items.len().to_string()),
                    ],
                )
            })
        }
        PackageCmd::Trust {
            file,
            key_id,
            replace,
        } => {
            let s = package::trust_issuer(&mut db, &dir, &file, &key_id, replace.as_deref())?;
            ctx.print(&s, || {
                l.get(
                    "cli-trusted",
                    &[("station", s.summary.name.clone()), ("id", key_id.clone())],
                )
            })
        }
        PackageCmd::List { sent } => {
            let list = package::list(
                &db,
                if sent {
                    Direction::Sent
                } else {
                    Direction::Received
                },
            )?;
            ctx.print(&list, || {
                lines(l, &list, |p| {
                    format!(
                        "{:>4}  {}  {} – {}  {}  ({}, {})",
                        p.id,
                        l.get(&format!("priority-{}", p.priority.as_str()), &[]),
                        p.valid_from,
                        p.valid_until,
                        p.title,
                        p.issuer_name,
                        p.langs.join(" ")
                    )
                })
            })
        }
        PackageCmd::Send { file } => {
            loa_core::broadcast::hub::queue_send(&db, &dir, &file)?;
            let link = loa_core::broadcast::hub::link(&db)?;
            ctx.print(&link, || {
                l.get("cli-hub-queued", &[("waiting", link.outbox.to_string())])
            })
        }
        PackageCmd::Show { id } => {
            let d = package::get(&db, &dir, id)?;
            ctx.print(&d, || {
                let mut out = vec![format!("{} ({})", d.summary.title, d.summary.issuer_name)];
                for i in &d.items {
                    out.push(format!(
                        "  #{:<4} {:>3}. [{}] {}  {:.0} s",
                        i.id, i.seq, i.lang, i.title, i.seconds
                    ));
                }
                out.join("\n")
            })
        }
    }
}

pub fn schedule(cmd: ScheduleCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let (mut db, dir) = open(data_dir)?;
    let l = &ctx.l10n;
    match cmd {
        ScheduleCmd::Slots => {
            let list = schedule::slots(&db)?;
            ctx.print(&list, || {
                lines(l, &list, |s| {
                    format!(
                        "{:>4}  {}–{}  {}",
                        s.id.unwrap_or(0),
                        s.start,
                        s.end,
                        s.name
                    )
                })
            })
        }
        ScheduleCmd::Place { package, from, to } => {
            let r = schedule::place_package(&mut db, package, from.as_deref(), to.as_deref())?;
            ctx.print(&r, || {
                l.get(
                    "cli-placed",
                    &[
                        ("placed", r.placed.to_string()),
                        ("skipped", r.skipped.to_string()),
                    ],
                )
            })
        }
        ScheduleCmd::Now { item } => {
            let id = schedule::insert_now(&mut db, item)?;
            ctx.print(&serde_json::json!({ "entry": id }), || id.to_string())
        }
        ScheduleCmd::Show { week } => {
            let week = match week {
                Some(w) => w,
                None => schedule::this_week(&db)?,
            };
            let w = schedule::week(&db, &week)?;
            ctx.print(&w, || {
                let mut out = vec![w.week.clone()];
                for d in &w.days {
                    for s in d.slots.iter().filter(|s| !s.entries.is_empty()) {
                        out.push(format!("{} {}–{} {}", d.date, s.start, s.end, s.name));
                        for e in &s.entries {
                            out.push(format!(
                                "  #{:<4} {} [{}] {}{}",
                                e.id,
                                e.starts,
                                e.lang,
                                e.title,
                                if e.aired { " ✓" } else { "" }
                            ));
                        }
                    }
                }
                out.join("\n")
            })
        }
        ScheduleCmd::Export { week, format, out } => {
            let week = if calendar::Date::parse_iso_week(&week).is_some() {
                week
            } else {
                return Err(CoreError::invalid("week", "format").into());
            };
            std::fs::create_dir_all(&out).map_err(|e| CoreError::io(&out, e))?;
            let path = if format == "ics" {
                let text = schedule::ics(&db, &week)?;
                loa_core::base::files::write_fresh(
                    &out,
                    &format!("lich-phat-{week}"),
                    "ics",
                    text.as_bytes(),
                )?
                .display()
                .to_string()
            } else {
                player_export::export(&db, &dir, &week, &out, &mut |_, _| true)?.folder
            };
            ctx.print(&serde_json::json!({ "path": path }), || path.clone())
        }
    }
}

pub fn airlog(cmd: AirlogCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let (mut db, _) = open(data_dir)?;
    let l = &ctx.l10n;
    match cmd {
        AirlogCmd::Add {
            entry,
            item,
            at,
            seconds,
        } => {
            let e = airlog::mark(
                &mut db,
                &airlog::AirMark {
                    entry_id: entry,
                    item_id: item,
                    aired_at: at,
                    seconds,
                },
            )?;
            ctx.print(&e, || {
                format!("{}  {} [{}]", e.aired_local, e.title, e.lang)
            })
        }
        AirlogCmd::Import { file } => {
            let bytes = loa_core::base::limits::read_file(
                &file,
                loa_core::base::limits::ImportKind::AirLog,
            )?;
            let s = airlog::import_csv(&mut db, &bytes)?;
            ctx.print(&s, || {
                l.get(
                    "cli-airlog-imported",
                    &[
                        ("added", s.added.to_string()),
                        ("matched", s.matched.to_string()),
                    ],
                )
            })
        }
        AirlogCmd::List { from, to } => {
            let list = airlog::list(&db, &from, &to)?;
            ctx.print(&list, || {
                lines(l, &list, |e| {
                    format!(
                        "{}  {:>6.0} s  {} [{}]  {}",
                        e.aired_local, e.seconds, e.title, e.lang, e.station_name
                    )
                })
            })
        }
    }
}

pub fn report(a: ReportArgs, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let (db, _) = open(data_dir)?;
    let l = &ctx.l10n;
    let q = ReportQuery {
        from: a.from,
        to: a.to,
        station_ids: a.stations,
    };
    match (a.format.as_deref(), a.out) {
        (Some(f), Some(out)) => {
            let format = if f == "docx" {
                ReportFormat::Docx
            } else {
                ReportFormat::Xlsx
            };
            report::export_to(&db, &q, format, &out, l)?;
            ctx.print(&serde_json::json!({ "path": out }), || {
                out.display().to_string()
            })
        }
        _ => {
            let r = report::build(&db, &q)?;
            ctx.print(&r, || {
                let mut out = vec![format!("{} – {}", r.from, r.to)];
                for (k, v) in [
                    ("report-scripts", r.scripts.to_string()),
                    ("report-produced", format!("{:.1}", r.produced_minutes)),
                    ("report-aired", format!("{:.1}", r.aired_minutes)),
                    ("report-broadcasts", r.broadcasts.to_string()),
                    ("report-on-time", r.on_time.to_string()),
                    ("report-late", r.late.to_string()),
                    ("report-packages-sent", r.packages_sent.to_string()),
                    ("report-packages-received", r.packages_received.to_string()),
                ] {
                    out.push(format!("{}: {v}", l.get(k, &[])));
                }
                out.join("\n")
            })
        }
    }
}

/// Whether the command may change the data folder (see `main::writes`).
pub fn group_writes(cmd: &GroupCmd) -> bool {
    !matches!(cmd, GroupCmd::List)
}

pub fn package_writes(cmd: &PackageCmd) -> bool {
    !matches!(
        cmd,
        PackageCmd::Verify { .. } | PackageCmd::List { .. } | PackageCmd::Show { .. }
    )
}

pub fn schedule_writes(cmd: &ScheduleCmd) -> bool {
    !matches!(
        cmd,
        ScheduleCmd::Slots | ScheduleCmd::Show { .. } | ScheduleCmd::Export { .. }
    )
}

pub fn airlog_writes(cmd: &AirlogCmd) -> bool {
    !matches!(cmd, AirlogCmd::List { .. })
}
