import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format, type Lang } from "./i18n.svelte";
import { duration, formatDate, formatDateRange, formatMonth, formatNumber, formatPeriod, formatWeek, parseDate } from "./format";

type Case = { lang: Lang; fn: string; args: (string | number)[]; out: string };
// The cases the Rust formatter (crates/loa-core/src/base/format.rs) is
// tested on too: the window and the exports agree.
const cases: Case[] = JSON.parse(readFileSync(join(__dirname, "../../../tests/shared/format-cases.json"), "utf8"));

function run(c: Case): string {
  const [a, b] = c.args;
  switch (c.fn) {
    case "date":
      return formatDate(String(a), c.lang);
    case "dateRange":
      return formatDateRange(String(a), String(b));
    case "week":
      return formatWeek(String(a), c.lang);
    case "month":
      return formatMonth(String(a), c.lang);
    case "period":
      return formatPeriod(String(a), c.lang);
    case "number":
      return formatNumber(Number(a), Number(b ?? 0), c.lang);
    case "duration":
      return duration((id, args) => format(c.lang, id, args), Number(a));
    case "parseDate":
      return parseDate(String(a)) ?? "";
    default:
      throw new Error(`unknown case ${c.fn}`);
  }
}

describe("dates and numbers", () => {
  it("has cases for both languages", () => {
    expect(new Set(cases.map((c) => c.lang))).toEqual(new Set(["vi", "en"]));
  });
  for (const c of cases) {
    it(`${c.lang} ${c.fn}(${c.args.join(", ")}) = ${c.out || "(none)"}`, () => {
      expect(run(c)).toBe(c.out);
    });
  }
  it("leaves what is not a week or month as it is", () => {
    expect(formatWeek("2021-W53", "vi")).toBe("2021-W53");
    expect(formatMonth("2026-13", "vi")).toBe("2026-13");
    expect(formatDate("hôm nay", "vi")).toBe("hôm nay");
  });
});
