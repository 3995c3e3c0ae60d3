//! The language registry. Codes are ISO 639-3; names are the ones Vietnamese
//! offices use. Native names and letter palettes are only filled in where
//! they are certain; users complete the rest in Settings.

use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Language {
    pub code: String,
    pub name_vi: String,
    pub name_native: String,
    /// ISO 15924: "Latn", or "Tavt" for Tai Viet.
    pub script: String,
    /// Font family the language is shown and exported in ("" = the default).
    pub font: String,
    /// Letters a Vietnamese keyboard cannot type, shown under the editor.
    pub palette: Vec<String>,
}

pub const SCRIPTS: &[&str] = &["Latn", "Tavt"];
pub use crate::base::store::TAI_VIET_FONT;

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Language> {
    let palette: String = r.get(5)?;
    Ok(Language {
        code: r.get(0)?,
        name_vi: r.get(1)?,
        name_native: r.get(2)?,
        script: r.get(3)?,
        font: r.get(4)?,
        palette: palette.split_whitespace().map(String::from).collect(),
    })
}

const COLUMNS: &str = "code, name_vi, name_native, script, font, palette";

pub fn list(db: &Db) -> Result<Vec<Language>> {
    list_in(db.conn())
}

pub fn list_in(conn: &Connection) -> Result<Vec<Language>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM languages ORDER BY sort, name_vi"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, code: &str) -> Result<Language> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM languages WHERE code = ?1"),
        [code],
        from_row,
    )
    .optional()?
    .ok_or_else(|| CoreError::not_found("language", code))
}

/// An ISO 639-3 code: three lower-case ASCII letters.
pub fn valid_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// Adds a language or changes one (the code is the key).
pub fn save(db: &Db, input: &Language) -> Result<Language> {
    let code = input.code.trim().to_ascii_lowercase();
    if !valid_code(&code) {
        return Err(CoreError::invalid("language-code", "format"));
    }
    let name = text::clean_line(&input.name_vi);
    if name.is_empty() {
        return Err(CoreError::invalid("language-name", "empty"));
    }
    if !SCRIPTS.contains(&input.script.as_str()) {
        return Err(CoreError::invalid("writing-system", "unknown"));
    }
    let mut palette: Vec<String> = Vec::new();
    for letter in &input.palette {
        let l = text::clean_line(letter);
        // A palette key inserts one letter (a base and its marks), not words.
        if l.chars().count() > 4 || l.contains(' ') {
            return Err(CoreError::invalid("palette", "too-long"));
        }
        if !l.is_empty() && !palette.contains(&l) {
            palette.push(l);
        }
    }
    let sort: i64 = db.conn().query_row(
        "SELECT coalesce((SELECT sort FROM languages WHERE code = ?1), (SELECT max(sort) + 1 FROM languages), 0)",
        [&code],
        |r| r.get(0),
    )?;
    db.conn().execute(
        "INSERT INTO languages(code, name_vi, name_native, script, sort, font, palette)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(code) DO UPDATE SET name_vi = excluded.name_vi,
           name_native = excluded.name_native, script = excluded.script,
           font = excluded.font, palette = excluded.palette",
        params![
            code,
            name,
            text::clean_line(&input.name_native),
            input.script,
            sort,
            text::clean_line(&input.font),
            palette.join(" ")
        ],
    )?;
    get(db.conn(), &code)
}

/// Removes a language nothing refers to yet; one in use is refused, because
/// its terms and translations would go with it.
pub fn delete(db: &Db, code: &str) -> Result<()> {
    if code == "vie" {
        return Err(CoreError::invalid("language", "in-use"));
    }
    let used: bool = db.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM terms WHERE lang = ?1)
             OR EXISTS (SELECT 1 FROM translations WHERE lang = ?1)
             OR EXISTS (SELECT 1 FROM tm_units WHERE target_lang = ?1 OR source_lang = ?1)",
        [code],
        |r| r.get(0),
    )?;
    if used {
        return Err(CoreError::invalid("language", "in-use"));
    }
    let n = db
        .conn()
        .execute("DELETE FROM languages WHERE code = ?1", [code])?;
    if n == 0 {
        return Err(CoreError::not_found("language", code));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_carry_fonts_and_palettes() {
        let db = Db::open_in_memory().unwrap();
        let blt = get(db.conn(), "blt").unwrap();
        assert_eq!(blt.script, "Tavt");
        assert_eq!(blt.font, TAI_VIET_FONT);
        assert_eq!(blt.palette.len(), 72);
        assert!(blt.palette.contains(&"\u{AA80}".to_string()));
        let rad = get(db.conn(), "rad").unwrap();
        assert!(rad.palette.contains(&"ĕ".to_string()));
    }

    #[test]
    fn save_validates_and_keeps_order() {
        let db = Db::open_in_memory().unwrap();
        let mut l = get(db.conn(), "ktv").unwrap();
        l.name_native = "Ca Tu".into();
        l.palette = vec!["ŏ".into(), "ŏ".into(), " ".into()];
        let saved = save(&db, &l).unwrap();
        assert_eq!(saved.palette, vec!["ŏ"]);
        assert_eq!(list(&db).unwrap()[3].code, "ktv");

        let new = Language {
            code: "BRU".into(),
            name_vi: "Tiếng Bru - Vân Kiều".into(),
            name_native: String::new(),
            script: "Latn".into(),
            font: String::new(),
            palette: vec![],
        };
        assert_eq!(save(&db, &new).unwrap().code, "bru");
        assert_eq!(list(&db).unwrap().last().unwrap().code, "bru");
        for (bad, field) in [
            (
                Language {
                    code: "vi".into(),
                    ..new.clone()
                },
                "language-code",
            ),
            (
                Language {
                    name_vi: " ".into(),
                    ..new.clone()
                },
                "language-name",
            ),
            (
                Language {
                    script: "Cyrl".into(),
                    ..new.clone()
                },
                "writing-system",
            ),
            (
                Language {
                    palette: vec!["abcdef".into()],
                    ..new.clone()
                },
                "palette",
            ),
        ] {
            match save(&db, &bad) {
                Err(CoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        delete(&db, "bru").unwrap();
        assert!(get(db.conn(), "bru").is_err());
        assert_eq!(delete(&db, "vie").unwrap_err().code(), "invalid");
    }
}
