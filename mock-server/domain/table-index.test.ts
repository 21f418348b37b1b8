import { describe, expect, it } from "vitest";
import { Store } from "./changes.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { createEmptySnapshot, type MonitorRecord } from "./store.ts";
import { keyOf, TableIndex } from "./table-index.ts";

function monitor(id: string, instanceId: string, kind: MonitorRecord["kind"] = "failure"): MonitorRecord {
  const at = "2026-12-06T09:00:00.000Z";
  return { id, instanceId, organizationId: "org", customerId: "cus", kind, name: "", occurrences: 1, windowMinutes: 60, quietMinutes: 60, enabled: true, createdAt: at, updatedAt: at, pending: [] };
}

describe("TableIndex", () => {
  it("follows every announced add, re-key and delete, and never enumerates the table after it is built", () => {
    const tables = createEmptySnapshot();
    let enumerations = 0;
    tables.monitors = new Proxy<Record<string, MonitorRecord>>({}, { ownKeys: (target) => (enumerations++, Reflect.ownKeys(target)) });
    const store = new Store(new MemoryBackend(), tables);
    for (let i = 0; i < 100; i++) tables.monitors[`mon_${i}`] = monitor(`mon_${i}`, `ins_${i % 10}`);
    const byInstance = TableIndex.of(tables, "monitors", "instance", (m) => m.instanceId);
    expect(TableIndex.of(tables, "monitors", "instance", (m) => m.instanceId)).toBe(byInstance);
    expect(enumerations).toBe(1);
    expect(byInstance.records("ins_3").map((m) => m.id)).toEqual(["mon_3", "mon_13", "mon_23", "mon_33", "mon_43", "mon_53", "mon_63", "mon_73", "mon_83", "mon_93"]);

    tables.monitors.mon_200 = monitor("mon_200", "ins_3");
    store.changed("monitors", "mon_200");
    tables.monitors.mon_13 = { ...tables.monitors.mon_13, instanceId: "ins_x" };
    tables.monitors.mon_23.enabled = false;
    delete tables.monitors.mon_33;
    store.changed("monitors", "mon_13", "mon_23", "mon_33");

    expect(byInstance.records("ins_3").map((m) => m.id)).toEqual(["mon_3", "mon_23", "mon_43", "mon_53", "mon_63", "mon_73", "mon_83", "mon_93", "mon_200"]);
    expect(byInstance.first("ins_x")?.id).toBe("mon_13");
    expect(byInstance.count("ins_3")).toBe(9);
    expect(byInstance.count("ins_none")).toBe(0);
    // A second index of the same table is built from it once; lookups never scan it.
    const byKind = TableIndex.of(tables, "monitors", "kind", (m) => keyOf(m.organizationId, m.kind));
    for (let i = 0; i < 50; i++) byKind.records(keyOf("org", "failure"));
    expect(byKind.count(keyOf("org", "failure"))).toBe(100);
    expect(enumerations).toBe(2);
  });
});
