import type { ProfileInfo } from "./bindings";
import { t } from "./i18n.svelte";

/** A broadcast profile named with the core's own figures (loudness target,
 * format, bitrate): the UI never writes them itself, so a label cannot say
 * other than what is rendered. */
export function profileLabel(p: ProfileInfo): string {
  return t(`recordings-profile-${p.profile}`, {
    lufs: String(p.targetLufs).replace("-", "−"),
    format: p.format.toUpperCase(),
    kbps: p.bitrateKbps,
  });
}

/** Whether a take measured at `lufs` with peaks at `truePeakDb` is ready
 * for the profile as it is: the core's tolerance and ceiling (the same rule
 * as `ProfileInfo::meets`). */
export function meetsProfile(p: ProfileInfo, lufs: number | null | undefined, truePeakDb: number | null | undefined): boolean {
  return lufs != null && Math.abs(lufs - p.targetLufs) <= p.toleranceLu && (truePeakDb ?? 0) <= p.truePeakDb;
}
