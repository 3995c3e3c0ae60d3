// Drives the real Loa Studio binary through tauri-driver + WebKitWebDriver.
import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "../..");
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, "target");
export const APP = join(TARGET, "debug", "loa-studio");
export const LOA = join(TARGET, "debug", "loa");
export const HUB = join(TARGET, "debug", "loa-hub");
export const SHOTS = join(here, "screenshots");
const PORT = Number(process.env.TAURI_DRIVER_PORT ?? 4444);

// Every wait in these tests is for something to happen (an element, a
// file, a job's end); these bounds only keep a hung app from holding the
// suite, so they are far above what any machine that meets the README's
// requirements needs, loaded or not (scripts/test-under-load.sh).
/** A screen answering a click or a key: rendering, a query, a small save. */
export const UI_MS = 60_000;
/** CPU-heavy or networked work run as a job (transcription, read-back,
 * model import, rendering, package build, backup, sync): waited for to its
 * own end with `waitForJob`, this only guards against a hang. */
export const HEAVY_JOB_MS = 30 * 60_000;

/** For `launch`: the app's own hub poll (every minute) waits an hour, so
 * what arrives in a test was pushed. */
export const PUSH_ONLY = { LOA_HUB_POLL_SECS: "3600" };

/** Where the app shows that something failed (a job's own error text). */
const FAILURES = [
  "error",
  "transcript-error",
  "models-error",
  "backup-error",
  "hub-error",
  "update-error",
  "network-error",
  "slots-error",
  "package-refused",
];

/** A fresh data folder, optionally with the demo loaded through the CLI. */
export function dataDir({ demo = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "loa-e2e-"));
  execFileSync(LOA, ["--data-dir", dir, "init", ...(demo ? ["--demo"] : [])], { stdio: "pipe" });
  return dir;
}

async function waitForDriver(driver, port) {
  for (let i = 0; i < 100; i++) {
    if (driver.exitCode !== null) throw new Error(`tauri-driver exited with ${driver.exitCode}`);
    try {
      // tauri-driver answers /status by asking WebKitWebDriver: "ready" means
      // both are listening (a session request before that is refused).
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok && (await res.json())?.value?.ready) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("tauri-driver did not start");
}

/** Where the app's file dialogs take their answers from in tests. */
function desktopDir(dir) {
  const d = join(dir, "desktop");
  mkdirSync(d, { recursive: true });
  return d;
}

/** Answers the app's next file or folder dialog with `path` ("" cancels):
 * the one seam the tests need, as WebDriver cannot reach a native dialog. */
export function answerDialog(dir, path) {
  appendFileSync(join(desktopDir(dir), "picks.txt"), `${path}\n`);
}

/** The files the app showed in the file manager ("Mở thư mục"). */
export function revealed(dir) {
  const f = join(desktopDir(dir), "revealed.txt");
  return existsSync(f) ? readFileSync(f, "utf8").split("\n").filter(Boolean) : [];
}

/** Starts the app on `dir` (with command-line `args`, as Explorer passes a
 * double-clicked file) and returns { browser, stop }. */
export async function launch(dir, env = {}, { args = [], port = PORT } = {}) {
  // Its own process group: tauri-driver, WebKitWebDriver and the app all
  // go when the test stops, even an app that outlives its session (an
  // orphan holding the inherited stdout would keep the test runner waiting).
  // A second app at once takes other ports (its WebKitWebDriver the next).
  const ports = port === PORT ? ["--port", String(port)] : ["--port", String(port), "--native-port", String(port + 1)];
  const driver = spawn(process.env.TAURI_DRIVER ?? "tauri-driver", ports, {
    env: {
      ...process.env,
      LOA_DATA_DIR: dir,
      LOA_EXPORT_DIR: join(dir, "exports"),
      LOA_TEST_DESKTOP: desktopDir(dir),
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  await waitForDriver(driver, port);
  const connect = () =>
    remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "warn",
      // waitUntil and waitFor* without a timeout of their own.
      waitforTimeout: UI_MS,
      capabilities: { "tauri:options": { application: APP, args } },
    });
  let browser;
  try {
    browser = await connect();
  } catch {
    // One retry: the native driver can still be settling on a loaded machine.
    await new Promise((r) => setTimeout(r, 1000));
    try {
      browser = await connect();
    } catch (e) {
      try {
        process.kill(-driver.pid, "SIGKILL");
      } catch {
        // already gone
      }
      throw e;
    }
  }
  const stop = async () => {
    try {
      await browser.deleteSession();
    } finally {
      const exited = new Promise((r) => (driver.exitCode !== null ? r() : driver.once("exit", r)));
      try {
        process.kill(-driver.pid, "SIGTERM");
      } catch {
        driver.kill();
      }
      await exited;
      // Whatever of the group is still there after a moment is killed.
      await new Promise((r) => setTimeout(r, 300));
      try {
        process.kill(-driver.pid, "SIGKILL");
      } catch {
        // the group is gone
      }
    }
  };
  return { browser, stop };
}

/** Screenshot after two animation frames, so what is saved is what is shown.
 * With WebKitGTK's compositor off (as the app runs on Linux),
 * WebKitWebDriver's screenshot waits for the page's next paint, which an
 * idle page never makes: a pixel in the corner, 1 % opaque, changes shade
 * every frame until the shot is taken. */
export async function screenshot(browser, name) {
  mkdirSync(SHOTS, { recursive: true });
  await browser.executeAsync((done) => {
    const dot = document.createElement("div");
    dot.id = "e2e-repaint";
    dot.style.cssText = "position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647";
    document.body.append(dot);
    let n = 0;
    const tick = () => {
      if (!dot.isConnected) return;
      dot.style.background = `rgba(0,0,0,${n++ % 2 ? 0.01 : 0.02})`;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(() => requestAnimationFrame(() => (tick(), done())));
  });
  try {
    await browser.saveScreenshot(join(SHOTS, `${name}.png`));
  } finally {
    await browser.execute(() => document.getElementById("e2e-repaint")?.remove());
  }
}

export const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/** Replaces a field's text the way a user does (select all, type). */
export async function retype(browser, el, value) {
  await el.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  await el.addValue(value);
}

/** Writes 16-bit mono PCM samples (`data`, little-endian bytes) as a WAV file. */
export function writeWav(path, rate, data) {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVEfmt ", 8, "ascii");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "ascii");
  h.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([h, data]));
}

/** Waits for a job started in the window to end: `done` (a test id, or a
 * function that is true once the job's result shows) or a failure shown in
 * the window, which fails the test with the job's own error text. Only
 * failures that appear during the wait count, not one already on screen.
 * `failed` names the test ids to watch when they differ from FAILURES. */
export async function waitForJob(browser, done, { what, failed = FAILURES } = {}) {
  const shown = async () => {
    const out = [];
    for (const id of failed) {
      for (const e of await browser.$$(`[data-testid="${id}"]`)) {
        try {
          out.push(`${id}: ${(await e.getText()).trim()}`);
        } catch {
          // gone while it was read
        }
      }
    }
    return out;
  };
  const before = new Set(await shown());
  const finished = typeof done === "function" ? done : () => byTestId(browser, done).isExisting();
  let failure = null;
  await browser.waitUntil(
    async () => {
      if (await finished()) return true;
      failure = (await shown()).find((f) => !before.has(f)) ?? null;
      return failure !== null;
    },
    {
      timeout: HEAVY_JOB_MS,
      interval: 250,
      timeoutMsg: `${what ?? done}: not finished after ${HEAVY_JOB_MS / 60_000} min (hung?)`,
    },
  );
  if (failure !== null) throw new Error(`${what ?? done} failed in the window: ${failure}`);
}

/** Gives this test file a new, empty hub database on the test server
 * (scripts/with-postgres.sh) and makes it the one `LOA_HUB_DATABASE_URL`
 * names: no file meets another's stations, packages or change sets. */
export function freshHubDatabase() {
  const admin = process.env.LOA_HUB_DATABASE_URL;
  if (!admin) return;
  const name = `hub_e2e_${randomBytes(6).toString("hex")}`;
  execFileSync("psql", [admin, "-q", "-c", `CREATE DATABASE ${name}`]);
  process.env.LOA_HUB_DATABASE_URL = admin.replace(/\/[^/]*$/, `/${name}`);
}
