/**
 * Runs a flow's declared steps and produces its execution: status, start/end/duration, one log
 * line per step with its level, each step's result (secrets redacted) and the flow's output,
 * which is the result of the last step that ran (a synchronous webhook caller receives it).
 */
import { iso, type Clock } from "./clock.ts";
import { callMockApp, type AppLatency } from "./third-party-apps.ts";
import { render, renderText, type TemplateContext } from "./template.ts";
import { TEST_PAYLOAD_MAX_CHARS, type Execution, type LogLine } from "../../contract/api.ts";
import type { ConfigVarDefinition } from "../../contract/config-vars.ts";
import type { FlowDefinition, FlowStep, IntegrationDefinition } from "../../contract/catalog.ts";
import type { CustomerRecord, InstanceRecord, Snapshot, StoredValue } from "./store.ts";
import { credentialsOf, isConnectionRef, isStoredConnection, type Owner } from "./connection-records.ts";

export interface RunRequest {
  executionId: string;
  integration: IntegrationDefinition;
  flow: FlowDefinition;
  instance: InstanceRecord;
  customer: CustomerRecord;
  trigger: Execution["trigger"];
  payload: unknown;
  /** Who started it, for the first log line, when not its trigger ("a test run", "a replay of exe_…"). */
  startedBy?: string;
}

export interface RunEnvironment {
  snapshot: Snapshot;
  clock: Clock;
  latency: AppLatency;
  /** Rehearsal switch: when set, the run fails before its first step with this message. */
  forcedFailure?: string;
  /**
   * Where the run keeps its log lines and step results as they happen (the live tail reads
   * them), and what it calls after each change; absent, the run keeps them to itself.
   */
  live?: { logs: LogLine[]; stepResults: Record<string, unknown>; changed(): void };
  /**
   * Told when an app refuses the credentials of a connection field (it answered 401): the
   * customer must reconnect (reconnect-notices.ts tells the organization once per connection).
   */
  refused?(connectionKey: string, reason: string): void;
}

const MAX_LOG_LINES = 500;
const MAX_MESSAGE = 2000;
export const REDACTED = "[redacted]";
/** A payload whose JSON is longer is kept as the start of that text (`payloadTruncated`). */
export const MAX_PAYLOAD_CHARS = TEST_PAYLOAD_MAX_CHARS;
/** Payload keys whose values are secrets whatever they hold (`access_token`, `clientSecret`, `API-Key`…). */
const SECRET_KEY = /(password|passwd|passphrase|secret|token|apikey|authorization|credentials?|privatekey|cookie)$/;
/**
 * Each key's answer, kept: every run walks the same few keys (a step's result, the payload), and
 * lower-casing, stripping and matching each one showed in the webhook profile. Payload keys are
 * the caller's choice, so only short ones are kept (a key name, not a 1 MiB string) and the count
 * is capped: at most MAX_SECRET_KEYS × MAX_MEMO_KEY characters, whatever callers send.
 */
const secretKeys = new Map<string, boolean>();
const MAX_SECRET_KEYS = 10_000;
const MAX_MEMO_KEY = 64;
function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ""));
    if (key.length > MAX_MEMO_KEY) return secret;
    if (secretKeys.size >= MAX_SECRET_KEYS) secretKeys.clear();
    secretKeys.set(key, secret);
  }
  return secret;
}

class StepFailure extends Error {}

/** Every secret the run could touch: stored API keys and passwords, OAuth tokens (of the connections the config uses). */
function secretsOf(snapshot: Snapshot, owner: Owner, config: Record<string, StoredValue>): string[] {
  const secrets: string[] = [];
  // Secrets shorter than 4 characters are not kept (no `filter` copy), and one secret (the usual case) needs no sort.
  for (const stored of Object.values(config)) {
    const value = credentialsOf(snapshot, owner, stored);
    if (!value) continue;
    if (value.kind === "api-key") keepSecret(secrets, value.apiKey);
    if (value.kind === "basic") keepSecret(secrets, value.password);
    if (value.kind === "oauth2" && Object.hasOwn(snapshot.oauthGrants, value.grantId)) {
      const grant = snapshot.oauthGrants[value.grantId];
      keepSecret(secrets, grant.accessToken);
      keepSecret(secrets, grant.refreshToken);
    }
  }
  // Longest first, so a secret that contains another is redacted whole.
  return secrets.length > 1 ? secrets.sort(longestFirst) : secrets;
}

function keepSecret(secrets: string[], secret: string): void {
  if (secret.length >= 4) secrets.push(secret);
}

const longestFirst = (a: string, b: string) => b.length - a.length;

function redactText(secrets: readonly string[], text: string): string {
  for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join(REDACTED);
  return text;
}

/**
 * Copy-on-write: a value with no secret in it comes back as is (same object), so a step result
 * is walked but not rebuilt on every run; only the path down to a redacted string is copied.
 * Results are plain JSON data that nothing mutates after the step, so sharing them is safe.
 */
function redact(secrets: readonly string[], value: unknown): unknown {
  if (typeof value === "string") return secrets.length === 0 ? value : redactText(secrets, value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = redact(secrets, value[i]);
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  let keyHoldsSecret = false;
  for (const key of Object.keys(value)) {
    const original = (value as Record<string, unknown>)[key];
    const v = redact(secrets, original);
    if (v !== original) (copy ??= { ...value })[key] = v;
    if (secrets.length > 0 && redactText(secrets, key) !== key) keyHoldsSecret = true;
  }
  return keyHoldsSecret ? redactedKeys(secrets, copy ?? value) : (copy ?? value);
}

/** The same object with the secrets in its keys replaced too (rare: a caller sent a secret as a key). */
function redactedKeys(secrets: readonly string[], value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) setOwn(out, redactText(secrets, key), v);
  return out;
}

/** `out[key] = value`, except that a "__proto__" key stays an own key (as JSON.parse and fromEntries make it), not the prototype. */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * Config as templates see them, built once per config object: an instance's config is replaced
 * as a whole on deploy (never edited in place), and templates only read it.
 */
const templateConfigs = new WeakMap<Record<string, StoredValue>, Record<string, unknown>>();
function templateConfig(config: Record<string, StoredValue>): Record<string, unknown> {
  let view = templateConfigs.get(config);
  if (!view) {
    view = buildTemplateConfig(config);
    templateConfigs.set(config, view);
  }
  return view;
}

/** Config as templates see it: connections reduced to their kind, never a secret. */
function buildTemplateConfig(config: Record<string, StoredValue>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      isStoredConnection(value) ? { kind: value.kind, ...(value.kind === "basic" ? { username: value.username } : {}) } : isConnectionRef(value) ? {} : value,
    ]),
  );
}

/**
 * Each field's template rendered (null when it resolves to nothing), in the fields' order: a
 * loop, not `Object.fromEntries(Object.entries(…).map(…))` and its arrays (once or twice per run).
 */
function renderFields(fields: Record<string, string>, context: TemplateContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) setOwn(out, key, render(fields[key], context) ?? null);
  return out;
}

function truthy(value: unknown): boolean {
  if (typeof value === "string") return value !== "" && value !== "false" && value !== "0";
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object" && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Config fields by key, built once per loaded integration (catalog definitions do not change). */
const fieldIndexes = new WeakMap<IntegrationDefinition, Map<string, ConfigVarDefinition>>();
function fieldIndex(integration: IntegrationDefinition): Map<string, ConfigVarDefinition> {
  let index = fieldIndexes.get(integration);
  if (!index) {
    index = new Map(integration.configPages.flatMap((page) => page.fields.map((f) => [f.key, f] as const)));
    fieldIndexes.set(integration, index);
  }
  return index;
}

/**
 * A read-payload step's `{{payload.<path>}}` templates, made once per step: the same strings on
 * every run, so no concatenation, and the template cache finds each by identity rather than by
 * hashing and comparing a fresh copy.
 */
const requiredByStep = new WeakMap<FlowStep, readonly string[]>();
function requiredTemplates(step: Extract<FlowStep, { kind: "read-payload" }>): readonly string[] {
  let templates = requiredByStep.get(step);
  if (!templates) {
    templates = (step.require ?? []).map((path) => `{{payload.${path}}}`);
    requiredByStep.set(step, templates);
  }
  return templates;
}

/**
 * Log messages that read the same on every run: a step's "succeeded in N ms" for the few
 * milliseconds a step takes, a branch's choice, a flow's start by its trigger and its success.
 * Made once each (by step or flow, then by duration): a template literal per line made a
 * concatenated string on every run, which redaction's `includes` then flattened into a copy.
 */
const SHORT_MS = 64;
const messages = new WeakMap<object, string[]>();
function messagesOf(owner: object): string[] {
  let list = messages.get(owner);
  if (!list) messages.set(owner, (list = []));
  return list;
}
const isShort = (ms: number) => Number.isInteger(ms) && ms >= 0 && ms < SHORT_MS;

function stepSucceeded(step: FlowStep, durationMs: number): string {
  if (!isShort(durationMs)) return `Step "${step.name}" (${step.kind}) succeeded in ${durationMs} ms.`;
  return (messagesOf(step)[durationMs] ??= `Step "${step.name}" (${step.kind}) succeeded in ${durationMs} ms.`);
}

function branchTook(step: Extract<FlowStep, { kind: "branch" }>, taken: boolean, branch: readonly FlowStep[]): string {
  // Index 0 and 1 of the step's list (a branch step has no "succeeded" line, so they are free).
  return (messagesOf(step)[taken ? 0 : 1] ??= `Branch "${step.name}" took ${taken ? "then" : "else"} (${branch.length} step${branch.length === 1 ? "" : "s"}).`);
}

/** A run started by its trigger (not a test run or a replay, whose line names more). */
const TRIGGERS: readonly Execution["trigger"][] = ["webhook", "schedule", "deploy", "removal"];
function flowStarted(flow: FlowDefinition, request: RunRequest): string {
  const at = request.startedBy === undefined ? TRIGGERS.indexOf(request.trigger) : -1;
  const by = request.startedBy ?? request.trigger;
  if (at < 0) return `Flow "${flow.name}" started by ${by}.`;
  return (messagesOf(flow)[at] ??= `Flow "${flow.name}" started by ${by}.`);
}

const flowSucceededIn: string[] = [];
function flowSucceeded(durationMs: number): string {
  if (!isShort(durationMs)) return `Flow succeeded in ${durationMs} ms.`;
  return (flowSucceededIn[durationMs] ??= `Flow succeeded in ${durationMs} ms.`);
}

/**
 * One run's state. A class rather than closures inside runFlow: the methods exist once, so a run
 * allocates no functions (under tsx each closure also costs a keep-names `defineProperty`).
 */
class FlowRun {
  readonly logs: LogLine[];
  readonly stepResults: Record<string, unknown>;
  readonly steps: Record<string, unknown> = {};
  output: unknown;
  readonly secrets: readonly string[];
  readonly context: TemplateContext;
  readonly fieldsByKey: Map<string, ConfigVarDefinition>;
  /**
   * The values kept twice, cleaned once (see `clean`): the payload (the read-payload step's
   * result, then the execution's payload) and the last step result cleaned (then the output).
   * Two slots, not a Map per run; any other value is cleaned again if asked twice (the same
   * content, a different copy only when something was redacted).
   */
  #payloadClean: unknown = undefined;
  #lastValue: unknown = undefined;
  #lastClean: unknown = undefined;

  constructor(
    readonly env: RunEnvironment,
    readonly request: RunRequest,
  ) {
    const { instance, customer } = request;
    this.logs = env.live?.logs ?? [];
    this.stepResults = env.live?.stepResults ?? {};
    this.secrets = secretsOf(env.snapshot, instance, instance.config);
    this.fieldsByKey = fieldIndex(request.integration);
    this.context = {
      payload: request.payload,
      config: templateConfig(instance.config),
      steps: this.steps,
      instance: { id: instance.id, name: instance.name, integrationId: instance.integrationId },
      customer: { id: customer.id, externalId: customer.externalId, name: customer.name },
    };
  }

  /**
   * A value as the execution keeps it: the instance's secrets and values under secret-looking
   * keys redacted. Made once per object: results are plain data that nothing mutates, and the
   * same one is often kept twice (the output is the last step's result, the payload the
   * read-payload step's).
   */
  clean(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return redactKeys(redact(this.secrets, value));
    if (value === this.request.payload) return (this.#payloadClean ??= redactKeys(redact(this.secrets, value)));
    if (value !== this.#lastValue) {
      this.#lastClean = redactKeys(redact(this.secrets, value));
      this.#lastValue = value;
    }
    return this.#lastClean;
  }

  /** `at`: the instant the caller just read from the clock, if any (the same one: one clock read fewer). */
  log(level: LogLine["level"], message: string, step?: string, at = this.env.clock.now()): void {
    if (this.logs.length >= MAX_LOG_LINES) return;
    const line: LogLine = { at: iso(at), level, message: redactText(this.secrets, message).slice(0, MAX_MESSAGE) };
    if (step !== undefined) line.step = step;
    this.logs.push(line);
    this.env.live?.changed();
  }

  async runStep(step: FlowStep): Promise<unknown> {
    const { env, request, context } = this;
    const { instance } = request;
    const config = instance.config;
    switch (step.kind) {
      case "read-payload": {
        const required = requiredTemplates(step);
        for (let i = 0; i < required.length; i++) {
          if (render(required[i], context) === undefined) throw new StepFailure(`The payload has no "${step.require![i]}".`);
        }
        return request.payload ?? null;
      }
      case "map":
        return renderFields(step.fields, context);
      case "http": {
        const connection = credentialsOf(env.snapshot, instance, config[step.connection]);
        const field = this.fieldsByKey.get(step.connection);
        const app = field?.type === "connection" ? field.connection.app : step.connection;
        if (!connection) {
          throw new StepFailure(`The ${app} connection "${step.connection}" is not set up.`);
        }
        const path = renderText(step.path, context);
        const body = step.body ? renderFields(step.body, context) : undefined;
        const response = await callMockApp(
          env.snapshot,
          { app, organizationId: instance.organizationId, customerId: instance.customerId, connection, method: step.method, path, body },
          env.clock,
          env.latency,
        );
        // Key by key, not `...(body ? { body } : {})` then more keys: see copyRecord in third-party-apps.ts.
        const sent: Record<string, unknown> = { method: step.method, path };
        if (body) sent.body = body;
        sent.authorization = REDACTED;
        const result = { request: sent, response };
        if (response.status >= 400) {
          const detail = (response.body as { message?: unknown })?.message;
          if (response.status === 401) env.refused?.(step.connection, typeof detail === "string" ? detail : `${app} refused the saved credentials.`);
          this.stepResults[step.name] = { ...(this.stepResults[step.name] as object), result: this.clean(result) };
          throw new StepFailure(`${app} answered ${response.status} to ${step.method} ${path}${detail ? `: ${textOf(detail)}` : ""}`);
        }
        return result;
      }
      case "branch": {
        const value = render(step.when, context);
        const taken = step.equals !== undefined ? textOf(value) === step.equals : truthy(value);
        const branch = taken ? step.then : (step.else ?? []);
        this.log("debug", branchTook(step, taken, branch), step.name);
        await this.runSteps(branch);
        return { taken: taken ? "then" : "else", value: value ?? null };
      }
      case "fail":
        throw new StepFailure(renderText(step.message, context) || `Flow failed at step "${step.name}".`);
      case "log": {
        const message = renderText(step.message, context);
        return { level: step.level, message };
      }
    }
  }

  async runSteps(list: readonly FlowStep[]): Promise<void> {
    const { clock } = this.env;
    for (const step of list) {
      const stepStart = clock.now();
      this.stepResults[step.name] = { kind: step.kind, status: "running", startedAt: iso(stepStart) };
      this.env.live?.changed();
      try {
        const result = await this.runStep(step);
        const endedAt = clock.now();
        const durationMs = endedAt - stepStart;
        this.steps[step.name] = result;
        this.stepResults[step.name] = { kind: step.kind, status: "succeeded", startedAt: iso(stepStart), durationMs, result: this.clean(result) };
        this.output = result;
        if (step.kind === "log") this.log(step.level, (result as { message: string }).message, step.name, endedAt);
        else if (step.kind !== "branch") this.log("info", stepSucceeded(step, durationMs), step.name, endedAt);
      } catch (error) {
        const message = error instanceof StepFailure ? error.message : `Internal error in step "${step.name}".`;
        const previous = this.stepResults[step.name] as Record<string, unknown>;
        const failedAt = clock.now();
        this.stepResults[step.name] = {
          ...previous,
          kind: step.kind,
          status: "failed",
          startedAt: iso(stepStart),
          durationMs: failedAt - stepStart,
          error: redactText(this.secrets, message),
        };
        this.log("error", `Step "${step.name}" (${step.kind}) failed: ${message}`, step.name, failedAt);
        throw error instanceof StepFailure ? error : new StepFailure(message);
      }
    }
  }
}

/** Runs the flow to completion; never throws for a flow failure (the execution says "failed"). */
export async function runFlow(env: RunEnvironment, request: RunRequest): Promise<Execution> {
  const { clock } = env;
  const { instance, flow } = request;
  const run = new FlowRun(env, request);
  const startedAt = clock.now();

  run.log("info", flowStarted(flow, request), undefined, startedAt);
  let error: string | undefined;
  try {
    if (env.forcedFailure !== undefined) throw new StepFailure(env.forcedFailure);
    await run.runSteps(flow.steps);
  } catch (caught) {
    error = redactText(run.secrets, caught instanceof Error ? caught.message : String(caught));
  }
  const endedAt = clock.now();
  run.log(error ? "error" : "info", error ? `Flow failed: ${error}` : flowSucceeded(endedAt - startedAt), undefined, endedAt);

  const execution: Execution = {
    id: request.executionId,
    instanceId: instance.id,
    flowId: flow.id,
    flowName: flow.name,
    trigger: request.trigger,
    status: error ? "failed" : "succeeded",
    startedAt: iso(startedAt),
    endedAt: iso(endedAt),
    durationMs: endedAt - startedAt,
    logs: run.logs,
    // Every entry was built from redacted parts (results, errors) above; no second pass needed.
    stepResults: run.stepResults,
  };
  if (run.output !== undefined) execution.output = run.clean(run.output);
  if (error !== undefined) execution.error = error;
  if (request.payload !== undefined && request.payload !== null) keepPayload(run, request.payload, execution);
  return execution;
}

/**
 * Values under secret-looking keys replaced (a payload or a result may carry a caller's own
 * credentials: `apiKey`, `access_token`…); copy-on-write like `redact`. Templates still read
 * the payload as sent: only what is kept and shown is redacted.
 */
function redactKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = redactKeys(value[i]);
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const original = (value as Record<string, unknown>)[key];
    const v = isSecretKey(key) && original !== null && original !== "" ? REDACTED : redactKeys(original);
    if (v !== original) (copy ??= { ...value })[key] = v;
  }
  return copy ?? value;
}

/**
 * What the execution keeps of the payload it ran with: secrets redacted (the instance's own
 * stored secrets wherever they appear, and any value under a secret-looking key), and no more
 * than MAX_PAYLOAD_CHARS of JSON.
 */
/**
 * A string of its own: V8 makes `slice` a view that keeps the whole original alive, and a kept
 * execution holding 32 KiB of a 1 MiB body must not hold the 1 MiB (in memory and IndexedDB
 * transports executions stay in memory). Rare: only for payloads over MAX_PAYLOAD_CHARS.
 */
function copied(text: string): string {
  return new TextDecoder().decode(new TextEncoder().encode(text));
}

function keepPayload(run: FlowRun, payload: unknown, execution: Execution): void {
  const clean = run.clean(payload);
  const text = JSON.stringify(clean) ?? "null";
  if (text.length <= MAX_PAYLOAD_CHARS) execution.payload = clean;
  else {
    execution.payload = copied(text.slice(0, MAX_PAYLOAD_CHARS));
    execution.payloadTruncated = true;
  }
  // Copy-on-write: anything redacted makes a new value. Such a payload is not the original, so a replay refuses it.
  if (clean !== payload) execution.payloadRedacted = true;
}
