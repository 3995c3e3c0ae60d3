//! Any bytes given as a player's air log (CSV): imported all or nothing, or
//! refused, never a panic.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut fresh = common::DB.lock().unwrap();
    let _ = loa_core::broadcast::airlog::import_csv(fresh.get(), data);
});
