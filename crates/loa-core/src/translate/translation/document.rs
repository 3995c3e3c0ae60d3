//! The translated script as a document to read from: paragraph by paragraph
//! in the language's font, with what is not translated yet left visible.

use super::{open, SOURCE_LANG};
use crate::base::error::Result;
use crate::base::store::Db;
use crate::draft::script;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranslationExport {
    pub script_id: i64,
    pub lang: String,
    pub format: crate::draft::export::ExportFormat,
}

/// The translated script as a document in the language's font.
pub fn export(
    db: &mut Db,
    req: &TranslationExport,
    dir: &std::path::Path,
    l: &crate::base::i18n::Localizer,
) -> Result<std::path::PathBuf> {
    let (d, font) = document(db, req.script_id, &req.lang)?;
    crate::draft::export::write_script_in_font(&d, req.format, dir, l, &font)
}

/// The script as read in `lang`: for Vietnamese the script itself, else its
/// translation paragraph by paragraph under the script's header, with the
/// language's font. A segment not translated yet stays in Vietnamese, in
/// brackets, so nothing is silently missing on air.
pub fn document(db: &mut Db, script_id: i64, lang: &str) -> Result<(script::ScriptDetail, String)> {
    let language = crate::base::language::get(db.conn(), lang)?;
    let mut d = script::get(db, script_id)?;
    if language.code == SOURCE_LANG {
        return Ok((d, language.font));
    }
    let t = open(db, script_id, lang)?;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut last = None;
    for s in &t.segments {
        let text = if s.target.trim().is_empty() {
            format!("[{}]", s.source)
        } else {
            s.target.trim().to_string()
        };
        match paragraphs.last_mut() {
            Some(p) if last == Some(s.paragraph) => {
                p.push(' ');
                p.push_str(&text);
            }
            _ => paragraphs.push(text),
        }
        last = Some(s.paragraph);
    }
    d.input.body = paragraphs.join("\n");
    d.summary.title = format!("{} [{}]", d.summary.title, language.code);
    Ok((d, language.font))
}
