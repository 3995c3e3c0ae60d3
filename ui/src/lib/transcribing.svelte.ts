import type { Job } from "./job.svelte";

/** Transcriptions running or queued, by take: they outlive the panel that
 * started them (the user may look at another take meanwhile), and a panel
 * opened on a take shows its job. */
export const transcribing = $state<Record<number, Job>>({});
