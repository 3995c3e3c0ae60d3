// Issue 4 in the real window: a translator imports an Excel glossary,
// translates a script with glossary hits and memory matches, fixes what QA
// finds, marks it translated and exports TBX and TMX that other tools read.
//
// The Mường side of this test is test input, marked "(thử)", not real
// Mường: the project never invents translations into a real language.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { answerDialog, byTestId, dataDir, launch, LOA, retype, revealed, screenshot, UI_MS } from "./harness.mjs";

const BODY =
  "Trạm y tế xã thông báo lịch tiêm chủng cho trẻ em.\n" +
  "Thời gian từ 7h30 ngày 21/3/2023 tại nhà văn hóa thôn.\n" +
  "Trạm y tế phường thông báo lịch tiêm chủng cho trẻ em.";

let dir;
let app;
let scriptId;
let xlsx;
const cli = (...args) => JSON.parse(execFileSync(LOA, ["--data-dir", dir, "--json", ...args]).toString());

before(async () => {
  // An Excel glossary, written by a real XLSX writer from a CSV in another
  // data folder (as an office would receive it).
  const work = mkdtempSync(join(tmpdir(), "loa-xlsx-"));
  const csv = join(work, "thuat-ngu.csv");
  writeFileSync(
    csv,
    "Tiếng Việt,Tiếng Mường,Trạng thái Mường,Lĩnh vực\n" +
      "tiêm chủng,tiêm chủng (thử),ưu tiên,y tế\n" +
      "tiêm chủng,chích (thử),cấm,y tế\n" +
      "trạm y tế,trạm y tế (thử),ưu tiên,y tế\n",
  );
  const other = join(work, "data");
  execFileSync(LOA, ["--data-dir", other, "init"]);
  execFileSync(LOA, ["--data-dir", other, "glossary", "import", csv]);
  xlsx = join(work, "thuat-ngu.xlsx");
  execFileSync(LOA, ["--data-dir", other, "glossary", "export", "--format", "xlsx", "--out", xlsx]);

  dir = dataDir();
  const body = join(work, "body.txt");
  writeFileSync(body, BODY);
  execFileSync(LOA, ["--data-dir", dir, "settings", "set", "--user-name", "Phiên dịch viên"]);
  scriptId = cli("script", "add", "--title", "Lịch tiêm chủng", "--file", body, "--langs", "vie,mtq").summary.id;
  app = await launch(dir);
  await byTestId(app.browser, "home").waitForExist({ timeout: UI_MS });
});
after(async () => {
  await app?.stop();
});

const text = (b, id) => byTestId(b, id).getText();


test("an Excel glossary is previewed with counts, then imported", async () => {
  const b = app.browser;
  await byTestId(b, "nav-glossary").click();
  await byTestId(b, "glossary-import").click();
  const input = await byTestId(b, "glossary-import-file");
  await input.waitForExist({ timeout: UI_MS });
  answerDialog(dir, xlsx);
  await input.click();
  await b.waitUntil(async () => /2 mới/.test(await text(b, "glossary-import-counts")), {
    timeout: UI_MS,
    timeoutMsg: "preview counts appear",
  });
  await screenshot(b, "20-glossary-import-preview");
  await byTestId(b, "glossary-import-run").click();
  await b.waitUntil(async () => (await byTestId(b, "glossary-notice").isExisting()), { timeout: UI_MS });
  const terms = cli("glossary", "list", "--search", "tiem chung").items[0].terms;
  assert.deepEqual(
    terms.map((t) => [t.lang, t.text, t.status]),
    [
      ["vie", "tiêm chủng", "admitted"],
      ["mtq", "tiêm chủng (thử)", "preferred"],
      ["mtq", "chích (thử)", "forbidden"],
    ],
  );
});

async function openTranslation(b) {
  await byTestId(b, "nav-scripts").click();
  const row = await b.$(`[data-testid="script-row"][data-id="${scriptId}"]`);
  if (await row.isExisting()) await row.click();
  else {
    await b.waitUntil(async () => (await b.$$('[data-testid="script-row"]')).length > 0);
    await (await b.$$('[data-testid="script-row"]'))[0].click();
  }
  await byTestId(b, "open-translation").click();
  await b.$('main[data-testid="area-translate"]').waitForExist({ timeout: UI_MS });
  await b.waitUntil(async () => (await b.$$('[data-testid="segment"]')).length === 3, { timeout: UI_MS });
}

const segments = (b) => b.$$('[data-testid="segment"]');
const targets = (b) => b.$$('[data-testid="segment-target"]');
const statusOf = async (b, i) => (await segments(b))[i].getAttribute("data-status");

test("translate with glossary hits, confirm to memory, reuse a fuzzy match", async () => {
  const b = app.browser;
  await openTranslation(b);
  assert.match(await text(b, "translate-progress"), /0\/3/);
  // The glossary hit is marked in the source, its approved term offered.
  assert.ok((await b.$$('[data-testid="source-term"]')).length >= 2);
  const offered = await b.$$('[data-testid="assist-term"]');
  assert.ok(offered.length >= 1);
  const first = (await targets(b))[0];
  await first.click();
  await first.addValue("Trạm y tế (thử) xã thông báo lịch ");
  await b.$('[data-testid="assist-term"]=tiêm chủng (thử)').click();
  await first.addValue(" cho trẻ em.");
  await b.keys(["Control", "Enter"]);
  await b.waitUntil(async () => (await statusOf(b, 0)) === "confirmed", { timeoutMsg: "Ctrl+Enter confirms" });
  assert.equal(await first.getValue(), "Trạm y tế (thử) xã thông báo lịch tiêm chủng (thử) cho trẻ em.");
  assert.match(await text(b, "translate-progress"), /1\/3/);

  // A wrong date in segment 2, confirmed anyway.
  const second = (await targets(b))[1];
  await second.click();
  await second.addValue("(thử) 7h30 ngày 21/4/2023 nhà văn hóa thôn.");
  await b.keys(["Control", "Enter"]);
  await b.waitUntil(async () => (await statusOf(b, 1)) === "confirmed");

  // Segment 3 is almost segment 1: the memory offers it; Ctrl+1 inserts it.
  const third = (await targets(b))[2];
  await third.click();
  await b.waitUntil(async () => (await b.$$('[data-testid="assist-match"]')).length > 0, {
    timeoutMsg: "the memory offers the confirmed segment",
  });
  assert.match(await byTestId(b, "assist-match").getText(), /9\d%/);
  await screenshot(b, "21-translate-editor");
  await b.keys(["Control", "1"]);
  await b.waitUntil(async () => (await third.getValue()).startsWith("Trạm y tế (thử) xã"));
  assert.ok(await b.$('main[data-testid="area-translate"]').isExisting(), "Ctrl+1 inserted, did not switch area");
  await retype(b, third, "Trạm y tế (thử) phường thông báo lịch chích (thử) cho trẻ em.");
  await b.keys(["Control", "Enter"]);
  await b.waitUntil(async () => (await statusOf(b, 2)) === "confirmed");
});

test("QA finds the wrong date and the forbidden term, and blocks 'translated' until fixed", async () => {
  const b = app.browser;
  await b.keys("F7");
  await byTestId(b, "qa-panel").waitForExist({ timeout: UI_MS });
  const kinds = await b.$$('[data-testid="qa-issue"]').map((e) => e.getAttribute("data-kind"));
  assert.ok(kinds.includes("number-mismatch"), kinds.join());
  assert.ok(kinds.includes("forbidden-term"), kinds.join());
  await screenshot(b, "22-translate-qa");

  await byTestId(b, "translate-done").click();
  await b.$('[data-testid="error"]').waitForExist({ timeout: UI_MS });
  assert.match(await byTestId(b, "error").getText(), /kiểm tra chất lượng còn lỗi/);

  // Clicking an issue goes to its segment; fix both.
  await b.$('[data-testid="qa-issue"][data-kind="number-mismatch"]').click();
  const second = (await targets(b))[1];
  await b.waitUntil(async () => (await b.execute(() => document.activeElement?.getAttribute("data-testid"))) === "segment-target");
  await retype(b, second, "(thử) 7h30 ngày 21/3/2023 nhà văn hóa thôn.");
  await b.keys(["Control", "Enter"]);
  await b.waitUntil(async () => (await second.getValue()).includes("21/3/2023"));
  const third = (await targets(b))[2];
  await retype(b, third, "Trạm y tế (thử) phường thông báo lịch tiêm chủng (thử) cho trẻ em.");
  await b.keys(["Control", "Enter"]);
  await b.waitUntil(async () => (await third.getValue()).includes("tiêm chủng (thử)"));
  await b.keys("F7");
  await b.waitUntil(async () => (await text(b, "qa-count")) === "Không tìm thấy lỗi nào.", {
    timeoutMsg: "QA is clean after the fixes",
  });
  await byTestId(b, "translate-done").click();
  await b.waitUntil(async () => (await text(b, "translate-status")) === "Đã dịch xong");
  assert.equal(cli("translate", "show", String(scriptId), "--lang", "mtq").status, "translated");
});

test("TMX and TBX exports are files other tools can read", async () => {
  const b = app.browser;
  await byTestId(b, "translate-export-tmx").click();
  await byTestId(b, "translate-notice").waitForExist({ timeout: UI_MS });
  const tmxPath = (await text(b, "translate-notice")).match(/(\/\S+\.tmx)/)[1];
  const tmx = readFileSync(tmxPath, "utf8");
  assert.match(tmx, /<tmx version="1.4">/);
  assert.match(tmx, /<tuv xml:lang="mtq">\s*<seg>\(thử\) 7h30 ngày 21\/3\/2023 nhà văn hóa thôn\.<\/seg>\s*<\/tuv>/);
  // "Mở thư mục" shows the exported file in the file manager.
  await byTestId(b, "reveal").click();
  await b.waitUntil(async () => revealed(dir).includes(realpathSync(tmxPath)), {
    timeout: UI_MS,
    timeoutMsg: "the TMX file shown in its folder",
  });
  // A TMX file (another office's; here this one's) is imported into the memory.
  answerDialog(dir, tmxPath);
  await byTestId(b, "tm-import").click();
  await b.waitUntil(async () => /Đã nhập \d+ đơn vị/.test(await text(b, "translate-notice")), {
    timeout: UI_MS,
    timeoutMsg: "the TMX import is reported",
  });

  await byTestId(b, "nav-glossary").click();
  await byTestId(b, "glossary-export-tbx").click();
  await byTestId(b, "glossary-notice").waitForExist({ timeout: UI_MS });
  const tbxPath = (await text(b, "glossary-notice")).match(/(\/\S+\.tbx)/)[1];
  const tbx = readFileSync(tbxPath, "utf8");
  assert.match(tbx, /<tbx type="TBX-Basic"/);
  assert.match(tbx, /<term>chích \(thử\)<\/term>\s*<termNote type="administrativeStatus">obsoleteTerm-admn-sts<\/termNote>/);
});

test("editing the Vietnamese source marks the translated segment outdated", async () => {
  let b = app.browser;
  const work = mkdtempSync(join(tmpdir(), "loa-edit-"));
  const body = join(work, "body.txt");
  writeFileSync(body, BODY.replace("tại nhà văn hóa thôn", "tại hội trường thôn"));
  // While the window has the data folder, a writing `loa` is refused and
  // says which program holds it; nothing changes.
  assert.throws(() => cli("script", "edit", String(scriptId), "--file", body), /folder-in-use|Loa Studio/);
  assert.match(cli("script", "show", String(scriptId)).input.body, /nhà văn hóa thôn/);
  await app.stop();
  cli("script", "edit", String(scriptId), "--file", body);
  app = await launch(dir);
  b = app.browser;
  await byTestId(b, "home").waitForExist({ timeout: UI_MS });
  await openTranslation(b);
  assert.equal(await statusOf(b, 1), "outdated");
  assert.equal(await statusOf(b, 0), "confirmed");
  assert.match(await byTestId(b, "segment-was").getText(), /nhà văn hóa thôn/);
  assert.equal(await text(b, "translate-status"), "Đang dịch");
  await screenshot(b, "23-translate-outdated");
});
