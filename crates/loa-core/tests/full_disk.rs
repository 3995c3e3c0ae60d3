//! A full disk never costs what was already on it: a file written over is
//! either the old or the new one with no `.part` left, and a take being
//! recorded when the disk fills ends with what was written, and says so.

mod common;

use loa_core::base::files::write_atomically;
use loa_core::record::audio::decode::decode_file;
use loa_core::record::audio::take::{write_from, TakeWriter};

#[test]
fn writing_a_file_on_a_full_disk_keeps_the_old_one_and_no_part() {
    let Some(disk) = common::small_disk(
        "writing_a_file_on_a_full_disk_keeps_the_old_one_and_no_part",
        512 * 1024,
    ) else {
        return;
    };
    let path = disk.path().join("lich-phat.ics");
    write_atomically(&path, b"BEGIN:VCALENDAR v1").unwrap();
    disk.fill_leaving(16 * 1024);
    let err = write_atomically(&path, &vec![b'x'; 200 * 1024]).unwrap_err();
    assert_eq!(err.code(), "disk-full", "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"BEGIN:VCALENDAR v1");
    let names: Vec<String> = std::fs::read_dir(disk.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".part")), "{names:?}");
}

#[test]
fn a_take_recorded_onto_a_full_disk_ends_with_what_was_written() {
    let Some(disk) = common::small_disk(
        "a_take_recorded_onto_a_full_disk_ends_with_what_was_written",
        1024 * 1024,
    ) else {
        return;
    };
    let target = disk.path().join("s1-vie-1-1.wav");
    let w = TakeWriter::create(&target, 16_000, 1).unwrap();
    // Room for about two seconds of 16 kHz mono.
    disk.fill_leaving(70 * 1024);
    let (tx, rx) = std::sync::mpsc::channel::<Vec<f32>>();
    let writer = std::thread::spawn(move || {
        let mut errors = Vec::new();
        let mut written = 0usize;
        let w = write_from(w, rx, |n| written += n, |e| errors.push(e.to_string()));
        (w, errors, written)
    });
    let second: Vec<f32> = (0..16_000).map(|i| (i as f32 * 0.06).sin() * 0.4).collect();
    for _ in 0..10 {
        tx.send(second.clone()).unwrap();
    }
    drop(tx);
    let (w, errors, written) = writer.join().unwrap();
    assert_eq!(errors.len(), 1, "told once: {errors:?}");
    assert!(errors[0].contains("No space"), "{}", errors[0]);
    let done = w.finish().unwrap();
    let back = decode_file(&done, &mut |_| true).unwrap();
    assert_eq!(back.samples.len(), written, "exactly what was written");
    assert!((1.0..3.0).contains(&back.seconds()), "{} s", back.seconds());
    assert!(!disk.path().join("s1-vie-1-1.recording.wav").exists());
}
