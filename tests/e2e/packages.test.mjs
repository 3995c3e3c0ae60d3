// Issue 7 in the real window, across two stations' data folders: the
// district builds a signed package from the demo's approved script; the
// commune opens it, checks the key id, trusts and imports it, sees the
// emergency banner, puts it on the schedule, exports the player folder,
// marks it aired and finds it in the report's chart. A tampered copy is
// refused with its reason.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { answerDialog, APP, byTestId, dataDir, launch, LOA, screenshot, UI_MS, waitForJob } from "./harness.mjs";

const cli = (dir, ...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args]).toString());

/** A demo station: the nth commune of the demo directory is this PC's. */
function station(nth) {
  const dir = dataDir();
  const id = cli(dir, "station", "list", "--level", "commune")[nth].id;
  cli(dir, "settings", "set", "--station", String(id));
  return dir;
}

function tone(dir) {
  const wav = join(dir, "doc.wav");
  const py = `import math,struct,wave
w=wave.open(${JSON.stringify(wav)},'wb');w.setnchannels(1);w.setsampwidth(2);w.setframerate(16000)
w.writeframes(b''.join(struct.pack('<h',int(9000*math.sin(2*math.pi*440*i/16000))) for i in range(16000*4)))
w.close()`;
  execFileSync("python3", ["-c", py]);
  return wav;
}

let app;
after(async () => {
  await app?.stop();
});

const issuer = station(0);
const commune = station(1);
const usb = join(issuer, "usb");
mkdirSync(usb);

test("the district builds a signed package in the window", async () => {
  const script = cli(issuer, "script", "list", "--status", "approved")[0];
  // The take itself was tested in the recordings suite; here it is given.
  cli(issuer, "take", "import", tone(issuer), "--script", String(script.id), "--choose");
  app = await launch(issuer);
  const b = app.browser;
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-packages").click();
  await byTestId(b, "packages-tab-build").click();
  await byTestId(b, "build-script").waitForExist({ timeout: UI_MS });
  await byTestId(b, "build-script").click();
  await byTestId(b, "build-plan").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "build-total").getText(), /kB|MB/);
  // Saved to the "USB stick": the path typed into the folder field.
  const out = byTestId(b, "build-out");
  await out.click();
  await b.keys(["Control", "a"]);
  await out.addValue(usb);
  await byTestId(b, "build-slots").click();
  await b.keys(["Control", "a"]);
  await byTestId(b, "build-slots").addValue("17:00");
  // A flood warning: emergency priority.
  await byTestId(b, "build-priority").selectByAttribute("value", "emergency");
  await byTestId(b, "build-go").waitForEnabled({ timeout: UI_MS });
  await byTestId(b, "build-go").click();
  await waitForJob(b, "build-done", { what: "the package build" });
  await screenshot(b, "60-package-built");
  await app.stop();
  app = null;
  const files = readdirSync(usb).filter((f) => f.endsWith(".loa"));
  assert.equal(files.length, 1, `one package on the stick: ${files}`);
});

test("the commune checks the key, imports, schedules, exports, airs and reports", async () => {
  const pkg = join(usb, readdirSync(usb).find((f) => f.endsWith(".loa")));
  const keyId = cli(issuer, "key", "show").keyId;
  // A tampered copy: one byte of the stored audio flipped.
  const bytes = readFileSync(pkg);
  bytes[Math.floor(bytes.length / 3)] ^= 0x20;
  const bad = join(commune, "hong.loa");
  writeFileSync(bad, bytes);

  app = await launch(commune);
  const b = app.browser;
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-packages").click();

  answerDialog(commune, bad);
  await byTestId(b, "package-open").click();
  await waitForJob(b, "package-refused", { what: "checking the damaged package", failed: ["error"] });
  assert.match(await byTestId(b, "package-refused").getAttribute("data-code"), /^package-/);
  await screenshot(b, "61-package-refused");
  await b.keys("Escape");
  await byTestId(b, "package-dialog").waitForExist({ reverse: true, timeout: UI_MS });

  answerDialog(commune, pkg);
  await byTestId(b, "package-open").click();
  await waitForJob(b, "package-untrusted", { what: "checking the package" });
  const shown = await byTestId(b, "package-key-id").getAttribute("aria-label");
  assert.equal(shown, keyId, "the key id read out is the issuer's");
  await screenshot(b, "62-package-untrusted");
  assert.equal(await byTestId(b, "package-trust-import").isEnabled(), false, "not before confirming");
  await byTestId(b, "package-key-confirmed").click();
  await byTestId(b, "package-trust-import").click();
  await waitForJob(b, "package-detail-title", { what: "importing the package" });
  assert.equal((await b.$$('[data-testid="package-item"]')).length >= 1, true);

  // An emergency in force is announced above every area.
  await byTestId(b, "emergency-banner").waitForExist({ timeout: UI_MS });

  await byTestId(b, "package-place").click();
  await byTestId(b, "package-notice").waitForExist({ timeout: UI_MS });
  await screenshot(b, "63-package-received");

  await byTestId(b, "nav-schedule").click();
  await byTestId(b, "schedule-entry").waitForExist({ timeout: UI_MS });
  await screenshot(b, "64-schedule");
  await byTestId(b, "schedule-player").click();
  await waitForJob(b, "schedule-notice", { what: "the player folder export" });
  const folder = (await byTestId(b, "schedule-notice").getText()).match(/(\/\S+Loa-\d{4}-W\d{2})/)[1];
  assert.ok(existsSync(join(folder, "README.txt")), folder);
  assert.ok(readdirSync(folder).some((f) => f.endsWith(".m3u")));

  await byTestId(b, "schedule-mark-aired").click();
  await byTestId(b, "schedule-log").waitForExist({ timeout: UI_MS });

  await byTestId(b, "nav-reports").click();
  await byTestId(b, "report-preset").selectByAttribute("value", "month");
  await b.waitUntil(async () => (await byTestId(b, "report-broadcasts").getText()) === "1", {
    timeout: UI_MS,
    timeoutMsg: "the aired item is counted",
  });
  const bars = await byTestId(b, "chart-languages").$$("rect[data-value]");
  let aired = 0;
  for (const r of bars) aired = Math.max(aired, Number(await r.getAttribute("data-value")));
  assert.ok(aired > 0, "the chart shows minutes aired");
  await screenshot(b, "65-report");
  await byTestId(b, "report-xlsx").click();
  await b.waitUntil(async () => /\.xlsx/.test(await byTestId(b, "report-notice").getText()), { timeout: UI_MS });
  await app.stop();
  app = null;
});

test("stations: own key id, listeners' languages and contact, a group of stations", async () => {
  app = await launch(issuer);
  const b = app.browser;
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  const own = cli(issuer, "settings", "show").stationId;
  const ownName = cli(issuer, "station", "show", String(own)).summary.name;
  await byTestId(b, "nav-stations").click();
  await byTestId(b, "stations-search").addValue(ownName);
  await b.waitUntil(async () => (await byTestId(b, "station-name").getText()) === ownName, {
    timeout: UI_MS,
    timeoutMsg: "this PC's station opens",
  });
  // The key id the window shows is the one the CLI (and the packages) use.
  await byTestId(b, "own-key-id").waitForExist({ timeout: UI_MS });
  const shown = await byTestId(b, "own-key-id").getAttribute("aria-label");
  assert.equal(shown, cli(issuer, "key", "show").keyId);

  const langs = await b.$$('[data-testid="station-lang"]');
  await langs[3].click();
  await byTestId(b, "station-contact").addValue("Anh Tùng 0905 123 456");
  await byTestId(b, "station-save").click();
  await b.waitUntil(async () => cli(issuer, "station", "show", String(own)).contact === "Anh Tùng 0905 123 456", {
    timeout: UI_MS,
    timeoutMsg: "the contact is saved",
  });
  assert.equal(cli(issuer, "station", "show", String(own)).languages.length, 1);
  await screenshot(b, "66-station-key");

  await byTestId(b, "stations-tab-groups").click();
  await byTestId(b, "group-new").click();
  await byTestId(b, "group-name").addValue("Xã có đồng bào Cơ Tu");
  await byTestId(b, "group-search").addValue(ownName);
  await byTestId(b, "group-found").waitForExist({ timeout: UI_MS });
  await byTestId(b, "group-found").click();
  await byTestId(b, "group-save").click();
  await b.waitUntil(async () => cli(issuer, "group", "list").length === 1, { timeout: UI_MS, timeoutMsg: "group saved" });
  const g = cli(issuer, "group", "list")[0];
  assert.equal(g.name, "Xã có đồng bào Cơ Tu");
  assert.equal(g.members[0].id, own);
});

test("a package from a known station under a new key: forgery warning, and replacing the key takes its last group", async () => {
  await app?.stop();
  // The same station (the same demo commune) on another PC: a key of its own.
  const other = station(0);
  const script = cli(other, "script", "list", "--status", "approved")[0];
  cli(other, "take", "import", tone(other), "--script", String(script.id), "--choose");
  const out = join(other, "moi.loa");
  cli(other, "package", "build", "--script", String(script.id), "--out", out);
  const newKey = cli(other, "key", "show").keyId;
  const oldKey = cli(issuer, "key", "show").keyId;
  assert.notEqual(newKey, oldKey);

  app = await launch(commune);
  const b = app.browser;
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-packages").click();
  answerDialog(commune, out);
  await byTestId(b, "package-open").click();
  await waitForJob(b, "package-other-key", { what: "checking the package" });
  assert.match(await byTestId(b, "package-other-key").getText(), new RegExp(oldKey));
  // The phone check alone is not enough to replace a trusted key…
  await byTestId(b, "package-key-confirmed").click();
  assert.equal(await byTestId(b, "package-trust-import").isEnabled(), false);
  await byTestId(b, "package-replace-confirm").addValue("ZZZZ");
  assert.equal(await byTestId(b, "package-trust-import").isEnabled(), false);
  await screenshot(b, "67-package-replace-key");
  // …the new key id's last group, typed, is.
  await byTestId(b, "package-replace-confirm").clearValue();
  await byTestId(b, "package-replace-confirm").addValue(newKey.split("-").pop().toLowerCase());
  await b.waitUntil(async () => byTestId(b, "package-trust-import").isEnabled(), { timeout: UI_MS });
  await byTestId(b, "package-trust-import").click();
  await waitForJob(b, "package-detail-title", { what: "importing the package" });
  // Both PCs have the demo directory: the same station id names the issuer.
  const issuerStation = cli(issuer, "settings", "show").stationId;
  assert.equal(cli(commune, "station", "show", String(issuerStation)).key.keyId, newKey);
});

test("a .loa opened from Explorer, handed over by a second launch, or dropped on the window shows its check", async () => {
  await app?.stop();
  const fresh = station(2);
  const script = cli(issuer, "script", "list", "--status", "approved")[0];
  const out = join(issuer, "tu-explorer.loa");
  cli(issuer, "package", "build", "--script", String(script.id), "--out", out);
  const checked = async (b) => {
    await waitForJob(b, "package-untrusted", { what: "checking the package" });
    assert.match(await byTestId(b, "package-dialog").getText(), /tu-explorer\.loa/);
    await b.keys("Escape");
    await byTestId(b, "package-dialog").waitForExist({ reverse: true, timeout: UI_MS });
    await byTestId(b, "nav-home").click();
  };

  // Explorer starts the app with the double-clicked file as its argument.
  app = await launch(fresh, {}, { args: [out] });
  const b = app.browser;
  await checked(b);

  // A second launch on the same data folder hands its file to this window and ends.
  const second = spawnSync(APP, [out], { env: { ...process.env, LOA_DATA_DIR: fresh }, timeout: UI_MS });
  assert.equal(second.status, 0, String(second.stderr));
  await checked(b);

  // Dropped on the window: the drop event as Tauri delivers it to the page.
  const drop = (path) =>
    b.execute(
      (p) =>
        window.__TAURI_INTERNALS__.invoke("plugin:event|emit", {
          event: "tauri://drag-drop",
          payload: { paths: [p], position: { x: 200, y: 200 } },
        }),
      path,
    );
  await drop(out);
  await checked(b);

  // A file nothing in the app opens is named, and nothing else happens.
  await drop(join(fresh, "loa.sqlite"));
  await byTestId(b, "error").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "error").getText(), /loa\.sqlite/);
  assert.equal(await byTestId(b, "package-dialog").isExisting(), false);
  await screenshot(b, "68-open-unknown-file");
});
