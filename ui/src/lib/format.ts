import type { FluentVariable } from "@fluent/bundle";

type Translate = (id: string, args?: Record<string, FluentVariable>) => string;

/** Reading time as "2 phút 5 giây" / "45 giây". */
export function duration(t: Translate, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const min = Math.floor(s / 60);
  const sec = s % 60;
  return min === 0 ? t("duration-sec", { sec }) : t("duration-min-sec", { min, sec });
}

/** A Unix timestamp as a local date and time in dd/mm/yyyy hh:mm. */
export function dateTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
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
