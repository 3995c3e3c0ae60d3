//! Building packages at the issuing station: which takes go in (the plan,
//! with sizes before anything is rendered), then rendering, signing and
//! writing the `.loa` file.

use super::{
    new_uuid, FileEntry, FileKind, Issuer, Item, Manifest, TargetStation, Targets,
    ATTACHMENT_LIMIT, FORMAT, MANIFEST, SIGNATURE,
};

use crate::base::calendar;
use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::i18n::Localizer;
use crate::base::store::Db;
use crate::broadcast::key::StationKey;
use crate::draft::script::{self, Priority, Status};
use crate::{
    base::text, broadcast::station, record::recording, record::transcript, translate::translation,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub use crate::record::audio::render::Profile;

fn default_valid_days() -> u32 {
    14
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackageBuild")]
pub struct BuildRequest {
    pub script_ids: Vec<i64>,
    /// Languages to include; None = every language with a chosen take.
    #[serde(default)]
    #[ts(optional)]
    pub langs: Option<Vec<String>>,
    /// Default: the first script's title.
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    /// Default: the most urgent of the scripts'.
    #[serde(default)]
    #[ts(optional)]
    pub priority: Option<Priority>,
    /// `YYYY-MM-DD`; default today.
    #[serde(default)]
    #[ts(optional)]
    pub valid_from: Option<String>,
    #[serde(default = "default_valid_days")]
    pub valid_days: u32,
    /// Suggested daily slots, `HH:MM`.
    #[serde(default)]
    pub slots: Vec<String>,
    #[serde(default)]
    pub target_stations: Vec<i64>,
    #[serde(default)]
    pub target_groups: Vec<i64>,
    #[serde(default)]
    pub profile: Profile,
    /// One package per language, to stay under attachment limits.
    #[serde(default)]
    pub split_by_language: bool,
    /// A folder (a fresh file name is made in it) or a `.loa` file path.
    pub out: String,
}

impl BuildRequest {
    pub fn new(script_ids: Vec<i64>, out: impl Into<String>) -> BuildRequest {
        BuildRequest {
            script_ids,
            langs: None,
            title: None,
            priority: None,
            valid_from: None,
            valid_days: default_valid_days(),
            slots: vec![],
            target_stations: vec![],
            target_groups: vec![],
            profile: Profile::default(),
            split_by_language: false,
            out: out.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackagePlanItem")]
pub struct PlanItem {
    pub script_id: i64,
    pub title: String,
    pub lang: String,
    #[ts(optional)]
    pub take_id: Option<i64>,
    pub seconds: f64,
    pub estimated_bytes: u64,
    /// Why it cannot go in: "not-approved" or "no-take".
    #[ts(optional)]
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackagePlan")]
pub struct Plan {
    pub items: Vec<PlanItem>,
    pub total_bytes: u64,
    /// Estimated bytes per language, for splitting.
    pub languages: Vec<(String, u64)>,
    pub attachment_limit: u64,
    /// The package(s) as asked would exceed the attachment limit.
    pub over_limit: bool,
    pub ready: bool,
    /// Target languages left out because they have no chosen take yet (when
    /// no languages were asked for), so nobody is surprised by their absence.
    pub skipped: Vec<PlanItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PackageBuilt")]
pub struct Built {
    pub id: String,
    pub path: String,
    pub bytes: u64,
    pub items: u32,
    pub langs: Vec<String>,
    pub over_limit: bool,
}

/// What would go in and how big it would be, without rendering anything.
pub fn plan(db: &Db, req: &BuildRequest) -> Result<Plan> {
    if req.script_ids.is_empty() {
        return Err(CoreError::invalid("scripts", "empty"));
    }
    let bitrate = u64::from(req.profile.options().bitrate_kbps) * 1000 / 8;
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    for &id in &req.script_ids {
        let d = script::get(db, id)?;
        let mut langs: Vec<String> = Vec::new();
        let wanted = match &req.langs {
            Some(l) => l.clone(),
            None => std::iter::once(translation::SOURCE_LANG.to_string())
                .chain(d.summary.target_langs.iter().cloned())
                .collect(),
        };
        for l in wanted {
            let l = text::clean_line(&l);
            if !l.is_empty() && !langs.contains(&l) {
                langs.push(l);
            }
        }
        for lang in langs {
            let take = recording::chosen(db, id, &lang)?;
            if take.is_none() && req.langs.is_none() {
                // Unasked languages without a take are not in it; say so.
                skipped.push(PlanItem {
                    script_id: id,
                    title: d.summary.title.clone(),
                    lang,
                    take_id: None,
                    seconds: 0.0,
                    estimated_bytes: 0,
                    problem: Some("no-take".into()),
                });
                continue;
            }
            let problem = if d.summary.status != Status::Approved {
                Some("not-approved")
            } else if take.is_none() {
                Some("no-take")
            } else {
                None
            };
            let seconds = take.as_ref().map(|t| t.seconds).unwrap_or(0.0);
            items.push(PlanItem {
                script_id: id,
                title: d.summary.title.clone(),
                lang,
                take_id: take.map(|t| t.id),
                seconds,
                // CBR audio plus a few kB of text and document.
                estimated_bytes: (seconds * bitrate as f64) as u64 + 16_000,
                problem: problem.map(String::from),
            });
        }
        if !items.iter().any(|i| i.script_id == id) {
            skipped.retain(|s: &PlanItem| s.script_id != id);
            items.push(PlanItem {
                script_id: id,
                title: d.summary.title.clone(),
                lang: translation::SOURCE_LANG.into(),
                take_id: None,
                seconds: 0.0,
                estimated_bytes: 0,
                problem: Some(
                    if d.summary.status != Status::Approved {
                        "not-approved"
                    } else {
                        "no-take"
                    }
                    .into(),
                ),
            });
        }
    }
    let mut languages: Vec<(String, u64)> = Vec::new();
    for i in &items {
        match languages.iter_mut().find(|(l, _)| *l == i.lang) {
            Some((_, b)) => *b += i.estimated_bytes,
            None => languages.push((i.lang.clone(), i.estimated_bytes)),
        }
    }
    let total_bytes = items.iter().map(|i| i.estimated_bytes).sum();
    let over_limit = if req.split_by_language {
        languages.iter().any(|(_, b)| *b > ATTACHMENT_LIMIT)
    } else {
        total_bytes > ATTACHMENT_LIMIT
    };
    Ok(Plan {
        ready: !items.is_empty() && items.iter().all(|i| i.problem.is_none()),
        items,
        total_bytes,
        languages,
        attachment_limit: ATTACHMENT_LIMIT,
        over_limit,
        skipped,
    })
}

/// An item ready to write: its manifest entry (files filled in when
/// written) and each file's entry and bytes.
pub(crate) struct Rendered {
    pub item: Item,
    pub files: Vec<(FileEntry, Vec<u8>)>,
}

/// Renders, signs and writes the package(s). `progress(done, total)` counts
/// items rendered; returning false cancels and leaves nothing behind.
pub fn build(
    db: &mut Db,
    data_dir: &Path,
    req: &BuildRequest,
    progress: &mut dyn FnMut(u32, u32) -> bool,
) -> Result<Vec<Built>> {
    let plan = plan(db, req)?;
    if let Some(p) = plan.items.iter().find(|i| i.problem.is_some()) {
        return Err(CoreError::invalid(
            "package",
            if p.problem.as_deref() == Some("not-approved") {
                "not-approved"
            } else {
                "no-take"
            },
        ));
    }
    let settings = crate::base::settings::load(db)?;
    let own = settings
        .station_id
        .ok_or(CoreError::invalid("station", "not-set"))?;
    let own = station::get(db, own)?;
    let key = StationKey::own(db, data_dir)?;
    let offset = crate::base::clock::local_offset(db.conn())?;
    let valid_from = match &req.valid_from {
        Some(s) => calendar::parse_date("valid-from", s)?,
        None => crate::base::clock::today(db.conn())?,
    };
    if !(1..=366).contains(&req.valid_days) {
        return Err(CoreError::invalid("valid-days", "out-of-range"));
    }
    let mut slots = Vec::new();
    for s in &req.slots {
        let m = calendar::parse_hhmm(s).ok_or(CoreError::invalid("slots", "format"))?;
        slots.push(calendar::hhmm(m));
    }
    let priority = match req.priority {
        Some(p) => p,
        None => most_urgent(db, &req.script_ids)?,
    };
    let targets = targets(db, req)?;
    let issuer = Issuer {
        station: own.summary.name.clone(),
        admin_code: own.summary.admin_code.clone().unwrap_or_default(),
        key_id: key.key_id(),
        public_key: key.public_hex(),
    };
    let title = match req.title.as_deref().map(text::canonical_vi_line) {
        Some(t) if !t.is_empty() => t,
        _ => plan.items[0].title.clone(),
    };

    // Render every item first: a failure or a cancel leaves no file.
    let l = Localizer::new("vi");
    let total = plan.items.len() as u32;
    let mut rendered = Vec::new();
    for (n, p) in plan.items.iter().enumerate() {
        if !progress(n as u32, total) {
            return Err(CoreError::Cancelled);
        }
        rendered.push(render_item(
            db,
            data_dir,
            p,
            req.profile,
            &own.summary.name,
            &l,
        )?);
    }
    progress(total, total);

    let groups: Vec<(String, Vec<Rendered>)> = if req.split_by_language {
        let mut by_lang: Vec<(String, Vec<Rendered>)> = Vec::new();
        for r in rendered {
            match by_lang.iter_mut().find(|(l, _)| *l == r.item.lang) {
                Some((_, v)) => v.push(r),
                None => by_lang.push((r.item.lang.clone(), vec![r])),
            }
        }
        by_lang
    } else {
        vec![(String::new(), rendered)]
    };
    let split = groups.len() > 1;
    let stem = format!("{valid_from}-{}", {
        let s = crate::base::files::file_slug(&title, 6);
        if s.is_empty() {
            "goi-tin".to_string()
        } else {
            s
        }
    });
    let mut written: Vec<(PathBuf, Manifest, String, Built)> = Vec::new();
    let result = (|| -> Result<()> {
        for (lang, items) in groups {
            let manifest = Manifest {
                format: FORMAT,
                id: new_uuid()?,
                title: if split {
                    format!("{title} [{lang}]")
                } else {
                    title.clone()
                },
                issuer: issuer.clone(),
                created: calendar::rfc3339(now(), offset),
                valid_from,
                valid_until: valid_from.add_days(i64::from(req.valid_days) - 1),
                priority,
                slots: slots.clone(),
                targets: targets.clone(),
                items: Vec::new(),
            };
            let path = out_path(&req.out, &stem, split.then_some(lang.as_str()))?;
            let (manifest, text, bytes) = write_package(&path, manifest, items, &key)?;
            let built = Built {
                id: manifest.id.clone(),
                path: path.display().to_string(),
                bytes,
                items: manifest.items.len() as u32,
                langs: langs_of(&manifest),
                over_limit: bytes > ATTACHMENT_LIMIT,
            };
            written.push((path, manifest, text, built));
        }
        record_sent(db, &written)
    })();
    if let Err(e) = result {
        for (path, ..) in &written {
            let _ = std::fs::remove_file(path);
        }
        return Err(e);
    }
    Ok(written.into_iter().map(|(.., b)| b).collect())
}

fn langs_of(m: &Manifest) -> Vec<String> {
    let mut langs: Vec<String> = Vec::new();
    for i in &m.items {
        if !langs.contains(&i.lang) {
            langs.push(i.lang.clone());
        }
    }
    langs
}

fn most_urgent(db: &Db, ids: &[i64]) -> Result<Priority> {
    let rank = |p: Priority| Priority::ALL.iter().position(|x| *x == p).unwrap_or(0);
    let mut best = Priority::Normal;
    for &id in ids {
        let p = script::get(db, id)?.summary.priority;
        if rank(p) > rank(best) {
            best = p;
        }
    }
    Ok(best)
}

fn targets(db: &Db, req: &BuildRequest) -> Result<Targets> {
    let mut t = Targets::default();
    for &id in &req.target_stations {
        let s = station::get(db, id)?.summary;
        t.stations.push(TargetStation {
            admin_code: s.admin_code.unwrap_or_default(),
            name: s.name,
        });
    }
    for &id in &req.target_groups {
        let g = crate::broadcast::group::get(db, id)?;
        t.groups.push(g.name);
        for m in g.members {
            if !t.stations.iter().any(|s| s.name == m.name) {
                t.stations.push(TargetStation {
                    admin_code: m.admin_code.unwrap_or_default(),
                    name: m.name,
                });
            }
        }
    }
    Ok(t)
}

fn render_item(
    db: &mut Db,
    data_dir: &Path,
    p: &super::PlanItem,
    profile: Profile,
    station_name: &str,
    l: &Localizer,
) -> Result<Rendered> {
    let take = recording::get(db, p.take_id.expect("planned items have a take"))?;
    let d = script::get(db, p.script_id)?;
    let mut opts = profile.options();
    opts.artist = station_name.to_string();
    opts.date = calendar::Date::from_unix(
        take.created_at,
        crate::base::clock::local_offset(db.conn())?,
    )
    .to_string();
    let (audio, loudness) = recording::render_bytes(db, data_dir, &take, &d, &opts, &mut |_| true)?;
    let (doc, font) = translation::document(db, p.script_id, &p.lang)?;
    let txt = crate::draft::export::script_txt(&doc, l).into_bytes();
    let docx = crate::draft::export::docx_in_font(&doc, l, &font)?;
    let srt = transcript::for_take(db, take.id)?
        .filter(|t| t.lines.iter().any(|l| l.timed()))
        .map(|t| transcript::render(&t, transcript::Format::Srt).into_bytes());
    let mut files = vec![
        (FileKind::Audio, "audio.mp3", audio),
        (FileKind::Text, "script.txt", txt),
        (FileKind::Document, "script.docx", docx),
    ];
    if let Some(srt) = srt {
        files.push((FileKind::Subtitles, "subtitles.srt", srt));
    }
    Ok(Rendered {
        item: Item {
            script_id: p.script_id,
            revision: d.summary.revision,
            lang: p.lang.clone(),
            title: d.summary.title.clone(),
            program: d.input.program.clone(),
            category: d.summary.category,
            seconds: (loudness.seconds * 10.0).round() / 10.0,
            lufs: loudness.integrated_lufs.map(|v| (v * 10.0).round() / 10.0),
            true_peak_db: loudness.true_peak_db.map(|v| (v * 10.0).round() / 10.0),
            files: Vec::new(),
        },
        files: files
            .into_iter()
            .map(|(kind, name, bytes)| {
                let entry = FileEntry {
                    kind,
                    // The folder is numbered when the package is written.
                    path: name.to_string(),
                    size: bytes.len() as u64,
                    sha256: crate::broadcast::key::hex(&Sha256::digest(&bytes)),
                };
                (entry, bytes)
            })
            .collect(),
    })
}

/// `out` as a file path, or a fresh name in `out` when it is a folder.
fn out_path(out: &str, stem: &str, lang: Option<&str>) -> Result<PathBuf> {
    let out = PathBuf::from(out.trim());
    if out.as_os_str().is_empty() {
        return Err(CoreError::invalid("out", "empty"));
    }
    // A folder that does not exist yet (the Documents folder on a fresh
    // PC) is made, unless the name is a package's.
    let is_file_name = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("loa"));
    if !out.exists() && !is_file_name {
        std::fs::create_dir_all(&out).map_err(|e| CoreError::io(&out, e))?;
    }
    if out.is_dir() {
        let base = match lang {
            Some(l) => format!("{stem}-{l}"),
            None => stem.to_string(),
        };
        for n in 1..1000 {
            let name = if n == 1 {
                format!("{base}.loa")
            } else {
                format!("{base}-{n}.loa")
            };
            let p = out.join(name);
            if !p.exists() {
                return Ok(p);
            }
        }
        return Err(CoreError::invalid("out", "exists"));
    }
    let path = match lang {
        Some(l) => {
            let s = out.file_stem().unwrap_or_default().to_string_lossy();
            out.with_file_name(format!("{s}-{l}.loa"))
        }
        None => out,
    };
    if path.exists() {
        return Err(CoreError::invalid("out", "exists"));
    }
    Ok(path)
}

/// Writes the archive beside its final name and renames it into place, so a
/// half-written package never appears on the stick.
pub(crate) fn write_package(
    path: &Path,
    mut manifest: Manifest,
    items: Vec<Rendered>,
    key: &StationKey,
) -> Result<(Manifest, String, u64)> {
    let part = path.with_extension("loa.part");
    let io = |e: std::io::Error| CoreError::io(&part, e);
    let zerr =
        |e: zip::result::ZipError| CoreError::io(&part, std::io::Error::other(e.to_string()));
    let file = std::fs::File::create(&part).map_err(io)?;
    let result = (|| -> Result<u64> {
        let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (n, r) in items.into_iter().enumerate() {
            let folder = format!("items/{:03}-{}", n + 1, r.item.lang);
            let mut item = r.item;
            for (mut entry, bytes) in r.files {
                entry.path = format!("{folder}/{}", entry.path);
                let opts = if entry.kind == FileKind::Audio {
                    stored
                } else {
                    deflated
                };
                zip.start_file(entry.path.as_str(), opts).map_err(zerr)?;
                zip.write_all(&bytes).map_err(io)?;
                item.files.push(entry);
            }
            manifest.items.push(item);
        }
        let text = serde_json::to_string_pretty(&manifest).expect("manifest serializes");
        zip.start_file(MANIFEST, deflated).map_err(zerr)?;
        zip.write_all(text.as_bytes()).map_err(io)?;
        zip.start_file(SIGNATURE, stored).map_err(zerr)?;
        zip.write_all(&key.sign(text.as_bytes())).map_err(io)?;
        let mut w = zip.finish().map_err(zerr)?;
        w.flush().map_err(io)?;
        let f = w.into_inner().map_err(|e| io(e.into_error()))?;
        f.sync_all().map_err(io)?;
        Ok(f.metadata().map_err(io)?.len())
    })();
    let bytes = match result {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return Err(e);
        }
    };
    std::fs::rename(&part, path).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        CoreError::io(path, e)
    })?;
    let text = serde_json::to_string_pretty(&manifest).expect("manifest serializes");
    Ok((manifest, text, bytes))
}

fn record_sent(db: &mut Db, written: &[(PathBuf, Manifest, String, Built)]) -> Result<()> {
    let tx = db.conn_mut().transaction()?;
    for (path, m, text, built) in written {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        super::library::record(&tx, "sent", m, text, &file_name, built.bytes, None, |_| {
            String::new()
        })?;
    }
    tx.commit()?;
    Ok(())
}
