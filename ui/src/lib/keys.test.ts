import { afterEach, describe, expect, it, vi } from "vitest";

const key = (mods: Partial<KeyboardEvent>) => ({ ctrlKey: false, metaKey: false, ...mods }) as KeyboardEvent;

async function load(platform: string) {
  vi.resetModules();
  vi.stubGlobal("navigator", { platform });
  return import("./keys");
}

describe("shortcut modifier", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is Ctrl on Windows and Linux, and ⌘ is not ours there", async () => {
    for (const platform of ["Win32", "Linux x86_64"]) {
      const k = await load(platform);
      expect(k.MOD).toBe("Ctrl");
      expect(k.mod(key({ ctrlKey: true }))).toBe(true);
      expect(k.mod(key({ metaKey: true }))).toBe(false);
      expect(k.otherMod(key({ metaKey: true }))).toBe(true);
    }
  });

  it("is ⌘ on macOS, where Ctrl is the system's", async () => {
    const k = await load("MacIntel");
    expect(k.MOD).toBe("⌘");
    expect(k.mod(key({ metaKey: true }))).toBe(true);
    expect(k.mod(key({ ctrlKey: true }))).toBe(false);
    expect(k.otherMod(key({ ctrlKey: true }))).toBe(true);
  });
});
