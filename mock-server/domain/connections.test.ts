/**
 * Connections on the platform: the revoke switch puts a connection and every instance using it in
 * "needs reconnect" (connection, instance values, dashboard, a flow run refused), a reconnect
 * keeps every other config value, and a legacy inline value still works.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { customerPlatform } from "../fixtures/customer-platform.ts";
import type { Platform } from "./platform.ts";
import type { ManualClock } from "./clock.ts";
import type { Caller } from "./sessions.ts";

const ORIGIN = "http://platform.test";

let clock: ManualClock;
let platform: Platform;
let caller: Caller;

beforeEach(async () => {
  ({ clock, platform, caller } = await customerPlatform());
});
afterEach(() => platform.dispose());

async function deployJira(values: Record<string, unknown>) {
  const { instance } = platform.instances.create(caller, "jira", ORIGIN);
  await platform.instances.saveConfigPage(caller, instance.id, "connect", { site: "acme.atlassian.net", ...values }, ORIGIN);
  await platform.instances.saveConfigPage(caller, instance.id, "issues", { projectKey: "OPS", issueType: "Bug", labels: ["kept"] }, ORIGIN);
  return (await platform.instances.deploy(caller, instance.id, { origin: ORIGIN })).body.instance;
}

describe("connection health", () => {
  it("revoked: the connection and both instances using it need a reconnect; a reconnect keeps every other value", async () => {
    const jira = platform.connections.create(caller, { app: "Jira", credentials: { kind: "basic", username: "ada@acme.example", password: "token-1234" } });
    const a = await deployJira({ jiraConnection: { connectionId: jira.id } });
    const b = await deployJira({ jiraConnection: { connectionId: jira.id } });
    clock.advance(1000);
    platform.scenario.set({ scenario: "connections-revoked", app: "Jira" });
    expect(platform.connections.get(caller, jira.id)).toMatchObject({ status: "needs-reconnect", statusMessage: expect.stringContaining("Jira no longer accepts") });
    for (const id of [a.id, b.id]) {
      expect(platform.instances.get(caller, id, ORIGIN).configValues.jiraConnection).toMatchObject({ connectionId: jira.id, needsReconnect: true });
    }
    expect(platform.dashboard.get(caller).instances.filter((i) => i.health[0] === "needs-reconnect").map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(platform.connections.check(caller, jira.id)).toMatchObject({ ok: false });

    // A reconnect with a refused password changes nothing; a good one fixes both instances, nothing else moves.
    expect(() => platform.connections.update(caller, jira.id, { credentials: { kind: "basic", username: "ada@acme.example", password: "invalid-1" } })).toThrow(/refused/);
    const before = platform.instances.get(caller, a.id, ORIGIN).configValues;
    platform.connections.update(caller, jira.id, { credentials: { kind: "basic", username: "ada@acme.example", password: "token-5678" } });
    expect(platform.connections.get(caller, jira.id).status).toBe("active");
    const after = platform.instances.get(caller, a.id, ORIGIN).configValues;
    expect(after).toEqual({ ...before, jiraConnection: { kind: "basic", username: "ada@acme.example", password: { secret: "set" }, connectionId: jira.id } });
    expect(platform.dashboard.get(caller).instances.every((i) => i.health[0] !== "needs-reconnect")).toBe(true);
  });

  it("revoked OAuth: the Slack connection made by the OAuth flow needs a reconnect; the reconnect flow gives it a new grant, same id", async () => {
    const connect = (connectionId?: string) => {
      const { state } = platform.connections.startConnectionOAuth(caller, { app: "Slack", ...(connectionId ? { connectionId } : {}) }, ORIGIN);
      const redirect = new URL(platform.connections.oauthDecide(state, true)!);
      const outcome = platform.connections.oauthCallback({ state, code: redirect.searchParams.get("code"), error: null });
      if (!outcome.ok) throw new Error(outcome.message);
      return outcome.connectionId;
    };
    const id = connect();
    clock.advance(1000);
    platform.scenario.set({ scenario: "connections-revoked" });
    expect(platform.connections.get(caller, id).status).toBe("needs-reconnect");
    expect(connect(id)).toBe(id);
    expect(platform.connections.get(caller, id).status).toBe("active");
    expect(platform.connections.list(caller, "Slack")).toHaveLength(1);
  });

  it("a value stored inline by an earlier version is checked, and revoked, like a connection", async () => {
    const instance = await deployJira({ jiraConnection: { kind: "basic", username: "ada@acme.example", password: "token-1234" } });
    const record = platform.snapshot().instances[instance.id];
    const { connectionId } = record.config.jiraConnection as { connectionId: string };
    // As an earlier version stored it:
    record.config.jiraConnection = structuredClone(platform.snapshot().connections[connectionId].credentials);
    expect(platform.dashboard.reconnectNeeded(record)).toEqual([]);
    platform.scenario.set({ scenario: "connections-revoked", app: "Jira" });
    expect(platform.dashboard.reconnectNeeded(record)).toEqual(["jiraConnection"]);
  });
});
