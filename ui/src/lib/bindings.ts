// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit:
// run `make bindings` after changing a command or a type.

import { invoke } from "@tauri-apps/api/core";

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
stationId: number | null, };

export type SettingsPatch = { uiLang?: string, userName?: string, stationId?: number, 
/**
 * Forget this PC's station (wins over `station_id`).
 */
clearStation?: boolean, };

export type Language = { code: string, nameVi: string, nameNative: string, 
/**
 * ISO 15924: "Latn", or "Tavt" for Tai Viet.
 */
script: string, };

export type Priority = "normal" | "priority" | "emergency";

export type Category = "health" | "agriculture" | "law" | "security" | "disaster" | "other";

export type Status = "draft" | "review" | "approved";

export type NewScript = { title: string, body: string, program?: string, category: Category, priority: Priority, status: Status, policyRef: string, targetLangs: Array<string>, notes: string, source: string, };

export type ScriptSummary = { id: number, title: string, program: string | null, category: Category, priority: Priority, status: Status, policyRef: string, targetLangs: Array<string>, syllables: number, estSeconds: number, updatedAt: number, };

export type ScriptDetail = { summary: ScriptSummary, body: string, notes: string, source: string, createdAt: number, };

export type ScriptQuery = { search?: string, status?: Status, };

export type Term = { id: number, lang: string, text: string, 
/**
 * preferred / admitted / deprecated / forbidden
 */
status: string, usageNote: string, };

export type Concept = { id: number, externalId: string, domain: string, definition: string, note: string, source: string, terms: Array<Term>, };

export type ConceptQuery = { search?: string, 
/**
 * Only concepts with a term in this language.
 */
lang?: string, limit?: number, };

export type ConceptPage = { total: number, items: Array<Concept>, };

export type StationLevel = "province" | "commune" | "other";

export type StationSummary = { id: number, level: StationLevel, name: string, adminCode: string | null, parentName: string | null, 
/**
 * When the search matched a pre-reform name rather than the current one.
 */
matchedAlias: string | null, aliasCount: number, };

export type StationAlias = { oldCode: string, name: string, 
/**
 * "full" or "partial": the old unit merged whole or in part.
 */
mergeType: string, };

export type StationDetail = { summary: StationSummary, unitType: string, languages: Array<string>, contact: string, aliases: Array<StationAlias>, };

export type StationQuery = { search?: string, level?: StationLevel, limit?: number, };

export type DemoSummary = { 
/**
 * True when the demo was already there and nothing was added.
 */
alreadySeeded: boolean, scripts: number, concepts: number, stations: number, };

/** Every command, typed. Rejections carry an ApiError. */
export const commands = {
  appOverview: (): Promise<Overview> => invoke("app_overview", { args: null }),
  settingsGet: (): Promise<Settings> => invoke("settings_get", { args: null }),
  settingsUpdate: (args: SettingsPatch): Promise<Settings> => invoke("settings_update", { args }),
  languageList: (): Promise<Array<Language>> => invoke("language_list", { args: null }),
  scriptList: (args: ScriptQuery): Promise<Array<ScriptSummary>> => invoke("script_list", { args }),
  scriptGet: (args: number): Promise<ScriptDetail> => invoke("script_get", { args }),
  glossaryList: (args: ConceptQuery): Promise<ConceptPage> => invoke("glossary_list", { args }),
  stationList: (args: StationQuery): Promise<Array<StationSummary>> => invoke("station_list", { args }),
  stationGet: (args: number): Promise<StationDetail> => invoke("station_get", { args }),
};
