import { describe, expect, it } from "vitest";
import { connectionInputOf, formFromStored } from "./connection-form.ts";

describe("connection form values (frame wizard and headless SDK)", () => {
  it("S2 a stored connection becomes a form with no secret in it, and says whether one is stored", () => {
    expect(formFromStored({ kind: "api-key", apiKey: { secret: "set" } })).toEqual({ form: { kind: "api-key" }, storedSecret: true });
    expect(formFromStored({ kind: "api-key" })).toEqual({ form: { kind: "api-key" }, storedSecret: false });
    expect(formFromStored({ kind: "basic", username: "ada", password: { secret: "set" } })).toEqual({ form: { kind: "basic", username: "ada" }, storedSecret: true });
    expect(formFromStored({ kind: "oauth2", status: "active", account: "ada@acme" })).toEqual({ form: { kind: "oauth2", status: "active", account: "ada@acme" }, storedSecret: false });
    for (const other of [undefined, null, "text", 3, ["kind"], { no: "kind" }, { kind: "ftp" }]) expect(formFromStored(other)).toEqual({ form: undefined, storedSecret: false });
  });

  it("S2 sends a secret only when one was typed, and an OAuth grant only when one was made", () => {
    expect(connectionInputOf({ kind: "api-key", apiKey: "sk_live_1" })).toEqual({ kind: "api-key", apiKey: "sk_live_1" });
    expect(connectionInputOf({ kind: "api-key" })).toEqual({ kind: "api-key" });
    expect(connectionInputOf({ kind: "api-key", apiKey: "" })).toEqual({ kind: "api-key" });
    expect(connectionInputOf({ kind: "basic", username: "ada", password: "pw" })).toEqual({ kind: "basic", username: "ada", password: "pw" });
    expect(connectionInputOf({ kind: "basic", username: "ada" })).toEqual({ kind: "basic", username: "ada" });
    expect(connectionInputOf({ kind: "oauth2", grantId: "g1" })).toEqual({ kind: "oauth2", grantId: "g1" });
    expect(connectionInputOf({ kind: "oauth2", status: "active" })).toBeUndefined();
    // The connection an OAuth flow made is sent by its id (the platform holds its tokens).
    expect(connectionInputOf({ kind: "oauth2", status: "active", connectionId: "con_1" })).toEqual({ connectionId: "con_1" });
  });

  it("a value a custom UI got wrong is not sent as a secret: a number is no API key", () => {
    expect(connectionInputOf({ kind: "api-key", apiKey: 12345 })).toEqual({ kind: "api-key" });
    for (const other of [undefined, "sk_live", { kind: "ftp" }, [{ kind: "api-key" }]]) expect(connectionInputOf(other)).toBeUndefined();
  });

  it("a saved connection keeps its id (the wizard shows it as chosen) and who provides it; its secret counts as the connection's, not the form's", () => {
    expect(formFromStored({ kind: "api-key", apiKey: { secret: "set" }, connectionId: "con_1" })).toEqual({ form: { kind: "api-key", connectionId: "con_1" }, storedSecret: true });
    expect(formFromStored({ kind: "basic", connectionId: "con_2", providedBy: "Acme Corp" })).toEqual({ form: { kind: "basic", connectionId: "con_2", providedBy: "Acme Corp" }, storedSecret: false });
    expect(formFromStored({ kind: "oauth2", status: "error", connectionId: "con_3", needsReconnect: true })).toEqual({ form: { kind: "oauth2", status: "error", connectionId: "con_3" }, storedSecret: false });
  });

  it("a connection in use is sent by reference; a typed secret replaces it; a bare { connectionId } from a custom UI is sent as it is", () => {
    expect(connectionInputOf({ kind: "api-key", connectionId: "con_1" })).toEqual({ connectionId: "con_1" });
    expect(connectionInputOf({ kind: "basic", username: "ada", connectionId: "con_2" })).toEqual({ connectionId: "con_2" });
    expect(connectionInputOf({ kind: "api-key", apiKey: "sk_new", connectionId: "con_1" })).toEqual({ kind: "api-key", apiKey: "sk_new" });
    expect(connectionInputOf({ kind: "basic", username: "ada", password: "pw", connectionId: "con_2" })).toEqual({ kind: "basic", username: "ada", password: "pw" });
    expect(connectionInputOf({ connectionId: "con_9" })).toEqual({ connectionId: "con_9" });
    expect(connectionInputOf({ connectionId: "" })).toBeUndefined();
  });
});
