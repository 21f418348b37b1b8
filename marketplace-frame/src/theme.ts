/**
 * Theme tokens from the host → CSS custom properties, one grammar per token. Everything the
 * host sends is untrusted: a value outside its grammar (or an unknown token) is reported as
 * a warning and the default is kept, so no value can inject CSS or load a URL (T2/T3).
 * Properties are set through CSSOM `style.setProperty`, which the frame CSP
 * (`style-src 'self'`) allows.
 */
import { ChannelErrorCode } from "../../contract/errors.ts";
import type { ChannelWarning } from "../../contract/protocol.ts";
import { cssVarName, themeTokenGrammars, type ThemeMode, type ThemeTokenName, type TokenGrammar } from "../../contract/theme.ts";

const NUM = String.raw`[+-]?(?:\d+(?:\.\d+)?|\.\d+)`;
const ALPHA = String.raw`${NUM}%?`;
const hex = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const rgbComma = new RegExp(String.raw`^rgba?\(\s*${NUM}%?\s*,\s*${NUM}%?\s*,\s*${NUM}%?\s*(?:,\s*${ALPHA}\s*)?\)$`, "i");
const rgbSpace = new RegExp(String.raw`^rgba?\(\s*${NUM}%?\s+${NUM}%?\s+${NUM}%?\s*(?:\/\s*${ALPHA}\s*)?\)$`, "i");
const hslComma = new RegExp(String.raw`^hsla?\(\s*${NUM}(?:deg)?\s*,\s*${NUM}%\s*,\s*${NUM}%\s*(?:,\s*${ALPHA}\s*)?\)$`, "i");
const hslSpace = new RegExp(String.raw`^hsla?\(\s*${NUM}(?:deg)?\s+${NUM}%\s+${NUM}%\s*(?:\/\s*${ALPHA}\s*)?\)$`, "i");
const lengthRe = new RegExp(String.raw`^(${NUM})(px|rem)$`);
const numberRe = new RegExp(String.raw`^${NUM}$`);
const familyName = /^[A-Za-z0-9 _-]+$/;

export const isColor = (v: string): boolean =>
  v.length <= 100 && (hex.test(v) || rgbComma.test(v) || rgbSpace.test(v) || hslComma.test(v) || hslSpace.test(v));

/** px or rem within [min, max] px (1rem counted as 16px). */
export function isLength(v: string, min = 0, max = 10000): boolean {
  const m = lengthRe.exec(v);
  if (!m) return false;
  const px = Number(m[1]) * (m[2] === "rem" ? 16 : 1);
  return px >= min && px <= max;
}

export function isNumberIn(v: string, min = -Infinity, max = Infinity): boolean {
  if (!numberRe.test(v)) return false;
  const n = Number(v);
  return n >= min && n <= max;
}

export function isFontFamily(v: string): boolean {
  if (v.length > 300) return false;
  const names = v.split(",").map((s) => s.trim());
  return (
    names.length > 0 &&
    names.length <= 12 &&
    names.every((n) => {
      const quoted = /^(["'])(.*)\1$/.exec(n);
      const inner = quoted ? quoted[2] : n;
      return inner.trim().length > 0 && familyName.test(inner);
    })
  );
}

/** Splits at commas outside parentheses (rgba() arguments stay whole). */
function topLevelParts(v: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth < 0) return undefined;
    } else if (c === "," && depth === 0) {
      parts.push(v.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  parts.push(v.slice(start));
  return parts.map((p) => p.trim());
}

const shadowLength = (s: string) => s === "0" || isLength(s.replace(/^-/, ""), 0, 200);

/** `[inset] <x> <y> [blur [spread]] <colour>`, comma-separated layers, or `none`. */
export function isShadow(v: string): boolean {
  if (v === "none") return true;
  if (v.length > 400) return false;
  const layers = topLevelParts(v);
  if (!layers || layers.length > 4) return false;
  return layers.every((layer) => {
    const m = /^(inset\s+)?((?:\S+\s+){2,4})(\S.*)$/.exec(layer);
    if (!m) return false;
    const lengths = m[2].trim().split(/\s+/);
    return lengths.length >= 2 && lengths.length <= 4 && lengths.every(shadowLength) && isColor(m[3].trim());
  });
}

type TokenSpec = { grammar: TokenGrammar; min?: number; max?: number };

export function isValidToken(spec: TokenSpec, value: string): boolean {
  switch (spec.grammar) {
    case "color":
      return isColor(value);
    case "length":
      return isLength(value, spec.min, spec.max);
    case "number":
      return isNumberIn(value, spec.min, spec.max);
    case "font-family":
      return isFontFamily(value);
    case "shadow":
      return isShadow(value);
  }
}

const isTokenName = (name: string): name is ThemeTokenName => Object.prototype.hasOwnProperty.call(themeTokenGrammars, name);

/**
 * Keeps only the tokens that pass their grammar; every other entry becomes a warning naming
 * it. Non-string values (the host is untrusted) are rejected the same way.
 */
export function validateTheme(theme: Record<string, unknown> | undefined): {
  valid: Partial<Record<ThemeTokenName, string>>;
  warnings: ChannelWarning[];
} {
  const valid: Partial<Record<ThemeTokenName, string>> = {};
  const warnings: ChannelWarning[] = [];
  for (const [name, raw] of Object.entries(theme ?? {})) {
    const value = typeof raw === "string" ? raw.trim() : undefined;
    if (isTokenName(name) && value !== undefined && isValidToken(themeTokenGrammars[name], value)) valid[name] = value;
    else
      warnings.push({
        code: ChannelErrorCode.InvalidThemeToken,
        message: isTokenName(name) ? "Theme value rejected; the default is kept" : "Unknown theme token ignored",
        subject: name,
      });
  }
  return { valid, warnings };
}

export const resolveMode = (mode: ThemeMode | undefined, hostPrefersDark: boolean | undefined): "light" | "dark" =>
  mode === "dark" || (mode === "auto" && hostPrefersDark === true) ? "dark" : "light";

/**
 * Sets each valid host value as an inline `--em-*` property and removes the others, so the
 * stylesheet's default for the mode shows (styles.css, `:root` and `:root[data-mode=dark]`).
 */
export function applyTheme(
  style: CSSStyleDeclaration,
  valid: Partial<Record<ThemeTokenName, string>>,
  mode: "light" | "dark",
): void {
  for (const name of Object.keys(themeTokenGrammars) as ThemeTokenName[]) {
    const value = valid[name];
    if (value === undefined) style.removeProperty(cssVarName(name));
    else style.setProperty(cssVarName(name), value);
  }
  style.setProperty("color-scheme", mode);
}
