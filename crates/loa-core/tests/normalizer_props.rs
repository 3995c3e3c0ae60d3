//! Property tests for the one normalizer: whatever the input, the rules hold.

use loa_core::base::text::{canonical_vi, clean, fold};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];
/// Vowel groups as written without tone: open-syllable and closed-syllable
/// groups of Vietnamese, including the two-vowel groups whose tone placement
/// differs between old and new style (oa, oe, uy).
const GROUPS: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô",
    "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "oai", "oay", "uôi", "ươi", "ươu", "uya", "uyê",
    "uyu", "iêu", "yêu",
];
const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
const TONES: &[char] = &['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Builds the syllable with the tone mark on vowel `at` of its group (NFD),
/// then composes it to NFC.
fn syllable(onset: &str, group: &str, fin: &str, tone: char, at: usize, upper: bool) -> String {
    let mut s = String::from(onset);
    for (i, c) in group.chars().enumerate() {
        s.extend(c.to_string().nfd());
        if i == at {
            s.push(tone);
        }
    }
    s.push_str(fin);
    let s: String = s.nfc().collect();
    if upper {
        s.to_uppercase()
    } else {
        s
    }
}

fn vietnamese_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            0..ONSETS.len(),
            0..GROUPS.len(),
            0..FINALS.len(),
            0..TONES.len(),
            any::<bool>(),
        ),
        1..12,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(o, g, f, t, up)| syllable(ONSETS[o], GROUPS[g], FINALS[f], TONES[t], 0, up))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

proptest! {
    #[test]
    fn tone_position_in_input_does_not_matter(
        o in 0..ONSETS.len(), g in 0..GROUPS.len(), f in 0..FINALS.len(),
        t in 0..TONES.len(), a in 0usize..3, b in 0usize..3, up in any::<bool>()
    ) {
        let len = GROUPS[g].chars().count();
        let (a, b) = (a % len, b % len);
        let x = syllable(ONSETS[o], GROUPS[g], FINALS[f], TONES[t], a, up);
        let y = syllable(ONSETS[o], GROUPS[g], FINALS[f], TONES[t], b, up);
        prop_assert_eq!(canonical_vi(&x), canonical_vi(&y));
    }

    #[test]
    fn canonical_is_idempotent_and_nfd_blind(s in vietnamese_text()) {
        let c = canonical_vi(&s);
        prop_assert_eq!(&canonical_vi(&c), &c);
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(canonical_vi(&nfd), c);
    }

    #[test]
    fn canonical_keeps_letters_and_tone(s in vietnamese_text()) {
        // Only the tone's position may change: the search key stays the same.
        prop_assert_eq!(fold(&canonical_vi(&s)), fold(&s));
        prop_assert_eq!(canonical_vi(&s).nfd().count(), s.nfd().count());
    }

    #[test]
    fn fold_is_plain_lowercase(s in vietnamese_text()) {
        let f = fold(&s);
        prop_assert!(f.chars().all(|c| c.is_ascii_lowercase() || c == ' '), "{}", f);
        prop_assert_eq!(fold(&f), f.clone());
    }

    #[test]
    fn arbitrary_text_never_panics_and_is_stable(s in "\\PC{0,40}") {
        let c = canonical_vi(&s);
        prop_assert_eq!(canonical_vi(&c), c.clone());
        prop_assert_eq!(clean(&c), c);
        let f = fold(&s);
        prop_assert_eq!(fold(&f), f);
    }
}
