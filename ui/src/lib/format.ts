import type { FluentVariable } from "@fluent/bundle";
import { format, locale, type Lang } from "./i18n.svelte";

type Translate = (id: string, args?: Record<string, FluentVariable>) => string;

/** Reading time as "2 phút 5 giây" / "45 giây". */
export function duration(t: Translate, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const min = Math.floor(s / 60);
  const sec = s % 60;
  return min === 0 ? t("duration-sec", { sec }) : t("duration-min-sec", { min, sec });
}

/** A Unix timestamp as a local date and time: 07/12/2026 08:05. */
export function dateTime(unixSeconds: number): string {
  return formatDateTime(unixSeconds);
}

/** File sizes as offices read them: "1,2 MB", "850 kB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1).replace(".", ",")} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** Audio length as m:ss. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A running clock as m:ss: whole seconds passed, never rounded up. */
export function formatClock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${Math.floor(seconds % 60).toString().padStart(2, "0")}`;
}

/** Minutes with one decimal and a Vietnamese decimal comma. */
export function formatMinutes(minutes: number): string {
  return minutes.toFixed(1).replace(".", ",");
}

// Dates, weeks, months and numbers as people read them, from the same
// Fluent patterns (`fmt-*`) the exports use; `tests/shared/format-cases.json`
// holds the cases this module and the Rust formatter are both tested on.

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Year, month, day of an ISO date (`2026-07-01`); null if it is none. */
function ymd(iso: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? [y, mo, d] : null;
}

/** A date, day first: 01/07/2026 (the year never grouped). */
export function formatDate(iso: string, lang: Lang = locale.lang): string {
  const p = ymd(iso);
  if (!p) return iso;
  return format(lang, "fmt-date", { day: pad2(p[2]), month: pad2(p[1]), year: String(p[0]) });
}

/** A moment (Unix seconds) as its local date: 07/12/2026. */
export function formatLocalDate(unixSeconds: number, lang: Lang = locale.lang): string {
  const d = new Date(unixSeconds * 1000);
  return format(lang, "fmt-date", { day: pad2(d.getDate()), month: pad2(d.getMonth() + 1), year: String(d.getFullYear()) });
}

/** A moment (Unix seconds) as a local date and time: 07/12/2026 08:05. */
export function formatDateTime(unixSeconds: number, lang: Lang = locale.lang): string {
  const d = new Date(unixSeconds * 1000);
  return format(lang, "fmt-date-time", { date: formatLocalDate(unixSeconds, lang), time: `${pad2(d.getHours())}:${pad2(d.getMinutes())}` });
}

/** Two dates as one span, sharing what they share: 7–13/12/2026. */
export function formatDateRange(fromIso: string, toIso: string): string {
  const a = ymd(fromIso);
  const b = ymd(toIso);
  if (!a || !b) return `${fromIso}–${toIso}`;
  if (a[0] === b[0] && a[1] === b[1]) return `${a[2]}–${b[2]}/${b[1]}/${b[0]}`;
  if (a[0] === b[0]) return `${a[2]}/${a[1]}–${b[2]}/${b[1]}/${b[0]}`;
  return `${a[2]}/${a[1]}/${a[0]}–${b[2]}/${b[1]}/${b[0]}`;
}

/** The Monday of ISO week `w` of `year`, as Unix days. */
function isoWeekMonday(year: number, w: number): number {
  const jan4 = Date.UTC(year, 0, 4) / 86_400_000;
  const dow = (new Date(jan4 * 86_400_000).getUTCDay() + 6) % 7;
  return jan4 - dow + (w - 1) * 7;
}

const isoOfDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** An ISO week id (`2026-W50`) as "Tuần 50 (7–13/12/2026)". */
export function formatWeek(id: string, lang: Lang = locale.lang): string {
  const m = /^(\d{4})-W(\d{1,2})$/i.exec(id.trim());
  if (!m) return id;
  const [y, w] = [Number(m[1]), Number(m[2])];
  const monday = isoWeekMonday(y, w);
  // A week 53 only some years have.
  if (w < 1 || w > 53 || isoWeekMonday(y + 1, 1) <= monday) return id;
  return format(lang, "fmt-week", { week: String(w), range: formatDateRange(isoOfDay(monday), isoOfDay(monday + 6)) });
}

/** A month id (`2026-11`) as "Tháng 11/2026". */
export function formatMonth(id: string, lang: Lang = locale.lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(id.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return id;
  return format(lang, "fmt-month", { month: String(Number(m[2])), year: m[1] });
}

/** A report's period bucket: a week or a month id. */
export function formatPeriod(id: string, lang: Lang = locale.lang): string {
  return id.includes("W") ? formatWeek(id, lang) : formatMonth(id, lang);
}

/** A number with `decimals` digits, grouped: 1.234.567,5 in Vietnamese. */
export function formatNumber(value: number, decimals = 0, lang: Lang = locale.lang): string {
  const text = Math.abs(value).toFixed(decimals);
  const [whole, frac] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, format(lang, "fmt-group-mark"));
  // -0,0 reads as a mistake.
  const sign = value < 0 && /[1-9]/.test(text) ? "-" : "";
  return frac ? `${sign}${grouped}${format(lang, "fmt-decimal-mark")}${frac}` : `${sign}${grouped}`;
}

/** What is typed in a date box, as an ISO date; null if it is no date.
 * Day first (1/7/2026, 01.07.2026, 1-7-2026), or ISO as pasted. */
export function parseDate(typed: string): string | null {
  const s = typed.trim();
  if (ymd(s)) return s;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${pad2(Number(m[2]))}-${pad2(Number(m[1]))}`;
  return ymd(iso) ? iso : null;
}
