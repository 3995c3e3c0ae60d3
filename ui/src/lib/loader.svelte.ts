import { errorMessage } from "./api";

/** Async data with loading and error states; a newer run wins over an older
 * one still in flight (typing in a search box fires many). */
export class Loader<T> {
  data = $state<T | undefined>(undefined);
  error = $state<string | null>(null);
  loading = $state(false);
  #seq = 0;

  async run(fetch: () => Promise<T>): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const value = await fetch();
      if (seq === this.#seq) this.data = value;
    } catch (e) {
      if (seq === this.#seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}
