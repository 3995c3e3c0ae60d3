import { commands } from "../../lib/api";

export type ReadingLine = { paragraph: number; text: string };

/** What the reader reads, one sentence per line, and where they are. It
 * belongs to the area, not to the prompter: the place is kept while the
 * transcript tabs are shown, and the arrow keys move it from any tab. */
export class Reading {
  lines = $state<ReadingLine[]>([]);
  current = $state(0);
  /** Whether the script has text at all: an empty reading is either a
   * script not written yet or a translation with nothing to show. */
  hasText = $state(false);
  /** The prompter while it is shown, to keep the current line in view. */
  view: HTMLElement | null = null;
  #scriptId: number | null = null;

  /** Vietnamese reads the script; other languages read their translation,
   * with sentences not yet translated shown in brackets as the export does. */
  async load(scriptId: number, lang: string): Promise<void> {
    this.current = 0;
    try {
      if (scriptId !== this.#scriptId) {
        this.hasText = !!(await commands.scriptGet(scriptId)).input.body;
        this.#scriptId = scriptId;
      }
      if (lang === "vie") {
        this.lines = await commands.scriptSegments(scriptId);
      } else {
        const tr = await commands.translationOpen({ scriptId, lang });
        this.lines = tr.segments.map((s) => ({
          paragraph: s.paragraph,
          text: s.target.trim() ? s.target : `[${s.source}]`,
        }));
      }
    } catch (e) {
      this.lines = [];
      throw e;
    }
  }

  advance(by: number): void {
    if (this.lines.length === 0) return;
    this.current = Math.max(0, Math.min(this.lines.length - 1, this.current + by));
    this.view?.querySelector(`[data-line="${this.current}"]`)?.scrollIntoView({ block: "center", behavior: "smooth" });
  }
}
