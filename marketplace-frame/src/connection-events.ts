/**
 * `connection-needs-reconnect` to the host: once per connection per frame, when the frame learns
 * that the app no longer accepts one of the customer's connections — the Connections screen's
 * list (or a test), the instance page of an instance using it, the dashboard showing an instance
 * that needs a reconnect. Ids only: the connection, its app and the instances using it (no names,
 * no account, no secret). A reconnect makes the next refusal news again.
 * The instance page and the dashboard load this module (and the connections API) only when they
 * see something needing a reconnect.
 */
import type { Connection } from "../../contract/api-types.ts";
import { connectionsApi } from "../../client/connections-api.ts";
import type { Frame } from "./frame.ts";
import { toldOnce } from "./told-once.ts";

export function reconnectEvents(frame: Pick<Frame, "emit">) {
  const seen = toldOnce(frame, "reconnect");
  return {
    /** Tells the host about each connection here that needs a reconnect and was not told yet. */
    seen(connections: readonly Connection[]): void {
      for (const c of connections) {
        if (c.status !== "needs-reconnect" || seen.has(c.id)) continue;
        seen.add(c.id);
        frame.emit("connection-needs-reconnect", { connectionId: c.id, app: c.app, instanceIds: [...new Set(c.usedBy.map((u) => u.instanceId))] });
      }
    },
    /** The connection works again (reconnected, or a test passed). */
    healed(id: string): void {
      seen.delete(id);
    },
  };
}

/**
 * Asks the platform which connections need a reconnect and tells the host (of `ids` only, when
 * given: the ones an instance page found refused). A failure tells nothing: the screen that
 * called it already shows what it knows.
 */
export async function reportNeedsReconnect(frame: Pick<Frame, "emit" | "api">, ids?: readonly string[]): Promise<void> {
  try {
    const list = await connectionsApi(frame.api.call).listConnections();
    reconnectEvents(frame).seen(ids ? list.filter((c) => ids.includes(c.id)) : list);
  } catch {
    // Nothing to tell.
  }
}
