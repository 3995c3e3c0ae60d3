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
