//! Whole glossaries in and out: CSV/TSV and XLSX tables (one row per
//! concept, columns mapped to fields by the user) and TBX.
//!
//! An import runs in one transaction. A preview is the same import rolled
//! back, so its counts (new, duplicate, conflicting) are exactly what the
//! import will do. A malformed file is reported with its row or line and
//! changes nothing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod import;
mod table;

pub(crate) use import::apply;
pub use import::{export, import};
pub(crate) use table::table_concepts;
pub use table::{
    decode, guess_mapping, read_csv, read_xlsx, to_table, write_csv, write_xlsx, Table,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-, semicolon- or tab-separated text (the separator is detected).
    Csv,
    Xlsx,
    Tbx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "tbx" | "xml" => Some(Format::Tbx),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn of_path(path: &str) -> Option<Format> {
        Format::parse(path.rsplit('.').next().unwrap_or(""))
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Tbx => "tbx",
        }
    }
}

/// What to do with an imported concept that shares a term with an existing
/// one but differs from it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    /// Add its missing terms to the existing concept.
    #[default]
    Merge,
    /// Leave the existing concept as it is.
    Skip,
    /// Keep both: the imported one becomes a concept of its own.
    Add,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    pub format: Format,
    /// Per column of a table: "" (ignore), "id", "domain", "definition",
    /// "note", or "term:LANG", "status:LANG", "pos:LANG", "usage:LANG".
    /// Absent: guessed from the header row.
    #[ts(optional)]
    pub mapping: Option<Vec<String>>,
    #[serde(default)]
    pub on_conflict: OnConflict,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// The table's header row (empty for TBX).
    pub headers: Vec<String>,
    /// The mapping used, one entry per header.
    pub mapping: Vec<String>,
    /// The first rows of the table, to check the mapping against.
    pub sample: Vec<Vec<String>>,
    pub concepts: u32,
    pub terms: u32,
    pub new: u32,
    pub duplicate: u32,
    pub conflicting: u32,
    /// Languages in the file that the registry does not have (skipped).
    pub ignored_languages: Vec<String>,
}

/// The largest sheet a glossary is read from. A sheet is read cell by cell
/// and a cell beyond these is refused, so a file declaring (or holding a
/// cell at) XFD1048576 cannot make the reader allocate rows × columns.
pub const XLSX_MAX_ROWS: u32 = 200_000;
pub const XLSX_MAX_COLUMNS: u32 = 256;
/// The parts of an .xlsx (a ZIP) may expand to this much in all.
pub const XLSX_MAX_EXPANDED: u64 = 512 * 1024 * 1024;

/// How a table cell holds several terms.
#[derive(Clone, Copy)]
pub(crate) enum Split {
    /// "a; b | c": what glossaries exported by tools use.
    Plain,
    /// Descriptive word lists: also "/" and ",", with notes in brackets.
    Descriptive,
}

#[derive(Default)]
pub(crate) struct Counts {
    pub concepts: u32,
    pub terms: u32,
    pub new: u32,
    pub duplicate: u32,
    pub conflicting: u32,
}

#[cfg(test)]
mod tests;
