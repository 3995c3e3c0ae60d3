import type { Language, Settings, SettingsPatch, StationDetail } from "./bindings";
import { commands } from "./api";
import { isLang, locale } from "./i18n.svelte";

export const AREAS = [
  { id: "home", label: "nav-home", icon: "home" },
  { id: "scripts", label: "nav-scripts", icon: "scripts" },
  { id: "translate", label: "nav-translate", icon: "translate" },
  { id: "glossary", label: "nav-glossary", icon: "glossary" },
  { id: "recordings", label: "nav-recordings", icon: "recordings" },
  { id: "packages", label: "nav-packages", icon: "packages" },
  { id: "schedule", label: "nav-schedule", icon: "schedule" },
  { id: "stations", label: "nav-stations", icon: "stations" },
  { id: "reports", label: "nav-reports", icon: "reports" },
  { id: "settings", label: "nav-settings", icon: "settings" },
] as const;

export type AreaId = (typeof AREAS)[number]["id"];

/** Settings' sections, in the order of its side index: the station first,
 * what a new office must set before it can sign and send anything. */
export const SETTINGS_SECTIONS = [
  "station",
  "user",
  "language",
  "hub",
  "backup",
  "languages",
  "approvers",
  "rates",
  "readers",
  "speech",
  "update",
  "about",
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

class AppState {
  area = $state<AreaId>("home");
  settings = $state<Settings | null>(null);
  station = $state<StationDetail | null>(null);
  languages = $state<Language[]>([]);
  /** What the Translate area opens: set by "Translate" in a script. */
  translateTarget = $state<{ scriptId: number; lang: string } | null>(null);
  /** The script the user last worked on in Scripts or Recordings: the
   * other area opens on it. */
  currentScript = $state<number | null>(null);
  /** The script the Scripts area selects when it opens next. */
  scriptTarget = $state<number | null>(null);
  /** Bumped when packages are imported or deleted: lists and the
   * emergency banner reload. */
  packagesChanged = $state(0);
  /** Bumped after each sync with the province hub. */
  hubChanged = $state(0);
  /** Bumped when glossary or memory changes from other offices arrived:
   * open editors reload. */
  glossaryChanged = $state(0);
  /** The tab the Packages area opens on. */
  packageTab = $state<"received" | "build" | "sent" | null>(null);
  /** The package the received list selects when it opens next. */
  packageTarget = $state<number | null>(null);
  /** The Settings section to show when Settings opens next. */
  settingsSection = $state<SettingsSection | null>(null);
  /** Set when the database itself could not be opened. */
  fatal = $state<string | null>(null);

  apply(s: Settings) {
    this.settings = s;
    if (isLang(s.uiLang)) locale.lang = s.uiLang;
  }

  /** The registry's name for an ISO 639-3 code, or the code itself. */
  languageName(code: string): string {
    return this.languages.find((l) => l.code === code)?.nameVi ?? code;
  }

  language(code: string): Language | undefined {
    return this.languages.find((l) => l.code === code);
  }

  /** Inline style that shows text in a language's own font, if it has one. */
  fontStyle(code: string): string {
    const font = this.language(code)?.font;
    return font ? `font-family: "${font}", "Noto Sans", sans-serif` : "";
  }

  openTranslation(scriptId: number, lang: string) {
    this.translateTarget = { scriptId, lang };
    this.area = "translate";
  }

  openPackage(id: number) {
    this.packageTab = "received";
    this.packageTarget = id;
    this.area = "packages";
  }

  /** Opens Settings at `section`: every warning that names a setting
   * links straight to it. */
  openSettings(section: SettingsSection) {
    this.settingsSection = section;
    this.area = "settings";
  }

  /** Recordings, on this script ("Ghi âm" in the script's toolbar). */
  openRecording(scriptId: number) {
    this.currentScript = scriptId;
    this.area = "recordings";
  }

  openScript(id: number) {
    this.scriptTarget = id;
    this.area = "scripts";
  }

  /** Everything loaded at start, read again (after a restore replaced the
   * data underneath). */
  async reload() {
    this.apply(await commands.settingsGet());
    this.languages = await commands.languageList();
    await this.refreshStation();
    this.packagesChanged++;
  }

  async refreshStation() {
    const id = this.settings?.stationId;
    this.station = id == null ? null : await commands.stationGet(id);
  }

  async update(patch: SettingsPatch) {
    this.apply(await commands.settingsUpdate(patch));
    if (patch.stationId !== undefined || patch.clearStation) await this.refreshStation();
  }
}

export const app = new AppState();
