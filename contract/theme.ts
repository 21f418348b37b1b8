/**
 * Theme tokens: the host passes them over the channel; the frame validates each one against
 * its own grammar and turns it into a CSS custom property `--em-<token>`. No value can inject
 * CSS or load a URL: anything outside the grammar is rejected and the default kept.
 */

export type TokenGrammar = "color" | "length" | "font-family" | "number" | "shadow";

/** Every theme token, its grammar and its light/dark defaults. */
export const themeTokens = {
  colorPrimary: { grammar: "color", light: "#4f46e5", dark: "#818cf8" },
  colorOnPrimary: { grammar: "color", light: "#ffffff", dark: "#0b0b1a" },
  colorBackground: { grammar: "color", light: "#ffffff", dark: "#0f1115" },
  colorSurface: { grammar: "color", light: "#f7f7fb", dark: "#181b22" },
  colorSurfaceRaised: { grammar: "color", light: "#ffffff", dark: "#1f232c" },
  colorText: { grammar: "color", light: "#15171c", dark: "#e8eaf0" },
  colorTextMuted: { grammar: "color", light: "#5b6170", dark: "#9aa1b2" },
  colorBorder: { grammar: "color", light: "#d9dce5", dark: "#2e3340" },
  colorDanger: { grammar: "color", light: "#c62828", dark: "#f87171" },
  colorSuccess: { grammar: "color", light: "#1b7f4b", dark: "#4ade80" },
  colorWarning: { grammar: "color", light: "#a15c00", dark: "#fbbf24" },
  colorFocusRing: { grammar: "color", light: "#2563eb", dark: "#93c5fd" },
  colorSkeleton: { grammar: "color", light: "#eceef4", dark: "#252a35" },
  fontFamily: {
    grammar: "font-family",
    light: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    dark: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  },
  fontFamilyMono: {
    grammar: "font-family",
    light: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    dark: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  },
  fontSizeBase: { grammar: "length", light: "14px", dark: "14px", min: 10, max: 24 },
  fontWeightBold: { grammar: "number", light: "600", dark: "600", min: 100, max: 900 },
  lineHeight: { grammar: "number", light: "1.5", dark: "1.5", min: 1, max: 3 },
  borderRadius: { grammar: "length", light: "8px", dark: "8px", min: 0, max: 32 },
  spacingUnit: { grammar: "length", light: "4px", dark: "4px", min: 2, max: 16 },
  controlHeight: { grammar: "length", light: "36px", dark: "36px", min: 24, max: 64 },
  borderWidth: { grammar: "length", light: "1px", dark: "1px", min: 0, max: 4 },
  shadow: {
    grammar: "shadow",
    light: "0 1px 2px rgba(16,24,40,0.06), 0 1px 3px rgba(16,24,40,0.10)",
    dark: "0 1px 2px rgba(0,0,0,0.5), 0 1px 3px rgba(0,0,0,0.4)",
  },
} as const satisfies Record<
  string,
  { grammar: TokenGrammar; light: string; dark: string; min?: number; max?: number }
>;

export type ThemeTokenName = keyof typeof themeTokens;
/** Theme tokens a host may pass; every one is optional. */
export type Theme = Partial<Record<ThemeTokenName, string>>;
export type ThemeMode = "light" | "dark" | "auto";

/** CSS custom property name for a token: `colorPrimary` → `--em-color-primary`. */
export const cssVarName = (token: string): string =>
  "--em-" + token.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
