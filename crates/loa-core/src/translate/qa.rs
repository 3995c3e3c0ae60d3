//! Quality checks on a translation: what a reviewer would look for before
//! a script goes on air in another language. Each issue names its segment.

use crate::base::error::Result;
use crate::base::store::Db;
use crate::translate::glossary;
use crate::translate::memory::syllables;
use crate::translate::translation::{self, SegmentStatus, TranslationSegment};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks marking the translation translated.
    Error,
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum QaKind {
    Untranslated,
    Unconfirmed,
    Outdated,
    MissingTerm,
    ForbiddenTerm,
    DeprecatedTerm,
    NumberMismatch,
    Length,
    RepeatedWord,
    Spaces,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QaIssue {
    pub position: u32,
    pub kind: QaKind,
    pub severity: Severity,
    /// What was found (a term, a number, a word), when there is one.
    pub found: String,
    /// What was expected instead, when known.
    pub expected: String,
}

/// Numbers, dates and times in a normal form, so "1.200.000" and "1200000",
/// "7h30" and "7:30", "21/03/2023" and "21/3/2023" compare equal.
pub fn numbers(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A run of digit groups joined by one separator character each.
        let mut groups = vec![String::new()];
        let mut seps = Vec::new();
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                if let Some(g) = groups.last_mut() {
                    g.push(c);
                }
                i += 1;
            } else if matches!(c, '.' | ',' | '/' | ':' | 'h' | 'g' | '-')
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
            {
                seps.push(c);
                groups.push(String::new());
                i += 1;
            } else {
                break;
            }
        }
        // "7h", "7g" (giờ) alone is a time too.
        let hour_only = seps.is_empty()
            && matches!(chars.get(i), Some('h') | Some('g'))
            && !chars.get(i + 1).is_some_and(|c| c.is_alphabetic());
        let trim = |g: &String| g.trim_start_matches('0').to_string();
        let num = |g: &String| {
            let t = trim(g);
            if t.is_empty() {
                "0".to_string()
            } else {
                t
            }
        };
        let norm = if hour_only {
            format!("{}:00", num(&groups[0]))
        } else if seps.is_empty() {
            num(&groups[0])
        } else if seps.iter().all(|c| matches!(c, 'h' | 'g' | ':')) && groups.len() == 2 {
            format!("{}:{:0>2}", num(&groups[0]), num(&groups[1]))
        } else if seps.iter().all(|c| *c == '/' || *c == '-') {
            groups.iter().map(num).collect::<Vec<_>>().join("/")
        } else if seps.iter().all(|c| *c == seps[0])
            && (seps[0] == '.' || seps[0] == ',')
            && groups[1..].iter().all(|g| g.len() == 3)
            && (seps.len() > 1 || groups[0].len() <= 3)
        {
            // Thousands groups: 1.200.000 (Vietnamese) or 1,200,000.
            num(&groups.concat())
        } else if seps.len() == 1 && (seps[0] == ',' || seps[0] == '.') {
            // A decimal: 2,5 (Vietnamese) or 2.5.
            format!("{}.{}", num(&groups[0]), groups[1])
        } else {
            groups.iter().map(num).collect::<Vec<_>>().join(".")
        };
        out.push(norm);
    }
    out.sort();
    out
}

/// Does `text` contain `term` as whole words (tones and case normalized)?
fn contains_words(text: &[String], term: &str) -> bool {
    let t = syllables(term);
    !t.is_empty() && text.windows(t.len()).any(|w| w == t.as_slice())
}

fn issue(seg: &TranslationSegment, kind: QaKind, severity: Severity) -> QaIssue {
    QaIssue {
        position: seg.position,
        kind,
        severity,
        found: String::new(),
        expected: String::new(),
    }
}

/// Runs every check on the translation of a script into `lang`.
pub fn check_translation(db: &mut Db, script_id: i64, lang: &str) -> Result<Vec<QaIssue>> {
    let t = translation::open(db, script_id, lang)?;
    let target_terms = db.term_index(lang)?;
    let mut status_of = db
        .conn()
        .prepare_cached("SELECT status FROM terms WHERE id = ?1")?;
    let mut alternatives = db.conn().prepare_cached(&format!(
        "SELECT text FROM terms WHERE concept_id = ?1 AND lang = ?2
            AND status IN ('preferred', 'admitted') ORDER BY {}, id",
        glossary::STATUS_RANK
    ))?;
    let mut issues = Vec::new();
    for seg in &t.segments {
        match seg.status {
            SegmentStatus::Untranslated => {
                issues.push(issue(seg, QaKind::Untranslated, Severity::Error));
                continue;
            }
            SegmentStatus::Outdated => issues.push(QaIssue {
                found: seg.previous_source.clone().unwrap_or_default(),
                ..issue(seg, QaKind::Outdated, Severity::Error)
            }),
            SegmentStatus::Draft => issues.push(issue(seg, QaKind::Unconfirmed, Severity::Error)),
            SegmentStatus::Confirmed => {}
        }
        let target = &seg.target;
        let words = syllables(target);

        for s in &seg.terms {
            let approved: Vec<&str> = s
                .targets
                .iter()
                .filter(|t| glossary::is_approved(&t.status))
                .map(|t| t.text.as_str())
                .collect();
            if !approved.is_empty() && !approved.iter().any(|a| contains_words(&words, a)) {
                issues.push(QaIssue {
                    found: s.source.clone(),
                    expected: approved.join(" / "),
                    ..issue(seg, QaKind::MissingTerm, Severity::Warning)
                });
            }
        }

        for hit in target_terms.find(target) {
            let status: String = status_of.query_row([hit.term_id], |r| r.get(0))?;
            let kind = match status.as_str() {
                "forbidden" => (QaKind::ForbiddenTerm, Severity::Error),
                "deprecated" => (QaKind::DeprecatedTerm, Severity::Warning),
                _ => continue,
            };
            let better: Vec<String> = alternatives
                .query_map(params![hit.concept_id, lang], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            issues.push(QaIssue {
                found: hit.text,
                expected: better.join(" / "),
                ..issue(seg, kind.0, kind.1)
            });
        }

        let (src_n, tgt_n) = (numbers(&seg.source), numbers(target));
        if src_n != tgt_n {
            let missing: Vec<&String> = src_n.iter().filter(|n| !tgt_n.contains(n)).collect();
            let extra: Vec<&String> = tgt_n.iter().filter(|n| !src_n.contains(n)).collect();
            issues.push(QaIssue {
                found: extra
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                expected: missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                ..issue(seg, QaKind::NumberMismatch, Severity::Error)
            });
        }

        // Reading time follows syllables: a target far longer or shorter
        // than its source changes the slot it needs on air.
        let (s_len, t_len) = (syllables(&seg.source).len(), words.len());
        if s_len >= 5 && (t_len * 100 > s_len * 180 || t_len * 100 < s_len * 50) {
            issues.push(QaIssue {
                found: format!("{}", t_len * 100 / s_len),
                ..issue(seg, QaKind::Length, Severity::Warning)
            });
        }

        if let Some(w) = words
            .windows(2)
            .find(|w| w[0] == w[1] && w[0].chars().any(char::is_alphabetic))
        {
            issues.push(QaIssue {
                found: w[0].clone(),
                ..issue(seg, QaKind::RepeatedWord, Severity::Warning)
            });
        }

        if target.trim() != target || target.contains("  ") {
            issues.push(issue(seg, QaKind::Spaces, Severity::Warning));
        }
    }
    Ok(issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::translation::SegmentSave;

    #[test]
    fn vietnamese_number_forms() {
        assert_eq!(numbers("hỗ trợ 1.200.000 đồng"), vec!["1200000"]);
        assert_eq!(numbers("1200000"), vec!["1200000"]);
        assert_eq!(numbers("1,200,000"), vec!["1200000"]);
        assert_eq!(numbers("ngày 21/3/2023"), numbers("ngày 21/03/2023"));
        assert_eq!(numbers("lúc 7h30"), vec!["7:30"]);
        assert_eq!(numbers("lúc 7:30"), vec!["7:30"]);
        assert_eq!(numbers("lúc 7h sáng"), vec!["7:00"]);
        assert_eq!(numbers("giảm 2,5%"), numbers("giảm 2.5%"));
        assert_ne!(numbers("1.200"), numbers("1,2"));
        assert_eq!(numbers("Chỉ thị 07/CT-TTg"), vec!["7"]);
        assert_eq!(numbers("Xin chào."), Vec::<String>::new());
    }

    #[test]
    fn every_check_finds_its_issue() {
        let (mut db, id) = crate::translate::translation::tests::setup();
        let t = translation::open(&mut db, id, "mtq").unwrap();
        let save = |db: &mut Db, pos: usize, target: &str, confirm: bool| {
            translation::save_segment(
                db,
                &SegmentSave {
                    script_id: id,
                    lang: "mtq".into(),
                    position: pos as u32,
                    source: t.segments[pos].source.clone(),
                    target: target.into(),
                    confirm,
                },
                "Hùng",
            )
            .unwrap();
        };
        // Forbidden term instead of the approved one; repeated word.
        save(&mut db, 0, "Trạm y tế xã xã tổ chức chích.", true);
        // Draft, with a trailing space.
        save(&mut db, 1, "Bà con mang sổ. ", false);
        // Wrong date.
        save(&mut db, 2, "Hạn chót là 21/4/2023.", true);
        let issues = check_translation(&mut db, id, "mtq").unwrap();
        let kinds: Vec<(u32, QaKind)> = issues.iter().map(|i| (i.position, i.kind)).collect();
        for expected in [
            (0, QaKind::MissingTerm),
            (0, QaKind::ForbiddenTerm),
            (0, QaKind::RepeatedWord),
            (1, QaKind::Unconfirmed),
            (1, QaKind::Spaces),
            (2, QaKind::NumberMismatch),
        ] {
            assert!(
                kinds.contains(&expected),
                "{expected:?} missing from {kinds:?}"
            );
        }
        let forbidden = issues
            .iter()
            .find(|i| i.kind == QaKind::ForbiddenTerm)
            .unwrap();
        assert_eq!(
            (forbidden.found.as_str(), forbidden.expected.as_str()),
            ("chích", "tiêm chủng")
        );
        let date = issues
            .iter()
            .find(|i| i.kind == QaKind::NumberMismatch)
            .unwrap();
        assert_eq!(
            (date.found.as_str(), date.expected.as_str()),
            ("21/4/2023", "21/3/2023")
        );

        // Errors block "translated"; fixed, it goes through.
        let r = translation::set_status(
            &mut db,
            id,
            "mtq",
            translation::TranslationStatus::Translated,
            "Hùng",
        );
        assert_eq!(r.unwrap_err().code(), "invalid");
        save(&mut db, 0, "Trạm y tế xã tổ chức tiêm chủng.", true);
        save(&mut db, 1, "Bà con mang theo sổ.", true);
        save(&mut db, 2, "Hạn chót là 21/03/2023.", true);
        assert!(check_translation(&mut db, id, "mtq").unwrap().is_empty());
        let t = translation::set_status(
            &mut db,
            id,
            "mtq",
            translation::TranslationStatus::Translated,
            "Hùng",
        )
        .unwrap();
        assert_eq!(t.status, translation::TranslationStatus::Translated);
    }
}
