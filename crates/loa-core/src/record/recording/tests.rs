use super::*;
use crate::record::audio::test_signals::sine;

fn setup() -> (Db, tempfile::TempDir, i64) {
    let mut db = Db::open_in_memory().unwrap();
    let s = crate::draft::script::create(
        &mut db,
        &crate::draft::script::ScriptInput {
            title: "Lịch tiêm chủng".into(),
            body: "Xin chào.".into(),
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    (db, tempfile::tempdir().unwrap(), s.summary.id)
}

#[test]
fn import_choose_render_delete() {
    let (mut db, dir, id) = setup();
    let wav = audio::render::wav(&sine(440.0, -12.0, 2.0, 48_000, 2)).unwrap();
    let req = TakeImport {
        script_id: id,
        lang: "vie".into(),
        file_name: "doc.wav".into(),
        bytes: wav,
    };
    let a = import(&db, dir.path(), &req, "Lan").unwrap();
    let b = import(&db, dir.path(), &req, "Lan").unwrap();
    assert_eq!(
        (a.origin.as_str(), a.channels, a.rate),
        ("imported", 2, 48_000)
    );
    assert!((a.seconds - 2.0).abs() < 0.01);
    assert!(a.integrated_lufs.is_some());
    assert_eq!(peaks(&db, a.id).unwrap().len(), PEAK_COLUMNS * 2);
    choose(&mut db, a.id).unwrap();
    let chosen = choose(&mut db, b.id).unwrap();
    assert!(chosen.chosen);
    assert!(
        !get(&db, a.id).unwrap().chosen,
        "one chosen take per language"
    );
    assert_eq!(rename(&db, a.id, "  Lần 1 ").unwrap().name, "Lần 1");

    let out = dir.path().join("out");
    let r = render(
        &db,
        dir.path(),
        &TakeRender {
            id: b.id,
            options: RenderOptions::default(),
        },
        &out,
        &mut |_| true,
    )
    .unwrap();
    assert!(r.path.ends_with(".mp3"), "{}", r.path);
    assert!((r.loudness.integrated_lufs.unwrap() + 16.0).abs() < 0.5);

    let file = file_path(&db, dir.path(), a.id).unwrap();
    delete(&db, dir.path(), a.id).unwrap();
    assert!(!file.exists());
    assert_eq!(list(&db, id, "vie").unwrap().len(), 1);
}

#[test]
fn edits_change_what_is_measured_and_can_be_undone() {
    let (mut db, dir, id) = setup();
    // 1 s of near-silence, 2 s of tone, 1 s of near-silence.
    let mut pcm = sine(440.0, -70.0, 1.0, 16_000, 1);
    pcm.samples
        .extend(sine(440.0, -12.0, 2.0, 16_000, 1).samples);
    pcm.samples
        .extend(sine(440.0, -70.0, 1.0, 16_000, 1).samples);
    let req = TakeImport {
        script_id: id,
        lang: "vie".into(),
        file_name: "doc.wav".into(),
        bytes: audio::render::wav(&pcm).unwrap(),
    };
    let t = import(&db, dir.path(), &req, "Lan").unwrap();
    let file = std::fs::read(file_path(&db, dir.path(), t.id).unwrap()).unwrap();
    assert!(!t.can_undo && !t.can_redo && t.edit.is_empty());

    let trimmed = auto_trim(
        &mut db,
        dir.path(),
        &TakeAutoTrim {
            id: t.id,
            threshold_db: -40.0,
        },
    )
    .unwrap();
    assert!((trimmed.seconds - 2.5).abs() < 0.05, "{}", trimmed.seconds);
    assert!((trimmed.source_seconds - 4.0).abs() < 0.01);
    assert!(trimmed.can_undo && !trimmed.can_redo);

    let cut = set_edit(
        &mut db,
        dir.path(),
        &TakeEdit {
            id: t.id,
            edit: Edit {
                cuts: vec![edit::Span { from: 2.0, to: 2.5 }],
                ..trimmed.edit.clone()
            },
        },
    )
    .unwrap();
    assert!((cut.seconds - 2.0).abs() < 0.05, "{}", cut.seconds);
    let (audio, _) = edited_audio(&db, dir.path(), t.id).unwrap();
    assert!((audio.seconds() - cut.seconds).abs() < 0.01);

    let back = undo_edit(&mut db, dir.path(), t.id).unwrap();
    assert_eq!(back.edit, trimmed.edit);
    assert!(back.can_redo);
    let again = redo_edit(&mut db, dir.path(), t.id).unwrap();
    assert_eq!(again.edit, cut.edit);
    undo_edit(&mut db, dir.path(), t.id).unwrap();
    let orig = undo_edit(&mut db, dir.path(), t.id).unwrap();
    assert!(orig.edit.is_empty() && !orig.can_undo);
    assert!((orig.seconds - 4.0).abs() < 0.01);
    assert_eq!(
        undo_edit(&mut db, dir.path(), t.id)
            .unwrap_err()
            .to_string(),
        CoreError::invalid("edit", "nothing-to-undo").to_string()
    );
    // A new edit after undoing forgets what was undone.
    let other = set_edit(
        &mut db,
        dir.path(),
        &TakeEdit {
            id: t.id,
            edit: Edit {
                start: 0.5,
                ..Edit::default()
            },
        },
    )
    .unwrap();
    assert!(!other.can_redo);
    assert_eq!(
        std::fs::read(file_path(&db, dir.path(), t.id).unwrap()).unwrap(),
        file,
        "the recording itself is never changed"
    );
}

#[test]
fn bad_imports_leave_nothing() {
    let (db, dir, id) = setup();
    let req = TakeImport {
        script_id: id,
        lang: "vie".into(),
        file_name: "x.mp3".into(),
        bytes: b"garbage".to_vec(),
    };
    assert_eq!(
        import(&db, dir.path(), &req, "Lan").unwrap_err().code(),
        "data-row"
    );
    assert!(list(&db, id, "vie").unwrap().is_empty());
    assert!(
        std::fs::read_dir(takes_dir(dir.path()))
            .map(|d| d.count())
            .unwrap_or(0)
            == 0
    );
}

#[test]
fn a_cut_off_recording_comes_back_as_a_take() {
    let (db, dir, id) = setup();
    let path = new_take_path(dir.path(), id, "mtq");
    let mut w = audio::take::TakeWriter::create(&path, 16_000, 1).unwrap();
    w.write(&sine(300.0, -10.0, 1.5, 16_000, 1).samples)
        .unwrap();
    // The process dies: the file closes without its final name.
    drop(w);
    let found = recover(&db, dir.path(), "Lan").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        (
            found[0].script_id,
            found[0].lang.as_str(),
            found[0].origin.as_str()
        ),
        (id, "mtq", "recovered")
    );
    assert!((found[0].seconds - 1.5).abs() < 0.01);
}

#[test]
fn recovery_while_recording_leaves_the_live_take_whole() {
    let (db, dir, id) = setup();
    let path = new_take_path(dir.path(), id, "vie");
    let tone = sine(300.0, -10.0, 3.0, 16_000, 1).samples;
    let mut w = audio::take::TakeWriter::create(&path, 16_000, 1).unwrap();
    w.write(&tone[..24_000]).unwrap();
    w.checkpoint().unwrap();
    // The Recordings area opens again mid-take and runs recovery.
    assert!(recover(&db, dir.path(), "Lan").unwrap().is_empty());
    w.write(&tone[24_000..]).unwrap();
    let done = w.finish().unwrap();
    let t = add_file(&db, &done, id, "vie", "recorded", "Lan").unwrap();
    assert!((t.seconds - 3.0).abs() < 0.01, "{}", t.seconds);
    assert!(recover(&db, dir.path(), "Lan").unwrap().is_empty());
    assert_eq!(list(&db, id, "vie").unwrap().len(), 1, "no duplicate");
}

/// The take's export renders each profile as packages do: FM is an MP3
/// at −23 LUFS and 128 kbit/s (the UI once said WAV at 64 kbit/s).
#[test]
fn a_take_exports_with_the_profile_packages_use() {
    use audio::render::{Profile, RenderFormat};
    let (db, dir, id) = setup();
    let t = import(
        &db,
        dir.path(),
        &TakeImport {
            script_id: id,
            lang: "vie".into(),
            file_name: "doc.wav".into(),
            bytes: audio::render::wav(&sine(440.0, -12.0, 3.0, 48_000, 1)).unwrap(),
        },
        "Lan",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut sizes = Vec::new();
    for profile in Profile::ALL {
        let info = profile.info();
        assert_eq!(info.format, RenderFormat::Mp3);
        let r = crate::broadcast::player_export::take(
            &db,
            dir.path(),
            &TakeExport { id: t.id, profile },
            out.path(),
            &mut |_| true,
        )
        .unwrap();
        assert!(r.path.ends_with(".mp3"), "{}", r.path);
        let lufs = r.loudness.integrated_lufs.unwrap();
        assert!((lufs - info.target_lufs).abs() < 1.0, "{profile:?}: {lufs}");
        sizes.push(std::fs::metadata(&r.path).unwrap().len() as f64);
    }
    assert_eq!(Profile::Fm.info().bitrate_kbps, 128);
    assert!(
        sizes[1] > 1.6 * sizes[0],
        "FM at 128 kbit/s, speakers at 64: {sizes:?}"
    );
}
