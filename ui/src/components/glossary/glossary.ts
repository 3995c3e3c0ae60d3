// Pure helpers shared by the glossary components (kept free of UI state so
// they can be unit-tested).
import type { Concept, ConceptInput, Format, Term, TermInput } from "../../lib/bindings";
import { TERM_STATUSES } from "../../lib/enums";

export type TermStatus = (typeof TERM_STATUSES)[number];

/** Most lists are far shorter; past this the user narrows the search. */
export const LIST_LIMIT = 500;

export interface TermGroup<T extends { lang: string }> {
  lang: string;
  terms: T[];
}

/** Terms grouped by language, in the order they come (the core sorts them
 * by the registry's language order). */
export function groupTerms<T extends { lang: string }>(terms: T[]): TermGroup<T>[] {
  const groups: TermGroup<T>[] = [];
  for (const term of terms) {
    const group = groups.find((g) => g.lang === term.lang);
    if (group) group.terms.push(term);
    else groups.push({ lang: term.lang, terms: [term] });
  }
  return groups;
}

/** A short name for a concept in pickers and messages. */
export function conceptLabel(c: Concept): string {
  const preferred = c.terms.find((term) => term.status === "preferred") ?? c.terms[0];
  return preferred?.text || c.definition || `#${c.id}`;
}

/** Discouraged terms are struck through wherever they are listed. */
export function isDiscouraged(status: string): boolean {
  return status === "deprecated" || status === "forbidden";
}

/** A term row of the edit form; `key` identifies unsaved rows too. */
export type TermRow = TermInput & { key: number };

let nextKey = -1;

export function newTermRow(lang: string): TermRow {
  return { key: nextKey--, lang, text: "", status: "preferred", partOfSpeech: "", usageNote: "", source: "" };
}

export function termRow(term: Term): TermRow {
  return {
    key: term.id,
    id: term.id,
    lang: term.lang,
    text: term.text,
    status: term.status,
    partOfSpeech: term.partOfSpeech,
    usageNote: term.usageNote,
    source: term.source,
  };
}

export function toTermInput({ id, lang, text, status, partOfSpeech, usageNote, source }: TermRow): TermInput {
  return id === undefined
    ? { lang, text, status, partOfSpeech, usageNote, source }
    : { id, lang, text, status, partOfSpeech, usageNote, source };
}

export type ConceptFields = Omit<ConceptInput, "terms">;

export function conceptFields(c: Concept | null): ConceptFields {
  return {
    externalId: c?.externalId ?? "",
    domain: c?.domain ?? "",
    definition: c?.definition ?? "",
    note: c?.note ?? "",
    source: c?.source ?? "",
  };
}

/** The import format for a file name, from its extension; null if unknown. */
export function importFormat(name: string): Format | null {
  const dot = name.lastIndexOf(".");
  if (dot < 0) return null;
  switch (name.slice(dot + 1).toLowerCase()) {
    case "csv":
    case "tsv":
    case "txt":
      return "csv";
    case "xlsx":
      return "xlsx";
    case "tbx":
    case "xml":
      return "tbx";
    default:
      return null;
  }
}

/** Column fields of an import mapping that belong to the concept. */
export const CONCEPT_FIELDS = ["id", "domain", "definition", "note"] as const;
/** Column fields that belong to a term, written "kind:LANG". */
export const TERM_FIELDS = ["term", "status", "pos", "usage"] as const;

/** The language whose text a mapped column holds, so the sample renders in
 * its font; null for columns of codes or of the concept. */
export function textLang(field: string): string | null {
  const m = /^(term|usage):([a-z]{3})$/.exec(field);
  return m ? m[2] : null;
}

/** A sample row with exactly `n` cells (rows of a CSV can be ragged). */
export function padRow(row: string[], n: number): string[] {
  return Array.from({ length: n }, (_, i) => row[i] ?? "");
}

/** True when the keyboard event is typing into a field, whose own
 * shortcuts (undo, delete) must keep working. */
export function inField(e: KeyboardEvent): boolean {
  const el = e.target;
  return (
    el instanceof HTMLElement &&
    (el.isContentEditable || el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)
  );
}
