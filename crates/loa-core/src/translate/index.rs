//! In-memory indexes kept with the open database: the term automaton per
//! language and the fuzzy memory index per language pair. Each remembers the
//! data revision it was built from and is rebuilt only when that changed;
//! a segment the user confirms is pushed into the memory index directly.

use crate::base::error::Result;
use crate::base::store::{revision, Db, Revision};
use crate::translate::glossary::terms::TermIndex;
use crate::translate::memory::{self, TmIndex, TmUnit};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Default)]
pub struct Indexes {
    terms: HashMap<String, (i64, Arc<TermIndex>)>,
    memory: HashMap<(String, String), (i64, Arc<TmIndex>)>,
}

impl Db {
    pub fn term_index(&mut self, lang: &str) -> Result<Arc<TermIndex>> {
        let rev = revision(self.conn(), Revision::Glossary)?;
        if let Some((r, ix)) = self.extra::<Indexes>().terms.get(lang) {
            if *r == rev {
                return Ok(Arc::clone(ix));
            }
        }
        let ix = Arc::new(TermIndex::load(self, lang)?);
        self.extra::<Indexes>()
            .terms
            .insert(lang.to_string(), (rev, Arc::clone(&ix)));
        Ok(ix)
    }

    pub fn tm_index(&mut self, source_lang: &str, target_lang: &str) -> Result<Arc<TmIndex>> {
        let rev = revision(self.conn(), Revision::Memory)?;
        let key = (source_lang.to_string(), target_lang.to_string());
        if let Some((r, ix)) = self.extra::<Indexes>().memory.get(&key) {
            if *r == rev {
                return Ok(Arc::clone(ix));
            }
        }
        let ix = Arc::new(TmIndex::load(self, source_lang, target_lang)?);
        self.extra::<Indexes>()
            .memory
            .insert(key, (rev, Arc::clone(&ix)));
        Ok(ix)
    }

    /// After this connection saved one unit: if the cached index was current
    /// just before (`rev_before`), add the unit to it instead of rebuilding.
    pub(crate) fn tm_saved(
        &mut self,
        unit_id: i64,
        source_lang: &str,
        target_lang: &str,
        rev_before: i64,
    ) -> Result<()> {
        let rev = revision(self.conn(), Revision::Memory)?;
        let key = (source_lang.to_string(), target_lang.to_string());
        let units: Vec<TmUnit> =
            memory::units_of(self.conn(), source_lang, target_lang, Some(unit_id))?;
        let Some((r, ix)) = self.extra::<Indexes>().memory.get_mut(&key) else {
            return Ok(());
        };
        if *r != rev_before {
            return Ok(());
        }
        if let (Some(index), Some(unit)) = (Arc::get_mut(ix), units.into_iter().next()) {
            index.push(unit);
            *r = rev;
        }
        Ok(())
    }
}
