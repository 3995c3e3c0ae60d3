// Issue 14 in the window: the script editor on a disk that fills up shows
// that it could not save and tries again once there is room; and closing
// the window (Ctrl+Q, as the × does) saves the last keystrokes first. The
// data folder is on a small tmpfs (mounting needs root, which CI has).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { byTestId, launch, LOA, screenshot, UI_MS } from "./harness.mjs";

let mnt;
let dir;
let app;
let mounted = false;
try {
  mnt = mkdtempSync(join(tmpdir(), "loa-small-disk-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt], { stdio: "pipe" });
  mounted = true;
} catch {
  // Not root: the test says it was skipped, and why.
}
const skip = !mounted && "mounting a small disk needs root (CI runs as root)";
const cli = (...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args]).toString());

before(async () => {
  if (!mounted) return;
  dir = join(mnt, "data");
  execFileSync(LOA, ["--data-dir", dir, "init", "--demo"], { stdio: "pipe" });
  app = await launch(dir);
  await byTestId(app.browser, "home").waitForExist({ timeout: UI_MS });
});
after(async () => {
  await app?.stop().catch(() => {});
  if (mounted) execFileSync("umount", ["-l", mnt]);
});

/** Fills the disk; returns the filler's path. */
function fill() {
  const filler = join(mnt, "filler");
  const fd = openSync(filler, "w");
  const block = Buffer.alloc(256 * 1024, 0x5a);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: full.
  } finally {
    closeSync(fd);
  }
  return filler;
}

test("an autosave the full disk refuses is shown, and done once there is room", { skip }, async () => {
  const b = app.browser;
  const id = cli("script", "list")[0].id;
  await byTestId(b, "nav-scripts").click();
  await b.$(`[data-testid="script-row"][data-id="${id}"]`).click();
  const body = await byTestId(b, "edit-body");
  await body.waitForExist({ timeout: UI_MS });
  const filler = fill();
  await body.addValue(" Đài xã phát lại vào 17 giờ.");
  await b.waitUntil(async () => /Chưa lưu được/.test(await byTestId(b, "save-state").getText()), {
    timeout: UI_MS,
    timeoutMsg: "the failed save is shown",
  });
  await b.waitUntil(async () => /thử lưu lại/.test(await byTestId(b, "error").getText().catch(() => "")), {
    timeout: UI_MS,
    timeoutMsg: "and that it will be tried again",
  });
  await screenshot(b, "72-autosave-disk-full");
  assert.doesNotMatch(cli("script", "show", String(id)).input.body, /17 giờ/);
  rmSync(filler);
  await b.waitUntil(async () => /Đã lưu/.test(await byTestId(b, "save-state").getText()), {
    timeout: UI_MS,
    timeoutMsg: "saved by the retry, with no keystroke",
  });
  assert.match(cli("script", "show", String(id)).input.body, /phát lại vào 17 giờ\.$/);
});

test("closing the window saves what was typed just before", { skip }, async () => {
  const b = app.browser;
  const id = cli("script", "list")[0].id;
  const body = await byTestId(b, "edit-body");
  await body.addValue(" Xin cảm ơn.");
  // At once, well inside the autosave delay.
  // The window closes, and the WebDriver session with it, possibly before
  // the key action is answered: that answer is not what this test checks.
  await b.keys(["Control", "q"]).catch((e) => {
    if (!/session|crash|hang|unknown error/i.test(String(e))) throw e;
  });
  const started = Date.now();
  for (;;) {
    try {
      if (/Xin cảm ơn\.$/.test(cli("script", "show", String(id)).input.body)) break;
    } catch {
      // The window may still hold the folder for a moment.
    }
    assert.ok(Date.now() - started < UI_MS, "the last keystrokes reached the database");
    await new Promise((r) => setTimeout(r, 200));
  }
});
