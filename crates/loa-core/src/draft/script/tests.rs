use super::*;

fn input(title: &str, body: &str) -> ScriptInput {
    ScriptInput {
        title: title.into(),
        body: body.into(),
        program: "Truyền thông chính sách".into(),
        category: Category::Health,
        policy_ref: "Chỉ thị 07/CT-TTg".into(),
        ..Default::default()
    }
}

fn search(db: &Db, q: &str) -> Vec<ScriptSummary> {
    list(
        db,
        &ScriptQuery {
            search: Some(q.into()),
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn create_normalizes_and_search_ignores_diacritics() {
    let mut db = Db::open_in_memory().unwrap();
    let d = create(
        &mut db,
        &input(
            "  Lịch tiêm chủng  ",
            "Uỷ ban nhân dân xã thông báo đường sẽ sửa.\n\n",
        ),
        "Hoà",
    )
    .unwrap();
    assert_eq!(d.summary.title, "Lịch tiêm chủng");
    assert_eq!(d.input.body, "Ủy ban nhân dân xã thông báo đường sẽ sửa.");
    assert_eq!(d.author, "Hòa");
    assert_eq!(d.summary.syllables, 10);
    assert_eq!(d.summary.est_seconds, 5);
    assert_eq!(
        d.summary.program.as_deref(),
        Some("Truyền thông chính sách")
    );
    for q in ["duong", "UY BAN", "tiem chung", "07/ct-ttg", "thong bao"] {
        assert_eq!(search(&db, q).len(), 1, "{q}");
    }
    assert!(search(&db, "100%").is_empty());
    assert!(search(&db, "cắt điện").is_empty());
}

#[test]
fn title_hits_rank_first_and_are_marked() {
    let mut db = Db::open_in_memory().unwrap();
    create(
        &mut db,
        &input("Thông báo chung", "Lịch tiêm chủng cho trẻ em tháng 5."),
        "",
    )
    .unwrap();
    create(
        &mut db,
        &input("Lịch tiêm chủng mở rộng", "Thông báo của trạm y tế."),
        "",
    )
    .unwrap();
    let hits = search(&db, "tiem chung");
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].title, "Lịch tiêm chủng mở rộng");
    let t = hits[0].title_hit.as_ref().unwrap();
    let utf16: Vec<u16> = t.text.encode_utf16().collect();
    let marked: Vec<String> = t
        .marks
        .iter()
        .map(|(a, b)| String::from_utf16(&utf16[*a as usize..*b as usize]).unwrap())
        .collect();
    assert_eq!(marked, vec!["tiêm", "chủng"]);
    let s = hits[1].snippet.as_ref().unwrap();
    assert_eq!(s.marks.len(), 2);
}

#[test]
fn workflow_and_revisions() {
    let mut db = Db::open_in_memory().unwrap();
    let id = create(&mut db, &input("Tiêm chủng", "Bản nháp đầu."), "Lan")
        .unwrap()
        .summary
        .id;
    // Draft edits amend revision 1.
    let d = update(
        &mut db,
        id,
        &input("Tiêm chủng", "Bản nháp thứ hai."),
        "Lan",
    )
    .unwrap();
    assert_eq!(d.summary.revision, 1);
    assert_eq!(revisions(&db, id).unwrap().len(), 1);

    // Straight to approved is not a valid move, nor approving anonymously.
    let err = set_status(&mut db, id, Status::Approved, "Lan", "").unwrap_err();
    assert_eq!(err.code(), "invalid");
    set_status(&mut db, id, Status::Review, "Lan", "").unwrap();
    let err = set_status(&mut db, id, Status::Approved, "  ", "").unwrap_err();
    assert_eq!(err.args()[0].1, "approver");
    let d = set_status(&mut db, id, Status::Approved, "Trưởng đài", "Đồng ý").unwrap();
    assert_eq!(d.summary.status, Status::Approved);
    assert_eq!(d.approved_by, "Trưởng đài");
    assert!(d.approved_at.is_some());

    // A metadata-only change keeps the approval.
    let mut meta = d.input.clone();
    meta.notes = "Phát 2 lần".into();
    let d = update(&mut db, id, &meta, "Lan").unwrap();
    assert_eq!(d.summary.status, Status::Approved);

    // Editing the wording of an approved script: new revision, back to draft.
    let mut edited = d.input.clone();
    edited.body = "Bản đã sửa sau khi duyệt.".into();
    let d = update(&mut db, id, &edited, "Lan").unwrap();
    assert_eq!(d.summary.status, Status::Draft);
    assert_eq!(d.summary.revision, 2);
    assert_eq!(d.approved_by, "");
    let revs = revisions(&db, id).unwrap();
    assert_eq!(
        revs.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert!(revs[1].frozen && !revs[0].frozen);

    let diff = diff(&db, id, 1, 2).unwrap();
    let ops: Vec<(DiffOp, &str)> = diff.body.iter().map(|c| (c.op, c.text.as_str())).collect();
    assert!(ops.contains(&(DiffOp::Delete, "nháp thứ hai.")), "{ops:?}");
    assert!(
        ops.contains(&(DiffOp::Insert, "đã sửa sau khi duyệt.")),
        "{ops:?}"
    );

    // Restoring revision 1 is an edit of the draft revision 2.
    let d = restore(&mut db, id, 1, "Lan").unwrap();
    assert_eq!(d.input.body, "Bản nháp thứ hai.");
    assert_eq!(d.summary.revision, 2);

    let ev = events(&db, id).unwrap();
    let moves: Vec<(Status, Status)> = ev.iter().map(|e| (e.from_status, e.to_status)).collect();
    assert_eq!(
        moves,
        vec![
            (Status::Approved, Status::Draft),
            (Status::Review, Status::Approved),
            (Status::Draft, Status::Review)
        ]
    );
}

#[test]
fn delete_and_undo() {
    let mut db = Db::open_in_memory().unwrap();
    let id = create(&mut db, &input("Cắt điện", "Lịch cắt điện."), "")
        .unwrap()
        .summary
        .id;
    delete(&mut db, id).unwrap();
    assert!(search(&db, "cat dien").is_empty());
    assert_eq!(get(&db, id).unwrap_err().code(), "not-found");
    assert_eq!(delete(&mut db, id).unwrap_err().code(), "not-found");
    undelete(&mut db, id).unwrap();
    assert_eq!(search(&db, "cat dien").len(), 1);
}

#[test]
fn filters_and_sorting() {
    let mut db = Db::open_in_memory().unwrap();
    let mut a = input("Bão số 3", "Cảnh báo bão.");
    a.priority = Priority::Emergency;
    a.category = Category::Disaster;
    a.target_langs = vec!["vie".into(), "ktv".into()];
    create(&mut db, &a, "").unwrap();
    let mut b = input("An toàn giao thông", &"Đi đúng làn đường. ".repeat(40));
    b.program = "Bản tin thời sự".into();
    create(&mut db, &b, "").unwrap();
    let q = |f: ScriptQuery| {
        list(&db, &f)
            .unwrap()
            .into_iter()
            .map(|s| s.title)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        q(ScriptQuery {
            lang: Some("ktv".into()),
            ..Default::default()
        }),
        vec!["Bão số 3"]
    );
    assert_eq!(
        q(ScriptQuery {
            category: Some(Category::Disaster),
            ..Default::default()
        }),
        vec!["Bão số 3"]
    );
    assert_eq!(
        q(ScriptQuery {
            program: Some("Bản tin thời sự".into()),
            ..Default::default()
        }),
        vec!["An toàn giao thông"]
    );
    assert_eq!(
        q(ScriptQuery {
            sort: Some(SortBy::Title),
            ..Default::default()
        }),
        vec!["An toàn giao thông", "Bão số 3"]
    );
    assert_eq!(
        q(ScriptQuery {
            sort: Some(SortBy::Duration),
            ..Default::default()
        }),
        vec!["An toàn giao thông", "Bão số 3"]
    );
    // Emergencies first by default.
    assert_eq!(q(ScriptQuery::default())[0], "Bão số 3");
    assert!(q(ScriptQuery {
        updated_to: Some("2000-01-01".into()),
        ..Default::default()
    })
    .is_empty());
    let err = list(
        &db,
        &ScriptQuery {
            updated_from: Some("2025-02-30".into()),
            ..Default::default()
        },
    );
    assert_eq!(err.unwrap_err().code(), "invalid");
    assert_eq!(
        programs(&db).unwrap(),
        vec!["Bản tin thời sự", "Truyền thông chính sách"]
    );
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let mut db = Db::open_in_memory().unwrap();
    let bad = |f: fn(&mut ScriptInput)| {
        let mut i = input("Tiêu đề", "Nội dung");
        f(&mut i);
        i
    };
    let cases: Vec<(ScriptInput, &str)> = vec![
        (bad(|i| i.title = " \u{200B} ".into()), "title"),
        (bad(|i| i.body = "a ".repeat(MAX_BODY_BYTES)), "body"),
        (bad(|i| i.air_from = "2025-13-01".into()), "air-dates"),
        (bad(|i| i.air_from = "2024-02-29".into()), ""),
        (
            bad(|i| {
                i.air_from = "2025-05-02".into();
                i.air_until = "2025-05-01".into();
            }),
            "air-dates",
        ),
        (bad(|i| i.target_langs = vec!["xyz".into()]), "target-langs"),
        (bad(|i| i.target_seconds = 99_999), "target-seconds"),
    ];
    for (i, field) in cases {
        match create(&mut db, &i, "") {
            Ok(_) => assert_eq!(field, "", "accepted a bad {field}"),
            Err(e) => assert_eq!(e.args()[0].1, field),
        }
    }
    assert_eq!(count(&db).unwrap(), 1, "only the valid leap day was saved");
    assert_eq!(get(&db, 42).unwrap_err().code(), "not-found");
    // A failed update leaves the script as it was.
    let id = list(&db, &ScriptQuery::default()).unwrap()[0].id;
    let before = get(&db, id).unwrap();
    assert!(update(&mut db, id, &bad(|i| i.title = String::new()), "").is_err());
    assert_eq!(get(&db, id).unwrap().input, before.input);
}

#[test]
fn diff_sides_rebuild_both_texts() {
    let (a, b) = (
        "Họp dân lúc 7h30 tại nhà văn hóa thôn.",
        "Họp dân lúc 8h tại hội trường thôn 2.",
    );
    let d = word_diff(a, b);
    let side = |skip: DiffOp| {
        d.iter()
            .filter(|c| c.op != skip)
            .map(|c| c.text.as_str())
            .collect::<String>()
    };
    assert_eq!(side(DiffOp::Insert), a);
    assert_eq!(side(DiffOp::Delete), b);
    assert!(d
        .iter()
        .any(|c| c.op == DiffOp::Equal && c.text.contains("Họp dân lúc")));
    assert!(word_diff("giống nhau", "giống nhau")
        .iter()
        .all(|c| c.op == DiffOp::Equal));
}

#[test]
fn reading_time() {
    assert_eq!(estimate_seconds(130, 130), 60);
    assert_eq!(estimate_seconds(131, 130), 61);
    assert_eq!(estimate_seconds(0, 0), 0);
}
