/**
 * The rules of an alert monitor, once for the frame's form, the headless client and the
 * platform (which answers 422 VALIDATION_FAILED with a message per field): what each kind
 * needs, the ranges, and the defaults. Problems are codes, so each side words them itself (the
 * frame in the user's language).
 */
import type { AlertMonitorInput, MonitorKind } from "./observe-types.ts";

/** Inclusive ranges of the numeric fields. */
export const MONITOR_LIMITS = {
  thresholdSeconds: [1, 86_400],
  periodMinutes: [5, 43_200],
  occurrences: [1, 1_000],
  windowMinutes: [1, 1_440],
  quietMinutes: [0, 10_080],
} as const;
export type MonitorNumberField = keyof typeof MONITOR_LIMITS;

export const MONITOR_NAME_MAX = 100;

/** What a field left out means. */
export const MONITOR_DEFAULTS = { occurrences: 1, windowMinutes: 60, quietMinutes: 60, enabled: true } as const;

/** The numeric fields each kind uses; the others are ignored (a form may keep them while the kind changes). */
export const MONITOR_FIELDS: Record<MonitorKind, readonly MonitorNumberField[]> = {
  failure: ["occurrences", "windowMinutes", "quietMinutes"],
  slow: ["thresholdSeconds", "occurrences", "windowMinutes", "quietMinutes"],
  "no-success": ["periodMinutes", "quietMinutes"],
};

/** The field a kind cannot do without. */
const REQUIRED: Partial<Record<MonitorKind, MonitorNumberField>> = { slow: "thresholdSeconds", "no-success": "periodMinutes" };

export type MonitorField = MonitorNumberField | "name" | "flowId";

export type MonitorProblem =
  | { code: "required" }
  | { code: "whole" }
  | { code: "range"; min: number; max: number }
  | { code: "tooLong"; max: number }
  | { code: "unknownFlow" };

/**
 * What is wrong with a monitor, by field (empty when nothing is). `flowIds`: the instance's
 * flows, when known, so a flow that is not the instance's is refused.
 */
export function monitorProblems(input: AlertMonitorInput, flowIds?: readonly string[]): Partial<Record<MonitorField, MonitorProblem>> {
  const problems: Partial<Record<MonitorField, MonitorProblem>> = {};
  for (const field of MONITOR_FIELDS[input.kind] ?? []) {
    const value = input[field];
    if (value === undefined) {
      if (REQUIRED[input.kind] === field) problems[field] = { code: "required" };
      continue;
    }
    const [min, max] = MONITOR_LIMITS[field];
    if (!Number.isInteger(value)) problems[field] = { code: "whole" };
    else if (value < min || value > max) problems[field] = { code: "range", min, max };
  }
  if (input.name !== undefined && input.name.length > MONITOR_NAME_MAX) problems.name = { code: "tooLong", max: MONITOR_NAME_MAX };
  if (input.flowId !== undefined && flowIds && !flowIds.includes(input.flowId)) problems.flowId = { code: "unknownFlow" };
  return problems;
}
