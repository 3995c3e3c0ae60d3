// Calls into the Rust core, with errors turned into localized sentences.
import { type ApiError } from "./bindings";
import { hasMessage, locale, t } from "./i18n.svelte";

export { commands } from "./bindings";

function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && "messageId" in e && "code" in e;
}

/** The error as a sentence in the user's language. Field, thing and reason
 * arguments are message-id fragments and are localized too. */
export function errorMessage(e: unknown): string {
  if (!isApiError(e)) return t("error-internal", { detail: String(e) });
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.args)) {
    const id = `${k}-${v}`;
    args[k] = ["field", "what", "reason", "problem"].includes(k) && hasMessage(locale.lang, id) ? t(id) : v;
  }
  return hasMessage(locale.lang, e.messageId) ? t(e.messageId, args) : e.message;
}
