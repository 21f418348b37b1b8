/**
 * Picking a connection in the wizard, for the frame's connection field and the headless wizard
 * alike: which of the customer's connections a field can use (their own and the ones the host
 * organization provides, of the field's app and kind), the form value that makes the field use
 * one (sent as `{ connectionId }`, so one Slack connection serves several instances), and the
 * one a form value uses now.
 *
 * Nothing here picks a connection by itself: a new setup starts on "new connection", a saved one
 * on the connection it uses, and a connection that needs reconnecting is marked (`usable: false`)
 * and used only when asked for by id. Kept out of client/wizard.ts so the headless entry does not
 * carry it (the headless client loads it with its connection functions).
 */
import type { Connection, ConfigVarDefinition } from "../contract/api-types.ts";
import type { ConnectionForm } from "../contract/connection-form.ts";
import { ClientErrorCode } from "../contract/errors.ts";
import { EmporiumApiError } from "./error.ts";

type ConnectionField = Extract<ConfigVarDefinition, { type: "connection" }>;

/** One connection a field can use, as a picker lists it. */
export interface ConnectionChoice {
  connection: Connection;
  /** The app accepts it now; a `needs-reconnect` one is listed, marked, and never chosen for the user. */
  usable: boolean;
  /** The host organization provides it (its name): usable, its secret never shown or changed (S4). */
  providedBy?: string;
}

/**
 * The connections `field` can use, from the customer's list (`GET /connections`): same app and
 * kind, usable ones first, then by name (the platform lists oldest first).
 */
export function connectionChoices(field: ConnectionField, connections: readonly Connection[]): ConnectionChoice[] {
  const { app, kind } = field.connection;
  return connections
    .filter((c) => c.app == app && c.kind == kind)
    .map((connection) => ({
      connection,
      usable: connection.status == "active",
      ...(connection.providedBy !== undefined && { providedBy: connection.providedBy }),
    }))
    .sort((a, b) => Number(b.usable) - Number(a.usable) || a.connection.name.localeCompare(b.connection.name));
}

/** The connection a form value uses (picked, made by an OAuth flow, or saved); undefined for a new one. */
export function chosenConnectionId(value: unknown): string | undefined {
  const id = (value as { connectionId?: unknown } | null | undefined)?.connectionId;
  return typeof id == "string" && id != "" ? id : undefined;
}

/**
 * The form value that makes `field` use `connection`. No secret travels with it: what was typed
 * for a new connection stays with the caller, who gives it back if the user switches to "new".
 * An OAuth connection keeps its account and state, so the field shows who it is connected as.
 */
export function formForConnection(field: ConnectionField, connection: Connection): ConnectionForm {
  const { kind } = field.connection;
  const base = { connectionId: connection.id };
  if (kind == "oauth2")
    return { kind, status: connection.status == "active" ? "active" : "error", ...(connection.account !== undefined && { account: connection.account }), ...base };
  if (kind == "basic") {
    const username = connection.credentials?.kind == "basic" ? connection.credentials.username : undefined;
    return { kind, username: username ?? "", ...base };
  }
  return { kind, ...base };
}

/**
 * The form value for "use the connection with this id", checked against the field's choices:
 * an id that is not one of them (another app or kind, or not the customer's) is an
 * `INVALID_OPTION` naming the field, before any request.
 */
export function pickConnection(field: ConnectionField, choices: readonly ConnectionChoice[], id: string): ConnectionForm {
  const choice = choices.find((c) => c.connection.id == id);
  if (!choice) {
    const { app, kind } = field.connection;
    throw new EmporiumApiError(ClientErrorCode.InvalidOption, `"${id}" is not one of your ${app} connections (${kind}) for "${field.key}"`);
  }
  return formForConnection(field, choice.connection);
}
