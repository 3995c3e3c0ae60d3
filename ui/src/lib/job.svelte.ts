// Long work in the core (imports, builds, backups, transcription) runs as a
// job named by the UI: its progress comes back on a channel, and a cancel is
// sent by that name. This is the one place that names jobs, follows their
// progress and cancels them.
import { Channel } from "@tauri-apps/api/core";
import { commands, type JobPart, type JobProgress } from "./bindings";

// Two jobs of a kind started within the same millisecond still get apart
// names: a cancel meant for one must never stop the other.
let started = 0;

/** One kind of core job, run as often as needed. While a run is on,
 * `running` is true and `done` (0…1), `queued` and `lines` follow its
 * reports. Reactive: a component reads them in its markup. */
export class Job {
  /** The running job's name; null between runs. */
  id = $state<string | null>(null);
  done = $state(0);
  /** Waiting behind another job of its kind (transcriptions take turns). */
  queued = $state(false);
  /** Everything reported found so far in this run (transcribed lines). */
  lines = $state<string[]>([]);
  /** Which part is under way, for work done in parts (a long take). */
  part = $state<JobPart | null>(null);
  readonly #kind: string;

  /** `kind` starts the job's name, to tell jobs apart in the core's logs. */
  constructor(kind: string) {
    this.#kind = kind;
  }

  get running(): boolean {
    return this.id != null;
  }

  /** Runs `call` as a new job and returns its result. A run started while
   * another is on takes over the progress; the older one's reports are
   * dropped. */
  async run<T>(call: (id: string, onProgress: Channel<JobProgress>) => Promise<T>): Promise<T> {
    const id = `${this.#kind}-${Date.now()}-${++started}`;
    this.id = id;
    this.done = 0;
    this.queued = false;
    this.lines = [];
    this.part = null;
    const onProgress = new Channel<JobProgress>();
    onProgress.onmessage = (p) => {
      if (this.id !== id) return;
      this.done = p.done;
      this.queued = p.queued;
      if (p.lines.length) this.lines = [...this.lines, ...p.lines];
      if (p.part) this.part = p.part;
    };
    try {
      return await call(id, onProgress);
    } finally {
      if (this.id === id) this.id = null;
    }
  }

  /** Asks the running job to stop; its call then fails as cancelled (see
   * `isCancelled`). Safe before the call has reached the core, which keeps
   * a cancel for a job not started yet. */
  cancel = (): void => {
    if (this.id != null) void commands.jobCancel(this.id);
  };
}

/** Whether a job's call failed because it was cancelled, which is not an
 * error to show. */
export function isCancelled(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "cancelled";
}
