import { describe, expect, it } from "vitest";
import { targetGap, workflowActions } from "./scriptflow";
import { hasMessage, LANGS } from "./i18n.svelte";
import { STATUSES } from "./enums";

describe("script workflow in the UI", () => {
  it("offers the moves the core allows, each with a message", () => {
    expect(workflowActions("draft").map(([s]) => s)).toEqual(["review"]);
    expect(workflowActions("review").map(([s]) => s)).toEqual(["approved", "draft"]);
    expect(workflowActions("approved").map(([s]) => s)).toEqual(["draft"]);
    for (const status of STATUSES)
      for (const [, id] of workflowActions(status)) for (const l of LANGS) expect(hasMessage(l, id)).toBe(true);
  });

  it("compares reading time with the target", () => {
    expect(targetGap(100, 0)).toBeNull();
    expect(targetGap(100, 98)).toEqual({ id: "script-on-target", gap: 0 });
    expect(targetGap(200, 120)).toEqual({ id: "script-over", gap: 80 });
    expect(targetGap(60, 120)).toEqual({ id: "script-under", gap: 60 });
  });
});
