//! The one clock of the core. Every timestamp written and every "today" read
//! (validity, this week, report periods) comes from here, so a test or the
//! CLI can put the whole core on a chosen day: reports, schedules and
//! expiry must behave the same on a Monday as on a Thursday, on 31 December
//! as on 1 January.
//!
//! The clock is chosen, most specific first, by:
//! - a thread's override ([`scoped`]), which is how tests run one body on
//!   many days while other tests run beside them in the same process;
//! - the process clock ([`set_process`]), which the CLI and the app set once
//!   at start from `LOA_NOW` / `LOA_TODAY` ([`Clock::from_env`]);
//! - the system clock, with the PC's UTC offset.

use crate::base::calendar::{self, Date};
use rusqlite::Connection;
use std::cell::Cell;
use std::sync::RwLock;

/// Where the time of day comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The operating system's clock and UTC offset.
    System,
    /// A moment that does not move (tests).
    Fixed { unix: i64, offset: i64 },
    /// The system clock moved by `by` seconds, at a fixed offset: the app
    /// started "on" another day still sees seconds pass, so edits made one
    /// after the other keep their order.
    Shifted { by: i64, offset: i64 },
}

/// Vietnam's offset, used when a chosen day names none.
pub const VIETNAM_OFFSET: i64 = 7 * 3600;

impl Clock {
    /// 09:00 local time in Vietnam on `date`, standing still.
    pub fn on(date: Date) -> Clock {
        Clock::Fixed {
            unix: date.to_unix(VIETNAM_OFFSET) + 9 * 3600,
            offset: VIETNAM_OFFSET,
        }
    }

    /// `YYYY-MM-DD` (09:00 that day, UTC+7) or `YYYY-MM-DDTHH:MM[:SS]±HH:MM`.
    pub fn parse_moment(s: &str) -> Option<(i64, i64)> {
        if let Some(d) = Date::parse(s) {
            return Some((d.to_unix(VIETNAM_OFFSET) + 9 * 3600, VIETNAM_OFFSET));
        }
        calendar::parse_moment(s, VIETNAM_OFFSET)
    }

    /// The clock named by `LOA_NOW` (a moment) or `LOA_TODAY` (a day), which
    /// starts there and then runs; `None` when neither is set. A value that
    /// does not parse is an error rather than a silent fall-back to the
    /// real date.
    pub fn from_env() -> Result<Option<Clock>, String> {
        for var in ["LOA_NOW", "LOA_TODAY"] {
            if let Ok(v) = std::env::var(var) {
                if v.trim().is_empty() {
                    continue;
                }
                let (unix, offset) = Clock::parse_moment(&v).ok_or_else(|| {
                    format!("{var}={v}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM+07:00")
                })?;
                return Ok(Some(Clock::starting(unix, offset)));
            }
        }
        Ok(None)
    }

    /// A clock that reads `unix` now and then runs (at `offset`).
    pub fn starting(unix: i64, offset: i64) -> Clock {
        Clock::Shifted {
            by: unix - system_now(),
            offset,
        }
    }

    /// Seconds since the Unix epoch.
    pub fn now(self) -> i64 {
        match self {
            Clock::System => system_now(),
            Clock::Fixed { unix, .. } => unix,
            Clock::Shifted { by, .. } => system_now() + by,
        }
    }

    /// The UTC offset in seconds, or `None` for "ask the system".
    pub fn fixed_offset(self) -> Option<i64> {
        match self {
            Clock::System => None,
            Clock::Fixed { offset, .. } | Clock::Shifted { offset, .. } => Some(offset),
        }
    }
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

static PROCESS: RwLock<Clock> = RwLock::new(Clock::System);

thread_local! {
    static THREAD: Cell<Option<Clock>> = const { Cell::new(None) };
}

/// Sets the clock of the whole process (the CLI and the app, once at start).
pub fn set_process(clock: Clock) {
    *PROCESS.write().unwrap_or_else(|e| e.into_inner()) = clock;
}

/// Puts the process on the clock `LOA_NOW` / `LOA_TODAY` name, if any: what
/// the CLI and the app do first.
pub fn init_from_env() -> Result<(), String> {
    if let Some(c) = Clock::from_env()? {
        set_process(c);
    }
    Ok(())
}

/// The clock in force on this thread.
pub fn current() -> Clock {
    THREAD
        .with(Cell::get)
        .unwrap_or_else(|| *PROCESS.read().unwrap_or_else(|e| e.into_inner()))
}

/// Seconds since the Unix epoch; every timestamp in the database uses it.
pub fn now() -> i64 {
    current().now()
}

/// Puts this thread on `clock` until the guard is dropped.
#[must_use = "the clock returns to the previous one when the guard drops"]
pub fn scoped(clock: Clock) -> Scope {
    let previous = THREAD.with(|t| t.replace(Some(clock)));
    Scope { previous }
}

pub struct Scope {
    previous: Option<Clock>,
}

impl Drop for Scope {
    fn drop(&mut self) {
        THREAD.with(|t| t.set(self.previous));
    }
}

/// Days a date-dependent test should pass on: seven days in a row (each
/// weekday once), a month end, and a year end into ISO week 53.
pub fn test_days() -> Vec<Date> {
    let mut days: Vec<Date> = (0..7)
        .map(|i| Date::from_ymd(2026, 11, 23).expect("valid").add_days(i))
        .collect();
    for (y, m, d) in [
        (2026, 11, 30),
        (2026, 12, 1),
        (2026, 12, 31),
        (2027, 1, 1),
        (2027, 1, 4),
    ] {
        days.push(Date::from_ymd(y, m, d).expect("valid"));
    }
    days
}

/// The PC's UTC offset now, in seconds (UTC+7 in Vietnam): the clock's own
/// when it names one, else the operating system's, which SQLite's
/// `localtime` asks for on Windows and Linux alike.
pub fn local_offset(conn: &Connection) -> crate::base::error::Result<i64> {
    if let Some(fixed) = current().fixed_offset() {
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
pub fn today(conn: &Connection) -> crate::base::error::Result<Date> {
    Ok(Date::from_unix(now(), local_offset(conn)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_parse_with_their_offset() {
        let d = Date::parse("2026-12-31").unwrap();
        assert_eq!(
            Clock::parse_moment("2026-12-31"),
            Some((d.to_unix(VIETNAM_OFFSET) + 9 * 3600, VIETNAM_OFFSET))
        );
        assert_eq!(
            Clock::parse_moment("2026-12-31T23:59:30+07:00"),
            Some((d.to_unix(VIETNAM_OFFSET) + 86_370, VIETNAM_OFFSET))
        );
        assert_eq!(
            Clock::parse_moment("2026-12-31T16:59Z"),
            Some((d.to_unix(0) + 16 * 3600 + 59 * 60, 0))
        );
        for bad in [
            "2026-13-01",
            "2026-12-31T25:00",
            "yesterday",
            "2026-12-31T10:00+15:00",
        ] {
            assert_eq!(Clock::parse_moment(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_thread_override_wins_and_ends_with_its_scope() {
        let day = Date::parse("2027-01-01").unwrap();
        {
            let _g = scoped(Clock::on(day));
            assert_eq!(Date::from_unix(now(), VIETNAM_OFFSET), day);
            // Another thread keeps the process clock.
            assert_eq!(std::thread::spawn(current).join().unwrap(), Clock::System);
        }
        assert_ne!(current(), Clock::on(day));
    }

    #[test]
    fn test_days_cover_every_weekday_and_the_year_end() {
        let days = test_days();
        let mut weekdays: Vec<u32> = days.iter().map(|d| d.weekday()).collect();
        weekdays.sort_unstable();
        weekdays.dedup();
        assert_eq!(weekdays, (0..7).collect::<Vec<_>>());
        assert!(days.iter().any(|d| d.iso_week() == (2026, 53)));
        assert!(days.iter().any(|d| d.ymd() == (2027, 1, 1)));
    }
}
