/**
 * Review of the batch's hand-over to the writer thread (issue 18, helper `wire`: the batch goes as
 * one framed string and a layout of lengths instead of nested arrays). Whatever the form, what a
 * batch carries must come back exactly — after the writer commits it (reads then come from the
 * table, not the overlay) and after a restart — whatever the values hold: the framing's own
 * separators and digits, text beyond ASCII, lone surrogates (a frame measured in UTF-8 bytes on
 * one side and UTF-16 units on the other would shift every later field), NUL, empty strings,
 * 1 MiB values, null vs "" vs absent, numbers and booleans with their types, `__proto__` keys,
 * and batches of records only, executions only, or nothing. A refused batch retried, secrets
 * sealed on disk and a key rotation's re-seal go through the same hand-over.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteBackend } from "./sqlite-backend.ts";
import { StateStores } from "./state-stores.ts";
import { createSecretBox, keyIdOf } from "./secret-box.ts";
import type { RecordWrite } from "../domain/changes.ts";
import type { StoredExecution } from "../domain/store.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

const T0 = Date.UTC(2026, 11, 7);
/** Values that a framing could mistake for its own structure, or measure wrong. */
const ODD = ["", "|", "9", "12:34", "0,1;2", "\u0000", "a\u0000b", "é", "😀", "\ud800", "\udc00", "x\ud83d", "\ude00y", '"', "\\", "\n", "\r\n", "\u2028", "11111"];

function execution(i: number, extra: Partial<StoredExecution> & Record<string, unknown> = {}): StoredExecution {
  return {
    id: `exe_${String(i).padStart(5, "0")}`,
    instanceId: "ins_a",
    flowId: "flow",
    flowName: "Flow",
    trigger: "webhook",
    status: "succeeded",
    startedAt: new Date(T0 + i * 1000).toISOString(),
    logs: [],
    stepResults: {},
    organizationId: "org_1",
    customerId: "cus_1",
    ...extra,
  } as StoredExecution;
}

/** The execution's JSON with its top-level keys sorted (the store reads its columns back in another order). */
const canonical = (e: unknown) => JSON.stringify(Object.fromEntries(Object.entries(e as object).sort(([a], [b]) => (a < b ? -1 : 1))));

/** A column value after SQLite: a lone surrogate may come back as U+FFFD (text is stored as UTF-8), but nothing else changes. */
const asStored = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

const customer = (id: string, name: string): RecordWrite => ({ kind: "customers", id, record: { id, organizationId: "org_1", externalId: id, name, createdAt: 0 } });
const records = (b: SqliteBackend) => new Map([...b.loadRecords()].map((r) => [`${r.kind} ${r.id}`, r.record]));

describe("review7: the batch's hand-over keeps every value whole", () => {
  it("executions with odd text, 1 MiB values, null/''/absent, numbers, booleans and __proto__ keys read back exactly after the commit and after a restart", async () => {
    const b = stores.open(stores.freshPath());
    const big = "é😀x".repeat((1 << 20) / 4);
    const payload = JSON.parse(`{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}, "big": ${JSON.stringify(big)}, "empty": "", "none": null, "zero": 0, "negative": -1.5, "huge": 1e21, "tiny": 5e-324, "yes": true, "no": false, "nested": [[], {}, [null, ""]], "odd": ${JSON.stringify(ODD)}}`);
    const runs = [
      execution(1, { flowName: ODD.join(""), logs: ODD.map((message) => ({ at: "2026-12-07T00:00:00.000Z", level: "info" as const, message, step: message })), payload, output: null, error: "" }),
      // Separators and surrogate halves in the columns themselves, at the edges of neighbouring fields.
      // (No NUL in a column: SQLite's binding ends a column's text at NUL, before tonight too; every
      // column value is the platform's own id or enum. NUL inside the JSON column is above.)
      execution(2, { flowId: "f|9:é😀x\ud83d", customerId: "\ude00cus|2", organizationId: "org_1", status: "failed", stepResults: JSON.parse('{"__proto__": {"kind": "map"}, "": {"kind": "log"}}') }),
      execution(3, { output: undefined, durationMs: 0, payloadTruncated: false }),
      execution(4, { flowName: "", logs: [], output: { n: 0, s: "", b: false, a: [] }, durationMs: 1.25 }),
    ];
    for (const run of runs) b.executions.add(run);
    await b.write([]);

    const check = (store: SqliteBackend) => {
      const [one, two, three, four] = runs.map((run) => store.executions.get(run.id)!);
      expect(canonical(one)).toBe(canonical(runs[0]));
      expect(one.output).toBeNull();
      expect(one.error).toBe("");
      expect((one.payload as { big: string }).big).toBe(big);
      expect(Object.hasOwn(one.payload as object, "__proto__")).toBe(true);
      expect(Object.getPrototypeOf(one.payload)).toBe(Object.prototype);
      // Every column as written (a lone surrogate at most replaced); the fields after it not shifted.
      expect(two.flowId).toBe(asStored(runs[1].flowId));
      expect(two.customerId).toBe(asStored(runs[1].customerId));
      expect([two.status, two.trigger, two.startedAt, two.instanceId, two.organizationId]).toEqual(["failed", "webhook", runs[1].startedAt, "ins_a", "org_1"]);
      expect(JSON.stringify(two.stepResults)).toBe('{"__proto__":{"kind":"map"},"":{"kind":"log"}}');
      expect(Object.hasOwn(three, "output")).toBe(false);
      expect(three.durationMs).toBe(0);
      expect(three.payloadTruncated).toBe(false);
      expect(canonical(four)).toBe(canonical(runs[3]));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    };
    check(b);
    check(await stores.restart(b));
  });

  it("records with the same odd values (names, ids, __proto__ keys, NUL in the JSON, 1 MiB) read back exactly; deletes and replaces in the same batch; nothing else changes", async () => {
    let b = stores.open(stores.freshPath());
    await b.write([customer("cus_keep", "kept"), customer("cus_gone", "to delete"), customer("cus_swap", "v1")]);
    const big = "ü".repeat(1 << 20);
    const meta = JSON.parse('{"__proto__": {"x": 1}, "v": [1, "1", true, null, ""], "nul": "a\\u0000b"}');
    const batch: RecordWrite[] = [
      ...ODD.map((name, i) => customer(`cus_odd_${i}`, name)),
      customer("cus_|9:é😀", ODD.join("")),
      customer("cus_big", big),
      { kind: "customers", id: "cus_meta", record: { ...(customer("cus_meta", "meta").record as object), meta } },
      { kind: "customers", id: "cus_gone", record: undefined },
      customer("cus_swap", "v2"),
    ];
    await b.write(batch);
    const expected = new Map<string, unknown>([
      ["customers cus_keep", (customer("cus_keep", "kept").record as object)],
      ["customers cus_swap", customer("cus_swap", "v2").record],
      ...ODD.map((name, i) => [`customers cus_odd_${i}`, customer(`cus_odd_${i}`, name).record] as [string, unknown]),
      ["customers cus_|9:é😀", customer("cus_|9:é😀", ODD.join("")).record],
      ["customers cus_big", customer("cus_big", big).record],
      ["customers cus_meta", { ...(customer("cus_meta", "meta").record as object), meta }],
    ]);
    const check = (store: SqliteBackend) => {
      const got = records(store);
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [key, record] of expected) expect(JSON.stringify(got.get(key)), key).toBe(JSON.stringify(record));
    };
    check(b);
    b = await stores.restart(b);
    check(b);
    // A later batch that deletes and replaces among them touches nothing else.
    await b.write([{ kind: "customers", id: "cus_odd_5", record: undefined }, customer("cus_odd_6", "replaced")]);
    expected.delete("customers cus_odd_5");
    expected.set("customers cus_odd_6", customer("cus_odd_6", "replaced").record);
    check(await stores.restart(b));
  });

  it("a batch of records only, of executions only, of retention cuts only, and an empty one each commit as they are", async () => {
    let b = stores.open(stores.freshPath());
    await b.write([]); // nothing at all
    await b.write([customer("cus_1", "only a record")]);
    for (let i = 0; i < 6; i++) b.executions.add(execution(i));
    b.executions.add(execution(50, { instanceId: "ins_b" }));
    await b.write([]); // executions only
    expect(b.executions.trim("ins_a", 2, 0)).toBe(T0 + 3000);
    await b.write([]); // one "through" cut only
    b.executions.removeInstance("ins_b");
    await b.write([]); // one whole-instance cut only
    await b.write([]);
    b = await stores.restart(b);
    expect(b.executions.page({ organizationId: "org_1" }, { limit: 100 }).map((e) => e.id)).toEqual(["exe_00005", "exe_00004"]);
    expect(b.executions.countOf("ins_b")).toBe(0);
    expect([...records(b).keys()]).toEqual(["customers cus_1"]);
  });

  it("changes still waiting at close (new runs, an update, a retention cut, an instance's removal) are written by close itself", async () => {
    let b = stores.open(stores.freshPath());
    for (let i = 0; i < 6; i++) b.executions.add(execution(i, { status: "running" }));
    b.executions.add(execution(60, { instanceId: "ins_gone" }));
    await b.write([]);
    b.executions.add(execution(6, { flowName: ODD.join("") }));
    b.executions.update(execution(5, { status: "failed", error: ODD.join("") }));
    b.executions.trim("ins_a", 3, 0);
    b.executions.removeInstance("ins_gone");
    b = await stores.restart(b); // close() with all of it pending
    expect(b.executions.page({ organizationId: "org_1" }, { limit: 100 }).map((e) => [e.id, e.status])).toEqual([
      ["exe_00006", "succeeded"],
      ["exe_00005", "failed"],
      ["exe_00004", "running"],
    ]);
    expect(b.executions.get("exe_00005")!.error).toBe(ODD.join(""));
    expect(b.executions.get("exe_00006")!.flowName).toBe(ODD.join(""));
    expect(b.executions.countOf("ins_gone")).toBe(0);
  });

  it("a refused batch (puts, a retention cut, records) goes again with the next write: each run once, the cut applied, the records as they are then", async () => {
    let b = stores.open(stores.freshPath());
    for (let i = 0; i < 5; i++) b.executions.add(execution(i));
    await b.write([]);
    for (let i = 5; i < 8; i++) b.executions.add(execution(i, { flowName: ODD.join("") }));
    b.executions.trim("ins_a", 4, 0);
    // A record the writer fails on: the whole batch fails there.
    stores.failBatchesWriting(b, "customers", "cus_bad");
    await expect(b.write([customer("cus_a", "first try"), customer("cus_bad", "failed by the writer")])).rejects.toThrow(/could not write the state database/);
    // The domain still sees its changes, though nothing was committed.
    expect(b.executions.page({ organizationId: "org_1" }, { limit: 100 }).map((e) => e.id)).toEqual(["exe_00007", "exe_00006", "exe_00005", "exe_00004"]);
    b.executions.add(execution(8));
    await b.write([customer("cus_a", "second try")]);
    await b.write([]);
    b = await stores.restart(b);
    expect(b.executions.page({ organizationId: "org_1" }, { limit: 100 }).map((e) => e.id)).toEqual(["exe_00008", "exe_00007", "exe_00006", "exe_00005", "exe_00004"]);
    expect(b.executions.get("exe_00006")!.flowName).toBe(ODD.join(""));
    expect(b.executions.size()).toBe(5);
    expect([...records(b)].map(([key, r]) => `${key}=${(r as { name: string }).name}`)).toEqual(["customers cus_a=second try"]);
  });
});

describe("review7: secrets through the hand-over", () => {
  const endpoint = (id: string, secret: string): RecordWrite => ({ kind: "notificationEndpoints", id, record: { id, organizationId: "org_1", url: "https://hooks.example/x", secrets: [{ secret, createdAt: 0 }] } } as unknown as RecordWrite);
  /** The state file, its WAL and its shared memory, as bytes. */
  const onDisk = (path: string) =>
    readdirSync(dirname(path))
      .filter((f) => f.startsWith("state-"))
      .map((f) => readFileSync(`${dirname(path)}/${f}`).toString("latin1"))
      .join("\n");

  it("P7 canary secrets (one beside framing characters) are sealed on disk, open exactly after a restart, and a key rotation re-seals every one under the new key with no old-key text left", async () => {
    const oldKey = Buffer.alloc(32, 7);
    const newKey = Buffer.alloc(32, 8);
    const canaries = ["canary-7f3e-plain", "canary|9:\u0000é😀-odd", `canary-${"z".repeat(4096)}`];
    const path = stores.freshPath();
    const first = new SqliteBackend(path, { secrets: createSecretBox(oldKey) });
    [...first.loadRecords()];
    await first.write(canaries.map((secret, i) => endpoint(`ne_${i}`, secret)));
    await first.close();
    let disk = onDisk(path);
    for (const canary of canaries) expect(disk).not.toContain(canary.slice(0, 17));
    expect(disk).toContain(`enc:v1:${keyIdOf(oldKey)}:`);

    const rotated = new SqliteBackend(path, { secrets: createSecretBox(newKey, [oldKey]) });
    const opened = [...rotated.loadRecords()].map((r) => (r.record as { secrets: { secret: string }[] }).secrets[0].secret);
    expect(opened).toEqual(canaries);
    expect(rotated.resealed).toBe(canaries.length);
    await rotated.close();
    disk = onDisk(path);
    expect(disk).not.toContain(`enc:v1:${keyIdOf(oldKey)}:`);
    expect(disk).toContain(`enc:v1:${keyIdOf(newKey)}:`);
    for (const canary of canaries) expect(disk).not.toContain(canary.slice(0, 17));

    // The new key alone opens them all.
    const after = new SqliteBackend(path, { secrets: createSecretBox(newKey) });
    try {
      expect([...after.loadRecords()].map((r) => (r.record as { secrets: { secret: string }[] }).secrets[0].secret)).toEqual(canaries);
      expect(after.resealed).toBe(0);
    } finally {
      await after.close();
    }
  });
});
