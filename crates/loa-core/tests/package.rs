//! Broadcast packages between two stations' data folders: the round trip,
//! and every way a package can be damaged or forged, each refused with its
//! reason and leaving the receiving station exactly as it was.

use loa_core::broadcast::key::{self, StationKey};
use loa_core::broadcast::package::{self, BuildRequest, Direction};
use loa_core::broadcast::station::{self, StationNew};
use loa_core::draft::script::{self, ScriptInput, Status};
use loa_core::record::audio::{render::wav, Pcm};
use loa_core::{base::clock, base::settings, record::recording, Db};
use std::io::Read;
use std::path::{Path, PathBuf};

struct Station {
    dir: tempfile::TempDir,
    db: Db,
    id: i64,
}

mod common;

fn station(name: &str, code: &str) -> Station {
    station_in(&std::env::temp_dir(), name, code)
}

/// A station whose data folder is made inside `parent`.
fn station_in(parent: &Path, name: &str, code: &str) -> Station {
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

fn tone(seconds: f32) -> Vec<u8> {
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
fn approved_script(s: &mut Station, title: &str, langs: &[&str]) -> i64 {
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

fn build(s: &mut Station, req: &BuildRequest) -> Vec<package::Built> {
    package::build(&mut s.db, s.dir.path(), req, &mut |_, _| true).unwrap()
}

fn import(s: &mut Station, path: &Path) -> loa_core::Result<package::PackageDetail> {
    package::import(&mut s.db, s.dir.path(), path, None, &mut |_, _| true)
}

fn trust(receiver: &mut Station, issuer: &Station) {
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
fn assert_untouched(s: &Station) {
    assert!(package::list(&s.db, Direction::Received)
        .unwrap()
        .is_empty());
    let dir = s.dir.path().join("packages");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

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

// ---------------------------------------------------------------------------
// Crafted packages. `Entry` lists are written by a minimal ZIP writer of our
// own, since a correct writer refuses to make the archives we need.

#[derive(Clone)]
struct Entry {
    name: String,
    data: Vec<u8>,
    symlink: bool,
    /// Uncompressed size to declare instead of the real one (ZIP64).
    declared: Option<u64>,
}

fn entry(name: &str, data: &[u8]) -> Entry {
    Entry {
        name: name.into(),
        data: data.to_vec(),
        symlink: false,
        declared: None,
    }
}

fn entries_of(path: &Path) -> Vec<Entry> {
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

fn raw_zip(entries: &[Entry]) -> Vec<u8> {
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

struct Forge {
    issuer: Station,
    commune: Station,
    good: Vec<Entry>,
    good_path: PathBuf,
}

fn forge() -> Forge {
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
    fn assert_nothing_beside_the_folder(&self, name: &str) {
        let beside = self.commune.dir.path().parent().unwrap().join(name);
        assert!(!beside.exists(), "{}", beside.display());
    }

    fn refused(&mut self, bytes: &[u8], code: &str) -> String {
        let path = self.issuer.dir.path().join("forged.loa");
        std::fs::write(&path, bytes).unwrap();
        let err = import(&mut self.commune, &path).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert_untouched(&self.commune);
        err.args().first().map(|a| a.1.clone()).unwrap_or_default()
    }

    fn manifest(&self) -> serde_json::Value {
        let m = self
            .good
            .iter()
            .find(|e| e.name == "manifest.json")
            .unwrap();
        serde_json::from_slice(&m.data).unwrap()
    }

    /// The good entries with the manifest replaced and signed by `key`.
    fn resigned(&self, manifest: &serde_json::Value, key: &StationKey) -> Vec<Entry> {
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

    fn audio_name(&self) -> String {
        self.good
            .iter()
            .find(|e| e.name.ends_with("audio.mp3"))
            .unwrap()
            .name
            .clone()
    }
}

#[test]
fn the_good_package_imports_through_our_own_writer_too() {
    let mut f = forge();
    // Sanity for the forger: re-packing the good entries changes nothing.
    let bytes = raw_zip(&f.good);
    let path = f.issuer.dir.path().join("repacked.loa");
    std::fs::write(&path, bytes).unwrap();
    assert!(import(&mut f.commune, &path).is_ok());
}

#[test]
fn flipped_byte_in_the_mp3() {
    let mut f = forge();
    // In the archive as built (the audio is stored, so its bytes are there).
    let mut bytes = std::fs::read(&f.good_path).unwrap();
    let z = zip::ZipArchive::new(std::fs::File::open(&f.good_path).unwrap()).unwrap();
    let start = {
        let mut z = z;
        let name = f.audio_name();
        let e = z.by_name(&name).unwrap();
        e.data_start().unwrap() as usize
    };
    bytes[start + 500] ^= 0x01;
    let detail = f.refused(&bytes, "package-tampered");
    assert!(detail.ends_with("audio.mp3"), "{detail}");

    // And with the ZIP's own checksum fixed up, only our hash notices.
    let name = f.audio_name();
    let mut entries = f.good.clone();
    let audio = entries.iter_mut().find(|e| e.name == name).unwrap();
    audio.data[500] ^= 0x01;
    f.refused(&raw_zip(&entries), "package-tampered");
}

#[test]
fn edited_manifest() {
    let mut f = forge();
    let mut m = f.manifest();
    m["validUntil"] = "2099-12-31".into();
    let text = serde_json::to_vec_pretty(&m).unwrap();
    let entries: Vec<Entry> = f
        .good
        .iter()
        .map(|e| {
            if e.name == "manifest.json" {
                entry(&e.name, &text)
            } else {
                e.clone()
            }
        })
        .collect();
    f.refused(&raw_zip(&entries), "package-signature");
}

#[test]
fn resigned_by_an_untrusted_key() {
    let mut f = forge();
    let mallory = StationKey::generate().unwrap();
    let mut m = f.manifest();
    m["title"] = "Lệnh sơ tán khẩn cấp".into();
    m["priority"] = "emergency".into();
    m["issuer"]["keyId"] = mallory.key_id().into();
    m["issuer"]["publicKey"] = mallory.public_hex().into();
    let detail = f.refused(&raw_zip(&f.resigned(&m, &mallory)), "package-untrusted");
    assert_eq!(detail, mallory.key_id());
    // Looked at before trusting, it warns that Ba Tơ has another key.
    let forged = f.issuer.dir.path().join("forged.loa");
    let seen = package::inspect(&f.commune.db, f.commune.dir.path(), &forged, &mut |_, _| {
        true
    })
    .unwrap();
    let genuine = StationKey::load(f.issuer.dir.path())
        .unwrap()
        .unwrap()
        .key_id();
    assert_eq!(seen.other_trusted_key, Some(genuine));

    // Claiming the trusted key id with another key does not pass either.
    let mut m = f.manifest();
    m["issuer"]["publicKey"] = mallory.public_hex().into();
    f.refused(&raw_zip(&f.resigned(&m, &mallory)), "package-signature");
}

#[test]
fn expired() {
    let mut f = forge();
    let a = approved_script(&mut f.issuer, "Tin cũ", &["vie"]);
    let out = f.issuer.dir.path().join("old.loa");
    let mut req = BuildRequest::new(vec![a], out.display().to_string());
    req.valid_from = Some("2020-01-01".into());
    req.valid_days = 7;
    build(&mut f.issuer, &req);
    let detail = f.refused(&std::fs::read(&out).unwrap(), "package-expired");
    assert_eq!(detail, "2020-01-07");
}

#[test]
fn zip_slip_and_absolute_names() {
    let mut f = forge();
    for name in [
        "../evil.mp3",
        "items/../../evil.mp3",
        "/tmp/evil.mp3",
        "C:/evil.mp3",
        "items\\..\\evil",
    ] {
        let mut entries = f.good.clone();
        entries.push(entry(name, b"boom"));
        let detail = f.refused(&raw_zip(&entries), "package-unsafe-path");
        assert_eq!(detail, name);
    }
    f.assert_nothing_beside_the_folder("evil.mp3");
}

#[test]
fn symlink_entry() {
    let mut f = forge();
    let mut entries = f.good.clone();
    let name = f.audio_name();
    let audio = entries.iter_mut().find(|e| e.name == name).unwrap();
    audio.symlink = true;
    audio.data = b"/etc/passwd".to_vec();
    f.refused(&raw_zip(&entries), "package-symlink");
}

#[test]
fn ten_gigabytes_declared() {
    let mut f = forge();
    let mut entries = f.good.clone();
    let name = f.audio_name();
    entries
        .iter_mut()
        .find(|e| e.name == name)
        .unwrap()
        .declared = Some(10 << 30);
    f.refused(&raw_zip(&entries), "package-too-large");

    // The same claim in a signed manifest is refused before any reading.
    let mut m = f.manifest();
    m["items"][0]["files"][0]["size"] = (10u64 << 30).into();
    let key = StationKey::load(f.issuer.dir.path()).unwrap().unwrap();
    f.refused(&raw_zip(&f.resigned(&m, &key)), "package-too-large");
}

#[test]
fn duplicate_entry() {
    let mut f = forge();
    let mut entries = f.good.clone();
    let name = f.audio_name();
    entries.push(entry(&name, b"second copy"));
    let detail = f.refused(&raw_zip(&entries), "package-duplicate");
    assert_eq!(detail, name);
}

#[test]
fn truncated_zip() {
    let mut f = forge();
    let bytes = std::fs::read(&f.good_path).unwrap();
    f.refused(&bytes[..bytes.len() / 2], "package-damaged");
    f.refused(b"", "package-damaged");
    f.refused(b"ID3\x03not a zip at all", "package-damaged");
}

#[test]
fn unlisted_missing_and_unknown_format() {
    let mut f = forge();
    let mut entries = f.good.clone();
    entries.push(entry("items/001-vie/extra.exe", b"MZ"));
    assert_eq!(
        f.refused(&raw_zip(&entries), "package-unlisted"),
        "items/001-vie/extra.exe"
    );

    let name = f.audio_name();
    let entries: Vec<Entry> = f.good.iter().filter(|e| e.name != name).cloned().collect();
    assert_eq!(f.refused(&raw_zip(&entries), "package-missing-file"), name);

    let entries: Vec<Entry> = f
        .good
        .iter()
        .filter(|e| e.name != "manifest.sig")
        .cloned()
        .collect();
    f.refused(&raw_zip(&entries), "package-signature");

    let mut m = f.manifest();
    m["format"] = 2.into();
    let key = StationKey::load(f.issuer.dir.path()).unwrap().unwrap();
    assert_eq!(
        f.refused(&raw_zip(&f.resigned(&m, &key)), "package-format"),
        "2"
    );
}

#[test]
fn own_packages_are_trusted_at_home() {
    let mut issuer = station("Xã Ba Tơ", "51123");
    let a = approved_script(&mut issuer, "Tự kiểm tra", &["vie"]);
    let out = issuer.dir.path().join("self.loa");
    build(
        &mut issuer,
        &BuildRequest::new(vec![a], out.display().to_string()),
    );
    let seen = package::inspect(&issuer.db, issuer.dir.path(), &out, &mut |_, _| true).unwrap();
    assert!(seen.trusted);
    assert!(!seen.already_imported, "sent is not received");
    // A station that also airs what it issues imports its own package.
    import(&mut issuer, &out).unwrap();
    assert_eq!(package::list(&issuer.db, Direction::Sent).unwrap().len(), 1);
    assert_eq!(
        package::list(&issuer.db, Direction::Received)
            .unwrap()
            .len(),
        1
    );
    assert!(import(&mut issuer, &out).is_err());
}

// ---------------------------------------------------------------------------
// After import: the week's schedule, the player folder, the air log.

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
}

/// Random damage to a good package: every outcome is a clean refusal (or,
/// for bytes nothing reads, such as a timestamp, a clean import), never a
/// panic and never half an import. The fuzz target goes further
/// (`scripts/fuzz-package.sh`); this keeps a fast version in every CI run.
#[test]
fn random_damage_is_refused_cleanly() {
    let mut f = forge();
    let good = std::fs::read(&f.good_path).unwrap();
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let path = f.issuer.dir.path().join("damaged.loa");
    let mut refused = 0;
    for round in 0..150 {
        let mut bytes = good.clone();
        match round % 3 {
            0 => {
                for _ in 0..1 + next() % 4 {
                    let i = next() % bytes.len();
                    bytes[i] ^= 1 << (next() % 8);
                }
            }
            1 => bytes.truncate(next() % bytes.len()),
            _ => {
                let i = next() % bytes.len();
                let junk: Vec<u8> = (0..1 + next() % 64).map(|_| next() as u8).collect();
                bytes.splice(i..i, junk);
            }
        }
        std::fs::write(&path, &bytes).unwrap();
        let before = package::list(&f.commune.db, Direction::Received)
            .unwrap()
            .len();
        match import(&mut f.commune, &path) {
            Ok(d) => {
                package::delete(&f.commune.db, f.commune.dir.path(), d.summary.id).unwrap();
            }
            Err(e) => {
                refused += 1;
                assert!(
                    e.code().starts_with("package-") || e.code() == "invalid",
                    "round {round}: {e}"
                );
                assert_eq!(
                    package::list(&f.commune.db, Direction::Received)
                        .unwrap()
                        .len(),
                    before
                );
            }
        }
    }
    assert!(refused > 100, "most damage must be noticed: {refused}");
    assert_untouched(&f.commune);
}

/// Seeds for the fuzzer: the good package and forged ones. Written to
/// `LOA_FUZZ_SEEDS` when set (by `scripts/fuzz-package.sh`).
#[test]
fn write_fuzz_seeds() {
    let f = forge();
    let mut seeds: Vec<(String, Vec<u8>)> =
        vec![("good.loa".into(), std::fs::read(&f.good_path).unwrap())];
    let mut slip = f.good.clone();
    slip.push(entry("../evil", b"x"));
    seeds.push(("slip.loa".into(), raw_zip(&slip)));
    let mut dup = f.good.clone();
    dup.push(f.good[0].clone());
    seeds.push(("dup.loa".into(), raw_zip(&dup)));
    seeds.push(("repacked.loa".into(), raw_zip(&f.good)));
    let dir = std::env::var_os("LOA_FUZZ_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| f.issuer.dir.path().join("seeds"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in &seeds {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    assert!(std::fs::read_dir(&dir).unwrap().count() >= seeds.len());
}

// ---------------------------------------------------------------------------
// A trusted issuer gone bad: a stolen or misused key signs hostile content.

impl Forge {
    fn genuine_key(&self) -> StationKey {
        StationKey::load(self.issuer.dir.path()).unwrap().unwrap()
    }

    /// Writes `entries` as a package file and returns its path.
    fn write(&self, name: &str, entries: &[Entry]) -> PathBuf {
        let path = self.issuer.dir.path().join(name);
        std::fs::write(&path, raw_zip(entries)).unwrap();
        path
    }
}

#[test]
fn item_languages_that_are_paths_or_devices_are_refused_even_when_signed() {
    let mut f = forge();
    let key = f.genuine_key();
    // (Lower-case `con` is a code like any other: Cofán. Only the shape
    // counts, and the player's file names go through the name check.)
    for lang in [
        "x/../../../../../../loa-evil",
        "CON",
        "NUL",
        "Vie",
        "vi",
        "",
        "vie/",
    ] {
        let mut m = f.manifest();
        m["items"][0]["lang"] = lang.into();
        let detail = f.refused(&raw_zip(&f.resigned(&m, &key)), "package-bad-manifest");
        assert_eq!(detail, "lang", "{lang:?}");
    }
    f.assert_nothing_beside_the_folder("loa-evil");
}

#[test]
fn a_validity_of_years_is_refused_even_when_signed() {
    let mut f = forge();
    let mut m = f.manifest();
    m["validUntil"] = "2099-12-31".into();
    let detail = f.refused(
        &raw_zip(&f.resigned(&m, &f.genuine_key())),
        "package-valid-too-long",
    );
    assert!(detail.ends_with("2099-12-31"), "{detail}");
    // A year is still fine.
    let mut m = f.manifest();
    let from = loa_core::base::calendar::Date::parse(m["validFrom"].as_str().unwrap()).unwrap();
    m["validUntil"] = from.add_days(365).to_string().into();
    let path = f.write("year.loa", &f.resigned(&m, &f.genuine_key()));
    import(&mut f.commune, &path).unwrap();
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
