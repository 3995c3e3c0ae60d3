// Calls into the Rust core, with errors turned into localized sentences.
import { commands, type ApiError, type ImportKind } from "./bindings";
import { hasMessage, locale, t } from "./i18n.svelte";

export { commands } from "./bindings";

let limits: Promise<Map<ImportKind, number>> | null = null;

/** A file's bytes, once its size is within the core's cap for `kind`: a
 * file too large is refused before it is read into memory. */
export async function readWithin(file: File, kind: ImportKind): Promise<Uint8Array> {
  limits ??= commands.importLimits().then((l) => new Map(l.map((x) => [x.kind, x.maxBytes])));
  const max = (await limits).get(kind) ?? Infinity;
  if (file.size > max) {
    const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
    throw {
      code: "data-row",
      messageId: "error-data-row",
      message: `${file.name}: too large`,
      args: { name: file.name, line: "none", problem: "file-too-large", value: ` “${mb(file.size)} MB > ${mb(max)} MB”` },
    } satisfies ApiError;
  }
  return new Uint8Array(await file.arrayBuffer());
}

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
