/**
 * Theme tokens: the host passes them over the channel; the frame validates each one against
 * its own grammar and turns it into a CSS custom property `--em-<token>`. No value can inject
 * CSS or load a URL: anything outside the grammar is rejected and the default kept.
 */

export type TokenGrammar = "color" | "length" | "font-family" | "number" | "shadow";

/**
 * Every theme token and its grammar (with bounds, for lengths and numbers). The frame imports
 * only this: the defaults below live in its stylesheet, where they apply before any script runs.
 */
export const themeTokenGrammars = {
  colorPrimary: { grammar: "color" },
  colorOnPrimary: { grammar: "color" },
  colorBackground: { grammar: "color" },
  colorSurface: { grammar: "color" },
  colorSurfaceRaised: { grammar: "color" },
  colorText: { grammar: "color" },
  colorTextMuted: { grammar: "color" },
  colorBorder: { grammar: "color" },
  colorDanger: { grammar: "color" },
  colorSuccess: { grammar: "color" },
  colorWarning: { grammar: "color" },
  colorFocusRing: { grammar: "color" },
  colorSkeleton: { grammar: "color" },
  fontFamily: { grammar: "font-family" },
  fontFamilyMono: { grammar: "font-family" },
  fontSizeBase: { grammar: "length", min: 10, max: 24 },
  fontWeightBold: { grammar: "number", min: 100, max: 900 },
  lineHeight: { grammar: "number", min: 1, max: 3 },
  borderRadius: { grammar: "length", min: 0, max: 32 },
  spacingUnit: { grammar: "length", min: 2, max: 16 },
  controlHeight: { grammar: "length", min: 24, max: 64 },
  borderWidth: { grammar: "length", min: 0, max: 4 },
  shadow: { grammar: "shadow" },
} as const satisfies Record<string, { grammar: TokenGrammar; min?: number; max?: number }>;

/**
 * Each token's light and dark default. marketplace-frame/src/styles.css declares the same
 * values (a test keeps the two equal); hosts and docs read them here.
 */
export const themeTokenDefaults = {
  colorPrimary: { light: "#4f46e5", dark: "#818cf8" },
  colorOnPrimary: { light: "#fff", dark: "#0b0b1a" },
  colorBackground: { light: "#fff", dark: "#0f1115" },
  colorSurface: { light: "#f7f7fb", dark: "#181b22" },
  colorSurfaceRaised: { light: "#fff", dark: "#1f232c" },
  colorText: { light: "#15171c", dark: "#e8eaf0" },
  colorTextMuted: { light: "#5b6170", dark: "#9aa1b2" },
  colorBorder: { light: "#d9dce5", dark: "#2e3340" },
  colorDanger: { light: "#c62828", dark: "#f87171" },
  colorSuccess: { light: "#1b7f4b", dark: "#4ade80" },
  colorWarning: { light: "#a15c00", dark: "#fbbf24" },
  colorFocusRing: { light: "#2563eb", dark: "#93c5fd" },
  colorSkeleton: { light: "#eceef4", dark: "#252a35" },
  fontFamily: { light: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", dark: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif" },
  fontFamilyMono: { light: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", dark: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" },
  fontSizeBase: { light: "14px", dark: "14px" },
  fontWeightBold: { light: "600", dark: "600" },
  lineHeight: { light: "1.5", dark: "1.5" },
  borderRadius: { light: "8px", dark: "8px" },
  spacingUnit: { light: "4px", dark: "4px" },
  controlHeight: { light: "36px", dark: "36px" },
  borderWidth: { light: "1px", dark: "1px" },
  shadow: { light: "0 1px 2px #1018280f, 0 1px 3px #1018281a", dark: "0 1px 2px #00000080, 0 1px 3px #0006" },
} as const satisfies Record<keyof typeof themeTokenGrammars, { light: string; dark: string }>;

/** Every theme token: its grammar and its light/dark defaults. */
export const themeTokens = /* @__PURE__ */ Object.fromEntries(
  /* @__PURE__ */ Object.entries(themeTokenGrammars).map(([name, grammar]) => [name, { ...grammar, ...themeTokenDefaults[name as keyof typeof themeTokenGrammars] }]),
) as { [K in keyof typeof themeTokenGrammars]: (typeof themeTokenGrammars)[K] & (typeof themeTokenDefaults)[K] };

export type ThemeTokenName = keyof typeof themeTokenGrammars;
/** Theme tokens a host may pass; every one is optional. */
export type Theme = Partial<Record<ThemeTokenName, string>>;
export type ThemeMode = "light" | "dark" | "auto";

/** CSS custom property name for a token: `colorPrimary` → `--em-color-primary`. */
export const cssVarName = (token: string): string =>
  "--em-" + token.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
