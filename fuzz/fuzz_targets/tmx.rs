//! Any text given as a translation memory (TMX): imported or refused, never
//! a panic, a hang or unbounded memory.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut fresh = common::DB.lock().unwrap();
    let _ = loa_core::translate::tmx::import(fresh.get(), text);
});
