//! Benchmarks that print a ratio against a named peer run side by side
//! (`loa bench …`). The data is synthetic: demo sentences shuffled into
//! scripts, made up for measuring and never stored in a user's database.

use crate::base::error::Result;
use crate::base::store::Db;
use crate::base::text;
use crate::draft::script::{self, ScriptInput, ScriptQuery};
use serde::Serialize;
use std::time::Instant;

/// A small deterministic generator: benchmarks must be repeatable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchBench {
    pub scripts: u32,
    pub queries: u32,
    pub build_seconds: f64,
    /// Full-text search through `script::list` (FTS5 over folded text,
    /// ranked, with highlights), milliseconds.
    pub fts_median_ms: f64,
    pub fts_p95_ms: f64,
    /// The peer: a LIKE scan over the same folded text, finding every match
    /// (as ranking needs), milliseconds.
    pub scan_median_ms: f64,
    pub scan_p95_ms: f64,
    pub speedup: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Builds `count` scripts in an in-memory database and times `queries`
/// searches both ways.
pub fn search(count: u32, queries: u32) -> Result<SearchBench> {
    let sentences: Vec<String> = crate::demo::demo_bodies()
        .iter()
        .flat_map(|b| crate::draft::segment::segment(b))
        .map(|s| s.text)
        .collect();
    let words: Vec<String> = sentences
        .iter()
        .flat_map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|w| w.chars().count() > 3 && w.chars().all(char::is_alphabetic))
        .collect();
    let mut rng = Lcg(0x10a_5700);
    let mut db = Db::open_in_memory()?;
    let started = Instant::now();
    {
        let tx = db.conn_mut().transaction()?;
        tx.execute_batch("CREATE TABLE naive(id INTEGER PRIMARY KEY, key TEXT NOT NULL)")?;
        for i in 0..count {
            let body: Vec<&str> = (0..8).map(|_| rng.pick(&sentences).as_str()).collect();
            let title = format!("{} {} {}", rng.pick(&words), rng.pick(&words), i);
            let input = ScriptInput {
                title,
                body: body.join(" "),
                ..Default::default()
            };
            let id = script::create_in(&tx, &input, "", "")?;
            tx.execute(
                "INSERT INTO naive(id, key) VALUES (?1, ?2)",
                rusqlite::params![id, text::fold(&format!("{}\n{}", input.title, input.body))],
            )?;
        }
        tx.commit()?;
    }
    let build_seconds = started.elapsed().as_secs_f64();
    let mut fts = Vec::new();
    let mut scan = Vec::new();
    let mut naive = db
        .conn()
        .prepare("SELECT id FROM naive WHERE key LIKE ?1")?;
    for _ in 0..queries {
        let q = if rng.next().is_multiple_of(2) {
            text::fold(rng.pick(&words).as_str())
        } else {
            text::fold(&format!("{} {}", rng.pick(&words), rng.pick(&words)))
        };
        let t = Instant::now();
        let hits = script::list(
            &db,
            &ScriptQuery {
                search: Some(q.clone()),
                limit: Some(50),
                ..Default::default()
            },
        )?;
        fts.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(hits);
        let t = Instant::now();
        let pattern = format!("%{}%", q.replace(' ', "%"));
        let ids: Vec<i64> = naive
            .query_map([pattern], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        scan.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(ids);
    }
    fts.sort_by(f64::total_cmp);
    scan.sort_by(f64::total_cmp);
    let fts_median_ms = percentile(&fts, 0.5);
    let scan_median_ms = percentile(&scan, 0.5);
    Ok(SearchBench {
        scripts: count,
        queries,
        build_seconds,
        fts_median_ms,
        fts_p95_ms: percentile(&fts, 0.95),
        scan_median_ms,
        scan_p95_ms: percentile(&scan, 0.95),
        speedup: scan_median_ms / fts_median_ms.max(1e-6),
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TermBench {
    pub terms: u32,
    pub syllables: u32,
    pub build_ms: f64,
    pub hits: u32,
    /// One Aho–Corasick pass (loa), median milliseconds.
    pub automaton_median_ms: f64,
    /// The peer: every term searched on its own, median milliseconds.
    pub naive_median_ms: f64,
    pub speedup: f64,
    /// Both ways found exactly the same hits.
    pub same_hits: bool,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(&v, 0.5)
}

/// `count` synthetic terms (1–4 syllables from the demo texts, plus real
/// phrases of the script) against a script of `syllables` syllables.
pub fn terms(count: u32, syllables: u32, runs: u32) -> Result<TermBench> {
    let bodies = crate::demo::demo_bodies();
    let words: Vec<String> = bodies
        .iter()
        .flat_map(|b| b.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|w| w.chars().all(char::is_alphabetic))
        .collect();
    let mut rng = Lcg(0x7e_4a5);
    let mut script_words = Vec::new();
    while script_words.len() < syllables as usize {
        let b = rng.pick(&bodies);
        script_words.extend(b.split_whitespace().map(str::to_string));
    }
    script_words.truncate(syllables as usize);
    let script = script_words.join(" ");
    let mut terms = Vec::with_capacity(count as usize);
    let mut keys = std::collections::HashSet::new();
    let mut i = 0u32;
    while (terms.len() as u32) < count {
        i += 1;
        let n = 1 + (rng.next() % 4) as usize;
        let term = if i.is_multiple_of(50) {
            // About 2 % are phrases that really occur in the script.
            let at = rng.next() as usize % (script_words.len() - n);
            script_words[at..at + n].join(" ")
        } else {
            (0..n)
                .map(|_| rng.pick(&words).as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        // Distinct terms only: the glossary would merge duplicates.
        if crate::translate::glossary::terms::term_key(&term).is_some_and(|k| keys.insert(k)) {
            terms.push((i as i64, i as i64, term));
        }
    }
    let t = Instant::now();
    let index = crate::translate::glossary::terms::TermIndex::build(terms)?;
    let build_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut fast = Vec::new();
    let mut hits = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        hits = index.find(&script);
        fast.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut slow = Vec::new();
    let mut naive_hits = Vec::new();
    for _ in 0..runs.min(5) {
        let t = Instant::now();
        naive_hits = index.find_naive(&script);
        slow.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (a, n) = (median(fast), median(slow));
    Ok(TermBench {
        terms: index.len() as u32,
        syllables,
        build_ms,
        hits: hits.len() as u32,
        automaton_median_ms: a,
        naive_median_ms: n,
        speedup: n / a.max(1e-6),
        same_hits: hits == naive_hits,
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TmBench {
    pub units: u32,
    pub queries: u32,
    pub build_ms: f64,
    /// Bigram shortlist + syllable edit distance (loa), median milliseconds.
    pub index_median_ms: f64,
    pub index_p95_ms: f64,
    /// The peer: edit distance against every unit, median milliseconds.
    pub scan_median_ms: f64,
    pub speedup: f64,
    /// Share of queries whose best match the index found as the scan did.
    pub same_best_percent: f64,
}

/// `count` synthetic units (demo sentences with syllables swapped in),
/// queried with edited copies of stored sentences.
pub fn tm(count: u32, queries: u32) -> Result<TmBench> {
    use crate::translate::memory::{TmIndex, TmUnit, DEFAULT_THRESHOLD};
    let sentences: Vec<Vec<String>> = crate::demo::demo_bodies()
        .iter()
        .flat_map(|b| crate::draft::segment::segment(b))
        .map(|s| {
            s.text
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 4)
        .collect();
    let words: Vec<String> = sentences.iter().flatten().cloned().collect();
    let mut rng = Lcg(0x7_3e3);
    let mutate = |s: &[String], edits: usize, rng: &mut Lcg| {
        let mut s = s.to_vec();
        for _ in 0..edits {
            let at = rng.next() as usize % s.len();
            s[at] = rng.pick(&words).clone();
        }
        s.join(" ")
    };
    let units: Vec<TmUnit> = (0..count)
        .map(|i| {
            let base = rng.pick(&sentences).clone();
            // Long sentences are cut to segment size (5–30 syllables).
            let start = rng.next() as usize % base.len().saturating_sub(5).max(1);
            let len = 5 + rng.next() as usize % 26;
            let part = &base[start..(start + len).min(base.len())];
            TmUnit {
                id: i as i64,
                source_lang: "vie".into(),
                target_lang: "mtq".into(),
                source: mutate(part, 1 + (rng.next() % 4) as usize, &mut rng),
                target: format!("T{i}"),
                translator: String::new(),
                updated_at: i as i64,
            }
        })
        .collect();
    let probes: Vec<String> = (0..queries)
        .map(|_| {
            let u = rng.pick(&units);
            let s: Vec<String> = u.source.split_whitespace().map(str::to_string).collect();
            mutate(&s, 1, &mut rng)
        })
        .collect();
    let t = Instant::now();
    let index = TmIndex::build(units);
    let build_ms = t.elapsed().as_secs_f64() * 1000.0;
    let (mut fast, mut slow, mut same) = (Vec::new(), Vec::new(), 0u32);
    for q in &probes {
        let t = Instant::now();
        let a = index.lookup(q, DEFAULT_THRESHOLD, 5);
        fast.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let b = index.lookup_brute_force(q, DEFAULT_THRESHOLD, 5);
        slow.push(t.elapsed().as_secs_f64() * 1000.0);
        if a.first().map(|m| m.score) == b.first().map(|m| m.score) {
            same += 1;
        }
    }
    fast.sort_by(f64::total_cmp);
    let index_median_ms = percentile(&fast, 0.5);
    let scan_median_ms = median(slow);
    Ok(TmBench {
        units: count,
        queries,
        build_ms,
        index_median_ms,
        index_p95_ms: percentile(&fast, 0.95),
        scan_median_ms,
        speedup: scan_median_ms / index_median_ms.max(1e-6),
        same_best_percent: 100.0 * same as f64 / queries.max(1) as f64,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn small_term_run_agrees_with_naive() {
        let b = super::terms(2000, 500, 3).unwrap();
        assert!(b.same_hits);
        assert!(b.hits > 0);
    }

    #[test]
    fn small_tm_run_finds_the_best_matches() {
        let b = super::tm(3000, 20).unwrap();
        assert!(b.same_best_percent >= 90.0, "{}", b.same_best_percent);
    }

    #[test]
    fn small_run_reports_sane_numbers() {
        let b = super::search(200, 5).unwrap();
        assert_eq!(b.scripts, 200);
        assert!(b.fts_median_ms > 0.0 && b.scan_median_ms > 0.0);
        assert!(b.fts_p95_ms >= b.fts_median_ms);
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AudioBench {
    pub minutes: u32,
    /// decode → analyze → high-pass → resample → normalize → limit → MP3.
    pub loa_seconds: f64,
    pub loa_lufs: Option<f64>,
    pub loa_true_peak: Option<f64>,
    /// Two-pass ffmpeg loudnorm to the same target, rate, channels and
    /// bitrate; None when ffmpeg is not installed.
    pub ffmpeg_seconds: Option<f64>,
    pub ffmpeg_lufs: Option<f64>,
    pub ffmpeg_true_peak: Option<f64>,
    /// ffmpeg time / loa time (above 1: loa is faster).
    pub ratio: Option<f64>,
    /// Waveform overview of a 60-minute 48 kHz take, milliseconds.
    pub peaks_60min_ms: f64,
}

/// Speech-like synthetic audio: a voiced tone with syllable-rate bursts of
/// band-limited noise, 48 kHz stereo. Made up for measuring only.
fn speechlike(seconds: u32) -> crate::record::audio::Pcm {
    let rate = 48_000u32;
    let n = (seconds * rate) as usize;
    let mut rng = Lcg(7);
    let mut y = 0.0f32;
    let mut samples = Vec::with_capacity(n * 2);
    for i in 0..n {
        let t = i as f32 / rate as f32;
        // Four syllables a second, with pauses.
        let env = ((t * 4.0 * std::f32::consts::PI).sin().max(0.0)).powi(2)
            * if (t as u32) % 7 == 6 { 0.05 } else { 1.0 };
        let noise = (rng.next() % 2000) as f32 / 1000.0 - 1.0;
        y = 0.85 * y + 0.15 * noise;
        let v = env * (0.25 * (2.0 * std::f32::consts::PI * 160.0 * t).sin() + 0.6 * y);
        samples.push(v);
        samples.push(v);
    }
    crate::record::audio::Pcm {
        rate,
        channels: 2,
        samples,
    }
}

/// Times `loa audio render` against two-pass ffmpeg loudnorm on the same
/// file, and the waveform overview of a 60-minute take.
pub fn audio(minutes: u32) -> Result<AudioBench> {
    use crate::base::error::CoreError;
    use crate::record::audio::{self, RenderFormat, RenderOptions};
    let dir = std::env::temp_dir().join(format!("loa-bench-audio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    let input = dir.join("speech.wav");
    let wav = audio::render::wav(&speechlike(minutes * 60))?;
    std::fs::write(&input, wav).map_err(|e| CoreError::io(&input, e))?;

    let measure = |path: &std::path::Path| -> Result<(Option<f64>, Option<f64>)> {
        let l = audio::analyze(&audio::decode_file(path, &mut |_| true)?)?;
        Ok((l.integrated_lufs, l.true_peak_db))
    };
    let started = Instant::now();
    let pcm = audio::decode_file(&input, &mut |_| true)?;
    let opts = RenderOptions {
        format: RenderFormat::Mp3,
        high_pass_hz: Some(120.0),
        ..Default::default()
    };
    let (bytes, _) = audio::render(&pcm, &opts)?;
    let ours = dir.join("loa.mp3");
    std::fs::write(&ours, bytes).map_err(|e| CoreError::io(&ours, e))?;
    let loa_seconds = started.elapsed().as_secs_f64();
    drop(pcm);
    let (loa_lufs, loa_true_peak) = measure(&ours)?;

    let (mut ffmpeg_seconds, mut ffmpeg_lufs, mut ffmpeg_true_peak) = (None, None, None);
    let theirs = dir.join("ffmpeg.mp3");
    let started = Instant::now();
    let pass1 = std::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(&input)
        .args([
            "-af",
            "loudnorm=I=-16:TP=-1:LRA=11:print_format=json",
            "-f",
            "null",
            "-",
        ])
        .output();
    if let Ok(out) = pass1 {
        let log = String::from_utf8_lossy(&out.stderr);
        let field = |k: &str| -> Option<String> {
            let at = log.find(&format!("\"{k}\""))?;
            let rest = &log[at..];
            let v = rest.split(':').nth(1)?;
            let v = v.split([',', '\n']).next()?;
            Some(v.trim().trim_matches('"').to_string())
        };
        if let (Some(i), Some(tp), Some(lra), Some(th), Some(off)) = (
            field("input_i"),
            field("input_tp"),
            field("input_lra"),
            field("input_thresh"),
            field("target_offset"),
        ) {
            let filter = format!(
                "highpass=f=120,loudnorm=I=-16:TP=-1:LRA=11:measured_I={i}:measured_TP={tp}:measured_LRA={lra}:measured_thresh={th}:offset={off}:linear=true"
            );
            let pass2 = std::process::Command::new("ffmpeg")
                .args(["-hide_banner", "-nostats", "-y", "-i"])
                .arg(&input)
                .args(["-af", &filter, "-ar", "44100", "-ac", "1", "-b:a", "64k"])
                .arg(&theirs)
                .output();
            if pass2.is_ok_and(|o| o.status.success()) {
                ffmpeg_seconds = Some(started.elapsed().as_secs_f64());
                (ffmpeg_lufs, ffmpeg_true_peak) = measure(&theirs)?;
            }
        }
    }

    // 60 minutes at 48 kHz mono, made up on the spot.
    let long = crate::record::audio::Pcm {
        rate: 48_000,
        channels: 1,
        samples: (0..60 * 60 * 48_000u32)
            .map(|i| ((i % 4800) as f32 / 2400.0 - 1.0) * 0.5)
            .collect(),
    };
    let started = Instant::now();
    std::hint::black_box(audio::waveform::peaks(&long, 1000));
    let peaks_60min_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(AudioBench {
        minutes,
        loa_seconds,
        loa_lufs,
        loa_true_peak,
        ratio: ffmpeg_seconds.map(|f| f / loa_seconds),
        ffmpeg_seconds,
        ffmpeg_lufs,
        ffmpeg_true_peak,
        peaks_60min_ms,
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyBench {
    pub megabytes: f64,
    /// The peer: SHA-256 of the same bytes already in memory, the bound no
    /// verifier can beat.
    pub sha256_seconds: f64,
    pub sha256_mb_per_s: f64,
    /// `package::verify_file` on the file: ZIP checks, signature, streaming hashes.
    pub verify_seconds: f64,
    pub verify_mb_per_s: f64,
    /// verify ÷ SHA-256 time: near 1 means verification is hash-bound.
    pub ratio: f64,
}

/// Writes a package signed by `key`, addressed to everyone, with one
/// audio file of `bytes` made-up bytes (seeded by `seed`): what the
/// verifier's and the hub's benchmarks carry. Returns its path and the
/// audio file's SHA-256.
pub fn synthetic_package(
    path: &std::path::Path,
    key: &crate::broadcast::key::StationKey,
    bytes: usize,
    priority: crate::draft::script::Priority,
    seed: u64,
) -> Result<String> {
    use crate::broadcast::package::{self, FileEntry, FileKind, Item, Manifest};
    use sha2::{Digest, Sha256};
    let mut rng = Lcg(seed);
    let bytes: Vec<u8> = (0..bytes).map(|_| rng.next() as u8).collect();
    let sha = crate::broadcast::key::hex(&Sha256::digest(&bytes));
    let today = crate::base::calendar::Date::from_unix(crate::base::clock::now(), 7 * 3600);
    let manifest = Manifest {
        format: package::FORMAT,
        id: package::new_uuid()?,
        title: format!("Gói đo tốc độ số {seed} (dữ liệu giả)"),
        issuer: package::Issuer {
            station: "Bench".into(),
            admin_code: String::new(),
            key_id: key.key_id(),
            public_key: key.public_hex(),
        },
        created: crate::base::calendar::rfc3339(crate::base::clock::now(), 0),
        // A month around today (Vietnam's), within what any verifier allows.
        valid_from: today.add_days(-1),
        valid_until: today.add_days(30),
        priority,
        slots: vec![],
        targets: Default::default(),
        items: vec![],
    };
    let item = package::Rendered {
        item: Item {
            script_id: 1,
            revision: 1,
            lang: "vie".into(),
            title: "Bench".into(),
            program: String::new(),
            category: crate::draft::script::Category::Other,
            seconds: 0.0,
            lufs: None,
            true_peak_db: None,
            files: vec![],
        },
        files: vec![(
            FileEntry {
                kind: FileKind::Audio,
                path: "audio.mp3".into(),
                size: bytes.len() as u64,
                sha256: sha.clone(),
            },
            bytes,
        )],
    };
    package::write_package(path, manifest, vec![item], key)?;
    Ok(sha)
}

/// Verifies a package with one `mb`-megabyte audio file, against plain
/// SHA-256 of the same bytes.
pub fn verify(mb: u32) -> Result<VerifyBench> {
    use sha2::{Digest, Sha256};
    let dir = tempfile_dir()?;
    let key = crate::broadcast::key::StationKey::generate()?;
    let path = dir.join("bench.loa");
    let len = mb as usize * 1_000_000;
    synthetic_package(&path, &key, len, crate::draft::script::Priority::Normal, 42)?;
    // The peer hashes the same bytes, already in memory.
    let mut rng = Lcg(42);
    let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
    let t = Instant::now();
    let _ = Sha256::digest(&bytes);
    let sha256_seconds = t.elapsed().as_secs_f64();
    let db = Db::open_in_memory()?;
    let today = crate::base::clock::today(db.conn())?;
    let t = Instant::now();
    crate::broadcast::package::verify_file(
        db.conn(),
        Some(&key.key_id()),
        &path,
        today,
        &mut |_, _| true,
    )?;
    let verify_seconds = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    let megabytes = f64::from(mb);
    Ok(VerifyBench {
        megabytes,
        sha256_seconds,
        sha256_mb_per_s: megabytes / sha256_seconds,
        verify_seconds,
        verify_mb_per_s: megabytes / verify_seconds,
        ratio: verify_seconds / sha256_seconds,
    })
}

/// A fresh folder under the system temp dir (the bench cleans it up).
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "loa-bench-{}-{}",
        std::process::id(),
        crate::base::clock::now()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| crate::base::error::CoreError::io(&dir, e))?;
    Ok(dir)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharingBench {
    pub concepts: u32,
    pub terms: u32,
    pub units: u32,
    /// Signed changes the first office holds once it shares.
    pub changes: u32,
    pub file_mb: f64,
    /// Recording and signing what the first office held (once, on its
    /// first sync).
    pub seal_seconds: f64,
    /// A new office's first sync: every set verified and applied.
    pub first_sync_seconds: f64,
    /// The peer: the same rows inserted straight into a new database on
    /// disk in one transaction, with no changes, signatures or conflict
    /// checks.
    pub peer_insert_seconds: f64,
    /// First sync ÷ plain insert.
    pub ratio: f64,
    /// `edits` edits at the first office, sealed, carried and applied at
    /// the second: milliseconds.
    pub edits: u32,
    pub edits_ms: f64,
    /// Edited terms the second office holds afterwards.
    pub edits_arrived: u32,
    /// Term recognition's first lookup after the edits (the index takes
    /// in the changed terms), milliseconds.
    pub term_index_after_edits_ms: f64,
    /// Whether that lookup had to build the index again (it must not).
    pub term_index_rebuilt: bool,
}

/// A province's glossary and memory, made up for the benches: `concepts`
/// concepts (a Vietnamese and a Cơ Tu term each) and `units` memory units.
/// The texts are made-up syllable strings, not real Cơ Tu.
pub struct SharingSeed {
    concepts: Vec<crate::translate::glossary::ConceptInput>,
    units: Vec<(String, String)>,
    at: i64,
}

pub fn sharing_seed(concepts: u32, units: u32) -> SharingSeed {
    use crate::translate::glossary::{ConceptInput, TermInput};
    let syllables = [
        "ba",
        "con",
        "tiêm",
        "phòng",
        "dịch",
        "bệnh",
        "nước",
        "sạch",
        "rửa",
        "tay",
        "mùa",
        "lúa",
        "gạo",
        "rừng",
        "suối",
        "nhà",
        "văn",
        "hóa",
        "thôn",
        "bản",
        "đường",
        "cầu",
        "trẻ",
        "em",
    ];
    let mut rng = Lcg(0x5eed);
    let mut phrase = |n: usize| {
        (0..n)
            .map(|_| *rng.pick(&syllables))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let term = |lang: &str, text: String, status: &str| TermInput {
        lang: lang.into(),
        text,
        status: status.into(),
        ..Default::default()
    };
    let concepts = (0..concepts)
        .map(|i| ConceptInput {
            external_id: format!("b{i}"),
            terms: vec![
                term("vie", format!("{} {i}", phrase(2)), "preferred"),
                term("ktv", format!("{} {i}", phrase(2)), "admitted"),
            ],
            ..Default::default()
        })
        .collect();
    let units = (0..units)
        .map(|i| {
            (
                format!("{} số {i}.", phrase(6)),
                format!("{} {i}.", phrase(5)),
            )
        })
        .collect();
    SharingSeed {
        concepts,
        units,
        at: crate::base::clock::now(),
    }
}

/// Writes the seed's rows straight into `db` in one transaction, with no
/// changes recorded: an office's glossary and memory from before sharing
/// began, and the peer a first sync is measured against. Returns seconds.
pub fn insert_seed(db: &mut Db, seed: &SharingSeed) -> Result<f64> {
    use crate::translate::glossary;
    let t = Instant::now();
    let tx = db.conn_mut().transaction()?;
    for c in &seed.concepts {
        let c = glossary::clean_input(&tx, c)?;
        glossary::insert_concept(&tx, &c, "Bench", seed.at, glossary::Origin::File)?;
    }
    let mut insert = tx.prepare(
        "INSERT INTO tm_units(uid, source_lang, target_lang, source, target, source_key,
                              translator, created_at, updated_at)
         VALUES (?1, 'vie', 'ktv', ?2, ?3, ?4, 'Bench', ?5, ?5)",
    )?;
    for (s, t) in &seed.units {
        let key = text::syllables(s).join(" ");
        let uid = crate::base::uid::from_content("tm", &["vie", "ktv", &key, t]);
        insert.execute(rusqlite::params![uid, s, t, key, seed.at])?;
    }
    drop(insert);
    tx.commit()?;
    Ok(t.elapsed().as_secs_f64())
}

/// Edits the Cơ Tu term of the first `n` concepts (" sửa" appended), as a
/// translator would in the glossary.
pub fn edit_terms(db: &mut Db, n: u32) -> Result<()> {
    use crate::translate::glossary;
    for c in glossary::all(db.conn())?.iter().take(n as usize) {
        let mut input = c.to_input();
        for term in input.terms.iter_mut().filter(|t| t.lang == "ktv") {
            term.text.push_str(" sửa");
        }
        glossary::update(db, c.id, &input, "Bench")?;
    }
    Ok(())
}

/// Terms in `db`, and how many of them carry [`edit_terms`]' edit.
pub fn terms_and_edits(db: &Db) -> Result<(u32, u32)> {
    Ok(db.conn().query_row(
        "SELECT count(*), count(*) FILTER (WHERE text LIKE '% sửa') FROM terms",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Shared terminology at a province's scale: an office holding the seed's
/// glossary and memory shares them; a new office takes them from the file,
/// then `edits` edits. (`loa-hub bench-sharing` does the same through a
/// real hub.)
pub fn sharing(concepts: u32, units: u32, edits: u32) -> Result<SharingBench> {
    use crate::broadcast::{changes, key::StationKey, station};
    let dir = tempfile_dir()?;
    let (a_dir, b_dir) = (dir.join("a"), dir.join("b"));
    let mut a = Db::open_dir(&a_dir)?;
    let mut b = Db::open_dir(&b_dir)?;
    let seed = sharing_seed(concepts, units);
    insert_seed(&mut a, &seed)?;
    let t = Instant::now();
    let (bytes, exported) = changes::export_bytes(&mut a, &a_dir)?;
    let seal_seconds = t.elapsed().as_secs_f64();
    let file_mb = bytes.len() as f64 / 1e6;
    let file = dir.join("all.loachanges");
    std::fs::write(&file, &bytes).map_err(|e| crate::base::error::CoreError::io(&file, e))?;
    // The second office trusts the first (read back by phone).
    let info = StationKey::own(&a, &a_dir)?.info("Bench A", "");
    let s = station::create(
        &mut b,
        &station::StationNew {
            name: "Bench A".into(),
            admin_code: String::new(),
        },
    )?;
    station::trust(&mut b, s.summary.id, &info, None)?;
    let t = Instant::now();
    changes::import_file(&mut b, &file)?;
    let first_sync_seconds = t.elapsed().as_secs_f64();

    // The peer: the same rows, straight into a new data folder's database
    // (on disk, like the second office's).
    let mut peer = Db::open_dir(&dir.join("peer"))?;
    let peer_insert_seconds = insert_seed(&mut peer, &seed)?;

    // Term recognition is in use at the second office; then edits arrive.
    let _ = b.term_index("ktv")?;
    a.conn().execute("UPDATE change_sets SET pushed = 1", [])?;
    edit_terms(&mut a, edits)?;
    // As through the hub: the new set sealed, carried as JSON, checked and
    // applied.
    let t = Instant::now();
    changes::seal(&mut a, &a_dir)?;
    let new_sets: Vec<changes::SignedSet> = changes::unpushed(a.conn())?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let wire = serde_json::to_vec(&new_sets).map_err(|e| {
        crate::base::error::CoreError::io("bench", std::io::Error::other(e.to_string()))
    })?;
    let carried: Vec<changes::SignedSet> = serde_json::from_slice(&wire).map_err(|e| {
        crate::base::error::CoreError::io("bench", std::io::Error::other(e.to_string()))
    })?;
    {
        let tx = b.conn_mut().transaction()?;
        for s in &carried {
            changes::receive(&tx, s, changes::Via::Hub)?;
        }
        tx.commit()?;
    }
    let edits_ms = t.elapsed().as_secs_f64() * 1000.0;
    let builds = b.index_rebuilds();
    let t = Instant::now();
    let _ = b.term_index("ktv")?;
    let term_index_rebuilt = b.index_rebuilds() != builds;
    let term_index_after_edits_ms = t.elapsed().as_secs_f64() * 1000.0;
    let (terms, edits_arrived) = terms_and_edits(&b)?;
    drop((a, b, peer));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(SharingBench {
        concepts,
        terms,
        units,
        changes: exported.changes,
        file_mb,
        seal_seconds,
        first_sync_seconds,
        peer_insert_seconds,
        ratio: first_sync_seconds / peer_insert_seconds.max(1e-9),
        edits,
        edits_ms,
        edits_arrived,
        term_index_after_edits_ms,
        term_index_rebuilt,
    })
}

#[cfg(test)]
mod sharing_tests {
    /// The figures are only worth printing if the second office really got
    /// everything the first one held (no timing is asserted).
    #[test]
    fn the_sharing_bench_carries_everything() {
        let b = super::sharing(40, 60, 5).unwrap();
        assert_eq!((b.concepts, b.terms, b.units), (40, 80, 60));
        assert_eq!(
            b.changes,
            40 + 80 + 60,
            "one change per concept, term and unit"
        );
        assert_eq!(b.edits_arrived, 5);
        assert!(!b.term_index_rebuilt);
    }
}
