/**
 * Connections: the customer's reusable credentials for third-party apps, and what is done with
 * them. A customer lists, adds (checked with the app first), renames, reconnects, tests and
 * removes connections — not one an instance still uses (409 naming the instances), and never one
 * the host organization provides (`source: "organization"`, added through the org API: usable by
 * the customer, never shown or changed, S4). A connection field tests its typed value, and OAuth
 * connections are made or reconnected through the mock provider (oauth.ts): the flow keeps the
 * tokens in a connection, ends once, and tells only the user who started it how it ended (S5).
 * The records and how they are shown are connection-records.ts.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { draftOf, ownInstance, workingDraft } from "./instance-records.ts";
import { requireAdmin, type Caller } from "./sessions.ts";
import { authenticateConnection } from "./third-party-apps.ts";
import { completeAuthorization, decide, exchangeCode, knownAuthorization, pendingAuthorization, startAuthorization, type OAuthOutcome } from "./oauth.ts";
import {
  addConnection,
  connectionUses,
  credentialsOf,
  fieldState,
  healthOf,
  isConnectionRef,
  isStoredConnection,
  maskCredentials,
  ownedConnection,
  ownerConnections,
  presentConnection,
  replaceCredentials,
  type Owner,
} from "./connection-records.ts";
import type { PlatformContext } from "./context.ts";
import type { ConnectionRecord, InstanceRecord, OAuthAuthorization, OAuthGrant, OrganizationRecord, StoredConnection } from "./store.ts";
import type {
  Connection,
  ConnectionApp,
  ConnectionCheck,
  ConnectionTestResult,
  CreateConnectionRequest,
  OAuthConnectRequest,
  OAuthStartResponse,
  OAuthStatus,
  UpdateConnectionRequest,
} from "../../contract/api.ts";
import type { ConnectionInput } from "../../contract/config-vars.ts";

const ownerOf = (caller: Caller): Owner => ({ organizationId: caller.organization.id, customerId: caller.customer.id });

/** The form field a refused credential belongs to (so the message lands next to it). */
const secretField = (credentials: StoredConnection) => (credentials.kind === "basic" ? "password" : "apiKey");

export class Connections {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  // -------------------------------------------------------------------------------------------
  // The customer's connections

  list(caller: Caller, app?: string): Connection[] {
    return ownerConnections(this.#ctx.snapshot, ownerOf(caller), app).map((record) => presentConnection(this.#ctx.snapshot, record));
  }

  /**
   * The apps the organization's integrations connect to (what a connection can be added for), by
   * name; an app asked for with two kinds of credentials is listed once per kind.
   */
  apps(caller: Caller): ConnectionApp[] {
    const apps = new Map<string, ConnectionApp>();
    for (const integration of this.#ctx.versions.list(caller.organization.id))
      for (const field of integration.configPages.flatMap((p) => p.fields)) {
        if (field.type !== "connection") continue;
        const { app, kind } = field.connection;
        const known = apps.get(`${kind} ${app}`) ?? { app, kind, icon: integration.icon, integrations: [] };
        if (!known.integrations.includes(integration.id)) known.integrations.push(integration.id);
        apps.set(`${kind} ${app}`, known);
      }
    return [...apps.values()].sort((a, b) => a.app.localeCompare(b.app, "en") || a.kind.localeCompare(b.kind));
  }

  get(caller: Caller, id: string): Connection {
    return presentConnection(this.#ctx.snapshot, this.#own(caller, id));
  }

  /** Adds a connection once the app accepts its credentials (422 with the app's words otherwise). */
  create(caller: Caller, request: CreateConnectionRequest): Connection {
    requireAdmin(caller, "add connections");
    return presentConnection(this.#ctx.snapshot, this.#add(ownerOf(caller), request, "customer"));
  }

  /** Renames and/or reconnects (new credentials, checked with the app first): instances using it keep their config. */
  update(caller: Caller, id: string, request: UpdateConnectionRequest): Connection {
    const record = this.#own(caller, id);
    requireAdmin(caller, "change connections");
    this.#refuseProvided(record, "change");
    return presentConnection(this.#ctx.snapshot, this.#update(record, request));
  }

  /** Asks the app whether it accepts the connection now. */
  check(caller: Caller, id: string): ConnectionCheck {
    const record = this.#own(caller, id);
    requireAdmin(caller, "test connections");
    const health = healthOf(this.#ctx.snapshot, record);
    const connection = presentConnection(this.#ctx.snapshot, record);
    return health.ok
      ? { ok: true, message: record.source === "organization" ? `Connected to ${record.app}.` : `Connected to ${record.app} as ${health.account}.`, connection }
      : { ok: false, message: health.message, connection };
  }

  /** Removes a connection no instance uses; 409 CONNECTION_IN_USE naming the instances otherwise. */
  delete(caller: Caller, id: string): { connectionId: string } {
    const record = this.#own(caller, id);
    requireAdmin(caller, "remove connections");
    this.#refuseProvided(record, "remove");
    return this.#delete(record);
  }

  // -------------------------------------------------------------------------------------------
  // Connections the host organization provides (org API)

  orgList(org: OrganizationRecord, customerId: string): Connection[] {
    const owner = this.#customer(org, customerId);
    return ownerConnections(this.#ctx.snapshot, owner).map((record) => presentConnection(this.#ctx.snapshot, record));
  }

  orgCreate(org: OrganizationRecord, customerId: string, request: CreateConnectionRequest): Connection {
    return presentConnection(this.#ctx.snapshot, this.#add(this.#customer(org, customerId), request, "organization"));
  }

  orgUpdate(org: OrganizationRecord, customerId: string, id: string, request: UpdateConnectionRequest): Connection {
    return presentConnection(this.#ctx.snapshot, this.#update(this.#provided(org, customerId, id), request));
  }

  orgDelete(org: OrganizationRecord, customerId: string, id: string): { connectionId: string } {
    return this.#delete(this.#provided(org, customerId, id));
  }

  // -------------------------------------------------------------------------------------------
  // Rehearsal: the mock apps revoke what they issued

  /**
   * The `connections-revoked` scenario: every app (or `app`) stops accepting the keys, passwords
   * and OAuth tokens it has issued so far, so each connection (and its instances) needs a
   * reconnect; credentials given afterwards work.
   */
  revokeAll(app?: string): void {
    const { snapshot } = this.#ctx;
    const revoke = (credentials: StoredConnection): boolean => {
      if (credentials.kind === "oauth2" || credentials.revoked) return false;
      credentials.revoked = true;
      return true;
    };
    for (const record of Object.values(snapshot.connections)) {
      if (app !== undefined && record.app !== app) continue;
      if (revoke(record.credentials)) this.#ctx.changed("connections", record.id);
    }
    for (const grant of Object.values(snapshot.oauthGrants)) {
      if ((app !== undefined && grant.app !== app) || grant.status === "revoked") continue;
      grant.status = "revoked";
      this.#ctx.changed("oauthGrants", grant.id);
    }
    // Values of earlier versions hold their credentials inline.
    for (const instance of Object.values(snapshot.instances)) {
      const fields = this.#ctx.running(instance).configPages.flatMap((p) => p.fields);
      for (const field of fields) {
        const value = instance.config[field.key];
        if (field.type === "connection" && (app === undefined || field.connection.app === app) && isStoredConnection(value) && revoke(value)) {
          this.#ctx.changed("instances", instance.id);
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // A connection field

  /** Tests a connection field's value: typed credentials (omitted secrets = stored ones), a chosen connection, or the stored value. */
  test(caller: Caller, id: string, key: string, input?: ConnectionInput): ConnectionTestResult {
    const { snapshot } = this.#ctx;
    const instance = ownInstance(snapshot, caller, id);
    requireAdmin(caller, "test connections");
    const field = this.#field(instance, key);
    const app = field.connection.app;
    const draft = workingDraft(draftOf(snapshot, instance));
    const storedValue = Object.hasOwn(draft.values, key) ? draft.values[key] : undefined;
    const chosen = input !== undefined && isConnectionRef(input) ? ownedConnection(snapshot, instance, input.connectionId) : undefined;
    if (input !== undefined && isConnectionRef(input) && (!chosen || chosen.app !== app || chosen.credentials.kind !== field.connection.kind)) {
      throw new PlatformError(ApiErrorCode.ValidationFailed, `Choose one of your ${app} connections.`, { fields: { [key]: `Choose one of your ${app} connections.` } });
    }
    const bound = chosen ?? (input === undefined && isConnectionRef(storedValue) ? ownedConnection(snapshot, instance, storedValue.connectionId) : undefined);
    if (bound) {
      const health = healthOf(snapshot, bound);
      const state = fieldState(snapshot, bound);
      return health.ok ? { ok: true, message: `Connected to ${app}${bound.source === "customer" ? ` as ${health.account}` : ""}.`, state } : { ok: false, message: health.message, state };
    }
    // A provided connection never lends its secret to typed credentials (S4).
    const providedStored = isConnectionRef(storedValue) && ownedConnection(snapshot, instance, storedValue.connectionId)?.source === "organization";
    const stored = providedStored ? undefined : credentialsOf(snapshot, instance, storedValue);
    let connection: StoredConnection | undefined;
    const value = (input as Exclude<ConnectionInput, { connectionId: string }> | undefined) ?? stored;
    if (value?.kind === "api-key") {
      const apiKey = (value as { apiKey?: string }).apiKey || (stored?.kind === "api-key" ? stored.apiKey : "");
      connection = { kind: "api-key", apiKey };
    } else if (value?.kind === "basic") {
      const password = (value as { password?: string }).password || (stored?.kind === "basic" && stored.username === value.username ? stored.password : "");
      connection = { kind: "basic", username: value.username, password };
    } else if (value?.kind === "oauth2") {
      connection = { kind: "oauth2", grantId: value.grantId };
    }
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
    const masked = maskCredentials(snapshot, connection);
    const state: ConnectionTestResult["state"] =
      connection.kind === "api-key"
        ? { kind: "api-key", ...(connection.apiKey ? { apiKey: { secret: "set" as const } } : {}) }
        : connection.kind === "basic"
          ? { kind: "basic", username: connection.username, ...(connection.password ? { password: { secret: "set" as const } } : {}) }
          : { ...masked, ...(auth.ok ? {} : { status: "error" as const }) };
    return auth.ok ? { ok: true, message: `Connected to ${app} as ${auth.account}.`, state } : { ok: false, message: auth.message, state };
  }

  // -------------------------------------------------------------------------------------------
  // OAuth

  /** Starts an OAuth flow from a connection field (the wizard); it ends in a new connection. */
  startOAuth(caller: Caller, id: string, key: string, origin: string): OAuthStartResponse {
    const instance = ownInstance(this.#ctx.snapshot, caller, id);
    requireAdmin(caller, "connect accounts");
    const field = this.#field(instance, key);
    if (field.connection.kind !== "oauth2") throw new PlatformError(ApiErrorCode.BadRequest, `"${key}" is not an OAuth connection.`);
    return this.#start(caller, { instanceId: instance.id, connectionKey: key, app: field.connection.app, scopes: [...(field.connection.scopes ?? [])] }, origin);
  }

  /**
   * Starts an OAuth flow for an app (the Connections screen, the headless client): a new
   * connection, or a reconnect of `connectionId` (same connection: every instance keeps its
   * config). The scopes are every one the organization's integrations ask of that app.
   */
  startConnectionOAuth(caller: Caller, request: OAuthConnectRequest, origin: string): OAuthStartResponse {
    requireAdmin(caller, "connect accounts");
    const fields = this.#ctx.versions
      .list(caller.organization.id)
      .flatMap((integration) => integration.configPages.flatMap((p) => p.fields))
      .flatMap((f) => (f.type === "connection" && f.connection.kind === "oauth2" && f.connection.app === request.app ? [f.connection] : []));
    if (fields.length === 0) throw new PlatformError(ApiErrorCode.NotFound, `No integration connects to ${request.app} with OAuth.`);
    if (request.connectionId !== undefined) {
      const record = this.#own(caller, request.connectionId);
      this.#refuseProvided(record, "reconnect");
      if (record.app !== request.app || record.credentials.kind !== "oauth2") {
        throw new PlatformError(ApiErrorCode.BadRequest, `"${record.name}" is not an OAuth connection to ${request.app}.`);
      }
    }
    const scopes = [...new Set(fields.flatMap((c) => c.scopes ?? []))];
    return this.#start(caller, { app: request.app, scopes, ...(request.connectionId !== undefined && { connectionId: request.connectionId }) }, origin);
  }

  /** How the caller's OAuth flow ended (404 for anyone else's, S5). */
  oauthStatus(caller: Caller, state: string): OAuthStatus {
    const { snapshot } = this.#ctx;
    const auth = knownAuthorization(snapshot, state, this.#ctx.clock.now());
    if (!auth || auth.organizationId !== caller.organization.id || auth.customerId !== caller.customer.id || (auth.userId !== undefined && auth.userId !== caller.user.id)) {
      throw new PlatformError(ApiErrorCode.NotFound, "No such authorization (it may have expired); start connecting again.");
    }
    if (!auth.result) return { status: "pending" };
    if (!auth.result.ok) return { status: "failed", error: { code: auth.result.code, message: auth.result.message } };
    const record = ownedConnection(snapshot, ownerOf(caller), auth.result.connectionId);
    if (!record) throw new PlatformError(ApiErrorCode.NotFound, "The connection this authorization made was removed since.");
    return { status: "connected", connection: presentConnection(snapshot, record) };
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

  /** The platform's OAuth callback: the tokens go into a new connection, or the one being reconnected. */
  oauthCallback(query: { state: string | null; code: string | null; error: string | null }): OAuthOutcome {
    const now = this.#ctx.clock.now();
    return completeAuthorization(this.#ctx.snapshot, query, now, (auth, grant) => {
      const credentials: StoredConnection = { kind: "oauth2", grantId: grant.id };
      const owner = { organizationId: auth.organizationId, customerId: auth.customerId };
      const record = auth.connectionId !== undefined ? ownedConnection(this.#ctx.snapshot, owner, auth.connectionId) : undefined;
      if (record) {
        replaceCredentials(this.#ctx.snapshot, record, credentials, now);
        return record.id;
      }
      return addConnection(this.#ctx.snapshot, { ...owner, app: auth.app, credentials, source: "customer" }, now).id;
    });
  }

  // -------------------------------------------------------------------------------------------

  #start(caller: Caller, input: Pick<OAuthAuthorization, "app" | "scopes" | "instanceId" | "connectionKey" | "connectionId">, origin: string): OAuthStartResponse {
    return startAuthorization(
      this.#ctx.snapshot,
      { organizationId: caller.organization.id, customerId: caller.customer.id, userId: caller.user.id, ...input },
      origin,
      this.#ctx.clock.now(),
    );
  }

  #field(instance: InstanceRecord, key: string) {
    // The fields the wizard shows: those of an upgrade being configured, else of the version the instance runs.
    const field = this.#ctx.catalog.fields(this.#ctx.editing(instance)).find((f) => f.field.key === key)?.field;
    if (!field || field.type !== "connection") throw new PlatformError(ApiErrorCode.NotFound, `No connection field "${key}".`);
    return field;
  }

  #own(caller: Caller, id: string): ConnectionRecord {
    const record = ownedConnection(this.#ctx.snapshot, ownerOf(caller), id);
    if (!record) throw new PlatformError(ApiErrorCode.NotFound, `No connection "${id}".`);
    return record;
  }

  #refuseProvided(record: ConnectionRecord, action: string): void {
    if (record.source !== "organization") return;
    const host = this.#ctx.snapshot.organizations[record.organizationId]?.name ?? "your provider";
    throw new PlatformError(ApiErrorCode.ConnectionProvided, `${host} provides "${record.name}"; you can use it, but only ${host} can ${action} it.`);
  }

  #customer(org: OrganizationRecord, customerId: string): Owner {
    const customer = Object.hasOwn(this.#ctx.snapshot.customers, customerId) ? this.#ctx.snapshot.customers[customerId] : undefined;
    if (!customer || customer.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No customer "${customerId}".`);
    return { organizationId: org.id, customerId: customer.id };
  }

  #provided(org: OrganizationRecord, customerId: string, id: string): ConnectionRecord {
    const record = ownedConnection(this.#ctx.snapshot, this.#customer(org, customerId), id);
    if (!record || record.source !== "organization") throw new PlatformError(ApiErrorCode.NotFound, `No connection "${id}" provided to this customer.`);
    return record;
  }

  /** 422 on `field` unless the name is free among the owner's connections. */
  #checkName(owner: Owner, name: string, self?: string): void {
    const taken = ownerConnections(this.#ctx.snapshot, owner).some((c) => c.id !== self && c.name.toLocaleLowerCase("en") === name.toLocaleLowerCase("en"));
    if (taken) {
      const message = `You already have a connection named "${name}"; choose another name.`;
      throw new PlatformError(ApiErrorCode.ValidationFailed, message, { fields: { name: message } });
    }
  }

  /** 422 with the app's words, on the secret's field, unless the app accepts the credentials. */
  #checkWithApp(owner: Owner, app: string, credentials: StoredConnection): void {
    const auth = authenticateConnection(this.#ctx.snapshot, app, owner.organizationId, owner.customerId, credentials);
    if (!auth.ok) throw new PlatformError(ApiErrorCode.ValidationFailed, auth.message, { fields: { [secretField(credentials)]: auth.message } });
  }

  #add(owner: Owner, request: CreateConnectionRequest, source: ConnectionRecord["source"]): ConnectionRecord {
    const app = request.app.trim();
    const known = this.#ctx.versions
      .list(owner.organizationId)
      .some((i) => i.configPages.some((p) => p.fields.some((f) => f.type === "connection" && f.connection.app === app && f.connection.kind === request.credentials.kind)));
    if (!known) {
      const message = `No integration uses a ${request.credentials.kind} connection to "${app}".`;
      throw new PlatformError(ApiErrorCode.ValidationFailed, message, { fields: { app: message } });
    }
    const name = request.name?.trim();
    if (name !== undefined) this.#checkName(owner, name);
    this.#checkWithApp(owner, app, request.credentials);
    const record = addConnection(this.#ctx.snapshot, { ...owner, app, credentials: request.credentials, source, ...(name ? { name } : {}) }, this.#ctx.clock.now());
    this.#ctx.changed("connections", record.id);
    return record;
  }

  #update(record: ConnectionRecord, request: UpdateConnectionRequest): ConnectionRecord {
    const now = this.#ctx.clock.now();
    const name = request.name?.trim();
    if (name !== undefined) this.#checkName(record, name, record.id);
    let credentials: StoredConnection | undefined;
    if (request.credentials) {
      const current = record.credentials;
      if (request.credentials.kind !== current.kind) {
        throw new PlatformError(ApiErrorCode.BadRequest, `"${record.name}" is a ${current.kind} connection; send ${current.kind} credentials.`);
      }
      if (request.credentials.kind === "basic") {
        const kept = current.kind === "basic" && current.username === request.credentials.username ? current.password : undefined;
        const password = request.credentials.password ?? kept;
        if (password === undefined) {
          throw new PlatformError(ApiErrorCode.ValidationFailed, "Enter the password for the new username.", { fields: { password: "Enter the password for the new username." } });
        }
        credentials = { kind: "basic", username: request.credentials.username, password };
      } else credentials = { kind: "api-key", apiKey: request.credentials.apiKey };
      this.#checkWithApp(record, record.app, credentials);
    }
    if (name !== undefined && name !== record.name) {
      record.name = name;
      record.updatedAt = now;
    }
    if (credentials) replaceCredentials(this.#ctx.snapshot, record, credentials, now);
    this.#ctx.changed("connections", record.id);
    return record;
  }

  #delete(record: ConnectionRecord): { connectionId: string } {
    const uses = connectionUses(this.#ctx.snapshot, record);
    if (uses.length > 0) {
      const names = [...new Set(uses.map((u) => `"${u.instanceName}"`))];
      throw new PlatformError(
        ApiErrorCode.ConnectionInUse,
        `"${record.name}" is used by ${names.join(", ")}; choose another connection there (or remove ${names.length === 1 ? "that instance" : "those instances"}) first.`,
      );
    }
    delete this.#ctx.snapshot.connections[record.id];
    this.#ctx.changed("connections", record.id);
    return { connectionId: record.id };
  }
}
