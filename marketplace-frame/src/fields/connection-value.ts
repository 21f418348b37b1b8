/**
 * A connection's form value and what is sent for it. Secrets the platform already stores
 * come back masked; the form never holds them, and an unchanged one is never re-sent (S2).
 */
import type { ConfigValue, ConnectionInput } from "../../../contract/config-vars.ts";

export type ConnectionForm =
  | { kind: "api-key"; apiKey?: string }
  | { kind: "basic"; username: string; password?: string }
  | { kind: "oauth2"; grantId?: string; status?: "active" | "pending" | "error"; account?: string };

/** The form value for a stored connection (masked secrets become "keep the stored one"). */
export function formFromStored(stored: ConfigValue | undefined): { form: ConnectionForm | undefined; storedSecret: boolean } {
  if (!stored || typeof stored !== "object" || Array.isArray(stored) || !("kind" in stored)) return { form: undefined, storedSecret: false };
  switch (stored.kind) {
    case "api-key":
      return { form: { kind: "api-key" }, storedSecret: "apiKey" in stored && stored.apiKey !== undefined };
    case "basic":
      return { form: { kind: "basic", username: stored.username }, storedSecret: "password" in stored && stored.password !== undefined };
    case "oauth2":
      return { form: { kind: "oauth2", status: stored.status, account: stored.account }, storedSecret: false };
    default:
      return { form: undefined, storedSecret: false };
  }
}

/**
 * What goes over the wire. `undefined` means "send nothing for this key" (a stored OAuth
 * grant stays as it is).
 */
export function connectionInputOf(form: ConnectionForm): ConnectionInput | undefined {
  switch (form.kind) {
    case "api-key":
      return form.apiKey ? { kind: "api-key", apiKey: form.apiKey } : { kind: "api-key" };
    case "basic":
      return form.password ? { kind: "basic", username: form.username, password: form.password } : { kind: "basic", username: form.username };
    case "oauth2":
      return form.grantId ? { kind: "oauth2", grantId: form.grantId } : undefined;
  }
}
