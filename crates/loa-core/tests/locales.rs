//! Every locale defines the same messages, the files on disk are the ones
//! compiled in, and every error code has its message.

use loa_core::i18n::{message_ids_in, sources, Localizer, FILES, UI_LANGS};
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
        for code in CoreError::ALL_CODES {
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
/// `bad_row(…)`, the second of audio's `problem(…)`) has a message in
/// every language.
#[test]
fn every_file_problem_has_a_message() {
    let src_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = std::collections::BTreeSet::new();
    // (folder, helper, which argument names the problem)
    for (dir, helper, arg) in [("glossary", "bad_row(", 2), ("audio", "problem(", 1)] {
        for entry in std::fs::read_dir(src_dir.join(dir)).unwrap() {
            let src = std::fs::read_to_string(entry.unwrap().path()).unwrap();
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
