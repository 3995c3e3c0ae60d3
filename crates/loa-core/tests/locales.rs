//! Every locale defines the same messages, the files on disk are the ones
//! compiled in, and every error code has its message.

use loa_core::base::i18n::{message_ids_in, sources, Localizer, FILES, UI_LANGS};
use loa_core::CoreError;
use std::collections::BTreeSet;
use std::path::Path;

fn ids(lang: &str) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for (file, src) in FILES.iter().zip(sources(lang)) {
        let (ids, errors) = message_ids_in(src);
        assert!(
            errors.is_empty(),
            "{lang}/{file} has syntax errors: {errors:?}"
        );
        // A message defined in two files: only one wording would ever show.
        let twice: Vec<_> = ids.intersection(&all).collect();
        assert!(twice.is_empty(), "{lang}/{file} redefines {twice:?}");
        all.extend(ids);
    }
    all
}

#[test]
fn locales_define_the_same_ids() {
    let vi = ids("vi");
    assert!(vi.len() > 50, "suspiciously few messages: {}", vi.len());
    for lang in UI_LANGS {
        let other = ids(lang);
        let missing: Vec<_> = vi.difference(&other).collect();
        let extra: Vec<_> = other.difference(&vi).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{lang}: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn files_on_disk_are_the_embedded_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    let mut langs: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    langs.sort();
    let mut expected: Vec<String> = UI_LANGS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(langs, expected);
    for lang in UI_LANGS {
        let mut files: Vec<String> = std::fs::read_dir(root.join(lang))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut want: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(files, want, "{lang}");
    }
}

#[test]
fn every_error_code_has_a_message() {
    for lang in UI_LANGS {
        let l = Localizer::new(lang);
        for code in CoreError::ALL_CODES
            .iter()
            .chain(loa_core::base::error::HUB_CODES)
        {
            assert!(l.has(&format!("error-{code}")), "{lang}: error-{code}");
        }
    }
}

#[test]
fn errors_render_in_both_languages() {
    let e = CoreError::invalid("title", "empty");
    assert_eq!(
        Localizer::new("vi").error(&e),
        "Tiêu đề: không được để trống."
    );
    assert_eq!(Localizer::new("en").error(&e), "Title: must not be empty.");
    let e = CoreError::DataFile {
        name: "CSV".into(),
        line: Some(3),
        detail: "x".into(),
    };
    assert_eq!(
        Localizer::new("vi").error(&e),
        "Không đọc được CSV, dòng 3: x"
    );
    let e = CoreError::DataFile {
        name: "CSV".into(),
        line: None,
        detail: "x".into(),
    };
    assert_eq!(Localizer::new("en").error(&e), "Cannot read CSV: x");
    // Unknown UI language falls back to Vietnamese.
    assert_eq!(Localizer::new("fr").lang(), "vi");
}

/// Every `problem-*` a file error can name (the third argument of
/// `CoreError::data_row(…)`, the second of audio's `problem(…)` and of the
/// air log's `bad_row(…)`) has a message in every language.
#[test]
fn every_file_problem_has_a_message() {
    let mut problems = std::collections::BTreeSet::new();
    for src in sources_of_crates() {
        // (helper, which argument names the problem)
        for (helper, arg) in [("data_row(", 2), ("problem(", 1), ("bad_row(", 1)] {
            for call in src.split(helper).skip(1) {
                // The top-level arguments, up to the call's closing bracket.
                let (mut depth, mut args, mut cur) = (0, Vec::new(), String::new());
                for c in call.chars() {
                    match c {
                        '(' => depth += 1,
                        ')' if depth == 0 => break,
                        ')' => depth -= 1,
                        ',' if depth == 0 => {
                            args.push(std::mem::take(&mut cur));
                            continue;
                        }
                        _ => {}
                    }
                    cur.push(c);
                }
                args.push(cur);
                if let Some(p) = args.get(arg) {
                    let p = p.trim();
                    if p.starts_with('"') {
                        problems.insert(p.trim_matches('"').to_string());
                    }
                }
            }
        }
    }
    assert!(problems.len() >= 12, "{problems:?}");
    for lang in UI_LANGS {
        let l = Localizer::new(lang);
        for p in &problems {
            assert!(l.has(&format!("problem-{p}")), "{lang}: problem-{p}");
        }
    }
}

/// Every source file of the core and the speech crate.
fn sources_of_crates() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for d in [
        "src",
        "../loa-speech/src",
        "../loa-cli/src",
        "../../src-tauri/src",
    ] {
        walk(&root.join(d), &mut out);
    }
    out
}

/// The string literals right after each `marker` in the sources.
fn literals_after(marker: &str, count: usize) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    for src in sources_of_crates() {
        for rest in src.split(marker).skip(1) {
            let mut lits = Vec::new();
            let mut it = rest.split('"');
            // Literal i is between quotes 2i+1 and 2i+2; what lies between
            // literals must be only a comma and spaces.
            let first = it.next().unwrap_or("x");
            if !first.trim().is_empty() {
                continue;
            }
            for i in 0..count {
                let Some(lit) = it.next() else { break };
                lits.push(lit.to_string());
                if i + 1 < count {
                    match it.next() {
                        Some(sep) if sep.trim() == "," => {}
                        _ => break,
                    }
                }
            }
            if lits.len() == count {
                found.insert(lits);
            }
        }
    }
    found
}

#[test]
fn every_invalid_field_and_reason_has_a_message() {
    let pairs = literals_after("CoreError::invalid(", 2);
    assert!(pairs.len() >= 30, "{pairs:?}");
    for lang in UI_LANGS {
        let l = Localizer::new(lang);
        for p in &pairs {
            assert!(l.has(&format!("field-{}", p[0])), "{lang}: field-{}", p[0]);
            assert!(
                l.has(&format!("reason-{}", p[1])),
                "{lang}: reason-{}",
                p[1]
            );
        }
    }
}

#[test]
fn every_problem_field_has_a_message() {
    let problems = literals_after("problem: ", 1);
    assert!(problems.len() >= 5, "{problems:?}");
    for lang in UI_LANGS {
        let l = Localizer::new(lang);
        for p in &problems {
            assert!(
                l.has(&format!("problem-{}", p[0])),
                "{lang}: problem-{}",
                p[0]
            );
        }
    }
}
