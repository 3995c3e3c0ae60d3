//! Stations in their own data folders for the package tests: each with its
//! key, an approved script with a take, and helpers to build and import.

#![allow(dead_code)] // each test file uses some of these

use loa_core::broadcast::key::{self, StationKey};
use loa_core::broadcast::package::{self, BuildRequest, Direction};
use loa_core::broadcast::station::{self, StationNew};
use loa_core::draft::script::{self, ScriptInput, Status};
use loa_core::record::audio::{render::wav, Pcm};
use loa_core::{base::settings, record::recording, Db};
use std::io::Read;
use std::path::{Path, PathBuf};

pub struct Station {
    pub dir: tempfile::TempDir,
    pub db: Db,
    pub id: i64,
}

pub fn station(name: &str, code: &str) -> Station {
    station_in(&std::env::temp_dir(), name, code)
}

/// A station whose data folder is made inside `parent`.
pub fn station_in(parent: &Path, name: &str, code: &str) -> Station {
    let dir = tempfile::tempdir_in(parent).unwrap();
    let mut db = Db::open_dir(dir.path()).unwrap();
    let s = station::create(
        &mut db,
        &StationNew {
            name: name.into(),
            admin_code: code.into(),
        },
    )
    .unwrap();
    let patch: settings::SettingsPatch =
        serde_json::from_value(serde_json::json!({ "stationId": s.summary.id })).unwrap();
    settings::update(&mut db, &patch).unwrap();
    Station {
        dir,
        db,
        id: s.summary.id,
    }
}

pub fn tone(seconds: f32) -> Vec<u8> {
    let rate = 16_000;
    let samples = (0..(seconds * rate as f32) as usize)
        .map(|i| 0.25 * (i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin())
        .collect();
    wav(&Pcm {
        rate,
        channels: 1,
        samples,
    })
    .unwrap()
}

/// An approved script with a chosen take in each language.
pub fn approved_script(s: &mut Station, title: &str, langs: &[&str]) -> i64 {
    let d = script::create(
        &mut s.db,
        &ScriptInput {
            title: title.into(),
            body: "Thông báo lịch tiêm chủng cho trẻ em dưới 5 tuổi.".into(),
            program: "Bản tin sáng".into(),
            target_langs: langs.iter().map(|l| l.to_string()).collect(),
            ..Default::default()
        },
        "Lan",
    )
    .unwrap();
    let id = d.summary.id;
    script::set_status(&mut s.db, id, Status::Review, "Lan", "").unwrap();
    script::set_status(&mut s.db, id, Status::Approved, "Anh Tuấn", "").unwrap();
    for lang in langs {
        let t = recording::import(
            &s.db,
            s.dir.path(),
            &recording::TakeImport {
                script_id: id,
                lang: lang.to_string(),
                file_name: "doc.wav".into(),
                bytes: tone(1.5),
            },
            "Lan",
        )
        .unwrap();
        recording::choose(&mut s.db, t.id).unwrap();
    }
    id
}

pub fn build(s: &mut Station, req: &BuildRequest) -> Vec<package::Built> {
    package::build(&mut s.db, s.dir.path(), req, &mut |_, _| true).unwrap()
}

pub fn import(s: &mut Station, path: &Path) -> loa_core::Result<package::PackageDetail> {
    package::import(&mut s.db, s.dir.path(), path, None, &mut |_, _| true)
}

pub fn trust(receiver: &mut Station, issuer: &Station) {
    let k = StationKey::load(issuer.dir.path()).unwrap().unwrap();
    let text = key::export_text(&k.info("Xã Ba Tơ", "51123"));
    let info = key::parse_text(&text).unwrap();
    let id = station::create(
        &mut receiver.db,
        &StationNew {
            name: "Xã Ba Tơ".into(),
            admin_code: "51123".into(),
        },
    )
    .unwrap()
    .summary
    .id;
    station::trust(&mut receiver.db, id, &info, None).unwrap();
}

/// Nothing of a refused package may remain: no record, no files.
pub fn assert_untouched(s: &Station) {
    assert!(package::list(&s.db, Direction::Received)
        .unwrap()
        .is_empty());
    let dir = s.dir.path().join("packages");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// ---------------------------------------------------------------------------
// Crafted packages. `Entry` lists are written by a minimal ZIP writer of our
// own, since a correct writer refuses to make the archives we need.

#[derive(Clone)]
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    pub symlink: bool,
    /// Uncompressed size to declare instead of the real one (ZIP64).
    pub declared: Option<u64>,
}

pub fn entry(name: &str, data: &[u8]) -> Entry {
    Entry {
        name: name.into(),
        data: data.to_vec(),
        symlink: false,
        declared: None,
    }
}

pub fn entries_of(path: &Path) -> Vec<Entry> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            entry(&f.name().unwrap(), &data)
        })
        .collect()
}

pub fn raw_zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for e in entries {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(&e.data);
        let size = e.data.len() as u32;
        // Local header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, 0x0800);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u16le(&mut out, 0x21);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);
        // Central directory record.
        let mut extra = Vec::new();
        if let Some(d) = e.declared {
            u16le(&mut extra, 0x0001);
            u16le(&mut extra, 8);
            extra.extend_from_slice(&d.to_le_bytes());
        }
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, (3 << 8) | 45);
        u16le(&mut central, if e.declared.is_some() { 45 } else { 20 });
        u16le(&mut central, 0x0800);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0x21);
        u32le(&mut central, crc);
        u32le(&mut central, size);
        u32le(
            &mut central,
            if e.declared.is_some() { u32::MAX } else { size },
        );
        u16le(&mut central, e.name.len() as u16);
        u16le(&mut central, extra.len() as u16);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        let mode: u32 = if e.symlink { 0o120_777 } else { 0o100_644 };
        u32le(&mut central, mode << 16);
        u32le(&mut central, offset);
        central.extend_from_slice(e.name.as_bytes());
        central.extend_from_slice(&extra);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len() as u16);
    u16le(&mut out, entries.len() as u16);
    u32le(&mut out, central.len() as u32);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

pub struct Forge {
    pub issuer: Station,
    pub commune: Station,
    pub good: Vec<Entry>,
    pub good_path: PathBuf,
}

pub fn forge() -> Forge {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let mut commune = station("Xã Ba Vì", "51124");
    let a = approved_script(&mut issuer, "Cảnh báo lũ quét", &["vie"]);
    let out = issuer.dir.path().join("good.loa");
    build(
        &mut issuer,
        &BuildRequest::new(vec![a], out.display().to_string()),
    );
    trust(&mut commune, &issuer);
    let good = entries_of(&out);
    Forge {
        issuer,
        commune,
        good,
        good_path: out,
    }
}

impl Forge {
    /// Nothing named `name` was written next to the receiving data folder.
    pub fn assert_nothing_beside_the_folder(&self, name: &str) {
        let beside = self.commune.dir.path().parent().unwrap().join(name);
        assert!(!beside.exists(), "{}", beside.display());
    }

    pub fn refused(&mut self, bytes: &[u8], code: &str) -> String {
        let path = self.issuer.dir.path().join("forged.loa");
        std::fs::write(&path, bytes).unwrap();
        let err = import(&mut self.commune, &path).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert_untouched(&self.commune);
        err.args().first().map(|a| a.1.clone()).unwrap_or_default()
    }

    pub fn manifest(&self) -> serde_json::Value {
        let m = self
            .good
            .iter()
            .find(|e| e.name == "manifest.json")
            .unwrap();
        serde_json::from_slice(&m.data).unwrap()
    }

    /// The good entries with the manifest replaced and signed by `key`.
    pub fn resigned(&self, manifest: &serde_json::Value, key: &StationKey) -> Vec<Entry> {
        let text = serde_json::to_vec_pretty(manifest).unwrap();
        let sig = key.sign(&text);
        self.good
            .iter()
            .map(|e| match e.name.as_str() {
                "manifest.json" => entry(&e.name, &text),
                "manifest.sig" => entry(&e.name, &sig),
                _ => e.clone(),
            })
            .collect()
    }

    pub fn audio_name(&self) -> String {
        self.good
            .iter()
            .find(|e| e.name.ends_with("audio.mp3"))
            .unwrap()
            .name
            .clone()
    }
}

impl Forge {
    pub fn genuine_key(&self) -> StationKey {
        StationKey::load(self.issuer.dir.path()).unwrap().unwrap()
    }

    /// Writes `entries` as a package file and returns its path.
    pub fn write(&self, name: &str, entries: &[Entry]) -> PathBuf {
        let path = self.issuer.dir.path().join(name);
        std::fs::write(&path, raw_zip(entries)).unwrap();
        path
    }
}
