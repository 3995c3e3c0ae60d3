import { describe, expect, it } from "vitest";
import type { Concept, Term } from "../../lib/bindings";
import { conceptLabel, groupTerms, importFormat, newTermRow, padRow, termRow, textLang, toTermInput } from "./glossary";

const term = (id: number, lang: string, text: string, status = "preferred"): Term => ({
  id,
  uid: `t${id}`,
  conflict: false,
  lang,
  text,
  status,
  partOfSpeech: "",
  usageNote: "",
  source: "",
  author: "",
  updatedAt: 0,
});

const concept = (terms: Term[], definition = ""): Concept => ({
  id: 7,
  uid: "c7",
  conflict: false,
  externalId: "",
  domain: "",
  definition,
  note: "",
  source: "",
  createdAt: 0,
  updatedAt: 0,
  terms,
});

describe("glossary helpers", () => {
  it("groups terms by language in the order they come", () => {
    const groups = groupTerms([term(1, "vie", "a"), term(2, "mtq", "b"), term(3, "vie", "c")]);
    expect(groups.map((g) => [g.lang, g.terms.map((t) => t.text)])).toEqual([
      ["vie", ["a", "c"]],
      ["mtq", ["b"]],
    ]);
  });

  it("names a concept by its preferred term, else what it has", () => {
    expect(conceptLabel(concept([term(1, "vie", "cũ", "deprecated"), term(2, "vie", "mới")]))).toBe("mới");
    expect(conceptLabel(concept([term(1, "vie", "cấm", "forbidden")]))).toBe("cấm");
    expect(conceptLabel(concept([], "vaccine"))).toBe("vaccine");
    expect(conceptLabel(concept([]))).toBe("#7");
  });

  it("keeps stored term ids and sends none for new terms", () => {
    expect(toTermInput(termRow(term(5, "blt", "ꪀ")))).toMatchObject({ id: 5, lang: "blt", text: "ꪀ" });
    const fresh = toTermInput(newTermRow("mtq"));
    expect("id" in fresh).toBe(false);
    expect(fresh).toMatchObject({ lang: "mtq", status: "preferred" });
    expect(newTermRow("vie").key).not.toBe(newTermRow("vie").key);
  });

  it("picks the import format from the file extension", () => {
    expect(importFormat("thuat-ngu.CSV")).toBe("csv");
    expect(importFormat("a.tsv")).toBe("csv");
    expect(importFormat("a.txt")).toBe("csv");
    expect(importFormat("bang.xlsx")).toBe("xlsx");
    expect(importFormat("x.tbx")).toBe("tbx");
    expect(importFormat("x.xml")).toBe("tbx");
    expect(importFormat("x.xls")).toBeNull();
    expect(importFormat("csv")).toBeNull();
  });

  it("knows which mapped columns hold text in a language", () => {
    expect(textLang("term:blt")).toBe("blt");
    expect(textLang("usage:mtq")).toBe("mtq");
    expect(textLang("status:blt")).toBeNull();
    expect(textLang("definition")).toBeNull();
  });

  it("pads ragged sample rows", () => {
    expect(padRow(["a"], 3)).toEqual(["a", "", ""]);
    expect(padRow(["a", "b", "c"], 2)).toEqual(["a", "b"]);
  });
});
