// First end-to-end test: the real window opens in Vietnamese on the demo
// data, every area is reachable, and the language switch persists.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { byTestId, dataDir, launch, screenshot, UI_MS } from "./harness.mjs";

const AREAS = [
  ["home", "Tổng quan", "Overview"],
  ["scripts", "Kịch bản", "Scripts"],
  ["translate", "Dịch", "Translate"],
  ["glossary", "Thuật ngữ", "Glossary"],
  ["recordings", "Ghi âm", "Recordings"],
  ["packages", "Gói phát sóng", "Packages"],
  ["schedule", "Lịch phát", "Schedule"],
  ["stations", "Đài", "Stations"],
  ["reports", "Báo cáo", "Reports"],
  ["settings", "Cài đặt", "Settings"],
];

let dir;
let app;
before(async () => {
  dir = dataDir();
  app = await launch(dir);
});
after(async () => {
  await app?.stop();
});

async function go(browser, area) {
  await byTestId(browser, `nav-${area}`).click();
  await browser.$(`main[data-testid="area-${area}"]`).waitForExist({ timeout: UI_MS });
}

const heading = async (browser) => (await browser.$("main .area-header h1")).getText();

test("opens in Vietnamese on the home screen with the demo data", async () => {
  const { browser } = app;
  await byTestId(browser, "home").waitForExist({ timeout: UI_MS });
  assert.equal(await heading(browser), "Tổng quan");
  assert.equal(await byTestId(browser, "welcome").getText(), "Xin chào");
  await byTestId(browser, "stat-scripts").waitForExist();
  assert.equal(await byTestId(browser, "stat-scripts").getText(), "3");
  await screenshot(browser, "01-home-vi");
});

test("every area is reachable from the sidebar, with content or an empty state", async () => {
  const { browser } = app;
  let openScript = null;
  for (const [area, vi] of AREAS) {
    await go(browser, area);
    assert.equal(await heading(browser), vi, `heading of ${area}`);
    const label = await browser.$(`[data-testid="nav-${area}"] .label`).getText();
    assert.equal(label, vi);
    if (["packages", "translate"].includes(area)) {
      assert.ok(await byTestId(browser, "empty-state").isDisplayed(), `${area} explains itself`);
    }
    if (area === "recordings") {
      // It opens on the script just open in Scripts (issue 32).
      await browser.waitUntil(async () => (await byTestId(browser, "recordings-script").getValue()) === openScript, {
        timeoutMsg: `Recordings carries script ${openScript}, open in Scripts`,
      });
    }
    if (area === "schedule") await byTestId(browser, "schedule-grid").waitForExist({ timeout: UI_MS });
    if (area === "reports") await byTestId(browser, "report-cards").waitForExist({ timeout: UI_MS });
    if (area === "scripts") {
      await browser.waitUntil(async () => (await browser.$$('[data-testid="script-row"]')).length === 3);
      const open = await browser.$('[data-testid="script-row"][aria-selected="true"]');
      await open.waitForExist({ timeout: UI_MS });
      openScript = await open.getAttribute("data-id");
    }
    if (area === "glossary") {
      await browser.waitUntil(async () => (await browser.$$('[data-testid="glossary-row"]')).length > 100);
      assert.match(await byTestId(browser, "concept-source").getText(), /CC BY 4\.0/);
    }
    await screenshot(browser, `02-area-${area}`);
  }
});

test("keyboard shortcuts switch areas", async () => {
  const { browser } = app;
  await go(browser, "home");
  await browser.keys(["Control", "2"]);
  await browser.$('main[data-testid="area-scripts"]').waitForExist({ timeout: UI_MS });
  await browser.keys(["Control", "8"]);
  await browser.$('main[data-testid="area-stations"]').waitForExist({ timeout: UI_MS });
  // The tenth area is Ctrl+0, as on the number row.
  await browser.keys(["Control", "0"]);
  await browser.$('main[data-testid="area-settings"]').waitForExist({ timeout: UI_MS });
});

test("search ignores diacritics: scripts by policy reference, stations by pre-2025 name", async () => {
  const { browser } = app;
  await go(browser, "scripts");
  const box = await byTestId(browser, "scripts-search");
  await box.clearValue();
  await box.setValue("quang ngai");
  await browser.waitUntil(async () => (await browser.$$('[data-testid="script-row"]')).length === 1, {
    timeoutMsg: "one script mentions Quảng Ngãi",
  });
  await browser.waitUntil(
    async () => (await byTestId(browser, "edit-title").getValue()) === "Nội dung thông tin cơ sở phục vụ người dân",
    { timeoutMsg: "the found script opens in the editor" },
  );
  await screenshot(browser, "03-scripts-search");

  await go(browser, "stations");
  const st = await byTestId(browser, "stations-search");
  await st.clearValue();
  await st.setValue("quang nam");
  await byTestId(browser, "matched-alias").waitForExist({ timeout: UI_MS });
  assert.equal(await byTestId(browser, "matched-alias").getText(), "tên cũ: Tỉnh Quảng Nam");
  await byTestId(browser, "make-home").click();
  await browser.waitUntil(async () => !(await byTestId(browser, "make-home").isExisting()));
  await screenshot(browser, "04-stations-old-name");
});

test("settings: user name is normalized and shown; language switches and persists", async () => {
  let { browser } = app;
  await go(browser, "settings");
  const name = await byTestId(browser, "user-name");
  await name.clearValue();
  await name.setValue("Nguyễn Thị Hoà");
  await byTestId(browser, "save-name").click();
  await byTestId(browser, "saved").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(browser, "current-station").getText(), /Thành phố Đà Nẵng/);
  await go(browser, "home");
  // Stored in canonical tone placement: Hoà → Hòa.
  assert.equal(await byTestId(browser, "welcome").getText(), "Xin chào, Nguyễn Thị Hòa");

  await go(browser, "settings");
  await byTestId(browser, "lang-en").click();
  await browser.waitUntil(async () => (await heading(browser)) === "Settings");
  for (const [area, , en] of AREAS) {
    assert.equal(await browser.$(`[data-testid="nav-${area}"] .label`).getText(), en);
  }
  await screenshot(browser, "05-settings-en");

  // Restart the app on the same data: English is remembered.
  await app.stop();
  app = await launch(dir);
  browser = app.browser;
  await byTestId(browser, "home").waitForExist({ timeout: UI_MS });
  assert.equal(await heading(browser), "Overview");
  assert.equal(await byTestId(browser, "welcome").getText(), "Hello, Nguyễn Thị Hòa");
  await screenshot(browser, "06-home-en-after-restart");

  await go(browser, "settings");
  await byTestId(browser, "lang-vi").click();
  await browser.waitUntil(async () => (await heading(browser)) === "Cài đặt");
  assert.equal(await browser.$('[data-testid="nav-scripts"] .label').getText(), "Kịch bản");

  // About: every shipped package with its licence, filterable.
  const about = await byTestId(browser, "third-party");
  await about.waitForExist({ timeout: UI_MS });
  await about.scrollIntoView();
  await about.$("summary").click();
  const rows = async () => await browser.$$('[data-testid="third-party-row"]');
  await browser.waitUntil(async () => (await rows()).length > 100, {
    timeoutMsg: "the lock files' packages are listed",
  });
  await byTestId(browser, "third-party-filter").setValue("rusqlite");
  await browser.waitUntil(async () => (await rows()).length === 1);
  assert.match(await (await rows())[0].getText(), /rusqlite[\s\S]*MIT/);
  await screenshot(browser, "07-about-third-party");
});
