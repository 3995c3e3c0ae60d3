use super::*;

fn line(start: f64, end: f64, text: &str) -> Line {
    Line {
        start,
        end,
        text: text.into(),
        confidence: 1.0,
        words: Vec::new(),
    }
}

#[test]
fn marking_times_lines_in_turn() {
    let lines = vec![line(-1.0, -1.0, "a"), line(-1.0, -1.0, "b")];
    let l = mark(&lines, 0, 1.0, false).unwrap();
    assert_eq!((l[0].start, l[0].end), (1.0, f64::MAX));
    let l = mark(&l, 1, 3.5, false).unwrap();
    assert_eq!((l[0].end, l[1].start), (3.5, 3.5), "the previous line ends");
    let l = mark(&l, 1, 6.0, true).unwrap();
    assert_eq!(l[1].end, 6.0);
    assert!(mark(&l, 1, 2.0, true).is_err(), "an end before the start");
    assert!(mark(&l, 2, 7.0, false).is_err(), "no third line");
    assert!(mark(&lines, 0, f64::NAN, false).is_err());
    assert!(
        mark(&lines, 0, 2.0, true).is_err(),
        "an untimed line cannot end"
    );
}

#[test]
fn the_prompt_holds_the_scripts_glossary_terms() {
    let mut db = Db::open_in_memory().unwrap();
    crate::demo::seed(&mut db).unwrap();
    let scripts = script::list(&db, &Default::default()).unwrap();
    let mut found = 0;
    for s in &scripts {
        let p = prompt_for(&mut db, s.id).unwrap();
        assert!(p.chars().count() <= PROMPT_CHARS);
        let body = text::fold(&script::get(&db, s.id).unwrap().input.body);
        for term in p.split(", ").filter(|t| !t.is_empty()) {
            assert!(
                body.contains(&text::fold(term)),
                "{term} not in script {}",
                s.id
            );
            found += 1;
        }
    }
    assert!(found > 0, "the demo scripts use glossary terms");
}

#[test]
fn paragraphs_follow_pauses() {
    let lines = vec![
        line(0.0, 2.0, "Xin chào bà con."),
        line(2.2, 4.0, "Hôm nay có tin mới."),
        line(7.0, 9.0, "Tin thứ hai."),
        line(-1.0, -1.0, "Chưa canh giờ."),
    ];
    assert_eq!(
        paragraphs(&lines),
        "Xin chào bà con. Hôm nay có tin mới.\n\nTin thứ hai. Chưa canh giờ."
    );
    assert_eq!(cues(&lines).len(), 3, "the untimed line has no cue");
}

#[test]
fn checked_rejects_bad_times_and_normalizes() {
    let ok = checked(&[line(0.0, 1.0, " Hoà  bình ")], 5.0, "vie").unwrap();
    assert_eq!(ok[0].text, "Hòa bình");
    for bad in [
        line(2.0, 1.0, "x"),
        line(0.0, 9.0, "x"),
        line(f64::NAN, 1.0, "x"),
        line(-1.0, 2.0, "x"),
    ] {
        assert!(
            checked(std::slice::from_ref(&bad), 5.0, "vie").is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn stored_edited_exported_and_made_a_script() {
    use crate::record::audio::test_signals::sine;
    let mut db = Db::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = script::create(
        &mut db,
        &ScriptInput {
            title: "Lịch tiêm chủng tháng 12".into(),
            body: "Xin chào bà con. Hôm nay có tin mới.".into(),
            program: "Sức khỏe".into(),
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    let pcm = sine(440.0, -12.0, 6.0, 16_000, 1);
    let take = recording::add_decoded(&db, dir.path(), s.summary.id, "vie", &pcm, "Lan").unwrap();
    assert_eq!(for_take(&db, take.id).unwrap(), None);
    let heard = vec![
        line(0.0, 2.0, "xin chào bà con"),
        line(4.0, 5.5, "hôm nay có tin mới"),
    ];
    let t = save(
        &mut db,
        take.id,
        Source::Whisper,
        "whisper-base",
        &heard,
        "Lan",
    )
    .unwrap();
    assert_eq!(
        (t.lines.len(), t.stale, t.model.as_str()),
        (2, false, "whisper-base")
    );
    assert_eq!(for_take(&db, take.id).unwrap().unwrap().id, t.id);
    assert!(
        save(
            &mut db,
            take.id,
            Source::Whisper,
            "",
            &[line(0.0, 60.0, "x")],
            "Lan"
        )
        .is_err(),
        "past the end of the take"
    );
    assert_eq!(
        get(&db, t.id).unwrap().lines.len(),
        2,
        "a refused save changes nothing"
    );

    let mut edited = t.lines.clone();
    edited[0].text = "Xin chào bà con thôn Đắk Rơ.".into();
    let t = set_lines(
        &mut db,
        &LinesSave {
            id: t.id,
            lines: edited,
        },
    )
    .unwrap();
    assert_eq!(t.lines[0].text, "Xin chào bà con thôn Đắk Rơ.");

    let out = dir.path().join("out");
    let srt = export(
        &db,
        &TranscriptExport {
            id: t.id,
            format: Format::Srt,
        },
        &out,
    )
    .unwrap();
    let body = std::fs::read_to_string(&srt).unwrap();
    assert!(srt
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("lich-tiem-chung-thang-12-vie"));
    assert!(body.contains("00:00:04,000 --> 00:00:05,500\r\nhôm nay có tin mới"));

    let made = to_script(
        &mut db,
        &ToScript {
            id: t.id,
            title: "Bản ghi lời".into(),
        },
        "Lan",
    )
    .unwrap();
    assert_eq!(
        made.input.body,
        "Xin chào bà con thôn Đắk Rơ.\n\nhôm nay có tin mới"
    );
    assert_eq!(made.input.program, "Sức khỏe");

    // Editing the take makes the timings stale.
    recording::set_edit(
        &mut db,
        dir.path(),
        &recording::TakeEdit {
            id: take.id,
            edit: crate::record::audio::edit::Edit {
                start: 1.0,
                ..Default::default()
            },
        },
    )
    .unwrap();
    assert!(get(&db, t.id).unwrap().stale);

    // Manual timing starts from the script's sentences, untimed.
    let m = start_manual(&mut db, take.id, "Lan").unwrap();
    assert_eq!(m.source, Source::Manual);
    assert_eq!(m.lines.len(), 2);
    assert!(m.lines.iter().all(|l| !l.timed()));
    assert!(export(
        &db,
        &TranscriptExport {
            id: m.id,
            format: Format::Srt
        },
        &out
    )
    .is_err());
    let m = mark_stored(
        &mut db,
        &Mark {
            id: m.id,
            index: 0,
            at: 0.5,
            end: false,
        },
    )
    .unwrap();
    let m = mark_stored(
        &mut db,
        &Mark {
            id: m.id,
            index: 1,
            at: 2.0,
            end: false,
        },
    )
    .unwrap();
    assert_eq!(
        (m.lines[0].end, m.lines[1].start, m.lines[1].end),
        (2.0, 2.0, m.seconds)
    );
    delete(&db, m.id).unwrap();
    assert_eq!(for_take(&db, take.id).unwrap(), None);
}
