use super::*;

struct Fixture {
    dir: tempfile::TempDir,
    key: StationKey,
    installer: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let installer = dir.path().join("loa-studio-0.2.0-x64-setup.exe");
    // Not a real installer: bytes whose hash the update must carry.
    std::fs::write(&installer, b"MZ demo installer bytes ".repeat(5000)).unwrap();
    Fixture {
        key: StationKey::generate().unwrap(),
        installer,
        dir,
    }
}

impl Fixture {
    fn expect(&self, version: &str) -> Expect {
        Expect {
            version: version.into(),
            platform: "windows-x86_64".into(),
            keys: vec![self.key.public_bytes()],
        }
    }

    fn pack(&self, version: &str, platform: &str) -> PathBuf {
        let out = self
            .dir
            .path()
            .join(format!("{version}-{platform}.loaupdate"));
        pack(
            &self.key,
            version,
            platform,
            "Sửa lỗi xuất MP3",
            "2026-12-03",
            &self.installer,
            &out,
        )
        .unwrap();
        out
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

fn problem(e: CoreError) -> UpdateProblem {
    match e {
        CoreError::Update { problem, .. } => problem,
        other => panic!("expected an update refusal, got {other:?}"),
    }
}

/// Changes an entry's bytes, or drops it (`None`).
type Edit = dyn Fn(&str, Vec<u8>) -> Option<Vec<u8>>;

/// Rewrites a `.loaupdate` entry by entry, letting `edit` change any.
fn rewrite(src: &Path, out: &Path, edit: &Edit) {
    let mut archive = ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zip = ZipWriter::new(std::fs::File::create(out).unwrap());
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = edit(&name, bytes) {
            zip.start_file(name, SimpleFileOptions::default()).unwrap();
            zip.write_all(&bytes).unwrap();
        }
    }
    zip.finish().unwrap();
}

#[test]
fn a_newer_signed_update_is_staged_with_its_installer_intact() {
    let f = fixture();
    let file = f.pack("0.2.0", "windows-x86_64");
    let mut calls = 0;
    let info = inspect(&file, &f.expect("0.1.0"), &mut |_, _| {
        calls += 1;
        true
    })
    .unwrap();
    assert!(calls > 0);
    assert_eq!(info.manifest.version, "0.2.0");
    assert_eq!(info.manifest.notes, "Sửa lỗi xuất MP3");
    assert_eq!(info.current, "0.1.0");
    assert_eq!(info.key_id, f.key.key_id());
    assert!(!updates_dir(&f.data()).exists(), "inspect writes nothing");

    let staged = stage(&file, &f.data(), &f.expect("0.1.0"), &mut |_, _| true).unwrap();
    assert_eq!(
        std::fs::read(&staged.installer).unwrap(),
        std::fs::read(&f.installer).unwrap()
    );
    assert!(staged.installer.ends_with("loa-studio-0.2.0-x64-setup.exe"));
}

#[test]
fn the_same_or_an_older_version_is_refused() {
    let f = fixture();
    let file = f.pack("0.2.0", "windows-x86_64");
    for current in ["0.2.0", "0.10.0", "1.0.0"] {
        let e = stage(&file, &f.data(), &f.expect(current), &mut |_, _| true).unwrap_err();
        assert_eq!(problem(e), UpdateProblem::NotNewer, "{current}");
    }
    assert!(!updates_dir(&f.data()).exists());
}

#[test]
fn another_platform_is_refused() {
    let f = fixture();
    let file = f.pack("0.2.0", "linux-x86_64");
    let e = inspect(&file, &f.expect("0.1.0"), &mut |_, _| true).unwrap_err();
    assert_eq!(problem(e), UpdateProblem::Platform);
}

#[test]
fn a_key_other_than_the_release_key_is_refused() {
    let f = fixture();
    let file = f.pack("0.2.0", "windows-x86_64");
    let mut other = f.expect("0.1.0");
    other.keys = vec![StationKey::generate().unwrap().public_bytes()];
    let e = stage(&file, &f.data(), &other, &mut |_, _| true).unwrap_err();
    assert_eq!(problem(e), UpdateProblem::Signature);
    assert!(!updates_dir(&f.data()).exists());
}

#[test]
fn an_edited_manifest_a_missing_signature_or_a_changed_installer_is_refused() {
    let f = fixture();
    let file = f.pack("0.2.0", "windows-x86_64");
    let cases: [(&str, &Edit, UpdateProblem); 4] = [
        (
            "manifest edited to claim a newer version",
            &|n, b| {
                Some(if n == MANIFEST {
                    String::from_utf8(b)
                        .unwrap()
                        .replace("0.2.0", "0.3.0")
                        .into_bytes()
                } else {
                    b
                })
            },
            UpdateProblem::Signature,
        ),
        (
            "signature removed",
            &|n, b| (n != SIGNATURE).then_some(b),
            UpdateProblem::NoSignature,
        ),
        (
            "installer swapped",
            &|n, mut b| {
                if n.ends_with(".exe") {
                    b[100] ^= 1;
                }
                Some(b)
            },
            UpdateProblem::Tampered,
        ),
        (
            "installer removed",
            &|n, b| (!n.ends_with(".exe")).then_some(b),
            UpdateProblem::MissingFile,
        ),
    ];
    for (what, edit, expected) in cases {
        let bad = f.dir.path().join("bad.loaupdate");
        rewrite(&file, &bad, edit);
        let e = stage(&bad, &f.data(), &f.expect("0.1.0"), &mut |_, _| true).unwrap_err();
        assert_eq!(problem(e), expected, "{what}");
        let left: Vec<_> = std::fs::read_dir(updates_dir(&f.data()))
            .map(|d| d.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "{what}: nothing is left behind: {left:?}");
    }
}

#[test]
fn a_file_that_is_not_an_update_is_refused() {
    let f = fixture();
    let junk = f.dir.path().join("junk.loaupdate");
    std::fs::write(&junk, b"not a zip").unwrap();
    let e = inspect(&junk, &f.expect("0.1.0"), &mut |_, _| true).unwrap_err();
    assert_eq!(problem(e), UpdateProblem::Damaged);
}

#[test]
fn cancelling_leaves_nothing() {
    let f = fixture();
    let file = f.pack("0.2.0", "windows-x86_64");
    let e = stage(&file, &f.data(), &f.expect("0.1.0"), &mut |_, _| false).unwrap_err();
    assert!(matches!(e, CoreError::Cancelled));
    assert_eq!(
        std::fs::read_dir(updates_dir(&f.data())).unwrap().count(),
        0
    );
}

#[test]
fn versions_compare_as_numbers() {
    assert_eq!(compare_versions("0.10.0", "0.9.9"), Some(Ordering::Greater));
    assert_eq!(compare_versions("1.0.0", "1.0.0"), Some(Ordering::Equal));
    assert_eq!(compare_versions("1.0", "0.1.0"), None);
    assert_eq!(compare_versions("1.0.0-beta", "0.1.0"), None);
    assert_eq!(compare_versions("1.0.0.1", "0.1.0"), None);
}

#[test]
fn each_platform_runs_its_installer_its_own_way() {
    assert_eq!(
        plan(r"C:\u\updates\setup.exe", "windows"),
        Install::Started {
            installer: r"C:\u\updates\setup.exe".into()
        }
    );
    match plan("/home/u/updates/loa-studio_0.2.0_amd64.deb", "linux") {
        Install::Manual { command, .. } => assert_eq!(
            command,
            "sudo apt install '/home/u/updates/loa-studio_0.2.0_amd64.deb'"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_feed_names_a_newer_version_or_nothing() {
    let feed = br#"{"version":"0.3.0","url":"loa-studio-0.3.0.loaupdate","notes":"x"}"#;
    assert_eq!(parse_feed(feed, "0.2.0").unwrap().unwrap().version, "0.3.0");
    assert_eq!(parse_feed(feed, "0.3.0").unwrap(), None);
    assert!(parse_feed(b"<html>", "0.1.0").is_err());
    assert!(parse_feed(br#"{"version":"latest"}"#, "0.1.0").is_err());
}

#[test]
fn the_release_key_is_a_real_key() {
    let k = key::decode_hex::<32>(RELEASE_KEY).expect("64 hex digits");
    assert!(ed25519_dalek::VerifyingKey::from_bytes(&k).is_ok());
    assert_eq!(key::key_id(&k), RELEASE_KEY_ID);
}
