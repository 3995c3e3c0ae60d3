// Issue 3 in the real window: write a script, watch the reading time, find
// it without diacritics, approve it, edit it into a new revision, compare
// and restore revisions, delete and undo.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { byTestId, dataDir, launch, LOA, screenshot, UI_MS } from "./harness.mjs";

let dir;
let app;
before(async () => {
  dir = dataDir();
  execFileSync(LOA, ["--data-dir", dir, "settings", "set", "--user-name", "Trần Văn Duyệt"]);
  app = await launch(dir);
  await byTestId(app.browser, "home").waitForExist({ timeout: UI_MS });
});
after(async () => {
  await app?.stop();
});

const BODY =
  "Trạm y tế xã thông báo lịch tiêm chủng đợt 2 cho trẻ em dưới 5 tuổi. " +
  "Thời gian từ 7h30 ngày 21/3/2023 tại nhà văn hóa thôn. Đề nghị các gia đình đưa trẻ đến đúng giờ.";
const ADDED = " Mang theo sổ tiêm chủng của trẻ.";

const text = (b, id) => byTestId(b, id).getText();
const cli = (...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args]).toString());

async function waitSaved(b) {
  await b.waitUntil(async () => (await text(b, "save-state")).startsWith("Đã lưu"), {
    timeout: UI_MS,
    timeoutMsg: "autosave did not report saved",
  });
}

test("a new script is written with a live reading time and saved automatically", async () => {
  const b = app.browser;
  await byTestId(b, "nav-scripts").click();
  await byTestId(b, "new-script").click();
  const title = await byTestId(b, "edit-title");
  await title.waitForExist({ timeout: UI_MS });
  await b.waitUntil(async () => (await title.getValue()) === "Kịch bản chưa đặt tên");
  await title.clearValue();
  await title.setValue("Thông báo tiêm chủng đợt 2");

  const body = await byTestId(b, "edit-body");
  await body.setValue(BODY);
  await b.waitUntil(async () => /\d+ âm tiết/.test(await text(b, "reading-time")));
  const first = await text(b, "reading-time");
  await body.addValue(ADDED);
  await b.waitUntil(async () => (await text(b, "reading-time")) !== first, {
    timeoutMsg: "reading time follows the typing",
  });

  // Undo and redo in the editor (Ctrl+Z, Ctrl+Shift+Z). A pause before
  // typing starts a new undo step, as in a word processor.
  await b.pause(1000);
  await body.addValue(" Nhầm");
  await b.waitUntil(async () => (await body.getValue()).endsWith(" Nhầm"));
  await b.keys(["Control", "z"]);
  await b.waitUntil(async () => (await body.getValue()) === BODY + ADDED, { timeoutMsg: "Ctrl+Z undoes typing" });
  await b.keys(["Control", "Shift", "z"]);
  await b.waitUntil(async () => (await body.getValue()).endsWith(" Nhầm"), { timeoutMsg: "Ctrl+Shift+Z redoes it" });
  await b.keys(["Control", "z"]);
  await b.waitUntil(async () => (await body.getValue()) === BODY + ADDED);

  await byTestId(b, "edit-target").setValue("0.2");
  await byTestId(b, "reading-gap").waitForExist();
  assert.match(await text(b, "reading-gap"), /^Dài hơn mục tiêu/);
  await waitSaved(b);
  await screenshot(b, "10-script-editor");

  // What the window shows is what the database holds.
  const found = cli("script", "search", "tiem chung dot 2");
  assert.equal(found.length, 1);
  const shown = cli("script", "show", String(found[0].id));
  assert.equal(shown.input.body, BODY + ADDED);
  assert.equal(shown.author, "Trần Văn Duyệt");
  assert.equal(shown.input.targetSeconds, 12);
});

test("the script exports as a Word document with its text", async () => {
  const b = app.browser;
  await byTestId(b, "script-more").$("summary").click();
  await byTestId(b, "export-docx").click();
  await byTestId(b, "exported").waitForExist({ timeout: UI_MS });
  const path = (await text(b, "exported")).replace(/^Đã lưu tệp: /, "");
  assert.match(path, /exports\/\d+-thong-bao-tiem-chung-dot-2\.docx$/);
  const xml = execFileSync("unzip", ["-p", path, "word/document.xml"]).toString();
  assert.ok(xml.includes("THÔNG BÁO TIÊM CHỦNG ĐỢT 2"), "title in the document");
  assert.ok(xml.includes("Trạm y tế xã thông báo lịch tiêm chủng đợt 2"), "text in the document");
  assert.ok(xml.includes("Mang theo sổ tiêm chủng của trẻ."));
});

test("the print layout carries the header and the text", async () => {
  // Ctrl+P opens the system print dialog, which WebDriver cannot drive;
  // what it would print is the print-only block, checked here.
  const b = app.browser;
  const printed = await b.execute(() => document.querySelector(".print-only")?.textContent ?? "");
  assert.match(printed, /Thông báo tiêm chủng đợt 2/);
  assert.match(printed, /Thông thường/);
  assert.match(printed, /Mang theo sổ tiêm chủng của trẻ\./);
  const hiddenOnScreen = await b.execute(
    () => getComputedStyle(document.querySelector(".print-only")).display,
  );
  assert.equal(hiddenOnScreen, "none");
});

test("search without diacritics finds and highlights it", async () => {
  const b = app.browser;
  const box = await byTestId(b, "scripts-search");
  await box.clearValue();
  await box.setValue("tiem chung dot 2");
  await b.waitUntil(async () => (await b.$$('[data-testid="script-row"]')).length === 1);
  const marks = await b.$$('[data-testid="script-row"] .title mark').map((m) => m.getText());
  assert.deepEqual(marks, ["tiêm", "chủng", "đợt", "2"]);
  await screenshot(b, "11-script-search");
});

test("approval, then an edit makes a new draft revision with a visible diff", async () => {
  const b = app.browser;
  await byTestId(b, "move-review").click();
  await b.waitUntil(async () => (await text(b, "script-status")) === "Chờ duyệt");
  await byTestId(b, "move-approved").click();
  await b.waitUntil(async () => (await text(b, "script-status")) === "Đã duyệt");
  assert.match(await text(b, "approved-by"), /^Trần Văn Duyệt, lúc/);

  await byTestId(b, "edit-body").addValue(" Liên hệ trạm y tế khi trẻ bị sốt.");
  await b.waitUntil(async () => (await text(b, "script-status")) === "Nháp", {
    timeout: UI_MS,
    timeoutMsg: "editing approved wording returns the script to draft",
  });
  assert.equal(await text(b, "script-revision"), "Bản sửa 2");

  await byTestId(b, "toggle-history").click();
  await byTestId(b, "diff-body").waitForExist({ timeout: UI_MS });
  const ins = await b.$$('[data-testid="diff-body"] ins');
  assert.equal(ins.length, 1);
  assert.match(await ins[0].getText(), /Liên hệ trạm y tế khi trẻ bị sốt\./);
  await screenshot(b, "12-script-history-diff");

  await byTestId(b, "restore-revision").click();
  await b.waitUntil(async () => (await byTestId(b, "edit-body").getValue()) === BODY + ADDED);
  const id = cli("script", "search", "tiem chung dot 2")[0].id;
  const h = cli("script", "history", String(id));
  assert.deepEqual(
    h.events.map((e) => `${e.fromStatus}>${e.toStatus}`),
    ["approved>draft", "review>approved", "draft>review"],
  );
});

test("delete can be undone", async () => {
  const b = app.browser;
  await byTestId(b, "script-more").$("summary").click();
  await byTestId(b, "delete-script").click();
  await byTestId(b, "undo-toast").waitForExist({ timeout: UI_MS });
  await b.waitUntil(async () => (await b.$$('[data-testid="script-row"]')).length === 0);
  await byTestId(b, "undo-delete").click();
  await b.waitUntil(async () => (await b.$$('[data-testid="script-row"]')).length === 1);
});

test("a disaster warning starts from its template and a script saves as a new template", async () => {
  const b = app.browser;
  await byTestId(b, "template-menu").click();
  const items = await b.$$('[data-testid="template-item"]');
  const names = await b.$$('[data-testid="template-item"]').map((i) => i.getText());
  const warning = names.findIndex((n) => n.startsWith("Cảnh báo thiên tai"));
  assert.ok(warning >= 0, `built-in templates listed: ${names}`);
  await items[warning].click();
  await b.waitUntil(async () => (await byTestId(b, "edit-title").getValue()).startsWith("Cảnh báo [mưa lớn"));
  assert.equal(await byTestId(b, "edit-priority").getValue(), "emergency");
  assert.match(await byTestId(b, "edit-body").getValue(), /^Khẩn cấp! Kính thưa bà con!/);
  await screenshot(b, "13-script-from-template");

  await byTestId(b, "template-menu").click();
  await byTestId(b, "template-name").setValue("Cảnh báo lũ thôn 3");
  await byTestId(b, "template-save").click();
  await b.waitUntil(async () =>
    (await b.$$('[data-testid="template-item"]').map((i) => i.getText())).some((n) => n.startsWith("Cảnh báo lũ thôn 3")),
  );
  assert.ok(cli("template", "list").some((t) => t.name === "Cảnh báo lũ thôn 3" && !t.builtin));
  await b.keys("Escape");
  await b.waitUntil(async () => !(await byTestId(b, "template-list").isExisting()));
});

test("bad input gets a message in Vietnamese and changes nothing", async () => {
  const b = app.browser;
  const id = cli("script", "search", "canh bao mua lon")[0].id;
  const title = await byTestId(b, "edit-title");
  // Select all and delete, as a user would (WebDriver's clear fires no input event).
  await title.click();
  await b.keys(["Control", "a"]);
  await b.keys("Backspace");
  await byTestId(b, "error").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "error").getText(), /Tiêu đề: không được để trống\./);
  assert.equal(await text(b, "save-state"), "Chưa lưu được");
  assert.match(cli("script", "show", String(id)).input.title, /^Cảnh báo \[mưa lớn/, "the stored title is untouched");
  await title.setValue("Cảnh báo mưa lớn tại thôn 3");
  await waitSaved(b);
  assert.equal(cli("script", "show", String(id)).input.title, "Cảnh báo mưa lớn tại thôn 3");

  // A huge paste (3 MB) is refused with a message; the stored text is kept
  // and Ctrl+Z takes the paste back.
  const body = await byTestId(b, "edit-body");
  const stored = cli("script", "show", String(id)).input.body;
  await b.pause(1000);
  await b.execute((el) => {
    el.value = "Dán nhầm. ".repeat(300000);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, body);
  await b.waitUntil(async () => /Nội dung: quá dài\./.test(await byTestId(b, "error").getText()), {
    timeout: UI_MS,
    timeoutMsg: "the oversized text is refused in Vietnamese",
  });
  assert.equal(cli("script", "show", String(id)).input.body, stored);
  await body.click();
  await b.keys(["Control", "z"]);
  await b.waitUntil(async () => (await body.getValue()) === stored, { timeoutMsg: "undo restores the text" });
  await waitSaved(b);
});

test("the reading rate from Settings drives the estimates", async () => {
  const b = app.browser;
  await byTestId(b, "nav-settings").click();
  const rate = await byTestId(b, "reading-rate");
  await rate.clearValue();
  await rate.setValue("300");
  await byTestId(b, "save-rate").click();
  await byTestId(b, "error").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "error").getText(), /Tốc độ đọc: phải từ 60 đến 250/);
  await rate.clearValue();
  await rate.setValue("65");
  await byTestId(b, "save-rate").click();
  await byTestId(b, "rates-saved").waitForExist({ timeout: UI_MS });
  const id = cli("script", "search", "canh bao mua lon")[0].id;
  let s = cli("script", "show", String(id));
  assert.equal(s.summary.estSeconds, Math.ceil((s.summary.syllables * 60) / 65));

  // A reader profile: the script that names its reader is estimated at her rate.
  await byTestId(b, "reader-name").setValue("Chị Lan");
  const readerRate = await byTestId(b, "reader-rate");
  await readerRate.clearValue();
  await readerRate.setValue("200");
  await byTestId(b, "reader-add").click();
  await byTestId(b, "reader-item").waitForExist({ timeout: UI_MS });
  await byTestId(b, "nav-scripts").click();
  await byTestId(b, "edit-reader").waitForExist({ timeout: UI_MS });
  // The script's details fold into one line; opened on demand.
  if ((await byTestId(b, "script-fields").getAttribute("open")) === null) await byTestId(b, "script-fields-summary").click();
  const before = await text(b, "reading-time");
  await byTestId(b, "edit-reader").selectByVisibleText("Chị Lan (200)");
  await b.waitUntil(async () => (await text(b, "reading-time")) !== before, {
    timeoutMsg: "choosing a faster reader shortens the estimate",
  });
  await waitSaved(b);
  s = cli("script", "show", String(id));
  assert.equal(s.summary.estSeconds, Math.ceil((s.summary.syllables * 60) / 200));
});
