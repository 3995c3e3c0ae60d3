//! Stage 2, translating into minority languages: the concept glossary with
//! its exchange formats and term matcher, the translation memory and TMX,
//! translations of scripts, and the QA checks.
//!
//! May import: `base`, `draft`.

pub mod glossary;
pub mod index;
pub mod memory;
pub mod qa;
pub mod sharing;
pub mod tmx;
pub mod translation;
