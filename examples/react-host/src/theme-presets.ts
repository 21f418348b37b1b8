/** A few ready-made looks for the demo's theme picker. Any subset of tokens is a valid theme. */
import type { Theme, ThemeMode } from "emporium";

export interface ThemePreset {
  id: string;
  label: string;
  mode: ThemeMode;
  theme: Theme;
}

export const themePresets: ThemePreset[] = [
  { id: "default", label: "Default", mode: "light", theme: {} },
  {
    id: "teal",
    label: "Teal, rounded",
    mode: "light",
    theme: { colorPrimary: "#0f766e", colorFocusRing: "#0d9488", borderRadius: "14px", fontFamily: "Georgia, serif" },
  },
  {
    id: "midnight",
    label: "Midnight",
    mode: "dark",
    theme: { colorPrimary: "#f59e0b", colorOnPrimary: "#111111", colorBackground: "#0b1020", colorSurface: "#121a30", borderRadius: "4px" },
  },
  { id: "auto", label: "Follow the system", mode: "auto", theme: {} },
];
