/**
 * Webhooks: each webhook-triggered flow of a deployed instance gets an unguessable token (its
 * URL, kept across re-deploys); a call with it runs the flow with the call's payload, answering
 * with the result or, asked to, at once with the execution id. An index from token to instance
 * and flow keeps the check cheap: it runs twice per call, the one route called at volume.
 *
 * Each instance's webhooks share a token bucket (policy.ts `webhookRateLimit`): past it a call is
 * refused with 429 RATE_LIMITED and `Retry-After`, before its body is read and without running
 * anything or recording an execution, so one caller holding a URL cannot flood an instance's
 * history or its alerts. Buckets live in memory: a restart refills them, which only helps callers.
 */
import { newSecretToken } from "./ids.ts";
import { interned } from "./interned.ts";
import { ApiErrorCode, PlatformError, UNSAVED_MESSAGE } from "./errors.ts";
import type { PlatformContext } from "./context.ts";
import type { Executions } from "./executions.ts";
import type { InstanceRecord } from "./store.ts";
import type { WebhookResponse } from "../../contract/api.ts";
import type { FlowDefinition, IntegrationDefinition } from "../../contract/catalog.ts";

export type WebhookResult = { mode: "sync"; response: WebhookResponse } | { mode: "async"; executionId: string };

export class Webhooks {
  readonly #ctx: PlatformContext;
  readonly #executions: Executions;
  readonly #tokens = new Map<string, { instanceId: string; flowId: string }>();
  /** Per instance: tokens left and when they were counted (epoch ms). */
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(ctx: PlatformContext, executions: Executions) {
    this.#ctx = ctx;
    this.#executions = executions;
    for (const instance of Object.values(ctx.snapshot.instances)) {
      for (const [flowId, token] of Object.entries(instance.webhookTokens)) this.#tokens.set(token, { instanceId: interned(instance.id), flowId });
    }
  }

  /** Gives each webhook flow of the integration a token, keeping the ones it has (deploy). */
  issue(instance: InstanceRecord, integration: IntegrationDefinition): void {
    for (const flow of integration.flows) {
      if (flow.trigger.kind === "webhook" && !instance.webhookTokens[flow.id]) {
        instance.webhookTokens[flow.id] = newSecretToken();
        // The instance id internalized: `target` looks the instance up by it twice per call (see interned.ts).
        this.#tokens.set(instance.webhookTokens[flow.id], { instanceId: interned(instance.id), flowId: flow.id });
      }
    }
  }

  /** Forgets a deleted instance's tokens. */
  revoke(instance: InstanceRecord): void {
    for (const token of Object.values(instance.webhookTokens)) this.#tokens.delete(token);
    this.#buckets.delete(instance.id);
  }

  /** Checks a webhook token before its body is read: 404 unknown, 409 paused or not deployed. */
  target(token: string): { instance: InstanceRecord; flow: FlowDefinition } {
    const { snapshot, versions } = this.#ctx;
    const target = this.#tokens.get(token);
    const instance = target && Object.hasOwn(snapshot.instances, target.instanceId) ? snapshot.instances[target.instanceId] : undefined;
    let flow: FlowDefinition | undefined;
    // A loop, not find(callback): this runs twice per webhook call.
    if (instance) {
      // The flows of the version the instance runs: a flow a later version dropped has no URL.
      for (const f of versions.get(instance.organizationId, instance.integrationId, instance.integrationVersion ?? 1)?.flows ?? []) {
        if (f.id === target!.flowId) {
          flow = f;
          break;
        }
      }
    }
    if (!target || !instance || !flow) throw new PlatformError(ApiErrorCode.NotFound, "No webhook at this URL.");
    if (instance.status === "paused") throw new PlatformError(ApiErrorCode.InstancePaused, "This instance is paused; its flows do not run until it is resumed.");
    if (instance.deployedAt === undefined) throw new PlatformError(ApiErrorCode.Conflict, "This instance is not deployed yet.");
    return { instance, flow };
  }

  /**
   * Takes one call from the instance's bucket, or throws 429 RATE_LIMITED saying when to retry.
   * Called once per webhook call, after `target` and before the body is read.
   */
  admit(instanceId: string): void {
    const limit = this.#ctx.policy.webhookRateLimit;
    if (!limit) return;
    const now = this.#ctx.clock.now();
    const bucket = this.#buckets.get(instanceId) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    this.#buckets.set(instanceId, bucket);
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
      throw new PlatformError(ApiErrorCode.RateLimited, `Too many calls to this instance's webhooks (at most ${limit.perSecond} per second, bursts of ${limit.burst}); retry after ${retryAfterSeconds} s.`, { retryAfterSeconds });
    }
    bucket.tokens -= 1;
  }

  /** Runs a webhook flow with `payload` (null when the body was empty). */
  async invoke(token: string, payload: unknown, options: { async: boolean }): Promise<WebhookResult> {
    const { instance, flow } = this.target(token);
    const run = this.#executions.run(instance, flow, "webhook", payload);
    if (options.async) return { mode: "async", executionId: run.executionId };
    const execution = await run.promise;
    // Its start was refused by a write made while it ran (a webhook answered 2xx is on disk): 503, as when its end is refused.
    if (run.notStored) throw new PlatformError(ApiErrorCode.ServiceUnavailable, UNSAVED_MESSAGE, { retryAfterSeconds: 1 });
    const response: WebhookResponse = { executionId: execution.id, status: execution.status };
    if (execution.output !== undefined) response.output = execution.output;
    if (execution.error !== undefined) response.error = execution.error;
    return { mode: "sync", response };
  }
}
