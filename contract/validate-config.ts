/**
 * Validation of config values against their definitions, shared by the wizard (before the user
 * moves on) and the platform (before it stores anything), so both give the same plain-words
 * message next to the same field. Every config variable type of config-vars.ts is covered.
 */
import * as z from "zod/mini";
import { connectionInput, keyValuePair, scheduleValue } from "./config-vars.ts";
import type { ConfigPage, ConfigVarDefinition } from "./config-vars.ts";
import { intervalProblem, scheduleProblem } from "./schedule.ts";
import { xmlProblem } from "./xml-well-formed.ts";

export interface ConfigValidationOptions {
  /**
   * Keys of connection fields that already have a stored secret: omitting the secret keeps
   * it, so the wizard never re-sends an unchanged one.
   */
  storedSecrets?: ReadonlySet<string>;
}

const REQUIRED = "This field is required.";

let englishPlurals: Intl.PluralRules | undefined;
/** "1 character", "2 characters": the messages are English, so English plural rules pick the word. */
const characters = (n: number) => `${n} ${(englishPlurals ??= new Intl.PluralRules("en")).select(n) === "one" ? "character" : "characters"}`;
const MAX_LIST_ENTRIES = 500;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

function describe(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Full-match test of a catalog pattern; an invalid pattern is a catalog error, reported as such. */
function matchesPattern(pattern: string, value: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, "u").test(value);
  } catch {
    return undefined;
  }
}

/**
 * Why `JSON.parse` refused a text, without the text: V8 quotes a piece of it ("Unexpected token
 * 'h', "hunter2…" is not valid JSON"), and what was typed may be a secret (a service account's
 * key). Its messages that give a position quote no input and are kept.
 */
export function jsonSyntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  return message && !message.includes('"') ? message : "Unexpected character";
}

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `This is not valid JSON: ${jsonSyntaxReason(error)}.`;
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function dateProblem(value: string): string | undefined {
  const m = DATE.exec(value);
  if (!m) return "Enter a date as YYYY-MM-DD, for example 2026-11-29.";
  if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return `${value} is not a real date.`;
  return undefined;
}

function timestampProblem(value: string): string | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return "Enter a date and time with its time zone, for example 2026-11-29T09:30:00Z or 2026-11-29T09:30:00+01:00.";
  if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return `${value.slice(0, 10)} is not a real date.`;
  return undefined;
}

function hasSecret(value: unknown): boolean {
  return typeof value === "string" ? value !== "" : typeof value === "object" && value !== null;
}

function connectionProblem(
  def: Extract<ConfigVarDefinition, { type: "connection" }>,
  value: unknown,
  storedSecret: boolean,
): string | undefined {
  const { kind, app } = def.connection;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `Connect your ${app} account.`;
  const record = value as Record<string, unknown>;
  // One of the customer's connections, by id: the platform checks it is theirs, for this app and kind.
  const bound = typeof record.connectionId === "string" && record.connectionId !== "";
  if (record.kind === undefined && "connectionId" in record) return bound ? undefined : `Choose a ${app} connection.`;
  if (record.kind !== kind) return `This field needs a ${kind} connection to ${app}.`;
  // A stored connection (as the platform returns it) keeps its secret until a new one is typed;
  // one the host organization provides shows no credentials at all.
  storedSecret ||= bound;
  if (typeof record.providedBy === "string") return undefined;
  if (kind === "oauth2") {
    // The platform returns `{ status }` for a stored grant; the wizard sends `{ grantId }`.
    if (typeof record.status === "string") {
      return record.status === "active" ? undefined : `Connect your ${app} account.`;
    }
    const parsed = z.safeParse(connectionInput, value);
    if (!parsed.success || !("kind" in parsed.data) || parsed.data.kind !== "oauth2" || parsed.data.grantId === "") {
      return `Connect your ${app} account.`;
    }
    return undefined;
  }
  if (kind === "api-key") {
    const secret = record.apiKey;
    if (secret !== undefined && typeof secret !== "string" && !hasSecret(secret)) return `Enter the ${app} API key.`;
    if (typeof secret === "string" && secret.length > 4000) return "The API key is too long.";
    if (!hasSecret(secret) && !storedSecret) return `Enter the ${app} API key.`;
    return undefined;
  }
  // basic
  if (typeof record.username !== "string" || record.username.trim() === "") return `Enter the ${app} username.`;
  if (record.username.length > 500) return "The username is too long.";
  const password = record.password;
  if (typeof password === "string" && password.length > 4000) return "The password is too long.";
  if (!hasSecret(password) && !storedSecret) return `Enter the ${app} password.`;
  return undefined;
}

/**
 * What is wrong with one value, in plain words, or undefined when it is acceptable.
 * An empty value (missing, null, "" or []) is only a problem for required fields.
 */
export function configValueProblem(
  def: ConfigVarDefinition,
  value: unknown,
  options: ConfigValidationOptions = {},
): string | undefined {
  const storedSecret = options.storedSecrets?.has(def.key) ?? false;
  if (def.type === "connection") {
    if (value === undefined || value === null) {
      return def.required && !storedSecret ? `Connect your ${def.connection.app} account.` : undefined;
    }
    return connectionProblem(def, value, storedSecret);
  }
  if (isEmpty(value)) return def.required ? REQUIRED : undefined;

  switch (def.type) {
    case "string": {
      if (typeof value !== "string") return `Expected text, got ${describe(value)}.`;
      if (def.minLength !== undefined && value.length < def.minLength) return `Enter at least ${characters(def.minLength)}.`;
      if (def.maxLength !== undefined && value.length > def.maxLength) return `Enter at most ${characters(def.maxLength)}.`;
      if (value.length > 10000) return "Enter at most 10000 characters.";
      if (def.pattern !== undefined) {
        const ok = matchesPattern(def.pattern, value);
        if (ok === undefined) return "This field's pattern is invalid; contact the integration's vendor.";
        if (!ok) return def.patternHint ? `${def.patternHint}` : `Must match the pattern ${def.pattern}.`;
      }
      return undefined;
    }
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return "Enter a number.";
      if (def.min !== undefined && value < def.min) return `Must be at least ${def.min}.`;
      if (def.max !== undefined && value > def.max) return `Must be at most ${def.max}.`;
      if (def.step !== undefined && def.step > 0) {
        const steps = (value - (def.min ?? 0)) / def.step;
        if (Math.abs(steps - Math.round(steps)) > 1e-9) return `Must be a multiple of ${def.step}${def.min ? ` from ${def.min}` : ""}.`;
      }
      return undefined;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : "Choose yes or no.";
    case "picklist": {
      // A data source's options live in the customer's account: here only the value's shape is
      // checked; the platform checks a newly chosen value against the source (data-sources.ts).
      const allowed = def.options && new Set(def.options.map((o) => o.value));
      const offered = (item: string) => !allowed || allowed.has(item);
      if (def.multiple) {
        if (!Array.isArray(value)) return "Choose one or more of the options.";
        const seen = new Set<string>();
        for (const item of value) {
          if (typeof item !== "string") return `Each choice must be text; got ${describe(item)}.`;
          if (item.length > 200) return "A choice is longer than 200 characters.";
          if (!offered(item)) return `"${item}" is not one of the options.`;
          if (seen.has(item)) return `"${item}" is chosen twice.`;
          seen.add(item);
        }
        return undefined;
      }
      if (typeof value !== "string") return "Choose one of the options.";
      if (value.length > 200) return "A choice is longer than 200 characters.";
      return offered(value) ? undefined : `"${value}" is not one of the options.`;
    }
    case "code": {
      if (typeof value !== "string") return `Expected text, got ${describe(value)}.`;
      if (value.length > 100000) return "The code is longer than 100000 characters.";
      if (def.language === "json") return jsonProblem(value);
      if (def.language === "xml") {
        const problem = xmlProblem(value);
        return problem === undefined ? undefined : `This is not well-formed XML: ${problem}`;
      }
      return undefined;
    }
    case "date":
      return typeof value === "string" ? dateProblem(value) : "Enter a date as YYYY-MM-DD.";
    case "timestamp":
      return typeof value === "string" ? timestampProblem(value) : "Enter a date and time.";
    case "schedule": {
      // An interval of 0 or less is the user's typing, not a malformed value: say what to fix.
      const every = (value as { kind?: unknown; every?: unknown }).kind === "interval" ? intervalProblem((value as { every?: unknown }).every) : undefined;
      if (every !== undefined) return every;
      const parsed = z.safeParse(scheduleValue, value);
      if (!parsed.success) return "Choose a valid schedule.";
      if (parsed.data.kind === "none") return def.required ? "Choose a schedule." : undefined;
      return scheduleProblem(parsed.data);
    }
    case "value-list": {
      if (!Array.isArray(value)) return "Expected a list of values.";
      if (value.length > MAX_LIST_ENTRIES) return `Enter at most ${MAX_LIST_ENTRIES} values.`;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item !== "string") return `Entry ${i + 1} is not text.`;
        if (item.trim() === "") return `Entry ${i + 1} is empty.`;
        if (item.length > 5000) return `Entry ${i + 1} is longer than 5000 characters.`;
      }
      return undefined;
    }
    case "key-value-list": {
      if (!Array.isArray(value)) return "Expected a list of key-value pairs.";
      if (value.length > MAX_LIST_ENTRIES) return `Enter at most ${MAX_LIST_ENTRIES} pairs.`;
      const keys = new Set<string>();
      for (let i = 0; i < value.length; i++) {
        const parsed = z.safeParse(keyValuePair, value[i]);
        if (!parsed.success) return `Pair ${i + 1} must have a key and a value.`;
        const k = parsed.data.key.trim();
        if (k === "") return `Pair ${i + 1} has an empty key.`;
        if (keys.has(k)) return `The key "${k}" appears more than once.`;
        keys.add(k);
      }
      return undefined;
    }
  }
}

/**
 * Field-level problems for a set of values against a page's (or several pages') fields.
 * Keys that no field defines are reported too. Fields missing from `values` are checked as
 * empty, so a required field that was never sent is reported.
 */
export function configFieldProblems(
  fields: readonly ConfigVarDefinition[],
  values: Readonly<Record<string, unknown>>,
  options: ConfigValidationOptions = {},
): Record<string, string> {
  const problems: Record<string, string> = {};
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) problems[key] = "This field does not exist on this page.";
  }
  for (const field of fields) {
    const value = Object.hasOwn(values, field.key) ? values[field.key] : undefined;
    const problem = configValueProblem(field, value, options);
    if (problem !== undefined) problems[field.key] = problem;
  }
  return problems;
}

/** Field problems of one config page (see `configFieldProblems`). */
export function configPageProblems(
  page: ConfigPage,
  values: Readonly<Record<string, unknown>>,
  options: ConfigValidationOptions = {},
): Record<string, string> {
  return configFieldProblems(page.fields, values, options);
}
