//! MP3 encoding through LAME, loaded at run time from its own shared
//! library. LAME is LGPL: linked dynamically, the office may replace the
//! library with another build of it without touching Loa Studio. Debian and
//! Ubuntu ship it as `libmp3lame0` (a dependency of the .deb); the Windows
//! installer carries `libmp3lame-0.dll`, built from LAME's source beside the
//! program; `LOA_LAME` names another file.

use std::ffi::{c_int, c_void, OsString};
use std::path::PathBuf;
use std::sync::OnceLock;

type Flags = *mut c_void;

/// The LAME functions the encoder uses (LAME 3.99 or newer).
struct Lame {
    init: unsafe extern "C" fn() -> Flags,
    set_num_channels: unsafe extern "C" fn(Flags, c_int) -> c_int,
    set_in_samplerate: unsafe extern "C" fn(Flags, c_int) -> c_int,
    set_brate: unsafe extern "C" fn(Flags, c_int) -> c_int,
    set_quality: unsafe extern "C" fn(Flags, c_int) -> c_int,
    set_scale: unsafe extern "C" fn(Flags, f32) -> c_int,
    init_params: unsafe extern "C" fn(Flags) -> c_int,
    encode_float:
        unsafe extern "C" fn(Flags, *const f32, *const f32, c_int, *mut u8, c_int) -> c_int,
    flush_nogap: unsafe extern "C" fn(Flags, *mut u8, c_int) -> c_int,
    close: unsafe extern "C" fn(Flags) -> c_int,
    /// Kept loaded for the process's life: the pointers above point into it.
    _lib: libloading::Library,
}

/// Where to look: `LOA_LAME` alone when it is set; else beside the
/// program (Windows), then the system's library by its usual names.
fn candidates() -> Vec<OsString> {
    if let Some(p) = std::env::var_os("LOA_LAME").filter(|p| !p.is_empty()) {
        return vec![p];
    }
    let mut out: Vec<OsString> = Vec::new();
    let names: &[&str] = if cfg!(windows) {
        &["libmp3lame-0.dll", "libmp3lame.dll", "lame_enc.dll"]
    } else if cfg!(target_os = "macos") {
        &["libmp3lame.0.dylib", "libmp3lame.dylib"]
    } else {
        &["libmp3lame.so.0", "libmp3lame.so"]
    };
    let exe_dir: Option<PathBuf> = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.to_path_buf()));
    for n in names {
        if let Some(d) = &exe_dir {
            out.push(d.join(n).into_os_string());
        }
        out.push(OsString::from(n));
    }
    out
}

fn load() -> Result<Lame, String> {
    let mut tried = Vec::new();
    for c in candidates() {
        // SAFETY: loading LAME runs no initialisers beyond the C runtime's.
        let lib = match unsafe { libloading::Library::new(&c) } {
            Ok(lib) => lib,
            Err(_) => {
                tried.push(c.to_string_lossy().into_owned());
                continue;
            }
        };
        return symbols(lib).map_err(|e| format!("{}: {e}", c.to_string_lossy()));
    }
    Err(format!("LAME not found (tried {})", tried.join(", ")))
}

fn symbols(lib: libloading::Library) -> Result<Lame, libloading::Error> {
    // SAFETY: each signature is LAME's own (lame.h, 3.99+); the library
    // stays loaded in `_lib` for as long as the pointers live.
    unsafe {
        Ok(Lame {
            init: *lib.get(b"lame_init\0")?,
            set_num_channels: *lib.get(b"lame_set_num_channels\0")?,
            set_in_samplerate: *lib.get(b"lame_set_in_samplerate\0")?,
            set_brate: *lib.get(b"lame_set_brate\0")?,
            set_quality: *lib.get(b"lame_set_quality\0")?,
            set_scale: *lib.get(b"lame_set_scale\0")?,
            init_params: *lib.get(b"lame_init_params\0")?,
            encode_float: *lib.get(b"lame_encode_buffer_ieee_float\0")?,
            flush_nogap: *lib.get(b"lame_encode_flush_nogap\0")?,
            close: *lib.get(b"lame_close\0")?,
            _lib: lib,
        })
    }
}

fn lame() -> Result<&'static Lame, String> {
    static LAME: OnceLock<Result<Lame, String>> = OnceLock::new();
    LAME.get_or_init(load).as_ref().map_err(Clone::clone)
}

/// Why an encode failed: LAME is missing, or it refused.
#[derive(Debug)]
pub enum Error {
    Missing(String),
    Failed(String),
}

/// Encodes mono samples (−1…1) at `rate` Hz to constant-bitrate MP3 at
/// `kbps`, with LAME's quality 2 (near best), the input multiplied by
/// `scale`, appending the frames to `out`.
pub fn encode_mono(
    samples: &[f32],
    rate: u32,
    kbps: u32,
    scale: f32,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let l = lame().map_err(|e| Error::Missing(e.clone()))?;
    let fail = |what: &str, code: c_int| Error::Failed(format!("{what} ({code})"));
    // SAFETY: `gfp` is checked non-null, used only here, and closed on
    // every path by the guard; buffers are sized by LAME's documented
    // worst case (1.25 × samples + 7200 bytes).
    unsafe {
        let gfp = (l.init)();
        if gfp.is_null() {
            return Err(Error::Failed("lame_init".into()));
        }
        struct Close<'a>(&'a Lame, Flags);
        impl Drop for Close<'_> {
            fn drop(&mut self) {
                // SAFETY: the handle lame_init gave, closed once.
                unsafe { (self.0.close)(self.1) };
            }
        }
        let _guard = Close(l, gfp);
        (l.set_num_channels)(gfp, 1);
        (l.set_in_samplerate)(gfp, rate.try_into().unwrap_or(c_int::MAX));
        (l.set_brate)(gfp, kbps as c_int);
        (l.set_quality)(gfp, 2);
        (l.set_scale)(gfp, scale);
        let r = (l.init_params)(gfp);
        if r < 0 {
            return Err(fail("lame_init_params", r));
        }
        for chunk in samples.chunks(65_536) {
            let room = chunk.len() + chunk.len() / 4 + 7200;
            out.reserve(room);
            let free = out.spare_capacity_mut();
            let n = (l.encode_float)(
                gfp,
                chunk.as_ptr(),
                std::ptr::null(),
                chunk.len() as c_int,
                free.as_mut_ptr().cast(),
                room as c_int,
            );
            if n < 0 {
                return Err(fail("lame_encode_buffer_ieee_float", n));
            }
            out.set_len(out.len() + n as usize);
        }
        out.reserve(7200);
        let free = out.spare_capacity_mut();
        let n = (l.flush_nogap)(gfp, free.as_mut_ptr().cast(), 7200);
        if n < 0 {
            return Err(fail("lame_encode_flush_nogap", n));
        }
        out.set_len(out.len() + n as usize);
    }
    Ok(())
}
