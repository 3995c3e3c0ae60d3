//! whisper.cpp's CPU backend, found at run time.
//!
//! On x86-64 the backend is built three times (SSE4.2, AVX, AVX2: see
//! `vendor/README.md`) as modules beside the program, and ggml loads the
//! best one this PC can run. A single build for AVX2 would die with an
//! illegal instruction on the older office PCs, taking the app with it.
//! Without SSE4.2 no variant loads, and transcription is refused in words.

use loa_core::{CoreError, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use whisper_rs::whisper_rs_sys as sys;

/// The folders the variants may be in: the program's own (see
/// `loa_core::base::paths::program_dirs`).
fn folders() -> Vec<PathBuf> {
    loa_core::base::paths::program_dirs()
}

fn has_variants(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("ggml-cpu-"))
    })
}

fn too_old() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        !std::arch::is_x86_feature_detected!("sse4.2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Makes sure a CPU backend is loaded, loading the best variant the first
/// time. Fails in words on a PC too old for any, or when the variants are
/// missing from the installation.
pub fn ready() -> Result<()> {
    static LOADED: Mutex<bool> = Mutex::new(false);
    let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
    // SAFETY: ggml's registry functions take no pointers from us here.
    if *loaded || unsafe { sys::ggml_backend_dev_count() } > 0 {
        *loaded = true;
        return Ok(());
    }
    if too_old() {
        return Err(CoreError::invalid("speech", "cpu-too-old"));
    }
    for dir in folders().into_iter().filter(|d| has_variants(d)) {
        let Ok(path) = std::ffi::CString::new(dir.to_string_lossy().as_bytes()) else {
            continue;
        };
        // SAFETY: a NUL-terminated path that lives through the call; ggml
        // copies what it keeps.
        unsafe { sys::ggml_backend_load_all_from_path(path.as_ptr()) };
        if unsafe { sys::ggml_backend_dev_count() } > 0 {
            *loaded = true;
            return Ok(());
        }
    }
    Err(CoreError::invalid("speech", "engine-missing"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cpu_variant_loads_beside_the_program() {
        super::ready().unwrap();
        // Twice is once.
        super::ready().unwrap();
        assert!(unsafe { super::sys::ggml_backend_dev_count() } > 0);
    }
}
