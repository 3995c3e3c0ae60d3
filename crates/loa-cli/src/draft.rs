//! `loa script` and `loa template`: drafting broadcast scripts.

use crate::ctx::{lines, open, Ctx};
use anyhow::Result;
use clap::{Args, Subcommand};
use loa_core::base::{
    limits::{self, ImportKind},
    settings,
};
use loa_core::draft::script;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ScriptCmd {
    /// Create a script from a UTF-8 text file; prints its id.
    Add(ScriptFields),
    /// Change a script; only the options given change.
    Edit {
        id: i64,
        #[command(flatten)]
        fields: ScriptEdit,
    },
    /// List scripts, optionally filtered.
    List {
        #[arg(long, value_parser = ["draft", "review", "approved"])]
        status: Option<String>,
        #[arg(long, value_parser = ["normal", "priority", "emergency"])]
        priority: Option<String>,
        /// Only scripts that target this language (ISO 639-3).
        #[arg(long = "in")]
        in_lang: Option<String>,
        #[arg(long)]
        program: Option<String>,
    },
    /// Search titles, texts and policy references (diacritics optional).
    Search { query: String },
    /// Show one script with its reading-time estimate.
    Show { id: i64 },
    /// Move a script through the workflow: draft, review or approved.
    SetStatus {
        id: i64,
        #[arg(value_parser = ["draft", "review", "approved"])]
        status: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Move a script to the bin (`undelete` brings it back).
    Delete { id: i64 },
    /// Bring a deleted script back.
    Undelete { id: i64 },
    /// Revisions and workflow history of a script.
    History { id: i64 },
    /// The script's translation segments (sentences by paragraph).
    Segments { id: i64 },
    /// Word-level differences between two revisions.
    Diff { id: i64, from: u32, to: u32 },
    /// Write a script to a file.
    Export {
        id: i64,
        #[arg(long, value_parser = ["docx", "txt"])]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
pub struct ScriptFields {
    #[arg(long)]
    title: String,
    /// The script text, a UTF-8 file.
    #[arg(long)]
    file: PathBuf,
    #[arg(long, default_value = "")]
    program: String,
    #[arg(long, default_value = "other", value_parser = ["health", "agriculture", "law", "security", "disaster", "other"])]
    category: String,
    #[arg(long, default_value = "normal", value_parser = ["normal", "priority", "emergency"])]
    priority: String,
    #[arg(long, default_value = "")]
    policy_ref: String,
    /// Target languages, comma-separated ISO 639-3 codes.
    #[arg(long, default_value = "vie")]
    langs: String,
}

#[derive(Args)]
pub struct ScriptEdit {
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    file: Option<PathBuf>,
    #[arg(long)]
    program: Option<String>,
    #[arg(long, value_parser = ["normal", "priority", "emergency"])]
    priority: Option<String>,
    #[arg(long)]
    policy_ref: Option<String>,
}

#[derive(Subcommand)]
pub enum TemplateCmd {
    /// List templates.
    List,
    /// Start a new draft script from a template; prints its id.
    Use { id: i64 },
    /// Save a script as a template.
    Save {
        script: i64,
        #[arg(long)]
        name: String,
    },
    /// Delete a template.
    Delete { id: i64 },
}

pub fn script(cmd: ScriptCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let (mut db, _) = open(data_dir)?;
    let who = settings::load(&db)?.user_name;
    let summaries = |list: &[script::ScriptSummary]| {
        lines(l, list, |s| {
            format!(
                "{:>5}  {:<10} {:<12} {}",
                s.id,
                l.get(&format!("status-{}", s.status.as_str()), &[]),
                l.get(&format!("priority-{}", s.priority.as_str()), &[]),
                s.title
            )
        })
    };
    match cmd {
        ScriptCmd::Add(f) => {
            let input = script::ScriptInput {
                title: f.title,
                body: limits::read_text(&f.file, ImportKind::ScriptText)?,
                program: f.program,
                category: script::Category::parse(&f.category).unwrap_or(script::Category::Other),
                priority: script::Priority::parse(&f.priority).unwrap_or(script::Priority::Normal),
                policy_ref: f.policy_ref,
                target_langs: f
                    .langs
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                ..Default::default()
            };
            let d = script::create(&mut db, &input, &who)?;
            ctx.print(&d, || d.summary.id.to_string())
        }
        ScriptCmd::Edit { id, fields } => {
            let mut input = script::get(&db, id)?.input;
            if let Some(t) = fields.title {
                input.title = t;
            }
            if let Some(f) = &fields.file {
                input.body = limits::read_text(f, ImportKind::ScriptText)?;
            }
            if let Some(p) = fields.program {
                input.program = p;
            }
            if let Some(p) = fields.priority.as_deref().and_then(script::Priority::parse) {
                input.priority = p;
            }
            if let Some(r) = fields.policy_ref {
                input.policy_ref = r;
            }
            let d = script::update(&mut db, id, &input, &who)?;
            ctx.print(&d, || {
                format!("{} (rev {})", d.summary.id, d.summary.revision)
            })
        }
        ScriptCmd::List {
            status,
            priority,
            in_lang,
            program,
        } => {
            let list = script::list(
                &db,
                &script::ScriptQuery {
                    status: status.as_deref().and_then(script::Status::parse),
                    priority: priority.as_deref().and_then(script::Priority::parse),
                    lang: in_lang,
                    program,
                    ..Default::default()
                },
            )?;
            ctx.print(&list, || summaries(&list))
        }
        ScriptCmd::Search { query } => {
            let list = script::list(
                &db,
                &script::ScriptQuery {
                    search: Some(query),
                    ..Default::default()
                },
            )?;
            ctx.print(&list, || summaries(&list))
        }
        ScriptCmd::Show { id } => {
            let d = script::get(&db, id)?;
            ctx.print(&d, || {
                let s = &d.summary;
                format!(
                    "{}\n{}: {}\n{}: {} (rev {})\n{}: {} ({})\n\n{}",
                    s.title,
                    l.get("script-policy-ref", &[]),
                    s.policy_ref,
                    l.get("script-status", &[]),
                    l.get(&format!("status-{}", s.status.as_str()), &[]),
                    s.revision,
                    l.get("script-reading-time", &[]),
                    loa_core::draft::export::format_duration(l, s.est_seconds),
                    l.get("script-syllables", &[("count", s.syllables.to_string())]),
                    d.input.body
                )
            })
        }
        ScriptCmd::SetStatus { id, status, note } => {
            let to = script::Status::parse(&status).unwrap_or(script::Status::Draft);
            let d = script::set_status(&mut db, id, to, &who, &note)?;
            ctx.print(&d, || {
                l.get(&format!("status-{}", d.summary.status.as_str()), &[])
            })
        }
        ScriptCmd::Delete { id } => {
            script::delete(&mut db, id)?;
            ctx.print(&serde_json::json!({ "deleted": id }), || id.to_string())
        }
        ScriptCmd::Undelete { id } => {
            let d = script::undelete(&mut db, id)?;
            ctx.print(&d, || d.summary.title.clone())
        }
        ScriptCmd::History { id } => {
            let revisions = script::revisions(&db, id)?;
            let events = script::events(&db, id)?;
            let out = serde_json::json!({ "revisions": revisions, "events": events });
            ctx.print(&out, || {
                let mut lines: Vec<String> = revisions
                    .iter()
                    .map(|r| format!("rev {:>3}  {}  {}", r.revision, r.author, r.title))
                    .collect();
                lines.extend(events.iter().map(|e| {
                    format!(
                        "{} → {}  {}  rev {}",
                        l.get(&format!("status-{}", e.from_status.as_str()), &[]),
                        l.get(&format!("status-{}", e.to_status.as_str()), &[]),
                        e.who,
                        e.revision
                    )
                }));
                lines.join("\n")
            })
        }
        ScriptCmd::Diff { id, from, to } => {
            let d = script::diff(&db, id, from, to)?;
            ctx.print(&d, || {
                d.body
                    .iter()
                    .map(|c| match c.op {
                        script::DiffOp::Equal => c.text.clone(),
                        script::DiffOp::Delete => format!("[-{}-]", c.text),
                        script::DiffOp::Insert => format!("{{+{}+}}", c.text),
                    })
                    .collect()
            })
        }
        ScriptCmd::Segments { id } => {
            let segs = loa_core::draft::segment::segment(&script::get(&db, id)?.input.body);
            ctx.print(&segs, || {
                lines(l, &segs, |s| format!("{:>3}  {}", s.paragraph + 1, s.text))
            })
        }
        ScriptCmd::Export { id, format, out } => {
            let d = script::get(&db, id)?;
            let bytes = match loa_core::draft::export::ExportFormat::parse(&format) {
                Some(loa_core::draft::export::ExportFormat::Docx) => {
                    loa_core::draft::export::script_docx(&d, l)?
                }
                _ => loa_core::draft::export::script_txt(&d, l).into_bytes(),
            };
            loa_core::base::files::write_atomically(&out, &bytes)?;
            ctx.print(
                &serde_json::json!({ "out": out.display().to_string() }),
                || out.display().to_string(),
            )
        }
    }
}

pub fn template(cmd: TemplateCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let (mut db, _) = open(data_dir)?;
    match cmd {
        TemplateCmd::List => {
            let list = loa_core::draft::template::list(&db)?;
            ctx.print(&list, || {
                lines(l, &list, |t| format!("{:>4}  {}", t.id, t.name))
            })
        }
        TemplateCmd::Use { id } => {
            let who = settings::load(&db)?.user_name;
            let d = loa_core::draft::template::new_script(&mut db, id, &who)?;
            ctx.print(&d, || d.summary.id.to_string())
        }
        TemplateCmd::Save { script, name } => {
            let t = loa_core::draft::template::save_from_script(&mut db, script, &name)?;
            ctx.print(&t, || t.id.to_string())
        }
        TemplateCmd::Delete { id } => {
            loa_core::draft::template::delete(&mut db, id)?;
            ctx.print(&serde_json::json!({ "deleted": id }), || id.to_string())
        }
    }
}

/// Whether the command may change the data folder (see `main::writes`).
pub fn script_writes(cmd: &ScriptCmd) -> bool {
    !matches!(
        cmd,
        ScriptCmd::List { .. }
            | ScriptCmd::Search { .. }
            | ScriptCmd::Show { .. }
            | ScriptCmd::History { .. }
            | ScriptCmd::Segments { .. }
            | ScriptCmd::Diff { .. }
            | ScriptCmd::Export { .. }
    )
}

pub fn template_writes(cmd: &TemplateCmd) -> bool {
    !matches!(cmd, TemplateCmd::List)
}
