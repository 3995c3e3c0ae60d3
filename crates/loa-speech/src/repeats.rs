//! Repetition loops in what Whisper heard: the same words over and over
//! where the speaker said them once ("…mà còn tốt cho đứa trẻ mà còn tốt
//! cho đứa trẻ mà còn tốt cho đứa trẻ…"). A phrase said twice in a row
//! happens in speech; three times in a row, in read broadcast text, is
//! Whisper's loop.

use crate::transcribe::Segment;

/// The longest phrase looked at, in words (Vietnamese words are syllables):
/// loops are a phrase or a short sentence.
const MAX_N: usize = 24;

/// A word as compared: lower case, without the punctuation around it.
fn key(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// How many times `keys[i..i + n]` occurs in a row from `i`.
fn run_at(keys: &[String], i: usize, n: usize) -> usize {
    let mut k = 1;
    while i + (k + 1) * n <= keys.len() && keys[i + k * n..i + (k + 1) * n] == keys[i..i + n] {
        k += 1;
    }
    k
}

/// The first place where a phrase repeats more than twice in a row:
/// (start, phrase length, times).
fn first_loop(keys: &[String]) -> Option<(usize, usize, usize)> {
    for i in 0..keys.len() {
        for n in 1..=MAX_N.min((keys.len() - i) / 3) {
            let k = run_at(keys, i, n);
            if k > 2 {
                return Some((i, n, k));
            }
        }
    }
    None
}

/// The words of the lines, in order, each with its line's index.
fn words(segments: &[Segment]) -> Vec<(usize, &str)> {
    segments
        .iter()
        .enumerate()
        .flat_map(|(s, seg)| seg.text.split_whitespace().map(move |w| (s, w)))
        .collect()
}

/// The most times any phrase of up to [`MAX_N`] words occurs in a row in
/// these lines (1 when nothing repeats).
pub fn longest_run(segments: &[Segment]) -> usize {
    let keys: Vec<String> = words(segments).iter().map(|(_, w)| key(w)).collect();
    let mut longest = 1;
    for i in 0..keys.len() {
        for n in 1..=MAX_N.min((keys.len() - i) / 2) {
            longest = longest.max(run_at(&keys, i, n));
        }
    }
    longest
}

/// The lines with every phrase that occurs more than twice in a row cut
/// back to two, its word times with it; lines left empty are dropped, as
/// are the third and later of identical lines in a row (a loop of lines
/// longer than [`MAX_N`] words).
pub fn drop_runs(segments: Vec<Segment>) -> Vec<Segment> {
    let all = words(&segments);
    let mut kept: Vec<usize> = (0..all.len()).collect();
    loop {
        let keys: Vec<String> = kept.iter().map(|&i| key(all[i].1)).collect();
        let Some((i, n, k)) = first_loop(&keys) else {
            break;
        };
        kept.drain(i + 2 * n..i + k * n);
    }
    let mut keep = vec![Vec::new(); segments.len()];
    let mut at = vec![0usize; segments.len()];
    for (index, (s, _)) in all.iter().enumerate() {
        if kept.binary_search(&index).is_ok() {
            keep[*s].push(at[*s]);
        }
        at[*s] += 1;
    }
    let lines = segments
        .into_iter()
        .zip(keep)
        .filter(|(_, keep)| !keep.is_empty())
        .map(|(mut seg, keep)| {
            let n = seg.text.split_whitespace().count();
            if keep.len() < n {
                let text: Vec<&str> = seg.text.split_whitespace().collect();
                let joined = keep.iter().map(|&i| text[i]).collect::<Vec<_>>().join(" ");
                // Word times follow when they are the line's words one for one.
                if seg.words.len() == n {
                    seg.words = keep.iter().map(|&i| seg.words[i].clone()).collect();
                }
                seg.text = joined;
                if let (Some(first), Some(last)) = (seg.words.first(), seg.words.last()) {
                    (seg.start, seg.end) = (first.start, last.end);
                }
            }
            seg
        })
        .collect();
    identical_lines(lines)
}

/// From the third identical line in a row on, lines are dropped.
fn identical_lines(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    let mut run = 0;
    for s in segments {
        let same = out
            .last()
            .is_some_and(|p| p.text.trim().eq_ignore_ascii_case(s.text.trim()));
        run = if same { run + 1 } else { 0 };
        if run < 2 {
            out.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::Word;

    fn seg(t: &str) -> Segment {
        Segment {
            start: 0.0,
            end: 1.0,
            text: t.into(),
            confidence: 0.9,
            words: Vec::new(),
        }
    }

    fn timed(t: &str, from: f64) -> Segment {
        let words: Vec<Word> = t
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                start: from + i as f64,
                end: from + i as f64 + 0.5,
                text: w.into(),
                probability: 0.9,
            })
            .collect();
        Segment {
            start: from,
            end: words.last().map_or(from, |w| w.end),
            text: t.into(),
            confidence: 0.9,
            words,
        }
    }

    fn texts(segs: &[Segment]) -> Vec<&str> {
        segs.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn a_phrase_three_times_in_a_row_is_a_loop_twice_is_speech() {
        let looped = [
            seg("Sữa mẹ không chỉ tốt cho mẹ mà còn tốt cho đứa trẻ mà còn tốt cho đứa trẻ,"),
            seg("mà còn tốt cho đứa trẻ."),
        ];
        assert_eq!(longest_run(&looped), 3);
        let twice = [seg("Xin nhắc lại: xin nhắc lại, tiêm chủng đúng lịch.")];
        assert_eq!(longest_run(&twice), 2);
        assert_eq!(longest_run(&[seg("một hai ba")]), 1);
        assert_eq!(longest_run(&[]), 1);
    }

    #[test]
    fn loops_are_cut_back_to_two_with_their_word_times() {
        let out = drop_runs(vec![
            timed("Trẻ cần được bú mẹ mà còn tốt cho đứa trẻ mà còn tốt", 0.0),
            timed("cho đứa trẻ mà còn tốt cho đứa trẻ.", 13.0),
            timed("Hết tin.", 30.0),
        ]);
        assert_eq!(
            texts(&out),
            [
                "Trẻ cần được bú mẹ mà còn tốt cho đứa trẻ mà còn tốt",
                "cho đứa trẻ",
                "Hết tin."
            ]
        );
        assert_eq!(out[1].words.len(), 3);
        assert_eq!((out[1].start, out[1].end), (13.0, 15.5));
        assert_eq!(longest_run(&out), 2);
        // A line made only of the loop goes.
        let out = drop_runs(vec![seg("a b a b"), seg("a b"), seg("a b"), seg("c")]);
        assert_eq!(texts(&out), ["a b a b", "c"]);
    }

    #[test]
    fn identical_lines_are_cut_after_two() {
        let long = "Đây là một câu dài hơn hai mươi bốn từ để vòng lặp của cả câu không được nhận ra theo từng cụm từ mà theo từng dòng giống nhau liên tiếp";
        let out = drop_runs(vec![seg("a"), seg(long), seg(long), seg(long), seg("c")]);
        assert_eq!(texts(&out), ["a", long, long, "c"]);
    }
}
