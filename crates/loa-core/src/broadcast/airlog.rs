//! What actually aired: marked by the officer from the schedule, or imported
//! from the CSV log a player or IP-radio platform writes. Reports count it.

use crate::base::calendar::{self, Date};
use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AirEntry {
    pub id: i64,
    #[ts(optional)]
    pub item_id: Option<i64>,
    #[ts(optional)]
    pub entry_id: Option<i64>,
    pub title: String,
    pub lang: String,
    #[ts(optional)]
    pub station_id: Option<i64>,
    pub station_name: String,
    /// Unix seconds.
    pub aired_at: i64,
    /// `YYYY-MM-DD HH:MM`, local.
    pub aired_local: String,
    pub seconds: f64,
    /// Aired within the package's validity; None when not from a package.
    #[ts(optional)]
    pub on_time: Option<bool>,
    /// "manual" or "import".
    pub source: String,
}

/// Marks a scheduled entry (or an item) as aired.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AirMark {
    #[ts(optional)]
    pub entry_id: Option<i64>,
    #[ts(optional)]
    pub item_id: Option<i64>,
    /// `YYYY-MM-DD HH:MM` local; default: the entry's scheduled time, else now.
    #[ts(optional)]
    pub aired_at: Option<String>,
    /// Default: the item's length.
    #[ts(optional)]
    pub seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AirImportSummary {
    pub added: u32,
    /// Rows recognised as a received item.
    pub matched: u32,
}

/// `YYYY-MM-DD HH:MM[:SS]` (or with `T`), or `DD/MM/YYYY HH:MM[:SS]`, local.
pub fn parse_local(conn: &Connection, s: &str) -> Option<i64> {
    calendar::parse_local(s, crate::base::clock::local_offset(conn).ok()?)
}

fn local_text(conn: &Connection, ts: i64) -> Result<String> {
    Ok(calendar::local_minute(
        ts,
        crate::base::clock::local_offset(conn)?,
    ))
}

struct ItemRow {
    package_uuid: String,
    title: String,
    lang: String,
    seconds: f64,
    valid_from: String,
    valid_until: String,
}

fn item_row(conn: &Connection, item_id: i64) -> Result<ItemRow> {
    conn.query_row(
        "SELECT p.uuid, i.title, i.lang, i.seconds, p.valid_from, p.valid_until
           FROM package_items i JOIN packages p ON p.id = i.package_id WHERE i.id = ?1",
        [item_id],
        |r| {
            Ok(ItemRow {
                package_uuid: r.get(0)?,
                title: r.get(1)?,
                lang: r.get(2)?,
                seconds: r.get(3)?,
                valid_from: r.get(4)?,
                valid_until: r.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| CoreError::not_found("item", item_id))
}

/// This PC's station: where things air unless a log says otherwise.
fn own_station(conn: &Connection) -> Result<Option<i64>> {
    crate::base::settings::station_id_in(conn)
}

/// A station named in a log by administrative code or by name.
fn find_station(conn: &Connection, s: &str) -> Result<Option<i64>> {
    if let Some(id) = crate::broadcast::station::by_code(conn, s)? {
        return Ok(Some(id));
    }
    Ok(conn
        .query_row(
            "SELECT id FROM stations WHERE search_key = ?1 ORDER BY level = 'commune' DESC LIMIT 1",
            [text::fold(s)],
            |r| r.get(0),
        )
        .optional()?)
}

fn on_time(conn: &Connection, item: &ItemRow, aired_at: i64) -> Result<bool> {
    let day = Date::from_unix(aired_at, crate::base::clock::local_offset(conn)?).to_string();
    Ok(day >= item.valid_from && day <= item.valid_until)
}

#[allow(clippy::too_many_arguments)]
fn insert(
    conn: &Connection,
    item_id: Option<i64>,
    entry_id: Option<i64>,
    item: Option<&ItemRow>,
    title: &str,
    lang: &str,
    aired_at: i64,
    seconds: f64,
    source: &str,
    station: Option<i64>,
) -> Result<i64> {
    let on_time = item.map(|i| on_time(conn, i, aired_at)).transpose()?;
    conn.execute(
        "INSERT INTO air_log(item_id, entry_id, package_uuid, title, lang, station_id, aired_at,
                             seconds, on_time, source, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            item_id,
            entry_id,
            item.map(|i| i.package_uuid.as_str()).unwrap_or(""),
            title,
            lang,
            station,
            aired_at,
            seconds,
            on_time,
            source,
            now()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn mark(db: &mut Db, m: &AirMark) -> Result<AirEntry> {
    let conn = db.conn();
    let (item_id, scheduled) = match (m.entry_id, m.item_id) {
        (Some(e), _) => {
            let (item, day, slot_start, at): (i64, String, Option<u32>, Option<u32>) = conn
                .query_row(
                    "SELECT e.item_id, e.day, s.start, e.at_minute
                       FROM schedule_entries e LEFT JOIN slots s ON s.id = e.slot_id
                      WHERE e.id = ?1",
                    [e],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?
                .ok_or_else(|| CoreError::not_found("entry", e))?;
            let already: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM air_log WHERE entry_id = ?1)",
                [e],
                |r| r.get(0),
            )?;
            if already {
                return Err(CoreError::invalid("entry", "already-aired"));
            }
            let minute = slot_start.or(at).unwrap_or(0);
            let ts = parse_local(conn, &format!("{day} {}", calendar::hhmm(minute)));
            (item, ts)
        }
        (None, Some(i)) => (i, None),
        (None, None) => return Err(CoreError::invalid("entry", "empty")),
    };
    let item = item_row(conn, item_id)?;
    let aired_at = match &m.aired_at {
        Some(s) => parse_local(conn, s).ok_or(CoreError::invalid("aired-at", "bad-date"))?,
        None => scheduled.unwrap_or_else(now),
    };
    let seconds = m.seconds.unwrap_or(item.seconds);
    if !seconds.is_finite() || !(0.0..=86_400.0).contains(&seconds) {
        return Err(CoreError::invalid("seconds", "out-of-range"));
    }
    let id = insert(
        conn,
        Some(item_id),
        m.entry_id,
        Some(&item),
        &item.title,
        &item.lang,
        aired_at,
        seconds,
        "manual",
        own_station(conn)?,
    )?;
    get(db, id)
}

pub fn unmark(db: &Db, id: i64) -> Result<()> {
    let n = db
        .conn()
        .execute("DELETE FROM air_log WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(CoreError::not_found("air-log", id));
    }
    Ok(())
}

/// The air-log entry of a scheduled entry, if it aired.
pub fn for_entry(db: &Db, entry_id: i64) -> Result<Option<AirEntry>> {
    let id: Option<i64> = db
        .conn()
        .query_row(
            "SELECT id FROM air_log WHERE entry_id = ?1",
            [entry_id],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| get(db, id)).transpose()
}

const SELECT: &str = "SELECT a.id, a.item_id, a.entry_id, a.title, a.lang, a.station_id,
    coalesce(s.name, ''), a.aired_at, a.seconds, a.on_time, a.source
  FROM air_log a LEFT JOIN stations s ON s.id = a.station_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<AirEntry> {
    Ok(AirEntry {
        id: r.get(0)?,
        item_id: r.get(1)?,
        entry_id: r.get(2)?,
        title: r.get(3)?,
        lang: r.get(4)?,
        station_id: r.get(5)?,
        station_name: r.get(6)?,
        aired_at: r.get(7)?,
        aired_local: String::new(),
        seconds: r.get(8)?,
        on_time: r.get(9)?,
        source: r.get(10)?,
    })
}

pub fn get(db: &Db, id: i64) -> Result<AirEntry> {
    let mut e = db
        .conn()
        .query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("air-log", id))?;
    e.aired_local = local_text(db.conn(), e.aired_at)?;
    Ok(e)
}

/// Aired between two local dates, both included.
pub fn list(db: &Db, from: &str, to: &str) -> Result<Vec<AirEntry>> {
    let offset = crate::base::clock::local_offset(db.conn())?;
    let from = calendar::parse_date("date-range", from)?.to_unix(offset);
    let to = calendar::parse_date("date-range", to)?
        .add_days(1)
        .to_unix(offset);
    let mut stmt = db.conn().prepare_cached(&format!(
        "{SELECT} WHERE a.aired_at >= ?1 AND a.aired_at < ?2 ORDER BY a.aired_at, a.id"
    ))?;
    let rows = stmt.query_map(params![from, to], row)?;
    let mut out: Vec<AirEntry> = rows.collect::<rusqlite::Result<_>>()?;
    for e in &mut out {
        e.aired_local = local_text(db.conn(), e.aired_at)?;
    }
    Ok(out)
}

fn bad_row(line: usize, problem: &'static str, value: &str) -> CoreError {
    CoreError::data_row(
        "CSV",
        Some(line),
        problem,
        value.chars().take(80).collect::<String>(),
    )
}

/// "mm:ss", "h:mm:ss" or seconds.
fn parse_seconds(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', ".");
    if s.contains(':') {
        let mut total = 0.0;
        for part in s.split(':') {
            total = total * 60.0 + part.trim().parse::<f64>().ok()?;
        }
        Some(total)
    } else {
        s.parse().ok()
    }
    .filter(|v: &f64| v.is_finite() && (0.0..=86_400.0).contains(v))
}

/// A received item this file or title names: a player-folder file name
/// (`003_lich-tiem-chung-vie.mp3`) or the title itself.
fn match_item(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base
        .strip_suffix(".mp3")
        .or(base.strip_suffix(".MP3"))
        .unwrap_or(base);
    let base = match base.split_once('_') {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => base,
    };
    let key = crate::base::files::file_slug(base, usize::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.title, i.lang FROM package_items i JOIN packages p ON p.id = i.package_id
          WHERE p.direction = 'received' ORDER BY p.recorded_at DESC, i.seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for r in rows {
        let (id, title, lang) = r?;
        let slug = crate::base::files::file_slug(&title, usize::MAX);
        if key == slug || key == format!("{}-{lang}", crate::broadcast::player_export::slug(&title))
        {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

const TIME_HEADERS: &[&str] = &[
    "time",
    "thoi gian",
    "ngay gio",
    "datetime",
    "aired",
    "gio phat",
];
const NAME_HEADERS: &[&str] = &[
    "file", "tep", "ten tep", "title", "tieu de", "bai", "ten bai",
];
const SECONDS_HEADERS: &[&str] = &["seconds", "giay", "thoi luong", "duration", "length"];
const STATION_HEADERS: &[&str] = &["station", "dai", "ten dai", "ma dai"];

/// Imports a player's or platform's CSV log, all rows or none. The header
/// names the columns (Vietnamese or English, with or without diacritics):
/// a time, a file name or title, and optionally a duration and the station
/// (administrative code or name; default this PC's), so a district can
/// import its communes' logs.
pub fn import_csv(db: &mut Db, data: &[u8]) -> Result<AirImportSummary> {
    crate::base::limits::check_len(
        "CSV",
        crate::base::limits::ImportKind::AirLog,
        data.len() as u64,
    )?;
    let text = crate::translate::glossary::exchange::decode(data);
    let first = text.lines().next().unwrap_or("");
    let delim = crate::base::csvfile::guess_delimiter(&text, b";,");
    let mut records = crate::base::csvfile::rows("CSV", &text, delim)?.into_iter();
    let headers: Vec<String> = records
        .next()
        .map(|(_, h)| h)
        .unwrap_or_default()
        .iter()
        .map(|h| text::fold(h))
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim()));
    let (Some(tc), Some(nc)) = (col(TIME_HEADERS), col(NAME_HEADERS)) else {
        return Err(bad_row(1, "air-log-columns", first));
    };
    let sc = col(SECONDS_HEADERS);
    let stc = col(STATION_HEADERS);
    let tx = db.conn_mut().transaction()?;
    let mut summary = AirImportSummary {
        added: 0,
        matched: 0,
    };
    for (line, rec) in records {
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let time = rec.get(tc).map(String::as_str).unwrap_or("");
        let aired_at = parse_local(&tx, time).ok_or_else(|| bad_row(line, "bad-time", time))?;
        let name = text::canonical_vi_line(rec.get(nc).map(String::as_str).unwrap_or(""));
        if name.is_empty() {
            return Err(bad_row(line, "no-title", ""));
        }
        let item_id = match_item(&tx, &name)?;
        let item = item_id.map(|i| item_row(&tx, i)).transpose()?;
        let seconds = match sc.and_then(|c| rec.get(c)).filter(|s| !s.trim().is_empty()) {
            Some(s) => parse_seconds(s).ok_or_else(|| bad_row(line, "bad-duration", s))?,
            None => item.as_ref().map(|i| i.seconds).unwrap_or(0.0),
        };
        let station = match stc
            .and_then(|c| rec.get(c))
            .filter(|s| !s.trim().is_empty())
        {
            Some(s) => Some(
                find_station(&tx, s.trim())?.ok_or_else(|| bad_row(line, "unknown-station", s))?,
            ),
            None => own_station(&tx)?,
        };
        let (title, lang) = match &item {
            Some(i) => (i.title.clone(), i.lang.clone()),
            None => (name.clone(), String::new()),
        };
        insert(
            &tx,
            item_id,
            None,
            item.as_ref(),
            &title,
            &lang,
            aired_at,
            seconds,
            "import",
            station,
        )?;
        summary.added += 1;
        summary.matched += u32::from(item_id.is_some());
    }
    if summary.added == 0 {
        return Err(bad_row(1, "empty-file", ""));
    }
    tx.commit()?;
    Ok(summary)
}
