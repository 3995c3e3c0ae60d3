//! User settings kept in the database, so they travel with the data.

use crate::base::error::{CoreError, Result};
use crate::base::i18n;
use crate::base::store::Db;
use crate::base::text;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const UI_LANG: &str = "ui.lang";
const USER_NAME: &str = "user.name";
const STATION_ID: &str = "station.id";
const MAX_NAME_CHARS: usize = 120;
/// Radio reading is 120–140 syllables a minute; outside 60–250 is a typo.
pub const READING_RATES: std::ops::RangeInclusive<u32> = 60..=250;
/// Syllables a minute when nothing else is set.
pub const DEFAULT_READING_RATE: u32 = 130;
/// A language's own rate is the setting `reading.rate.<code>`.
pub const LANG_RATE_PREFIX: &str = "reading.rate.";
const SPEECH_BEAM: &str = "speech.beam";
const SPEECH_THREADS: &str = "speech.threads";
const SPEECH_PROMPT: &str = "speech.prompt";
pub const BEAM_SIZES: std::ops::RangeInclusive<u32> = 1..=8;
pub const MAX_THREADS: u32 = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// "vi" or "en".
    pub ui_lang: String,
    pub user_name: String,
    /// This PC's own station, if chosen.
    pub station_id: Option<i64>,
    /// Vietnamese reading rate for time estimates, syllables per minute.
    pub reading_rate: u32,
    /// Whisper beam search width: wider is more accurate and slower.
    pub speech_beam: u32,
    /// Threads for transcription; 0 leaves it to the app (cores − 1).
    pub speech_threads: u32,
    /// Bias transcription toward the glossary terms in the script.
    pub speech_prompt: bool,
}

/// A partial update: absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsPatch {
    #[ts(optional)]
    pub ui_lang: Option<String>,
    #[ts(optional)]
    pub user_name: Option<String>,
    #[ts(optional)]
    pub station_id: Option<i64>,
    /// Forget this PC's station (wins over `station_id`).
    #[ts(optional)]
    pub clear_station: Option<bool>,
    #[ts(optional)]
    pub reading_rate: Option<u32>,
    #[ts(optional)]
    pub speech_beam: Option<u32>,
    #[ts(optional)]
    pub speech_threads: Option<u32>,
    #[ts(optional)]
    pub speech_prompt: Option<bool>,
}

/// This PC's station id, inside a caller's transaction.
pub(crate) fn station_id_in(conn: &rusqlite::Connection) -> Result<Option<i64>> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [STATION_ID],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()))
}

pub fn get_value(db: &Db, key: &str) -> Result<Option<String>> {
    Ok(db
        .conn()
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set_value(db: &Db, key: &str, value: &str) -> Result<()> {
    db.conn().execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The reading rate for `lang` (ISO 639-3), syllables per minute: the one
/// set for it, else [`DEFAULT_READING_RATE`]. (Reader profiles, which come
/// first for a script, are the draft stage's `reading` module.)
pub fn reading_rate(db: &Db, lang: &str) -> Result<u32> {
    Ok(get_value(db, &format!("{LANG_RATE_PREFIX}{lang}"))?
        .and_then(|v| v.parse().ok())
        .filter(|r| READING_RATES.contains(r))
        .unwrap_or(DEFAULT_READING_RATE))
}

pub fn load(db: &Db) -> Result<Settings> {
    Ok(Settings {
        reading_rate: reading_rate(db, "vie")?,
        ui_lang: i18n::pick_lang(get_value(db, UI_LANG)?.as_deref()).to_string(),
        user_name: get_value(db, USER_NAME)?.unwrap_or_default(),
        station_id: get_value(db, STATION_ID)?.and_then(|v| v.parse().ok()),
        speech_beam: get_value(db, SPEECH_BEAM)?
            .and_then(|v| v.parse().ok())
            .filter(|b| BEAM_SIZES.contains(b))
            .unwrap_or(5),
        speech_threads: get_value(db, SPEECH_THREADS)?
            .and_then(|v| v.parse().ok())
            .filter(|t| *t <= MAX_THREADS)
            .unwrap_or(0),
        speech_prompt: get_value(db, SPEECH_PROMPT)?.as_deref() != Some("0"),
    })
}

/// Validates the whole patch before writing any of it.
pub fn update(db: &mut Db, patch: &SettingsPatch) -> Result<Settings> {
    let lang = match &patch.ui_lang {
        Some(l) if i18n::UI_LANGS.contains(&l.as_str()) => Some(l.clone()),
        Some(_) => return Err(CoreError::invalid("ui-lang", "unsupported")),
        None => None,
    };
    let name = match &patch.user_name {
        Some(n) => {
            let n = text::canonical_vi_line(n);
            if n.chars().count() > MAX_NAME_CHARS {
                return Err(CoreError::invalid("user-name", "too-long"));
            }
            Some(n)
        }
        None => None,
    };
    let clear = patch.clear_station.unwrap_or(false);
    if let (Some(id), false) = (patch.station_id, clear) {
        let exists: bool = db.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM stations WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(CoreError::not_found("station", id));
        }
    }
    if let Some(r) = patch.reading_rate {
        if !READING_RATES.contains(&r) {
            return Err(CoreError::invalid("reading-rate", "rate-range"));
        }
    }
    if patch.speech_beam.is_some_and(|b| !BEAM_SIZES.contains(&b)) {
        return Err(CoreError::invalid("beam-size", "out-of-range"));
    }
    if patch.speech_threads.is_some_and(|t| t > MAX_THREADS) {
        return Err(CoreError::invalid("threads", "out-of-range"));
    }
    let tx = db.conn_mut().transaction()?;
    let put = |key: &str, value: &str| {
        tx.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
    };
    if let Some(l) = &lang {
        put(UI_LANG, l)?;
    }
    if let Some(n) = &name {
        put(USER_NAME, n)?;
    }
    if let Some(r) = patch.reading_rate {
        put("reading.rate.vie", &r.to_string())?;
    }
    if let Some(b) = patch.speech_beam {
        put(SPEECH_BEAM, &b.to_string())?;
    }
    if let Some(t) = patch.speech_threads {
        put(SPEECH_THREADS, &t.to_string())?;
    }
    if let Some(p) = patch.speech_prompt {
        put(SPEECH_PROMPT, if p { "1" } else { "0" })?;
    }
    if clear {
        tx.execute("DELETE FROM settings WHERE key = ?1", [STATION_ID])?;
    } else if let Some(id) = patch.station_id {
        put(STATION_ID, &id.to_string())?;
    }
    tx.commit()?;
    load(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_update_and_reject() {
        let mut db = Db::open_in_memory().unwrap();
        let s = load(&db).unwrap();
        assert_eq!(s.ui_lang, "vi");
        assert_eq!(s.station_id, None);

        let s = update(
            &mut db,
            &SettingsPatch {
                ui_lang: Some("en".into()),
                user_name: Some("  Nguyễn   Văn Hoà ".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.ui_lang, "en");
        assert_eq!(s.user_name, "Nguyễn Văn Hòa");

        // A bad field rejects the whole patch: the name is not written either.
        let err = update(
            &mut db,
            &SettingsPatch {
                ui_lang: Some("fr".into()),
                user_name: Some("Khác".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(err.code(), "invalid");
        assert_eq!(load(&db).unwrap().user_name, "Nguyễn Văn Hòa");

        let err = update(
            &mut db,
            &SettingsPatch {
                station_id: Some(999),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(err.code(), "not-found");

        let s = load(&db).unwrap();
        assert_eq!(
            (s.speech_beam, s.speech_threads, s.speech_prompt),
            (5, 0, true)
        );
        let s = update(
            &mut db,
            &SettingsPatch {
                speech_beam: Some(2),
                speech_threads: Some(1),
                speech_prompt: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            (s.speech_beam, s.speech_threads, s.speech_prompt),
            (2, 1, false)
        );
        for bad in [
            SettingsPatch {
                speech_beam: Some(0),
                ..Default::default()
            },
            SettingsPatch {
                speech_beam: Some(9),
                ..Default::default()
            },
            SettingsPatch {
                speech_threads: Some(65),
                ..Default::default()
            },
        ] {
            assert!(update(&mut db, &bad).is_err());
        }
        assert_eq!(load(&db).unwrap().speech_beam, 2);
    }

    #[test]
    fn station_set_and_clear() {
        let mut db = Db::open_in_memory().unwrap();
        db.conn()
            .execute(
                "INSERT INTO stations(id, level, name, search_key, created_at)
                 VALUES (5, 'commune', 'Xã A', 'xa a', 0)",
                [],
            )
            .unwrap();
        let p: SettingsPatch = serde_json::from_str(r#"{"stationId": 5}"#).unwrap();
        assert_eq!(update(&mut db, &p).unwrap().station_id, Some(5));
        let p: SettingsPatch = serde_json::from_str(r#"{"userName": "B"}"#).unwrap();
        assert_eq!(
            update(&mut db, &p).unwrap().station_id,
            Some(5),
            "absent keeps"
        );
        let p: SettingsPatch = serde_json::from_str(r#"{"clearStation": true}"#).unwrap();
        assert_eq!(update(&mut db, &p).unwrap().station_id, None);
    }

    #[test]
    fn reading_rate_is_checked_and_used() {
        let mut db = Db::open_in_memory().unwrap();
        assert_eq!(reading_rate(&db, "vie").unwrap(), 130);
        let p = SettingsPatch {
            reading_rate: Some(20),
            ..Default::default()
        };
        assert_eq!(update(&mut db, &p).unwrap_err().code(), "invalid");
        let p = SettingsPatch {
            reading_rate: Some(100),
            ..Default::default()
        };
        assert_eq!(update(&mut db, &p).unwrap().reading_rate, 100);
        assert_eq!(reading_rate(&db, "vie").unwrap(), 100);
    }
}
