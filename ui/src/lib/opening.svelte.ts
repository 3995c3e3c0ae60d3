// A file the user opened from outside the app (dropped on the window, a
// .loa double-clicked in Explorer): routed to the area whose import takes
// it, which consumes it from here.
import { app, type AreaId } from "./app.svelte";
import { openKind, type OpenKind } from "./files";

const AREA: Record<OpenKind, AreaId> = {
  package: "packages",
  audio: "recordings",
  glossary: "glossary",
  tmx: "translate",
};

class Opening {
  /** The file waiting for its area, with what opens it. */
  next = $state<{ kind: OpenKind; path: string; n: number } | null>(null);
  /** A file nothing opens, for the banner. */
  refused = $state<string | null>(null);
  #n = 0;

  /** Opens the first file of `paths` that the app can take. */
  open(paths: string[]) {
    this.refused = null;
    for (const path of paths) {
      const kind = openKind(path);
      if (!kind) continue;
      this.next = { kind, path, n: ++this.#n };
      app.area = AREA[kind];
      return;
    }
    if (paths.length) this.refused = paths[0];
  }

  /** The waiting file if it is of `kind`, taken off so it opens once. */
  take(kind: OpenKind): string | null {
    if (this.next?.kind !== kind) return null;
    const path = this.next.path;
    this.next = null;
    return path;
  }
}

export const opening = new Opening();
