import { SEARCH_DELAY_MS } from "./enums";
import { Loader } from "./loader.svelte";

/** A searchable list with one selected item: searches once typing pauses
 * (and when `watch` changes), and keeps a valid selection so the detail pane
 * is never blank while there is something to show. Create it while a
 * component initializes: it sets up effects. */
export class SearchList<D, T extends { id: number }> {
  search = $state("");
  selectedId = $state<number | null>(null);
  readonly loader = new Loader<D>();
  readonly #fetch: (search: string | undefined) => Promise<D>;
  readonly #items: (data: D) => T[];

  constructor(
    fetch: (search: string | undefined) => Promise<D>,
    items: (data: D) => T[],
    watch: () => unknown = () => undefined,
  ) {
    this.#fetch = fetch;
    this.#items = items;
    $effect(() => {
      void this.search;
      void watch();
      const timer = setTimeout(this.reload, SEARCH_DELAY_MS);
      return () => clearTimeout(timer);
    });
    $effect(() => {
      const items = this.items;
      if (items && items.length > 0 && !items.some((i) => i.id === this.selectedId)) {
        this.selectedId = items[0].id;
      }
    });
  }

  get items(): T[] | undefined {
    return this.loader.data === undefined ? undefined : this.#items(this.loader.data);
  }

  get selected(): T | undefined {
    return this.items?.find((i) => i.id === this.selectedId);
  }

  reload = () => this.loader.run(() => this.#fetch(this.search || undefined));

  /** Arrow keys move the selection. */
  onKey = (e: KeyboardEvent) => {
    const items = this.items ?? [];
    const i = items.findIndex((s) => s.id === this.selectedId);
    if (e.key === "ArrowDown" && i < items.length - 1) this.selectedId = items[i + 1].id;
    else if (e.key === "ArrowUp" && i > 0) this.selectedId = items[i - 1].id;
    else return;
    e.preventDefault();
  };
}
