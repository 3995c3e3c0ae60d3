/** Undo/redo over snapshots of an editor's state. Changes that follow each
 * other within `burstMs` form one step, the way word processors undo
 * typing word-group by word-group rather than letter by letter. */
export class UndoHistory {
  #undo: string[] = [];
  #redo: string[] = [];
  #shown: string;
  #lastChange = 0;

  constructor(
    initial: string,
    private readonly burstMs = 800,
    private readonly limit = 200,
  ) {
    this.#shown = initial;
  }

  /** Records that the state is now `next` (call on every change). */
  record(next: string, now = Date.now()): void {
    if (next === this.#shown) return;
    if (this.#undo.length === 0 || now - this.#lastChange > this.burstMs) {
      this.#undo.push(this.#shown);
      if (this.#undo.length > this.limit) this.#undo.shift();
    }
    this.#lastChange = now;
    this.#redo = [];
    this.#shown = next;
  }

  /** The state to show after undoing, or null when there is nothing. */
  undo(): string | null {
    const prev = this.#undo.pop();
    if (prev === undefined) return null;
    this.#redo.push(this.#shown);
    this.#shown = prev;
    this.#lastChange = 0;
    return prev;
  }

  redo(): string | null {
    const next = this.#redo.pop();
    if (next === undefined) return null;
    this.#undo.push(this.#shown);
    this.#shown = next;
    this.#lastChange = 0;
    return next;
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** Starts over from `state` (another script, or a restored revision). */
  reset(state: string): void {
    this.#undo = [];
    this.#redo = [];
    this.#shown = state;
  }
}
