// Issue 5 in the real window: a take is recorded from the (virtual)
// microphone with the level meter moving, measured, shown as a waveform
// and exported as a −16 LUFS MP3 whose loudness is checked; an audio file
// is imported as a second take. Needs the PulseAudio null sink that
// `make test` starts (scripts/with-pulse.sh).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { byTestId, dataDir, launch, LOA, screenshot } from "./harness.mjs";

let dir;
let app;
let scriptId;
const cli = (...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args]).toString());
const enabled = process.env.LOA_AUDIO_DEVICE_TESTS === "1";

before(async () => {
  dir = dataDir();
  scriptId = cli("script", "list")[0].id;
  app = await launch(dir);
  await byTestId(app.browser, "home").waitForExist({ timeout: 30000 });
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
  await byTestId(b, "record").waitForClickable({ timeout: 10000 });
  await byTestId(b, "record").click();
  await byTestId(b, "recording-status").waitForExist({ timeout: 10000 });
  // Play into the virtual microphone once it is delivering.
  await b.pause(1500);
  await new Promise((resolve, reject) => {
    const p = spawn("paplay", ["--device=virt", tone]);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`paplay ${code}`))));
  });
  // The meter moved while the tone played (peak well above silence).
  const meter = await byTestId(b, "level-meter").getHTML();
  assert.match(meter, /width: [1-9]\d?(\.\d+)?%/);
  await screenshot(b, "40-recording");
  await byTestId(b, "stop").click();
  await byTestId(b, "take").waitForExist({ timeout: 15000 });
  assert.match(await byTestId(b, "take-loudness").getText(), /LUFS/);
  assert.ok(await byTestId(b, "waveform").isExisting());
  // Listen: the position bar moves while it plays.
  await byTestId(b, "take-play").click();
  await byTestId(b, "take-pause").waitForExist({ timeout: 10000 });
  await b.waitUntil(async () => Number(await byTestId(b, "take-position").getValue()) > 0.5, {
    timeout: 10000,
    timeoutMsg: "the position advances while playing",
  });
  await byTestId(b, "take-pause").click();
  await byTestId(b, "take-resume").waitForExist({ timeout: 5000 });
  assert.equal(cli("audio", "recover", join(dir, "takes")).length, 0, "a clean stop leaves nothing to recover");

  await byTestId(b, "take-export").click();
  await b.waitUntil(async () => /\.mp3/.test(await byTestId(b, "recordings-notice").getText()), {
    timeout: 30000,
    timeoutMsg: "export finished",
  });
  const path = (await byTestId(b, "recordings-notice").getText()).match(/(\/\S+\.mp3)/)[1];
  const measured = cli("audio", "analyze", path);
  assert.ok(Math.abs(measured.integratedLufs + 16) < 1, JSON.stringify(measured));
  assert.ok(measured.truePeakDb <= -0.5, JSON.stringify(measured));
  assert.equal(measured.channels, 1);
  await screenshot(b, "41-take-exported");
});

test("an audio file is imported as a take; a broken one is refused", async () => {
  const b = app.browser;
  const tone = testTone();
  await byTestId(b, "nav-recordings").click();
  await byTestId(b, "recordings-script").selectByAttribute("value", String(scriptId));
  const before = (await b.$$('[data-testid="take"]')).length;
  await byTestId(b, "take-import").addValue(tone);
  await b.waitUntil(async () => (await b.$$('[data-testid="take"]')).length === before + 1, {
    timeout: 15000,
    timeoutMsg: "the imported take appears",
  });
  const broken = join(dir, "broken.mp3");
  execFileSync("sh", ["-c", `printf 'not audio' > ${broken}`]);
  await byTestId(b, "take-import").addValue(broken);
  await byTestId(b, "error").waitForExist({ timeout: 10000 });
  assert.match(await byTestId(b, "error").getText(), /định dạng âm thanh/);
  assert.equal((await b.$$('[data-testid="take"]')).length, before + 1, "nothing half-imported");
});
