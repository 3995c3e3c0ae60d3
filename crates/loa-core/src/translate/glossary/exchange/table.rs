//! Glossaries as tables: reading CSV/TSV (in the encodings offices save)
//! and XLSX (checked before it is opened), guessing which column is which,
//! turning rows into concepts, and writing the glossary back as a table.

use super::{Split, XLSX_MAX_COLUMNS, XLSX_MAX_EXPANDED, XLSX_MAX_ROWS};
use crate::base::error::{CoreError, Result};
use crate::base::language::Language;
use crate::base::text;
use crate::translate::glossary::{ConceptInput, Incoming, TermInput};
use rusqlite::Connection;
use std::collections::BTreeSet;

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
pub(super) fn cell_pos(name: &str) -> Option<(u64, u64)> {
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

fn split_cell(cell: &str, split: Split) -> Vec<(String, String)> {
    match split {
        Split::Plain => cell
            .split([';', '|', '\n'])
            .map(|p| (p.trim().to_string(), String::new()))
            .filter(|(p, _)| !p.is_empty())
            .collect(),
        Split::Descriptive => crate::translate::glossary::split_forms(cell)
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
            provenance: Default::default(),
        });
    }
    if out.is_empty() {
        return Err(CoreError::data_row(name, None, "no-terms-in-file", ""));
    }
    Ok(out)
}

/// The glossary as a table: id, domain, definition, note, then per language
/// in use its terms, statuses, parts of speech and usage notes (several
/// terms in a cell are separated by "; ", in the same order in each column).
pub fn to_table(conn: &Connection) -> Result<Table> {
    let concepts = crate::translate::glossary::all(conn)?;
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
                    format!("c{}", c.uid)
                } else {
                    c.external_id.clone()
                },
                c.domain.clone(),
                c.definition.clone(),
                c.note.clone(),
            ];
            for l in &langs {
                let terms: Vec<_> = c.terms.iter().filter(|t| &t.lang == l).collect();
                let join = |f: &dyn Fn(&crate::translate::glossary::Term) -> String| {
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
