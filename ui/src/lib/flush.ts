// Work that must reach the disk before the window closes: editors register
// their save here, and the window's close request waits for all of them.

const pending = new Set<() => Promise<void>>();

/** Registers `save`; the returned function unregisters it. */
export function onFlush(save: () => Promise<void>): () => void {
  pending.add(save);
  return () => pending.delete(save);
}

/** Runs every registered save and waits for them, whatever each one's
 * outcome: one failing editor must not keep the others from saving. */
export async function flushAll(): Promise<void> {
  await Promise.allSettled([...pending].map((save) => save()));
}

/** Whether a failed save is worth trying again by itself: the disk or the
 * database (full, busy, locked), not a value the user must change. */
export function retryable(e: unknown): boolean {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === "io" || code === "db" || code === "disk-full";
}
