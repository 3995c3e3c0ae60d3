import type { ProfileInfo } from "./bindings";
import { t } from "./i18n.svelte";

/** A broadcast profile named by what it is for ("Loa ngoài trời, loa
 * IP"): what an officer chooses between. */
export function profileLabel(p: ProfileInfo): string {
  return t(`recordings-profile-${p.profile}`);
}

/** The profile's figures (loudness target, format, bitrate) from the core
 * itself, for the choice's tooltip: the UI never writes them, so they
 * cannot say other than what is rendered. */
export function profileDetail(p: ProfileInfo): string {
  return t("recordings-profile-detail", {
    lufs: String(p.targetLufs).replace("-", "−"),
    format: p.format.toUpperCase(),
    kbps: String(p.bitrateKbps),
  });
}

/** Whether a take measured at `lufs` with peaks at `truePeakDb` is ready
 * for the profile as it is: the core's tolerance and ceiling (the same rule
 * as `ProfileInfo::meets`). */
export function meetsProfile(p: ProfileInfo, lufs: number | null | undefined, truePeakDb: number | null | undefined): boolean {
  return lufs != null && Math.abs(lufs - p.targetLufs) <= p.toleranceLu && (truePeakDb ?? 0) <= p.truePeakDb;
}
