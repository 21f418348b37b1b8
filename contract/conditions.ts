/**
 * Conditional fields and pages: the one evaluator of the declarative rules an integration
 * definition puts on its config pages and fields (`visibleWhen`, `hiddenWhen`, `requiredWhen`,
 * `disabledWhen`). The frame's wizard, the headless client and the platform all call
 * `formState`, so a field is hidden, required or disabled by the same rule everywhere, and the
 * platform refuses exactly what the wizard would not send.
 *
 * No zod here (the schema is in config-vars.ts): the headless client's published types import
 * this file, and they must not need zod.
 *
 * Semantics, chosen so a rule reads the way a catalog author means it:
 * - A rule may only name a field that comes before the one it is on (an earlier page, or earlier
 *   on the same page; page-references.ts checks it when the catalog loads). So one pass in page
 *   order decides everything, and no rule can depend on itself.
 * - A hidden field (or any field of a hidden page) counts as unset for the rules after it: its
 *   value is neither stored nor sent, so nothing may depend on it.
 * - `equals` / `oneOf` on a list value (a multiple picklist, a value list) hold when the list
 *   contains the value / one of the values.
 * - `isSet: true` holds for anything but missing, null, "" and []. A boolean `false` is set: test
 *   a checkbox with `equals`.
 */

/**
 * A scalar a rule compares a field's value with.
 *
 * @example
 * const value: RuleValue = "Custom";
 */
export type RuleValue = string | number | boolean;

/**
 * A condition on other fields' values.
 *
 * @example
 * const custom: Condition = { all: [{ field: "sobject", equals: "Custom" }, { not: { field: "liveMode", equals: true } }] };
 */
export type Condition =
  | { field: string; equals: RuleValue }
  | { field: string; oneOf: RuleValue[] }
  | { field: string; isSet: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/**
 * The rules a field may carry (a page takes all but `requiredWhen`; a display element the first two).
 *
 * @example
 * const rules: Rules = { visibleWhen: { field: "sobject", equals: "Custom" }, requiredWhen: { field: "sobject", equals: "Custom" } };
 */
export interface Rules {
  /** Shown only while this holds. */
  visibleWhen?: Condition;
  /** Hidden while this holds. */
  hiddenWhen?: Condition;
  /** Required while this holds (as if `required: true`); a hidden or disabled field never is. */
  requiredWhen?: Condition;
  /** Shown but not editable while this holds; its stored value (or default) is kept. */
  disabledWhen?: Condition;
}

/**
 * What the rules decide for one field.
 *
 * @example
 * const { visible, required, disabled }: FieldState = wizard.state.fields["customObject"];
 */
export interface FieldState {
  visible: boolean;
  required: boolean;
  disabled: boolean;
}

/**
 * What the rules decide for a whole form: pages by name, fields by key, display elements by page and position.
 *
 * @example
 * const shownPages = wizard.pages.filter((p) => wizard.state.pages[p.name].visible);
 */
export interface FormState {
  pages: Record<string, { visible: boolean; disabled: boolean }>;
  fields: Record<string, FieldState>;
  /** Whether each of a page's display elements (`content`) shows, in order. */
  content: Record<string, boolean[]>;
}

/** The least a page and its fields need to be evaluated (a definition page, or an API one). */
interface RulePage extends Rules {
  name: string;
  fields: ReadonlyArray<Rules & { key: string; required?: boolean }>;
  content?: ReadonlyArray<Rules>;
}

const KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;
/** Rules nest at most this deep (the catalog check says so in words; deeper is refused here too). */
export const MAX_RULE_DEPTH = 8;
const isRuleValue = (v: unknown) => (typeof v == "string" && v.length <= 200) || typeof v == "number" || typeof v == "boolean";
const isList = (v: unknown, max: number): v is unknown[] => Array.isArray(v) && v.length >= 1 && v.length <= max;

/**
 * Whether a value is a condition: the one check of the grammar, written out rather than as a
 * recursive zod schema (a lazy schema would put zod's recursion support into the frame's first
 * route, where every byte counts). The contract's `condition` schema runs it.
 */
export function isCondition(v: unknown, depth = 1): v is Condition {
  if (depth > MAX_RULE_DEPTH || typeof v != "object" || v === null || Array.isArray(v)) return false;
  const c = v as Record<string, unknown>;
  const keys = Object.keys(c);
  if (keys.length == 1 && (keys[0] == "all" || keys[0] == "any")) return isList(c[keys[0]], 20) && (c[keys[0]] as unknown[]).every((x) => isCondition(x, depth + 1));
  if (keys.length == 1 && keys[0] == "not") return isCondition(c.not, depth + 1);
  if (keys.length != 2 || typeof c.field != "string" || !KEY.test(c.field)) return false;
  if ("equals" in c) return isRuleValue(c.equals);
  if ("oneOf" in c) return isList(c.oneOf, 100) && c.oneOf.every(isRuleValue);
  return typeof c.isSet == "boolean";
}

/**
 * A value that counts as not given: missing, null, "" or [] (what `isSet: false` holds for). The
 * wizard, the headless client and the platform read "empty" through this one test.
 */
export const isUnset = (v: unknown): boolean => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** Whether `condition` holds for the values `valueOf` gives (undefined for an unset field). */
export function conditionHolds(condition: Condition, valueOf: (key: string) => unknown): boolean {
  if ("all" in condition) return condition.all.every((c) => conditionHolds(c, valueOf));
  if ("any" in condition) return condition.any.some((c) => conditionHolds(c, valueOf));
  if ("not" in condition) return !conditionHolds(condition.not, valueOf);
  const value = valueOf(condition.field);
  if ("isSet" in condition) return isUnset(value) != condition.isSet;
  const wanted: readonly RuleValue[] = "equals" in condition ? [condition.equals] : condition.oneOf;
  return Array.isArray(value) ? value.some((v) => wanted.includes(v)) : wanted.includes(value as RuleValue);
}

/** Every field a condition names (for the catalog's reference check). */
export function conditionFields(condition: Condition): string[] {
  if ("all" in condition) return condition.all.flatMap(conditionFields);
  if ("any" in condition) return condition.any.flatMap(conditionFields);
  if ("not" in condition) return conditionFields(condition.not);
  return [condition.field];
}

/**
 * The rules applied to a form: which pages, fields and display elements show, which fields are
 * required and which are disabled, for the values `valueOf` gives.
 */
export function formState(pages: readonly RulePage[], valueOf: (key: string) => unknown): FormState {
  // Null-prototype records: a key is only ever a page or field of this form (a field named
  // `constructor` stays a field, and an unknown one reads as nothing).
  const state: FormState = { pages: Object.create(null), fields: Object.create(null), content: Object.create(null) };
  // A hidden field reads as unset for every rule after it.
  const visibleValue = (key: string) => (state.fields[key]?.visible ? valueOf(key) : undefined);
  const holds = (c: Condition | undefined) => !!c && conditionHolds(c, visibleValue);
  const shown = (rules: Rules) => (!rules.visibleWhen || holds(rules.visibleWhen)) && !holds(rules.hiddenWhen);
  for (const page of pages) {
    const visible = shown(page);
    const disabled = holds(page.disabledWhen);
    state.pages[page.name] = { visible, disabled };
    for (const field of page.fields) {
      const fieldVisible = visible && shown(field);
      const fieldDisabled = disabled || holds(field.disabledWhen);
      state.fields[field.key] = {
        visible: fieldVisible,
        disabled: fieldDisabled,
        required: fieldVisible && !fieldDisabled && (field.required === true || holds(field.requiredWhen)),
      };
    }
    // Display elements come after the page's fields are decided: they may follow any of them.
    state.content[page.name] = (page.content ?? []).map((element) => visible && shown(element));
  }
  return state;
}
