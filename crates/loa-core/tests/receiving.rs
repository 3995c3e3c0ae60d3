//! What a receiving station does with packages: the week's schedule, the
//! player folder, the air log and the reports made from it, and imports that
//! meet a full disk.

use loa_core::base::clock;
use loa_core::broadcast::package::{self, BuildRequest, Direction};
use loa_core::broadcast::station::{self, StationNew};
use std::io::Read;
use std::path::{Path, PathBuf};

mod common;
mod stations;
use stations::*;

use loa_core::{broadcast::airlog, broadcast::player_export, broadcast::schedule};

fn received_package(valid_from: &str) -> (Station, i64) {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let mut commune = station("Xã Ba Vì", "51124");
    let a = approved_script(&mut issuer, "Lịch tiêm chủng tháng 12", &["vie", "ktv"]);
    let out = issuer.dir.path().join("p.loa");
    let mut req = BuildRequest::new(vec![a], out.display().to_string());
    req.slots = vec!["17:00".into()];
    req.valid_from = Some(valid_from.into());
    req.valid_days = 3;
    build(&mut issuer, &req);
    trust(&mut commune, &issuer);
    let id = import(&mut commune, &out).unwrap().summary.id;
    (commune, id)
}

#[test]
fn schedule_player_folder_and_air_log() {
    // 2099-01-05 is a Monday, ISO week 2099-W02.
    let (mut c, pkg) = received_package("2099-01-05");
    let placed = schedule::place_package(&mut c.db, pkg, None, None).unwrap();
    // Two items, three valid days, the suggested 17:00 slot only.
    assert_eq!((placed.placed, placed.skipped), (6, 0));
    let again = schedule::place_package(&mut c.db, pkg, None, None).unwrap();
    assert_eq!((again.placed, again.skipped), (0, 6));

    let week = schedule::week(&c.db, "2099-W02").unwrap();
    assert_eq!(week.week, "2099-W02");
    assert_eq!(week.days[0].date, "2099-01-05");
    let evening = |d: usize| {
        week.days[d]
            .slots
            .iter()
            .find(|s| s.start == "17:00")
            .unwrap()
    };
    assert_eq!(evening(0).entries.len(), 2);
    assert_eq!(evening(0).entries[0].starts, "17:00");
    assert_eq!(evening(0).entries[0].lang, "vie");
    assert!(evening(3).entries.is_empty(), "not valid on Thursday");
    assert_eq!(week.conflicts, 0);
    let morning = week.days[0]
        .slots
        .iter()
        .find(|s| s.start == "06:00")
        .unwrap();
    assert!(morning.entries.is_empty());

    // Placing outside the validity is allowed but shown as a conflict.
    let item = evening(0).entries[0].item_id;
    let morning_id = morning.slot_id.unwrap();
    schedule::place(
        &mut c.db,
        &schedule::Place {
            item_id: item,
            date: "2099-01-10".into(),
            slot_id: morning_id,
        },
    )
    .unwrap();
    assert_eq!(schedule::week(&c.db, "2099-W02").unwrap().conflicts, 1);

    let slots = schedule::slots(&c.db).unwrap();
    assert_eq!(slots.len(), 2);
    let mut overlapping = slots.clone();
    overlapping[0].end = "18:00".into();
    overlapping[0].start = "16:30".into();
    assert_eq!(
        schedule::save_slots(&mut c.db, &overlapping)
            .unwrap_err()
            .args()[1]
            .1,
        "overlap"
    );

    let ics = schedule::ics(&c.db, "2099-W02").unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        4,
        "3 evenings + 1 morning"
    );
    assert!(ics.contains("DTSTART:20990105T170000"));
    assert!(ics.lines().all(|l| l.len() <= 75));

    let out = tempfile::tempdir().unwrap();
    // Cancelled halfway: nothing is left on the stick.
    let err = player_export::export(
        &c.db,
        c.dir.path(),
        "2099-W02",
        out.path(),
        &mut |done, _| done < 3,
    )
    .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    let got = player_export::export(&c.db, c.dir.path(), "2099-W02", out.path(), &mut |_, _| {
        true
    })
    .unwrap();
    assert_eq!((got.files, got.playlists), (7, 4));
    let folder = PathBuf::from(&got.folder);
    assert!(folder.ends_with("Loa-2099-W02"));
    let slot = folder.join("2099-01-05_1700_buoi-chieu");
    let mut names: Vec<String> = std::fs::read_dir(&slot)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "001_lich-tiem-chung-thang-12-vie.mp3",
            "002_lich-tiem-chung-thang-12-ktv.mp3"
        ]
    );
    let m3u = std::fs::read_to_string(folder.join("2099-01-05_1700_buoi-chieu.m3u")).unwrap();
    assert!(m3u.starts_with("#EXTM3U"));
    assert!(m3u.contains("2099-01-05_1700_buoi-chieu/001_lich-tiem-chung-thang-12-vie.mp3"));
    let readme = std::fs::read_to_string(folder.join("README.txt")).unwrap();
    assert!(readme.contains("LỊCH PHÁT THANH TUẦN 2099-W02"));
    // A second export never overwrites the first.
    let second = player_export::export(&c.db, c.dir.path(), "2099-W02", out.path(), &mut |_, _| {
        true
    })
    .unwrap();
    assert_ne!(second.folder, got.folder);

    // Mark the first evening item aired: at its slot's time, on time.
    let entry = evening(0).entries[0].id;
    let aired = airlog::mark(
        &mut c.db,
        &airlog::AirMark {
            entry_id: Some(entry),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(aired.aired_local, "2099-01-05 17:00");
    assert_eq!(aired.on_time, Some(true));
    assert_eq!(aired.station_name, "Xã Ba Vì");
    let twice = airlog::mark(
        &mut c.db,
        &airlog::AirMark {
            entry_id: Some(entry),
            ..Default::default()
        },
    );
    assert_eq!(twice.unwrap_err().args()[1].1, "already-aired");
    assert!(schedule::week(&c.db, "2099-W02").unwrap().days[0]
        .slots
        .iter()
        .any(|s| s.entries.iter().any(|e| e.aired)));

    // A player's CSV log: file names from the player folder, a late day.
    let csv = "Thời gian;Tệp;Thời lượng\n\
               06/01/2099 17:00;001_lich-tiem-chung-thang-12-vie.mp3;0:02\n\
               2099-01-20 06:00:30;Bản tin khác;95\n";
    let s = airlog::import_csv(&mut c.db, csv.as_bytes()).unwrap();
    assert_eq!((s.added, s.matched), (2, 1));
    let log = airlog::list(&c.db, "2099-01-01", "2099-01-31").unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!((log[1].source.as_str(), log[1].seconds), ("import", 2.0));
    assert_eq!(log[2].on_time, None, "not from a package");
    assert_eq!(log[2].title, "Bản tin khác");

    // A bad row: nothing of the file is logged.
    // A district importing a commune's log names the station by code.
    let other = "time,file,station\n2099-01-08 17:00,Tin khác,51123\n";
    airlog::import_csv(&mut c.db, other.as_bytes()).unwrap();
    let log = airlog::list(&c.db, "2099-01-08", "2099-01-08").unwrap();
    assert_eq!(log[0].station_name, "Xã Ba Tơ");
    let unknown = "time,file,station\n2099-01-08 17:00,Tin khác,99999\n";
    let err = airlog::import_csv(&mut c.db, unknown.as_bytes()).unwrap_err();
    assert_eq!(err.args()[2].1, "unknown-station");

    let bad = "time,file\n2099-01-07 17:00,001_x.mp3\nhôm qua,002_y.mp3\n";
    let err = airlog::import_csv(&mut c.db, bad.as_bytes()).unwrap_err();
    assert_eq!((err.code(), err.args()[1].1.as_str()), ("data-row", "3"));
    assert_eq!(
        airlog::list(&c.db, "2099-01-01", "2099-01-31")
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn emergency_goes_on_now() {
    for day in clock::test_days() {
        let _on = clock::scoped(clock::Clock::on(day));
        let (mut c, _) = received_package(&day.to_string());
        let item = package::get(
            &c.db,
            c.dir.path(),
            package::list(&c.db, Direction::Received).unwrap()[0].id,
        )
        .unwrap()
        .items[0]
            .id;
        let entry = schedule::insert_now(&mut c.db, item).unwrap();
        let this_week = schedule::this_week(&c.db).unwrap();
        let (y, w) = day.iso_week();
        assert_eq!(this_week, format!("{y}-W{w:02}"), "{day}");
        let week = schedule::week(&c.db, &this_week).unwrap();
        let now_slot = week
            .days
            .iter()
            .flat_map(|d| &d.slots)
            .find(|s| s.slot_id.is_none())
            .expect("an insertion outside the slots");
        assert_eq!(now_slot.entries[0].id, entry, "{day}");
        schedule::remove(&c.db, entry).unwrap();
        assert!(schedule::remove(&c.db, entry).is_err());
    }
}

/// The issuing side of a report, on `day`: approved scripts, chosen takes,
/// a package sent, counted over the last four days.
fn report_of_issuer_on(day: loa_core::base::calendar::Date) {
    use loa_core::broadcast::report::{self, ReportQuery};
    let _on = clock::scoped(clock::Clock::on(day));
    let mut issuer = station("Xã Ba Tơ", "51123");
    let a = approved_script(&mut issuer, "Phòng chống rét cho trâu bò", &["vie", "ktv"]);
    let out = issuer.dir.path().join("r.loa");
    build(
        &mut issuer,
        &BuildRequest::new(vec![a], out.display().to_string()),
    );
    let today = loa_core::base::clock::today(issuer.db.conn()).unwrap();
    assert_eq!(today, day);
    let q = ReportQuery {
        from: today.add_days(-3).to_string(),
        to: today.to_string(),
        station_ids: vec![],
    };
    let r = report::build(&issuer.db, &q).unwrap();
    assert_eq!(r.scripts, 1, "{day}");
    assert_eq!(r.by_program[0].key, "Bản tin sáng");
    assert_eq!(r.by_category[0].key, "other");
    assert_eq!(r.languages, ["ktv", "vie"]);
    assert_eq!(r.packages_sent, 1, "{day}");
    assert!((r.produced_minutes - 0.05).abs() < 0.011, "2 × 1.5 s");
    // Four days fall in one ISO week from Thursday on, in two from Monday
    // to Wednesday.
    let weeks = if day.weekday() < 3 { 2 } else { 1 };
    assert_eq!(
        r.timeline.len(),
        weeks,
        "a short period is counted by week, {day}"
    );

    // Another station is asked for: this PC's production is not its own.
    let other = station::create(
        &mut issuer.db,
        &StationNew {
            name: "Xã Khác".into(),
            admin_code: String::new(),
        },
    )
    .unwrap();
    let r = report::build(
        &issuer.db,
        &ReportQuery {
            station_ids: vec![other.summary.id],
            ..q.clone()
        },
    )
    .unwrap();
    assert_eq!(
        (r.scripts, r.packages_sent, r.produced_minutes),
        (0, 0, 0.0)
    );
}

#[test]
fn reports_count_production_on_every_day_of_the_week_and_year_end() {
    for day in clock::test_days() {
        report_of_issuer_on(day);
    }
}

#[test]
fn reports_count_airing() {
    use loa_core::broadcast::report::{self, ReportFormat, ReportQuery};
    // The receiving side, with what aired.
    let (mut c, pkg) = received_package("2099-01-05");
    schedule::place_package(&mut c.db, pkg, None, None).unwrap();
    let w = schedule::week(&c.db, "2099-W02").unwrap();
    for e in &w.days[0]
        .slots
        .iter()
        .find(|s| s.start == "17:00")
        .unwrap()
        .entries
    {
        airlog::mark(
            &mut c.db,
            &airlog::AirMark {
                entry_id: Some(e.id),
                seconds: Some(90.0),
                ..Default::default()
            },
        )
        .unwrap();
    }
    airlog::import_csv(
        &mut c.db,
        "time,file\n2099-03-01 06:00,001_lich-tiem-chung-thang-12-vie.mp3\n".as_bytes(),
    )
    .unwrap();
    let q = ReportQuery {
        from: "2099-01-01".into(),
        to: "2099-06-30".into(),
        station_ids: vec![c.id],
    };
    let r = report::build(&c.db, &q).unwrap();
    assert_eq!((r.broadcasts, r.on_time, r.late), (3, 2, 1));
    // 90 s + 90 s marked, 1.5 s (the item's length) from the CSV.
    assert_eq!(r.aired_minutes, 3.03, "{r:?}");
    let vie = r.minutes.iter().find(|m| m.lang == "vie").unwrap();
    assert_eq!(vie.station, "Xã Ba Vì");
    assert_eq!(r.timeline.len(), 6, "six months");
    assert_eq!(r.timeline[0].period, "2099-01");
    assert_eq!(r.timeline[0].aired, 3.0);

    let l = loa_core::base::i18n::Localizer::new("vi");
    let dir = tempfile::tempdir().unwrap();
    let x = report::export(&c.db, &q, ReportFormat::Xlsx, dir.path(), &l).unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&x).unwrap();
    use calamine::Reader;
    let names = wb.sheet_names();
    assert_eq!(names[0], "Tổng hợp");
    let summary = wb.worksheet_range("Tổng hợp").unwrap();
    assert_eq!(
        summary.get_value((0, 0)).unwrap().to_string(),
        "Báo cáo công tác truyền thanh"
    );
    let rows: Vec<String> = summary.rows().map(|r| r[0].to_string()).collect();
    assert!(rows.contains(&"Phát trễ hạn".to_string()), "{rows:?}");
    // Day first, years never grouped; minutes stay numbers for the sheet.
    let cell = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == label)
            .map(|r| r[1].clone())
            .unwrap()
    };
    assert_eq!(cell("Kỳ báo cáo").to_string(), "01/01/2099 – 30/06/2099");
    assert_eq!(cell("Phút đã phát"), calamine::Data::Float(3.0));
    let d = report::export(&c.db, &q, ReportFormat::Docx, dir.path(), &l).unwrap();
    let mut z = zip::ZipArchive::new(std::fs::File::open(d).unwrap()).unwrap();
    let mut doc = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut doc)
        .unwrap();
    assert!(doc.contains("BÁO CÁO CÔNG TÁC TRUYỀN THANH"));
    assert!(doc.contains("Xã Ba Vì"));
    assert!(doc.contains("<w:tbl>"));
    assert!(doc.contains("Tháng 1/2099"), "months as people read them");
    assert!(doc.contains("3,0"), "a decimal comma in Vietnamese");
    assert!(!doc.contains("2099-01<"), "no month ids");
}

/// Random damage to a good package: every outcome is a clean refusal (or,
/// for bytes nothing reads, such as a timestamp, a clean import), never a
/// panic and never half an import. The fuzz target goes further
/// (`scripts/fuzz-package.sh`); this keeps a fast version in every CI run.
#[test]
fn one_item_with_a_bad_name_does_not_break_the_week_export() {
    // Imported before names were checked: the database holds a path.
    let (c, pkg) = received_package("2099-01-05");
    let mut c = c;
    schedule::place_package(&mut c.db, pkg, None, None).unwrap();
    c.db.conn()
        .execute(
            "UPDATE package_items SET lang = 'x/../../../../loa-evil' WHERE package_id = ?1 AND lang = 'ktv'",
            [pkg],
        )
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let done = player_export::export(&c.db, c.dir.path(), "2099-W02", out.path(), &mut |_, _| {
        true
    })
    .unwrap();
    assert_eq!(done.files, 3, "the Vietnamese item on each of three days");
    assert_eq!(done.skipped.len(), 3, "{:?}", done.skipped);
    assert!(done.skipped[0].contains("Lịch tiêm chủng"));
    assert!(!out.path().join("loa-evil").exists());
    let mut names = Vec::new();
    for e in walk(Path::new(&done.folder)) {
        names.push(e.file_name().unwrap().to_string_lossy().into_owned());
    }
    assert!(
        names
            .iter()
            .all(|n| loa_core::base::paths::safe_component(n)),
        "{names:?}"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn an_import_onto_a_full_disk_leaves_nothing_and_can_be_done_again() {
    let test = "an_import_onto_a_full_disk_leaves_nothing_and_can_be_done_again";
    let Some(disk) = common::small_disk(test, 8 * 1024 * 1024) else {
        return;
    };
    let mut issuer = station("Xã Ba Tơ", "51123");
    let a = approved_script(&mut issuer, "Phòng chống bão số 9", &["vie", "ktv"]);
    let out = issuer.dir.path().join("bao.loa");
    build(
        &mut issuer,
        &BuildRequest::new(vec![a], out.display().to_string()),
    );
    let mut commune = station_in(disk.path(), "Xã Ba Vì", "51124");
    trust(&mut commune, &issuer);
    let filler = disk.fill_leaving(8 * 1024);
    let err = import(&mut commune, &out).unwrap_err();
    assert_eq!(err.code(), "disk-full", "{err}");
    assert_untouched(&commune);
    // Space freed, the same package imports: the failed attempt left no
    // record that it was imported.
    std::fs::remove_file(filler).unwrap();
    let d = import(&mut commune, &out).unwrap();
    assert_eq!(d.items.len(), 2);
}
