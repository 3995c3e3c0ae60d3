//! Arguments and results of commands that are the shell's own (live audio,
//! staged files, jobs); the core's types cover the rest.

use loa_core::broadcast::report;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// IPC arguments: record a take of a script in a language.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordingStart {
    pub script_id: i64,
    pub lang: String,
    #[ts(optional)]
    pub device_id: Option<String>,
}

/// IPC arguments: play a take from a position (seconds).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlayRequest {
    pub take_id: i64,
    pub from: f64,
    /// `from` is a moment of the original recording (a click on the
    /// waveform), not of the edited take.
    #[serde(default)]
    #[ts(optional)]
    pub in_source: Option<bool>,
}

/// What is playing: which take, and where. `state` counts in the edited
/// take; `sourceSeconds` is the same moment in the original recording, where
/// the waveform draws it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Playing {
    pub take_id: i64,
    /// Set when a received package item plays instead of a take.
    #[ts(optional)]
    pub item_id: Option<i64>,
    pub state: loa_core::record::audio::playback::PlayState,
    pub source_seconds: f64,
}

/// IPC arguments: transcribe a take (its edited audio) with a model, or the
/// default one.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TranscribeTake {
    pub take_id: i64,
    #[ts(optional)]
    pub model: Option<String>,
}

/// IPC arguments: install a Whisper model from a path on this PC (a ggml
/// file, or a faster-whisper / CTranslate2 folder) or from a file the user
/// picked and the UI staged.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelImport {
    /// A whisper.cpp file or a faster-whisper folder, read where it is.
    pub path: String,
    pub name: String,
    #[ts(optional)]
    pub quantize: Option<loa_speech::Quantization>,
}

/// IPC arguments: trust a station's public key file (its text).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationTrustKey {
    pub id: i64,
    pub text: String,
    /// The new key id's last group, when it replaces a trusted key.
    #[ts(optional)]
    pub confirm_replace: Option<String>,
}

/// IPC arguments: trust the key that signed a staged package, after the
/// user compared this key id with the issuer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageTrust {
    pub token: String,
    pub key_id: String,
    /// The new key id's last group, when it replaces a trusted key.
    #[ts(optional)]
    pub confirm_replace: Option<String>,
}

/// IPC arguments: import a staged package, recorded under the user's file
/// name.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageOpen {
    pub token: String,
    pub file_name: String,
}

/// IPC arguments: place a received package's items on the schedule.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlacePackage {
    pub package_id: i64,
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
}

/// IPC arguments: move a schedule entry up (−1) or down (+1) in its slot.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntryMove {
    pub entry_id: i64,
    pub delta: i32,
}

/// IPC arguments: the ISO week `by` weeks from `week`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WeekShift {
    pub week: String,
    pub by: i32,
}

/// IPC arguments: write a week's player folder into `out`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlayerExport {
    pub week: String,
    pub out: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DateRange {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportExport {
    pub query: report::ReportQuery,
    pub format: report::ReportFormat,
}

/// IPC arguments: play a received item from a position (seconds).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlayItem {
    pub item_id: i64,
    pub from: f64,
}

/// IPC arguments: copy a file the user chose (in a dialog, by dropping it,
/// or from Explorer) in for an import of `kind`, within that kind's cap.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileOpen {
    pub path: String,
    pub kind: loa_core::base::limits::ImportKind,
}

/// IPC arguments: import a staged glossary file (CSV/TSV, XLSX, TBX), or
/// only preview what it would do.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GlossaryImport {
    pub token: String,
    pub options: loa_core::translate::glossary::exchange::ImportOptions,
    /// false: only preview.
    pub commit: bool,
}

/// IPC arguments: choose (or restore) a version of a concept's fields, one
/// of its terms or a status, by its change id.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptChoice {
    pub concept_id: i64,
    pub change_id: String,
}

/// IPC arguments: an approver accepts or rejects a proposed status.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProposalDecision {
    pub concept_id: i64,
    pub change_id: String,
    pub accept: bool,
}

/// IPC arguments: a province names a language's terminology approvers.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApproversNaming {
    pub lang: String,
    pub key_ids: Vec<String>,
}

/// What "Xuất thay đổi…" wrote.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangesFile {
    pub path: String,
    pub sets: u32,
    pub changes: u32,
}
