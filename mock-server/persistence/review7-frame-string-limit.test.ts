/**
 * Regression test for rev7's finding on f2b45cd (the framed hand-over; fixed by cutting the
 * frame's text into strings of at most 2^28 characters, writer-frame.ts CHUNK): every string field of a batch is appended to ONE
 * string (writer-frame.ts, `#field`: `this.#text += value`), and V8 caps a string at 2^29 - 24
 * characters (~512 Mi). A batch whose fields add up to more — here 20 executions of ~27 M
 * characters each, e.g. step results that list a big mocked-app collection — throws a RangeError
 * while `takeBatch` steps the dirty executions (sqlite-executions.ts #stepDirty), which
 * SqliteBackend.write calls OUTSIDE its try: `failed(batch)` never runs, `#dirty` is never
 * cleared, the half-built frame stays, and every later write (however small) throws the same
 * RangeError: the platform answers 503 to every request until it restarts. Before f2b45cd each
 * row was its own string (one execution over the limit failed alone, at JSON.stringify).
 */
import { afterEach, expect, it } from "vitest";
import { StateStores } from "./state-stores.ts";
import type { StoredExecution } from "../domain/store.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

const run = (i: number, payload: unknown): StoredExecution =>
  ({ id: `exe_${String(i).padStart(5, "0")}`, instanceId: "ins_a", flowId: "f", flowName: "F", trigger: "webhook", status: "succeeded", startedAt: new Date(Date.UTC(2026, 11, 7, 0, 0, i)).toISOString(), logs: [], stepResults: {}, organizationId: "org_1", customerId: "cus_1", payload }) as StoredExecution;

it("a batch whose text passes V8's string limit is written (or refused alone), and the writes after it still work", async () => {
  const b = stores.open(stores.freshPath());
  const big = "x".repeat(27_000_000); // one string, shared: each execution's JSON copies it
  for (let i = 0; i < 20; i++) b.executions.add(run(i, { big }));
  await b.write([]).catch(() => undefined); // whether this batch can be written is debatable …
  b.executions.add(run(100, { small: true }));
  // … but a small write after it must not fail for ever.
  await b.write([]);
  expect(b.executions.get("exe_00100")).toMatchObject({ payload: { small: true } });
}, 300_000);
