/**
 * For the over-HTTP tests of changes that cannot be stored: a platform on a state file with a
 * Jira instance deployed, whose runs with the summary "poison" carry a value JSON.stringify cannot
 * write (its `toJSON` throws what V8 throws past its string limit, or `unwritable`'s error). The failure is injected at the
 * store's add and update; everything from the store to the writer thread and the answer is the
 * real path.
 */
import { startPlatformServer, type PlatformServer } from "./http-server.ts";
import { createTestOrganization } from "../fixtures/test-organization.ts";
import { deployWith } from "../testing/deploy-with.ts";
import { jiraValues } from "../testing/jira-values.ts";
import { Store } from "../domain/changes.ts";
import type { StoredExecution } from "../domain/store.ts";

export interface PoisonedWebhooks {
  server: PlatformServer;
  /** The webhook's path: it holds the webhook's token. */
  webhookPath: string;
  /** A token of the instance's customer (acme), for API calls. */
  customerToken: string;
  /** POSTs `{ summary }` to the instance's webhook (with these headers too: `Prefer`, say; and these fields: `message` makes the flow call Jira). */
  post: (summary: string, headers?: Record<string, string>, fields?: Record<string, string>) => Promise<Response>;
  /** Closes the server and starts it again on its state file (the injection is not carried over). */
  restart: () => Promise<PlatformServer>;
  /** The summaries of the instance's runs as the running server reads them. */
  summaries: () => string[];
  /**
   * Holds every write back until `release()`: the changes made meanwhile then go in one write
   * together (group commit's own path, only its timing chosen), so a test knows they share it.
   */
  hold: () => { release: () => void };
  /**
   * Waits until no write is in flight, then makes Jira answer after 40 ms: a run whose flow calls
   * it (a `message` field) then has its start in a write of its own, made while the flow waits,
   * and its end in a later one. (A set-up write still in flight on a busy machine would hold the
   * start until the flow ended, and the two would share a write.)
   */
  slowJira: () => Promise<void>;
}

const summaryOf = (e: StoredExecution) => (e.payload as { summary?: string } | undefined)?.summary;

/** A value whose JSON throws what V8 throws past its string limit. */
const pastStringLimit = {
  toJSON: () => {
    throw new RangeError("Invalid string length");
  },
};

export async function poisonedWebhooks(stateFile: string, organizationId: string, unwritable: object = pastStringLimit): Promise<PoisonedWebhooks> {
  const org = await createTestOrganization({ id: organizationId });
  const start = () => startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
  let server = await start();
  const customerToken = await org.signToken({ customer: "acme" });
  const caller = await server.platform.access.authenticate(customerToken);
  const { body } = await deployWith(server.platform, caller, "jira", jiraValues(), server.url);
  const instanceId = body.instance.id;
  const webhookPath = new URL(body.instance.flows.find((flow) => flow.webhookUrl)!.webhookUrl!).pathname;

  const executions = Store.of(server.platform.snapshot()).executions;
  const poisoned = (e: StoredExecution) => (summaryOf(e) === "poison" ? ({ ...e, unwritable } as StoredExecution) : e);
  const { add, update } = executions;
  executions.add = (e) => add(poisoned(e));
  executions.update = (e) => update(poisoned(e));

  const handle: PoisonedWebhooks = {
    server,
    webhookPath,
    customerToken,
    post: (summary, headers = {}, fields = {}) => fetch(server.url + webhookPath, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify({ ...fields, summary }) }),
    restart: async () => {
      await server.close();
      handle.server = server = await start();
      return server;
    },
    hold: () => {
      const store = Store.of(server.platform.snapshot());
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const commit = store.commit.bind(store);
      store.commit = () => released.then(commit);
      return { release: () => (Reflect.deleteProperty(store, "commit"), release()) };
    },
    slowJira: async () => {
      await server.platform.idle();
      await server.platform.commit();
      server.platform.apps.latency.set("Jira", 40);
    },
    summaries: () =>
      Store.of(server.platform.snapshot())
        .executions.page({ organizationId: org.registration.id, instanceId }, { limit: 50 })
        .map(summaryOf)
        .filter((summary): summary is string => summary !== undefined)
        .sort(),
  };
  return handle;
}
