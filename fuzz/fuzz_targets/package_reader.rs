//! Any bytes given as a `.loa` file: the reader must refuse or accept them
//! without panicking, hanging or allocating without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct Env {
    db: loa_core::Db,
    dir: std::path::PathBuf,
    key_id: String,
}

// Seeds are signed by a key this station does not know: the reader still
// checks the signature and every file's hash, and only import refuses.
fn env() -> &'static std::sync::Mutex<Env> {
    static ENV: OnceLock<std::sync::Mutex<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("loa-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key_id = loa_core::broadcast::key::StationKey::generate().unwrap().key_id();
        std::sync::Mutex::new(Env {
            db: loa_core::Db::open_in_memory().unwrap(),
            dir,
            key_id,
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let env = env().lock().unwrap();
    let path = env.dir.join("input.loa");
    std::fs::write(&path, data).unwrap();
    let today = loa_core::base::calendar::Date::from_ymd(2026, 11, 22).unwrap();
    let _ = loa_core::broadcast::package::verify_file(
        env.db.conn(),
        Some(&env.key_id),
        &path,
        today,
        &mut |_, _| true,
    );
});
