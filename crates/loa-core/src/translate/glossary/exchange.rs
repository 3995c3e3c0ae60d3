//! Whole glossaries in and out: CSV/TSV and XLSX tables (one row per
//! concept, columns mapped to fields by the user) and TBX.
//!
//! An import runs in one transaction. A preview is the same import rolled
//! back, so its counts (new, duplicate, conflicting) are exactly what the
//! import will do. A malformed file is reported with its row or line and
//! changes nothing.

use super::{
    clean_input, get, insert_concept, insert_term, tbx, ConceptInput, Incoming, TermInput,
};
use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::language::{self, Language};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-, semicolon- or tab-separated text (the separator is detected).
    Csv,
    Xlsx,
    Tbx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "tbx" | "xml" => Some(Format::Tbx),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn of_path(path: &str) -> Option<Format> {
        Format::parse(path.rsplit('.').next().unwrap_or(""))
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Tbx => "tbx",
        }
    }
}

/// What to do with an imported concept that shares a term with an existing
/// one but differs from it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    /// Add its missing terms to the existing concept.
    #[default]
    Merge,
    /// Leave the existing concept as it is.
    Skip,
    /// Keep both: the imported one becomes a concept of its own.
    Add,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    pub format: Format,
    /// Per column of a table: "" (ignore), "id", "domain", "definition",
    /// "note", or "term:LANG", "status:LANG", "pos:LANG", "usage:LANG".
    /// Absent: guessed from the header row.
    #[ts(optional)]
    pub mapping: Option<Vec<String>>,
    #[serde(default)]
    pub on_conflict: OnConflict,
}

/// IPC arguments: a file's bytes and how to import it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportRequest {
    pub bytes: Vec<u8>,
    pub options: ImportOptions,
    /// false: only preview.
    pub commit: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// The table's header row (empty for TBX).
    pub headers: Vec<String>,
    /// The mapping used, one entry per header.
    pub mapping: Vec<String>,
    /// The first rows of the table, to check the mapping against.
    pub sample: Vec<Vec<String>>,
    pub concepts: u32,
    pub terms: u32,
    pub new: u32,
    pub duplicate: u32,
    pub conflicting: u32,
    /// Languages in the file that the registry does not have (skipped).
    pub ignored_languages: Vec<String>,
}

/// A table: header row and data rows with their 1-based row numbers.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

fn bad(name: &str, line: Option<usize>, detail: impl Into<String>) -> CoreError {
    CoreError::DataFile {
        name: name.into(),
        line,
        detail: detail.into(),
    }
}

/// Text of a file as offices write it: UTF-8 (with or without BOM), UTF-16
/// with BOM (Excel's "Unicode text"), else Windows-1258, the Vietnamese code
/// page older tools save in.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1258
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Reads CSV/TSV, detecting the separator from the header line.
pub fn read_csv(bytes: &[u8]) -> Result<Table> {
    let text = decode(bytes);
    let delimiter = crate::base::csvfile::guess_delimiter(&text, b"\t;,");
    table_from_rows("CSV", crate::base::csvfile::rows("CSV", &text, delimiter)?)
}

/// The largest sheet a glossary is read from. A sheet is read cell by cell
/// and a cell beyond these is refused, so a file declaring (or holding a
/// cell at) XFD1048576 cannot make the reader allocate rows × columns.
pub const XLSX_MAX_ROWS: u32 = 200_000;
pub const XLSX_MAX_COLUMNS: u32 = 256;
/// The parts of an .xlsx (a ZIP) may expand to this much in all.
pub const XLSX_MAX_EXPANDED: u64 = 512 * 1024 * 1024;

/// Reads the first worksheet that has data.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    check_workbook("XLSX", bytes, XLSX_MAX_EXPANDED)?;
    // calamine is checked before it reads (above), and a panic inside it
    // on some input not foreseen is still a refused file, not a crash.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx_checked(bytes)))
        .unwrap_or_else(|_| Err(CoreError::data_row("XLSX", None, "sheet-damaged", "")))
}

fn read_xlsx_checked(bytes: &[u8]) -> Result<Table> {
    use calamine::{Data, Reader};
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad("XLSX", None, e.to_string()))?;
    for name in book.sheet_names() {
        let mut cells = book
            .worksheet_cells_reader(&name)
            .map_err(|e| bad("XLSX", None, e.to_string()))?;
        let mut rows: std::collections::BTreeMap<u32, Vec<(u32, String)>> = Default::default();
        while let Some(cell) = cells
            .next_cell()
            .map_err(|e| bad("XLSX", None, e.to_string()))?
        {
            let (r, c) = cell.get_position();
            let text = match Data::from(cell.get_value().clone()) {
                Data::Empty => continue,
                Data::String(s) => s,
                // Ids typed as numbers come back as floats.
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                Data::Error(e) => format!("#{e:?}"),
                other => other.to_string(),
            };
            if r >= XLSX_MAX_ROWS || c >= XLSX_MAX_COLUMNS {
                return Err(CoreError::data_row(
                    "XLSX",
                    Some(r as usize + 1),
                    "sheet-too-large",
                    cell_name(r, c),
                ));
            }
            rows.entry(r).or_default().push((c, text));
        }
        if rows.is_empty() {
            continue;
        }
        let width = rows
            .values()
            .flatten()
            .map(|(c, _)| c + 1)
            .max()
            .unwrap_or(0) as usize;
        let rows = rows
            .into_iter()
            .map(|(r, cells)| {
                let mut row = vec![String::new(); width];
                for (c, text) in cells {
                    row[c as usize] = text;
                }
                (r as usize + 1, row)
            })
            .collect();
        return table_from_rows("XLSX", rows);
    }
    Err(CoreError::data_row("XLSX", None, "empty-file", ""))
}

/// `A1`-style name of a 0-based cell position.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// Refuses a ZIP-based file (XLSX) whose parts declare more than `limit`
/// bytes in all, before any part is expanded; and a worksheet whose
/// declared range ends before it starts (`B2:A1`), which the reader does
/// not expect.
fn check_workbook(name: &str, bytes: &[u8], limit: u64) -> Result<()> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(name, None, e.to_string()))?;
    let mut total: u64 = 0;
    let mut sheets = Vec::new();
    for i in 0..zip.len() {
        let e = zip
            .by_index_raw(i)
            .map_err(|e| bad(name, None, e.to_string()))?;
        total = total.saturating_add(e.size());
        if e.name().is_ok_and(|n| n.starts_with("xl/worksheets/")) {
            sheets.push(i);
        }
    }
    if total > limit {
        return Err(CoreError::data_row(
            name,
            None,
            "file-too-large",
            format!("{} MB", total >> 20),
        ));
    }
    for i in sheets {
        let mut head = Vec::new();
        if let Ok(e) = zip.by_index(i) {
            // The range is declared at the top of the sheet.
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(e, 64 * 1024), &mut head);
        }
        if let Some(range) = declared_range(&head) {
            let ends = range
                .split_once(':')
                .map(|(a, b)| (cell_pos(a), cell_pos(b)));
            if let Some((Some((r1, c1)), Some((r2, c2)))) = ends {
                if r2 < r1 || c2 < c1 {
                    return Err(CoreError::data_row(name, None, "sheet-damaged", &range));
                }
            }
        }
    }
    Ok(())
}

/// The `ref` of a sheet's `<dimension>`, if its first bytes have one.
fn declared_range(xml: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(xml);
    let at = text.find("<dimension")?;
    let rest = &text[at..];
    let rest = &rest[rest.find("ref=")? + 4..];
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].to_string())
}

/// (row, column), 0-based, of an `A1`-style cell name.
fn cell_pos(name: &str) -> Option<(u64, u64)> {
    let name = name.trim().trim_start_matches('$');
    let split = name.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = name.split_at(split);
    let letters = letters.trim_end_matches('$');
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().fold(0u64, |acc, b| {
        acc * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u64 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The first non-empty row is the header; empty rows are dropped.
fn table_from_rows(name: &str, rows: Vec<(usize, Vec<String>)>) -> Result<Table> {
    let mut rows = rows
        .into_iter()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let (_, headers) = rows
        .next()
        .ok_or_else(|| CoreError::data_row(name, None, "empty-file", ""))?;
    let headers = headers.iter().map(|h| text::clean_line(h)).collect();
    Ok(Table {
        headers,
        rows: rows.collect(),
    })
}

fn lang_of_label(label: &str, langs: &[Language]) -> Option<String> {
    let key = text::fold(label)
        .replace(['(', ')', '_', '-', ':'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let bare = key.strip_prefix("tieng ").unwrap_or(&key).to_string();
    langs
        .iter()
        .find(|l| {
            let name = text::fold(&l.name_vi);
            let name_bare = name.strip_prefix("tieng ").unwrap_or(&name);
            l.code == bare
                || crate::translate::tmx::from_bcp47(&bare) == l.code
                || name == key
                || name_bare == bare
                || name_bare.split(" (").next() == Some(bare.as_str())
                || (!l.name_native.is_empty() && text::fold(&l.name_native) == key)
                || (l.code == "vie" && matches!(bare.as_str(), "viet" | "vietnamese"))
        })
        .map(|l| l.code.clone())
}

/// Guesses each column's field from its header, in Vietnamese or English:
/// "Tiếng Mường", "mtq", "vi" → term; "mtq status", "Trạng thái (mtq)" →
/// status; "Lĩnh vực", "Domain" → domain; unknown headers are ignored.
pub fn guess_mapping(headers: &[String], langs: &[Language]) -> Vec<String> {
    let fields: &[(&str, &[&str])] = &[
        ("id", &["id", "ma", "stt", "concept id", "concept_id", "so"]),
        (
            "domain",
            &["domain", "linh vuc", "subject", "subject field", "chu de"],
        ),
        (
            "definition",
            &[
                "definition",
                "dinh nghia",
                "giai nghia",
                "concept en",
                "concept_en",
                "gloss",
            ],
        ),
        ("note", &["note", "notes", "ghi chu"]),
    ];
    let kinds: &[(&str, &[&str])] = &[
        ("status", &["status", "trang thai"]),
        ("pos", &["pos", "part of speech", "tu loai"]),
        ("usage", &["note", "usage", "usage note", "ghi chu"]),
    ];
    let mut used = BTreeSet::new();
    headers
        .iter()
        .map(|h| {
            let key = text::fold(h);
            let mut field = fields
                .iter()
                .find(|(_, names)| names.contains(&key.as_str()))
                .map(|(f, _)| f.to_string());
            if field.is_none() {
                for (kind, words) in kinds {
                    for w in *words {
                        let rest = key
                            .strip_prefix(w)
                            .or_else(|| key.strip_suffix(w))
                            .map(str::trim);
                        if let Some(lang) = rest
                            .filter(|r| !r.is_empty())
                            .and_then(|r| lang_of_label(r, langs))
                        {
                            field = Some(format!("{kind}:{lang}"));
                        }
                    }
                    if field.is_some() {
                        break;
                    }
                }
            }
            if field.is_none() {
                field = lang_of_label(h, langs).map(|l| format!("term:{l}"));
            }
            match field {
                // A field is taken by its first column only.
                Some(f) if used.insert(f.clone()) => f,
                _ => String::new(),
            }
        })
        .collect()
}

/// How a table cell holds several terms.
#[derive(Clone, Copy)]
pub(crate) enum Split {
    /// "a; b | c": what glossaries exported by tools use.
    Plain,
    /// Descriptive word lists: also "/" and ",", with notes in brackets.
    Descriptive,
}

fn split_cell(cell: &str, split: Split) -> Vec<(String, String)> {
    match split {
        Split::Plain => cell
            .split([';', '|', '\n'])
            .map(|p| (p.trim().to_string(), String::new()))
            .filter(|(p, _)| !p.is_empty())
            .collect(),
        Split::Descriptive => super::split_forms(cell)
            .into_iter()
            .map(|f| (f.text, f.note))
            .collect(),
    }
}

fn parse_status(s: &str) -> Option<&'static str> {
    let k = text::fold(s);
    Some(match k.as_str() {
        "" | "admitted" | "chap nhan" | "cho phep" | "duoc dung" => "admitted",
        "preferred" | "uu tien" | "nen dung" | "khuyen dung" => "preferred",
        "deprecated" | "han che" | "khong khuyen khich" | "khong nen dung" => "deprecated",
        "forbidden" | "cam" | "cam dung" | "khong dung" => "forbidden",
        _ => return None,
    })
}

/// Turns table rows into concepts through the column mapping.
pub(crate) fn table_concepts(
    name: &str,
    table: &Table,
    mapping: &[String],
    split: Split,
    domain: &str,
    source: &str,
    langs: &[Language],
) -> Result<Vec<Incoming>> {
    // Validate the mapping itself before touching rows.
    for m in mapping.iter().filter(|m| !m.is_empty()) {
        let ok = match m.split_once(':') {
            Some((kind, lang)) => {
                matches!(kind, "term" | "status" | "pos" | "usage")
                    && langs.iter().any(|l| l.code == lang)
            }
            None => matches!(m.as_str(), "id" | "domain" | "definition" | "note"),
        };
        if !ok {
            return Err(CoreError::invalid("mapping", "unknown"));
        }
    }
    if !mapping.iter().any(|m| m.starts_with("term:")) {
        return Err(CoreError::invalid("mapping", "no-terms"));
    }
    let col = |field: &str| mapping.iter().position(|m| m == field);
    let mut out = Vec::new();
    for (line, row) in &table.rows {
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|s| s.as_str()).unwrap_or("");
        let mut terms = Vec::new();
        for (i, m) in mapping.iter().enumerate() {
            let Some(lang) = m.strip_prefix("term:") else {
                continue;
            };
            let forms = split_cell(cell(Some(i)), split);
            let per_form = |kind: &str| -> Vec<String> {
                cell(col(&format!("{kind}:{lang}")))
                    .split([';', '|'])
                    .map(|s| s.trim().to_string())
                    .collect()
            };
            let (statuses, poses, usages) =
                (per_form("status"), per_form("pos"), per_form("usage"));
            // One value applies to every form; a list applies form by form.
            let nth = |v: &Vec<String>, k: usize| -> String {
                if v.len() == forms.len() {
                    v[k].clone()
                } else {
                    v.first().cloned().unwrap_or_default()
                }
            };
            for (k, (form, note)) in forms.iter().enumerate() {
                let raw_status = nth(&statuses, k);
                let status = parse_status(&raw_status).ok_or_else(|| {
                    CoreError::data_row(name, Some(*line), "unknown-status", &raw_status)
                })?;
                let usage = nth(&usages, k);
                terms.push(TermInput {
                    id: None,
                    lang: lang.to_string(),
                    text: form.clone(),
                    status: status.to_string(),
                    part_of_speech: nth(&poses, k),
                    usage_note: if usage.is_empty() {
                        note.clone()
                    } else {
                        usage
                    },
                    source: source.to_string(),
                });
            }
        }
        let definition = cell(col("definition"));
        if terms.is_empty() {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Err(CoreError::data_row(name, Some(*line), "no-term", ""));
        }
        let row_domain = cell(col("domain"));
        out.push(Incoming {
            line: *line,
            concept: ConceptInput {
                external_id: cell(col("id")).to_string(),
                domain: if row_domain.trim().is_empty() {
                    domain
                } else {
                    row_domain
                }
                .to_string(),
                definition: definition.to_string(),
                note: cell(col("note")).to_string(),
                source: source.to_string(),
                terms,
            },
        });
    }
    if out.is_empty() {
        return Err(CoreError::data_row(name, None, "no-terms-in-file", ""));
    }
    Ok(out)
}

#[derive(Default)]
pub(crate) struct Counts {
    pub concepts: u32,
    pub terms: u32,
    pub new: u32,
    pub duplicate: u32,
    pub conflicting: u32,
}

/// Live concepts holding a term with this exact (tone-canonical, case-
/// insensitive) text in this language.
fn concepts_with_term(conn: &Connection, lang: &str, term: &str) -> Result<Vec<i64>> {
    let key = text::match_key(term);
    let mut stmt = conn.prepare_cached(
        "SELECT t.concept_id, t.text FROM terms t JOIN concepts c ON c.id = t.concept_id
          WHERE c.deleted_at IS NULL AND t.lang = ?1 AND t.search_key = ?2",
    )?;
    let rows = stmt.query_map(params![lang, text::fold(term)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, t) = row?;
        if text::match_key(&t) == key {
            out.push(id);
        }
    }
    Ok(out)
}

/// Adds the concepts, sorting each into new, duplicate (every term already
/// in one existing concept) or conflicting (shares a term with an existing
/// concept but differs from it).
pub(crate) fn apply(
    conn: &Connection,
    name: &str,
    incoming: Vec<Incoming>,
    on_conflict: OnConflict,
    who: &str,
) -> Result<Counts> {
    let at = now();
    let mut counts = Counts::default();
    crate::base::store::bump_revision(conn, crate::base::store::Revision::Glossary)?;
    for Incoming { line, concept } in incoming {
        let c = clean_input(conn, &concept).map_err(|e| match e {
            CoreError::Invalid { field, .. } => {
                CoreError::data_row(name, Some(line), "invalid-row", field)
            }
            CoreError::NotFound { id, .. } => {
                CoreError::data_row(name, Some(line), "unknown-language", &id)
            }
            e => e,
        })?;
        counts.concepts += 1;
        counts.terms += c.terms.len() as u32;
        let mut matched = BTreeSet::new();
        let mut found = 0;
        for t in &c.terms {
            let hits = concepts_with_term(conn, &t.lang, &t.text)?;
            if !hits.is_empty() {
                found += 1;
            }
            matched.extend(hits);
        }
        if matched.is_empty() {
            counts.new += 1;
            insert_concept(conn, &c, who, at)?;
            continue;
        }
        let first = *matched.iter().next().unwrap_or(&0);
        if matched.len() == 1 && found == c.terms.len() {
            counts.duplicate += 1;
            continue;
        }
        counts.conflicting += 1;
        match on_conflict {
            OnConflict::Skip => {}
            OnConflict::Add => {
                insert_concept(conn, &c, who, at)?;
            }
            OnConflict::Merge => {
                let existing = get(conn, first)?;
                for t in &c.terms {
                    let key = text::match_key(&t.text);
                    let has = existing
                        .terms
                        .iter()
                        .any(|e| e.lang == t.lang && text::match_key(&e.text) == key);
                    if !has {
                        insert_term(conn, first, t, who, at)?;
                    }
                }
            }
        }
    }
    Ok(counts)
}

/// Imports (or, with `commit` false, previews) a glossary file.
pub fn import(
    db: &mut Db,
    bytes: &[u8],
    opts: &ImportOptions,
    who: &str,
    commit: bool,
) -> Result<ImportReport> {
    use crate::base::limits::{check_len, ImportKind};
    let kind = match opts.format {
        Format::Tbx => ImportKind::Tbx,
        Format::Csv => ImportKind::GlossaryCsv,
        Format::Xlsx => ImportKind::GlossaryXlsx,
    };
    check_len(opts.format.extension(), kind, bytes.len() as u64)?;
    let langs = language::list(db)?;
    let mut report = ImportReport::default();
    let incoming = match opts.format {
        Format::Tbx => {
            let (incoming, ignored) = tbx::read(&decode(bytes), &langs)?;
            report.ignored_languages = ignored;
            incoming
        }
        Format::Csv | Format::Xlsx => {
            let (name, table) = if opts.format == Format::Csv {
                ("CSV", read_csv(bytes)?)
            } else {
                ("XLSX", read_xlsx(bytes)?)
            };
            let mapping = match &opts.mapping {
                Some(m) => {
                    let mut m = m.clone();
                    m.resize(table.headers.len(), String::new());
                    m
                }
                None => guess_mapping(&table.headers, &langs),
            };
            report.sample = table.rows.iter().take(5).map(|(_, r)| r.clone()).collect();
            report.headers = table.headers.clone();
            report.mapping = mapping.clone();
            table_concepts(name, &table, &mapping, Split::Plain, "", "", &langs)?
        }
    };
    let tx = db.conn_mut().transaction()?;
    let name = match opts.format {
        Format::Csv => "CSV",
        Format::Xlsx => "XLSX",
        Format::Tbx => "TBX",
    };
    let counts = apply(&tx, name, incoming, opts.on_conflict, who)?;
    if commit {
        tx.commit()?;
    }
    report.concepts = counts.concepts;
    report.terms = counts.terms;
    report.new = counts.new;
    report.duplicate = counts.duplicate;
    report.conflicting = counts.conflicting;
    Ok(report)
}

/// The glossary as a table: id, domain, definition, note, then per language
/// in use its terms, statuses, parts of speech and usage notes (several
/// terms in a cell are separated by "; ", in the same order in each column).
pub fn to_table(conn: &Connection) -> Result<Table> {
    let concepts = super::all(conn)?;
    let langs: Vec<String> = {
        let mut stmt = conn.prepare_cached(
            "SELECT l.code FROM languages l WHERE EXISTS (SELECT 1 FROM terms t WHERE t.lang = l.code)
              ORDER BY l.sort, l.code",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut headers: Vec<String> = ["id", "domain", "definition", "note"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for l in &langs {
        headers.extend([
            l.clone(),
            format!("{l} status"),
            format!("{l} pos"),
            format!("{l} usage"),
        ]);
    }
    let rows = concepts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = vec![
                if c.external_id.is_empty() {
                    format!("c{}", c.id)
                } else {
                    c.external_id.clone()
                },
                c.domain.clone(),
                c.definition.clone(),
                c.note.clone(),
            ];
            for l in &langs {
                let terms: Vec<_> = c.terms.iter().filter(|t| &t.lang == l).collect();
                let join = |f: &dyn Fn(&super::Term) -> String| {
                    let parts: Vec<String> = terms.iter().map(|t| f(t)).collect();
                    if parts.iter().all(|p| p.is_empty()) {
                        String::new()
                    } else {
                        parts.join("; ")
                    }
                };
                row.push(join(&|t| t.text.clone()));
                row.push(join(&|t| t.status.clone()));
                row.push(join(&|t| t.part_of_speech.clone()));
                row.push(join(&|t| t.usage_note.clone()));
            }
            (i + 2, row)
        })
        .collect();
    Ok(Table { headers, rows })
}

/// CSV in UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8.
pub fn write_csv(table: &Table) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let io = |e: csv::Error| bad("CSV", None, e.to_string());
    w.write_record(&table.headers).map_err(io)?;
    for (_, row) in &table.rows {
        w.write_record(row).map_err(io)?;
    }
    w.into_inner().map_err(|e| bad("CSV", None, e.to_string()))
}

pub fn write_xlsx(table: &Table) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| bad("XLSX", None, e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Glossary").map_err(err)?;
    let bold = CellFormat::new().set_bold();
    for (c, h) in table.headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, h, &bold)
            .map_err(err)?;
        let width = if c == 2 || c == 3 { 40.0 } else { 18.0 };
        sheet.set_column_width(c as u16, width).map_err(err)?;
    }
    for (r, (_, row)) in table.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, v).map_err(err)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// The whole glossary in the given format.
pub fn export(db: &Db, format: Format) -> Result<Vec<u8>> {
    match format {
        Format::Csv => write_csv(&to_table(db.conn())?),
        Format::Xlsx => write_xlsx(&to_table(db.conn())?),
        Format::Tbx => Ok(tbx::write(db.conn())?.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::glossary::{self, ConceptQuery};

    fn opts(format: Format) -> ImportOptions {
        ImportOptions {
            format,
            mapping: None,
            on_conflict: OnConflict::Merge,
        }
    }

    fn all_terms(db: &Db) -> Vec<(String, String, String)> {
        glossary::all(db.conn())
            .unwrap()
            .iter()
            .flat_map(|c| {
                c.terms
                    .iter()
                    .map(|t| (t.lang.clone(), t.text.clone(), t.status.clone()))
            })
            .collect()
    }

    #[test]
    fn headers_are_guessed_in_both_languages() {
        let db = Db::open_in_memory().unwrap();
        let langs = language::list(&db).unwrap();
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            guess_mapping(
                &h(&[
                    "STT",
                    "Lĩnh vực",
                    "Tiếng Việt",
                    "Tiếng Mường",
                    "Trạng thái (Mường)",
                    "Ghi chú",
                    "Người nhập"
                ]),
                &langs
            ),
            h(&[
                "id",
                "domain",
                "term:vie",
                "term:mtq",
                "status:mtq",
                "note",
                ""
            ])
        );
        assert_eq!(
            guess_mapping(
                &h(&[
                    "id",
                    "definition",
                    "vi",
                    "blt",
                    "blt status",
                    "mtq pos",
                    "mtq usage"
                ]),
                &langs
            ),
            h(&[
                "id",
                "definition",
                "term:vie",
                "term:blt",
                "status:blt",
                "pos:mtq",
                "usage:mtq"
            ])
        );
        assert_eq!(
            guess_mapping(&h(&["Thái", "Ê Đê", "vie"]), &langs),
            h(&["term:blt", "term:rad", "term:vie"])
        );
    }

    #[test]
    fn csv_preview_counts_then_import() {
        let mut db = Db::open_in_memory().unwrap();
        glossary::create(
            &mut db,
            &ConceptInput {
                terms: vec![TermInput {
                    lang: "vie".into(),
                    text: "hộ nghèo".into(),
                    status: "preferred".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
            "Lan",
        )
        .unwrap();
        // Semicolons (Excel in a Vietnamese locale), a BOM, Windows lines.
        let csv = "\u{feff}Tiếng Việt;Tiếng Mường;Trạng thái Mường;Lĩnh vực\r\n\
                   bảo hiểm y tế;bảo hiểm y tế;ưu tiên;y tế\r\n\
                   hộ nghèo;;;\r\n\
                   Hộ nghèo;hộ khó;cấm;\r\n\
                   ;;;\r\n";
        let preview = import(&mut db, csv.as_bytes(), &opts(Format::Csv), "Lan", false).unwrap();
        assert_eq!(
            preview.mapping,
            vec!["term:vie", "term:mtq", "status:mtq", "domain"]
        );
        assert_eq!(
            (
                preview.concepts,
                preview.new,
                preview.duplicate,
                preview.conflicting
            ),
            (3, 1, 1, 1)
        );
        assert_eq!(preview.sample.len(), 3);
        assert_eq!(
            glossary::count(&db).unwrap(),
            1,
            "a preview changes nothing"
        );

        let done = import(&mut db, csv.as_bytes(), &opts(Format::Csv), "Lan", true).unwrap();
        assert_eq!(done.new, 1);
        assert_eq!(glossary::count(&db).unwrap(), 2);
        // The conflicting row's Mường term was merged into "hộ nghèo".
        let page = glossary::list(
            &db,
            &ConceptQuery {
                search: Some("ho ngheo".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let terms: Vec<_> = page.items[0]
            .terms
            .iter()
            .map(|t| (t.text.as_str(), t.status.as_str()))
            .collect();
        assert_eq!(
            terms,
            vec![("hộ nghèo", "preferred"), ("hộ khó", "forbidden")]
        );
    }

    #[test]
    fn bad_files_name_the_row_and_change_nothing() {
        let mut db = Db::open_in_memory().unwrap();
        let csv = "vi,mtq,mtq status\nA,B,preferred\nC,D,maybe\n";
        match import(&mut db, csv.as_bytes(), &opts(Format::Csv), "Lan", true).unwrap_err() {
            CoreError::DataRow {
                line,
                problem,
                value,
                ..
            } => {
                assert_eq!(
                    (line, problem, value.as_str()),
                    (Some(3), "unknown-status", "maybe")
                );
            }
            e => panic!("{e:?}"),
        }
        assert_eq!(glossary::count(&db).unwrap(), 0);
        let csv = "vi,definition\nA,x\n,only a definition\n";
        match import(&mut db, csv.as_bytes(), &opts(Format::Csv), "Lan", true).unwrap_err() {
            CoreError::DataRow { line, problem, .. } => {
                assert_eq!((line, problem), (Some(3), "no-term"))
            }
            e => panic!("{e:?}"),
        }
        assert_eq!(glossary::count(&db).unwrap(), 0);
        let no_terms = "foo,bar\n1,2\n";
        assert_eq!(
            import(
                &mut db,
                no_terms.as_bytes(),
                &opts(Format::Csv),
                "Lan",
                true
            )
            .unwrap_err()
            .code(),
            "invalid"
        );
        let bad_map = ImportOptions {
            mapping: Some(vec!["term:xxx".into()]),
            ..opts(Format::Csv)
        };
        assert_eq!(
            import(&mut db, b"a\nb\n", &bad_map, "Lan", true)
                .unwrap_err()
                .code(),
            "invalid"
        );
        assert_eq!(
            import(
                &mut db,
                b"PK\x03\x04garbage",
                &opts(Format::Xlsx),
                "Lan",
                true
            )
            .unwrap_err()
            .code(),
            "data-file"
        );
        let tbx = "<tbx><text><body><conceptEntry id=\"a\"><langSec xml:lang=\"vi\"><termSec><term>A</term></termSec></langSec></conceptEntry>\n<conceptEntry><langSec xml:lang=\"vi\"><termSec><term>B</term></langSec></conceptEntry></body></text></tbx>";
        match import(&mut db, tbx.as_bytes(), &opts(Format::Tbx), "Lan", true).unwrap_err() {
            CoreError::DataFile { line, .. } => assert_eq!(line, Some(2)),
            e => panic!("{e:?}"),
        }
        assert_eq!(glossary::count(&db).unwrap(), 0);
    }

    fn sample_glossary() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        let t = |lang: &str, text: &str, status: &str| TermInput {
            lang: lang.into(),
            text: text.into(),
            status: status.into(),
            part_of_speech: "noun".into(),
            usage_note: if status == "forbidden" {
                "không dùng khi phát thanh".into()
            } else {
                String::new()
            },
            ..Default::default()
        };
        glossary::create(
            &mut db,
            &ConceptInput {
                external_id: "12_bitter".into(),
                domain: "y tế".into(),
                definition: "Bảo hiểm do Nhà nước tổ chức; \"bắt buộc\" & <không> vì lợi nhuận"
                    .into(),
                terms: vec![
                    t("vie", "bảo hiểm y tế", "preferred"),
                    t("vie", "BHYT", "admitted"),
                    t("mtq", "bảo hiểm y tế", "admitted"),
                    t("mtq", "bảo hiểm khám", "deprecated"),
                    t("blt", "\u{AA80}\u{AAB1}\u{AA95}", "forbidden"),
                ],
                ..Default::default()
            },
            "Lan",
        )
        .unwrap();
        glossary::create(
            &mut db,
            &ConceptInput {
                terms: vec![t("vie", "tiêm chủng", "preferred")],
                ..Default::default()
            },
            "Lan",
        )
        .unwrap();
        db
    }

    /// (lang, text, status, part of speech, usage note)
    type TermFields = (String, String, String, String, String);
    /// (external id, domain, definition, terms)
    type ConceptFields = (String, String, String, Vec<TermFields>);

    fn fields(db: &Db) -> Vec<ConceptFields> {
        glossary::all(db.conn())
            .unwrap()
            .into_iter()
            .map(|c| {
                (
                    c.external_id,
                    c.domain,
                    c.definition,
                    c.terms
                        .into_iter()
                        .map(|t| (t.lang, t.text, t.status, t.part_of_speech, t.usage_note))
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn every_format_round_trips() {
        let db = sample_glossary();
        let original = fields(&db);
        for format in [Format::Csv, Format::Xlsx, Format::Tbx] {
            let bytes = export(&db, format).unwrap();
            let mut other = Db::open_in_memory().unwrap();
            let r = import(&mut other, &bytes, &opts(format), "Hùng", true).unwrap();
            assert_eq!((r.concepts, r.new, r.terms), (2, 2, 6), "{format:?}");
            let mut got = fields(&other);
            // Exports name every concept; the second had no id.
            assert_eq!(
                got[1].0,
                format!("c{}", glossary::all(db.conn()).unwrap()[1].id)
            );
            got[1].0.clear();
            assert_eq!(got, original, "{format:?}");
            // Importing the same file again finds only duplicates.
            let again = import(&mut other, &bytes, &opts(format), "Hùng", false).unwrap();
            assert_eq!((again.new, again.duplicate), (0, 2), "{format:?}");
        }
        let tbx = String::from_utf8(export(&db, Format::Tbx).unwrap()).unwrap();
        assert!(tbx.contains("<conceptEntry id=\"_12_bitter\">"));
        assert!(tbx
            .contains("<termNote type=\"administrativeStatus\">obsoleteTerm-admn-sts</termNote>"));
        assert!(tbx.contains(
            "<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>"
        ));
        assert!(tbx.contains("&quot;bắt buộc&quot; &amp; &lt;không&gt;"));
    }

    #[test]
    fn tbx_2008_from_other_tools() {
        let tbx = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>memoQ</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="t1"><descrip type="subjectField">Health</descrip>
  <langSet xml:lang="vi-VN"><tig><term>tiêm chủng</term><termNote type="normativeAuthorization">preferredTerm</termNote></tig></langSet>
  <langSet xml:lang="en"><tig><term>vaccination</term></tig></langSet>
  <langSet xml:lang="mtq"><ntig><termGrp><term>tiêm <hi>chủng</hi></term></termGrp><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></ntig></langSet>
</termEntry></body></text></martif>"#;
        let mut db = Db::open_in_memory().unwrap();
        let r = import(&mut db, tbx.as_bytes(), &opts(Format::Tbx), "Lan", true).unwrap();
        assert_eq!(r.ignored_languages, vec!["en"]);
        assert_eq!(
            all_terms(&db),
            vec![
                ("vie".into(), "tiêm chủng".into(), "preferred".into()),
                ("mtq".into(), "tiêm chủng".into(), "forbidden".into())
            ]
        );
        assert_eq!(glossary::all(db.conn()).unwrap()[0].domain, "Health");
    }

    #[test]
    fn legacy_encodings_decode() {
        // "Tiếng Việt" in UTF-16LE with BOM, as Excel's "Unicode text" saves.
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Tiếng Việt\tTiếng Mường\nnước\tnác\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let mut db = Db::open_in_memory().unwrap();
        let r = import(&mut db, &utf16, &opts(Format::Csv), "Lan", true).unwrap();
        assert_eq!(r.terms, 2);
        assert_eq!(all_terms(&db)[1].1, "nác");
        // Windows-1258 writes tones as combining marks: "ế" is ê + U+0301.
        let cp1258 = [
            0x54, 0x69, 0xEA, 0xEC, 0x6E, 0x67, 0x0A, 0xF0, 0xFD, 0xF5, 0xCC, 0x6E, 0x67,
        ];
        assert_eq!(text::clean(&decode(&cp1258)), "Tiếng\nđường");
    }

    /// A workbook whose sheet declares its range backwards (`B2:A1`), as
    /// the fuzzer made one: refused, not a panic in the reader.
    #[test]
    fn a_backwards_sheet_range_is_refused() {
        use std::io::{Read, Write};
        let db = sample_glossary();
        let good = export(&db, Format::Xlsx).unwrap();
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..zin.len() {
            let mut e = zin.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            if name.starts_with("xl/worksheets/") {
                let text = String::from_utf8(data).unwrap();
                let at = text.find("<dimension ref=\"").unwrap() + 16;
                let end = at + text[at..].find('"').unwrap();
                let (a, b) = text[at..end].split_once(':').unwrap();
                data = format!("{}{b}:{a}{}", &text[..at], &text[end..]).into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&data).unwrap();
        }
        let bytes = out.finish().unwrap().into_inner();
        let err = read_xlsx(&bytes).err().expect("refused");
        assert_eq!(err.args()[2], ("problem", "sheet-damaged".to_string()));
        assert_eq!(cell_pos("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_pos("$B$2"), Some((1, 1)));
        assert_eq!(cell_pos("A0"), None);
    }
}
