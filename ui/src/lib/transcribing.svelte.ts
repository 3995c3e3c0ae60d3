/** Transcriptions running or queued, by take: they outlive the panel that
 * started them (the user may look at another take meanwhile), and a panel
 * opened on a take shows its job. */
export type TranscribeJob = { id: string; done: number; queued: boolean; lines: string[] };

export const transcribing = $state<Record<number, TranscribeJob>>({});
