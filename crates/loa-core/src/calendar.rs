//! Civil dates for packages, schedules and reports. Dates are local dates
//! of the station's PC; the local clock and its UTC offset come from SQLite
//! (`localtime`), which asks the operating system on Windows and Linux alike,
//! so no time-zone database is needed.

use crate::error::{CoreError, Result};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A proleptic Gregorian date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    days: i64,
}

impl Date {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1..=9999).contains(&y) {
            return None;
        }
        Some(Date {
            days: days_from_civil(y, m, d),
        })
    }

    /// `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        Date::from_ymd(num(0..4)?, num(5..7)? as u32, num(8..10)? as u32)
    }

    /// An ISO week such as `2026-W48`: its Monday.
    pub fn parse_iso_week(s: &str) -> Option<Date> {
        let (y, w) = s.trim().split_once(['-'])?;
        let w = w.strip_prefix(['W', 'w'])?;
        let (y, w): (i64, i64) = (y.parse().ok()?, w.parse().ok()?);
        let jan4 = Date::from_ymd(y, 1, 4)?;
        let week1 = jan4.add_days(-(jan4.weekday() as i64));
        let weeks_in_year = if Date::from_ymd(y, 12, 28)?.iso_week().1 == 53 {
            53
        } else {
            52
        };
        (1..=weeks_in_year)
            .contains(&w)
            .then(|| week1.add_days((w - 1) * 7))
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }

    pub fn add_days(self, n: i64) -> Date {
        Date {
            days: self.days + n,
        }
    }

    /// Days from `self` to `other`.
    pub fn days_until(self, other: Date) -> i64 {
        other.days - self.days
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.days + 3).rem_euclid(7) as u32
    }

    /// (ISO year, ISO week).
    pub fn iso_week(self) -> (i64, u32) {
        let thursday = self.add_days(3 - self.weekday() as i64);
        let (y, _, _) = thursday.ymd();
        let jan1 = Date::from_ymd(y, 1, 1).expect("valid");
        (y, (jan1.days_until(thursday) / 7 + 1) as u32)
    }

    /// `2026-W48`.
    pub fn iso_week_id(self) -> String {
        let (y, w) = self.iso_week();
        format!("{y}-W{w:02}")
    }

    /// Seconds since the Unix epoch at local midnight, given the UTC offset.
    pub fn to_unix(self, offset_secs: i64) -> i64 {
        self.days * 86_400 - offset_secs
    }

    pub fn from_unix(ts: i64, offset_secs: i64) -> Date {
        Date {
            days: (ts + offset_secs).div_euclid(86_400),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Date, String> {
        Date::parse(&s).ok_or_else(|| format!("not a date (YYYY-MM-DD): {s}"))
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// A date given by the user, or a clear error naming the field.
pub fn parse_date(field: &'static str, s: &str) -> Result<Date> {
    Date::parse(s).ok_or(CoreError::invalid(field, "bad-date"))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The PC's UTC offset now, in seconds (UTC+7 in Vietnam).
pub fn local_offset(conn: &Connection) -> Result<i64> {
    if let Some(fixed) = crate::clock::current().fixed_offset() {
        return Ok(fixed);
    }
    let off: f64 = conn.query_row(
        "SELECT (julianday('now', 'localtime') - julianday('now')) * 86400.0",
        [],
        |r| r.get(0),
    )?;
    // Offsets are whole minutes; julianday arithmetic leaves float noise.
    Ok(((off / 60.0).round() as i64) * 60)
}

/// Today's local date.
pub fn today(conn: &Connection) -> Result<Date> {
    Ok(Date::from_unix(crate::clock::now(), local_offset(conn)?))
}

/// `2026-11-22T09:30:00+07:00` for a Unix time at the given offset.
pub fn rfc3339(ts: i64, offset_secs: i64) -> String {
    let local = ts + offset_secs;
    let date = Date::from_unix(ts, offset_secs);
    let sod = local.rem_euclid(86_400);
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let off = offset_secs.abs();
    format!(
        "{date}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60,
        off / 3600,
        off / 60 % 60
    )
}

/// `HH:MM` as minutes after midnight.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

pub fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60 % 24, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_reject_nonsense() {
        for s in ["1970-01-01", "2000-02-29", "2026-11-22", "2024-12-31"] {
            assert_eq!(Date::parse(s).unwrap().to_string(), s);
        }
        for s in [
            "2025-02-29",
            "2026-13-01",
            "2026-1-01",
            "20261122",
            "2026-11-2x",
            "",
        ] {
            assert!(Date::parse(s).is_none(), "{s}");
        }
        let d = Date::parse("2026-11-22").unwrap();
        assert_eq!(d.weekday(), 6, "a Sunday");
        assert_eq!(d.add_days(10).to_string(), "2026-12-02");
        assert_eq!(d.iso_week(), (2026, 47));
    }

    #[test]
    fn iso_weeks() {
        assert_eq!(
            Date::parse_iso_week("2026-W48").unwrap().to_string(),
            "2026-11-23"
        );
        // 2021-W01 starts in 2021-01-04; 2020 had 53 weeks.
        assert_eq!(
            Date::parse_iso_week("2021-W01").unwrap().to_string(),
            "2021-01-04"
        );
        assert_eq!(
            Date::parse_iso_week("2020-W53").unwrap().to_string(),
            "2020-12-28"
        );
        assert!(Date::parse_iso_week("2021-W53").is_none());
        assert!(Date::parse_iso_week("2026-48").is_none());
        assert_eq!(Date::parse("2020-12-31").unwrap().iso_week(), (2020, 53));
        assert_eq!(Date::parse("2027-01-01").unwrap().iso_week(), (2026, 53));
    }

    #[test]
    fn times() {
        assert_eq!(rfc3339(0, 7 * 3600), "1970-01-01T07:00:00+07:00");
        assert_eq!(rfc3339(-1, 0), "1969-12-31T23:59:59+00:00");
        assert_eq!(parse_hhmm("6:00"), Some(360));
        assert_eq!(parse_hhmm("17:30"), Some(1050));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("6:5"), None);
        assert_eq!(hhmm(1050), "17:30");
        let d = Date::parse("2026-11-22").unwrap();
        assert_eq!(Date::from_unix(d.to_unix(7 * 3600), 7 * 3600), d);
        let conn = Connection::open_in_memory().unwrap();
        let off = local_offset(&conn).unwrap();
        assert!(off.abs() <= 14 * 3600 && off % 60 == 0);
    }
}
