import { describe, expect, it } from "vitest";
import { locale } from "./i18n.svelte";
import { meetsProfile, profileLabel } from "./profiles";

describe("profileLabel", () => {
  it("shows the figures it is given, in both languages", () => {
    globalThis.document ??= { documentElement: {} } as Document;
    const fm = { profile: "fm", targetLufs: -23, toleranceLu: 1, truePeakDb: -1, format: "mp3", bitrateKbps: 96 } as const;
    for (const lang of ["vi", "en"] as const) {
      locale.lang = lang;
      const label = profileLabel(fm);
      expect(label).toContain("−23");
      expect(label).toContain("MP3");
      expect(label).toContain("96");
      expect(label).not.toContain("128");
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
