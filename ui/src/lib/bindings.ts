// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit:
// run `make bindings` after changing a command or a type.

import { type Channel, invoke } from "@tauri-apps/api/core";

export type ApiError = { code: string, messageId: string, args: { [key in string]: string }, 
/**
 * English rendering, for logs and as a last resort.
 */
message: string, };

export type Overview = { version: string, dataDir: string, schemaVersion: number, scripts: number, concepts: number, stations: number, languages: number, };

export type Settings = { 
/**
 * "vi" or "en".
 */
uiLang: string, userName: string, 
/**
 * This PC's own station, if chosen.
 */
stationId: number | null, 
/**
 * Vietnamese reading rate for time estimates, syllables per minute.
 */
readingRate: number, 
/**
 * Whisper beam search width: wider is more accurate and slower.
 */
speechBeam: number, 
/**
 * Threads for transcription; 0 leaves it to the app (cores − 1).
 */
speechThreads: number, 
/**
 * Bias transcription toward the glossary terms in the script.
 */
speechPrompt: boolean, };

export type SettingsPatch = { uiLang?: string, userName?: string, stationId?: number, 
/**
 * Forget this PC's station (wins over `station_id`).
 */
clearStation?: boolean, readingRate?: number, speechBeam?: number, speechThreads?: number, speechPrompt?: boolean, };

export type Language = { code: string, nameVi: string, nameNative: string, 
/**
 * ISO 15924: "Latn", or "Tavt" for Tai Viet.
 */
script: string, 
/**
 * Font family the language is shown and exported in ("" = the default).
 */
font: string, 
/**
 * Letters a Vietnamese keyboard cannot type, shown under the editor.
 */
palette: Array<string>, };

export type Priority = "normal" | "priority" | "emergency";

export type Category = "health" | "agriculture" | "law" | "security" | "disaster" | "other";

export type Status = "draft" | "review" | "approved";

export type SortBy = "relevance" | "updated" | "title" | "priority" | "duration";

export type ScriptInput = { title: string, body: string, 
/**
 * Program name; created in the program list when new. Empty: none.
 */
program: string, category: Category, priority: Priority, policyRef: string, 
/**
 * ISO 639-3 codes from the language registry.
 */
targetLangs: Array<string>, 
/**
 * Wanted reading time; 0 when not set.
 */
targetSeconds: number, 
/**
 * First and last air date, `YYYY-MM-DD` or empty.
 */
airFrom: string, airUntil: string, notes: string, 
/**
 * Reader profile whose rate the estimate uses; none: the language's.
 */
readerId: number | null, };

export type Marked = { text: string, marks: Array<[number, number]>, };

export type ScriptEdit = { id: number, input: ScriptInput, };

export type StatusChange = { id: number, status: Status, note: string, };

export type RevisionRef = { id: number, revision: number, 
/**
 * For a diff: the older revision.
 */
against?: number, };

export type RevisionInfo = { revision: number, title: string, author: string, 
/**
 * Sent for approval: no longer changes.
 */
frozen: boolean, syllables: number, createdAt: number, updatedAt: number, };

export type ScriptEvent = { at: number, who: string, fromStatus: Status, toStatus: Status, revision: number, note: string, };

export type DiffOp = "equal" | "insert" | "delete";

export type DiffChunk = { op: DiffOp, text: string, };

export type RevisionDiff = { from: number, to: number, title: Array<DiffChunk>, policyRef: Array<DiffChunk>, body: Array<DiffChunk>, };

export type ReadingEstimate = { syllables: number, seconds: number, };

export type ExportRequest = { id: number, format: ExportFormat, };

export type ExportFormat = "docx" | "txt";

export type Segment = { 
/**
 * 0-based paragraph (non-empty line) the sentence belongs to.
 */
paragraph: number, text: string, };

export type Template = { id: number, name: string, title: string, body: string, program: string, category: Category, priority: Priority, 
/**
 * Shipped with the app (still deletable).
 */
builtin: boolean, };

export type SaveAsTemplate = { scriptId: number, name: string, };

export type EstimateRequest = { body: string, readerId: number | null, targetLangs: Array<string>, };

export type Reader = { id: number, name: string, lang: string, rate: number, };

export type NewReader = { name: string, lang: string, rate: number, };

export type LangRate = { lang: string, rate: number, };

export type ScriptSummary = { id: number, title: string, program: string | null, category: Category, priority: Priority, status: Status, policyRef: string, targetLangs: Array<string>, syllables: number, estSeconds: number, targetSeconds: number, revision: number, updatedAt: number, 
/**
 * When searching: the title with the matching words marked.
 */
titleHit: Marked | null, 
/**
 * When searching: a stretch of the text or policy reference around the
 * first match.
 */
snippet: Marked | null, };

export type ScriptDetail = { summary: ScriptSummary, input: ScriptInput, author: string, approvedBy: string, approvedAt: number | null, source: string, createdAt: number, };

export type ScriptQuery = { search?: string, status?: Status, program?: string, category?: Category, priority?: Priority, 
/**
 * Scripts that target this language.
 */
lang?: string, 
/**
 * Last updated on or after / on or before, `YYYY-MM-DD`.
 */
updatedFrom?: string, updatedTo?: string, sort?: SortBy, limit?: number, };

export type Term = { id: number, 
/**
 * The same on every PC (docs/shared-terminology.md).
 */
uid: string, 
/**
 * Versions made apart differ (see `sharing`).
 */
conflict: boolean, lang: string, text: string, 
/**
 * preferred / admitted / deprecated / forbidden
 */
status: string, partOfSpeech: string, usageNote: string, source: string, author: string, updatedAt: number, };

export type Concept = { id: number, uid: string, 
/**
 * Its fields or one of its terms are in conflict.
 */
conflict: boolean, externalId: string, domain: string, definition: string, note: string, source: string, createdAt: number, updatedAt: number, terms: Array<Term>, };

export type ConceptQuery = { search?: string, 
/**
 * Only concepts with a term in this language.
 */
lang?: string, domain?: string, 
/**
 * Only concepts with a term of this status (in `lang`, when given).
 */
status?: string, limit?: number, };

export type ConceptPage = { total: number, items: Array<Concept>, };

export type TermInput = { id?: number, lang: string, text: string, status: string, partOfSpeech: string, usageNote: string, source: string, };

export type ConceptInput = { externalId: string, domain: string, definition: string, note: string, source: string, terms: Array<TermInput>, };

export type ConceptEdit = { id: number, concept: ConceptInput, };

export type ConceptMerge = { 
/**
 * The concept that stays.
 */
into: number, 
/**
 * The duplicate whose terms move over; it is then deleted.
 */
from: number, };

export type ConceptVersion = { changeId: string, 
/**
 * "concept", "term" or "status".
 */
kind: string, 
/**
 * The concept's or term's uid: versions of one register share it.
 */
subject: string, 
/**
 * The term's language ("" for the concept's own fields).
 */
lang: string, at: number, author: string, 
/**
 * The station it came from ("" for this one).
 */
station: string, text: string, status: string, usageNote: string, domain: string, definition: string, note: string, deleted: boolean, 
/**
 * One of the versions in conflict.
 */
inConflict: boolean, 
/**
 * A status change waiting for an approver.
 */
proposal: boolean, };

export type ConceptSharing = { 
/**
 * Newest first.
 */
versions: Array<ConceptVersion>, 
/**
 * Languages whose proposals this station may decide (it is their
 * approver, or none is named).
 */
decides: Array<string>, };

export type ChangesImported = { sets: number, 
/**
 * Changes this station did not have.
 */
new: number, 
/**
 * Concepts now in conflict, here.
 */
conflicts: number, };

export type HeldChangeSet = { id: string, 
/**
 * The signing station as the set names it, and its key id.
 */
station: string, keyId: string, changes: number, 
/**
 * An error code (`changes-unknown-language`, …) the UI words.
 */
problem: string, detail: string, 
/**
 * Unix seconds.
 */
receivedAt: number, };

export type LanguageApprovers = { lang: string, nameVi: string, 
/**
 * Key ids; empty: nobody is named, so anyone's status change counts.
 */
keyIds: Array<string>, 
/**
 * Who last named them ("" when nobody has).
 */
namedBy: string, 
/**
 * The station they were named from ("" for this one).
 */
namedFrom: string, namedAt: number | null, };

export type ApproverCandidate = { keyId: string, name: string, 
/**
 * This station itself.
 */
own: boolean, };

export type ApproversOverview = { 
/**
 * Only a province station names approvers (the hub refuses anyone
 * else's list); a station with no hub may, for the stations that trust
 * its key.
 */
canName: boolean, languages: Array<LanguageApprovers>, candidates: Array<ApproverCandidate>, };

export type Format = "csv" | "xlsx" | "tbx";

export type OnConflict = "merge" | "skip" | "add";

export type ImportOptions = { format: Format, 
/**
 * Per column of a table: "" (ignore), "id", "domain", "definition",
 * "note", or "term:LANG", "status:LANG", "pos:LANG", "usage:LANG".
 * Absent: guessed from the header row.
 */
mapping?: Array<string>, onConflict: OnConflict, };

export type ImportReport = { 
/**
 * The table's header row (empty for TBX).
 */
headers: Array<string>, 
/**
 * The mapping used, one entry per header.
 */
mapping: Array<string>, 
/**
 * The first rows of the table, to check the mapping against.
 */
sample: Array<Array<string>>, concepts: number, terms: number, new: number, duplicate: number, conflicting: number, 
/**
 * Languages in the file that the registry does not have (skipped).
 */
ignoredLanguages: Array<string>, };

export type TmUnit = { id: number, sourceLang: string, targetLang: string, source: string, target: string, translator: string, updatedAt: number, };

export type SegmentStatus = "untranslated" | "draft" | "confirmed" | "outdated";

export type TranslationStatus = "in-progress" | "translated";

export type TargetTerm = { text: string, status: string, };

export type TermSuggestion = { 
/**
 * Character offsets in the source segment.
 */
start: number, end: number, source: string, conceptId: number, targets: Array<TargetTerm>, };

export type TranslationSegment = { position: number, paragraph: number, source: string, target: string, status: SegmentStatus, 
/**
 * For an outdated segment: the sentence the target was written for.
 */
previousSource?: string, translator: string, updatedAt: number, terms: Array<TermSuggestion>, };

export type TranslationProgress = { total: number, untranslated: number, draft: number, confirmed: number, outdated: number, };

export type Translation = { scriptId: number, title: string, lang: string, status: TranslationStatus, segments: Array<TranslationSegment>, progress: TranslationProgress, };

export type TranslationRef = { scriptId: number, lang: string, };

export type SegmentSave = { scriptId: number, lang: string, position: number, 
/**
 * The source sentence the user translated, to catch a script that
 * changed meanwhile.
 */
source: string, target: string, 
/**
 * Confirmed (and saved to the memory) rather than a draft.
 */
confirm: boolean, };

export type TranslationStatusChange = { scriptId: number, lang: string, status: TranslationStatus, };

export type MatchQuery = { lang: string, source: string, threshold?: number, };

export type MatchSuggestion = { unit: TmUnit, 
/**
 * 0–100.
 */
score: number, 
/**
 * Words of the query (equal/insert) against the match's source (delete).
 */
diff: Array<DiffChunk>, };

export type TranslationExport = { scriptId: number, lang: string, format: ExportFormat, };

export type TranslationInfo = { lang: string, status: TranslationStatus, progress: TranslationProgress, };

export type Severity = "error" | "warning";

export type QaKind = "untranslated" | "unconfirmed" | "outdated" | "missing-term" | "forbidden-term" | "deprecated-term" | "number-mismatch" | "length" | "repeated-word" | "spaces";

export type QaIssue = { position: number, kind: QaKind, severity: Severity, 
/**
 * What was found (a term, a number, a word), when there is one.
 */
found: string, 
/**
 * What was expected instead, when known.
 */
expected: string, };

export type Loudness = { seconds: number, rate: number, channels: number, 
/**
 * LUFS; None for silence (below the −70 LUFS gate).
 */
integratedLufs: number | null, 
/**
 * LU.
 */
rangeLu: number, 
/**
 * dBTP, the highest over channels; None for digital silence.
 */
truePeakDb: number | null, samplePeakDb: number | null, };

export type RenderFormat = "mp3" | "wav";

export type RenderOptions = { 
/**
 * Integrated loudness to reach: −16 LUFS for loudspeakers and IP radio,
 * −23 LUFS (EBU R128) for FM.
 */
targetLufs: number, 
/**
 * Ceiling in dBTP.
 */
truePeakDb: number, format: RenderFormat, 
/**
 * MP3 CBR bitrate in kbit/s.
 */
bitrateKbps: number, rate: number, 
/**
 * Horn loudspeakers: cut below this (Hz); None keeps everything.
 */
highPassHz?: number, trimSilence: boolean, title: string, artist: string, album: string, 
/**
 * Recording date (YYYY-MM-DD), written to the ID3 tag.
 */
date: string, 
/**
 * ISO 639 code of the language read, written to the ID3 tag.
 */
language: string, comment: string, };

export type InputDevice = { id: string, name: string, isDefault: boolean, };

export type Level = { 
/**
 * dBFS; −100 for silence.
 */
peakDb: number, rmsDb: number, 
/**
 * A sample reached full scale since the previous reading.
 */
clipped: boolean, 
/**
 * Seconds recorded so far (paused time excluded).
 */
seconds: number, 
/**
 * The device stopped (unplugged, taken away): what was recorded is kept.
 */
deviceError?: string, 
/**
 * The take could not be written on (the disk is full): the take ends
 * and keeps what was written.
 */
writeError?: string, };

export type Take = { id: number, scriptId: number, lang: string, 
/**
 * The user's name for it; empty until renamed.
 */
name: string, 
/**
 * recorded / imported / recovered
 */
origin: string, chosen: boolean, 
/**
 * Length after the edit; the measurements below are of the edited
 * audio too, since that is what goes on air.
 */
seconds: number, 
/**
 * Length of the untouched recording.
 */
sourceSeconds: number, edit: Edit, canUndo: boolean, canRedo: boolean, rate: number, channels: number, integratedLufs?: number, rangeLu: number, truePeakDb?: number, createdBy: string, createdAt: number, };

export type TakeRef = { scriptId: number, lang: string, };

export type TakeImportStaged = { scriptId: number, lang: string, 
/**
 * From [`crate::record::incoming::stage`].
 */
token: string, };

export type Staged = { token: string, size: number, 
/**
 * The user's name for the file, for messages.
 */
name: string, };

export type JobProgress = { done: number, 
/**
 * Waiting for another job of its kind to finish first.
 */
queued: boolean, 
/**
 * Results found since the last report (transcribed lines), to show
 * while the job runs.
 */
lines: Array<string>, 
/**
 * For work done in parts (a long take transcribed piece by piece):
 * which part is under way.
 */
part?: JobPart, };

export type JobPart = { at: number, of: number, resumed: number, };

export type Span = { from: number, to: number, };

export type Edit = { 
/**
 * Seconds trimmed from the head.
 */
start: number, 
/**
 * Where the take ends; None keeps it to the end.
 */
end?: number, 
/**
 * Stretches cut out between start and end, sorted, not overlapping.
 */
cuts: Array<Span>, };

export type TakeEdit = { id: number, edit: Edit, };

export type TakeAutoTrim = { id: number, 
/**
 * Quieter than this (dBFS, RMS over 10 ms) counts as silence.
 */
thresholdDb: number, };

export type TakeRename = { id: number, name: string, };

export type TakeExport = { id: number, profile: PackageProfile, };

export type ProfileInfo = { profile: PackageProfile, targetLufs: number, 
/**
 * A reading within this many LU of the target meets it (EBU R128's
 * tolerance for programmes).
 */
toleranceLu: number, 
/**
 * The true-peak ceiling, dBTP.
 */
truePeakDb: number, format: RenderFormat, bitrateKbps: number, };

export type Rendered = { path: string, loudness: Loudness, };

export type RecordingStart = { scriptId: number, lang: string, deviceId?: string, };

export type PlayState = { seconds: number, duration: number, playing: boolean, 
/**
 * Reached the end (or stopped).
 */
finished: boolean, };

export type PlayRequest = { takeId: number, from: number, 
/**
 * `from` is a moment of the original recording (a click on the
 * waveform), not of the edited take.
 */
inSource?: boolean, };

export type Playing = { takeId: number, 
/**
 * Set when a received package item plays instead of a take.
 */
itemId?: number, state: PlayState, sourceSeconds: number, };

export type StationLevel = "province" | "commune" | "other";

export type StationSummary = { id: number, level: StationLevel, name: string, adminCode: string | null, parentName: string | null, 
/**
 * When the search matched a pre-reform name rather than the current one.
 */
matchedAlias: string | null, aliasCount: number, 
/**
 * Its public key is known and trusted for packages.
 */
trusted: boolean, };

export type StationAlias = { oldCode: string, name: string, 
/**
 * "full" or "partial": the old unit merged whole or in part.
 */
mergeType: string, };

export type StationDetail = { summary: StationSummary, unitType: string, languages: Array<string>, contact: string, aliases: Array<StationAlias>, key?: StationKeyInfo, };

export type AdminImportSummary = { provinces: number, communes: number, aliases: number, };

export type StationQuery = { search?: string, level?: StationLevel, limit?: number, };

export type DemoSummary = { 
/**
 * True when the demo was already there and nothing was added.
 */
alreadySeeded: boolean, scripts: number, concepts: number, stations: number, };

export type Quantization = "f16" | "q8_0" | "q5_1";

export type ModelInfo = { name: string, bytes: number, 
/**
 * tiny / base / small / medium / large / custom
 */
size: string, quantization?: Quantization, multilingual: boolean, isDefault: boolean, };

export type LanguageGuess = { 
/**
 * Whisper's code of the likeliest language ("vi", "en"…).
 */
top: string, topProbability: number, 
/**
 * Probability that it is Vietnamese, 0…1.
 */
vietnamese: number, 
/**
 * Vietnamese is the likeliest language, and not by a hair.
 */
soundsVietnamese: boolean, };

export type ModelImport = { 
/**
 * A whisper.cpp file or a faster-whisper folder, read where it is.
 */
path: string, name: string, quantize?: Quantization, };

export type FileOpen = { path: string, kind: ImportKind, };

export type GlossaryImport = { token: string, options: ImportOptions, 
/**
 * false: only preview.
 */
commit: boolean, };

export type ConceptChoice = { conceptId: number, changeId: string, };

export type ProposalDecision = { conceptId: number, changeId: string, accept: boolean, };

export type ApproversNaming = { lang: string, keyIds: Array<string>, };

export type ChangesFile = { path: string, sets: number, changes: number, };

export type FileType = "audio" | "glossary" | "tmx" | "package" | "key-file" | "air-log" | "model" | "backup" | "update" | "changes";

export type FilePick = { fileType: FileType, 
/**
 * Shown as the dialog's title and its filter's name.
 */
title: string, };

export type TmxImportSummary = { units: number, 
/**
 * Translation units without a segment in the source language.
 */
skipped: number, };

export type TranscribeTake = { takeId: number, model?: string, };

export type Word = { start: number, end: number, text: string, probability: number, };

export type Line = { start: number, end: number, text: string, 
/**
 * Mean token probability 0…1; 1 for lines a person wrote or timed.
 */
confidence: number, words: Array<Word>, };

export type Source = "whisper" | "manual";

export type Transcript = { id: number, takeId: number, source: Source, 
/**
 * The Whisper model that heard it; empty for manual timing.
 */
model: string, seconds: number, lines: Array<Line>, 
/**
 * The take was edited after the timings were made: they may be off.
 */
stale: boolean, createdBy: string, createdAt: number, updatedAt: number, };

export type LinesSave = { id: number, lines: Array<Line>, };

export type Mark = { id: number, index: number, at: number, 
/**
 * Marks where the line ends instead (the last line, or a pause).
 */
end: boolean, };

export type TranscriptFormat = "txt" | "srt" | "vtt";

export type TranscriptExport = { id: number, format: TranscriptFormat, };

export type ToScript = { id: number, title: string, };

export type ReadStatus = "read" | "differs" | "missing";

export type ReadLine = { paragraph: number, sentence: string, status: ReadStatus, 
/**
 * What was heard where the sentence was read.
 */
heard: string, 
/**
 * Share of the sentence's words heard as written, 0…1.
 */
accuracy: number, start?: number, end?: number, };

export type Added = { text: string, start: number, end: number, };

export type Readback = { 
/**
 * Words in common, in percent of all words: 100 × 2 × matched ÷
 * (script words + heard words). 100 is a reading word for word;
 * skipped and added words both lower it.
 */
score: number, words: number, matched: number, lines: Array<ReadLine>, added: Array<Added>, };

export type StationKeyInfo = { keyId: string, publicKey: string, 
/**
 * When someone chose to trust it; None = known but not trusted.
 */
trustedAt?: number, };

export type StationEdit = { id: number, languages: Array<string>, contact: string, };

export type StationNew = { name: string, adminCode: string, };

export type PublicKeyInfo = { station: string, adminCode: string, 
/**
 * `7Q2M-K4XA-91FD-EE30`: read out over the phone before trusting.
 */
keyId: string, 
/**
 * 64 hex digits.
 */
publicKey: string, };

export type Group = { id: number, name: string, members: Array<StationSummary>, };

export type StationGroupSave = { 
/**
 * None creates a group.
 */
id?: number, name: string, stationIds: Array<number>, };

export type Destination = { path: string, 
/**
 * A USB stick or SD card rather than the PC's own folder.
 */
removable: boolean, };

export type StationTrustKey = { id: number, text: string, 
/**
 * The new key id's last group, when it replaces a trusted key.
 */
confirmReplace?: string, };

export type PackageTrust = { token: string, keyId: string, 
/**
 * The new key id's last group, when it replaces a trusted key.
 */
confirmReplace?: string, };

export type PackageOpen = { token: string, fileName: string, };

export type PlacePackage = { packageId: number, from?: string, to?: string, };

export type EntryMove = { entryId: number, delta: number, };

export type WeekShift = { week: string, by: number, };

export type ImportKind = "glossary-csv" | "glossary-xlsx" | "tbx" | "tmx" | "air-log" | "audio" | "package" | "key-file" | "admin-units" | "script-text" | "backup" | "update" | "changes";

export type BackupInfo = { path: string, bytes: number, created: string, station: string, keyId: string, files: number, };

export type BackupStatus = { lastAt?: number, daysSince?: number, 
/**
 * Never backed up, or longer ago than [`REMIND_AFTER_DAYS`].
 */
due: boolean, };

export type UpdateManifest = { format: number, product: string, 
/**
 * `MAJOR.MINOR.PATCH`.
 */
version: string, 
/**
 * `windows-x86_64`, `linux-x86_64`: see [`this_platform`].
 */
platform: string, 
/**
 * The installer's file name inside the update.
 */
file: string, size: number, 
/**
 * 64 hex digits.
 */
sha256: string, 
/**
 * What changed, shown before installing.
 */
notes: string, 
/**
 * `YYYY-MM-DD`.
 */
released: string, };

export type UpdateInfo = { manifest: UpdateManifest, 
/**
 * The version running now.
 */
current: string, 
/**
 * The key that signed it.
 */
keyId: string, };

export type Install = { "kind": "started", installer: string, } | { "kind": "manual", installer: string, command: string, };

export type About = { version: string, platform: string, 
/**
 * The release key's id, to compare with the one the project publishes.
 */
releaseKeyId: string, 
/**
 * The office's update address, if it set one.
 */
feedUrl: string, };

export type Feed = { version: string, 
/**
 * The `.loaupdate` to fetch, absolute or relative to the feed.
 */
url: string, notes: string, };

export type HubLink = { 
/**
 * Empty when this station uses no hub.
 */
url: string, 
/**
 * Unix seconds of the last sync that reached the hub.
 */
lastSync: number | null, 
/**
 * The last sync's error code (`network`, `hub-unknown-key`…), if it failed.
 */
lastError: string, 
/**
 * Packages waiting to be sent.
 */
outbox: number, 
/**
 * Packages from the hub not imported yet (downloading, or waiting for
 * their issuer's key to be trusted).
 */
waiting: number, 
/**
 * Receipts not reported yet.
 */
receipts: number, 
/**
 * `province` or `commune`, as the hub last said; empty before.
 */
role: string, };

export type HubWaiting = { seq: number, sha256: string, packageUuid: string, title: string, priority: string, size: number, 
/**
 * `listed` (to download) or `downloaded` (to import).
 */
state: string, 
/**
 * Why it waits: `package-untrusted` until its issuer's key is trusted.
 */
problem: string, 
/**
 * Where it is (or will be) downloaded: open it to check its issuer.
 */
file: string, };

export type HubSync = { sent: number, listed: number, imported: number, 
/**
 * Waiting for their issuer's key to be trusted here.
 */
held: number, refused: number, receipts: number, 
/**
 * Other stations' airings brought in for the reports (province PCs).
 */
airings: number, 
/**
 * Terminology changes sent and received.
 */
changesSent: number, changesReceived: number, };

export type Role = "province" | "commune";

export type ReceiptKind = "delivered" | "imported" | "aired";

export type Receipt = { packageId: string, kind: ReceiptKind, 
/**
 * RFC 3339, the station's clock.
 */
at: string, 
/**
 * What aired: the language and length (aired receipts only).
 */
lang: string, seconds: number, 
/**
 * Whether it aired within the package's validity.
 */
onTime: boolean | null, };

export type NetworkStation = { keyId: string, name: string, adminCode: string, role: Role, 
/**
 * RFC 3339 (UTC), or none if never seen.
 */
lastSeen?: string, appVersion: string, 
/**
 * Bytes free in its data folder; -1 unknown.
 */
freeDisk: number, 
/**
 * Packages delivered to it that it has not fetched yet.
 */
pending: number, 
/**
 * Not seen for [`SILENT_SECS`] (or never).
 */
silent: boolean, };

export type NetworkPackage = { sha256: string, packageId: string, title: string, priority: string, issuerKeyId: string, uploadedAt: string, recipients: number, delivered: number, imported: number, 
/**
 * Stations that aired it at least once.
 */
aired: number, };

export type Network = { stations: Array<NetworkStation>, 
/**
 * The newest first.
 */
packages: Array<NetworkPackage>, };

export type Reach = { keyId: string, name: string, adminCode: string, delivered?: string, imported?: string, 
/**
 * Each airing: when, in which language, how long.
 */
aired: Array<Receipt>, };

export type HubEvent = { synced?: HubSync, error?: ApiError, };

export type PlayerExport = { week: string, out: string, };

export type DateRange = { from: string, to: string, };

export type ReportExport = { query: ReportQuery, format: ReportFormat, };

export type PlayItem = { itemId: number, from: number, };

export type PackageManifest = { format: number, id: string, title: string, issuer: PackageIssuer, 
/**
 * When it was built, with the issuer's UTC offset.
 */
created: string, validFrom: string, validUntil: string, priority: Priority, 
/**
 * Suggested daily slots, `HH:MM` starts.
 */
slots: Array<string>, targets: PackageTargets, items: Array<PackageManifestItem>, };

export type PackageIssuer = { station: string, adminCode: string, keyId: string, 
/**
 * The Ed25519 public key, 64 hex digits; trusted only once its key id
 * was checked with the issuer.
 */
publicKey: string, };

export type PackageTargets = { stations: Array<TargetStation>, 
/**
 * Group names, as the issuer calls them.
 */
groups: Array<string>, };

export type TargetStation = { adminCode: string, name: string, };

export type PackageManifestItem = { 
/**
 * The issuer's script id and revision.
 */
scriptId: number, revision: number, lang: string, title: string, program: string, category: Category, seconds: number, lufs?: number, truePeakDb?: number, files: Array<PackageFile>, };

export type PackageFileKind = "audio" | "text" | "document" | "subtitles";

export type PackageFile = { kind: PackageFileKind, path: string, size: number, 
/**
 * Lower-case hex.
 */
sha256: string, };

export type PackageProfile = "speaker" | "fm";

export type PackageBuild = { scriptIds: Array<number>, 
/**
 * Languages to include; None = every language with a chosen take.
 */
langs?: Array<string>, 
/**
 * Default: the first script's title.
 */
title?: string, 
/**
 * Default: the most urgent of the scripts'.
 */
priority?: Priority, 
/**
 * `YYYY-MM-DD`; default today.
 */
validFrom?: string, validDays: number, 
/**
 * Suggested daily slots, `HH:MM`.
 */
slots: Array<string>, targetStations: Array<number>, targetGroups: Array<number>, profile: PackageProfile, 
/**
 * One package per language, to stay under attachment limits.
 */
splitByLanguage: boolean, 
/**
 * A folder (a fresh file name is made in it) or a `.loa` file path.
 */
out: string, };

export type PackagePlanItem = { scriptId: number, title: string, lang: string, takeId?: number, seconds: number, estimatedBytes: number, 
/**
 * Why it cannot go in: "not-approved" or "no-take".
 */
problem?: string, };

export type PackagePlan = { items: Array<PackagePlanItem>, totalBytes: number, 
/**
 * Estimated bytes per language, for splitting.
 */
languages: Array<[string, number]>, attachmentLimit: number, 
/**
 * The package(s) as asked would exceed the attachment limit.
 */
overLimit: boolean, ready: boolean, 
/**
 * Target languages left out because they have no chosen take yet (when
 * no languages were asked for), so nobody is surprised by their absence.
 */
skipped: Array<PackagePlanItem>, };

export type PackageBuilt = { id: string, path: string, bytes: number, items: number, langs: Array<string>, overLimit: boolean, };

export type PackageDirection = "sent" | "received";

export type PackageSummary = { id: number, 
/**
 * The manifest's id.
 */
uuid: string, direction: PackageDirection, title: string, 
/**
 * Who sent it: the name of the station whose key signed it, as this
 * PC's directory has it; the manifest's own words only for a station
 * not in the directory.
 */
issuerName: string, issuerCode: string, 
/**
 * What the manifest claims when it differs from the signing station's
 * name or code here: a trusted key speaking as someone else.
 */
claimedIssuer?: string, keyId: string, priority: Priority, created: string, validFrom: string, validUntil: string, items: number, seconds: number, langs: Array<string>, fileName: string, bytes: number, recordedAt: number, 
/**
 * Past its last valid day.
 */
expired: boolean, };

export type PackageItem = { id: number, seq: number, scriptId: number, revision: number, lang: string, title: string, program: string, category: Category, seconds: number, lufs?: number, truePeakDb?: number, 
/**
 * Received items: the MP3 on this PC.
 */
audioPath?: string, 
/**
 * Received items: the text to read.
 */
text: string, hasSubtitles: boolean, };

export type PackageDetail = { summary: PackageSummary, items: Array<PackageItem>, slots: Array<string>, targets: PackageTargets, };

export type PackageInspected = { manifest: PackageManifest, trusted: boolean, 
/**
 * Imported before (perhaps since deleted): it will not be again.
 */
alreadyImported: boolean, bytes: number, 
/**
 * Who signed it, by this PC's directory (see [`PackageSummary::issuer_name`]).
 */
issuerName: string, 
/**
 * The manifest's claim, when it differs from the signing station.
 */
claimedIssuer?: string, 
/**
 * Its targets name this station, or it names none.
 */
addressed: boolean, 
/**
 * Not trusted, and the station the manifest names already has another
 * trusted key: the likeliest sign of a forgery (or of a new PC at the
 * issuer, which only a phone call can tell apart). Trusting this key
 * then replaces that one and takes its own confirmation.
 */
otherTrustedKey?: string, };

export type Slot = { 
/**
 * None when saving a new slot.
 */
id?: number, name: string, 
/**
 * `HH:MM`.
 */
start: string, end: string, 
/**
 * Monday-first: which weekdays it runs.
 */
days: [boolean, boolean, boolean, boolean, boolean, boolean, boolean], };

export type EntryView = { id: number, itemId: number, packageId: number, packageTitle: string, title: string, lang: string, seconds: number, priority: Priority, 
/**
 * `HH:MM` it starts, counting the items before it in the slot.
 */
starts: string, aired: boolean, 
/**
 * The day is outside the package's validity.
 */
outsideValidity: boolean, };

export type SlotDay = { slotId?: number, name: string, start: string, end: string, entries: Array<EntryView>, seconds: number, 
/**
 * More to play than the slot holds.
 */
overfull: boolean, };

export type Day = { date: string, 
/**
 * Slots running that day, then emergency insertions (no slot).
 */
slots: Array<SlotDay>, };

export type Week = { 
/**
 * `2026-W48`.
 */
week: string, days: Array<Day>, 
/**
 * Human-readable count of problems: overfull slots and entries outside
 * their package's validity.
 */
conflicts: number, };

export type Place = { itemId: number, date: string, slotId: number, };

export type PlaceResult = { placed: number, 
/**
 * Already there.
 */
skipped: number, };

export type PlayerExported = { folder: string, files: number, playlists: number, 
/**
 * Entries left out, each `date start title`: their audio is missing or
 * their data cannot make a safe file name. The rest is written.
 */
skipped: Array<string>, };

export type AirEntry = { id: number, itemId?: number, entryId?: number, title: string, lang: string, stationId?: number, stationName: string, 
/**
 * Unix seconds.
 */
airedAt: number, 
/**
 * `YYYY-MM-DD HH:MM`, local.
 */
airedLocal: string, seconds: number, 
/**
 * Aired within the package's validity; None when not from a package.
 */
onTime?: boolean, 
/**
 * "manual" or "import".
 */
source: string, };

export type AirMark = { entryId?: number, itemId?: number, 
/**
 * `YYYY-MM-DD HH:MM` local; default: the entry's scheduled time, else now.
 */
airedAt?: string, 
/**
 * Default: the item's length.
 */
seconds?: number, };

export type AirImportSummary = { added: number, 
/**
 * Rows recognised as a received item.
 */
matched: number, };

export type ReportQuery = { 
/**
 * `YYYY-MM-DD`, both included.
 */
from: string, to: string, 
/**
 * Empty: every station.
 */
stationIds: Array<number>, };

export type Tally = { key: string, count: number, };

export type StationMinutes = { station: string, lang: string, produced: number, aired: number, };

export type TimelinePoint = { 
/**
 * `2026-11` (by month) or `2026-W48` (by week, for short periods).
 */
period: string, produced: number, aired: number, };

export type Report = { from: string, to: string, 
/**
 * The stations asked for; empty = all.
 */
stations: Array<string>, 
/**
 * Scripts approved in the period.
 */
scripts: number, byCategory: Array<Tally>, byProgram: Array<Tally>, byPriority: Array<Tally>, 
/**
 * Languages with audio produced or aired.
 */
languages: Array<string>, 
/**
 * Minutes per station and language.
 */
minutes: Array<StationMinutes>, producedMinutes: number, airedMinutes: number, packagesSent: number, packagesReceived: number, broadcasts: number, 
/**
 * Aired within the package's validity.
 */
onTime: number, late: number, timeline: Array<TimelinePoint>, };

export type ReportFormat = "xlsx" | "docx";

/** Every command, typed. Rejections carry an ApiError. */
export const commands = {
  appOverview: (): Promise<Overview> => invoke("app_overview", { args: null }),
  settingsGet: (): Promise<Settings> => invoke("settings_get", { args: null }),
  updateAbout: (): Promise<About> => invoke("update_about", { args: null }),
  hubLink: (): Promise<HubLink> => invoke("hub_link", { args: null }),
  hubWaiting: (): Promise<Array<HubWaiting>> => invoke("hub_waiting", { args: null }),
  settingsUpdate: (args: SettingsPatch): Promise<Settings> => invoke("settings_update", { args }),
  languageList: (): Promise<Array<Language>> => invoke("language_list", { args: null }),
  scriptList: (args: ScriptQuery): Promise<Array<ScriptSummary>> => invoke("script_list", { args }),
  scriptGet: (args: number): Promise<ScriptDetail> => invoke("script_get", { args }),
  scriptCreate: (args: ScriptInput): Promise<ScriptDetail> => invoke("script_create", { args }),
  scriptUpdate: (args: ScriptEdit): Promise<ScriptDetail> => invoke("script_update", { args }),
  scriptSetStatus: (args: StatusChange): Promise<ScriptDetail> => invoke("script_set_status", { args }),
  scriptDelete: (args: number): Promise<null> => invoke("script_delete", { args }),
  scriptUndelete: (args: number): Promise<ScriptDetail> => invoke("script_undelete", { args }),
  scriptRevisions: (args: number): Promise<Array<RevisionInfo>> => invoke("script_revisions", { args }),
  scriptEvents: (args: number): Promise<Array<ScriptEvent>> => invoke("script_events", { args }),
  scriptDiff: (args: RevisionRef): Promise<RevisionDiff> => invoke("script_diff", { args }),
  scriptRestore: (args: RevisionRef): Promise<ScriptDetail> => invoke("script_restore", { args }),
  scriptPrograms: (): Promise<Array<string>> => invoke("script_programs", { args: null }),
  templateList: (): Promise<Array<Template>> => invoke("template_list", { args: null }),
  templateSave: (args: SaveAsTemplate): Promise<Template> => invoke("template_save", { args }),
  templateDelete: (args: number): Promise<null> => invoke("template_delete", { args }),
  templateUse: (args: number): Promise<ScriptDetail> => invoke("template_use", { args }),
  scriptSegments: (args: number): Promise<Array<Segment>> => invoke("script_segments", { args }),
  scriptExport: (args: ExportRequest): Promise<string> => invoke("script_export", { args }),
  scriptEstimate: (args: EstimateRequest): Promise<ReadingEstimate> => invoke("script_estimate", { args }),
  readerList: (): Promise<Array<Reader>> => invoke("reader_list", { args: null }),
  readerCreate: (args: NewReader): Promise<Reader> => invoke("reader_create", { args }),
  readerDelete: (args: number): Promise<null> => invoke("reader_delete", { args }),
  langRateList: (): Promise<Array<LangRate>> => invoke("lang_rate_list", { args: null }),
  langRateSet: (args: LangRate): Promise<Array<LangRate>> => invoke("lang_rate_set", { args }),
  languageSave: (args: Language): Promise<Language> => invoke("language_save", { args }),
  languageDelete: (args: string): Promise<null> => invoke("language_delete", { args }),
  glossaryList: (args: ConceptQuery): Promise<ConceptPage> => invoke("glossary_list", { args }),
  glossaryGet: (args: number): Promise<Concept> => invoke("glossary_get", { args }),
  glossaryDomains: (): Promise<Array<string>> => invoke("glossary_domains", { args: null }),
  glossaryCreate: (args: ConceptInput): Promise<Concept> => invoke("glossary_create", { args }),
  glossaryUpdate: (args: ConceptEdit): Promise<Concept> => invoke("glossary_update", { args }),
  glossaryDelete: (args: number): Promise<null> => invoke("glossary_delete", { args }),
  glossaryUndelete: (args: number): Promise<Concept> => invoke("glossary_undelete", { args }),
  glossaryMerge: (args: ConceptMerge): Promise<Concept> => invoke("glossary_merge", { args }),
  glossaryImport: (args: GlossaryImport): Promise<ImportReport> => invoke("glossary_import", { args }),
  glossarySharing: (args: number): Promise<ConceptSharing> => invoke("glossary_sharing", { args }),
  glossaryResolve: (args: ConceptChoice): Promise<Concept> => invoke("glossary_resolve", { args }),
  glossaryDecide: (args: ProposalDecision): Promise<Concept> => invoke("glossary_decide", { args }),
  glossaryApprovers: (): Promise<ApproversOverview> => invoke("glossary_approvers", { args: null }),
  glossaryNameApprovers: (args: ApproversNaming): Promise<LanguageApprovers> => invoke("glossary_name_approvers", { args }),
  glossaryChangesHeld: (): Promise<Array<HeldChangeSet>> => invoke("glossary_changes_held", { args: null }),
  glossaryChangesExport: (): Promise<ChangesFile> => invoke("glossary_changes_export", { args: null }),
  glossaryChangesImport: (args: string): Promise<ChangesImported> => invoke("glossary_changes_import", { args }),
  glossaryExport: (args: Format): Promise<string> => invoke("glossary_export", { args }),
  translationOpen: (args: TranslationRef): Promise<Translation> => invoke("translation_open", { args }),
  translationSave: (args: SegmentSave): Promise<Translation> => invoke("translation_save", { args }),
  translationSetStatus: (args: TranslationStatusChange): Promise<Translation> => invoke("translation_set_status", { args }),
  translationMatches: (args: MatchQuery): Promise<Array<MatchSuggestion>> => invoke("translation_matches", { args }),
  translationQa: (args: TranslationRef): Promise<Array<QaIssue>> => invoke("translation_qa", { args }),
  translationSummary: (args: number): Promise<Array<TranslationInfo>> => invoke("translation_summary", { args }),
  translationExport: (args: TranslationExport): Promise<string> => invoke("translation_export", { args }),
  audioDevices: (): Promise<Array<InputDevice>> => invoke("audio_devices", { args: null }),
  takeList: (args: TakeRef): Promise<Array<Take>> => invoke("take_list", { args }),
  takeChoose: (args: number): Promise<Take> => invoke("take_choose", { args }),
  takeRename: (args: TakeRename): Promise<Take> => invoke("take_rename", { args }),
  takeDelete: (args: number): Promise<null> => invoke("take_delete", { args }),
  takePeaks: (args: number): Promise<Array<number>> => invoke("take_peaks", { args }),
  broadcastProfiles: (): Promise<Array<ProfileInfo>> => invoke("broadcast_profiles", { args: null }),
  takesRecover: (): Promise<Array<Take>> => invoke("takes_recover", { args: null }),
  recordingStart: (args: RecordingStart): Promise<null> => invoke("recording_start", { args }),
  recordingActive: (): Promise<RecordingStart | null> => invoke("recording_active", { args: null }),
  recordingLevel: (): Promise<Level | null> => invoke("recording_level", { args: null }),
  recordingPause: (args: boolean): Promise<null> => invoke("recording_pause", { args }),
  recordingStop: (): Promise<Take> => invoke("recording_stop", { args: null }),
  playbackPlay: (args: PlayRequest): Promise<null> => invoke("playback_play", { args }),
  playbackPause: (args: boolean): Promise<null> => invoke("playback_pause", { args }),
  playbackSeek: (args: number): Promise<null> => invoke("playback_seek", { args }),
  playbackStop: (): Promise<null> => invoke("playback_stop", { args: null }),
  playbackState: (): Promise<Playing | null> => invoke("playback_state", { args: null }),
  takeEdit: (args: TakeEdit): Promise<Take> => invoke("take_edit", { args }),
  takeUndo: (args: number): Promise<Take> => invoke("take_undo", { args }),
  takeRedo: (args: number): Promise<Take> => invoke("take_redo", { args }),
  takeAutoTrim: (args: TakeAutoTrim): Promise<Take> => invoke("take_auto_trim", { args }),
  jobCancel: (args: string): Promise<null> => invoke("job_cancel", { args }),
  tmImport: (args: string): Promise<TmxImportSummary> => invoke("tm_import", { args }),
  tmExport: (args: string): Promise<string> => invoke("tm_export", { args }),
  stationList: (args: StationQuery): Promise<Array<StationSummary>> => invoke("station_list", { args }),
  stationGet: (args: number): Promise<StationDetail> => invoke("station_get", { args }),
  stationLoadDirectory: (): Promise<AdminImportSummary> => invoke("station_load_directory", { args: null }),
  modelList: (): Promise<Array<ModelInfo>> => invoke("model_list", { args: null }),
  modelSetDefault: (args: string): Promise<Array<ModelInfo>> => invoke("model_set_default", { args }),
  modelDelete: (args: string): Promise<Array<ModelInfo>> => invoke("model_delete", { args }),
  transcriptGet: (args: number): Promise<Transcript | null> => invoke("transcript_get", { args }),
  transcriptSave: (args: LinesSave): Promise<Transcript> => invoke("transcript_save", { args }),
  transcriptMark: (args: Mark): Promise<Transcript> => invoke("transcript_mark", { args }),
  transcriptManual: (args: number): Promise<Transcript> => invoke("transcript_manual", { args }),
  transcriptDelete: (args: number): Promise<null> => invoke("transcript_delete", { args }),
  transcriptExport: (args: TranscriptExport): Promise<string> => invoke("transcript_export", { args }),
  transcriptToScript: (args: ToScript): Promise<ScriptDetail> => invoke("transcript_to_script", { args }),
  stationUpdate: (args: StationEdit): Promise<StationDetail> => invoke("station_update", { args }),
  stationCreate: (args: StationNew): Promise<StationDetail> => invoke("station_create", { args }),
  stationTrustKey: (args: StationTrustKey): Promise<StationDetail> => invoke("station_trust_key", { args }),
  stationUntrust: (args: number): Promise<StationDetail> => invoke("station_untrust", { args }),
  keyInfo: (): Promise<PublicKeyInfo> => invoke("key_info", { args: null }),
  keyParse: (args: string): Promise<PublicKeyInfo> => invoke("key_parse", { args }),
  backupStatus: (): Promise<BackupStatus> => invoke("backup_status", { args: null }),
  backupCanRestore: (): Promise<boolean> => invoke("backup_can_restore", { args: null }),
  backupFound: (): Promise<Array<BackupInfo>> => invoke("backup_found", { args: null }),
  keyExport: (): Promise<string> => invoke("key_export", { args: null }),
  groupList: (): Promise<Array<Group>> => invoke("group_list", { args: null }),
  groupSave: (args: StationGroupSave): Promise<Group> => invoke("group_save", { args }),
  groupDelete: (args: number): Promise<null> => invoke("group_delete", { args }),
  destinations: (): Promise<Array<Destination>> => invoke("destinations", { args: null }),
  packagePlan: (args: PackageBuild): Promise<PackagePlan> => invoke("package_plan", { args }),
  packageList: (args: PackageDirection): Promise<Array<PackageSummary>> => invoke("package_list", { args }),
  packageGet: (args: number): Promise<PackageDetail> => invoke("package_get", { args }),
  packageDelete: (args: number): Promise<null> => invoke("package_delete", { args }),
  packageTrust: (args: PackageTrust): Promise<StationDetail> => invoke("package_trust", { args }),
  packageDiscard: (args: string): Promise<null> => invoke("package_discard", { args }),
  itemPlay: (args: PlayItem): Promise<null> => invoke("item_play", { args }),
  scheduleSlots: (): Promise<Array<Slot>> => invoke("schedule_slots", { args: null }),
  scheduleSaveSlots: (args: Array<Slot>): Promise<Array<Slot>> => invoke("schedule_save_slots", { args }),
  scheduleThisWeek: (): Promise<string> => invoke("schedule_this_week", { args: null }),
  scheduleShiftWeek: (args: WeekShift): Promise<string> => invoke("schedule_shift_week", { args }),
  clockToday: (): Promise<string> => invoke("clock_today", { args: null }),
  scheduleWeek: (args: string): Promise<Week> => invoke("schedule_week", { args }),
  schedulePlacePackage: (args: PlacePackage): Promise<PlaceResult> => invoke("schedule_place_package", { args }),
  schedulePlace: (args: Place): Promise<PlaceResult> => invoke("schedule_place", { args }),
  scheduleNow: (args: number): Promise<number> => invoke("schedule_now", { args }),
  scheduleRemove: (args: number): Promise<null> => invoke("schedule_remove", { args }),
  scheduleMove: (args: EntryMove): Promise<null> => invoke("schedule_move", { args }),
  scheduleIcs: (args: string): Promise<string> => invoke("schedule_ics", { args }),
  airlogMark: (args: AirMark): Promise<AirEntry> => invoke("airlog_mark", { args }),
  airlogUnmark: (args: number): Promise<null> => invoke("airlog_unmark", { args }),
  airlogList: (args: DateRange): Promise<Array<AirEntry>> => invoke("airlog_list", { args }),
  airlogImport: (args: string): Promise<AirImportSummary> => invoke("airlog_import", { args }),
  reportBuild: (args: ReportQuery): Promise<Report> => invoke("report_build", { args }),
  reportExport: (args: ReportExport): Promise<string> => invoke("report_export", { args }),
  backupCreate: (args: string, job: string, onProgress: Channel<JobProgress>): Promise<BackupInfo> =>
    invoke("backup_create", { args, job, onProgress }),
  backupRestore: (args: string, job: string, onProgress: Channel<JobProgress>): Promise<BackupInfo> =>
    invoke("backup_restore", { args, job, onProgress }),
  playerExport: (args: PlayerExport, job: string, onProgress: Channel<JobProgress>): Promise<PlayerExported> =>
    invoke("player_export", { args, job, onProgress }),
  takeExport: (args: TakeExport, job: string, onProgress: Channel<JobProgress>): Promise<Rendered> =>
    invoke("take_export", { args, job, onProgress }),
  packageBuild: (args: PackageBuild, job: string, onProgress: Channel<JobProgress>): Promise<Array<PackageBuilt>> =>
    invoke("package_build", { args, job, onProgress }),
  packageInspect: (args: string, job: string, onProgress: Channel<JobProgress>): Promise<PackageInspected> =>
    invoke("package_inspect", { args, job, onProgress }),
  packageImport: (args: PackageOpen, job: string, onProgress: Channel<JobProgress>): Promise<PackageDetail> =>
    invoke("package_import", { args, job, onProgress }),
  transcribe: (args: TranscribeTake, job: string, onProgress: Channel<JobProgress>): Promise<Transcript> =>
    invoke("transcribe", { args, job, onProgress }),
  readbackCheck: (args: number, job: string, onProgress: Channel<JobProgress>): Promise<Readback> =>
    invoke("readback_check", { args, job, onProgress }),
  takeLanguage: (args: number, job: string, onProgress: Channel<JobProgress>): Promise<LanguageGuess> =>
    invoke("take_language", { args, job, onProgress }),
  hubNetwork: (args: null, job: string, onProgress: Channel<JobProgress>): Promise<Network> =>
    invoke("hub_network", { args, job, onProgress }),
  hubReach: (args: string, job: string, onProgress: Channel<JobProgress>): Promise<Array<Reach>> =>
    invoke("hub_reach", { args, job, onProgress }),
  hubSync: (args: null, job: string, onProgress: Channel<JobProgress>): Promise<HubSync> =>
    invoke("hub_sync", { args, job, onProgress }),
  updateCheck: (args: string, job: string, onProgress: Channel<JobProgress>): Promise<UpdateInfo> =>
    invoke("update_check", { args, job, onProgress }),
  updateFeedCheck: (args: string, job: string, onProgress: Channel<JobProgress>): Promise<Feed | null> =>
    invoke("update_feed_check", { args, job, onProgress }),
  updateDownload: (args: string, job: string, onProgress: Channel<JobProgress>): Promise<string> =>
    invoke("update_download", { args, job, onProgress }),
  updateInstall: (args: string, job: string, onProgress: Channel<JobProgress>): Promise<Install> =>
    invoke("update_install", { args, job, onProgress }),
  modelImport: (args: ModelImport, job: string, onProgress: Channel<JobProgress>): Promise<ModelInfo> =>
    invoke("model_import", { args, job, onProgress }),
  takeImport: (args: TakeImportStaged, job: string, onProgress: Channel<JobProgress>): Promise<Take> =>
    invoke("take_import", { args, job, onProgress }),
  filePick: (args: FilePick): Promise<string | null> => invoke("file_pick", { args }),
  folderPick: (args: string): Promise<string | null> => invoke("folder_pick", { args }),
  fileOpen: (args: FileOpen): Promise<Staged> => invoke("file_open", { args }),
  keyFileRead: (args: string): Promise<string> => invoke("key_file_read", { args }),
  hubSet: (args: string): Promise<HubLink> => invoke("hub_set", { args }),
  packageSend: (args: string): Promise<HubLink> => invoke("package_send", { args }),
  hubWake: (): Promise<null> => invoke("hub_wake", { args: null }),
  exportReveal: (args: string): Promise<null> => invoke("export_reveal", { args }),
  appPainted: (): Promise<null> => invoke("app_painted", { args: null }),
  openedFiles: (): Promise<Array<string>> => invoke("opened_files", { args: null }),
};
