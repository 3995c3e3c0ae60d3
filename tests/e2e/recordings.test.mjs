// Issue 5 in the real window: a take is recorded from the (virtual)
// microphone with the level meter moving, measured, shown as a waveform
// and exported as a −16 LUFS MP3 whose loudness is checked; an audio file
// is imported as a second take. Needs the PulseAudio null sink that
// `make test` starts (scripts/with-pulse.sh).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { answerDialog, byTestId, dataDir, launch, LOA, screenshot, UI_MS, waitForJob } from "./harness.mjs";

let dir;
let app;
let scriptId;
const cli = (...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args]).toString());
const enabled = process.env.LOA_AUDIO_DEVICE_TESTS === "1";

before(async () => {
  dir = dataDir();
  scriptId = cli("script", "list")[0].id;
  app = await launch(dir);
  await byTestId(app.browser, "home").waitForExist({ timeout: UI_MS });
});
after(async () => {
  await app?.stop();
});

/** A 3 s test tone sweep written by the CLI's own renderer (WAV). */
function testTone() {
  const wav = join(dir, "tone.wav");
  const py = `import math,struct,wave
w=wave.open(${JSON.stringify(wav)},'wb');w.setnchannels(1);w.setsampwidth(2);w.setframerate(48000)
w.writeframes(b''.join(struct.pack('<h',int(12000*math.sin(2*math.pi*(200+300*i/48000)*i/48000))) for i in range(48000*3)))
w.close()`;
  execFileSync("python3", ["-c", py]);
  return wav;
}

test("record a take from the microphone, see it measured, export a −16 LUFS MP3", { skip: !enabled && "no sound server (make test starts one)" }, async () => {
  const b = app.browser;
  const tone = testTone();
  await byTestId(b, "nav-recordings").click();
  await byTestId(b, "recordings-script").selectByAttribute("value", String(scriptId));
  await byTestId(b, "record").waitForClickable({ timeout: UI_MS });
  await byTestId(b, "record").click();
  await byTestId(b, "recording-status").waitForExist({ timeout: UI_MS });
  // Play into the virtual microphone, again while the meter has not
  // moved yet: a cold sound server may take a while to deliver the first
  // samples, and the meter is read while the tone plays.
  let meter = "";
  const moved = () => /width: [1-9]\d?(\.\d+)?%/.test(meter);
  for (let i = 0; i < 4 && !moved(); i++) {
    const played = new Promise((resolve, reject) => {
      const p = spawn("paplay", ["--device=virt", tone]);
      p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`paplay ${code}`))));
    });
    const deadline = Date.now() + 2500;
    while (!moved() && Date.now() < deadline) {
      await b.pause(250);
      meter = await byTestId(b, "level-meter").getHTML();
    }
    if (moved()) await screenshot(b, "40-recording");
    await played;
  }
  // The meter moved while the tone played (peak well above silence).
  assert.match(meter, /width: [1-9]\d?(\.\d+)?%/);
  await byTestId(b, "stop").click();
  await waitForJob(b, "take", { what: "saving the recorded take" });
  assert.match(await byTestId(b, "take-loudness").getText(), /LUFS/);
  assert.ok(await byTestId(b, "waveform").isExisting());
  // Listen: the position bar moves while it plays.
  await byTestId(b, "take-play").click();
  await byTestId(b, "take-pause").waitForExist({ timeout: UI_MS });
  await b.waitUntil(async () => Number(await byTestId(b, "take-position").getValue()) > 0.5, {
    timeout: UI_MS,
    timeoutMsg: "the position advances while playing",
  });
  await byTestId(b, "take-pause").click();
  await byTestId(b, "take-resume").waitForExist({ timeout: UI_MS });
  assert.equal(cli("audio", "recover", join(dir, "takes")).length, 0, "a clean stop leaves nothing to recover");

  await byTestId(b, "take-export").click();
  await waitForJob(b, async () => /\.mp3/.test(await byTestId(b, "recordings-notice").getText().catch(() => "")), {
    what: "rendering the MP3",
  });
  const path = (await byTestId(b, "recordings-notice").getText()).match(/(\/\S+\.mp3)/)[1];
  const measured = cli("audio", "analyze", path);
  assert.ok(Math.abs(measured.integratedLufs + 16) < 1, JSON.stringify(measured));
  assert.ok(measured.truePeakDb <= -0.5, JSON.stringify(measured));
  assert.equal(measured.channels, 1);
  await screenshot(b, "41-take-exported");
});

test("a take being recorded survives leaving the area and coming back: one whole take", { skip: !enabled && "no sound server (make test starts one)" }, async () => {
  const b = app.browser;
  const tone = testTone();
  const takes = () => cli("take", "list", "--script", String(scriptId));
  const before = takes().length;
  await byTestId(b, "nav-recordings").click();
  await byTestId(b, "recordings-script").selectByAttribute("value", String(scriptId));
  await byTestId(b, "record").waitForClickable({ timeout: UI_MS });
  await byTestId(b, "record").click();
  await byTestId(b, "recording-status").waitForExist({ timeout: UI_MS });
  const started = Date.now();
  await new Promise((resolve, reject) => {
    const p = spawn("paplay", ["--device=virt", tone]);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`paplay ${code}`))));
  });
  // Away to Scripts and back: the area's recovery runs again mid-take.
  const leftAfter = (Date.now() - started) / 1000;
  await byTestId(b, "nav-scripts").click();
  await b.$('main[data-testid="area-scripts"]').waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-recordings").click();
  await byTestId(b, "recording-status").waitForExist({ timeout: UI_MS });
  assert.ok(!(await byTestId(b, "recordings-notice").isExisting()) || !/khôi phục/i.test(await byTestId(b, "recordings-notice").getText()), "nothing was 'recovered'");
  await b.pause(1500);
  await byTestId(b, "stop").click();
  await waitForJob(b, async () => takes().length === before + 1, { what: "saving the take" });
  await b.pause(500);
  const all = takes();
  assert.equal(all.length, before + 1, "no duplicate take");
  const newest = all.reduce((a, t) => (t.id > a.id ? t : a));
  assert.equal(newest.origin, "recorded");
  // The whole recording, not the part written before the area was left:
  // it holds the 1.5 s waited after coming back (a margin of 1 s, so a
  // slow machine does not make it fail).
  assert.ok(newest.seconds > leftAfter + 0.5, `${newest.seconds} s, left the area after ${leftAfter} s`);
  assert.ok(!readdirSync(join(dir, "takes")).some((f) => f.endsWith(".recording.wav")), "no live file left");
});

test("an audio file is imported as a take; a broken one is refused", async () => {
  const b = app.browser;
  const tone = testTone();
  await byTestId(b, "nav-recordings").click();
  await byTestId(b, "recordings-script").selectByAttribute("value", String(scriptId));
  const before = (await b.$$('[data-testid="take"]')).length;
  answerDialog(dir, tone);
  await byTestId(b, "take-import").click();
  await waitForJob(b, async () => (await b.$$('[data-testid="take"]')).length === before + 1, {
    what: "importing the tone",
  });
  const broken = join(dir, "broken.mp3");
  execFileSync("sh", ["-c", `printf 'not audio' > ${broken}`]);
  answerDialog(dir, broken);
  await byTestId(b, "take-import").click();
  await byTestId(b, "error").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "error").getText(), /định dạng âm thanh/);
  assert.equal((await b.$$('[data-testid="take"]')).length, before + 1, "nothing half-imported");
});

/** Mono 48 kHz WAV: `pre` s of near-silence, `tone` s of 440 Hz, `post` s of near-silence. */
function paddedTone(pre, tone, post) {
  const wav = join(dir, `padded-${pre}-${tone}-${post}.wav`);
  const py = `import math,struct,wave
r=48000
s=[0]*int(r*${pre})+[int(12000*math.sin(2*math.pi*440*i/r)) for i in range(int(r*${tone}))]+[0]*int(r*${post})
w=wave.open(${JSON.stringify(wav)},'wb');w.setnchannels(1);w.setsampwidth(2);w.setframerate(r)
w.writeframes(struct.pack('<%dh'%len(s),*s));w.close()`;
  execFileSync("python3", ["-c", py]);
  return wav;
}

const takeCount = async (b) => (await b.$$('[data-testid="take"]')).length;
const num = async (b, id) => Number(await byTestId(b, id).getValue());

test("a take is trimmed and cut without touching the recording, and every edit can be undone", async () => {
  const b = app.browser;
  await byTestId(b, "nav-recordings").click();
  await byTestId(b, "recordings-script").selectByAttribute("value", String(scriptId));
  const before = await takeCount(b);
  answerDialog(dir, paddedTone(1, 2, 1.5));
  await byTestId(b, "take-import").click();
  await waitForJob(b, async () => (await takeCount(b)) === before + 1, { what: "importing the take" });
  // The new take is the one being edited.
  await byTestId(b, "take-editor").waitForExist({ timeout: UI_MS });
  assert.equal(await num(b, "edit-end"), 4.5);

  await byTestId(b, "auto-trim").click();
  await b.waitUntil(async () => (await num(b, "edit-start")) > 0.5, { timeout: UI_MS, timeoutMsg: "trimmed" });
  assert.ok(Math.abs((await num(b, "edit-start")) - 0.75) < 0.05, String(await num(b, "edit-start")));
  assert.ok(Math.abs((await num(b, "edit-end")) - 3.25) < 0.05, String(await num(b, "edit-end")));

  // Drag across the middle of the waveform, then Del cuts the selection.
  const wave = byTestId(b, "edit-wave");
  const { width } = await wave.getSize();
  await b
    .action("pointer")
    .move({ origin: wave, x: Math.round(-width * 0.05), y: 0 })
    .down()
    .move({ origin: wave, x: Math.round(width * 0.1), y: 0, duration: 200 })
    .up()
    .perform();
  await byTestId(b, "edit-selection").waitForExist({ timeout: UI_MS });
  await b.keys("Delete");
  await byTestId(b, "edit-cut").waitForExist({ timeout: UI_MS });
  const hint = await byTestId(b, "take-editor").getText();
  const kept = Number(hint.match(/Còn ([\d.]+)/)[1]);
  assert.ok(kept < 2.4 && kept > 1.0, hint);
  await screenshot(b, "42-take-edited");

  await byTestId(b, "edit-undo").click();
  await b.waitUntil(async () => !(await byTestId(b, "edit-cut").isExisting()), { timeout: UI_MS, timeoutMsg: "undo" });
  await byTestId(b, "edit-redo").click();
  await byTestId(b, "edit-cut").waitForExist({ timeout: UI_MS });
  // Ctrl+Z from the page undoes too, down to the untouched take.
  await byTestId(b, "prompter").click();
  await b.keys(["Control", "z"]);
  await b.waitUntil(async () => !(await byTestId(b, "edit-cut").isExisting()), { timeout: UI_MS, timeoutMsg: "Ctrl+Z" });
  await b.keys(["Control", "z"]);
  await b.waitUntil(async () => (await num(b, "edit-start")) === 0, { timeout: UI_MS, timeoutMsg: "back to the original" });
  assert.equal(await byTestId(b, "edit-undo").isEnabled(), false);

  // The recording on disk is the full 4.5 s all along.
  const takes = readdirSync(join(dir, "takes")).filter((f) => f.endsWith(".wav"));
  const lengths = takes.map((f) => cli("audio", "analyze", join(dir, "takes", f)).seconds);
  assert.ok(lengths.some((s) => Math.abs(s - 4.5) < 0.01), JSON.stringify(lengths));
});

test("a long import shows its progress and can be cancelled, leaving nothing behind", async () => {
  const b = app.browser;
  // One hour at 8 kHz: long enough to decode that the cancel lands first.
  const long = join(dir, "mot-gio.wav");
  const py = `import math,struct,wave
r=8000
sec=struct.pack('<%dh'%r,*[int(8000*math.sin(2*math.pi*300*i/r)) for i in range(r)])
w=wave.open(${JSON.stringify(long)},'wb');w.setnchannels(1);w.setsampwidth(2);w.setframerate(r)
w.writeframes(sec*3600);w.close()`;
  execFileSync("python3", ["-c", py]);
  await byTestId(b, "nav-recordings").click();
  await byTestId(b, "recordings-script").selectByAttribute("value", String(scriptId));
  const before = await takeCount(b);
  answerDialog(dir, long);
  await byTestId(b, "take-import").click();
  await byTestId(b, "import-progress").waitForExist({ timeout: UI_MS });
  await screenshot(b, "43-import-progress");
  await byTestId(b, "import-cancel").click();
  await waitForJob(b, async () => !(await byTestId(b, "import-progress").isExisting()), { what: "the cancelled import" });
  assert.match(await byTestId(b, "recordings-notice").getText(), /Đã hủy nhập/);
  assert.equal(await takeCount(b), before, "no take from a cancelled import");
  assert.ok(!existsSync(join(dir, "incoming")) || readdirSync(join(dir, "incoming")).length === 0, "staged file removed");
});
