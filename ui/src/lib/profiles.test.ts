import { describe, expect, it } from "vitest";
import { locale } from "./i18n.svelte";
import { profileLabel } from "./profiles";

describe("profileLabel", () => {
  it("shows the figures it is given, in both languages", () => {
    globalThis.document ??= { documentElement: {} } as Document;
    const fm = { profile: "fm", targetLufs: -23, format: "mp3", bitrateKbps: 96 } as const;
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
