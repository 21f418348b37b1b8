/**
 * A child program for the stop tests (unstorable-webhook.test.ts): the platform on the state file
 * given as its argument, stopped by SIGINT or SIGTERM through `stopOnSignals` as the standalone
 * server and `npm start` are. As the stop reaches its last write (the platform's `dispose`, right
 * before its store closes), three changes are made: a run and a customer that can be stored, and
 * a run whose JSON throws (what V8 throws past its string limit). Prints one line when ready.
 */
import { dirname, join } from "node:path";
import { startPlatformServer, stopOnSignals } from "./http-server.ts";
import { Store } from "../domain/changes.ts";
import type { Snapshot, StoredExecution } from "../domain/store.ts";

const stateFile = process.argv[2]!;
const server = await startPlatformServer({ port: 0, stateFile, frameDir: join(dirname(stateFile), "no-frame") });
const store = Store.of(server.platform.snapshot());
const run = (id: string): StoredExecution =>
  ({ id, instanceId: "ins_stop", flowId: "f", flowName: "F", trigger: "webhook", status: "succeeded", startedAt: "2026-12-07T08:00:00.000Z", logs: [], stepResults: {}, organizationId: "org_stop", customerId: "cus_stop" }) as StoredExecution;
const unwritable = {
  toJSON: () => {
    throw new RangeError("Invalid string length");
  },
};
const dispose = server.platform.dispose.bind(server.platform);
server.platform.dispose = () => {
  dispose();
  store.executions.add(run("exe_kept"));
  store.executions.add({ ...run("exe_refused"), unwritable } as StoredExecution);
  store.tables.customers.cus_stop = { id: "cus_stop", organizationId: "org_stop", externalId: "stop", name: "Stop", createdAt: 0 } as Snapshot["customers"][string];
  store.changed("customers", "cus_stop");
};
stopOnSignals(() => server.close());
console.log(JSON.stringify({ ready: true }));
