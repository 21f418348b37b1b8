/**
 * Review of the group-commit error isolation as the three backends see it: one random sequence of
 * run changes (new runs and updates, some of which cannot be stored, on two instances), retention
 * cuts, instances removed, writes started without waiting for the one before, and restarts, played
 * on the state file (SQLite), in memory and in IndexedDB. After every write that was waited for and
 * after every restart, each backend gives the same answers: which changes each write refused, every
 * page of each instance's runs (as a client pages them, 3 at a time) and each instance's count.
 */
import fc from "fast-check";
import { afterEach, expect, it } from "vitest";
import { UnstorableChangeError, type Store, type StoreBackend } from "../domain/changes.ts";
import type { StoredExecution } from "../domain/store.ts";
import { StateStores } from "./state-stores.ts";
import { storeOver, threeBackends } from "./three-backends.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

const INSTANCES = ["ins_p", "ins_q"];

type Step =
  | { op: "add"; instance: number; second: number; bad: boolean }
  | { op: "update"; pick: number; status: StoredExecution["status"]; bad: boolean }
  | { op: "trim"; instance: number; keep: number }
  | { op: "remove"; instance: number }
  | { op: "start" }
  | { op: "commit" }
  | { op: "restart" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("add" as const), instance: fc.nat(1), second: fc.nat(40), bad: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("update" as const), pick: fc.nat(), status: fc.constantFrom<StoredExecution["status"]>("succeeded", "failed"), bad: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("trim" as const), instance: fc.nat(1), keep: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), instance: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.constant({ op: "start" as const }) },
  { weight: 3, arbitrary: fc.constant({ op: "commit" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "restart" as const }) },
);

const cannotBeStored = {
  toJSON() {
    throw new RangeError("Invalid string length");
  },
};

function runOf(n: number, instance: string, second: number, status: string, bad: boolean): StoredExecution {
  return { id: `exe_${String(n).padStart(3, "0")}`, instanceId: instance, flowId: "f", flowName: "F", trigger: "webhook", status, startedAt: new Date(Date.UTC(2026, 11, 7, 2, 0, second)).toISOString(), logs: [], stepResults: bad ? { s: cannotBeStored } : {}, organizationId: "org_p", customerId: "cus_p" } as StoredExecution;
}

/** Every page of each instance (3 at a time, each after the last of the one before) and its count. */
function answers(store: Store): string[] {
  const out: string[] = [];
  for (const instanceId of INSTANCES) {
    const seen: string[] = [];
    let after: StoredExecution | undefined;
    for (;;) {
      const page = store.executions.page({ organizationId: "org_p", instanceId }, { after, limit: 3 });
      seen.push(page.map((e) => `${e.id}@${e.startedAt.slice(14, 19)}:${e.status}`).join(" "));
      if (page.length < 3) break;
      after = page[2];
    }
    out.push(`${instanceId} count ${store.executions.countOf(instanceId)} | ${seen.join(" / ")}`);
  }
  return out;
}

/** A write's outcome: durable, the changes it refused (the rest durable), or failed. */
const outcome = (error: unknown) => (error === undefined ? "durable" : error instanceof UnstorableChangeError ? `refused ${error.refused.map((r) => r.slice(0, r.indexOf(":"))).sort().join(", ")}` : `failed ${String(error)}`);

/** Plays the steps on one backend; what it answered after each write waited for, and each restart. */
async function play(backendUnderTest: ReturnType<typeof threeBackends>[number], steps: Step[]): Promise<string[]> {
  let backend: StoreBackend = backendUnderTest.open();
  let store = storeOver(backend);
  const transcript: string[] = [];
  let pending: Array<Promise<unknown>> = [];
  const settle = async () => {
    const results = await Promise.all(pending.map((write) => write.then(() => undefined, (error: unknown) => error)));
    pending = [];
    return results.map(outcome);
  };
  let next = 0;
  for (const s of steps) {
    if (s.op === "add") store.executions.add(runOf(++next, INSTANCES[s.instance], s.second, "running", s.bad));
    else if (s.op === "update") {
      const ids = INSTANCES.flatMap((instanceId) => store.executions.page({ organizationId: "org_p", instanceId }, { limit: 100 }).map((e) => e.id)).sort();
      const current = ids.length > 0 ? store.executions.get(ids[s.pick % ids.length]) : undefined;
      if (current) store.executions.update({ ...current, status: s.status, stepResults: s.bad ? { s: cannotBeStored } : {} });
    } else if (s.op === "trim") store.executions.trim(INSTANCES[s.instance], s.keep, 0);
    else if (s.op === "remove") store.executions.removeInstance(INSTANCES[s.instance]);
    else if (s.op === "start") pending.push(store.commit());
    else if (s.op === "commit") {
      pending.push(store.commit());
      transcript.push(`commit: ${(await settle()).join(" ; ")}`, ...answers(store));
    } else {
      pending.push(store.commit());
      transcript.push(`before restart: ${(await settle()).join(" ; ")}`);
      backend = await backendUnderTest.restart(backend);
      store = storeOver(backend);
      transcript.push("restarted", ...answers(store));
    }
  }
  pending.push(store.commit());
  transcript.push(`end: ${(await settle()).join(" ; ")}`, ...answers(store));
  backend = await backendUnderTest.restart(backend);
  transcript.push("restarted at the end", ...answers(storeOver(backend)));
  return transcript;
}

it("review8: the state file, memory and IndexedDB give the same refusals, pages and counts for any sequence of storable and unstorable run changes, cuts, removals, overlapping writes and restarts", async () => {
  const [sqlite, ...others] = threeBackends(stores);
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
      const expected = await play(sqlite, steps);
      for (const other of others) expect(await play(other, steps), other.name).toEqual(expected);
      await stores.dispose();
    }),
    { numRuns: 40 },
  );
}, 300_000);
