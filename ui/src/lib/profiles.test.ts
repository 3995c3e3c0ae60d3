import { describe, expect, it } from "vitest";
import { locale } from "./i18n.svelte";
import { meetsProfile, profileDetail, profileLabel } from "./profiles";

describe("profileLabel", () => {
  it("names what a profile is for, and its tooltip the figures it is given, in both languages", () => {
    globalThis.document ??= { documentElement: {} } as Document;
    const fm = { profile: "fm", targetLufs: -23, toleranceLu: 1, truePeakDb: -1, format: "mp3", bitrateKbps: 96 } as const;
    for (const lang of ["vi", "en"] as const) {
      locale.lang = lang;
      expect(profileLabel(fm)).toMatch(/FM/);
      expect(profileLabel(fm)).not.toMatch(/LUFS|MP3|\d/);
      const detail = profileDetail(fm);
      expect(detail).toContain("−23");
      expect(detail).toContain("MP3");
      expect(detail).toContain("96");
      expect(detail).not.toContain("128");
    }
    locale.lang = "vi";
  });
});

describe("meetsProfile", () => {
  it("uses the profile's tolerance and ceiling", () => {
    const p = { profile: "speaker", targetLufs: -16, toleranceLu: 0.5, truePeakDb: -2, format: "mp3", bitrateKbps: 64 } as const;
    expect(meetsProfile(p, -16.4, -3)).toBe(true);
    expect(meetsProfile(p, -16.6, -3)).toBe(false);
    expect(meetsProfile(p, -16, -1.5)).toBe(false);
    expect(meetsProfile(p, null, -3)).toBe(false);
  });
});
