//! The read-back check: does a recorded reading say what the approved script
//! says? The script's words and the transcript's words are aligned (edit
//! distance over words, compared without diacritics because a small Whisper
//! model often misses tones the reader said right), then each script
//! sentence is judged read, differs or missing, and longer stretches heard
//! but not in the script are listed as added.

use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::draft::script;
use crate::draft::segment::Segment;
use crate::record::recording;
use crate::record::transcript::{self, Line};
use crate::translate::memory::edit_distance;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ReadStatus {
    Read,
    Differs,
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReadLine {
    pub paragraph: u32,
    pub sentence: String,
    pub status: ReadStatus,
    /// What was heard where the sentence was read.
    pub heard: String,
    /// Share of the sentence's words heard as written, 0…1.
    pub accuracy: f32,
    #[ts(optional)]
    pub start: Option<f64>,
    #[ts(optional)]
    pub end: Option<f64>,
}

/// Words heard that the script does not have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    pub text: String,
    pub start: f64,
    pub end: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Readback {
    /// Words in common, in percent of all words: 100 × 2 × matched ÷
    /// (script words + heard words). 100 is a reading word for word;
    /// skipped and added words both lower it.
    pub score: f32,
    pub words: u32,
    pub matched: u32,
    pub lines: Vec<ReadLine>,
    pub added: Vec<Added>,
}

/// Sentences read with at least this share of their words are "read".
const READ: f32 = 0.8;
/// Below this share of words aligned to anything heard, "missing".
const HEARD: f32 = 0.4;
/// Runs of this many words not in the script are reported as added.
const ADDED_RUN: usize = 3;
/// Word pairs the aligner may look at (bytes of memory for the traceback):
/// about a 40-minute reading against its script.
const MAX_CELLS: usize = 64_000_000;

struct Heard {
    key: String,
    text: String,
    start: f64,
    end: f64,
}

fn key(word: &str) -> String {
    text::fold(word)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The transcript's words with times: the recognizer's own, else spread
/// evenly over the line.
fn heard_words(lines: &[Line]) -> Vec<Heard> {
    let mut out = Vec::new();
    for l in lines.iter().filter(|l| l.timed()) {
        let ws: Vec<_> = l
            .words
            .iter()
            .filter(|w| !key(&w.text).is_empty())
            .collect();
        if !ws.is_empty() {
            out.extend(ws.iter().map(|w| Heard {
                key: key(&w.text),
                text: w.text.trim().to_string(),
                start: w.start,
                end: w.end,
            }));
            continue;
        }
        let ws: Vec<&str> = text::tokens(&l.text).collect();
        let step = (l.end - l.start) / ws.len().max(1) as f64;
        out.extend(ws.iter().enumerate().map(|(i, w)| Heard {
            key: key(w),
            text: (*w).to_string(),
            start: l.start + step * i as f64,
            end: l.start + step * (i + 1) as f64,
        }));
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Match,
    Substitute,
    /// A script word not heard.
    Delete,
    /// A heard word not in the script.
    Insert,
}

/// Two different words close enough to be one word misheard (or misread):
/// at most one letter in three differs.
fn similar(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = a.len().max(b.len());
    if longest < 3 || a.len().abs_diff(b.len()) * 3 > longest {
        return false;
    }
    edit_distance(&a, &b) * 3 <= longest
}

/// Alignment of script keys `a` with heard keys `b`: the longest common
/// word sequence, where a similar word may stand in for a script word
/// (one step) but an unrelated one counts as a word left out plus a word
/// added, so a skipped sentence shows as missing, not as "misread" by
/// whatever was said instead. The steps run from start to end.
fn align(a: &[String], b: &[String]) -> Result<Vec<Step>> {
    let (n, m) = (a.len(), b.len());
    if (n + 1).saturating_mul(m + 1) > MAX_CELLS {
        return Err(CoreError::invalid("reading", "too-long"));
    }
    let w = m + 1;
    let mut back = vec![Step::Insert; (n + 1) * w];
    let mut prev: Vec<u32> = (0..=m as u32).collect();
    let mut cur = vec![0u32; w];
    for i in 1..=n {
        cur[0] = i as u32;
        back[i * w] = Step::Delete;
        for j in 1..=m {
            let same = a[i - 1] == b[j - 1];
            let diag = if same {
                prev[j - 1]
            } else if similar(&a[i - 1], &b[j - 1]) {
                prev[j - 1] + 1
            } else {
                u32::MAX
            };
            let del = prev[j] + 1;
            let ins = cur[j - 1] + 1;
            let (cost, step) = if diag <= del && diag <= ins {
                (diag, if same { Step::Match } else { Step::Substitute })
            } else if del <= ins {
                (del, Step::Delete)
            } else {
                (ins, Step::Insert)
            };
            cur[j] = cost;
            back[i * w + j] = step;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let (mut i, mut j) = (n, m);
    let mut steps = Vec::with_capacity(n + m);
    while i > 0 || j > 0 {
        let s = if i == 0 {
            Step::Insert
        } else if j == 0 {
            Step::Delete
        } else {
            back[i * w + j]
        };
        steps.push(s);
        match s {
            Step::Match | Step::Substitute => {
                i -= 1;
                j -= 1;
            }
            Step::Delete => i -= 1,
            Step::Insert => j -= 1,
        }
    }
    steps.reverse();
    Ok(steps)
}

/// What a transcription did to a reference text, word by word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordErrors {
    /// Words in the reference.
    pub words: usize,
    pub substituted: usize,
    pub deleted: usize,
    pub inserted: usize,
}

impl WordErrors {
    /// (substitutions + deletions + insertions) ÷ reference words.
    pub fn rate(&self) -> f32 {
        if self.words == 0 {
            return if self.inserted == 0 { 0.0 } else { 1.0 };
        }
        (self.substituted + self.deleted + self.inserted) as f32 / self.words as f32
    }

    /// The share of the reference's words that came back at all, right or
    /// misheard: what a transcription that drops speech loses.
    pub fn kept(&self) -> f32 {
        if self.words == 0 {
            return 1.0;
        }
        1.0 - self.deleted as f32 / self.words as f32
    }
}

/// Word errors of `hypothesis` against `reference`, on words lower-cased
/// in canonical tone placement without punctuation, so tones count. With
/// `fold_tones`, words compare without any diacritics. Two rows of the
/// edit table at a time: an hour's transcript fits in memory.
pub fn word_errors(reference: &str, hypothesis: &str, fold_tones: bool) -> WordErrors {
    let norm = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                let w = if fold_tones {
                    text::fold(w)
                } else {
                    text::match_key(w)
                };
                w.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (r, h) = (norm(reference), norm(hypothesis));
    // (cost, substituted, deleted, inserted), least cost first.
    type Cell = (usize, usize, usize, usize);
    let mut prev: Vec<Cell> = (0..=h.len()).map(|j| (j, 0, 0, j)).collect();
    let mut cur: Vec<Cell> = vec![(0, 0, 0, 0); h.len() + 1];
    for (i, rw) in r.iter().enumerate() {
        cur[0] = (i + 1, 0, i + 1, 0);
        for (j, hw) in h.iter().enumerate() {
            let d = prev[j];
            let miss = usize::from(rw != hw);
            let diag = (d.0 + miss, d.1 + miss, d.2, d.3);
            let u = prev[j + 1];
            let del = (u.0 + 1, u.1, u.2 + 1, u.3);
            let l = cur[j];
            let ins = (l.0 + 1, l.1, l.2, l.3 + 1);
            cur[j + 1] = diag.min(del).min(ins);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let (_, substituted, deleted, inserted) = prev[h.len()];
    WordErrors {
        words: r.len(),
        substituted,
        deleted,
        inserted,
    }
}

/// Word error rate of `hypothesis` against `reference` (see [`word_errors`]).
pub fn word_error_rate(reference: &str, hypothesis: &str, fold_tones: bool) -> f32 {
    word_errors(reference, hypothesis, fold_tones).rate()
}

/// Compares the sentences a reading should say with what was heard.
pub fn compare(sentences: &[Segment], lines: &[Line]) -> Result<Readback> {
    // Script words, each with its sentence.
    let mut owner = Vec::new();
    let mut a = Vec::new();
    for (s, seg) in sentences.iter().enumerate() {
        for w in text::tokens(&seg.text) {
            owner.push(s);
            a.push(key(w));
        }
    }
    let heard = heard_words(lines);
    let b: Vec<String> = heard.iter().map(|h| h.key.clone()).collect();
    let steps = align(&a, &b)?;

    // Per sentence: words matched, words aligned to anything, heard span.
    let mut matched = vec![0usize; sentences.len()];
    let mut aligned = vec![0usize; sentences.len()];
    let mut span: Vec<Option<(usize, usize)>> = vec![None; sentences.len()];
    let mut added = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let flush = |run: &mut Vec<usize>, added: &mut Vec<Added>| {
        if run.len() >= ADDED_RUN {
            added.push(Added {
                text: run
                    .iter()
                    .map(|&k| heard[k].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                start: heard[run[0]].start,
                end: heard[run[run.len() - 1]].end,
            });
        }
        run.clear();
    };
    for s in steps {
        match s {
            Step::Match | Step::Substitute => {
                flush(&mut run, &mut added);
                let o = owner[i];
                aligned[o] += 1;
                if s == Step::Match {
                    matched[o] += 1;
                }
                span[o] = Some(span[o].map_or((j, j), |(f, _)| (f, j)));
                i += 1;
                j += 1;
            }
            // A run of added words may interleave with script words left
            // out; it ends only where reading and script meet again.
            Step::Delete => i += 1,
            Step::Insert => {
                run.push(j);
                j += 1;
            }
        }
    }
    flush(&mut run, &mut added);

    let mut out_lines = Vec::with_capacity(sentences.len());
    for (s, seg) in sentences.iter().enumerate() {
        let n = text::tokens(&seg.text).count();
        let share = |k: usize| if n == 0 { 1.0 } else { k as f32 / n as f32 };
        let status = if share(aligned[s]) < HEARD {
            ReadStatus::Missing
        } else if share(matched[s]) >= READ {
            ReadStatus::Read
        } else {
            ReadStatus::Differs
        };
        let (heard_text, start, end) = match span[s] {
            Some((f, l)) if status != ReadStatus::Missing => (
                heard[f..=l]
                    .iter()
                    .map(|h| h.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                Some(heard[f].start),
                Some(heard[l].end),
            ),
            _ => (String::new(), None, None),
        };
        out_lines.push(ReadLine {
            paragraph: seg.paragraph,
            sentence: seg.text.clone(),
            status,
            heard: heard_text,
            accuracy: share(matched[s]),
            start,
            end,
        });
    }
    let total = a.len();
    let both: usize = matched.iter().sum();
    let score = if total + b.len() == 0 {
        0.0
    } else {
        100.0 * 2.0 * both as f32 / (total + b.len()) as f32
    };
    Ok(Readback {
        score,
        words: total as u32,
        matched: both as u32,
        lines: out_lines,
        added,
    })
}

/// The read-back check of a transcript against its take's script, as the
/// script reads now.
pub fn check_reading(db: &mut Db, transcript_id: i64) -> Result<Readback> {
    let t = transcript::get(db, transcript_id)?;
    let take = recording::get(db, t.take_id)?;
    script::get(db, take.script_id)?;
    let sentences = transcript::expected_sentences(db, take.script_id, &take.lang)?;
    compare(&sentences, &t.lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Segment {
        Segment {
            paragraph: 0,
            text: text.into(),
        }
    }

    fn heard(start: f64, end: f64, text: &str) -> Line {
        Line {
            start,
            end,
            text: text.into(),
            confidence: 0.9,
            words: Vec::new(),
        }
    }

    #[test]
    fn skipped_misread_and_added_sentences() {
        let script = [
            seg("Xin chào bà con thôn Đắk Rơ."),
            seg("Ngày mai trạm y tế tiêm chủng cho trẻ em."),
            seg("Bà con nhớ mang theo sổ tiêm."),
            seg("Trân trọng cảm ơn."),
        ];
        // Tones lost (as a small model does), one sentence skipped, one
        // misread, and a remark the script does not have.
        let lines = [
            heard(0.0, 2.0, "xin chao ba con thon dak ro"),
            heard(2.5, 5.0, "ngày mai trạm xá tiêm phòng cho người già"),
            heard(5.5, 7.0, "hôm nay trời mưa to quá"),
            heard(7.5, 8.5, "Trân trọng cảm ơn"),
        ];
        let r = compare(&script, &lines).unwrap();
        let st: Vec<_> = r.lines.iter().map(|l| l.status).collect();
        assert_eq!(
            st,
            [
                ReadStatus::Read,
                ReadStatus::Differs,
                ReadStatus::Missing,
                ReadStatus::Read
            ]
        );
        assert_eq!(r.lines[0].start, Some(0.0));
        assert!(r.lines[1].heard.contains("trạm xá"));
        assert_eq!(r.added.len(), 1, "{:?}", r.added);
        assert!(r.added[0].text.contains("trời mưa"));
        assert!(
            r.added[0].start >= 2.5 && r.added[0].end <= 7.0,
            "{:?}",
            r.added
        );
        assert!(r.score > 0.0 && r.score < 70.0, "{}", r.score);
    }

    #[test]
    fn near_words_stand_in_for_each_other() {
        assert!(similar("tiem", "tien"));
        assert!(similar("chungnhan", "chungnhan2"));
        assert!(!similar("ba", "bo"), "too short to tell");
        assert!(!similar("mua", "truong"));
        let r = compare(
            &[seg("Tiêm phòng dại")],
            &[heard(0.0, 1.0, "tiên phòng dại")],
        )
        .unwrap();
        assert_eq!(r.lines[0].status, ReadStatus::Differs);
        assert!(r.added.is_empty());
    }

    #[test]
    fn word_error_rate_counts_edits_per_reference_word() {
        assert_eq!(
            word_error_rate("Xin chào bà con.", "xin chào bà con", false),
            0.0
        );
        assert_eq!(
            word_error_rate("Hòa bình", "hoà bình", false),
            0.0,
            "tone placement"
        );
        assert_eq!(word_error_rate("bán hàng", "bàn hàng", false), 0.5);
        assert_eq!(word_error_rate("bán hàng", "bàn hàng", true), 0.0);
        assert_eq!(word_error_rate("a b c d", "a x c", false), 0.5);
        assert_eq!(word_error_rate("a b", "a b c d", false), 1.0);
        assert_eq!(word_error_rate("", "", false), 0.0);
    }

    #[test]
    fn word_errors_tell_lost_words_from_misheard_ones() {
        let e = word_errors("một hai ba bốn năm sáu", "một hay ba sáu bảy", false);
        assert_eq!(
            (e.words, e.substituted, e.deleted, e.inserted),
            (6, 1, 2, 1)
        );
        assert!((e.kept() - 4.0 / 6.0).abs() < 1e-6);
        assert!((e.rate() - 4.0 / 6.0).abs() < 1e-6);
        assert_eq!(word_errors("", "", false).kept(), 1.0);
    }

    #[test]
    fn a_faithful_reading_scores_full() {
        let script = [seg("Đ/c Hòa, đọc đúng."), seg("Hai câu.")];
        let r = compare(&script, &[heard(0.0, 3.0, "đ/c hoà đọc đúng hai câu")]).unwrap();
        assert_eq!(r.score, 100.0);
        assert!(r.lines.iter().all(|l| l.status == ReadStatus::Read));
        assert!(r.added.is_empty());
        let silent = compare(&script, &[]).unwrap();
        assert!(silent.lines.iter().all(|l| l.status == ReadStatus::Missing));
        assert_eq!(silent.score, 0.0);
    }
}
