//! Civil dates and times for packages, schedules, the air log and reports,
//! on jiff. Dates are local dates of the station's PC at a UTC offset given
//! in seconds; the offset itself comes from the clock (`base::clock`), so no
//! time-zone database is needed.

use crate::base::error::{CoreError, Result};
use jiff::civil::{self, Weekday};
use jiff::tz::Offset;
use jiff::{Span, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Gregorian date between the years 1 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(civil::Date);

impl Date {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=9999).contains(&y) {
            return None;
        }
        let (m, d) = (i8::try_from(m).ok()?, i8::try_from(d).ok()?);
        civil::Date::new(y as i16, m, d).ok().map(Date)
    }

    /// Exactly `YYYY-MM-DD` (jiff alone would also take `20261122` and
    /// signed years, which no office types for a date).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return None;
        }
        Date::from_ymd(
            s[0..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..10].parse().ok()?,
        )
    }

    /// An ISO week such as `2026-W48`: its Monday.
    pub fn parse_iso_week(s: &str) -> Option<Date> {
        let (y, w) = s.trim().split_once('-')?;
        let w = w.strip_prefix(['W', 'w'])?;
        let (y, w): (i16, i8) = (y.parse().ok()?, w.parse().ok()?);
        if !(1..=9999).contains(&y) {
            return None;
        }
        civil::ISOWeekDate::new(y, w, Weekday::Monday)
            .ok()
            .map(|wd| Date(wd.date()))
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        (
            i64::from(self.0.year()),
            self.0.month() as u32,
            self.0.day() as u32,
        )
    }

    /// `n` days later (earlier when negative), held at the ends of the range.
    pub fn add_days(self, n: i64) -> Date {
        const LIMIT: i64 = 4_000_000; // more than the whole range, in days
        let span = Span::new().days(n.clamp(-LIMIT, LIMIT));
        Date(self.0.saturating_add(span))
    }

    /// Days from `self` to `other`.
    pub fn days_until(self, other: Date) -> i64 {
        self.0
            .until(other.0)
            .map(|s| i64::from(s.get_days()))
            .unwrap_or(0)
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u32 {
        self.0.weekday().to_monday_zero_offset() as u32
    }

    /// (ISO year, ISO week).
    pub fn iso_week(self) -> (i64, u32) {
        let w = self.0.iso_week_date();
        (i64::from(w.year()), w.week() as u32)
    }

    /// `2026-W48`.
    pub fn iso_week_id(self) -> String {
        let (y, w) = self.iso_week();
        format!("{y}-W{w:02}")
    }

    /// The Monday of the ISO week `weeks` after (or before) this date's.
    pub fn week_monday(self, weeks: i64) -> Date {
        self.add_days(weeks * 7 - i64::from(self.weekday()))
    }

    /// Seconds since the Unix epoch at local midnight, given the UTC offset.
    pub fn to_unix(self, offset_secs: i64) -> i64 {
        at_offset(self.0.to_datetime(civil::Time::midnight()), offset_secs)
    }

    pub fn from_unix(ts: i64, offset_secs: i64) -> Date {
        Date(local(ts, offset_secs).date())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
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

fn offset(offset_secs: i64) -> Offset {
    i32::try_from(offset_secs)
        .ok()
        .and_then(|s| Offset::from_seconds(s).ok())
        .unwrap_or(Offset::UTC)
}

fn timestamp(ts: i64) -> Timestamp {
    Timestamp::from_second(ts.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second()))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The local date and time of a Unix time at a UTC offset.
fn local(ts: i64, offset_secs: i64) -> civil::DateTime {
    offset(offset_secs).to_datetime(timestamp(ts))
}

/// The Unix time of a local date and time at a UTC offset.
fn at_offset(dt: civil::DateTime, offset_secs: i64) -> i64 {
    offset(offset_secs)
        .to_timestamp(dt)
        .map(|t| t.as_second())
        .unwrap_or(0)
}

/// `2026-11-22T09:30:00+07:00` for a Unix time at the given offset.
pub fn rfc3339(ts: i64, offset_secs: i64) -> String {
    let dt = local(ts, offset_secs);
    format!(
        "{}{}",
        dt.strftime("%Y-%m-%dT%H:%M:%S"),
        offset_text(offset_secs)
    )
}

/// `+07:00`.
fn offset_text(offset_secs: i64) -> String {
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let off = offset_secs.abs();
    format!("{sign}{:02}:{:02}", off / 3600, off / 60 % 60)
}

/// The local date and minute of the day (0–1439) of a Unix time.
pub fn local_day_minute(ts: i64, offset_secs: i64) -> (Date, u32) {
    let dt = local(ts, offset_secs);
    (Date(dt.date()), dt.hour() as u32 * 60 + dt.minute() as u32)
}

/// `2026-11-22 09:30`, local: how the air log and reports show a time.
pub fn local_minute(ts: i64, offset_secs: i64) -> String {
    local(ts, offset_secs)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// UTC `YYYYMMDDThhmmssZ`, TMX's date form.
pub fn utc_compact(ts: i64) -> String {
    timestamp(ts).strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A local date and time as offices and players write them:
/// `YYYY-MM-DD HH:MM[:SS]` (or with `T`), or `DD/MM/YYYY HH:MM[:SS]`; a date
/// alone is its midnight.
pub fn parse_local(s: &str, offset_secs: i64) -> Option<i64> {
    let s = s.trim();
    let (d, t) = s.split_once([' ', 'T']).unwrap_or((s, "00:00"));
    let date = Date::parse(d).or_else(|| {
        let mut p = d.split('/');
        let (dd, mm, yy) = (p.next()?, p.next()?, p.next()?);
        if p.next().is_some() {
            return None;
        }
        Date::from_ymd(yy.parse().ok()?, mm.parse().ok()?, dd.parse().ok()?)
    })?;
    let seconds = parse_time(t.trim())?;
    Some(date.to_unix(offset_secs) + seconds)
}

/// `HH:MM` or `HH:MM:SS`, as seconds after midnight.
fn parse_time(t: &str) -> Option<i64> {
    let (hm, sec) = match t.matches(':').count() {
        2 => {
            let (hm, s) = t.rsplit_once(':')?;
            (hm, s.parse::<u32>().ok().filter(|s| *s < 60)?)
        }
        _ => (t, 0),
    };
    Some(i64::from(parse_hhmm(hm)?) * 60 + i64::from(sec))
}

/// A moment as `LOA_NOW` gives it: `YYYY-MM-DDTHH:MM[:SS]` followed by
/// `±HH:MM` or `Z`, or by nothing for `default_offset`. Gives the Unix time
/// and the offset it was written at.
pub fn parse_moment(s: &str, default_offset: i64) -> Option<(i64, i64)> {
    let (date, rest) = s.trim().split_once(['T', ' '])?;
    let date = Date::parse(date)?;
    let split = rest.rfind(['+', '-']).filter(|&i| i > 0);
    let (time, offset) = match split {
        Some(i) => (&rest[..i], parse_offset(&rest[i..])?),
        None if rest.ends_with('Z') => (&rest[..rest.len() - 1], 0),
        None => (rest, default_offset),
    };
    Some((date.to_unix(offset) + parse_time(time)?, offset))
}

/// `+07:00`, `-05:30`, `+7` as seconds east of UTC.
fn parse_offset(s: &str) -> Option<i64> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = s[1..].split_once(':').unwrap_or((&s[1..], "0"));
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && (0..60).contains(&m) && h >= 0).then_some(sign * (h * 3600 + m * 60))
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
            "+2026-11-22",
            "",
        ] {
            assert!(Date::parse(s).is_none(), "{s}");
        }
        let d = Date::parse("2026-11-22").unwrap();
        assert_eq!(d.weekday(), 6, "a Sunday");
        assert_eq!(d.add_days(10).to_string(), "2026-12-02");
        assert_eq!(d.iso_week(), (2026, 47));
        assert_eq!(d.days_until(Date::parse("2027-01-01").unwrap()), 40);
        assert_eq!(d.add_days(i64::MAX).to_string(), "9999-12-31");
    }

    #[test]
    fn iso_weeks() {
        let week = |s| Date::parse_iso_week(s).map(|d| d.to_string());
        assert_eq!(week("2026-W48").as_deref(), Some("2026-11-23"));
        // 2021-W01 starts on 2021-01-04; 2020 had 53 weeks, 2021 did not.
        assert_eq!(week("2021-W01").as_deref(), Some("2021-01-04"));
        assert_eq!(week("2020-W53").as_deref(), Some("2020-12-28"));
        assert_eq!(week("2021-W53"), None);
        assert_eq!(week("2026-48"), None);
        assert_eq!(Date::parse("2020-12-31").unwrap().iso_week(), (2020, 53));
        assert_eq!(Date::parse("2027-01-01").unwrap().iso_week(), (2026, 53));
        let thu = Date::parse("2026-12-31").unwrap();
        assert_eq!(thu.week_monday(0).to_string(), "2026-12-28");
        assert_eq!(thu.week_monday(1).iso_week_id(), "2027-W01");
        assert_eq!(thu.week_monday(-1).iso_week_id(), "2026-W52");
    }

    #[test]
    fn times() {
        assert_eq!(rfc3339(0, 7 * 3600), "1970-01-01T07:00:00+07:00");
        assert_eq!(rfc3339(-1, 0), "1969-12-31T23:59:59+00:00");
        assert_eq!(local_minute(0, 7 * 3600), "1970-01-01 07:00");
        let (day, minute) = local_day_minute(17 * 3600 + 59, 7 * 3600);
        assert_eq!((day.to_string(), minute), ("1970-01-02".into(), 0));
        assert_eq!(utc_compact(1_764_000_000), "20251124T160000Z");
        assert_eq!(parse_hhmm("6:00"), Some(360));
        assert_eq!(parse_hhmm("17:30"), Some(1050));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("6:5"), None);
        assert_eq!(hhmm(1050), "17:30");
        let d = Date::parse("2026-11-22").unwrap();
        assert_eq!(Date::from_unix(d.to_unix(7 * 3600), 7 * 3600), d);
        let vn = 7 * 3600;
        assert_eq!(
            parse_local("22/11/2026 06:30", vn),
            Some(d.to_unix(vn) + 390 * 60)
        );
        assert_eq!(
            parse_local("2026-11-22T06:30:15", vn),
            Some(d.to_unix(vn) + 390 * 60 + 15)
        );
        assert_eq!(parse_local("2026-11-22 25:00", vn), None);
        assert_eq!(
            parse_moment("2026-11-22T09:00+00:00", vn),
            Some((d.to_unix(0) + 9 * 3600, 0))
        );
        assert_eq!(
            parse_moment("2026-11-22T09:00", vn),
            Some((d.to_unix(vn) + 9 * 3600, vn))
        );
        assert_eq!(parse_moment("2026-11-22T09:00+15:00", vn), None);
    }
}
