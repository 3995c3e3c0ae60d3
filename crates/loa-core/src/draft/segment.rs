//! Splitting a script into paragraphs and sentences for translation.
//! Vietnamese official text is full of periods that end nothing: "TP. Đà
//! Nẵng", "Q. 1", list markers "1." and "a)", numbers "1.200.000" and dates
//! "21/3/2023". A sentence ends at . ! ? … (with closing quotes or brackets)
//! only when whitespace and then a capital letter, digit or opening mark
//! follow, and the word before the period is not an abbreviation.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    /// 0-based paragraph (non-empty line) the sentence belongs to.
    pub paragraph: u32,
    pub text: String,
}

/// Abbreviations that end with a period but not a sentence (compared without
/// the period, case-sensitively as written in administrative text).
const ABBREVIATIONS: &[&str] = &[
    "TP", "Tp", "TX", "Tx", "TT", "Q", "P", "H", "X", "Th", "ThS", "Ths", "TS", "PGS", "GS", "BS",
    "KS", "CN", "Đ/c", "đ/c", "v.v", "vv", "tr", "Tr", "St", "Stt", "No", "Mr", "Ms", "Dr", "Nxb",
    "NXB", "Sđd", "Tp.HCM",
];

fn is_list_marker(s: &str) -> bool {
    let s = s.trim();
    let body = s.trim_end_matches(['.', ')']);
    if body.len() == s.len() || body.is_empty() {
        return false;
    }
    body.chars().all(|c| c.is_ascii_digit())
        || (body.chars().count() == 1 && body.chars().all(char::is_alphabetic))
        || body.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
        || body
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    ABBREVIATIONS.contains(&word)
        // Initials: a single capital letter ("Nguyễn V. A.").
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(c, '"' | '\'' | '(' | '[' | '-' | '–' | '“' | '+')
}

/// Sentences of one paragraph.
fn sentences(par: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = par.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            // Swallow runs like "?!", "..." and closing quotes/brackets.
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j].1,
                    '.' | '!' | '?' | '…' | '"' | '\'' | ')' | ']' | '”' | '’'
                )
            {
                j += 1;
            }
            let end = chars.get(j).map(|x| x.0).unwrap_or(par.len());
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let followed_by_space = k > j;
            let next_word: String = chars[k.min(chars.len())..]
                .iter()
                .map(|x| x.1)
                .take_while(|c| !c.is_whitespace())
                .collect();
            let next_starts = chars.get(k).is_some_and(|x| starts_sentence(x.1))
                || (next_word.ends_with(')') && is_list_marker(&next_word));
            let candidate = &par[start..end];
            let before = &par[start..pos];
            let breaks = followed_by_space
                && next_starts
                && !(c == '.' && j == i + 1 && ends_with_abbreviation(before))
                && !is_list_marker(candidate);
            if breaks {
                out.push(candidate.trim().to_string());
                start = chars.get(k).map(|x| x.0).unwrap_or(par.len());
                i = k;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    let rest = par[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// The script as translation segments: one per sentence, paragraph by
/// paragraph (each non-empty line is a paragraph).
pub fn segment(body: &str) -> Vec<Segment> {
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .flat_map(|(p, line)| {
            sentences(line).into_iter().map(move |text| Segment {
                paragraph: p as u32,
                text,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<String> {
        segment(body).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn sentences_and_paragraphs() {
        let segs = segment("Xin chào bà con. Hôm nay có tin mới!\n\nBà con nghe chưa? Nghe rồi.");
        assert_eq!(
            segs.iter()
                .map(|s| (s.paragraph, s.text.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (0, "Xin chào bà con."),
                (0, "Hôm nay có tin mới!"),
                (1, "Bà con nghe chưa?"),
                (1, "Nghe rồi.")
            ]
        );
    }

    #[test]
    fn abbreviations_and_numbers_do_not_split() {
        assert_eq!(
            texts("UBND TP. Đà Nẵng hỗ trợ 1.200.000 đồng mỗi hộ theo Chỉ thị 07/CT-TTg ngày 21/3/2023. Hạn chót là 30/6."),
            vec![
                "UBND TP. Đà Nẵng hỗ trợ 1.200.000 đồng mỗi hộ theo Chỉ thị 07/CT-TTg ngày 21/3/2023.",
                "Hạn chót là 30/6."
            ]
        );
        assert_eq!(
            texts("Trụ sở ở Q. 1 và P. Bến Nghé. Xong."),
            vec!["Trụ sở ở Q. 1 và P. Bến Nghé.", "Xong."]
        );
        assert_eq!(
            texts("Ông Nguyễn V. An phát biểu. Cảm ơn."),
            vec!["Ông Nguyễn V. An phát biểu.", "Cảm ơn."]
        );
        assert_eq!(
            texts("Giá 1.500 đồng/kg. Giảm 2,5%."),
            vec!["Giá 1.500 đồng/kg.", "Giảm 2,5%."]
        );
    }

    #[test]
    fn list_markers_quotes_and_ellipses() {
        assert_eq!(
            texts("1. Các sở, ban, ngành triển khai."),
            vec!["1. Các sở, ban, ngành triển khai."]
        );
        assert_eq!(
            texts("a) Tổ chức tuyên truyền. b) Báo cáo."),
            vec!["a) Tổ chức tuyên truyền.", "b) Báo cáo."]
        );
        assert_eq!(texts("II. NỘI DUNG"), vec!["II. NỘI DUNG"]);
        assert_eq!(
            texts("Ông nói: \"Phải làm ngay.\" Mọi người đồng ý."),
            vec!["Ông nói: \"Phải làm ngay.\"", "Mọi người đồng ý."]
        );
        assert_eq!(
            texts("Loa, xe lưu động, mạng xã hội… để dễ dàng chuyển tải."),
            vec!["Loa, xe lưu động, mạng xã hội… để dễ dàng chuyển tải."]
        );
        assert_eq!(texts(""), Vec::<String>::new());
    }
}
