//! Dates, weeks, months and numbers as people read them in the language of
//! the messages: day first (01/07/2026), a week as "Tuần 50 (7–13/12/2026)",
//! thousands grouped with a dot and decimals after a comma in Vietnamese.
//! The patterns are Fluent messages (`fmt-*` in `locales/*/app.ftl`), the
//! ones the window formats with too, and `tests/shared/format-cases.json` holds
//! the cases both this module and the UI's `lib/format.ts` are tested on,
//! so exports (DOCX, XLSX, print) and the window always agree.

use crate::base::calendar::Date;
use crate::base::i18n::Localizer;

/// Formats for one language.
pub struct Formats<'a> {
    l: &'a Localizer,
}

fn pad2(n: u32) -> String {
    format!("{n:02}")
}

impl<'a> Formats<'a> {
    pub fn new(l: &'a Localizer) -> Formats<'a> {
        Formats { l }
    }

    /// A date, day first: 01/07/2026. The year is never grouped.
    pub fn date(&self, d: Date) -> String {
        let (y, m, day) = d.ymd();
        self.l.get(
            "fmt-date",
            &[
                ("day", pad2(day)),
                ("month", pad2(m)),
                ("year", y.to_string()),
            ],
        )
    }

    /// Two dates as one span, sharing what they share: 7–13/12/2026,
    /// 29/6–5/7/2026, 28/12/2026–3/1/2027.
    pub fn date_range(&self, from: Date, to: Date) -> String {
        let ((y0, m0, d0), (y1, m1, d1)) = (from.ymd(), to.ymd());
        let short = |d: u32, m: u32, y: Option<i64>| match y {
            Some(y) => format!("{d}/{m}/{y}"),
            None => format!("{d}/{m}"),
        };
        if (y0, m0) == (y1, m1) {
            format!("{d0}–{d1}/{m1}/{y1}")
        } else if y0 == y1 {
            format!("{}–{}", short(d0, m0, None), short(d1, m1, Some(y1)))
        } else {
            format!("{}–{}", short(d0, m0, Some(y0)), short(d1, m1, Some(y1)))
        }
    }

    /// An ISO week id (`2026-W50`) as "Tuần 50 (7–13/12/2026)"; anything
    /// else as it is.
    pub fn week(&self, id: &str) -> String {
        let Some(monday) = Date::parse_iso_week(id) else {
            return id.to_string();
        };
        let (_, w) = monday.iso_week();
        let range = self.date_range(monday, monday.add_days(6));
        self.l
            .get("fmt-week", &[("week", w.to_string()), ("range", range)])
    }

    /// A month id (`2026-11`) as "Tháng 11/2026".
    pub fn month(&self, id: &str) -> String {
        let Some(first) = Date::parse(&format!("{id}-01")) else {
            return id.to_string();
        };
        let (y, m, _) = first.ymd();
        self.l.get(
            "fmt-month",
            &[("month", m.to_string()), ("year", y.to_string())],
        )
    }

    /// A report's period bucket: a week or a month id.
    pub fn period(&self, id: &str) -> String {
        if id.contains('W') {
            self.week(id)
        } else {
            self.month(id)
        }
    }

    /// A number with `decimals` digits after the mark, thousands grouped:
    /// 1.234.567,5 in Vietnamese, 1,234,567.5 in English.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let text = format!("{:.*}", decimals, value.abs());
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        let group = self.l.get("fmt-group-mark", &[]);
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push_str(&group);
            }
            grouped.push(c);
        }
        // -0,0 reads as a mistake.
        let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
        let sign = if negative { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!(
                "{sign}{grouped}{}{frac}",
                self.l.get("fmt-decimal-mark", &[])
            )
        }
    }

    /// The number [`Formats::number`] wrote, read back (spreadsheets keep
    /// numbers as numbers); None for any other text.
    pub fn parse_number(&self, text: &str) -> Option<f64> {
        let group = self.l.get("fmt-group-mark", &[]);
        let mark = self.l.get("fmt-decimal-mark", &[]);
        let plain = text.trim().replace(&group, "").replace(&mark, ".");
        let digits = plain.strip_prefix('-').unwrap_or(&plain);
        let shape = !digits.is_empty()
            && !digits.starts_with('.')
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.matches('.').count() <= 1;
        shape.then(|| plain.parse().ok()).flatten()
    }

    /// A length in seconds as "2 phút 5 giây" / "45 giây".
    pub fn duration(&self, seconds: f64) -> String {
        let s = seconds.max(0.0).round() as u64;
        let (min, sec) = (s / 60, s % 60);
        if min == 0 {
            self.l.get("duration-sec", &[("sec", sec.to_string())])
        } else {
            self.l.get(
                "duration-min-sec",
                &[("min", min.to_string()), ("sec", sec.to_string())],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The cases the UI's formatter is tested on too.
    const CASES: &str = include_str!("../../../../tests/shared/format-cases.json");

    fn date(v: &Value) -> Date {
        Date::parse(v.as_str().unwrap()).unwrap()
    }

    #[test]
    fn the_shared_cases_format_as_the_window_formats_them() {
        let cases: Vec<Value> = serde_json::from_str(CASES).unwrap();
        assert!(cases.len() >= 20);
        for c in &cases {
            let l = Localizer::new(c["lang"].as_str().unwrap());
            let f = Formats::new(&l);
            let a = &c["args"];
            let got = match c["fn"].as_str().unwrap() {
                "date" => f.date(date(&a[0])),
                "dateRange" => f.date_range(date(&a[0]), date(&a[1])),
                "week" => f.week(a[0].as_str().unwrap()),
                "month" => f.month(a[0].as_str().unwrap()),
                "period" => f.period(a[0].as_str().unwrap()),
                "number" => f.number(a[0].as_f64().unwrap(), a[1].as_u64().unwrap_or(0) as usize),
                "duration" => f.duration(a[0].as_f64().unwrap()),
                // Parsing what is typed is the window's alone.
                "parseDate" => continue,
                other => panic!("unknown case {other}"),
            };
            assert_eq!(got, c["out"].as_str().unwrap(), "{c}");
            if c["fn"] == "number" {
                let back = f.parse_number(&got).unwrap();
                let want = a[0].as_f64().unwrap();
                let step = 10f64.powi(-(a[1].as_i64().unwrap_or(0) as i32));
                assert!(
                    (back - want).abs() <= step / 2.0 + 1e-9,
                    "{got} read back as {back}"
                );
            }
        }
    }

    #[test]
    fn only_numbers_read_back_as_numbers() {
        let l = Localizer::new("vi");
        let f = Formats::new(&l);
        for text in [
            "Tuần 48 (23–29/11/2026)",
            "Xã Đông Giang",
            "",
            "-",
            "1,2,3",
            ",5",
        ] {
            assert_eq!(f.parse_number(text), None, "{text}");
        }
        assert_eq!(f.parse_number("3.321"), Some(3321.0));
    }
}
