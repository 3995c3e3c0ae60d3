//! Any bytes given as an audio file to import: decoded within the memory
//! budget or refused, never a panic. The first byte picks the name's
//! extension, which decoders take as a hint.
#![no_main]

use libfuzzer_sys::fuzz_target;

const EXTS: [&str; 6] = ["wav", "mp3", "ogg", "flac", "m4a", "bin"];

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let name = format!("input.{}", EXTS[usize::from(*first) % EXTS.len()]);
    let _ = loa_core::record::audio::decode_bytes(&name, rest.to_vec());
});
