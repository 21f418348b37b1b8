/**
 * What a flow takes as input, and the example payload a test run suggests. A flow declares an
 * `example`; the catalog check makes sure it holds every path the flow's `read-payload` steps
 * require, so the suggested test succeeds. A flow that declares none gets one built from those
 * required paths (each a placeholder string), which at least passes the payload checks — better
 * than the `{"hello":"world"}` every flow used to be offered.
 */
import { TEST_PAYLOAD_MAX_CHARS } from "../../contract/api.ts";
import type { FlowDefinition, FlowStep } from "../../contract/catalog.ts";

/** Every payload path the flow's `read-payload` steps require (branches included), in order. */
export function requiredPayloadPaths(steps: readonly FlowStep[]): string[] {
  const paths: string[] = [];
  for (const step of steps) {
    if (step.kind === "read-payload") paths.push(...(step.require ?? []));
    if (step.kind === "branch") paths.push(...requiredPayloadPaths([...step.then, ...(step.else ?? [])]));
  }
  return [...new Set(paths)];
}

/** The value at a dotted path of a JSON value, or undefined. */
function at(value: unknown, path: string): unknown {
  let here = value;
  for (const part of path.split(".")) {
    if (typeof here !== "object" || here === null || !Object.hasOwn(here, part)) return undefined;
    here = (here as Record<string, unknown>)[part];
  }
  return here;
}

/** Why a flow's declared example cannot be offered, or undefined when it can (or there is none). */
export function exampleProblem(flow: FlowDefinition): string | undefined {
  if (flow.example === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(flow.example);
  } catch {
    text = undefined;
  }
  if (text === undefined) return "must be a JSON value";
  if (text.length > TEST_PAYLOAD_MAX_CHARS) return `must be at most ${TEST_PAYLOAD_MAX_CHARS} characters of JSON`;
  const missing = requiredPayloadPaths(flow.steps).filter((path) => at(flow.example, path) === undefined);
  if (missing.length > 0) return `lacks ${missing.map((p) => `"${p}"`).join(", ")}, which the flow requires`;
  return undefined;
}

/** The payload a test run of the flow suggests: its example, else one built from the paths it requires. */
export function suggestedPayload(flow: FlowDefinition): unknown {
  if (flow.example !== undefined) return flow.example;
  const built: Record<string, unknown> = {};
  for (const path of requiredPayloadPaths(flow.steps)) {
    const parts = path.split(".");
    let here = built;
    for (const part of parts.slice(0, -1)) here = (here[part] ??= {}) as Record<string, unknown>;
    here[parts[parts.length - 1]] = "example";
  }
  return built;
}
