/** The live theme: validated host tokens plus the resolved light/dark mode. */
import { computed, signal } from "@preact/signals";
import type { ChannelWarning, ThemeUpdate } from "../../../contract/protocol.ts";
import type { ThemeMode, ThemeTokenName } from "../../../contract/theme.ts";
import { applyTheme, resolveMode, validateTheme } from "../theme.ts";

export function createThemeState() {
  const tokens = signal<Partial<Record<ThemeTokenName, string>>>({});
  const mode = signal<ThemeMode>("light");
  const hostPrefersDark = signal(false);
  const resolved = computed(() => resolveMode(mode.value, hostPrefersDark.value));

  /** Validates and stores an update; the caller re-applies. Returns a warning per rejected token. */
  function update(u: ThemeUpdate): ChannelWarning[] {
    let warnings: ChannelWarning[] = [];
    if (u.theme !== undefined) {
      const result = validateTheme(u.theme as Record<string, unknown>);
      tokens.value = result.valid;
      warnings = result.warnings;
    }
    if (u.mode === "light" || u.mode === "dark" || u.mode === "auto") mode.value = u.mode;
    if (typeof u.hostPrefersDark === "boolean") hostPrefersDark.value = u.hostPrefersDark;
    return warnings;
  }

  const applyTo = (el: HTMLElement) => {
    applyTheme(el.style, tokens.value, resolved.value);
    el.dataset.mode = resolved.value;
  };

  return { tokens, mode, hostPrefersDark, resolved, update, applyTo };
}
export type ThemeState = ReturnType<typeof createThemeState>;
