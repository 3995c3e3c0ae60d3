//! Issue 19 §2: speech on the office PCs without AVX2. `loa` runs under
//! QEMU's user mode as an older CPU: a Westmere (SSE4.2, no AVX) must hear
//! the importer test's English sentence word for word through the SSE4.2
//! variant of whisper.cpp's CPU backend; a Penryn (no SSE4.2) must be told
//! in words that the PC is too old, never die of an illegal instruction.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ct2() -> Option<PathBuf> {
    let dir = std::env::var_os("LOA_WHISPER_CT2").map(PathBuf::from);
    if dir.as_ref().is_none_or(|d| !d.join("model.bin").is_file()) {
        eprintln!("skipped: set LOA_WHISPER_CT2 to the model folder (scripts/fetch-model.sh ct2)");
        return None;
    }
    dir
}

/// `loa` on `cpu` (QEMU's model name), or natively when `cpu` is None.
fn loa(cpu: Option<&str>, dir: &Path, args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_loa");
    let mut cmd = match cpu {
        Some(cpu) => {
            let mut c = Command::new("qemu-x86_64");
            c.args(["-cpu", cpu, bin]);
            c
        }
        None => Command::new(bin),
    };
    cmd.arg("--data-dir")
        .arg(dir)
        .args(["--json", "--ui-lang", "en"])
        .args(args)
        .env_remove("LOA_DATA_DIR")
        .output()
        .expect("qemu-x86_64 is installed by scripts/setup.sh test (Debian's qemu-user)")
}

#[test]
fn an_older_cpu_transcribes_and_one_too_old_is_told_so() {
    let Some(src) = ct2() else { return };
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();
    let import = loa(
        None,
        dir,
        &[
            "model",
            "import",
            src.to_str().unwrap(),
            "--out",
            "base",
            "--quantize",
            "q8_0",
        ],
    );
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let text = "Please wash your hands with soap before every meal. \
                The health station opens early in the morning.";
    let wav = dir.join("en.wav");
    let spoke = Command::new("espeak-ng")
        .args(["-v", "en", "-s", "150", "-w"])
        .arg(&wav)
        .arg(text)
        .status()
        .expect("espeak-ng is installed by scripts/setup.sh test");
    assert!(spoke.success());
    // Every core this test may use, never more: ggml's workers spin while
    // they wait, and two on one core (under `taskset`) crawl.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .to_string();
    let args = [
        "transcribe",
        wav.to_str().unwrap(),
        "--speech-lang",
        "en",
        "--threads",
        threads.as_str(),
    ];

    // SSE4.2 but no AVX: the SSE4.2 variant, word for word.
    let out = loa(Some("Westmere"), dir, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let heard: Vec<&str> = t["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["text"].as_str())
        .collect();
    let e = loa_core::record::readback::word_errors(text, &heard.join(" "), false);
    assert_eq!((e.rate(), e.words), (0.0, 17), "{t}");

    // No SSE4.2: refused in words, with the ordinary exit code of an error.
    let out = loa(Some("Penryn"), dir, &args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(err["error"]["code"], "invalid", "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("processor is too old")),
        "{err}"
    );
}
