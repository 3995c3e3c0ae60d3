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
  // A brand-new office has nothing to back up yet: no reminder.
  assert.equal(await byTestId(b, "home-backup-due").isExisting(), false);
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
  // Plain words, not file formats, on what an officer clicks.
  assert.doesNotMatch(await byTestId(b, "schedule-ics").getText(), /\.ics/);

  // The backup reminder is something to do (amber), not "all is well" (green).
  await byTestId(b, "nav-home").click();
  const reminder = await byTestId(b, "home-backup-due");
  await reminder.waitForExist({ timeout: UI_MS });
  const bg = await b.execute((el) => getComputedStyle(el).backgroundColor, reminder);
  assert.equal(bg, "rgb(255, 244, 214)", "the warning colour");

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
  assert.doesNotMatch(await byTestId(b, "tm-import").getText(), /TMX/);
  // Room to work: the top bar is one row, and the check panel folds to its
  // header line and is as tall as the translator drags it.
  const headerHeight = await b.execute(() => document.querySelector("main .area-header")?.getBoundingClientRect().height ?? 0);
  assert.ok(headerHeight < 64, `Dịch's top bar is one row (${headerHeight} px)`);
  // The panel's height is remembered by the web view across runs: start
  // from the default.
  await b.execute(() => localStorage.removeItem("loa.qaPanelHeight"));
  await b.keys("F7");
  await byTestId(b, "qa-panel").waitForExist({ timeout: UI_MS });
  const tall = async () => (await byTestId(b, "qa-panel").getSize()).height;
  const open = await tall();
  await byTestId(b, "qa-fold").click();
  await b.waitUntil(async () => (await tall()) < 60, { timeoutMsg: "folded to its header" });
  await byTestId(b, "qa-fold").click();
  await b.waitUntil(async () => (await tall()) === open, { timeoutMsg: "unfolded" });
  await byTestId(b, "qa-grip").click();
  await b.keys("ArrowUp");
  await b.waitUntil(async () => (await tall()) === open + 30, { timeoutMsg: "taller by a step" });
  await screenshot(b, "115-qa-panel");
  await app.stop();
  app = null;
});

test("the demo glossary says it is a word list, and its term form's dropdowns show their text whole", async () => {
  const dir = dataDir();
  const b = await start(dir, TODAY);
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-glossary").click();
  await byTestId(b, "glossary-demo-note").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "glossary-demo-note").getText(), /không phải thuật ngữ chính sách/);
  await byTestId(b, "glossary-new").click();
  await byTestId(b, "glossary-form").waitForExist({ timeout: UI_MS });
  // The text box of each dropdown holds a Vietnamese line (marks above and
  // below) with room: content height at least 1.5 times its font size.
  const fits = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="glossary-form"] td select')].map((el) => {
      const s = getComputedStyle(el);
      const inner = el.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
      return inner >= parseFloat(s.fontSize) * 1.5;
    }),
  );
  assert.ok(fits.length > 0 && fits.every(Boolean), JSON.stringify(fits));
  await screenshot(b, "117-glossary-form");
  await b.keys("Escape");
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

  // At 1366×698 the details fold into one line and the text gets the
  // height; the toolbar stays one row.
  await (await rows()).at(-1).click();
  await byTestId(b, "script-fields").waitForExist({ timeout: UI_MS });
  if ((await byTestId(b, "script-fields").getAttribute("open")) !== null) await byTestId(b, "script-fields-summary").click();
  await b.waitUntil(async () => (await byTestId(b, "script-fields").getAttribute("open")) === null);
  await screenshot(b, "116-script-fields-folded");
  const line = await b.execute(() => document.querySelector('[data-testid="script-fields-summary"] .fields-line')?.textContent ?? "");
  assert.match(line, /·/, "the folded details in one line");
  const bodyHeight = (await byTestId(b, "edit-body").getSize()).height;
  assert.ok(bodyHeight > 250, `the text has room (${bodyHeight} px; ten fields above it left 2–4 lines)`);
  const bar = await b.execute(() => document.querySelector('[data-testid="script-editor"] .toolbar')?.getBoundingClientRect().height ?? 0);
  assert.ok(bar < 50, `the toolbar is one row (${bar} px)`);
  await screenshot(b, "116-script-text-room");

  // "Ghi âm" opens Recordings on this script.
  const id = cli(dir, "script", "list").find((s) => s.title === "Thông báo lịch tiêm chủng (thử)").id;
  await b.$(`[data-testid="script-row"][data-id="${id}"]`).click();
  await b.waitUntil(async () => (await byTestId(b, "edit-title").getValue()) === "Thông báo lịch tiêm chủng (thử)");
  await byTestId(b, "open-recording").click();
  await b.waitUntil(async () => (await byTestId(b, "recordings-script").getValue()) === String(id), {
    timeoutMsg: "Recordings opens on the script",
  });
  await screenshot(b, "114-recordings-from-script");
  await app.stop();
  app = null;
});
