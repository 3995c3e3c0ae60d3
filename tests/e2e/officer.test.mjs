// Issue 32 in the real window at 1366×698 (a maximised window above the
// Windows taskbar): what a new commune officer meets. A new office picks
// its station from the whole directory with no command line; dates read
// day first with years never grouped; the glossary lights up terms only
// where they stand as words; warnings link to their fix.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { byTestId, dataDir, launch, LOA, retype, screenshot, UI_MS } from "./harness.mjs";

// A fixed day: the dates below are checked against it, never today's.
const TODAY = { LOA_TODAY: "2026-12-07" };
let app;
after(async () => {
  await app?.stop();
});

const cli = (dir, ...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args]).toString());
const text = async (b) => b.execute(() => document.body.innerText);

async function small(b) {
  await b.setWindowSize(1366, 698);
}

/** A fresh app for each test, the last one's closed even if it failed. */
async function start(dir, env) {
  await app?.stop().catch(() => {});
  app = await launch(dir, env);
  await small(app.browser);
  return app.browser;
}

test("a new office finds its station by an old name, from Home, with no command line", async () => {
  const dir = dataDir({ demo: false });
  const b = await start(dir, TODAY);
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  assert.doesNotMatch(await text(b), /loa init|loa station/);
  // The whole directory is there (34 provinces and 3,321 communes).
  await b.waitUntil(async () => (await byTestId(b, "stat-stations").getText()).replace(/\D/g, "") === "3355", {
    timeoutMsg: "the directory is loaded",
  });
  await byTestId(b, "pick-station-home").click();
  // The link lands on "Đài của tôi", first in Settings' index and in view.
  await byTestId(b, "station-pick").waitForExist({ timeout: UI_MS });
  assert.equal(await byTestId(b, "settings-go-station").getAttribute("aria-current"), "location");
  assert.ok(await byTestId(b, "station-pick").isDisplayed({ withinViewport: true }), "the station picker is in view");
  await retype(b, await byTestId(b, "station-pick"), "truc bach");
  const hit = await b.$("button*=Phường Ba Đình");
  await hit.waitForExist({ timeout: UI_MS });
  assert.match(await hit.getText(), /Trúc Bạch/);
  await screenshot(b, "110-pick-station-by-old-name");
  await hit.click();
  await b.waitUntil(async () => /Phường Ba Đình/.test(await byTestId(b, "current-station").getText().catch(() => "")), {
    timeoutMsg: "the station is this PC's",
  });
  assert.equal(cli(dir, "settings", "show").stationId > 0, true);

  // Every section of the index lands on its own.
  await byTestId(b, "settings-go-backup").click();
  await b.waitUntil(async () => (await byTestId(b, "backup").isDisplayed({ withinViewport: true })), { timeoutMsg: "backup in view" });
  assert.equal(await byTestId(b, "settings-go-backup").getAttribute("aria-current"), "location");

  // Stations no longer says the directory is empty.
  await byTestId(b, "nav-stations").click();
  await byTestId(b, "stations-search").waitForExist({ timeout: UI_MS });
  assert.equal(await byTestId(b, "empty-state").isExisting(), false);
  await app.stop();
  app = null;
});

test("dates read day first and years are never grouped, whatever the PC's locale", async () => {
  const dir = dataDir();
  const b = await start(dir, { ...TODAY, LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8" });
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });

  await byTestId(b, "nav-reports").click();
  await byTestId(b, "report-preset").waitForExist({ timeout: UI_MS });
  await byTestId(b, "report-preset").selectByAttribute("value", "h2");
  const presets = await byTestId(b, "report-preset").getText();
  assert.match(presets, /6 tháng cuối năm 2026/);
  assert.doesNotMatch(presets, /2\.026/);
  await b.waitUntil(async () => (await byTestId(b, "report-from").getValue()) === "01/07/2026", { timeoutMsg: "from, day first" });
  assert.equal(await byTestId(b, "report-to").getValue(), "31/12/2026");
  await screenshot(b, "111-report-dates");

  await byTestId(b, "nav-schedule").click();
  await b.waitUntil(async () => (await byTestId(b, "schedule-week").getText()) === "Tuần 50 (7–13/12/2026)", {
    timeoutMsg: "the week as people say it",
  });

  // An empty date box shows what to type, not a date; what is typed is
  // read day first and shown back the same way.
  await byTestId(b, "nav-scripts").click();
  const from = await byTestId(b, "filter-from");
  await from.waitForExist({ timeout: UI_MS });
  assert.equal(await from.getValue(), "");
  assert.equal(await from.getAttribute("placeholder"), "ngày/tháng/năm");
  await from.click();
  await from.addValue("1/7/2026");
  await b.keys("Tab");
  await b.waitUntil(async () => (await from.getValue()) === "01/07/2026", { timeoutMsg: "typed day first" });
  await retype(b, from, "31/6/2026");
  await b.keys("Tab");
  await byTestId(b, "filter-from-invalid").waitForExist({ timeout: UI_MS });
  await screenshot(b, "112-date-field-invalid");
  await app.stop();
  app = null;
});

test("the glossary lights up a term only where it stands as a word of its own", async () => {
  const dir = dataDir();
  // The demo script read from Quảng Ngãi's plan: "kiến thức", "cá nhân",
  // "Nhà nước", "người dân" are words that hold a glossary term's syllable.
  const script = cli(dir, "script", "list").find((s) => s.title.startsWith("Nội dung thông tin cơ sở"));
  const b = await start(dir, TODAY);
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-scripts").click();
  await b.$(`[data-testid="script-row"][data-id="${script.id}"]`).click();
  await byTestId(b, "open-translation").click();
  await b.waitUntil(async () => (await b.$$('[data-testid="segment"]')).length > 3, { timeoutMsg: "segments listed" });
  const marks = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="source-term"]')].map((m) => {
      const seg = m.closest('[data-testid="segment"]')?.textContent ?? "";
      return { term: m.textContent.trim().toLowerCase(), seg };
    }),
  );
  const terms = new Set(marks.map((m) => m.term));
  // Words of their own are found ("trong" alone, "cho" alone)…
  assert.ok(terms.has("trong") || terms.has("cho"), JSON.stringify([...terms]));
  // …and never the syllable of a longer word.
  for (const inside of ["kiến", "nhà", "cá"]) assert.ok(!terms.has(inside), `"${inside}" marked: ${JSON.stringify([...terms])}`);
  const people = marks.filter((m) => m.term === "người");
  assert.ok(people.every((m) => !/người dân/i.test(m.seg) || /người(?! dân)/i.test(m.seg)), "no 'người' of 'người dân'");
  await screenshot(b, "113-terms-as-words");
  await app.stop();
  app = null;
});

test("the package builder's warning names the real button and leads to it", async () => {
  const dir = dataDir();
  const b = await start(dir, TODAY);
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-packages").click();
  await byTestId(b, "packages-tab-build").click();
  await byTestId(b, "build-script").waitForExist({ timeout: UI_MS });
  await byTestId(b, "build-script").click();
  const warning = await byTestId(b, "build-no-station");
  await warning.waitForExist({ timeout: UI_MS });
  assert.doesNotMatch(await warning.getText(), /Đặt làm đài của máy này/);
  assert.match(await warning.getText(), /Đài của tôi/);
  await byTestId(b, "build-pick-station").click();
  await byTestId(b, "station-pick").waitForExist({ timeout: UI_MS });
  assert.ok(await byTestId(b, "station-pick").isDisplayed({ withinViewport: true }));
  await app.stop();
  app = null;
});

test("a new script left untouched goes again; a script opens Recordings on itself; one version is no comparison", async () => {
  const dir = dataDir();
  const b = await start(dir, TODAY);
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-scripts").click();
  const rows = () => b.$$('[data-testid="script-row"]');
  await b.waitUntil(async () => (await rows()).length === 3);
  // Two clicks and away: no empty draft is left.
  await byTestId(b, "new-script").click();
  await b.waitUntil(async () => (await rows()).length === 4, { timeoutMsg: "the new script is listed" });
  await byTestId(b, "new-script").click();
  await (await rows())[1].click();
  await b.waitUntil(async () => cli(dir, "script", "list").length === 3, { timeoutMsg: "the untouched draft is gone" });

  // A new script has one version: no "bản 1 → 1".
  await byTestId(b, "new-script").click();
  await b.waitUntil(async () => (await rows()).length === 4);
  await byTestId(b, "edit-title").waitForExist({ timeout: UI_MS });
  await retype(b, await byTestId(b, "edit-title"), "Thông báo lịch tiêm chủng (thử)");
  await b.waitUntil(async () => cli(dir, "script", "list").some((s) => s.title === "Thông báo lịch tiêm chủng (thử)"), {
    timeoutMsg: "typed into, it is kept",
  });
  await byTestId(b, "toggle-history").click();
  await byTestId(b, "diff-heading").waitForExist({ timeout: UI_MS });
  assert.doesNotMatch(await byTestId(b, "diff-heading").getText(), /→/);
  assert.ok(await byTestId(b, "history-single").isExisting());
  await byTestId(b, "toggle-history").click();

  // "Ghi âm" opens Recordings on this script.
  const id = cli(dir, "script", "list").find((s) => s.title === "Thông báo lịch tiêm chủng (thử)").id;
  await byTestId(b, "open-recording").click();
  await b.waitUntil(async () => (await byTestId(b, "recordings-script").getValue()) === String(id), {
    timeoutMsg: "Recordings opens on the script",
  });
  await screenshot(b, "114-recordings-from-script");
  await app.stop();
  app = null;
});
