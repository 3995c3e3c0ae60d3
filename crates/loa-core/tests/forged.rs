//! Damaged and forged packages: every way a package can be broken or
//! crafted, each refused with its reason and leaving the receiving station
//! exactly as it was.

use loa_core::broadcast::key::StationKey;
use loa_core::broadcast::package::{self, BuildRequest, Direction};
use std::path::PathBuf;

mod stations;
use stations::*;

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
