/**
 * A connection field as a form holds it, and what is sent for it: shared by the frame's wizard
 * and the headless SDK's form helpers. Secrets the platform already stores come back masked; a
 * form never holds them, and an unchanged one is never re-sent (S2). No zod: types only.
 */
import type { ConnectionInput } from "./api-types.ts";

export type ConnectionForm =
  | { kind: "api-key"; apiKey?: string }
  | { kind: "basic"; username: string; password?: string }
  /** `connectionId`: the connection an OAuth flow just made (sent as `{ connectionId }`). */
  | { kind: "oauth2"; grantId?: string; status?: "active" | "pending" | "error"; account?: string; connectionId?: string };

const isConnection = (value: unknown): value is { kind: unknown } & Record<string, unknown> =>
  !!value && typeof value == "object" && !Array.isArray(value) && "kind" in value;

/**
 * The form value for a connection as the platform returns it: a masked secret becomes "keep the
 * stored one" (`storedSecret`), an OAuth connection keeps its state. Anything else: no form.
 */
export function formFromStored(stored: unknown): { form: ConnectionForm | undefined; storedSecret: boolean } {
  if (!isConnection(stored)) return { form: undefined, storedSecret: false };
  switch (stored.kind) {
    case "api-key":
      return { form: { kind: "api-key" }, storedSecret: stored.apiKey !== undefined };
    case "basic":
      return { form: { kind: "basic", username: stored.username as string }, storedSecret: stored.password !== undefined };
    case "oauth2":
      return {
        form: { kind: "oauth2", status: stored.status as "active" | "pending" | "error", ...(typeof stored.account == "string" ? { account: stored.account } : {}) },
        storedSecret: false,
      };
    default:
      return { form: undefined, storedSecret: false };
  }
}

/**
 * What goes over the wire for a connection's form value: a new secret only when one was typed,
 * a new OAuth grant only when one was made. `undefined` means "send nothing for this key" (a
 * stored OAuth grant stays as it is, and so does anything that is not a connection form).
 */
export function connectionInputOf(form: unknown): ConnectionInput | undefined {
  if (!isConnection(form)) return undefined;
  const typed = (key: string) => (typeof form[key] == "string" && form[key] !== "" ? (form[key] as string) : undefined);
  switch (form.kind) {
    case "api-key": {
      const apiKey = typed("apiKey");
      return apiKey ? { kind: "api-key", apiKey } : { kind: "api-key" };
    }
    case "basic": {
      const password = typed("password");
      return password ? { kind: "basic", username: form.username as string, password } : { kind: "basic", username: form.username as string };
    }
    case "oauth2": {
      const grantId = typed("grantId");
      const connectionId = typed("connectionId");
      return grantId ? { kind: "oauth2", grantId } : connectionId ? { connectionId } : undefined;
    }
    default:
      return undefined;
  }
}
