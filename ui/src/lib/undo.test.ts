import { describe, expect, it } from "vitest";
import { UndoHistory } from "./undo";

describe("UndoHistory", () => {
  it("groups a burst of typing into one step and redoes it", () => {
    const h = new UndoHistory("a", 800);
    h.record("ab", 1000);
    h.record("abc", 1200); // same burst
    h.record("abc d", 3000); // new step after a pause
    expect(h.undo()).toBe("abc");
    expect(h.undo()).toBe("a");
    expect(h.undo()).toBeNull();
    expect(h.redo()).toBe("abc");
    expect(h.redo()).toBe("abc d");
    expect(h.redo()).toBeNull();
  });

  it("a new change after undo drops the redo steps", () => {
    const h = new UndoHistory("x", 800);
    h.record("xy", 1000);
    expect(h.undo()).toBe("x");
    h.record("xz", 5000);
    expect(h.redo()).toBeNull();
    expect(h.undo()).toBe("x");
  });

  it("ignores recording what is already shown (the undo's own echo)", () => {
    const h = new UndoHistory("1", 800);
    h.record("2", 1000);
    const back = h.undo();
    h.record(back!, 1100);
    expect(h.redo()).toBe("2");
  });
});
