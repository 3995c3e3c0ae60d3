import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FluentVariable } from "@fluent/bundle";
import { format, hasMessage, LANGS } from "./i18n.svelte";
import {
  CATEGORIES,
  MERGE_TYPES,
  PRIORITIES,
  QA_KINDS,
  QA_SEVERITIES,
  SEGMENT_STATUSES,
  STATION_LEVELS,
  STATUSES,
  TAKE_ORIGINS,
  TERM_STATUSES,
} from "./enums";
import { AREAS } from "./app.svelte";
import { duration } from "./format";

const SRC = join(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Message ids the UI names literally: t("id"), t('id'), and the string
 * props the area components receive (title="…-title" and the like). */
function literalIds(): Map<string, string> {
  const ids = new Map<string, string>();
  const patterns = [
    /\bt\(\s*["']([a-z0-9-]+)["']/g,
    /\b(?:title|emptyTitle|text|label)[=:]\s*["']([a-z]+-[a-z0-9-]+)["']/g,
    /"((?:home|nav)-[a-z0-9-]+)"/g,
  ];
  for (const file of sourceFiles(SRC)) {
    const src = readFileSync(file, "utf8");
    for (const re of patterns) for (const m of src.matchAll(re)) ids.set(m[1], file);
  }
  return ids;
}

describe("Fluent messages used by the UI", () => {
  it("finds the literal ids", () => {
    expect(literalIds().size).toBeGreaterThan(60);
  });

  it("defines every literal id in every language", () => {
    const missing: string[] = [];
    for (const [id, file] of literalIds())
      for (const lang of LANGS) if (!hasMessage(lang, id)) missing.push(`${lang}: ${id} (${file})`);
    expect(missing).toEqual([]);
  });

  it("defines every id built from an enum value", () => {
    const ids = [
      ...PRIORITIES.map((v) => `priority-${v}`),
      ...STATUSES.map((v) => `status-${v}`),
      ...CATEGORIES.map((v) => `category-${v}`),
      ...STATION_LEVELS.map((v) => `station-level-${v}`),
      ...TERM_STATUSES.map((v) => `term-status-${v}`),
      ...MERGE_TYPES.map((v) => `station-merge-${v}`),
      ...SEGMENT_STATUSES.map((v) => `segment-status-${v}`),
      ...QA_KINDS.map((v) => `qa-${v}`),
      ...QA_SEVERITIES.map((v) => `qa-severity-${v}`),
      ...TAKE_ORIGINS.map((v) => `recordings-origin-${v}`),
      ...AREAS.map((a) => a.label),
      ...AREAS.map((a) => `${a.id}-title`),
      ...["received", "build", "sent"].map((tab) => `packages-tab-${tab}`),
      ...[0, 1, 2, 3, 4, 5, 6].flatMap((d) => [`weekday-${d}`, `weekday-short-${d}`]),
      // Why a script cannot go in a package (the plan's problems).
      ...["not-approved", "no-take"].map((p) => `reason-${p}`),
    ];
    for (const lang of LANGS) for (const id of ids) expect(hasMessage(lang, id), `${lang}: ${id}`).toBe(true);
  });

  it("formats in both languages with arguments", () => {
    expect(format("vi", "nav-scripts")).toBe("Kịch bản");
    expect(format("en", "nav-scripts")).toBe("Scripts");
    expect(format("vi", "scripts-count", { count: 3 })).toBe("3 kịch bản");
    expect(format("en", "no-such-id")).toBe("no-such-id");
  });

  it("writes reading times", () => {
    const vi = (id: string, args?: Record<string, FluentVariable>) => format("vi", id, args);
    expect(duration(vi, 45)).toBe("45 giây");
    expect(duration(vi, 125)).toBe("2 phút 5 giây");
  });
});
