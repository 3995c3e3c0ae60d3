//! A station backed up into one file and restored on another PC (an empty
//! data folder): the database, the takes, the received packages and the
//! signing key come back; a damaged backup or a folder with work in it is
//! refused and left as it was; a restore cut off by a crash finishes at the
//! next start.

use loa_core::backup;
use loa_core::base::clock::{self, Clock};
use loa_core::broadcast::key::StationKey;
use loa_core::draft::script::{self, ScriptInput};
use loa_core::record::audio::{render::wav, Pcm};
use loa_core::{record::recording, Db};
use std::path::Path;

/// A station with a script, a take and a signing key.
fn working_station(dir: &Path) -> (Db, i64) {
    let mut db = Db::open_dir(dir).unwrap();
    let s = script::create(
        &mut db,
        &ScriptInput {
            title: "Phòng chống sốt xuất huyết".into(),
            body: "Diệt lăng quăng, bọ gậy mỗi tuần.".into(),
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    let pcm = Pcm {
        rate: 16_000,
        channels: 1,
        samples: (0..24_000)
            .map(|i| ((i as f32) * 0.05).sin() * 0.3)
            .collect(),
    };
    recording::import(
        &db,
        dir,
        &recording::TakeImport {
            script_id: s.summary.id,
            lang: "vie".into(),
            file_name: "doc.wav".into(),
            bytes: wav(&pcm).unwrap(),
        },
        "Lan",
    )
    .unwrap();
    StationKey::own(&db, dir).unwrap();
    (db, s.summary.id)
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for rel in ["takes", "keys"] {
        let Ok(entries) = std::fs::read_dir(dir.join(rel)) else {
            continue;
        };
        for e in entries.flatten() {
            out.push((
                format!("{rel}/{}", e.file_name().to_string_lossy()),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn a_station_comes_back_whole_on_another_pc() {
    let home = tempfile::tempdir().unwrap();
    let (db, script_id) = working_station(home.path());
    let key_id = StationKey::load(home.path()).unwrap().unwrap().key_id();
    let usb = tempfile::tempdir().unwrap();
    let info = backup::create(&db, home.path(), usb.path(), &mut |_, _| true).unwrap();
    assert_eq!(info.key_id, key_id);
    assert!(info.path.ends_with(".loabackup"), "{}", info.path);
    assert_eq!(
        backup::inspect(Path::new(&info.path)).unwrap().files,
        info.files
    );

    // The new PC: the app has opened its (empty) folder already.
    let new_pc = tempfile::tempdir().unwrap();
    drop(Db::open_dir(new_pc.path()).unwrap());
    assert!(backup::is_empty_station(new_pc.path()).unwrap());
    backup::restore(Path::new(&info.path), new_pc.path(), &mut |_, _| true).unwrap();
    let back = Db::open_dir(new_pc.path()).unwrap();
    assert_eq!(
        script::get(&back, script_id).unwrap().summary.title,
        "Phòng chống sốt xuất huyết"
    );
    assert_eq!(recording::list(&back, script_id, "vie").unwrap().len(), 1);
    assert_eq!(
        tree(new_pc.path()),
        tree(home.path()),
        "takes and key, byte for byte"
    );
    assert_eq!(
        StationKey::own(&back, new_pc.path()).unwrap().key_id(),
        key_id
    );
    let s = backup::status(&back).unwrap();
    assert!(
        !s.due && s.last_at.is_some(),
        "last backed up by the file restored"
    );
    assert!(std::fs::read_dir(new_pc.path())
        .unwrap()
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().starts_with(".restore-")));

    // A second restore over that work is refused.
    let err = backup::restore(Path::new(&info.path), new_pc.path(), &mut |_, _| true).unwrap_err();
    assert_eq!(err.args()[1].1, "not-empty");
}

#[test]
fn a_damaged_backup_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let (db, _) = working_station(home.path());
    let usb = tempfile::tempdir().unwrap();
    let info = backup::create(&db, home.path(), usb.path(), &mut |_, _| true).unwrap();
    let mut bytes = std::fs::read(&info.path).unwrap();
    // Inside the take (stored, so its bytes are in the file as they are).
    let at = bytes.windows(4).position(|w| w == b"data").unwrap() + 400;
    bytes[at] ^= 0x40;
    let bad = usb.path().join("bad.loabackup");
    std::fs::write(&bad, &bytes).unwrap();
    let empty = tempfile::tempdir().unwrap();
    let err = backup::restore(&bad, empty.path(), &mut |_, _| true).unwrap_err();
    assert_eq!(err.code(), "data-row", "{err}");
    assert_eq!(
        std::fs::read_dir(empty.path()).unwrap().count(),
        0,
        "nothing left"
    );

    let not = usb.path().join("not.loabackup");
    std::fs::write(&not, b"PK\x03\x04 not really").unwrap();
    assert!(backup::restore(&not, empty.path(), &mut |_, _| true).is_err());
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

#[test]
fn a_cancelled_backup_leaves_no_file() {
    let home = tempfile::tempdir().unwrap();
    let (db, _) = working_station(home.path());
    let usb = tempfile::tempdir().unwrap();
    let mut calls = 0;
    let err = backup::create(&db, home.path(), usb.path(), &mut |_, _| {
        calls += 1;
        calls < 2
    })
    .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert_eq!(std::fs::read_dir(usb.path()).unwrap().count(), 0);
    assert!(backup::status(&db).unwrap().due, "not backed up");
}

#[test]
fn a_restore_cut_off_by_a_crash_finishes_at_the_next_start() {
    let home = tempfile::tempdir().unwrap();
    let (db, script_id) = working_station(home.path());
    let usb = tempfile::tempdir().unwrap();
    let info = backup::create(&db, home.path(), usb.path(), &mut |_, _| true).unwrap();
    let new_pc = tempfile::tempdir().unwrap();
    backup::restore(Path::new(&info.path), new_pc.path(), &mut |_, _| true).unwrap();
    // Put it back as a crash would have left it: everything unpacked and
    // checked, the takes moved in, the database not yet.
    let staging = new_pc.path().join(".restore-x");
    std::fs::create_dir(&staging).unwrap();
    std::fs::rename(new_pc.path().join("loa.sqlite"), staging.join("loa.sqlite")).unwrap();
    std::fs::rename(new_pc.path().join("keys"), staging.join("keys")).unwrap();
    std::fs::write(staging.join(".ready"), b"").unwrap();
    // And a restore cut off while still unpacking.
    let partial = new_pc.path().join(".restore-y");
    std::fs::create_dir_all(partial.join("takes")).unwrap();
    backup::finish_interrupted(new_pc.path()).unwrap();
    assert!(!staging.exists() && !partial.exists());
    let back = Db::open_dir(new_pc.path()).unwrap();
    assert!(script::get(&back, script_id).is_ok());
    assert!(StationKey::load(new_pc.path()).unwrap().is_some());
}

#[test]
fn the_reminder_comes_after_thirty_days() {
    let home = tempfile::tempdir().unwrap();
    let start = loa_core::base::calendar::Date::parse("2026-11-01").unwrap();
    let _on = clock::scoped(Clock::on(start));
    let (db, _) = working_station(home.path());
    assert!(backup::status(&db).unwrap().due, "never backed up");
    let usb = tempfile::tempdir().unwrap();
    backup::create(&db, home.path(), usb.path(), &mut |_, _| true).unwrap();
    let s = backup::status(&db).unwrap();
    assert_eq!((s.due, s.days_since), (false, Some(0)));
    drop(_on);
    let _later = clock::scoped(Clock::on(start.add_days(30)));
    assert!(!backup::status(&db).unwrap().due);
    drop(_later);
    let _later = clock::scoped(Clock::on(start.add_days(31)));
    let s = backup::status(&db).unwrap();
    assert_eq!((s.due, s.days_since), (true, Some(31)));
}
