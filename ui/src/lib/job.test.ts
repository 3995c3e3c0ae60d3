import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Channel } from "@tauri-apps/api/core";
import type { JobProgress } from "./bindings";
import { isCancelled, Job } from "./job.svelte";

// No Tauri runtime here: a channel is a plain object whose reports the test
// delivers by hand, and the cancel command is recorded.
const { jobCancel } = vi.hoisted(() => ({ jobCancel: vi.fn(async (_id: string) => null) }));
vi.mock("./bindings", () => ({ commands: { jobCancel } }));
vi.mock("@tauri-apps/api/core", () => ({
  Channel: class {
    onmessage: (p: unknown) => void = () => {};
  },
}));

type Report = (p: JobProgress) => void;

/** A call that stays open until the test ends it, and hands out what the
 * job gave it. */
function pending<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  const seen: { id: string; report: Report }[] = [];
  const call = (id: string, ch: Channel<JobProgress>) => {
    seen.push({ id, report: (p) => ch.onmessage(p) });
    return promise;
  };
  return { call, seen, resolve, reject };
}

describe("Job", () => {
  beforeEach(() => jobCancel.mockClear());

  it("names each run, follows its progress and ends with its result", async () => {
    const job = new Job("build");
    expect(job.running).toBe(false);
    const p = pending<string>();
    const result = job.run(p.call);
    expect(job.running).toBe(true);
    const { id, report } = p.seen[0];
    expect(id).toMatch(/^build-\d+-\d+$/);
    expect(job.id).toBe(id);

    report({ done: 0, queued: true, lines: [] });
    expect(job.queued).toBe(true);
    report({ done: 0.4, queued: false, lines: ["một"] });
    report({ done: 0.8, queued: false, lines: ["hai", "ba"] });
    expect(job.done).toBe(0.8);
    expect(job.queued).toBe(false);
    expect(job.lines).toEqual(["một", "hai", "ba"]);

    p.resolve("built");
    expect(await result).toBe("built");
    expect(job.running).toBe(false);
  });

  it("cancels the running job by its name, and nothing when idle", async () => {
    const job = new Job("import");
    job.cancel();
    expect(jobCancel).not.toHaveBeenCalled();

    const p = pending<void>();
    const result = job.run(p.call);
    job.cancel();
    expect(jobCancel).toHaveBeenCalledWith(p.seen[0].id);

    p.reject({ code: "cancelled" });
    await expect(result).rejects.toSatisfy(isCancelled);
    expect(job.running).toBe(false);
  });

  it("starts every run afresh and ignores an older run's reports", async () => {
    const job = new Job("inspect");
    const first = pending<number>();
    const one = job.run(first.call);
    first.seen[0].report({ done: 0.9, queued: false, lines: ["cũ"] });

    const second = pending<number>();
    const two = job.run(second.call);
    expect(second.seen[0].id).not.toBe(first.seen[0].id);
    expect(job.done).toBe(0);
    expect(job.lines).toEqual([]);

    first.seen[0].report({ done: 1, queued: false, lines: ["cũ nữa"] });
    expect(job.done).toBe(0);
    // The older run ending leaves the newer one running.
    first.resolve(1);
    await one;
    expect(job.id).toBe(second.seen[0].id);

    second.seen[0].report({ done: 0.5, queued: false, lines: [] });
    expect(job.done).toBe(0.5);
    second.resolve(2);
    expect(await two).toBe(2);
    expect(job.running).toBe(false);
  });

  it("ends the run when the call fails", async () => {
    const job = new Job("backup");
    await expect(job.run(async () => Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
    expect(job.running).toBe(false);
  });
});

describe("isCancelled", () => {
  it("tells a cancel from an error", () => {
    expect(isCancelled({ code: "cancelled", messageId: "error-cancelled" })).toBe(true);
    expect(isCancelled({ code: "io" })).toBe(false);
    expect(isCancelled(new Error("cancelled"))).toBe(false);
    expect(isCancelled(null)).toBe(false);
    expect(isCancelled("cancelled")).toBe(false);
  });
});
