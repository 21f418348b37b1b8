// The console's language: English, German and French phrase tables (messages-*.js, the frame's
// words where the frame has the same phrase), chosen by the viewer (the selector in the top
// bar, kept in localStorage) or else by the browser's languages. Counts pick their form with
// Intl.PluralRules; dates, numbers and durations are formatted by Intl in the chosen locale.
// German and French load on demand, so an English page fetches one table.

import { en } from "./messages-en.js";

export const LOCALES = { en: "English", de: "Deutsch", fr: "Français" };
const STORAGE_KEY = "emporium.console.locale";

let locale = "en";
let table = en;

/** The shipped locale for a BCP 47 tag (`de-AT` → `de`), or undefined. */
function match(tag) {
  try {
    const language = Intl.getCanonicalLocales(tag)[0]?.split("-")[0].toLowerCase();
    return Object.hasOwn(LOCALES, language) ? language : undefined;
  } catch {
    return undefined;
  }
}

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined; // storage blocked: the browser's language decides
  }
}

async function tableOf(name) {
  if (name === "de") return (await import("./messages-de.js")).de;
  if (name === "fr") return (await import("./messages-fr.js")).fr;
  return en;
}

/** Loads `name`'s table and makes it the page's language (`<html lang>`, the title). */
async function use(name) {
  table = await tableOf(name);
  locale = name;
  document.documentElement.lang = name;
  document.title = t("app.title");
}

/** The viewer's saved choice, else the first of the browser's languages we ship, else English. */
export function initLocale() {
  const choice = match(stored() ?? "") ?? navigator.languages.map(match).find(Boolean) ?? "en";
  return use(choice);
}

/** Switches the language and remembers the choice. */
export async function setLocale(name) {
  const chosen = match(name) ?? "en";
  try {
    localStorage.setItem(STORAGE_KEY, chosen);
  } catch {
    // not kept across visits where storage is blocked; the page still switches
  }
  await use(chosen);
}

export const currentLocale = () => locale;

/** The phrase for `key` with `{name}` placeholders filled in; English where a table lacks it. */
export function t(key, vars = {}) {
  const text = table[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

/** `key.one`, `key.other`… as the locale's plural rules pick for `count`; `{count}` is formatted. */
export function tn(key, count, vars = {}) {
  const form = `${key}.${formatter("PluralRules", {}).select(count)}`;
  return t(Object.hasOwn(table, form) ? form : `${key}.other`, { ...vars, count: number(count) });
}

const formatters = new Map();
/** An Intl formatter of `kind` for the current locale and `options`, made once. */
function formatter(kind, options) {
  const key = `${locale}|${kind}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Intl[kind](locale, options));
  return formatters.get(key);
}

export const number = (value, options = {}) => formatter("NumberFormat", options).format(value);

/** "5. Dez. 2026, 14:30" */
export const dateTime = (iso) => formatter("DateTimeFormat", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

/** "05.12.2026" */
export const date = (iso) => formatter("DateTimeFormat", { dateStyle: "medium" }).format(new Date(iso));

/** "vor 3 Minuten", "in 2 hours": the largest unit that fits. */
export function relativeTime(iso) {
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 60 ? [seconds, "second"] : abs < 3600 ? [Math.round(seconds / 60), "minute"] : abs < 86400 ? [Math.round(seconds / 3600), "hour"] : [Math.round(seconds / 86400), "day"];
  return formatter("RelativeTimeFormat", { numeric: "auto" }).format(value, unit);
}

/** "850 ms", "1,2 s" (SI symbols, as the frame writes them, read the same in every locale shipped). */
export const duration = (ms) => (ms < 1000 ? `${number(Math.round(ms))} ms` : `${number(ms / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`);

/** Seconds as hours with two decimals, in the locale's digits ("12,50"). */
export const hours = (seconds) => number(seconds / 3600, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
