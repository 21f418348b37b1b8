/**
 * A write that fails (a full disk, an I/O error) is tried again after a pause that doubles, not
 * on the next macrotask: before, the failed write's changes were announced again, which started
 * the next write at once, and a failing disk was tried about a thousand times a second with a log
 * line each time (170 writes and 170 lines in 200 ms here). A change nobody awaits is still
 * written once the disk is back, and a request's commit still tries at once.
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Store } from "./changes.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { createEmptySnapshot, type Snapshot } from "./store.ts";

let store: Store;
let backend: MemoryBackend;
let failing = true;
let tries = 0;
let lines: unknown[][] = [];

beforeEach(() => {
  vi.useFakeTimers();
  lines = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args));
  backend = new MemoryBackend();
  const write = backend.write.bind(backend);
  failing = true;
  tries = 0;
  backend.write = (records) => {
    tries++;
    return failing ? Promise.reject(new Error("disk full")) : write(records);
  };
  store = new Store(backend, createEmptySnapshot());
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function addCustomer(id: string): void {
  store.tables.customers[id] = { id, organizationId: "org_1", externalId: id, name: id, createdAt: 0 } as Snapshot["customers"][string];
  store.changed("customers", id);
}
const storedCustomers = () => [...backend.loadRecords()].map((r) => r.id).sort();

it("a failing disk is tried again after pauses that double (a few times in a minute, not thousands), and a change nobody awaits is written once it is back", async () => {
  addCustomer("cus_1");
  await vi.advanceTimersByTimeAsync(60_000);
  // 0, 0.1, 0.3, 0.7, 1.5, 3.1, 6.3, 12.7, 22.7, 32.7, 42.7, 52.7 s: twelve tries in a minute.
  expect(tries).toBe(12);
  expect(lines).toHaveLength(12);
  expect(storedCustomers()).toEqual([]);

  failing = false;
  await vi.advanceTimersByTimeAsync(10_000);
  expect(storedCustomers()).toEqual(["cus_1"]);
  const after = tries;
  await vi.advanceTimersByTimeAsync(60_000);
  expect(tries).toBe(after);
});

it("a request's commit while the disk fails tries at once and is told; once the disk is back, its next commit writes everything pending", async () => {
  addCustomer("cus_1");
  await expect(store.commit()).rejects.toThrow("disk full");
  addCustomer("cus_2");
  await expect(store.commit()).rejects.toThrow("disk full");
  failing = false;
  await store.commit();
  expect(storedCustomers()).toEqual(["cus_1", "cus_2"]);
});

it("a stop that fails on the failing disk (close rejects) leaves no retry behind: nothing is tried or logged after it, and no timer is left", async () => {
  addCustomer("cus_1");
  await expect(store.close()).rejects.toThrow("disk full");
  // (The group-commit write the change had scheduled is already due: it runs once, as before.)
  await vi.advanceTimersByTimeAsync(0);
  const after = tries;
  const said = lines.length;
  await vi.advanceTimersByTimeAsync(60_000);
  expect(tries).toBe(after);
  expect(lines).toHaveLength(said);
  expect(vi.getTimerCount()).toBe(0);
});
