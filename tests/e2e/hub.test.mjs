// Issue 17: the desktop app on the province network. Settings → "Máy chủ
// tỉnh" connects a commune's app to a real hub (loa-hub on a throwaway
// PostgreSQL, see scripts/with-postgres.sh); an emergency the province
// sends through the hub then shows its banner within seconds, pushed, with
// no click. The province is driven by the real CLI.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { byTestId, dataDir, freshHubDatabase, HUB, launch, LOA, PUSH_ONLY, retype, screenshot, UI_MS, waitForJob, writeWav } from "./harness.mjs";

freshHubDatabase();

let app;
let hub;
after(async () => {
  await app?.stop();
  hub?.kill();
});

const loa = (dir, ...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args], { encoding: "utf8" }));
const hubRun = (...args) => execFileSync(HUB, args, { encoding: "utf8" });

/** The nth commune of the demo directory as this folder's own station. */
function asStation(dir, nth) {
  const id = loa(dir, "station", "list", "--level", "commune")[nth].id;
  loa(dir, "settings", "set", "--station", String(id));
  return id;
}

function keyFile(dir) {
  const out = join(dir, "station.loakey");
  loa(dir, "key", "export", "--out", out);
  return out;
}

/** Two seconds of a tone as 16-bit mono WAV: a reading to package. */
function toneWav(path) {
  const n = 16000 * 2;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(Math.sin(i * 0.17) * 6000), i * 2);
  writeWav(path, 16000, data);
}

async function startHub() {
  assert.ok(process.env.LOA_HUB_DATABASE_URL, "run under scripts/with-postgres.sh (make e2e does)");
  hubRun("init");
  const storage = mkdtempSync(join(tmpdir(), "loa-hub-"));
  hub = spawn(HUB, ["serve", "--listen", "127.0.0.1:0", "--storage", storage], { stdio: ["ignore", "ignore", "pipe"] });
  const lines = createInterface({ input: hub.stderr });
  for await (const line of lines) {
    const m = line.match(/listening on (http:\/\/\S+)/);
    if (m) return m[1];
  }
  throw new Error("loa-hub did not start");
}

test("a commune connects in Settings and an emergency sent through the hub shows within seconds", async () => {
  const base = await startHub();
  const province = dataDir();
  const commune = dataDir();
  asStation(province, 0);
  asStation(commune, 1);
  hubRun("station", "add", "--role", "province", "--key", keyFile(province));
  hubRun("station", "add", "--role", "commune", "--key", keyFile(commune));
  // The commune trusted the province's key after reading it back by phone;
  // the hub itself never makes a key trusted.
  const provinceHere = loa(commune, "station", "list", "--level", "commune")[0].id;
  loa(commune, "station", "trust", String(provinceHere), "--key", keyFile(province));

  // No poll in the test's time: what arrives was pushed.
  app = await launch(commune, PUSH_ONLY);
  const b = app.browser;
  await byTestId(b, "nav-settings").click();
  await byTestId(b, "hub").waitForExist({ timeout: UI_MS });
  await byTestId(b, "hub").scrollIntoView();
  await retype(b, await byTestId(b, "hub-url"), base);
  await byTestId(b, "hub-save").click();
  await byTestId(b, "hub-sync").waitForExist({ timeout: UI_MS });
  await byTestId(b, "hub-sync").click();
  await waitForJob(b, async () => /đã ghi danh đài này/.test(await byTestId(b, "hub-enrolment").getText().catch(() => "")), {
    what: "the first sync",
  });
  assert.doesNotMatch(await byTestId(b, "hub-last-sync").getText(), /Chưa lần nào/);
  await screenshot(b, "90-hub-settings");

  // The province sends an emergency through the hub with the CLI.
  const script = String(loa(province, "script", "list", "--status", "approved")[0].id);
  const wav = join(province, "tone.wav");
  toneWav(wav);
  loa(province, "take", "import", wav, "--script", script, "--choose");
  const pkg = join(province, "khan-cap.loa");
  loa(province, "package", "build", "--script", script, "--lang", "vie", "--priority", "emergency", "--out", pkg);
  loa(province, "hub", "set", base);
  loa(province, "package", "send", pkg);
  assert.equal(loa(province, "hub", "sync").sent, 1);

  // Pushed: the banner shows with no click in the commune's window (the
  // app was started with no poll of its own in the test's time).
  await waitForJob(b, "emergency-banner", { what: "the pushed sync" });
  await screenshot(b, "91-hub-emergency");

  // A package from a station this commune has not trusted is downloaded
  // but held: the hub's word makes no key trusted. Opening it shows the
  // usual check; trusting there imports it, and the held list empties.
  // The sender is a second province station: a commune's own packages go
  // to the province alone (issue 29).
  const other = dataDir();
  asStation(other, 2);
  hubRun("station", "add", "--role", "province", "--key", keyFile(other));
  const otherScript = String(loa(other, "script", "list", "--status", "approved")[0].id);
  const otherWav = join(other, "tone.wav");
  toneWav(otherWav);
  loa(other, "take", "import", otherWav, "--script", otherScript, "--choose");
  const otherPkg = join(other, "thong-bao.loa");
  loa(other, "package", "build", "--script", otherScript, "--lang", "vie", "--out", otherPkg);
  loa(other, "hub", "set", base);
  loa(other, "package", "send", otherPkg);
  assert.equal(loa(other, "hub", "sync").sent, 1);

  await byTestId(b, "nav-packages").click();
  await waitForJob(b, "hub-held", { what: "the pushed sync" });
  // "Mạng đài" is the province's view: a commune has no such tab.
  assert.equal(await byTestId(b, "packages-tab-network").isExisting(), false);
  await screenshot(b, "92-hub-held");
  await byTestId(b, "hub-held-open").click();
  await waitForJob(b, "package-untrusted", { what: "checking the held package" });
  await byTestId(b, "package-key-confirmed").click();
  await byTestId(b, "package-trust-import").click();
  await waitForJob(b, "package-detail-title", { what: "importing the held package" });
  // The next sync sees it imported and reports it; the held list empties.
  await byTestId(b, "nav-settings").click();
  await byTestId(b, "hub-sync").waitForExist({ timeout: UI_MS });
  await byTestId(b, "hub-sync").scrollIntoView();
  await byTestId(b, "hub-sync").click();
  await byTestId(b, "nav-packages").click();
  await waitForJob(b, async () => !(await byTestId(b, "hub-waiting").isExisting()), { what: "the sync after the import" });
  const imported = Number(
    execFileSync("psql", [process.env.LOA_HUB_DATABASE_URL, "-tAc", "SELECT count(*) FROM receipts WHERE kind = 'imported'"], {
      encoding: "utf8",
    }).trim(),
  );
  assert.equal(imported, 2, "both imports were reported to the hub");

  // On the province's PC, "Mạng đài" shows every station and how far each
  // package got; a package opens station by station.
  await app.stop();
  app = await launch(province);
  const p = app.browser;
  await byTestId(p, "nav-packages").click();
  await byTestId(p, "packages-tab-network").click();
  await waitForJob(p, async () => (await p.$$('[data-testid="network-station"]')).length === 3, {
    what: "three stations listed from the hub",
  });
  await waitForJob(p, async () => (await p.$$('[data-testid="network-package"]')).length === 2, {
    what: "two packages listed from the hub",
  });
  const rows = await p.$$('[data-testid="network-package"]');
  const emergencyRow = [];
  for (const r of rows) if (/Khẩn cấp/.test(await r.getText())) emergencyRow.push(r);
  assert.equal(emergencyRow.length, 1);
  // Delivered to the one commune enrolled when it was sent (the third
  // station joined later), which received and imported it.
  const cell = async (id) => (await emergencyRow[0].$(`[data-testid="${id}"]`)).getText();
  assert.deepEqual(
    [await cell("network-package-delivered"), await cell("network-package-imported"), await cell("network-package-aired")],
    ["1/1", "1/1", "0/1"],
  );
  await (await emergencyRow[0].$('[data-testid="network-package-open"]')).click();
  await waitForJob(p, "network-reach", { what: "a package's reach from the hub" });
  await screenshot(p, "93-hub-network");
});
