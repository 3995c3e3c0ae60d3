// Shared by the targets: a database that is made anew every so often, so
// what the importers commit cannot grow without bound over a long run.

use std::sync::Mutex;

pub struct Fresh {
    db: Option<loa_core::Db>,
    uses: u32,
}

impl Fresh {
    pub const fn new() -> Fresh {
        Fresh { db: None, uses: 0 }
    }

    pub fn get(&mut self) -> &mut loa_core::Db {
        self.uses += 1;
        if self.db.is_none() || self.uses % 256 == 0 {
            self.db = Some(loa_core::Db::open_in_memory().expect("in-memory database"));
        }
        self.db.as_mut().expect("just made")
    }
}

pub static DB: Mutex<Fresh> = Mutex::new(Fresh::new());

/// A glossary file of `format` through the importer's preview.
pub fn glossary(format: loa_core::translate::glossary::exchange::Format, data: &[u8]) {
    use loa_core::translate::glossary::exchange::{import, ImportOptions, OnConflict};
    let mut fresh = DB.lock().unwrap();
    let opts = ImportOptions {
        format,
        mapping: None,
        on_conflict: OnConflict::Merge,
    };
    let _ = import(fresh.get(), data, &opts, "fuzz", false);
}
