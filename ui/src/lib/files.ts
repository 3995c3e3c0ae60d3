// Files the user opens: chosen in the system's file dialog, dropped on the
// window, or handed over by Explorer. Rust reads them from their path and
// copies them in within each kind's size cap; no file crosses IPC whole.
import { commands, type FileType, type ImportKind, type Staged } from "./bindings";

/** The system's file dialog; null when cancelled. */
export function pickFile(fileType: FileType, title: string): Promise<string | null> {
  return commands.filePick({ fileType, title });
}

/** The system's folder dialog; null when cancelled. */
export function pickFolder(title: string): Promise<string | null> {
  return commands.folderPick(title);
}

/** Copies the file at `path` in for an import of `kind` (refused above its cap). */
export function stage(path: string, kind: ImportKind): Promise<Staged> {
  return commands.fileOpen({ path, kind });
}

/** The last part of a path, Windows or not. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

export function extension(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** What opening a file of this name means: which import takes it. */
export type OpenKind = "package" | "audio" | "glossary" | "tmx";

const BY_EXTENSION: Record<string, OpenKind> = {
  loa: "package",
  wav: "audio",
  mp3: "audio",
  ogg: "audio",
  flac: "audio",
  m4a: "audio",
  aac: "audio",
  csv: "glossary",
  tsv: "glossary",
  xlsx: "glossary",
  tbx: "glossary",
  tmx: "tmx",
};

export function openKind(path: string): OpenKind | null {
  return BY_EXTENSION[extension(path)] ?? null;
}
