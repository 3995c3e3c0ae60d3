import { describe, expect, it } from "vitest";
import { flushAll, onFlush, retryable } from "./flush";

describe("flush before the window closes", () => {
  it("waits for every registered save, even when one fails", async () => {
    const done: string[] = [];
    const off1 = onFlush(async () => {
      await new Promise((r) => setTimeout(r, 10));
      done.push("script");
    });
    const off2 = onFlush(async () => {
      throw new Error("disk full");
    });
    await flushAll();
    expect(done).toEqual(["script"]);
    off1();
    off2();
    done.length = 0;
    await flushAll();
    expect(done).toEqual([]);
  });

  it("retries the disk and the database, not a refused value", () => {
    expect(retryable({ code: "io" })).toBe(true);
    expect(retryable({ code: "db" })).toBe(true);
    expect(retryable({ code: "disk-full" })).toBe(true);
    expect(retryable({ code: "invalid" })).toBe(false);
    expect(retryable("boom")).toBe(false);
  });
});
