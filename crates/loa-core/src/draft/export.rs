//! Scripts written out for people: a Word document (Vietnamese offices live
//! in Word) and plain text, both with a header that says what to read when.

use crate::base::error::{CoreError, Result};
use crate::base::files::{file_slug, write_fresh};
use crate::base::i18n::Localizer;
use crate::draft::script::{Priority, ScriptDetail};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// IPC arguments: export script `id`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub id: i64,
    pub format: ExportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Docx,
    Txt,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s {
            "docx" => Some(ExportFormat::Docx),
            "txt" => Some(ExportFormat::Txt),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Docx => "docx",
            ExportFormat::Txt => "txt",
        }
    }
}

pub fn format_duration(l: &Localizer, secs: u32) -> String {
    let (min, sec) = (secs / 60, secs % 60);
    if min == 0 {
        l.get("duration-sec", &[("sec", sec.to_string())])
    } else {
        l.get(
            "duration-min-sec",
            &[("min", min.to_string()), ("sec", sec.to_string())],
        )
    }
}

/// The header lines every export starts with, as (label, value).
fn header(d: &ScriptDetail, l: &Localizer) -> Vec<(String, String)> {
    let s = &d.summary;
    let mut out = Vec::new();
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            out.push((l.get(label, &[]), value));
        }
    };
    field("script-program", s.program.clone().unwrap_or_default());
    field(
        "script-priority",
        l.get(&format!("priority-{}", s.priority.as_str()), &[]),
    );
    field("script-policy-ref", s.policy_ref.clone());
    field("script-reading-time", format_duration(l, s.est_seconds));
    let air = match (d.input.air_from.as_str(), d.input.air_until.as_str()) {
        ("", "") => String::new(),
        (a, "") | ("", a) => a.to_string(),
        (a, b) => format!("{a} – {b}"),
    };
    field("export-air-dates", air);
    field(
        "script-status",
        format!(
            "{} ({})",
            l.get(&format!("status-{}", s.status.as_str()), &[]),
            l.get("script-revision", &[("revision", s.revision.to_string())])
        ),
    );
    out
}

/// A reading copy in UTF-8 with a BOM and CRLF line ends, so Notepad on
/// older Windows shows Vietnamese correctly.
pub fn script_txt(d: &ScriptDetail, l: &Localizer) -> String {
    let mut lines = vec![d.summary.title.to_uppercase()];
    lines.extend(header(d, l).into_iter().map(|(k, v)| format!("{k}: {v}")));
    let text = format!("{}\n\n{}\n", lines.join("\n"), d.input.body);
    format!("\u{FEFF}{}", text.replace('\n', "\r\n"))
}

pub(crate) struct Run<'a> {
    pub text: &'a str,
    pub bold: bool,
    pub color: Option<&'a str>,
}

/// A Word table with a bold first row and thin borders; cells are plain text.
pub(crate) fn docx_table(rows: &[Vec<String>]) -> String {
    let mut t = String::from(
        "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/>\
         </w:tblBorders></w:tblPr>",
    );
    for (i, row) in rows.iter().enumerate() {
        t.push_str("<w:tr>");
        for cell in row {
            t.push_str("<w:tc>");
            t.push_str(&paragraph(
                &[Run {
                    text: cell,
                    bold: i == 0,
                    color: None,
                }],
                24,
                false,
            ));
            t.push_str("</w:tc>");
        }
        t.push_str("</w:tr>");
    }
    t.push_str("</w:tbl>");
    t
}

pub(crate) fn paragraph(runs: &[Run], size_half_points: u32, centered: bool) -> String {
    let mut p = String::from("<w:p><w:pPr>");
    if centered {
        p.push_str("<w:jc w:val=\"center\"/>");
    }
    p.push_str("</w:pPr>");
    for r in runs {
        p.push_str("<w:r><w:rPr>");
        if r.bold {
            p.push_str("<w:b/>");
        }
        if let Some(c) = r.color {
            p.push_str(&format!("<w:color w:val=\"{c}\"/>"));
        }
        p.push_str(&format!(
            "<w:sz w:val=\"{size_half_points}\"/><w:szCs w:val=\"{size_half_points}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            crate::base::xml::escape(r.text)
        ));
    }
    p.push_str("</w:p>");
    p
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
/// Times New Roman 14 pt, 1.5 lines: the house style of Vietnamese
/// administrative documents (Nghị định 30/2020/NĐ-CP), and easy to read aloud.
/// A language with its own font (Tai Viet) gets it for every script range.
fn styles(font: &str) -> String {
    let f = crate::base::xml::escape(if font.is_empty() {
        "Times New Roman"
    } else {
        font
    });
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:cs="{f}" w:eastAsia="{f}"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#
    )
}

/// The script as a .docx: title, a header block, then the text.
pub fn script_docx(d: &ScriptDetail, l: &Localizer) -> Result<Vec<u8>> {
    docx_in_font(d, l, "")
}

/// [`script_docx`] in the given font ("" = Times New Roman).
pub fn docx_in_font(d: &ScriptDetail, l: &Localizer, font: &str) -> Result<Vec<u8>> {
    let mut body = String::new();
    body.push_str(&paragraph(
        &[Run {
            text: &d.summary.title.to_uppercase(),
            bold: true,
            color: None,
        }],
        32,
        true,
    ));
    let emergency = d.summary.priority == Priority::Emergency;
    let priority_label = l.get("script-priority", &[]);
    for (k, v) in header(d, l) {
        let label = format!("{k}: ");
        let red = emergency && k == priority_label;
        body.push_str(&paragraph(
            &[
                Run {
                    text: &label,
                    bold: true,
                    color: None,
                },
                Run {
                    text: &v,
                    bold: red,
                    color: red.then_some("C00000"),
                },
            ],
            26,
            false,
        ));
    }
    body.push_str(&paragraph(&[], 28, false));
    for line in d.input.body.lines() {
        body.push_str(&paragraph(
            &[Run {
                text: line,
                bold: false,
                color: None,
            }],
            28,
            false,
        ));
    }
    docx_from_body(&body, font)
}

/// A complete .docx (A4, the margins of administrative documents) around
/// body XML made of [`paragraph`]s and [`docx_table`]s.
pub(crate) fn docx_from_body(body: &str, font: &str) -> Result<Vec<u8>> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let zip_err = |e: zip::result::ZipError| CoreError::DataFile {
        name: "docx".into(),
        line: None,
        detail: e.to_string(),
    };
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("word/_rels/document.xml.rels", DOC_RELS),
            ("word/styles.xml", styles(font).as_str()),
            ("word/document.xml", document.as_str()),
        ] {
            w.start_file(name, opts).map_err(zip_err)?;
            w.write_all(content.as_bytes())
                .map_err(|e| CoreError::io("docx", e))?;
        }
        w.finish().map_err(zip_err)?;
    }
    Ok(buf.into_inner())
}

/// A file name from the title: ASCII, no characters Windows forbids.
fn file_stem(d: &ScriptDetail) -> String {
    let slug = file_slug(&d.summary.title, usize::MAX);
    let stem = slug.chars().take(60).collect::<String>();
    let stem = stem.trim_end_matches('-');
    format!(
        "{}-{}",
        d.summary.id,
        if stem.is_empty() { "kich-ban" } else { &stem }
    )
}

/// Writes the export into `dir` under a fresh name (never overwriting), via
/// a temporary file so a half-written document never appears.
pub fn write_script(
    d: &ScriptDetail,
    format: ExportFormat,
    dir: &Path,
    l: &Localizer,
) -> Result<PathBuf> {
    write_script_in_font(d, format, dir, l, "")
}

pub fn write_script_in_font(
    d: &ScriptDetail,
    format: ExportFormat,
    dir: &Path,
    l: &Localizer,
    font: &str,
) -> Result<PathBuf> {
    let bytes = match format {
        ExportFormat::Docx => docx_in_font(d, l, font)?,
        ExportFormat::Txt => script_txt(d, l).into_bytes(),
    };
    write_fresh(dir, &file_stem(d), format.extension(), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::store::Db;
    use crate::draft::script::{self, ScriptInput};
    use std::io::Read;

    fn sample() -> ScriptDetail {
        let mut db = Db::open_in_memory().unwrap();
        script::create(
            &mut db,
            &ScriptInput {
                title: "Cảnh báo lũ & sạt lở".into(),
                body: "Đoạn một <khẩn>.\nĐoạn hai.".into(),
                priority: Priority::Emergency,
                policy_ref: "Công điện số 5/CĐ-UBND".into(),
                air_from: "2026-11-22".into(),
                ..Default::default()
            },
            "",
        )
        .unwrap()
    }

    #[test]
    fn docx_is_a_zip_with_the_escaped_text() {
        let d = sample();
        let bytes = script_docx(&d, &Localizer::new("vi")).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(xml.contains("CẢNH BÁO LŨ &amp; SẠT LỞ"));
        assert!(xml.contains("Đoạn một &lt;khẩn&gt;."));
        assert!(xml.contains(">Đoạn hai.<"));
        assert!(xml.contains("Công điện số 5/CĐ-UBND"));
        assert!(
            xml.contains("<w:color w:val=\"C00000\"/>"),
            "emergency stands out"
        );
        assert!(zip.by_name("[Content_Types].xml").is_ok());
    }

    #[test]
    fn files_get_fresh_safe_names() {
        let d = sample();
        let dir = tempfile::tempdir().unwrap();
        let l = Localizer::new("en");
        let a = write_script(&d, ExportFormat::Txt, dir.path(), &l).unwrap();
        let b = write_script(&d, ExportFormat::Txt, dir.path(), &l).unwrap();
        assert_eq!(a.file_name().unwrap(), "1-canh-bao-lu-sat-lo.txt");
        assert_eq!(b.file_name().unwrap(), "1-canh-bao-lu-sat-lo-2.txt");
        let txt = std::fs::read_to_string(&a).unwrap();
        assert!(txt.contains("Priority: Emergency\r\n"));
        assert!(txt.contains("Air dates: 2026-11-22\r\n"));
    }
}
