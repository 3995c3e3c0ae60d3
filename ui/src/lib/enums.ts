import type { Category, Priority, QaKind, SegmentStatus, Severity, Status, StationLevel } from "./bindings";

// Every value of each closed set, so tests can check each has its message.
export const PRIORITIES = ["normal", "priority", "emergency"] as const satisfies readonly Priority[];
export const STATUSES = ["draft", "review", "approved"] as const satisfies readonly Status[];
export const CATEGORIES = [
  "health",
  "agriculture",
  "law",
  "security",
  "disaster",
  "other",
] as const satisfies readonly Category[];
export const STATION_LEVELS = ["province", "commune", "other"] as const satisfies readonly StationLevel[];
export const TERM_STATUSES = ["preferred", "admitted", "deprecated", "forbidden"] as const;
export const MERGE_TYPES = ["full", "partial"] as const;
export const SEGMENT_STATUSES = ["untranslated", "draft", "confirmed", "outdated"] as const satisfies readonly SegmentStatus[];
export const QA_KINDS = [
  "untranslated",
  "unconfirmed",
  "outdated",
  "missing-term",
  "forbidden-term",
  "deprecated-term",
  "number-mismatch",
  "length",
  "repeated-word",
  "spaces",
] as const satisfies readonly QaKind[];
export const QA_SEVERITIES = ["error", "warning"] as const satisfies readonly Severity[];

/** Waits until typing pauses before searching. */
export const SEARCH_DELAY_MS = 150;
export const TAKE_ORIGINS = ["recorded", "imported", "recovered"] as const;
