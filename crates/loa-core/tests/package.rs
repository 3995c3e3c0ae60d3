//! Broadcast packages between two stations' data folders: the round trip,
//! and every way a package can be damaged or forged, each refused with its
//! reason and leaving the receiving station exactly as it was.

use loa_core::broadcast::key::{self, StationKey};
use loa_core::broadcast::package::{self, BuildRequest, Direction};
use loa_core::broadcast::station::{self, StationNew};
use loa_core::draft::script::{self, ScriptInput};
use loa_core::Db;
use std::path::{Path, PathBuf};

mod stations;
use stations::*;

#[test]
fn round_trip_between_two_stations() {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let mut commune = station("Xã Ba Vì", "51124");
    let a = approved_script(&mut issuer, "Lịch tiêm chủng tháng 12", &["vie", "ktv"]);
    let out = issuer.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut req = BuildRequest::new(vec![a], out.display().to_string());
    req.slots = vec!["6:00".into(), "17:00".into()];
    req.target_stations = vec![issuer.id];

    let plan = package::plan(&issuer.db, &req).unwrap();
    assert!(plan.ready);
    assert_eq!(plan.items.len(), 2);
    assert!(!plan.over_limit);
    assert!(plan.skipped.is_empty());

    let built = build(&mut issuer, &req);
    assert_eq!(built.len(), 1);
    let path = PathBuf::from(&built[0].path);
    assert!(path.starts_with(&out));
    assert_eq!(built[0].langs, ["vie", "ktv"]);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), built[0].bytes);
    let sent = package::list(&issuer.db, Direction::Sent).unwrap();
    assert_eq!((sent.len(), sent[0].items), (1, 2));

    // Unknown issuer: refused, with the key id to check by phone.
    let k = StationKey::load(issuer.dir.path()).unwrap().unwrap();
    let err = import(&mut commune, &path).unwrap_err();
    assert_eq!(err.code(), "package-untrusted");
    assert_eq!(err.args()[0].1, k.key_id());
    assert_untouched(&commune);

    // Inspect shows who it is from; trusting a different key id is refused.
    let seen = package::inspect(&commune.db, commune.dir.path(), &path, &mut |_, _| true).unwrap();
    assert!(!seen.trusted);
    assert_eq!(seen.manifest.issuer.station, "Xã Ba Tơ");
    assert_eq!(seen.manifest.slots, ["06:00", "17:00"]);
    assert!(package::trust_issuer(
        &mut commune.db,
        commune.dir.path(),
        &path,
        "AAAA-AAAA-AAAA-AAAA",
        None
    )
    .is_err());
    let s = package::trust_issuer(
        &mut commune.db,
        commune.dir.path(),
        &path,
        &k.key_id(),
        None,
    )
    .unwrap();
    assert_eq!(s.key.as_ref().unwrap().key_id, k.key_id());
    assert!(s.summary.trusted);

    let got = import(&mut commune, &path).unwrap();
    assert_eq!(got.summary.title, "Lịch tiêm chủng tháng 12");
    assert_eq!(got.summary.issuer_name, "Xã Ba Tơ");
    assert_eq!(got.items.len(), 2);
    let vie = &got.items[0];
    assert_eq!((vie.lang.as_str(), vie.script_id), ("vie", a));
    assert!(vie.text.contains("tiêm chủng"), "{}", vie.text);
    let mp3 = std::fs::read(vie.audio_path.as_ref().unwrap()).unwrap();
    let decoded = loa_core::record::audio::decode_bytes("audio.mp3", mp3).unwrap();
    assert!(
        (decoded.seconds() - 1.5).abs() < 0.2,
        "{}",
        decoded.seconds()
    );
    assert!(
        (vie.lufs.unwrap() + 16.0).abs() < 1.0,
        "speaker profile: −16 LUFS"
    );
    assert_eq!(got.items[1].title, "Lịch tiêm chủng tháng 12");
    assert!(
        got.items[1].text.to_lowercase().contains("[ktv]"),
        "the text says its language"
    );

    // Twice is refused, and the first import stays whole.
    let again = import(&mut commune, &path).unwrap_err();
    assert_eq!(again.args()[1].1, "already-imported");
    assert_eq!(
        package::list(&commune.db, Direction::Received)
            .unwrap()
            .len(),
        1
    );

    package::delete(&commune.db, commune.dir.path(), got.summary.id).unwrap();
    assert_untouched(&commune);

    // An import cut short by a crash leaves a temporary folder; the next
    // start clears it.
    let leftover = commune.dir.path().join("packages").join(".part-x");
    std::fs::create_dir_all(leftover.join("items")).unwrap();
    package::clear_orphans(&commune.db, commune.dir.path()).unwrap();
    assert!(!leftover.exists());
}

#[test]
fn split_per_language_and_size_summary() {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let a = approved_script(&mut issuer, "Phòng chống sốt xuất huyết", &["vie", "ktv"]);
    let out = issuer.dir.path().join("usb");
    std::fs::create_dir(&out).unwrap();
    let mut req = BuildRequest::new(vec![a], out.display().to_string());
    req.split_by_language = true;
    let plan = package::plan(&issuer.db, &req).unwrap();
    assert_eq!(plan.languages.len(), 2);
    let built = build(&mut issuer, &req);
    assert_eq!(built.len(), 2);
    // A folder that does not exist yet is made (Documents/Loa Studio on a
    // fresh PC), not taken for a file name.
    let fresh = issuer.dir.path().join("Tài liệu").join("Loa Studio");
    req.out = fresh.display().to_string();
    req.split_by_language = false;
    let one = build(&mut issuer, &req);
    assert!(PathBuf::from(&one[0].path).starts_with(&fresh));
    assert!(one[0].path.ends_with(".loa"));
    assert!(built[0].path.ends_with("-vie.loa") && built[1].path.ends_with("-ktv.loa"));
    assert_ne!(built[0].id, built[1].id);
    assert_eq!(built[1].langs, ["ktv"]);
}

#[test]
fn plan_explains_what_is_missing() {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let a = approved_script(&mut issuer, "Có bản đọc", &["vie"]);
    let draft = script::create(
        &mut issuer.db,
        &ScriptInput {
            title: "Bản nháp".into(),
            body: "Chưa duyệt.".into(),
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    let mut req = BuildRequest::new(vec![a, draft.summary.id], "x.loa");
    req.langs = Some(vec!["vie".into(), "ktv".into()]);
    let plan = package::plan(&issuer.db, &req).unwrap();
    let problems: Vec<_> = plan
        .items
        .iter()
        .map(|i| (i.script_id, i.lang.as_str(), i.problem.as_deref()))
        .collect();
    assert_eq!(
        problems,
        [
            (a, "vie", None),
            (a, "ktv", Some("no-take")),
            (draft.summary.id, "vie", Some("not-approved")),
            (draft.summary.id, "ktv", Some("not-approved")),
        ]
    );
    assert!(!plan.ready);
    let err =
        package::build(&mut issuer.db, issuer.dir.path(), &req, &mut |_, _| true).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(!Path::new("x.loa").exists());
}

#[test]
fn cancel_leaves_no_file() {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let a = approved_script(&mut issuer, "Huỷ giữa chừng", &["vie", "ktv"]);
    let out = issuer.dir.path().join("out.loa");
    let req = BuildRequest::new(vec![a], out.display().to_string());
    let err = package::build(&mut issuer.db, issuer.dir.path(), &req, &mut |done, _| {
        done < 1
    })
    .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert!(!out.exists());
    assert!(package::list(&issuer.db, Direction::Sent)
        .unwrap()
        .is_empty());
}

#[test]
fn a_trusted_key_speaking_as_another_station_is_shown_as_itself_and_flagged() {
    let mut f = forge();
    let mut m = f.manifest();
    m["issuer"]["station"] = "Đài Phát thanh - Truyền hình tỉnh".into();
    m["issuer"]["adminCode"] = "".into();
    m["priority"] = "emergency".into();
    let path = f.write("province.loa", &f.resigned(&m, &f.genuine_key()));
    let seen =
        package::inspect(&f.commune.db, f.commune.dir.path(), &path, &mut |_, _| true).unwrap();
    assert!(seen.trusted);
    assert_eq!(
        seen.issuer_name, "Xã Ba Tơ",
        "the key's station, not the claim"
    );
    assert_eq!(
        seen.claimed_issuer.as_deref(),
        Some("Đài Phát thanh - Truyền hình tỉnh")
    );
    // In the library (and so the banner and the schedule, which read it).
    import(&mut f.commune, &path).unwrap();
    let listed = &package::list(&f.commune.db, Direction::Received).unwrap()[0];
    assert_eq!(listed.issuer_name, "Xã Ba Tơ");
    assert_eq!(listed.issuer_code, "51123");
    assert_eq!(
        listed.claimed_issuer.as_deref(),
        Some("Đài Phát thanh - Truyền hình tỉnh")
    );

    // Its own name with a wrong code is flagged too; its true name is not.
    let mut m = f.manifest();
    m["issuer"]["adminCode"] = "99999".into();
    let path = f.write("code.loa", &f.resigned(&m, &f.genuine_key()));
    let seen =
        package::inspect(&f.commune.db, f.commune.dir.path(), &path, &mut |_, _| true).unwrap();
    assert_eq!(seen.claimed_issuer.as_deref(), Some("Xã Ba Tơ (99999)"));
    let seen = package::inspect(
        &f.commune.db,
        f.commune.dir.path(),
        &f.good_path,
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(seen.claimed_issuer, None);
}

#[test]
fn a_second_key_for_a_known_station_is_flagged_and_replacing_it_takes_its_last_group() {
    let mut f = forge();
    let mallory = StationKey::generate().unwrap();
    let genuine = f.genuine_key().key_id();
    let mut m = f.manifest();
    // No administrative code: the name alone must still find Ba Tơ.
    m["issuer"]["adminCode"] = "".into();
    m["issuer"]["station"] = "xã ba tơ".into();
    m["issuer"]["keyId"] = mallory.key_id().into();
    m["issuer"]["publicKey"] = mallory.public_hex().into();
    let path = f.write("rotated.loa", &f.resigned(&m, &mallory));
    let c = &mut f.commune;
    let seen = package::inspect(&c.db, c.dir.path(), &path, &mut |_, _| true).unwrap();
    assert!(!seen.trusted);
    assert_eq!(seen.other_trusted_key.as_deref(), Some(genuine.as_str()));

    let last = mallory.key_id().rsplit('-').next().unwrap().to_string();
    for confirm in [None, Some("WXYZ"), Some("")] {
        let err = package::trust_issuer(&mut c.db, c.dir.path(), &path, &mallory.key_id(), confirm)
            .unwrap_err();
        assert_eq!(err.args()[0].1, "key-replace", "{confirm:?}");
    }
    // Nothing changed: the genuine key is still the trusted one.
    let ba_to = package::inspect(&c.db, c.dir.path(), &f.good_path, &mut |_, _| true).unwrap();
    assert!(ba_to.trusted);

    let s = package::trust_issuer(
        &mut c.db,
        c.dir.path(),
        &path,
        &mallory.key_id(),
        Some(&last.to_lowercase()),
    )
    .unwrap();
    assert_eq!(
        s.summary.name, "Xã Ba Tơ",
        "the same station, not a new one"
    );
    assert_eq!(s.key.unwrap().key_id, mallory.key_id());

    // The key-file route asks the same.
    let genuine_info = key::parse_text(&key::export_text(
        &StationKey::load(f.issuer.dir.path())
            .unwrap()
            .unwrap()
            .info("Xã Ba Tơ", "51123"),
    ))
    .unwrap();
    let err = station::trust(&mut c.db, s.summary.id, &genuine_info, None).unwrap_err();
    assert_eq!(err.args()[0].1, "key-replace");
    let g_last = genuine.rsplit('-').next().unwrap();
    station::trust(&mut c.db, s.summary.id, &genuine_info, Some(g_last)).unwrap();
}

#[test]
fn a_package_for_other_stations_says_so_before_import() {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let mut commune = station("Xã Ba Vì", "51124");
    let a = approved_script(&mut issuer, "Tin riêng cho xã Khác", &["vie"]);
    let mut targets = |name: &str, code: &str| {
        station::create(
            &mut issuer.db,
            &StationNew {
                name: name.into(),
                admin_code: code.into(),
            },
        )
        .unwrap()
        .summary
        .id
    };
    let other = targets("Xã Khác", "51999");
    let ba_vi = targets("Xã Ba Vì", "51124");
    let mut outs = Vec::new();
    for (name, to) in [
        ("other.loa", vec![other]),
        ("ours.loa", vec![other, ba_vi]),
        ("all.loa", vec![]),
    ] {
        let out = issuer.dir.path().join(name);
        let mut req = BuildRequest::new(vec![a], out.display().to_string());
        req.target_stations = to;
        build(&mut issuer, &req);
        outs.push(out);
    }
    trust(&mut commune, &issuer);
    let addressed = |p: &Path| {
        package::inspect(&commune.db, commune.dir.path(), p, &mut |_, _| true)
            .unwrap()
            .addressed
    };
    assert!(!addressed(&outs[0]));
    assert!(addressed(&outs[1]));
    assert!(addressed(&outs[2]), "no targets: for everyone");
}

#[test]
fn a_deleted_package_is_not_imported_again() {
    let mut f = forge();
    let path = f.good_path.clone();
    let d = import(&mut f.commune, &path).unwrap();
    package::delete(&f.commune.db, f.commune.dir.path(), d.summary.id).unwrap();
    let err = import(&mut f.commune, &path).unwrap_err();
    assert_eq!(err.args()[1].1, "already-imported");
    let seen =
        package::inspect(&f.commune.db, f.commune.dir.path(), &path, &mut |_, _| true).unwrap();
    assert!(seen.already_imported);
    assert_untouched(&f.commune);
}

#[test]
fn two_imports_of_one_package_at_once_leave_one_whole_copy() {
    let f = forge();
    let dir = f.commune.dir.path().to_path_buf();
    let path = f.good_path.clone();
    let results: Vec<loa_core::Result<package::PackageDetail>> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..2)
            .map(|_| {
                let (dir, path) = (dir.clone(), path.clone());
                s.spawn(move || {
                    let mut db = Db::open_dir(&dir).unwrap();
                    package::import(&mut db, &dir, &path, None, &mut |_, _| true)
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let d = results.into_iter().find_map(|r| r.ok()).unwrap();
    for item in &d.items {
        let audio = item.audio_path.as_deref().unwrap();
        assert!(std::fs::metadata(audio).unwrap().len() > 1000, "{audio}");
    }
    let staging: Vec<_> = std::fs::read_dir(dir.join("packages"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".part-"))
        .collect();
    assert!(staging.is_empty());
}

#[test]
fn folders_left_by_a_crash_mid_import_are_cleared_at_start() {
    let mut f = forge();
    let kept = import(&mut f.commune, &f.good_path.clone()).unwrap();
    let packages = f.commune.dir.path().join("packages");
    // A crash after the rename, before the commit; and one mid-copy.
    let orphan = packages.join("0f0e0d0c-0b0a-4908-8706-050403020100");
    std::fs::create_dir_all(orphan.join("items/001-vie")).unwrap();
    std::fs::write(orphan.join("items/001-vie/audio.mp3"), b"half").unwrap();
    let part = packages.join(".part-x-y");
    std::fs::create_dir_all(&part).unwrap();
    package::clear_orphans(&f.commune.db, f.commune.dir.path()).unwrap();
    assert!(!orphan.exists() && !part.exists());
    assert!(
        packages.join(&kept.summary.uuid).is_dir(),
        "the imported package stays"
    );
}
