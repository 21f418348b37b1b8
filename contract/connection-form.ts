/**
 * A connection field as a form holds it, and what is sent for it: shared by the frame's wizard
 * and the headless SDK's form helpers. Secrets the platform already stores come back masked; a
 * form never holds them, and an unchanged one is never re-sent (S2). No zod: types only.
 */
import type { ConnectionInput } from "./api-types.ts";

export type ConnectionForm = (
  | { kind: "api-key"; apiKey?: string }
  | { kind: "basic"; username: string; password?: string }
  | { kind: "oauth2"; grantId?: string; status?: "active" | "pending" | "error"; account?: string }
) & {
  /**
   * The customer's connection the field uses: picked from their connections, made by an OAuth
   * flow, or the one saved. Sent as `{ connectionId }` unless a new secret was typed (which
   * replaces it: the platform updates that connection in place while no other instance uses it).
   */
  connectionId?: string;
};

/**
 * The form value for a connection as the platform returns it: a masked secret becomes "keep the
 * stored one" (`storedSecret`); what names the connection stays (its id, so the wizard shows it as
 * the one chosen; the username, an OAuth account and state, who provides it). Anything else: no
 * form.
 */
export function formFromStored(stored: unknown): { form: ConnectionForm | undefined; storedSecret: boolean } {
  const value = (stored ?? {}) as Record<string, unknown>;
  if (!["api-key", "basic", "oauth2"].includes(value.kind as string)) return { form: undefined, storedSecret: false };
  const form: Record<string, unknown> = { kind: value.kind };
  for (const key of ["username", "status", "account", "connectionId", "providedBy"]) if (typeof value[key] == "string") form[key] = value[key];
  return { form: form as ConnectionForm, storedSecret: !!(value.apiKey || value.password) };
}

/**
 * What goes over the wire for a connection's form value: a new secret only when one was typed,
 * a new OAuth grant only when one was made, else the connection it uses (`{ connectionId }`, also
 * for a bare `{ connectionId }` a custom UI passes). `undefined` means "send nothing for this
 * key" (a stored OAuth grant stays as it is, and so does anything that is not a connection form).
 */
export function connectionInputOf(form: unknown): ConnectionInput | undefined {
  if (!form || typeof form != "object") return undefined;
  const value = form as Record<string, unknown>;
  const typed = (key: string) => (typeof value[key] == "string" && value[key] !== "" ? (value[key] as string) : undefined);
  const { kind } = value;
  const secret = typed(kind == "api-key" ? "apiKey" : kind == "basic" ? "password" : "grantId");
  const connectionId = typed("connectionId");
  if (!secret && connectionId) return { connectionId };
  if (kind == "api-key") return secret ? { kind: "api-key", apiKey: secret } : { kind: "api-key" };
  if (kind == "basic") return { kind: "basic", username: value.username as string, ...(secret && { password: secret }) };
  return kind == "oauth2" && secret ? { kind: "oauth2", grantId: secret } : undefined;
}
