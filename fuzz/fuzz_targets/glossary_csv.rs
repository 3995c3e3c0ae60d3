//! Any bytes given as a glossary file (Csv): the importer's preview must
//! refuse them with an error or count them, never panic, hang or allocate
//! without bound.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::glossary(loa_core::translate::glossary::exchange::Format::Csv, data));
