/**
 * Webhooks: each webhook-triggered flow of a deployed instance gets an unguessable token (its
 * URL, kept across re-deploys); a call with it runs the flow with the call's payload, answering
 * with the result or, asked to, at once with the execution id. An index from token to instance
 * and flow keeps the check cheap: it runs twice per call, the one route called at volume.
 */
import { newSecretToken } from "./ids.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
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

  constructor(ctx: PlatformContext, executions: Executions) {
    this.#ctx = ctx;
    this.#executions = executions;
    for (const instance of Object.values(ctx.snapshot.instances)) {
      for (const [flowId, token] of Object.entries(instance.webhookTokens)) this.#tokens.set(token, { instanceId: instance.id, flowId });
    }
  }

  /** Gives each webhook flow of the integration a token, keeping the ones it has (deploy). */
  issue(instance: InstanceRecord, integration: IntegrationDefinition): void {
    for (const flow of integration.flows) {
      if (flow.trigger.kind === "webhook" && !instance.webhookTokens[flow.id]) {
        instance.webhookTokens[flow.id] = newSecretToken();
        this.#tokens.set(instance.webhookTokens[flow.id], { instanceId: instance.id, flowId: flow.id });
      }
    }
  }

  /** Forgets a deleted instance's tokens. */
  revoke(instance: InstanceRecord): void {
    for (const token of Object.values(instance.webhookTokens)) this.#tokens.delete(token);
  }

  /** Checks a webhook token before its body is read: 404 unknown, 409 paused or not deployed. */
  target(token: string): { instance: InstanceRecord; flow: FlowDefinition } {
    const { snapshot, catalog } = this.#ctx;
    const target = this.#tokens.get(token);
    const instance = target && Object.hasOwn(snapshot.instances, target.instanceId) ? snapshot.instances[target.instanceId] : undefined;
    let flow: FlowDefinition | undefined;
    // A loop, not find(callback): this runs twice per webhook call.
    if (instance) {
      for (const f of catalog.get(instance.integrationId)?.flows ?? []) {
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

  /** Runs a webhook flow with `payload` (null when the body was empty). */
  async invoke(token: string, payload: unknown, options: { async: boolean }): Promise<WebhookResult> {
    const { instance, flow } = this.target(token);
    const run = this.#executions.run(instance, flow, "webhook", payload);
    if (options.async) return { mode: "async", executionId: run.executionId };
    const execution = await run.promise;
    const response: WebhookResponse = { executionId: execution.id, status: execution.status };
    if (execution.output !== undefined) response.output = execution.output;
    if (execution.error !== undefined) response.error = execution.error;
    return { mode: "sync", response };
  }
}
