//! Stage 1, drafting: scripts (their editing, approval workflow, search
//! and history), templates, reading rates and estimates, segments, and the
//! DOCX/TXT export of a script.
//!
//! May import: `base`.

pub mod export;
pub mod reading;
pub mod script;
pub mod segment;
pub mod template;
