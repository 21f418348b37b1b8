import { describe, expect, it } from "vitest";
import type { Connection, ConfigVarDefinition } from "../contract/api-types.ts";
import { connectionInputOf } from "../contract/connection-form.ts";
import { isApiError } from "./error.ts";
import { chosenConnectionId, connectionChoices, formForConnection, pickConnection } from "./wizard-connections.ts";

type ConnectionField = Extract<ConfigVarDefinition, { type: "connection" }>;
const field = (kind: "api-key" | "basic" | "oauth2", app = "Slack"): ConnectionField => ({ key: "slack", label: "Slack", type: "connection", required: true, connection: { kind, app } });
const connection = (over: Partial<Connection>): Connection => ({
  id: "con_1",
  app: "Slack",
  kind: "oauth2",
  name: "Slack",
  status: "active",
  usedBy: [],
  createdAt: "2026-12-06T00:00:00Z",
  updatedAt: "2026-12-06T00:00:00Z",
  ...over,
});

const list = [
  connection({ id: "broken", name: "A broken one", status: "needs-reconnect", statusMessage: "revoked" }),
  connection({ id: "team", name: "Team workspace", account: "ann@acme.test" }),
  connection({ id: "host", name: "Acme's Slack", providedBy: "Acme Corp" }),
  connection({ id: "key", name: "Slack key", kind: "api-key" }),
  connection({ id: "jira", name: "Jira", app: "Jira" }),
];

describe("picking a connection in the wizard (frame and headless)", () => {
  it("lists the field's app and kind only, usable ones first; one that needs reconnecting is marked, one the host provides says who", () => {
    const choices = connectionChoices(field("oauth2"), list);
    expect(choices.map((c) => [c.connection.id, c.usable, c.providedBy])).toEqual([
      ["host", true, "Acme Corp"],
      ["team", true, undefined],
      ["broken", false, undefined],
    ]);
    expect(connectionChoices(field("api-key"), list).map((c) => c.connection.id)).toEqual(["key"]);
    expect(connectionChoices(field("oauth2", "Zendesk"), list)).toEqual([]);
  });

  it("a picked connection is sent by reference, never with a secret; an OAuth one keeps who it is connected as", () => {
    const oauth = formForConnection(field("oauth2"), list[1]!);
    expect(oauth).toEqual({ kind: "oauth2", status: "active", account: "ann@acme.test", connectionId: "team" });
    expect(connectionInputOf(oauth)).toEqual({ connectionId: "team" });
    expect(formForConnection(field("oauth2"), list[0]!)).toMatchObject({ status: "error", connectionId: "broken" });
    const key = formForConnection(field("api-key"), list[3]!);
    expect(key).toEqual({ kind: "api-key", connectionId: "key" });
    expect(connectionInputOf(key)).toEqual({ connectionId: "key" });
    const basic = connection({ id: "b", kind: "basic", app: "Jira", credentials: { kind: "basic", username: "ada", password: { secret: "set" } } });
    expect(formForConnection(field("basic", "Jira"), basic)).toEqual({ kind: "basic", username: "ada", connectionId: "b" });
    // A provided basic connection shows no username (S4): the form has none to show either.
    expect(formForConnection(field("basic", "Jira"), { ...basic, credentials: undefined, providedBy: "Acme" })).toEqual({ kind: "basic", username: "", connectionId: "b" });
  });

  it("picks by id among the field's choices only: another app's, another kind's or an unknown id is INVALID_OPTION naming the field", () => {
    const choices = connectionChoices(field("oauth2"), list);
    expect(pickConnection(field("oauth2"), choices, "host")).toEqual({ kind: "oauth2", status: "active", connectionId: "host" });
    // Asked for by id, one that needs reconnecting is used (and marked by the caller): never chosen silently.
    expect(pickConnection(field("oauth2"), choices, "broken")).toMatchObject({ connectionId: "broken" });
    for (const id of ["jira", "key", "nope"]) {
      let error: unknown;
      try {
        pickConnection(field("oauth2"), choices, id);
      } catch (e) {
        error = e;
      }
      expect(isApiError(error) && error.code).toBe("INVALID_OPTION");
      expect((error as Error).message).toContain(`"${id}" is not one of your Slack connections (oauth2) for "slack"`);
    }
  });

  it("tells which connection a form value uses: none for a new one", () => {
    expect(chosenConnectionId({ kind: "api-key", connectionId: "key" })).toBe("key");
    expect(chosenConnectionId({ connectionId: "key" })).toBe("key");
    for (const value of [undefined, null, "key", { kind: "api-key", apiKey: "typed" }, { connectionId: "" }, { connectionId: 3 }]) expect(chosenConnectionId(value)).toBeUndefined();
  });
});
