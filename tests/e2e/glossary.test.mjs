// Issue 4 in the real window: the glossary is edited by hand (terms in
// several languages, statuses, merge, delete with undo), the language
// registry takes a new language and its letter palette, and the palette
// types letters into a translation.
//
// Minority-language text here is test input marked "(thử)" or a run of
// palette letters, not a real translation.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { byTestId, dataDir, launch, LOA, screenshot, UI_MS } from "./harness.mjs";

let dir;
let app;
const cli = (...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args]).toString());

before(async () => {
  dir = dataDir();
  execFileSync(LOA, ["--data-dir", dir, "settings", "set", "--user-name", "Người biên soạn"]);
  app = await launch(dir);
  await byTestId(app.browser, "home").waitForExist({ timeout: UI_MS });
});
after(async () => {
  await app?.stop();
});

const rows = (b) => b.$$('[data-testid="glossary-row"]');

async function search(b, q) {
  const box = await byTestId(b, "glossary-search");
  await box.click();
  await b.keys(["Control", "a"]);
  await b.keys("Backspace");
  if (q) await box.addValue(q);
}

async function newConcept(b, domain, terms) {
  await byTestId(b, "glossary-new").click();
  await byTestId(b, "glossary-form").waitForExist({ timeout: UI_MS });
  if (domain) await byTestId(b, "glossary-edit-domain").addValue(domain);
  for (let i = 0; i < terms.length; i++) {
    if (i > 0) await byTestId(b, "glossary-add-term").click();
    const [lang, text, status] = terms[i];
    const row = (await b.$$('[data-testid="glossary-form"] tbody tr'))[i];
    await row.$(`select[aria-label="Ngôn ngữ"]`).selectByAttribute("value", lang);
    await row.$('[data-testid="glossary-term-input"]').addValue(text);
    await row.$(`select[aria-label="Trạng thái"]`).selectByAttribute("value", status);
  }
  await byTestId(b, "glossary-save").click();
  await byTestId(b, "glossary-detail").waitForExist({ timeout: UI_MS });
}

test("a concept is written by hand with terms in several languages", async () => {
  const b = app.browser;
  await byTestId(b, "nav-glossary").click();
  await newConcept(b, "y tế", [
    ["vie", "bảo hiểm y tế", "preferred"],
    ["mtq", "bảo hiểm y tế (thử)", "admitted"],
    ["blt", "ꪀꪱꪙ (thử)", "forbidden"],
  ]);
  // Found without diacritics; the Tai Viet term is shown in its font.
  await search(b, "bao hiem y te");
  await b.waitUntil(async () => (await rows(b)).length === 1);
  const detail = await byTestId(b, "glossary-detail").getText();
  assert.match(detail, /bảo hiểm y tế \(thử\)/);
  assert.match(detail, /Cấm dùng/);
  const tai = await b.$('[data-testid="glossary-detail"] [lang="blt"]');
  assert.match(await tai.getCSSProperty("font-family").then((p) => p.value), /noto sans tai viet/i);
  const [c] = cli("glossary", "list", "--search", "bao hiem").items;
  assert.deepEqual(
    c.terms.map((t) => [t.lang, t.status, t.author]),
    [
      ["vie", "preferred", "Người biên soạn"],
      ["mtq", "admitted", "Người biên soạn"],
      ["blt", "forbidden", "Người biên soạn"],
    ],
  );
  await screenshot(b, "30-glossary-concept");
});

test("delete can be undone, and a duplicate merges into the concept kept", async () => {
  const b = app.browser;
  await search(b, "bao hiem y te");
  await b.waitUntil(async () => (await rows(b)).length === 1);
  await byTestId(b, "glossary-delete").click();
  await byTestId(b, "glossary-undo-toast").waitForExist({ timeout: UI_MS });
  await b.waitUntil(async () => (await rows(b)).length === 0);
  await byTestId(b, "glossary-undo").click();
  await b.waitUntil(async () => (await rows(b)).length === 1, { timeoutMsg: "undo brings it back" });

  await newConcept(b, "", [
    ["vie", "BHYT", "admitted"],
    ["vie", "Bảo hiểm y tế", "admitted"],
  ]);
  await byTestId(b, "glossary-merge").click();
  await byTestId(b, "glossary-merge-picker").waitForExist({ timeout: UI_MS });
  await byTestId(b, "glossary-merge-search").addValue("bao hiem y te");
  await b.waitUntil(async () => (await b.$$('[data-testid="glossary-merge-candidate"]')).length > 0);
  await (await b.$$('[data-testid="glossary-merge-candidate"]'))[0].click();
  await byTestId(b, "glossary-merge-confirm").click();
  await b.waitUntil(async () => cli("glossary", "list", "--search", "bao hiem").total === 1, {
    timeoutMsg: "one concept is left",
  });
  const [c] = cli("glossary", "list", "--search", "bao hiem").items;
  assert.deepEqual(
    c.terms.filter((t) => t.lang === "vie").map((t) => t.text),
    ["bảo hiểm y tế", "BHYT"],
  );
  assert.equal(c.domain, "y tế");
});

test("a new language with its palette, used to type a translation", async () => {
  const b = app.browser;
  await byTestId(b, "nav-settings").click();
  await byTestId(b, "languages-section").waitForExist({ timeout: UI_MS });
  await byTestId(b, "language-add").click();
  await byTestId(b, "language-code").addValue("BR");
  await byTestId(b, "language-name").addValue("Tiếng Bru - Vân Kiều");
  await byTestId(b, "language-save").click();
  // Two letters is not an ISO 639-3 code: refused in Vietnamese.
  await byTestId(b, "language-error").waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "language-error").getText(), /ISO 639-3/);
  await byTestId(b, "language-code").addValue("U");
  await byTestId(b, "language-palette").addValue("ư̆ ơ̆");
  await byTestId(b, "language-save").click();
  await b.waitUntil(async () => cli("info").languages === 10, { timeoutMsg: "the language is saved" });

  // A script for Tai Dam: the Tai Viet palette types into the translation.
  const s = cli("script", "list").find((x) => x.targetLangs.length > 0);
  await byTestId(b, "nav-scripts").click();
  await b.$(`[data-testid="script-row"][data-id="${s.id}"]`).click();
  await byTestId(b, "open-translation").click();
  await byTestId(b, "translate-lang").waitForExist({ timeout: UI_MS });
  await byTestId(b, "translate-lang").selectByAttribute("value", "blt");
  await b.waitUntil(async () => (await b.$$('[data-testid="palette-key"]')).length === 72);
  const target = (await b.$$('[data-testid="segment-target"]'))[0];
  await target.click();
  const keys = await b.$$('[data-testid="palette-key"]');
  await keys[0].click();
  await keys[17].click();
  await b.waitUntil(async () => (await target.getValue()) === "\uAA80\uAA91");
  assert.equal(await target.getAttribute("lang"), "blt");
  await screenshot(b, "31-translate-tai-viet-palette");
});
