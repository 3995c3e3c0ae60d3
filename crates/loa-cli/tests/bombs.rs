//! Hostile files given to `loa`: each is refused with a clear error naming
//! what is wrong, nothing changes, and memory stays bounded. The figure is
//! the peak resident memory of every `loa` this test ran (a test binary of
//! its own, so no other test's children count).

use std::path::Path;
use std::process::{Command, Output};

fn loa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loa"))
        .arg("--data-dir")
        .arg(dir)
        .arg("--json")
        .arg("--ui-lang")
        .arg("en")
        .args(args)
        .env_remove("LOA_DATA_DIR")
        .env("LOA_NOW", "2026-12-31T08:00:00+07:00")
        .env("LANG", "C")
        .output()
        .expect("run loa")
}

fn refused(out: &Output) -> serde_json::Value {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    err["error"].clone()
}

fn ok(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Peak resident memory of all waited-for children, in MB.
fn children_peak_mb() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes the struct it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss as f64 / 1024.0
}

// --- A FLAC writer for constant frames: a few bytes say "65,535 samples of
// the same value" per channel, which is how a small file claims gigabytes.

struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn new() -> Bits {
        Bits {
            out: Vec::new(),
            acc: 0,
            n: 0,
        }
    }
    fn put(&mut self, value: u64, bits: u32) {
        for i in (0..bits).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                self.acc = 0;
                self.n = 0;
            }
        }
    }
    fn align(&mut self) {
        while self.n != 0 {
            self.put(0, 1);
        }
    }
}

fn crc8(data: &[u8]) -> u8 {
    data.iter().fold(0u8, |mut crc, &b| {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
        crc
    })
}

fn crc16(data: &[u8]) -> u16 {
    data.iter().fold(0u16, |mut crc, &b| {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x8005
            } else {
                crc << 1
            };
        }
        crc
    })
}

/// A FLAC file of `frames` constant frames of 65,535 samples, 16-bit.
fn constant_flac(rate: u32, channels: u32, frames: u32) -> Vec<u8> {
    const BLOCK: u64 = 65_535;
    let mut b = Bits::new();
    b.out.extend_from_slice(b"fLaC");
    b.put(1, 1); // last metadata block
    b.put(0, 7); // STREAMINFO
    b.put(34, 24);
    b.put(BLOCK, 16);
    b.put(BLOCK, 16);
    b.put(0, 24);
    b.put(0, 24);
    b.put(u64::from(rate), 20);
    b.put(u64::from(channels - 1), 3);
    b.put(15, 5); // 16 bits per sample
    b.put(0, 36); // total samples unknown
    for _ in 0..2 {
        b.put(0, 64); // MD5 unknown
    }
    for n in 0..frames {
        let start = b.out.len();
        b.put(0x3FFE, 14); // sync
        b.put(0, 1);
        b.put(0, 1); // fixed block size
        b.put(0b0111, 4); // block size: 16 bits follow
        b.put(0, 4); // rate from STREAMINFO
        b.put(u64::from(channels - 1), 4); // independent channels
        b.put(0, 3); // bits per sample from STREAMINFO
        b.put(0, 1);
        // Frame number, UTF-8 coded.
        let mut utf8 = [0u8; 4];
        let n = char::from_u32(n).unwrap_or('\u{10FFFF}');
        for byte in n.encode_utf8(&mut utf8).bytes() {
            b.put(u64::from(byte), 8);
        }
        b.put(BLOCK - 1, 16);
        let header_crc = crc8(&b.out[start..]);
        b.put(u64::from(header_crc), 8);
        for _ in 0..channels {
            b.put(0, 1);
            b.put(0, 6); // CONSTANT
            b.put(0, 1);
            b.put(0x1000, 16);
        }
        b.align();
        let frame_crc = crc16(&b.out[start..]);
        b.put(u64::from(frame_crc), 16);
    }
    b.out
}

fn workbook_with_a_far_cell(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Tiếng Việt").unwrap();
    sheet.write_string(0, 1, "Tiếng Mường").unwrap();
    sheet.write_string(1, 0, "tiêm chủng").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(path).unwrap();
}

#[test]
fn bombs_are_refused_with_bounded_memory_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&loa(&data, &["init", "--demo"]));
    let concepts = || ok(&loa(&data, &["info"]))["concepts"].as_u64().unwrap();
    let before = concepts();
    let script = ok(&loa(&data, &["script", "list"]))[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();

    // A FLAC claiming 655,350 Hz on 8 channels: refused by its header.
    let claims = dir.path().join("claims.flac");
    std::fs::write(&claims, constant_flac(655_350, 8, 16)).unwrap();
    let e = refused(&loa(&data, &["audio", "analyze", claims.to_str().unwrap()]));
    assert_eq!(e["code"], "data-row");
    assert!(e["message"].as_str().unwrap().contains("192,000 Hz"), "{e}");

    // Plausible header, but constant frames: 400 KB claims about 50 GB of
    // samples. Refused once it expands past what audio ever does.
    let bomb = dir.path().join("bomb.flac");
    let bytes = constant_flac(48_000, 2, 26_000);
    let claimed_gb = 26_000.0 * 65_535.0 * 2.0 * 4.0 / 1e9;
    assert!(
        bytes.len() < 500_000 && claimed_gb > 10.0,
        "{} {claimed_gb}",
        bytes.len()
    );
    std::fs::write(&bomb, &bytes).unwrap();
    let e = refused(&loa(&data, &["audio", "analyze", bomb.to_str().unwrap()]));
    assert!(
        e["message"].as_str().unwrap().contains("memory limit"),
        "{e}"
    );
    let e = refused(&loa(
        &data,
        &[
            "take",
            "import",
            bomb.to_str().unwrap(),
            "--script",
            &script,
        ],
    ));
    assert_eq!(e["code"], "data-row");
    let takes = ok(&loa(&data, &["take", "list", "--script", &script]));
    assert_eq!(takes.as_array().unwrap().len(), 0, "no take was added");

    // A workbook with a cell at XFD1048576: refused naming the cell.
    let xlsx = dir.path().join("far.xlsx");
    workbook_with_a_far_cell(&xlsx);
    let e = refused(&loa(&data, &["glossary", "import", xlsx.to_str().unwrap()]));
    assert!(e["message"].as_str().unwrap().contains("XFD1048576"), "{e}");

    // A CSV whose quote never closes: refused at the row it opens.
    let csv = dir.path().join("quote.csv");
    std::fs::write(
        &csv,
        "vie,mtq\nbảo hiểm y tế,a1\n\"tiêm chủng,a2\nphòng chống bão,a3\nnước sạch,a4\n",
    )
    .unwrap();
    let e = refused(&loa(&data, &["glossary", "import", csv.to_str().unwrap()]));
    assert!(e["message"].as_str().unwrap().contains("line 3"), "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("never closed"),
        "{e}"
    );
    assert_eq!(concepts(), before, "nothing was imported");

    // An air log with the same fault.
    let log = dir.path().join("log.csv");
    std::fs::write(
        &log,
        "time,file\n2026-12-31 06:00,\"001_a.mp3\n2026-12-31 07:00,002_b.mp3\n",
    )
    .unwrap();
    let e = refused(&loa(&data, &["airlog", "import", log.to_str().unwrap()]));
    assert!(e["message"].as_str().unwrap().contains("line 2"), "{e}");

    let peak = children_peak_mb();
    println!("peak memory of `loa` on the bombs: {peak:.0} MB");
    assert!(peak < 512.0, "{peak} MB");
}
