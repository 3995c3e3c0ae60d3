// Issue 16: "Cập nhật từ tệp…" in Settings installs a newer release from a
// USB stick only if the release key signed it. The window's debug build
// trusts a throwaway key (LOA_RELEASE_TEST_KEY) so the test can sign; the
// stand-in .deb is not a real package, only bytes whose hash is signed.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { answerDialog, byTestId, dataDir, launch, LOA, retype, screenshot, UI_MS, waitForJob } from "./harness.mjs";

let app;
let server;
after(async () => {
  await app?.stop();
  server?.close();
});

async function openUpdate(b) {
  await byTestId(b, "nav-settings").click();
  await byTestId(b, "update").waitForExist({ timeout: UI_MS });
  await byTestId(b, "update").scrollIntoView();
}

const usb = mkdtempSync(join(tmpdir(), "loa-usb-"));
const loa = (...args) => JSON.parse(execFileSync(LOA, ["--json", ...args], { encoding: "utf8" }));

test("Settings installs a signed newer release from a file and refuses an older one", async () => {
  const key = join(usb, "release.key");
  const { publicKey } = loa("release", "keygen", "--out", key);
  const deb = join(usb, "loa-studio_9.9.9_amd64.deb");
  writeFileSync(deb, "a stand-in for the real .deb");
  const pack = (version, out) => {
    loa("release", "pack", "--key", key, "--version", version, "--platform", "linux-x86_64",
      "--notes", "Sửa lỗi xuất MP3 (bản thử)", "--released", "2026-12-03", "--out", join(usb, out), deb);
    return join(usb, out);
  };
  const newer = pack("9.9.9", "new.loaupdate");
  const older = pack("0.0.1", "old.loaupdate");

  const dir = dataDir();
  app = await launch(dir, { LOA_RELEASE_TEST_KEY: publicKey });
  const b = app.browser;
  await openUpdate(b);

  // An older release is refused in words, and nothing lands.
  answerDialog(dir, older);
  await byTestId(b, "update-pick").click();
  await waitForJob(b, "update-error", { what: "the refused update", failed: ["error"] });
  assert.match(await byTestId(b, "update-error").getText(), /không mới hơn bản đang dùng \(0\.0\.1 ≤ 0\.1\.0\)/);
  assert.equal(await byTestId(b, "update-found").isExisting(), false);
  assert.ok(!existsSync(join(dir, "updates")) || readdirSync(join(dir, "updates")).length === 0);

  // A cancelled dialog changes nothing either.
  answerDialog(dir, "");
  await byTestId(b, "update-pick").click();
  await b.pause(500);
  assert.equal(await byTestId(b, "update-found").isExisting(), false);

  // The newer one is shown with its notes and signer before anything is done.
  answerDialog(dir, newer);
  await byTestId(b, "update-pick").click();
  await waitForJob(b, "update-found", { what: "checking the update" });
  const found = await byTestId(b, "update-found").getText();
  assert.match(found, /Bản 9\.9\.9 \(đang dùng 0\.1\.0\)/);
  assert.match(found, /Sửa lỗi xuất MP3/);
  assert.equal(await byTestId(b, "update-error").isExisting(), false);
  assert.ok(!existsSync(join(dir, "updates")) || readdirSync(join(dir, "updates")).length === 0, "checking writes nothing");
  await screenshot(b, "80-update-found");

  await byTestId(b, "update-install").click();
  await waitForJob(b, "update-command", { what: "staging the update" });
  const staged = join(dir, "updates", "loa-studio_9.9.9_amd64.deb");
  assert.equal(await byTestId(b, "update-command").getText(), `sudo apt install '${staged}'`);
  assert.equal(readFileSync(staged, "utf8"), "a stand-in for the real .deb");
  await screenshot(b, "81-update-verified");
  await app.stop();
  app = null;
});

test("the office's update address names a newer release, which is downloaded and checked the same way", async () => {
  const key = join(usb, "release2.key");
  const { publicKey } = loa("release", "keygen", "--out", key);
  const deb = join(usb, "loa-studio_9.9.9_amd64.deb");
  writeFileSync(deb, "a stand-in for the real .deb");
  const file = join(usb, "served.loaupdate");
  loa("release", "pack", "--key", key, "--version", "9.9.9", "--platform", "linux-x86_64", "--out", file, deb);
  // The province's server, on loopback: a static JSON and the file.
  const files = {
    "/loa/latest.json": JSON.stringify({ version: "9.9.9", url: "loa-studio-9.9.9.loaupdate", notes: "Bản thử qua mạng" }),
    "/loa/loa-studio-9.9.9.loaupdate": readFileSync(file),
  };
  server = createServer((req, res) => {
    const body = files[req.url];
    res.writeHead(body ? 200 : 404);
    res.end(body ?? "not found");
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;

  const dir = dataDir();
  app = await launch(dir, { LOA_RELEASE_TEST_KEY: publicKey });
  const b = app.browser;
  await openUpdate(b);

  // A wrong address says so, and nothing else happens.
  await retype(b, await byTestId(b, "update-url"), `${base}/loa/missing.json`);
  await byTestId(b, "update-ask").click();
  await waitForJob(b, "update-error", { what: "the refused update", failed: ["error"] });
  assert.match(await byTestId(b, "update-error").getText(), /Không kết nối được .*missing\.json/);

  await retype(b, await byTestId(b, "update-url"), `${base}/loa/latest.json`);
  await byTestId(b, "update-ask").click();
  await waitForJob(b, "update-feed", { what: "asking the update feed" });
  assert.match(await byTestId(b, "update-feed").getText(), /Có bản mới 9\.9\.9/);
  await byTestId(b, "update-download").click();
  await waitForJob(b, "update-found", { what: "checking the update" });
  assert.match(await byTestId(b, "update-found").getText(), /Bản 9\.9\.9/);
  await byTestId(b, "update-install").click();
  await waitForJob(b, "update-command", { what: "staging the update" });
  assert.equal(readFileSync(join(dir, "updates", "loa-studio_9.9.9_amd64.deb"), "utf8"), "a stand-in for the real .deb");

  // The address is remembered for next time.
  await app.stop();
  app = await launch(dir, { LOA_RELEASE_TEST_KEY: publicKey });
  await byTestId(app.browser, "nav-settings").click();
  await byTestId(app.browser, "update-url").waitForExist({ timeout: UI_MS });
  await app.browser.waitUntil(async () => (await byTestId(app.browser, "update-url").getValue()) === `${base}/loa/latest.json`, {
    timeout: UI_MS,
    timeoutMsg: "address remembered",
  });
});
