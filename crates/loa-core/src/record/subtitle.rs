//! Subtitles (SRT, WebVTT) for social-media versions of a program: from a
//! Whisper transcript, or from sentences timed by hand for languages no
//! model knows.

/// One subtitle: seconds from the start, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub start: f64,
    pub end: f64,
    pub text: String,
}

fn stamp(seconds: f64, sep: char) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}{sep}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// Cues in time order with text, each at least shown for a moment; a cue
/// whose end is not after its start would be skipped by players.
fn usable(cues: &[Cue]) -> Vec<Cue> {
    let mut v: Vec<Cue> = cues
        .iter()
        .filter(|c| !c.text.trim().is_empty() && c.start.is_finite() && c.end.is_finite())
        .map(|c| Cue {
            start: c.start,
            end: c.end.max(c.start + 0.1),
            text: crate::base::text::clean(c.text.trim()),
        })
        .collect();
    v.sort_by(|a, b| a.start.total_cmp(&b.start));
    v
}

pub fn srt(cues: &[Cue]) -> String {
    let mut out = String::new();
    for (i, c) in usable(cues).iter().enumerate() {
        out.push_str(&format!(
            "{}\r\n{} --> {}\r\n{}\r\n\r\n",
            i + 1,
            stamp(c.start, ','),
            stamp(c.end, ','),
            c.text.replace('\n', "\r\n")
        ));
    }
    out
}

pub fn vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for c in usable(cues) {
        // "-->" inside a cue would end its timing line early.
        let text = c.text.replace("-->", "->");
        out.push_str(&format!(
            "{} --> {}\n{}\n\n",
            stamp(c.start, '.'),
            stamp(c.end, '.'),
            text
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues() -> Vec<Cue> {
        vec![
            Cue {
                start: 3661.5,
                end: 3663.0,
                text: "Tiêm chủng --> đúng lịch".into(),
            },
            Cue {
                start: 0.0,
                end: 2.345,
                text: "Xin chào bà con".into(),
            },
            Cue {
                start: 5.0,
                end: 6.0,
                text: "  ".into(),
            },
        ]
    }

    #[test]
    fn srt_numbers_and_orders_cues() {
        let s = srt(&cues());
        assert!(s.starts_with("1\r\n00:00:00,000 --> 00:00:02,345\r\nXin chào bà con\r\n\r\n2\r\n"));
        assert!(s.contains("01:01:01,500 --> 01:01:03,000"));
        assert_eq!(s.matches("-->").count(), 3, "the empty cue is left out");
    }

    #[test]
    fn vtt_has_its_header_and_safe_text() {
        let v = vtt(&cues());
        assert!(v.starts_with("WEBVTT\n\n00:00:00.000 --> 00:00:02.345\nXin chào bà con\n"));
        assert!(v.contains("Tiêm chủng -> đúng lịch"));
    }
}
