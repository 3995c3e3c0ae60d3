//! The one text normalizer. Every string that enters Loa Studio (typed, pasted,
//! imported, read from a package) passes through [`clean`] or [`clean_line`];
//! Vietnamese text additionally through [`canonical_vi`]; search keys are made
//! only by [`fold`].
//!
//! Canonical tone placement is the "old style" (hòa, thủy, Ủy), because that is
//! what the client's official documents overwhelmingly use ("Ủy ban nhân dân")
//! and what Vietnamese keyboards produce by default. Both styles map to it.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT_BELOW: char = '\u{323}';
const TONE_MARKS: [char; 5] = [GRAVE, ACUTE, TILDE, HOOK, DOT_BELOW];

const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31B}';
const CARON: char = '\u{30C}';

/// NFC plus removal of what Word and web pages smuggle into pasted text:
/// zero-width characters, BOMs, soft hyphens, exotic spaces, smart quotes,
/// CR line ends and control characters. Keeps line breaks and tabs.
pub fn clean(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // CRLF and lone CR both become LF.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(' ')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => {
                out.push('"')
            }
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => out.push('\''),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.nfc().collect()
}

/// [`clean`] for one-line fields (titles, names): whitespace runs collapse to
/// one space and the ends are trimmed.
pub fn clean_line(input: &str) -> String {
    clean(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Clean Vietnamese text and put every tone mark where the canonical
/// (old-style) rules place it, so "hoà"/"hòa", "thuỷ"/"thủy", "Uỷ"/"Ủy"
/// are stored identically.
pub fn canonical_vi(input: &str) -> String {
    canonical_tones(&clean(input))
}

/// One-line variant of [`canonical_vi`].
pub fn canonical_vi_line(input: &str) -> String {
    canonical_tones(&clean_line(input))
}

/// The search key: no diacritics at all, đ→d, lower case, whitespace runs
/// collapsed. Almost every character maps to exactly one, so offsets in the
/// key line up with offsets in the cleaned text for highlighting.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.nfc() {
        if c.is_whitespace() {
            // One space between words, none leading: judged by what was
            // written, since a lone combining mark writes nothing.
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            _ => {
                // Lower-casing can itself produce a combining mark (İ → i̇).
                let letters = c.nfd().flat_map(char::to_lowercase);
                out.extend(letters.filter(|l| !is_combining_mark(*l)));
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Lower-case, NFC, canonical-tone form: for exact (diacritic-sensitive but
/// case-insensitive) matching, e.g. glossary terms.
pub fn match_key(input: &str) -> String {
    canonical_vi_line(input).to_lowercase()
}

/// [`match_key`] for one word (letters, digits and marks only, as
/// tokenizers produce): skips the whole-text cleaning, which a word does not
/// need, so scanning a long text stays fast.
pub fn word_match_key(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let nfc: String = word.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    place_tone(&nfc, &mut out);
    out.to_lowercase()
}

/// A character of a word: a letter, a digit, or a combining mark (a tone
/// or vowel mark typed apart from its letter still belongs to the word).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// The words of a text with their byte offsets: runs of word characters.
/// Every stage that splits text into words (search, term recognition, the
/// memory, reading checks) splits it here.
pub fn word_spans(input: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = input.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.by_ref().find(|(_, c)| is_word_char(*c))?;
        let end = loop {
            match rest.peek() {
                Some(&(_, c)) if is_word_char(c) => {
                    rest.next();
                }
                Some(&(i, _)) => break i,
                None => break input.len(),
            }
        };
        Some((start, &input[start..end]))
    })
}

/// The words of a text: runs of word characters.
pub fn words(input: &str) -> impl Iterator<Item = &str> {
    word_spans(input).map(|(_, w)| w)
}

/// The space-separated tokens of a text that hold a word, punctuation and
/// all ("đã," is one token): what a reader says as one syllable.
pub fn tokens(input: &str) -> impl Iterator<Item = &str> {
    input
        .split_whitespace()
        .filter(|t| t.chars().any(is_word_char))
}

/// Counts syllables the way Vietnamese writing shows them: one per
/// space-separated token that holds a letter or a digit.
pub fn syllable_count(input: &str) -> usize {
    tokens(input).count()
}

/// Syllables as they are read aloud, for reading-time estimates: a word is
/// one syllable; a number is read digit group by digit group ("21/3/2023" →
/// "hai mươi mốt tháng ba năm hai nghìn không trăm hai mươi ba"), which this
/// approximates as two syllables per non-zero digit (at least one per group).
pub fn spoken_syllables(input: &str) -> usize {
    input
        .split_whitespace()
        .map(|token| {
            // Runs of digits and runs of letters, so "7h30" is 7 | h | 30.
            let mut n = 0;
            let mut letters = false;
            let mut digits = String::new();
            let mut flush = |digits: &mut String| {
                if !digits.is_empty() {
                    let nonzero = digits.chars().filter(|c| *c != '0').count();
                    n += (2 * nonzero).max(1);
                    digits.clear();
                }
            };
            for c in token.chars() {
                if c.is_ascii_digit() {
                    digits.push(c);
                } else {
                    flush(&mut digits);
                    letters |= c.is_alphabetic();
                }
            }
            flush(&mut digits);
            n + usize::from(letters)
        })
        .sum()
}

fn canonical_tones(nfc: &str) -> String {
    let mut out = String::with_capacity(nfc.len());
    let mut word = String::new();
    for c in nfc.chars() {
        if c.is_alphabetic() || is_combining_mark(c) {
            word.push(c);
        } else {
            if !word.is_empty() {
                place_tone(&word, &mut out);
                word.clear();
            }
            out.push(c);
        }
    }
    if !word.is_empty() {
        place_tone(&word, &mut out);
    }
    out
}

/// A letter in decomposed form: its base and the marks that follow it.
struct Letter {
    base: char,
    marks: Vec<char>,
}

fn is_vowel(base: char) -> bool {
    matches!(base.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn has_quality_mark(l: &Letter) -> bool {
    l.marks
        .iter()
        .any(|m| matches!(*m, CIRCUMFLEX | BREVE | HORN))
}

/// Rewrites one word with its tone mark in canonical position. A word that is
/// not a single Vietnamese syllable (foreign letters, two vowel groups, two
/// tone marks) is copied through unchanged: guessing would corrupt it.
fn place_tone(word: &str, out: &mut String) {
    let mut letters: Vec<Letter> = Vec::with_capacity(word.len());
    for c in word.nfd() {
        if is_combining_mark(c) {
            match letters.last_mut() {
                Some(l) => l.marks.push(c),
                None => {
                    out.push_str(word);
                    return;
                }
            }
        } else {
            letters.push(Letter {
                base: c,
                marks: Vec::new(),
            });
        }
    }
    let vietnamese_letters = letters
        .iter()
        .all(|l| l.base.is_ascii_alphabetic() || matches!(l.base, 'đ' | 'Đ'));
    let tones: Vec<(usize, char)> = letters
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            l.marks
                .iter()
                .filter(|m| TONE_MARKS.contains(m))
                .map(move |m| (i, *m))
        })
        .collect();
    if !vietnamese_letters || tones.len() != 1 {
        out.push_str(word);
        return;
    }
    let Some(target) = tone_position(&letters) else {
        out.push_str(word);
        return;
    };
    let (from, tone) = tones[0];
    if from != target {
        letters[from].marks.retain(|m| *m != tone);
        letters[target].marks.push(tone);
    }
    let rebuilt: String = letters
        .iter()
        .flat_map(|l| std::iter::once(l.base).chain(l.marks.iter().copied()))
        .collect();
    out.extend(rebuilt.nfc());
}

/// Where the tone goes, by the old-style rules: on the (last) vowel carrying a
/// quality mark (â ê ô ă ơ ư; ươ takes it on ơ); else on the last vowel when a
/// final consonant closes the syllable; else on the first of two vowels
/// (hòa, thủy, múa) or the middle of three (ngoài, khuỷu). "qu" and "gi"
/// before another vowel are onsets, not part of the vowel group.
fn tone_position(letters: &[Letter]) -> Option<usize> {
    let lower: Vec<char> = letters
        .iter()
        .map(|l| l.base.to_ascii_lowercase())
        .collect();
    let mut start = lower.iter().position(|c| is_vowel(*c))?;
    if start > 0 && start + 1 < lower.len() && is_vowel(lower[start + 1]) {
        let onset_with = |prev: char, v: char| lower[start - 1] == prev && lower[start] == v;
        if onset_with('q', 'u') || (onset_with('g', 'i') && start == 1) {
            start += 1;
        }
    }
    let end = start + lower[start..].iter().take_while(|c| is_vowel(**c)).count();
    if lower[end..].iter().any(|c| is_vowel(*c)) {
        return None;
    }
    let cluster = start..end;
    if let Some(marked) = cluster
        .clone()
        .rev()
        .find(|i| has_quality_mark(&letters[*i]))
    {
        return Some(marked);
    }
    let has_final = end < lower.len();
    match (cluster.len(), has_final) {
        (_, true) => Some(end - 1),
        (1 | 2, false) => Some(start),
        (3, false) => Some(start + 1),
        _ => None,
    }
}

/// Repairs source quirks seen in imported word lists: a caron on a/A where a
/// breve was meant (ǎ → ă), then the usual cleaning.
pub fn repair_marks(input: &str) -> String {
    let decomposed: String = input
        .nfd()
        .map(|c| if c == CARON { BREVE } else { c })
        .collect();
    clean(&decomposed)
}

/// The stored form of a term: Vietnamese in canonical tone placement, every
/// language NFC with Word-paste debris removed.
pub fn term_text(lang: &str, raw: &str) -> String {
    if lang == "vie" {
        canonical_vi_line(raw)
    } else {
        clean_line(&repair_marks(raw))
    }
}

/// The syllables of a segment in match form (what translation memory
/// compares).
pub fn syllables(s: &str) -> Vec<String> {
    words(s).map(word_match_key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_digits_and_marks() {
        let s = "Ủy ban, xã Trà Bồng (7h30)… o\u{301}";
        let spans: Vec<(usize, &str)> = word_spans(s).collect();
        assert_eq!(
            spans.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
            ["Ủy", "ban", "xã", "Trà", "Bồng", "7h30", "o\u{301}"]
        );
        for (at, w) in &spans {
            assert_eq!(&s[*at..*at + w.len()], *w);
        }
        assert_eq!(words("  ,.; ").count(), 0);
        assert_eq!(
            tokens("đã, - về (xã)").collect::<Vec<_>>(),
            ["đã,", "về", "(xã)"]
        );
        assert_eq!(syllable_count("đã, - về (xã)"), 3);
    }

    #[test]
    fn old_and_new_style_meet() {
        for (a, b) in [
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("Uỷ ban", "Ủy ban"),
            ("UỶ BAN", "ỦY BAN"),
            ("khoẻ", "khỏe"),
            ("Hoá", "Hóa"),
            ("loè", "lòe"),
        ] {
            assert_eq!(canonical_vi(a), b, "{a}");
            assert_eq!(canonical_vi(b), b, "{b}");
        }
    }

    #[test]
    fn marked_vowels_and_closed_syllables() {
        for w in [
            "hoàng",
            "người",
            "rượu",
            "khuyến",
            "tuần",
            "quốc",
            "quý",
            "quả",
            "giá",
            "gìn",
            "giường",
            "ngoài",
            "khuỷu",
            "huỳnh",
            "thuở",
            "cửa",
            "mưa",
            "xoáy",
            "Quảng",
            "tiếng",
            "đường",
            "Nghị",
            "chỉ",
            "thị",
        ] {
            assert_eq!(canonical_vi(w), w, "{w} is already canonical");
        }
        // Misplaced tones are moved to the marked vowel or before the final.
        assert_eq!(canonical_vi("hoàng"), "hoàng");
        assert_eq!(canonical_vi("hòang"), "hoàng");
        assert_eq!(canonical_vi("ngừơi"), "người");
        assert_eq!(canonical_vi("qúy"), "quý");
        assert_eq!(canonical_vi("gía"), "giá");
    }

    #[test]
    fn non_vietnamese_words_untouched() {
        for w in ["Straße", "naïve", "café", "ꪀꪱ", "Ngô-Ê", "x̀yz̀"] {
            assert_eq!(canonical_vi(w), w.nfc().collect::<String>(), "{w}");
        }
    }

    #[test]
    fn fold_strips_everything_including_d_bar() {
        assert_eq!(fold("Đường  Ủy ban\tNHÂN DÂN"), "duong uy ban nhan dan");
        assert_eq!(fold("Uỷ"), fold("Ủy"));
        assert_eq!(fold("tiêm chủng"), "tiem chung");
        // A stray combining mark writes nothing, so no space before "a".
        assert_eq!(fold("\u{1bc9d} A"), "a");
    }

    #[test]
    fn clean_removes_word_junk() {
        let pasted = "\u{FEFF}“Tiêm\u{00A0}chủng”\u{200B} ngày\r\n21/3";
        assert_eq!(clean(pasted), "\"Tiêm chủng\" ngày\n21/3");
        assert_eq!(clean_line("  a \n  b  "), "a b");
        // NFD input (macOS, some PDFs) comes out NFC.
        let nfd: String = "Việt".nfd().collect();
        assert_eq!(clean(&nfd), "Việt");
    }

    #[test]
    fn word_key_matches_the_full_key() {
        for w in ["Uỷ", "HOÀ", "Thuỷ", "07", "ctTTg", "NGƯỜI", "quý"] {
            assert_eq!(word_match_key(w), match_key(w), "{w}");
        }
    }

    #[test]
    fn repair_caron() {
        assert_eq!(repair_marks("cǎ́n"), "cắn");
    }

    #[test]
    fn spoken() {
        assert_eq!(spoken_syllables("Ủy ban nhân dân xã"), 5);
        // hai mươi mốt / tháng ba / năm hai nghìn không trăm hai mươi ba
        assert_eq!(spoken_syllables("21/3/2023"), 12);
        // "bảy giờ ba mươi" is 4; the letter between the numbers counts as a word.
        assert_eq!(spoken_syllables("7h30"), 5);
        assert_eq!(spoken_syllables("— , ."), 0);
    }

    #[test]
    fn syllables() {
        assert_eq!(
            syllable_count("Ủy ban nhân dân tỉnh Quảng Nam, ngày 21/3/2023 ."),
            9
        );
    }
}
