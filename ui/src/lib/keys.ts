// Shortcuts use Ctrl on Windows and Linux and ⌘ (Command) on macOS, where
// Ctrl belongs to the system. Every handler asks `mod`, every label shows MOD.
export const IS_MAC = typeof navigator !== "undefined" && /Mac/i.test(navigator.platform);

/** The shortcut modifier's name as shown on a key cap. */
export const MOD = IS_MAC ? "⌘" : "Ctrl";

/** Whether the platform's shortcut modifier is held. */
export function mod(e: KeyboardEvent): boolean {
  return IS_MAC ? e.metaKey : e.ctrlKey;
}

/** Whether the other one (⌘ elsewhere, Ctrl on a Mac) is held: such keys are not ours. */
export function otherMod(e: KeyboardEvent): boolean {
  return IS_MAC ? e.ctrlKey : e.metaKey;
}
