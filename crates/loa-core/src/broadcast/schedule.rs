//! The receiving station's broadcast week: daily slots (user-editable),
//! received items placed into them, conflicts, emergencies inserted now, and
//! the week as iCalendar.

use crate::base::calendar::{self, Date};
use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::draft::script::Priority;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// None when saving a new slot.
    #[ts(optional)]
    pub id: Option<i64>,
    pub name: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    /// Monday-first: which weekdays it runs.
    pub days: [bool; 7],
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    pub id: i64,
    pub item_id: i64,
    pub package_id: i64,
    pub package_title: String,
    pub title: String,
    pub lang: String,
    pub seconds: f64,
    pub priority: Priority,
    /// `HH:MM` it starts, counting the items before it in the slot.
    pub starts: String,
    pub aired: bool,
    /// The day is outside the package's validity.
    pub outside_validity: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SlotDay {
    #[ts(optional)]
    pub slot_id: Option<i64>,
    pub name: String,
    pub start: String,
    pub end: String,
    pub entries: Vec<EntryView>,
    pub seconds: f64,
    /// More to play than the slot holds.
    pub overfull: bool,
}

impl SlotDay {
    fn empty(s: &Slot) -> SlotDay {
        SlotDay {
            slot_id: s.id,
            name: s.name.clone(),
            start: s.start.clone(),
            end: s.end.clone(),
            entries: vec![],
            seconds: 0.0,
            overfull: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Day {
    pub date: String,
    /// Slots running that day, then emergency insertions (no slot).
    pub slots: Vec<SlotDay>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Week {
    /// `2026-W48`.
    pub week: String,
    pub days: Vec<Day>,
    /// Human-readable count of problems: overfull slots and entries outside
    /// their package's validity.
    pub conflicts: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Place {
    pub item_id: i64,
    pub date: String,
    pub slot_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaceResult {
    pub placed: u32,
    /// Already there.
    pub skipped: u32,
}

fn mask(days: &[bool; 7]) -> i64 {
    days.iter()
        .enumerate()
        .filter(|(_, on)| **on)
        .map(|(i, _)| 1 << i)
        .sum()
}

fn slot_row(r: &rusqlite::Row) -> rusqlite::Result<Slot> {
    let m: i64 = r.get(4)?;
    Ok(Slot {
        id: Some(r.get(0)?),
        name: r.get(1)?,
        start: calendar::hhmm(r.get(2)?),
        end: calendar::hhmm(r.get(3)?),
        days: std::array::from_fn(|i| m & (1 << i) != 0),
    })
}

pub fn slots(db: &Db) -> Result<Vec<Slot>> {
    let mut stmt = db
        .conn()
        .prepare_cached("SELECT id, name, start, end, days FROM slots ORDER BY start, id")?;
    let rows = stmt.query_map([], slot_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn minutes(s: &str, field: &'static str) -> Result<u32> {
    let s = s.trim();
    if s == "24:00" {
        return Ok(1440);
    }
    calendar::parse_hhmm(s).ok_or(CoreError::invalid(field, "format"))
}

/// Replaces the slots with `list`: slots keep their id (and placements),
/// slots left out are removed with what was placed in them.
pub fn save_slots(db: &mut Db, list: &[Slot]) -> Result<Vec<Slot>> {
    let mut parsed = Vec::new();
    for s in list {
        let (start, end) = (minutes(&s.start, "slots")?, minutes(&s.end, "slots")?);
        if start >= 1440 || end <= start {
            return Err(CoreError::invalid("slots", "end-before-start"));
        }
        if mask(&s.days) == 0 {
            return Err(CoreError::invalid("slots", "no-days"));
        }
        parsed.push((s, start, end));
    }
    for (i, (a, sa, ea)) in parsed.iter().enumerate() {
        for (b, sb, eb) in &parsed[i + 1..] {
            if mask(&a.days) & mask(&b.days) != 0 && sa < eb && sb < ea {
                return Err(CoreError::invalid("slots", "overlap"));
            }
        }
    }
    let tx = db.conn_mut().transaction()?;
    let keep: Vec<i64> = parsed.iter().filter_map(|(s, ..)| s.id).collect();
    let existing: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT id FROM slots")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for id in existing.iter().filter(|id| !keep.contains(id)) {
        tx.execute("DELETE FROM slots WHERE id = ?1", [id])?;
    }
    for (s, start, end) in &parsed {
        let name = text::canonical_vi_line(&s.name);
        match s.id {
            Some(id) if existing.contains(&id) => {
                tx.execute(
                    "UPDATE slots SET name = ?2, start = ?3, end = ?4, days = ?5 WHERE id = ?1",
                    params![id, name, start, end, mask(&s.days)],
                )?;
            }
            Some(id) => return Err(CoreError::not_found("slot", id)),
            None => {
                tx.execute(
                    "INSERT INTO slots(name, start, end, days) VALUES (?1, ?2, ?3, ?4)",
                    params![name, start, end, mask(&s.days)],
                )?;
            }
        }
    }
    tx.commit()?;
    slots(db)
}

/// Only received items go on this station's air.
fn check_item(conn: &Connection, item_id: i64) -> Result<()> {
    let ok: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM package_items i JOIN packages p ON p.id = i.package_id
                        WHERE i.id = ?1 AND p.direction = 'received')",
        [item_id],
        |r| r.get(0),
    )?;
    if !ok {
        return Err(CoreError::not_found("item", item_id));
    }
    Ok(())
}

fn slot_runs(conn: &Connection, slot_id: i64, day: Date) -> Result<bool> {
    let m: i64 = conn
        .query_row("SELECT days FROM slots WHERE id = ?1", [slot_id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| CoreError::not_found("slot", slot_id))?;
    Ok(m & (1 << day.weekday()) != 0)
}

fn insert_in_slot(conn: &Connection, item_id: i64, day: Date, slot_id: i64) -> Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO schedule_entries(item_id, day, slot_id, position, created_at)
         VALUES (?1, ?2, ?3,
                 (SELECT coalesce(max(position), 0) + 1 FROM schedule_entries
                   WHERE day = ?2 AND slot_id = ?3), ?4)",
        params![item_id, day.to_string(), slot_id, now()],
    )?;
    Ok(n == 1)
}

/// Places one item in a slot on a day (at the end of the slot).
pub fn place(db: &mut Db, p: &Place) -> Result<PlaceResult> {
    let day = calendar::parse_date("date", &p.date)?;
    check_item(db.conn(), p.item_id)?;
    if !slot_runs(db.conn(), p.slot_id, day)? {
        return Err(CoreError::invalid("slots", "not-that-day"));
    }
    let placed = insert_in_slot(db.conn(), p.item_id, day, p.slot_id)?;
    Ok(PlaceResult {
        placed: u32::from(placed),
        skipped: u32::from(!placed),
    })
}

/// Places every item of a received package on each day of its validity from
/// `from` (default: today) to `to` (default: the end of its validity), in the
/// slots the issuer suggested (matched by start time), or else in the first
/// slot of the day.
pub fn place_package(
    db: &mut Db,
    package_id: i64,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<PlaceResult> {
    let (suggested, valid_from, valid_until): (String, String, String) = db
        .conn()
        .query_row(
            "SELECT slots, valid_from, valid_until FROM packages
              WHERE id = ?1 AND direction = 'received'",
            [package_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("package", package_id))?;
    let suggested: Vec<String> = serde_json::from_str(&suggested).unwrap_or_default();
    let suggested: Vec<u32> = suggested
        .iter()
        .filter_map(|s| calendar::parse_hhmm(s))
        .collect();
    let today = crate::base::clock::today(db.conn())?;
    let start = match from {
        Some(f) => calendar::parse_date("date", f)?,
        None => today,
    }
    .max(calendar::parse_date("date", &valid_from)?);
    let end = match to {
        Some(t) => calendar::parse_date("date", t)?,
        None => calendar::parse_date("date", &valid_until)?,
    }
    .min(calendar::parse_date("date", &valid_until)?);
    if start.days_until(end) > 366 {
        return Err(CoreError::invalid("date-range", "out-of-range"));
    }
    let items: Vec<i64> = {
        let mut stmt = db
            .conn()
            .prepare("SELECT id FROM package_items WHERE package_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([package_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let all = slots(db)?;
    let tx = db.conn_mut().transaction()?;
    let mut result = PlaceResult {
        placed: 0,
        skipped: 0,
    };
    let mut day = start;
    while day <= end {
        let running: Vec<&Slot> = all
            .iter()
            .filter(|s| s.days[day.weekday() as usize])
            .collect();
        let mut chosen: Vec<i64> = running
            .iter()
            .filter(|s| calendar::parse_hhmm(&s.start).is_some_and(|m| suggested.contains(&m)))
            .filter_map(|s| s.id)
            .collect();
        if chosen.is_empty() {
            chosen.extend(running.first().and_then(|s| s.id));
        }
        for slot in chosen {
            for &item in &items {
                if insert_in_slot(&tx, item, day, slot)? {
                    result.placed += 1;
                } else {
                    result.skipped += 1;
                }
            }
        }
        day = day.add_days(1);
    }
    tx.commit()?;
    Ok(result)
}

/// Puts an item on air now, outside the slots (emergencies).
pub fn insert_now(db: &mut Db, item_id: i64) -> Result<i64> {
    check_item(db.conn(), item_id)?;
    let offset = crate::base::clock::local_offset(db.conn())?;
    let t = now();
    let (day, minute) = crate::base::calendar::local_day_minute(t, offset);
    db.conn().execute(
        "INSERT INTO schedule_entries(item_id, day, at_minute, position, created_at)
         VALUES (?1, ?2, ?3, 0, ?4)",
        params![item_id, day.to_string(), minute, t],
    )?;
    Ok(db.conn().last_insert_rowid())
}

pub fn remove(db: &Db, entry_id: i64) -> Result<()> {
    let n = db
        .conn()
        .execute("DELETE FROM schedule_entries WHERE id = ?1", [entry_id])?;
    if n == 0 {
        return Err(CoreError::not_found("entry", entry_id));
    }
    Ok(())
}

/// Moves an entry up (-1) or down (+1) within its slot.
pub fn reorder(db: &mut Db, entry_id: i64, delta: i32) -> Result<()> {
    let tx = db.conn_mut().transaction()?;
    let (day, slot): (String, Option<i64>) = tx
        .query_row(
            "SELECT day, slot_id FROM schedule_entries WHERE id = ?1",
            [entry_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("entry", entry_id))?;
    let mut ids: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT id FROM schedule_entries WHERE day = ?1 AND slot_id IS ?2
              ORDER BY position, id",
        )?;
        let rows = stmt.query_map(params![day, slot], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let at = ids.iter().position(|&i| i == entry_id).expect("listed");
    let to = (at as i64 + i64::from(delta)).clamp(0, ids.len() as i64 - 1) as usize;
    let id = ids.remove(at);
    ids.insert(to, id);
    for (n, id) in ids.iter().enumerate() {
        tx.execute(
            "UPDATE schedule_entries SET position = ?2 WHERE id = ?1",
            params![id, n as i64 + 1],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The week starting on `monday`'s ISO week, with every slot of every day.
pub fn week(db: &Db, iso_week: &str) -> Result<Week> {
    let monday = Date::parse_iso_week(iso_week).ok_or(CoreError::invalid("week", "format"))?;
    let (y, w) = monday.iso_week();
    let all = slots(db)?;
    let mut stmt = db.conn().prepare_cached(
        "SELECT e.id, e.item_id, p.id, p.title, i.title, i.lang, i.seconds, p.priority,
                e.slot_id, e.at_minute, p.valid_from, p.valid_until,
                EXISTS(SELECT 1 FROM air_log a WHERE a.entry_id = e.id)
           FROM schedule_entries e
           JOIN package_items i ON i.id = e.item_id
           JOIN packages p ON p.id = i.package_id
          WHERE e.day = ?1
          ORDER BY e.slot_id IS NULL, e.position, e.id",
    )?;
    let mut days = Vec::new();
    let mut conflicts = 0;
    for d in 0..7 {
        let date = monday.add_days(d);
        let key = date.to_string();
        let rows = stmt.query_map([&key], |r| {
            let from: String = r.get(10)?;
            let until: String = r.get(11)?;
            Ok((
                EntryView {
                    id: r.get(0)?,
                    item_id: r.get(1)?,
                    package_id: r.get(2)?,
                    package_title: r.get(3)?,
                    title: r.get(4)?,
                    lang: r.get(5)?,
                    seconds: r.get(6)?,
                    priority: Priority::parse(&r.get::<_, String>(7)?).unwrap_or(Priority::Normal),
                    starts: String::new(),
                    aired: r.get(12)?,
                    outside_validity: key < from || key > until,
                },
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<u32>>(9)?,
            ))
        })?;
        let mut slot_days: Vec<SlotDay> = all
            .iter()
            .filter(|s| s.days[date.weekday() as usize])
            .map(SlotDay::empty)
            .collect();
        for row in rows {
            let (entry, slot, at) = row?;
            match (slot, at) {
                (Some(id), _) => {
                    // A slot no longer running that day still shows what
                    // was placed in it.
                    if !slot_days.iter().any(|s| s.slot_id == Some(id)) {
                        if let Some(s) = all.iter().find(|s| s.id == Some(id)) {
                            slot_days.push(SlotDay::empty(s));
                        }
                    }
                    if let Some(s) = slot_days.iter_mut().find(|s| s.slot_id == Some(id)) {
                        s.entries.push(entry);
                    }
                }
                (None, Some(m)) => slot_days.push(SlotDay {
                    slot_id: None,
                    name: String::new(),
                    start: calendar::hhmm(m),
                    end: calendar::hhmm(m + (entry.seconds / 60.0).ceil() as u32),
                    seconds: 0.0,
                    overfull: false,
                    entries: vec![entry],
                }),
                _ => {}
            }
        }
        for s in &mut slot_days {
            let start = calendar::parse_hhmm(&s.start).unwrap_or(0) as f64 * 60.0;
            let end = minutes(&s.end, "slots").unwrap_or(1440) as f64 * 60.0;
            let mut t = start;
            for e in &mut s.entries {
                e.starts = calendar::hhmm((t / 60.0).floor() as u32);
                t += e.seconds;
                conflicts += u32::from(e.outside_validity);
            }
            s.seconds = t - start;
            s.overfull = s.slot_id.is_some() && t > end + 0.5;
            conflicts += u32::from(s.overfull);
        }
        slot_days.sort_by(|a, b| a.start.cmp(&b.start));
        days.push(Day {
            date: key,
            slots: slot_days,
        });
    }
    Ok(Week {
        week: format!("{y}-W{w:02}"),
        days,
        conflicts,
    })
}

/// The ISO week of today, `2026-W48`.
pub fn this_week(db: &Db) -> Result<String> {
    Ok(crate::base::clock::today(db.conn())?.iso_week_id())
}

/// The ISO week `by` weeks after `week` (before, when negative): what the
/// schedule's ◀ / ▶ show.
pub fn shift_week(week: &str, by: i64) -> Result<String> {
    let monday = Date::parse_iso_week(week).ok_or(CoreError::invalid("week", "format"))?;
    Ok(monday.week_monday(by).iso_week_id())
}

fn ics_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (RFC 5545), never inside a character.
fn ics_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The week as iCalendar: one event per slot with something in it, in
/// local ("floating") time, the items listed in the description.
pub fn ics(db: &Db, iso_week: &str) -> Result<String> {
    let w = week(db, iso_week)?;
    let station = crate::broadcast::station::own_name(db)?;
    let stamp = calendar::rfc3339(now(), 0)
        .replace(['-', ':'], "")
        .replace("+0000", "Z");
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Loa Studio//Lich phat thanh//VI",
        "CALSCALE:GREGORIAN",
    ] {
        ics_line(&mut out, l);
    }
    ics_line(&mut out, &format!("X-WR-CALNAME:{}", ics_escape(&station)));
    for d in &w.days {
        for s in d.slots.iter().filter(|s| !s.entries.is_empty()) {
            let date = d.date.replace('-', "");
            let start = s.start.replace(':', "");
            let end = s.end.replace(':', "");
            let end = if end == "2400" {
                "235900".to_string()
            } else {
                format!("{end}00")
            };
            let titles: Vec<String> = s
                .entries
                .iter()
                .map(|e| format!("{} {} [{}]", e.starts, e.title, e.lang))
                .collect();
            let summary = if s.name.is_empty() {
                format!("{}: {}", s.start, s.entries[0].title)
            } else {
                format!("{} {}: {} bài", s.name, s.start, s.entries.len())
            };
            ics_line(&mut out, "BEGIN:VEVENT");
            ics_line(
                &mut out,
                &format!("UID:{date}-{start}-{}@loa-studio", s.slot_id.unwrap_or(0)),
            );
            ics_line(&mut out, &format!("DTSTAMP:{stamp}"));
            ics_line(&mut out, &format!("DTSTART:{date}T{start}00"));
            ics_line(&mut out, &format!("DTEND:{date}T{end}"));
            ics_line(&mut out, &format!("SUMMARY:{}", ics_escape(&summary)));
            ics_line(
                &mut out,
                &format!("DESCRIPTION:{}", ics_escape(&titles.join("\n"))),
            );
            ics_line(&mut out, "END:VEVENT");
        }
    }
    ics_line(&mut out, "END:VCALENDAR");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_with_items(seconds: &[f64]) -> (Db, Vec<i64>) {
        let db = Db::open_in_memory().unwrap();
        db.conn()
            .execute_batch(
                "INSERT INTO packages(id, uuid, direction, title, issuer_name, key_id, created,
                     valid_from, valid_until, priority, manifest, recorded_at)
                 VALUES (1, 'u', 'received', 'Gói', 'Xã A', 'K', 'c', '2099-01-01', '2099-12-31',
                         'normal', '{}', 0);",
            )
            .unwrap();
        let ids = seconds
            .iter()
            .enumerate()
            .map(|(n, s)| {
                db.conn()
                    .execute(
                        "INSERT INTO package_items(package_id, seq, script_id, revision, lang,
                             title, category, seconds)
                         VALUES (1, ?1, 1, 1, 'vie', 'Bài', 'other', ?2)",
                        params![n as i64 + 1, s],
                    )
                    .unwrap();
                db.conn().last_insert_rowid()
            })
            .collect();
        (db, ids)
    }

    #[test]
    fn overfull_slot_and_order() {
        let (mut db, items) = db_with_items(&[40.0, 40.0]);
        let mut list = slots(&db).unwrap();
        list[0].end = "06:01".into();
        list[1].days = [true, true, true, true, true, false, false];
        let list = save_slots(&mut db, &list).unwrap();
        assert_eq!(list[0].end, "06:01");
        for &item in &items {
            place(
                &mut db,
                &Place {
                    item_id: item,
                    date: "2099-01-05".into(),
                    slot_id: list[0].id.unwrap(),
                },
            )
            .unwrap();
        }
        let w = week(&db, "2099-W02").unwrap();
        let s = &w.days[0].slots[0];
        assert!(s.overfull);
        assert_eq!((s.entries[1].starts.as_str(), s.seconds), ("06:00", 80.0));
        assert_eq!(w.conflicts, 1);
        // The afternoon slot no longer runs at weekends.
        assert_eq!(w.days[5].slots.len(), 1);
        let err = place(
            &mut db,
            &Place {
                item_id: items[0],
                date: "2099-01-10".into(),
                slot_id: list[1].id.unwrap(),
            },
        )
        .unwrap_err();
        assert_eq!(err.args()[1].1, "not-that-day");

        reorder(&mut db, s.entries[1].id, -1).unwrap();
        let w = week(&db, "2099-W02").unwrap();
        assert_eq!(w.days[0].slots[0].entries[0].id, s.entries[1].id);

        // Removing a slot removes what was placed in it.
        save_slots(&mut db, &list[1..]).unwrap();
        let w = week(&db, "2099-W02").unwrap();
        assert!(w.days[0].slots.iter().all(|s| s.entries.is_empty()));
    }

    #[test]
    fn bad_slots_are_refused() {
        let mut db = Db::open_in_memory().unwrap();
        let mut list = slots(&db).unwrap();
        list[0].end = "05:00".into();
        assert_eq!(
            save_slots(&mut db, &list).unwrap_err().args()[1].1,
            "end-before-start"
        );
        let mut list = slots(&db).unwrap();
        list[0].start = "6h".into();
        assert!(save_slots(&mut db, &list).is_err());
        assert_eq!(slots(&db).unwrap()[0].start, "06:00", "unchanged");
    }

    #[test]
    fn ics_lines_fold_without_splitting_letters() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "Tiêm chủng mở rộng ".repeat(8));
        ics_line(&mut out, &long);
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.strip_suffix("\r\n").unwrap(), long);
    }
}
