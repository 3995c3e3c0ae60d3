//! `loa glossary`, `loa tm`, `loa translate` and `loa qa`: the glossary, the
//! translation memory and translating scripts.

use crate::ctx::{lines, open, Ctx};
use anyhow::Result;
use clap::{Args, Subcommand};
use loa_core::base::{
    limits::{self, ImportKind},
    settings,
};
use loa_core::translate::glossary::{
    self,
    exchange::{self, Format, ImportOptions, OnConflict},
};
use loa_core::translate::translation;
use loa_core::CoreError;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum GlossaryCmd {
    /// Find every glossary term in a UTF-8 text file (offsets in characters).
    Annotate {
        file: PathBuf,
        /// The text's language (ISO 639-3).
        #[arg(long, default_value = "vie")]
        lang: String,
    },
    /// List concepts with their terms.
    List {
        #[arg(long)]
        search: Option<String>,
        /// Only concepts with a term in this language (ISO 639-3, e.g. mtq).
        #[arg(long = "in")]
        in_lang: Option<String>,
        #[arg(long, default_value_t = 500)]
        limit: u32,
    },
    /// Import a glossary (CSV/TSV, XLSX or TBX), all or nothing.
    Import {
        file: PathBuf,
        /// Default: from the file's extension.
        #[arg(long, value_parser = ["csv", "xlsx", "tbx"])]
        format: Option<String>,
        /// Column fields in order, comma-separated, e.g.
        /// "id,term:vie,term:mtq,status:mtq" (empty = ignore the column).
        /// Default: guessed from the header row.
        #[arg(long)]
        map: Option<String>,
        /// For a concept sharing a term with an existing one.
        #[arg(long, default_value = "merge", value_parser = ["merge", "skip", "add"])]
        on_conflict: String,
        /// Show what would be imported without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the whole glossary.
    Export {
        #[arg(long, value_parser = ["csv", "xlsx", "tbx"])]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write every glossary and memory change this station knows, signed,
    /// to a .loachanges file for another office (USB, no hub).
    ExportChanges {
        #[arg(long)]
        out: PathBuf,
    },
    /// Apply a .loachanges file from another office, all or nothing; its
    /// signers must be trusted here.
    ImportChanges { file: PathBuf },
    /// Every version of a concept's fields, terms and statuses: who, when,
    /// from which station; heads in conflict and open proposals marked.
    History { concept: i64 },
    /// End a conflict by choosing a version (its change id, from history).
    Resolve { concept: i64, change: String },
    /// Show a language's terminology approvers, or name them by key id
    /// (province stations; the others accept it from a trusted key only).
    Approvers {
        lang: String,
        key_ids: Vec<String>,
        /// Name nobody: anyone's status change counts again.
        #[arg(long, conflicts_with = "key_ids")]
        none: bool,
    },
}

#[derive(Subcommand)]
pub enum TmCmd {
    /// Save a confirmed segment pair.
    Add {
        #[arg(long, default_value = "vie")]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        source: String,
        #[arg(long)]
        target: String,
    },
    /// Earlier translations of a segment, best first (fuzzy, syllable-based).
    Lookup {
        text: String,
        #[arg(long, default_value = "vie")]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, default_value_t = loa_core::translate::memory::DEFAULT_THRESHOLD)]
        threshold: u32,
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
    /// Import a TMX 1.4 file (all or nothing).
    Import { file: PathBuf },
    /// Export one language pair as TMX 1.4.
    Export {
        #[arg(long, default_value = "vie")]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum TranslateCmd {
    /// The translation of a script: segments, status and progress.
    Show {
        script: i64,
        #[arg(long)]
        lang: String,
    },
    /// Save one segment's translation (draft, or confirmed with --confirm).
    Set {
        script: i64,
        #[arg(long)]
        lang: String,
        /// 0-based segment position.
        #[arg(long)]
        segment: u32,
        #[arg(long)]
        target: String,
        #[arg(long)]
        confirm: bool,
    },
    /// Mark the translation translated (refused while QA finds errors).
    Done {
        script: i64,
        #[arg(long)]
        lang: String,
    },
}

#[derive(Args)]
pub struct QaArgs {
    pub script: i64,
    #[arg(long)]
    pub lang: String,
}

/// One line per item, or "(none)" in the user's language.
/// `loa qa` found errors.
#[derive(Debug)]
pub struct QaFailed;

impl std::fmt::Display for QaFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("QA found errors")
    }
}

impl std::error::Error for QaFailed {}

pub fn glossary(cmd: GlossaryCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    match cmd {
        GlossaryCmd::Annotate { file, lang } => {
            let (db, _) = open(data_dir)?;
            let text = limits::read_text(&file, ImportKind::ScriptText)?;
            let hits =
                loa_core::translate::glossary::terms::TermIndex::load(&db, &lang)?.find(&text);
            ctx.print(&hits, || {
                lines(l, &hits, |h| {
                    format!(
                        "{:>6}-{:<6} {}  → #{} {}",
                        h.start, h.end, h.text, h.concept_id, h.term
                    )
                })
            })
        }
        GlossaryCmd::List {
            search,
            in_lang,
            limit,
        } => {
            let (db, _) = open(data_dir)?;
            let page = glossary::list(
                &db,
                &glossary::ConceptQuery {
                    search,
                    lang: in_lang,
                    limit: Some(limit),
                    ..Default::default()
                },
            )?;
            ctx.print(&page, || {
                let mut out = vec![l.get("glossary-count", &[("total", page.total.to_string())])];
                for c in &page.items {
                    let terms: Vec<String> = c
                        .terms
                        .iter()
                        .map(|t| format!("{}: {}", t.lang, t.text))
                        .collect();
                    out.push(format!(
                        "{}{:<14} {:<24} {}",
                        if c.conflict { "! " } else { "" },
                        c.external_id,
                        c.definition,
                        terms.join("; ")
                    ));
                }
                out.join("\n")
            })
        }
        GlossaryCmd::Import {
            file,
            format,
            map,
            on_conflict,
            dry_run,
        } => {
            let (mut db, _) = open(data_dir)?;
            let format = format
                .as_deref()
                .and_then(Format::parse)
                .or_else(|| Format::of_path(&file.to_string_lossy()))
                .ok_or(CoreError::invalid("format", "unknown"))?;
            let kind = match format {
                Format::Csv => ImportKind::GlossaryCsv,
                Format::Xlsx => ImportKind::GlossaryXlsx,
                Format::Tbx => ImportKind::Tbx,
            };
            let bytes = loa_core::base::limits::read_file(&file, kind)?;
            let opts = ImportOptions {
                format,
                mapping: map.map(|m| m.split(',').map(|f| f.trim().to_string()).collect()),
                on_conflict: match on_conflict.as_str() {
                    "skip" => OnConflict::Skip,
                    "add" => OnConflict::Add,
                    _ => OnConflict::Merge,
                },
            };
            let who = settings::load(&db)?.user_name;
            let r = exchange::import(&mut db, &bytes, &opts, &who, !dry_run)?;
            ctx.print(&r, || {
                l.get(
                    "glossary-import-result",
                    &[
                        ("concepts", r.concepts.to_string()),
                        ("new", r.new.to_string()),
                        ("duplicate", r.duplicate.to_string()),
                        ("conflicting", r.conflicting.to_string()),
                    ],
                )
            })
        }
        GlossaryCmd::ExportChanges { out } => {
            let (mut db, dir) = open(data_dir)?;
            let r = loa_core::broadcast::changes::export_file(&mut db, &dir, &out)?;
            ctx.print(&r, || {
                l.get(
                    "glossary-changes-exported",
                    &[
                        ("sets", r.sets.to_string()),
                        ("changes", r.changes.to_string()),
                        ("out", out.display().to_string()),
                    ],
                )
            })
        }
        GlossaryCmd::ImportChanges { file } => {
            let (mut db, _) = open(data_dir)?;
            let r = loa_core::broadcast::changes::import_file(&mut db, &file)?;
            ctx.print(&r, || {
                l.get(
                    "glossary-changes-imported",
                    &[
                        ("new", r.new.to_string()),
                        ("conflicts", r.conflicts.to_string()),
                    ],
                )
            })
        }
        GlossaryCmd::History { concept } => {
            let (db, _) = open(data_dir)?;
            let c = glossary::get(db.conn(), concept)?;
            let h = loa_core::translate::sharing::history(db.conn(), &c.uid)?;
            ctx.print(&h, || {
                h.iter()
                    .map(|v| {
                        let mark = if v.proposal {
                            "?"
                        } else if v.head {
                            "*"
                        } else {
                            " "
                        };
                        format!(
                            "{mark} {}  {:<9} {:<20} {:<20} {}  [{}]",
                            loa_core::base::calendar::rfc3339(v.at, 7 * 3600),
                            v.kind.as_str(),
                            v.author,
                            v.station,
                            v.value,
                            v.change_id
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        GlossaryCmd::Resolve { concept, change } => {
            let (mut db, _) = open(data_dir)?;
            let who = settings::load(&db)?.user_name;
            let c = glossary::resolve(&mut db, concept, &change, &who)?;
            ctx.print(&c, || {
                format!(
                    "#{} {}",
                    c.id,
                    c.terms
                        .iter()
                        .map(|t| format!("{}: {}", t.lang, t.text))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
        }
        GlossaryCmd::Approvers {
            lang,
            key_ids,
            none,
        } => {
            use loa_core::broadcast::changes::approvers;
            let (mut db, _) = open(data_dir)?;
            let named = if key_ids.is_empty() && !none {
                approvers::get(&db, &lang)?
            } else {
                let who = settings::load(&db)?.user_name;
                approvers::name(&mut db, &lang, &key_ids, &who, loa_core::base::clock::now())?
            };
            ctx.print(&named, || named.key_ids.join("\n"))
        }
        GlossaryCmd::Export { format, out } => {
            let (db, _) = open(data_dir)?;
            let format = Format::parse(&format).ok_or(CoreError::invalid("format", "unknown"))?;
            let bytes = exchange::export(&db, format)?;
            loa_core::base::files::write_atomically(&out, &bytes)?;
            ctx.print(
                &serde_json::json!({ "out": out.display().to_string() }),
                || out.display().to_string(),
            )
        }
    }
}

pub fn tm(cmd: TmCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let (mut db, _) = open(data_dir)?;
    match cmd {
        TmCmd::Add {
            from,
            to,
            source,
            target,
        } => {
            let who = settings::load(&db)?.user_name;
            let id = loa_core::translate::memory::add(
                db.conn(),
                &from,
                &to,
                &source,
                &target,
                &who,
                None,
            )?;
            ctx.print(&serde_json::json!({ "id": id }), || id.to_string())
        }
        TmCmd::Lookup {
            text,
            from,
            to,
            threshold,
            limit,
        } => {
            let matches = loa_core::translate::memory::TmIndex::load(&db, &from, &to)?
                .lookup(&text, threshold, limit);
            ctx.print(&matches, || {
                lines(l, &matches, |m| {
                    format!("{:>3}%  {}  →  {}", m.score, m.unit.source, m.unit.target)
                })
            })
        }
        TmCmd::Import { file } => {
            let xml = limits::read_text(&file, ImportKind::Tmx)?;
            let s = loa_core::translate::tmx::import(&mut db, &xml)?;
            ctx.print(&s, || format!("{} ({} skipped)", s.units, s.skipped))
        }
        TmCmd::Export { from, to, out } => {
            let xml = loa_core::translate::tmx::export(&db, &from, &to)?;
            loa_core::base::files::write_atomically(&out, xml.as_bytes())?;
            ctx.print(
                &serde_json::json!({ "out": out.display().to_string() }),
                || out.display().to_string(),
            )
        }
    }
}

pub fn translate(cmd: TranslateCmd, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let _l = &ctx.l10n;
    let (mut db, _) = open(data_dir)?;
    let who = settings::load(&db)?.user_name;
    let t = match cmd {
        TranslateCmd::Show { script, lang } => translation::open(&mut db, script, &lang)?,
        TranslateCmd::Set {
            script,
            lang,
            segment,
            target,
            confirm,
        } => {
            let current = translation::open(&mut db, script, &lang)?;
            let source = current
                .segments
                .get(segment as usize)
                .map(|s| s.source.clone())
                .ok_or(CoreError::not_found("segment", segment))?;
            translation::save_segment(
                &mut db,
                &translation::SegmentSave {
                    script_id: script,
                    lang,
                    position: segment,
                    source,
                    target,
                    confirm,
                },
                &who,
            )?
        }
        TranslateCmd::Done { script, lang } => translation::set_status(
            &mut db,
            script,
            &lang,
            translation::TranslationStatus::Translated,
            &who,
        )?,
    };
    ctx.print(&t, || {
        let mut out = vec![format!(
            "{} [{}] {}/{}",
            t.title, t.lang, t.progress.confirmed, t.progress.total
        )];
        for s in &t.segments {
            out.push(format!(
                "{:>3} {:<12} {}\n    → {}",
                s.position,
                format!("{:?}", s.status).to_lowercase(),
                s.source,
                s.target
            ));
        }
        out.join("\n")
    })
}

pub fn qa(args: QaArgs, data_dir: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    let l = &ctx.l10n;
    let QaArgs { script, lang } = args;
    let (mut db, _) = open(data_dir)?;
    let issues = loa_core::translate::qa::check_translation(&mut db, script, &lang)?;
    ctx.print(&issues, || {
        lines(l, &issues, |i| {
            let kind = serde_json::to_value(i.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            format!(
                "#{:<3} {:<8} {}",
                i.position,
                format!("{:?}", i.severity).to_lowercase(),
                l.get(
                    &format!("qa-{kind}"),
                    &[("found", i.found.clone()), ("expected", i.expected.clone())]
                )
            )
        })
    })?;
    if issues
        .iter()
        .any(|i| i.severity == loa_core::translate::qa::Severity::Error)
    {
        return Err(QaFailed.into());
    }
    Ok(())
}

/// Whether the command may change the data folder (see `main::writes`).
pub fn glossary_writes(cmd: &GlossaryCmd) -> bool {
    !matches!(
        cmd,
        GlossaryCmd::List { .. }
            | GlossaryCmd::Export { .. }
            | GlossaryCmd::Annotate { .. }
            | GlossaryCmd::History { .. }
    )
}

pub fn tm_writes(cmd: &TmCmd) -> bool {
    !matches!(cmd, TmCmd::Lookup { .. } | TmCmd::Export { .. })
}

pub fn translate_writes(cmd: &TranslateCmd) -> bool {
    !matches!(cmd, TranslateCmd::Show { .. })
}
