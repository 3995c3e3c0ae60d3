//! Reading rates: a default per language and named reader profiles, in
//! syllables per minute. Estimates use the script's reader when it has one,
//! else the rate of the script's first language.

use crate::base::error::{CoreError, Result};
use crate::base::settings::{self, READING_RATES};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reader {
    pub id: i64,
    pub name: String,
    pub lang: String,
    pub rate: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewReader {
    pub name: String,
    pub lang: String,
    pub rate: u32,
}

/// A language's default rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LangRate {
    pub lang: String,
    pub rate: u32,
}

fn check_rate(rate: u32) -> Result<()> {
    if READING_RATES.contains(&rate) {
        Ok(())
    } else {
        Err(CoreError::invalid("reading-rate", "rate-range"))
    }
}

fn check_lang(db: &Db, lang: &str) -> Result<()> {
    let known: bool = db.conn().query_row(
        "SELECT EXISTS(SELECT 1 FROM languages WHERE code = ?1)",
        [lang],
        |r| r.get(0),
    )?;
    if known {
        Ok(())
    } else {
        Err(CoreError::invalid("target-langs", "unknown"))
    }
}

pub fn list(db: &Db) -> Result<Vec<Reader>> {
    let mut items: Vec<Reader> = db
        .conn()
        .prepare_cached("SELECT id, name, lang, rate FROM readers")?
        .query_map([], |r| {
            Ok(Reader {
                id: r.get(0)?,
                name: r.get(1)?,
                lang: r.get(2)?,
                rate: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    items.sort_by_cached_key(|r| text::fold(&r.name));
    Ok(items)
}

pub fn create(db: &mut Db, new: &NewReader) -> Result<Reader> {
    let name = text::canonical_vi_line(&new.name);
    if name.is_empty() {
        return Err(CoreError::invalid("reader-name", "empty"));
    }
    check_rate(new.rate)?;
    check_lang(db, &new.lang)?;
    let taken: bool = db.conn().query_row(
        "SELECT EXISTS(SELECT 1 FROM readers WHERE name = ?1)",
        [&name],
        |r| r.get(0),
    )?;
    if taken {
        return Err(CoreError::invalid("reader-name", "taken"));
    }
    db.conn().execute(
        "INSERT INTO readers(name, lang, rate) VALUES (?1, ?2, ?3)",
        params![name, new.lang, new.rate],
    )?;
    Ok(Reader {
        id: db.conn().last_insert_rowid(),
        name,
        lang: new.lang.clone(),
        rate: new.rate,
    })
}

pub fn delete(db: &mut Db, id: i64) -> Result<()> {
    if db
        .conn()
        .execute("DELETE FROM readers WHERE id = ?1", [id])?
        == 0
    {
        return Err(CoreError::not_found("reader", id));
    }
    Ok(())
}

/// Default rates of every language in the registry.
pub fn lang_rates(db: &Db) -> Result<Vec<LangRate>> {
    crate::base::language::list(db)?
        .into_iter()
        .map(|l| {
            Ok(LangRate {
                rate: settings::reading_rate(db, &l.code)?,
                lang: l.code,
            })
        })
        .collect()
}

pub fn set_lang_rate(db: &mut Db, r: &LangRate) -> Result<Vec<LangRate>> {
    check_rate(r.rate)?;
    check_lang(db, &r.lang)?;
    settings::set_value(
        db,
        &format!("{}{}", settings::LANG_RATE_PREFIX, r.lang),
        &r.rate.to_string(),
    )?;
    lang_rates(db)
}

/// Every rate, loaded once per query so listing scripts stays one pass.
pub struct Rates {
    readers: HashMap<i64, u32>,
    langs: HashMap<String, u32>,
}

impl Rates {
    pub fn load(db: &Db) -> Result<Rates> {
        let readers = db
            .conn()
            .prepare_cached("SELECT id, rate FROM readers")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let langs = db
            .conn()
            .prepare_cached(
                "SELECT substr(key, 14), value FROM settings WHERE key LIKE 'reading.rate.%'",
            )?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .filter_map(|row| match row {
                Ok((lang, v)) => v
                    .parse()
                    .ok()
                    .filter(|r| READING_RATES.contains(r))
                    .map(|r| Ok((lang, r))),
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<_>>()?;
        Ok(Rates { readers, langs })
    }

    /// The reader's rate, else the first language's, else the default.
    pub fn rate(&self, reader: Option<i64>, langs: &[String]) -> u32 {
        reader
            .and_then(|id| self.readers.get(&id))
            .or_else(|| langs.first().and_then(|l| self.langs.get(l)))
            .copied()
            .unwrap_or(settings::DEFAULT_READING_RATE)
    }
}

pub fn rate_for(db: &Db, reader_id: Option<i64>, langs: &[String]) -> Result<u32> {
    Ok(Rates::load(db)?.rate(reader_id, langs))
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReadingEstimate {
    pub syllables: u32,
    pub seconds: u32,
}

/// IPC arguments: the live estimate of text being typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EstimateRequest {
    pub body: String,
    pub reader_id: Option<i64>,
    pub target_langs: Vec<String>,
}

/// Estimated reading time in whole seconds at `syllables_per_minute`.
pub fn estimate_seconds(syllables: u32, syllables_per_minute: u32) -> u32 {
    let rate = syllables_per_minute.max(1);
    (syllables * 60).div_ceil(rate)
}

/// Reading time of `body` at `rate` syllables per minute.
pub fn estimate(body: &str, rate: u32) -> ReadingEstimate {
    let syllables = text::spoken_syllables(body) as u32;
    ReadingEstimate {
        syllables,
        seconds: estimate_seconds(syllables, rate),
    }
}

/// The estimate at the rate of the reader, else of the first language.
pub fn estimate_for(db: &Db, req: &EstimateRequest) -> Result<ReadingEstimate> {
    let rate = rate_for(db, req.reader_id, &req.target_langs)?;
    Ok(estimate(&req.body, rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_and_language_rates() {
        let mut db = Db::open_in_memory().unwrap();
        let lan = create(
            &mut db,
            &NewReader {
                name: "Chị Lan (đọc chậm)".into(),
                lang: "vie".into(),
                rate: 110,
            },
        )
        .unwrap();
        assert_eq!(rate_for(&db, Some(lan.id), &["vie".into()]).unwrap(), 110);
        assert_eq!(rate_for(&db, None, &["vie".into()]).unwrap(), 130);
        set_lang_rate(
            &mut db,
            &LangRate {
                lang: "ktv".into(),
                rate: 100,
            },
        )
        .unwrap();
        assert_eq!(
            rate_for(&db, None, &["ktv".into(), "vie".into()]).unwrap(),
            100
        );

        let bad = |name: &str, lang: &str, rate: u32| NewReader {
            name: name.into(),
            lang: lang.into(),
            rate,
        };
        assert_eq!(
            create(&mut db, &bad(" ", "vie", 120)).unwrap_err().code(),
            "invalid"
        );
        assert_eq!(
            create(&mut db, &bad("B", "vie", 10)).unwrap_err().code(),
            "invalid"
        );
        assert_eq!(
            create(&mut db, &bad("B", "xyz", 120)).unwrap_err().code(),
            "invalid"
        );
        assert_eq!(
            create(&mut db, &bad("Chị Lan (đọc chậm)", "vie", 120))
                .unwrap_err()
                .code(),
            "invalid"
        );
        assert!(set_lang_rate(
            &mut db,
            &LangRate {
                lang: "vie".into(),
                rate: 999
            }
        )
        .is_err());

        delete(&mut db, lan.id).unwrap();
        // A deleted reader falls back to the language rate.
        assert_eq!(rate_for(&db, Some(lan.id), &["vie".into()]).unwrap(), 130);
    }
}
