// The UI's Fluent messages: the very .ftl files the Rust side compiles in.
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";

export const LANGS = ["vi", "en"] as const;
export type Lang = (typeof LANGS)[number];

const sources = import.meta.glob("../../../locales/*/*.ftl", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

function bundleFor(lang: Lang): FluentBundle {
  const bundle = new FluentBundle(lang, { useIsolating: false });
  for (const [path, src] of Object.entries(sources)) {
    if (path.includes(`/locales/${lang}/`)) {
      const errors = bundle.addResource(new FluentResource(src));
      if (errors.length > 0) console.error(`Fluent errors in ${path}`, errors);
    }
  }
  return bundle;
}

// A language's messages are parsed the first time they are asked for: most
// offices never switch, and each parsed language stays in the page's memory.
const bundles: Partial<Record<Lang, FluentBundle>> = {};

function bundleOf(lang: Lang): FluentBundle {
  return (bundles[lang] ??= bundleFor(lang));
}

let current = $state<Lang>("vi");

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}

export const locale = {
  get lang(): Lang {
    return current;
  },
  set lang(value: Lang) {
    current = value;
    document.documentElement.lang = value;
  },
};

/** Message text in the current language; the id itself if it is missing. */
export function t(id: string, args?: Record<string, FluentVariable>): string {
  return format(current, id, args);
}

export function format(lang: Lang, id: string, args?: Record<string, FluentVariable>): string {
  const b = bundleOf(lang);
  const pattern = b.getMessage(id)?.value;
  if (!pattern) return id;
  return b.formatPattern(pattern, args);
}

export function hasMessage(lang: Lang, id: string): boolean {
  return bundleOf(lang).hasMessage(id);
}
