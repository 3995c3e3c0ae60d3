import type { Category, Priority, Status, StationLevel } from "./bindings";

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

/** Waits until typing pauses before searching. */
export const SEARCH_DELAY_MS = 150;
