//! The language registry. Codes are ISO 639-3; names are the ones Vietnamese
//! offices use. Native names are only filled where they are certain.

use crate::error::Result;
use crate::store::Db;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Language {
    pub code: String,
    pub name_vi: String,
    pub name_native: String,
    /// ISO 15924: "Latn", or "Tavt" for Tai Viet.
    pub script: String,
}

/// Languages of the client's areas (Quảng Nam, Quảng Ngãi, Thanh Hóa, the
/// northern uplands). Users add more later.
const DEFAULTS: &[(&str, &str, &str, &str)] = &[
    ("vie", "Tiếng Việt", "Tiếng Việt", "Latn"),
    ("mtq", "Tiếng Mường", "", "Latn"),
    ("blt", "Tiếng Thái (Tai Dam)", "", "Tavt"),
    ("ktv", "Tiếng Cơ Tu", "", "Latn"),
    ("sed", "Tiếng Xơ Đăng", "", "Latn"),
    ("hre", "Tiếng Hrê", "", "Latn"),
    ("hnj", "Tiếng H'Mông", "", "Latn"),
    ("rad", "Tiếng Ê Đê", "", "Latn"),
    ("tyz", "Tiếng Tày", "", "Latn"),
];

/// Adds the default languages that are missing; never overwrites edits.
pub fn ensure_defaults(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO languages(code, name_vi, name_native, script, sort)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, (code, vi, native, script)) in DEFAULTS.iter().enumerate() {
        stmt.execute(params![code, vi, native, script, i as i64])?;
    }
    Ok(())
}

pub fn list(db: &Db) -> Result<Vec<Language>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT code, name_vi, name_native, script FROM languages ORDER BY sort, name_vi",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Language {
            code: r.get(0)?,
            name_vi: r.get(1)?,
            name_native: r.get(2)?,
            script: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
