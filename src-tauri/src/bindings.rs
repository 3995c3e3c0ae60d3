//! TypeScript for the UI, generated from the Rust types and the command list.
//! `ui/src/lib/bindings.ts` is checked in; a test fails when it drifts.
//! Regenerate with `make bindings`.

use crate::commands::signatures;
use crate::error::ApiError;
use loa_core::translate::glossary::exchange;
use loa_core::{
    base::language, base::settings, broadcast::airlog, broadcast::package, broadcast::report,
    broadcast::schedule, broadcast::station, demo, draft::script, record::readback,
    record::transcript, translate::glossary, translate::translation, Overview,
};
use ts_rs::{Config, TS};

pub fn config() -> Config {
    // Ids and timestamps stay far below 2^53: plain numbers in JS.
    Config::new().with_large_int("number")
}

fn snake_to_camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

pub fn typescript() -> String {
    let cfg = config();
    let decls = [
        ApiError::decl(&cfg),
        Overview::decl(&cfg),
        settings::Settings::decl(&cfg),
        settings::SettingsPatch::decl(&cfg),
        language::Language::decl(&cfg),
        script::Priority::decl(&cfg),
        script::Category::decl(&cfg),
        script::Status::decl(&cfg),
        script::SortBy::decl(&cfg),
        script::ScriptInput::decl(&cfg),
        script::Marked::decl(&cfg),
        script::ScriptEdit::decl(&cfg),
        script::StatusChange::decl(&cfg),
        script::RevisionRef::decl(&cfg),
        script::RevisionInfo::decl(&cfg),
        script::ScriptEvent::decl(&cfg),
        script::DiffOp::decl(&cfg),
        script::DiffChunk::decl(&cfg),
        script::RevisionDiff::decl(&cfg),
        script::ReadingEstimate::decl(&cfg),
        loa_core::draft::export::ExportRequest::decl(&cfg),
        loa_core::draft::export::ExportFormat::decl(&cfg),
        loa_core::draft::segment::Segment::decl(&cfg),
        loa_core::draft::template::Template::decl(&cfg),
        loa_core::draft::template::SaveAsTemplate::decl(&cfg),
        script::EstimateRequest::decl(&cfg),
        loa_core::draft::reading::Reader::decl(&cfg),
        loa_core::draft::reading::NewReader::decl(&cfg),
        loa_core::draft::reading::LangRate::decl(&cfg),
        script::ScriptSummary::decl(&cfg),
        script::ScriptDetail::decl(&cfg),
        script::ScriptQuery::decl(&cfg),
        glossary::Term::decl(&cfg),
        glossary::Concept::decl(&cfg),
        glossary::ConceptQuery::decl(&cfg),
        glossary::ConceptPage::decl(&cfg),
        glossary::TermInput::decl(&cfg),
        glossary::ConceptInput::decl(&cfg),
        glossary::ConceptEdit::decl(&cfg),
        glossary::ConceptMerge::decl(&cfg),
        glossary::ConceptVersion::decl(&cfg),
        glossary::ConceptSharing::decl(&cfg),
        loa_core::broadcast::changes::ChangesImported::decl(&cfg),
        loa_core::broadcast::changes::HeldSet::decl(&cfg),
        loa_core::broadcast::changes::approvers::LanguageApprovers::decl(&cfg),
        loa_core::broadcast::changes::approvers::ApproverCandidate::decl(&cfg),
        loa_core::broadcast::changes::approvers::ApproversOverview::decl(&cfg),
        exchange::Format::decl(&cfg),
        exchange::OnConflict::decl(&cfg),
        exchange::ImportOptions::decl(&cfg),
        exchange::ImportReport::decl(&cfg),
        loa_core::translate::memory::TmUnit::decl(&cfg),
        translation::SegmentStatus::decl(&cfg),
        translation::TranslationStatus::decl(&cfg),
        translation::TargetTerm::decl(&cfg),
        translation::TermSuggestion::decl(&cfg),
        translation::TranslationSegment::decl(&cfg),
        translation::TranslationProgress::decl(&cfg),
        translation::Translation::decl(&cfg),
        translation::TranslationRef::decl(&cfg),
        translation::SegmentSave::decl(&cfg),
        translation::TranslationStatusChange::decl(&cfg),
        translation::MatchQuery::decl(&cfg),
        translation::MatchSuggestion::decl(&cfg),
        translation::TranslationExport::decl(&cfg),
        translation::TranslationInfo::decl(&cfg),
        loa_core::translate::qa::Severity::decl(&cfg),
        loa_core::translate::qa::QaKind::decl(&cfg),
        loa_core::translate::qa::QaIssue::decl(&cfg),
        loa_core::record::audio::Loudness::decl(&cfg),
        loa_core::record::audio::RenderFormat::decl(&cfg),
        loa_core::record::audio::RenderOptions::decl(&cfg),
        loa_core::record::audio::device::InputDevice::decl(&cfg),
        loa_core::record::audio::device::Level::decl(&cfg),
        loa_core::record::recording::Take::decl(&cfg),
        loa_core::record::recording::TakeRef::decl(&cfg),
        loa_core::record::recording::TakeImportStaged::decl(&cfg),
        loa_core::record::incoming::Staged::decl(&cfg),
        crate::jobs::JobProgress::decl(&cfg),
        crate::jobs::JobPart::decl(&cfg),
        loa_core::record::audio::edit::Span::decl(&cfg),
        loa_core::record::audio::edit::Edit::decl(&cfg),
        loa_core::record::recording::TakeEdit::decl(&cfg),
        loa_core::record::recording::TakeAutoTrim::decl(&cfg),
        loa_core::record::recording::TakeRename::decl(&cfg),
        loa_core::record::recording::TakeExport::decl(&cfg),
        loa_core::record::audio::render::ProfileInfo::decl(&cfg),
        loa_core::record::recording::Rendered::decl(&cfg),
        crate::args::RecordingStart::decl(&cfg),
        loa_core::record::audio::playback::PlayState::decl(&cfg),
        crate::args::PlayRequest::decl(&cfg),
        crate::args::Playing::decl(&cfg),
        station::StationLevel::decl(&cfg),
        station::StationSummary::decl(&cfg),
        station::StationAlias::decl(&cfg),
        station::StationDetail::decl(&cfg),
        station::AdminImportSummary::decl(&cfg),
        station::StationQuery::decl(&cfg),
        demo::DemoSummary::decl(&cfg),
        loa_speech::Quantization::decl(&cfg),
        loa_speech::ModelInfo::decl(&cfg),
        loa_speech::transcribe::LanguageGuess::decl(&cfg),
        crate::args::ModelImport::decl(&cfg),
        crate::args::FileOpen::decl(&cfg),
        crate::args::GlossaryImport::decl(&cfg),
        crate::args::ConceptChoice::decl(&cfg),
        crate::args::ProposalDecision::decl(&cfg),
        crate::args::ApproversNaming::decl(&cfg),
        crate::args::ChangesFile::decl(&cfg),
        crate::desktop::FileType::decl(&cfg),
        crate::desktop::FilePick::decl(&cfg),
        loa_core::translate::tmx::TmxImportSummary::decl(&cfg),
        crate::args::TranscribeTake::decl(&cfg),
        transcript::Word::decl(&cfg),
        transcript::Line::decl(&cfg),
        transcript::Source::decl(&cfg),
        transcript::Transcript::decl(&cfg),
        transcript::LinesSave::decl(&cfg),
        transcript::Mark::decl(&cfg),
        transcript::Format::decl(&cfg),
        transcript::TranscriptExport::decl(&cfg),
        transcript::ToScript::decl(&cfg),
        readback::ReadStatus::decl(&cfg),
        readback::ReadLine::decl(&cfg),
        readback::Added::decl(&cfg),
        readback::Readback::decl(&cfg),
        station::StationKeyInfo::decl(&cfg),
        station::StationEdit::decl(&cfg),
        station::StationNew::decl(&cfg),
        loa_core::broadcast::key::PublicKeyInfo::decl(&cfg),
        loa_core::broadcast::group::Group::decl(&cfg),
        loa_core::broadcast::group::GroupSave::decl(&cfg),
        loa_core::base::paths::Destination::decl(&cfg),
        crate::args::StationTrustKey::decl(&cfg),
        crate::args::PackageTrust::decl(&cfg),
        crate::args::PackageOpen::decl(&cfg),
        crate::args::PlacePackage::decl(&cfg),
        crate::args::EntryMove::decl(&cfg),
        crate::args::WeekShift::decl(&cfg),
        loa_core::base::limits::ImportKind::decl(&cfg),
        loa_core::backup::BackupInfo::decl(&cfg),
        loa_core::backup::BackupStatus::decl(&cfg),
        loa_core::update::UpdateManifest::decl(&cfg),
        loa_core::update::UpdateInfo::decl(&cfg),
        loa_core::update::Install::decl(&cfg),
        loa_core::update::About::decl(&cfg),
        loa_core::update::Feed::decl(&cfg),
        loa_core::broadcast::hub::Link::decl(&cfg),
        loa_core::broadcast::hub::Waiting::decl(&cfg),
        loa_net::hub::Synced::decl(&cfg),
        loa_core::broadcast::network::Role::decl(&cfg),
        loa_core::broadcast::network::ReceiptKind::decl(&cfg),
        loa_core::broadcast::network::Receipt::decl(&cfg),
        loa_core::broadcast::network::NetworkStation::decl(&cfg),
        loa_core::broadcast::network::NetworkPackage::decl(&cfg),
        loa_core::broadcast::network::Network::decl(&cfg),
        loa_core::broadcast::network::Reach::decl(&cfg),
        crate::hub::HubEvent::decl(&cfg),
        crate::args::PlayerExport::decl(&cfg),
        crate::args::DateRange::decl(&cfg),
        crate::args::ReportExport::decl(&cfg),
        crate::args::PlayItem::decl(&cfg),
        package::Manifest::decl(&cfg),
        package::Issuer::decl(&cfg),
        package::Targets::decl(&cfg),
        package::TargetStation::decl(&cfg),
        package::Item::decl(&cfg),
        package::FileKind::decl(&cfg),
        package::FileEntry::decl(&cfg),
        package::Profile::decl(&cfg),
        package::BuildRequest::decl(&cfg),
        package::PlanItem::decl(&cfg),
        package::Plan::decl(&cfg),
        package::Built::decl(&cfg),
        package::Direction::decl(&cfg),
        package::PackageSummary::decl(&cfg),
        package::PackageItem::decl(&cfg),
        package::PackageDetail::decl(&cfg),
        package::Inspected::decl(&cfg),
        schedule::Slot::decl(&cfg),
        schedule::EntryView::decl(&cfg),
        schedule::SlotDay::decl(&cfg),
        schedule::Day::decl(&cfg),
        schedule::Week::decl(&cfg),
        schedule::Place::decl(&cfg),
        schedule::PlaceResult::decl(&cfg),
        loa_core::broadcast::player_export::PlayerExported::decl(&cfg),
        airlog::AirEntry::decl(&cfg),
        airlog::AirMark::decl(&cfg),
        airlog::AirImportSummary::decl(&cfg),
        report::ReportQuery::decl(&cfg),
        report::Tally::decl(&cfg),
        report::StationMinutes::decl(&cfg),
        report::TimelinePoint::decl(&cfg),
        report::Report::decl(&cfg),
        report::ReportFormat::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit:\n\
         // run `make bindings` after changing a command or a type.\n\n\
         import { type Channel, invoke } from \"@tauri-apps/api/core\";\n\n",
    );
    let mut names = std::collections::HashSet::new();
    for d in &decls {
        // `type X = ...`: two Rust types of one name would shadow each other.
        let name = d.split_whitespace().nth(1).unwrap_or_default().to_string();
        assert!(
            names.insert(name.clone()),
            "two exported types are named {name}"
        );
    }
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str(
        "/** Every command, typed. Rejections carry an ApiError. */\nexport const commands = {\n",
    );
    for s in signatures() {
        let camel = snake_to_camel(s.name);
        if s.job {
            out.push_str(&format!(
                "  {camel}: (args: {}, job: string, onProgress: Channel<JobProgress>): Promise<{}> =>\n    invoke(\"{}\", {{ args, job, onProgress }}),\n",
                s.args_ts, s.ret_ts, s.name
            ));
        } else if s.args_ts == "null" {
            out.push_str(&format!(
                "  {camel}: (): Promise<{}> => invoke(\"{}\", {{ args: null }}),\n",
                s.ret_ts, s.name
            ));
        } else {
            out.push_str(&format!(
                "  {camel}: (args: {}): Promise<{}> => invoke(\"{}\", {{ args }}),\n",
                s.args_ts, s.ret_ts, s.name
            ));
        }
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn checked_in_bindings_match_the_rust_types() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let want = super::typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "ui/src/lib/bindings.ts is out of date with the Rust types: run `make bindings`"
        );
    }

    /// The TypeScript with comments and string literals taken out.
    fn code_only(ts: &str) -> String {
        let mut out = String::new();
        let mut rest = ts;
        while let Some(i) = rest.find(['/', '"']) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            let end = if tail.starts_with("/*") {
                tail.find("*/").map(|e| e + 2)
            } else if tail.starts_with("//") {
                tail.find('\n')
            } else if let Some(text) = tail.strip_prefix('"') {
                text.find('"').map(|e| e + 2)
            } else {
                Some(1)
            };
            let end = end.unwrap_or(tail.len());
            out.push(' ');
            rest = &tail[end..];
        }
        out.push_str(rest);
        out
    }

    /// A type a command or another type names but that `typescript()` does
    /// not declare would only show up in the UI's type check; say it here,
    /// by name.
    #[test]
    fn every_type_named_is_declared() {
        let ts = code_only(&super::typescript());
        let declared: std::collections::HashSet<&str> = ts
            .split("export type ")
            .skip(1)
            .filter_map(|d| d.split([' ', '<', '=']).next())
            .collect();
        let builtin = [
            "Promise",
            "Channel",
            "Array",
            "Record",
            "Partial",
            "JobProgress",
        ];
        let mut missing: Vec<&str> = ts
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .filter(|w| !declared.contains(w) && !builtin.contains(w))
            .collect();
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "types named but not declared in bindings.rs: {missing:?}"
        );
    }
}
