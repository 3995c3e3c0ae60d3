//! A signed request proves who sent it, not that it is sane. Every value a
//! station sends is bounded and checked here before the hub stores it, so
//! no station's data can stop another station's sync or a handler's read.
//! The limits are named once, here, and in README's production set-up.

use crate::HubError;
use loa_core::base::calendar;
use loa_core::broadcast::network::{Receipt, ReceiptKind};

/// How far back an airing or a delivery may be reported: a station that
/// was offline for most of a year still sends its half-year's log.
pub const PAST_SECS: i64 = 400 * 86_400;
/// How far ahead of the hub's clock a station's time may be (a PC whose
/// clock runs a day fast still reports).
pub const FUTURE_SECS: i64 = 86_400;
/// A package id, a language code, a version: short, plain text.
pub const MAX_ID: usize = 64;
/// An aired receipt may run this far past the package's own length
/// (players round, pad and fade).
pub const AIRED_SLACK_SECS: f64 = 60.0;
/// Receipts in one request.
pub const MAX_RECEIPTS: usize = 10_000;
/// The app version a station reports.
pub const MAX_VERSION: usize = 32;

/// Control characters and the bidirectional overrides that can make one
/// text read as another on the province's screens.
pub fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Refuses a text over `max` characters or holding an unsafe character.
pub fn text(field: &str, s: &str, max: usize) -> Result<(), HubError> {
    if s.chars().count() > max {
        return Err(HubError::BadRequest(format!(
            "{field}: longer than {max} characters"
        )));
    }
    if s.chars().any(unsafe_char) {
        return Err(HubError::BadRequest(format!(
            "{field}: control or direction characters"
        )));
    }
    Ok(())
}

/// A receipt read and bounded: its time in Unix seconds.
pub fn receipt(r: &Receipt, now: i64) -> Result<i64, HubError> {
    text("packageId", &r.package_id, MAX_ID)?;
    if r.package_id.is_empty() {
        return Err(HubError::BadRequest("packageId: empty".into()));
    }
    let at = calendar::parse_moment(&r.at, 0)
        .map(|(t, _)| t)
        .ok_or_else(|| HubError::BadRequest(format!("at: not a time: {:?}", clip(&r.at))))?;
    let earliest = now.saturating_sub(PAST_SECS);
    let latest = now.saturating_add(FUTURE_SECS);
    if at < earliest || at > latest {
        return Err(HubError::BadRequest(format!(
            "at: {} is outside what the hub takes (a year back, a day ahead)",
            clip(&r.at)
        )));
    }
    if !r.lang.is_empty() && !loa_core::base::language::valid_code(&r.lang) {
        return Err(HubError::BadRequest(format!(
            "lang: not a language code: {:?}",
            clip(&r.lang)
        )));
    }
    if !r.seconds.is_finite() || r.seconds < 0.0 {
        return Err(HubError::BadRequest("seconds: not a length".into()));
    }
    if r.kind != ReceiptKind::Aired && (r.seconds != 0.0 || !r.lang.is_empty()) {
        return Err(HubError::BadRequest(
            "seconds and lang belong to aired receipts only".into(),
        ));
    }
    Ok(at)
}

/// What a refusal quotes of a station's text: a little, and safe to log.
pub fn clip(s: &str) -> String {
    s.chars()
        .filter(|c| !unsafe_char(*c))
        .take(MAX_ID)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aired(at: &str, seconds: f64) -> Receipt {
        Receipt {
            package_id: "p1".into(),
            kind: ReceiptKind::Aired,
            at: at.into(),
            lang: "vie".into(),
            seconds,
            on_time: Some(true),
        }
    }

    const NOW: i64 = 1_798_678_800; // 2026-12-31T01:00:00Z

    #[test]
    fn times_outside_a_sane_window_are_refused() {
        assert_eq!(
            receipt(&aired("2026-12-31T08:00:00+07:00", 90.0), NOW).unwrap(),
            NOW
        );
        for at in [
            "infinity",
            "-infinity",
            "294276-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2027-01-02T01:00:01Z",
            "",
        ] {
            assert!(receipt(&aired(at, 90.0), NOW).is_err(), "{at}");
        }
    }

    #[test]
    fn lengths_languages_and_texts_are_bounded() {
        let ok = "2026-12-30T08:00:00+07:00";
        for s in [f64::NAN, f64::INFINITY, -1.0] {
            assert!(receipt(&aired(ok, s), NOW).is_err(), "{s}");
        }
        let mut r = aired(ok, 10.0);
        r.lang = "zzzz".into();
        assert!(receipt(&r, NOW).is_err());
        r.lang = "vie".into();
        r.package_id = "a\u{0}b".into();
        assert!(receipt(&r, NOW).is_err());
        r.package_id = "x\u{202E}y".into();
        assert!(receipt(&r, NOW).is_err());
        r.package_id = "p".repeat(MAX_ID + 1);
        assert!(receipt(&r, NOW).is_err());
        let mut d = aired(ok, 5.0);
        d.kind = ReceiptKind::Delivered;
        assert!(receipt(&d, NOW).is_err(), "a delivery has no length");
    }
}
