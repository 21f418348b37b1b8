/**
 * The catalog: integrations, their config pages and their flows. A flow is a short declared
 * list of steps that the platform really runs.
 */
import * as z from "zod/mini";
import { text } from "./text.ts";
import { assetName, configPage } from "./config-vars.ts";
import { flowTrigger } from "./flow-trigger.ts";

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/));
const configKey = z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/));

/**
 * Templates are strings with `{{path}}` placeholders read from the run context:
 * `payload.*`, `config.*`, `steps.<name>.*`, `instance.*`, `customer.*`.
 */
const template = text(2000);

export interface StepShape {
  kind: string;
  name: string;
}

export const flowStep: z.ZodMiniType<FlowStep> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("read-payload"),
      name: id,
      /** Fields that must be present in the payload; a missing one fails the step. */
      require: z.optional(z.array(text(200))),
    }),
    z.object({
      kind: z.literal("map"),
      name: id,
      fields: z.record(text(100), template),
    }),
    z.object({
      kind: z.literal("http"),
      name: id,
      /** Key of the connection config variable used to call the third-party app. */
      connection: text(64),
      method: z.enum(["GET", "POST", "PUT", "DELETE"]),
      path: template,
      body: z.optional(z.record(text(100), template)),
    }),
    z.object({
      kind: z.literal("branch"),
      name: id,
      /** Template resolved, then compared with `equals` (or tested for truthiness). */
      when: template,
      equals: z.optional(text(500)),
      then: z.array(flowStep),
      else: z.optional(z.array(flowStep)),
    }),
    z.object({
      kind: z.literal("fail"),
      name: id,
      message: template,
    }),
    z.object({
      kind: z.literal("log"),
      name: id,
      level: z.enum(["debug", "info", "warn", "error"]),
      message: template,
    }),
  ]),
);
export type FlowStep =
  | { kind: "read-payload"; name: string; require?: string[] }
  | { kind: "map"; name: string; fields: Record<string, string> }
  | {
      kind: "http";
      name: string;
      connection: string;
      method: "GET" | "POST" | "PUT" | "DELETE";
      path: string;
      body?: Record<string, string>;
    }
  | { kind: "branch"; name: string; when: string; equals?: string; then: FlowStep[]; else?: FlowStep[] }
  | { kind: "fail"; name: string; message: string }
  | { kind: "log"; name: string; level: "debug" | "info" | "warn" | "error"; message: string };

export { flowTrigger, type FlowTrigger, type TriggerKind } from "./flow-trigger.ts";

/**
 * A version's migration from the one before it: config keys it renamed (the value moves to the
 * new key and is checked against the new field). A key the new version no longer has is removed;
 * a key it did not have before is new.
 */
export const integrationMigration = z.object({
  renamed: z.array(z.object({ from: configKey, to: configKey })).check(z.maxLength(200)),
});
export type IntegrationMigration = z.infer<typeof integrationMigration>;

/** A definition's version (1 when it declares none). */
export const versionOf = (definition: { version?: number | undefined }): number => definition.version ?? 1;

export const flowDefinition = z.object({
  id,
  name: text(200),
  description: z.optional(text(2000)),
  trigger: flowTrigger,
  steps: z.array(flowStep),
  /**
   * A payload the flow accepts, as JSON: what a test run suggests, and the curl example on the
   * instance page. It must hold every path the flow's `read-payload` steps require (checked at
   * load), so the suggested test succeeds. Webhook flows should declare one.
   */
  example: z.optional(z.unknown()),
});
export type FlowDefinition = z.infer<typeof flowDefinition>;

export const integrationDefinition = z.object({
  id,
  name: text(200),
  /** One-line summary shown on the card. */
  summary: text(300),
  /** Markdown subset (paragraphs, lists, emphasis, http(s)/mailto links). Rendered as text nodes only. */
  description: text(20000),
  category: text(100),
  labels: z.array(text(50)),
  /** https or data:image URL; the frame falls back to initials when it fails to load. */
  icon: text(20000),
  vendor: text(200),
  configPages: z.array(configPage),
  flows: z.array(flowDefinition),
  /**
   * Images the config pages show (`{ kind: "image", asset }`), as `data:image/svg+xml` or
   * `data:image/png;base64` URLs; the platform serves each from its own origin
   * (`paths.integrationAsset`), so the frame's CSP needs no other image source.
   */
  assets: z.optional(z.record(assetName, text(500_000))),
  /**
   * This definition's version; 1 when absent. The organization publishes a new version through
   * the org API; an instance keeps running the version it was deployed with until it is upgraded.
   */
  version: z.optional(z.int().check(z.gte(1), z.lte(1_000_000))),
  /** A customer may run several instances (one per Slack workspace, per Jira project…); default: one. */
  allowMultipleInstances: z.optional(z.boolean()),
  /** How a customer's values move here from the previous version (contract/upgrade.ts applies it). */
  migration: z.optional(integrationMigration),
  /** What changed in this version, shown to the customer before an upgrade (the same safe markdown). */
  releaseNotes: z.optional(text(5000)),
});
export type IntegrationDefinition = z.infer<typeof integrationDefinition>;
