/**
 * Connections: the credentials a config field holds for a third-party app. A customer tests one
 * (the typed value, omitted secrets being the stored ones, or the stored value) against the
 * mocked app, or connects an OAuth account: the platform starts the authorization, the mock
 * provider asks for consent and hands out a one-time code (oauth.ts), and the platform's
 * callback exchanges it for a grant the field then refers to.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { draftOf, isStoredConnection, ownInstance, workingDraft } from "./instance-records.ts";
import { requireAdmin, type Caller } from "./sessions.ts";
import { authenticateConnection } from "./third-party-apps.ts";
import { completeAuthorization, decide, exchangeCode, pendingAuthorization, startAuthorization, type OAuthOutcome } from "./oauth.ts";
import type { PlatformContext } from "./context.ts";
import type { InstanceRecord, OAuthAuthorization, OAuthGrant, StoredConnection } from "./store.ts";
import type { ConnectionTestResult, OAuthStartResponse } from "../../contract/api.ts";
import type { ConnectionInput } from "../../contract/config-vars.ts";

export class Connections {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  #field(instance: InstanceRecord, key: string) {
    // The fields the wizard shows: those of an upgrade being configured, else of the version the instance runs.
    const upgrade = draftOf(this.#ctx.snapshot, instance).upgrade;
    const integration = upgrade ? this.#ctx.version(instance.organizationId, instance.integrationId, upgrade.toVersion) : this.#ctx.running(instance);
    const field = this.#ctx.catalog.fields(integration).find((f) => f.field.key === key)?.field;
    if (!field || field.type !== "connection") throw new PlatformError(ApiErrorCode.NotFound, `No connection field "${key}".`);
    return field;
  }

  /** Tests a connection: the typed value (omitted secrets = stored ones) or the stored one. */
  test(caller: Caller, id: string, key: string, input?: ConnectionInput): ConnectionTestResult {
    const { snapshot } = this.#ctx;
    const instance = ownInstance(snapshot, caller, id);
    requireAdmin(caller, "test connections");
    const field = this.#field(instance, key);
    const draft = workingDraft(draftOf(snapshot, instance));
    const stored = Object.hasOwn(draft.values, key) && isStoredConnection(draft.values[key]) ? (draft.values[key] as StoredConnection) : undefined;
    let connection: StoredConnection | undefined;
    const value = input ?? stored;
    if (value?.kind === "api-key") {
      const apiKey = (value as { apiKey?: string }).apiKey || (stored?.kind === "api-key" ? stored.apiKey : "");
      connection = { kind: "api-key", apiKey };
    } else if (value?.kind === "basic") {
      const password = (value as { password?: string }).password || (stored?.kind === "basic" && stored.username === value.username ? stored.password : "");
      connection = { kind: "basic", username: value.username, password };
    } else if (value?.kind === "oauth2") {
      connection = { kind: "oauth2", grantId: value.grantId };
    }
    const app = field.connection.app;
    if (!connection || connection.kind !== field.connection.kind) {
      const empty: ConnectionTestResult["state"] =
        field.connection.kind === "api-key"
          ? { kind: "api-key" }
          : field.connection.kind === "basic"
            ? { kind: "basic", username: "" }
            : { kind: "oauth2", status: "pending" };
      return { ok: false, message: `Enter the ${app} credentials first.`, state: empty };
    }
    const auth = authenticateConnection(snapshot, app, caller.organization.id, caller.customer.id, connection);
    const state: ConnectionTestResult["state"] =
      connection.kind === "api-key"
        ? { kind: "api-key", ...(connection.apiKey ? { apiKey: { secret: "set" as const } } : {}) }
        : connection.kind === "basic"
          ? { kind: "basic", username: connection.username, ...(connection.password ? { password: { secret: "set" as const } } : {}) }
          : { kind: "oauth2", status: auth.ok ? "active" : "error", ...(auth.ok ? { account: auth.account } : {}) };
    return auth.ok ? { ok: true, message: `Connected to ${app} as ${auth.account}.`, state } : { ok: false, message: auth.message, state };
  }

  startOAuth(caller: Caller, id: string, key: string, origin: string): OAuthStartResponse {
    const { snapshot } = this.#ctx;
    const instance = ownInstance(snapshot, caller, id);
    requireAdmin(caller, "connect accounts");
    const field = this.#field(instance, key);
    if (field.connection.kind !== "oauth2") throw new PlatformError(ApiErrorCode.BadRequest, `"${key}" is not an OAuth connection.`);
    const started = startAuthorization(
      snapshot,
      {
        organizationId: caller.organization.id,
        customerId: caller.customer.id,
        instanceId: instance.id,
        connectionKey: key,
        app: field.connection.app,
        scopes: [...(field.connection.scopes ?? [])],
      },
      origin,
      this.#ctx.clock.now(),
    );
    return started;
  }

  /** The mock provider's view of a pending authorization (for its consent page). */
  oauthAuthorization(state: string): OAuthAuthorization | undefined {
    return pendingAuthorization(this.#ctx.snapshot, state, this.#ctx.clock.now());
  }

  /** The mock provider's Allow/Deny: the URL to redirect the browser to, or undefined. */
  oauthDecide(state: string, allow: boolean): string | undefined {
    return decide(this.#ctx.snapshot, state, allow && !this.#ctx.rehearsal.oauthDenies, this.#ctx.clock.now());
  }

  /** The mock provider's token endpoint. */
  oauthToken(code: string, redirectUri: string): { ok: true; grant: OAuthGrant } | { ok: false; error: string; message: string } {
    return exchangeCode(this.#ctx.snapshot, code, redirectUri, this.#ctx.clock.now());
  }

  /** The platform's OAuth callback. */
  oauthCallback(query: { state: string | null; code: string | null; error: string | null }): OAuthOutcome {
    return completeAuthorization(this.#ctx.snapshot, query, this.#ctx.clock.now());
  }
}
