// Issue 14: the whole station backed up from Settings (the home screen
// reminds while none is recent), then restored in the window of a new PC
// whose data folder holds nothing yet.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { byTestId, dataDir, launch, LOA, retype, screenshot, UI_MS, waitForJob } from "./harness.mjs";

let app;
after(async () => {
  await app?.stop();
});

const usb = mkdtempSync(join(tmpdir(), "loa-usb-"));
let backupFile;

async function openSettings(b) {
  await byTestId(b, "nav-settings").click();
  await byTestId(b, "backup").waitForExist({ timeout: UI_MS });
}


test("the home screen reminds, and Settings backs the station up into one file", async () => {
  const dir = dataDir();
  app = await launch(dir);
  const b = app.browser;
  await byTestId(b, "home-backup-due").waitForExist({ timeout: UI_MS });
  await byTestId(b, "home-backup-due").$("button").click();
  await byTestId(b, "backup").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "backup-status").getText(), /Chưa sao lưu/);
  await retype(b, await byTestId(b, "backup-out"), usb);
  await byTestId(b, "backup-create").click();
  await waitForJob(b, async () => /\.loabackup/.test(await byTestId(b, "backup-notice").getText().catch(() => "")), {
    what: "the backup",
  });
  await screenshot(b, "70-backup-created");
  const files = readdirSync(usb).filter((f) => f.endsWith(".loabackup"));
  assert.equal(files.length, 1, files.join(", "));
  backupFile = join(usb, files[0]);
  assert.ok(!readdirSync(usb).some((f) => f.endsWith(".part")), "no half-written file");
  assert.match(await byTestId(b, "backup-status").getText(), /0 ngày/);
  // The reminder is gone.
  await byTestId(b, "nav-home").click();
  await byTestId(b, "stat-scripts").waitForExist({ timeout: UI_MS });
  await b.pause(300);
  assert.equal(await byTestId(b, "home-backup-due").isExisting(), false);
  // The restore offer is only for a folder without work.
  await openSettings(b);
  assert.equal(await byTestId(b, "backup-restore").isExisting(), false);
  await app.stop();
  app = null;
});

test("a new PC restores the backup in the window and has the station's work", async () => {
  assert.ok(backupFile && existsSync(backupFile));
  const dir = dataDir({ demo: false });
  app = await launch(dir);
  const b = app.browser;
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await openSettings(b);
  await byTestId(b, "backup-restore").waitForExist({ timeout: UI_MS });
  await retype(b, await byTestId(b, "backup-restore-path"), backupFile);
  await byTestId(b, "backup-restore").click();
  await waitForJob(b, async () => /Đã khôi phục/.test(await byTestId(b, "backup-notice").getText().catch(() => "")), {
    what: "the restore",
  });
  await screenshot(b, "71-backup-restored");
  // The window now works on the restored data: the demo's three scripts.
  await byTestId(b, "nav-scripts").click();
  await b.waitUntil(async () => (await b.$$('[data-testid="script-row"]')).length === 3, {
    timeout: UI_MS,
    timeoutMsg: "restored scripts listed",
  });
  // And it is no longer offered (the folder now holds work).
  await openSettings(b);
  assert.equal(await byTestId(b, "backup-restore").isExisting(), false);
  const info = JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", "info"]).toString());
  assert.equal(info.scripts, 3);
});
