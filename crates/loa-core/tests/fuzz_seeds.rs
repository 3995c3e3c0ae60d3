//! Seeds for the fuzz targets (`make fuzz`), made by the code the tests
//! exercise: real files of each kind a reader takes. Each seed is first
//! read back by its reader here, so a seed the reader refuses (and which
//! would start the fuzzer from nothing) fails this test.
//! `LOA_FUZZ_SEEDS=DIR` writes them under DIR/<target>/.

use loa_core::record::audio::render::{render, wav, RenderFormat, RenderOptions};
use loa_core::record::audio::Pcm;
use loa_core::translate::glossary::exchange::{self, Format};
use loa_core::{broadcast::airlog, translate::glossary, translate::memory, translate::tmx, Db};
use std::path::PathBuf;

fn sample_glossary() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let csv = "vie,mtq,domain\nbảo hiểm y tế,bảo hiểm y tế (thử),y tế\n\"tiêm chủng, phòng bệnh\",chích (thử),y tế\n";
    let opts = exchange::ImportOptions {
        format: Format::Csv,
        mapping: None,
        on_conflict: exchange::OnConflict::Merge,
    };
    exchange::import(&mut db, csv.as_bytes(), &opts, "Lan", true).unwrap();
    db
}

fn tone(seconds: f32) -> Pcm {
    Pcm {
        rate: 22_050,
        channels: 1,
        samples: (0..(seconds * 22_050.0) as usize)
            .map(|i| (i as f32 * 0.07).sin() * 0.3)
            .collect(),
    }
}

#[test]
fn every_reader_accepts_its_seeds() {
    let db = sample_glossary();
    assert!(glossary::count(&db).unwrap() >= 2);
    let mut seeds: Vec<(&str, &str, Vec<u8>)> = Vec::new();
    for format in [Format::Csv, Format::Xlsx, Format::Tbx] {
        let target = match format {
            Format::Csv => "glossary_csv",
            Format::Xlsx => "glossary_xlsx",
            Format::Tbx => "tbx",
        };
        seeds.push((
            target,
            format.extension(),
            exchange::export(&db, format).unwrap(),
        ));
    }
    seeds.push((
        "glossary_csv",
        "tsv",
        "Tiếng Việt\tTiếng Mường\tTrạng thái Mường\ntrạm y tế\ttrạm (thử)\tưu tiên\n"
            .as_bytes()
            .to_vec(),
    ));
    let mut tm_db = Db::open_in_memory().unwrap();
    memory::add(
        tm_db.conn(),
        "vie",
        "mtq",
        "Xin chào bà con.",
        "Chào (thử).",
        "Lan",
        None,
    )
    .unwrap();
    seeds.push((
        "tmx",
        "tmx",
        tmx::export(&tm_db, "vie", "mtq").unwrap().into_bytes(),
    ));
    seeds.push((
        "airlog_csv",
        "csv",
        "thời gian;tệp;giây\n2026-12-31 06:00;001_tiem-chung-vie.mp3;90\n"
            .as_bytes()
            .to_vec(),
    ));
    seeds.push(("audio_decode", "wav", wav(&tone(0.5)).unwrap()));
    let mp3 = render(
        &tone(1.0),
        &RenderOptions {
            format: RenderFormat::Mp3,
            ..Default::default()
        },
    )
    .unwrap()
    .0;
    seeds.push(("audio_decode", "mp3", mp3));

    // Each reader takes its seeds.
    for (target, ext, bytes) in &seeds {
        let ok = match *target {
            "glossary_csv" => exchange::read_csv(bytes).is_ok(),
            "glossary_xlsx" => exchange::read_xlsx(bytes).is_ok(),
            "tbx" => {
                let opts = exchange::ImportOptions {
                    format: Format::Tbx,
                    mapping: None,
                    on_conflict: exchange::OnConflict::Merge,
                };
                let mut fresh = Db::open_in_memory().unwrap();
                exchange::import(&mut fresh, bytes, &opts, "Lan", false).is_ok()
            }
            "tmx" => tmx::import(&mut tm_db, std::str::from_utf8(bytes).unwrap()).is_ok(),
            "airlog_csv" => {
                // Aired items not in the library are kept by their title.
                let mut fresh = Db::open_in_memory().unwrap();
                airlog::import_csv(&mut fresh, bytes).is_ok()
            }
            "audio_decode" => {
                loa_core::record::audio::decode_bytes(&format!("seed.{ext}"), bytes.clone()).is_ok()
            }
            other => panic!("no reader for {other}"),
        };
        assert!(ok, "{target} refuses its own seed .{ext}");
    }

    let root = std::env::var_os("LOA_FUZZ_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("loa-seeds-{}", std::process::id())));
    for (n, (target, ext, bytes)) in seeds.iter().enumerate() {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        let mut data = bytes.clone();
        // The audio target reads its file name's extension from the first
        // byte (fuzz/fuzz_targets/audio_decode.rs).
        if *target == "audio_decode" {
            let hint = ["wav", "mp3"].iter().position(|e| e == ext).unwrap() as u8;
            data.insert(0, hint);
        }
        std::fs::write(dir.join(format!("seed-{n}.{ext}")), data).unwrap();
    }
    if std::env::var_os("LOA_FUZZ_SEEDS").is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
}
