//! Marking a translation done: allowed only when QA finds no error, so a
//! translation with a forbidden term or a missing number never goes on air.

use super::{check_lang, open, Translation, TranslationStatus};
use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::draft::script;
use crate::translate::qa;
use rusqlite::params;

/// Marks the translation translated (only when QA finds no error) or back
/// in progress.
pub fn set_status(
    db: &mut Db,
    script_id: i64,
    lang: &str,
    status: TranslationStatus,
    who: &str,
) -> Result<Translation> {
    if status == TranslationStatus::Translated {
        let issues = qa::check_translation(db, script_id, lang)?;
        if issues.iter().any(|i| i.severity == qa::Severity::Error) {
            return Err(CoreError::invalid("translation", "qa-errors"));
        }
    } else {
        check_lang(db.conn(), lang)?;
        script::get(db, script_id)?;
    }
    db.conn().execute(
        "INSERT INTO translations(script_id, lang, status, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(script_id, lang) DO UPDATE SET status = excluded.status,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        params![script_id, lang, status.as_str(), who, now()],
    )?;
    open(db, script_id, lang)
}
