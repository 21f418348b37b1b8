import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryBackend } from "./memory-backend.ts";
import type { StoredExecution } from "./store.ts";
import { createPlatform } from "./platform.ts";
import { createManualClock } from "./clock.ts";
import { createTestOrganization } from "../fixtures/test-organization.ts";
import { deployWith } from "../testing/deploy-with.ts";
import { jiraValues } from "../testing/jira-values.ts";

function execution(i: number, status: StoredExecution["status"] = "succeeded"): StoredExecution {
  return {
    id: `exe_${String(i).padStart(6, "0")}`,
    instanceId: `ins_${i % 3}`,
    flowId: "flow",
    flowName: "Flow",
    trigger: "webhook",
    status,
    startedAt: new Date(Date.UTC(2026, 11, 6) + i * 1000).toISOString(),
    logs: [],
    stepResults: {},
    organizationId: "org_1",
    customerId: "cus_1",
  };
}

afterEach(() => vi.restoreAllMocks());

describe("memory backend", () => {
  it("a write carries only the executions changed since the last one, and a restart sees all of them", async () => {
    const backend = new MemoryBackend();
    for (let i = 0; i < 500; i++) backend.executions.add(execution(i));
    await backend.write([]);

    backend.executions.add(execution(501, "running"));
    backend.executions.update({ ...execution(7), status: "failed", error: "boom" });
    backend.executions.removeInstance("ins_2");
    const stringify = vi.spyOn(JSON, "stringify");
    await backend.write([]);
    // The new run and the updated one; the removed ones are only deleted. Not the 300 others.
    expect(stringify).toHaveBeenCalledTimes(2);
    stringify.mockRestore();

    // A restart reads what was written: the first write's runs, the second write's changes.
    [...backend.loadRecords()];
    const restarted = backend.executions;
    expect(restarted.size()).toBe(501 - 166);
    expect(restarted.get("exe_000007")).toMatchObject({ status: "failed", error: "boom" });
    expect(restarted.get("exe_000501")?.status).toBe("running");
    expect(restarted.countOf("ins_2")).toBe(0);
    expect(restarted.page({ organizationId: "org_1", instanceId: "ins_1" }, { limit: 2 }).map((e) => e.id)).toEqual(["exe_000499", "exe_000496"]);
  });

  it("a change made after the last write is lost on a restart, as on a disk", async () => {
    const backend = new MemoryBackend();
    backend.executions.add(execution(1));
    await backend.write([]);
    backend.executions.add(execution(2));
    [...backend.loadRecords()];
    expect(backend.executions.get("exe_000002")).toBeUndefined();
    expect(backend.executions.get("exe_000001")).toBeDefined();
    // …and is not written later by the restarted backend either.
    await backend.write([]);
    [...backend.loadRecords()];
    expect(backend.executions.size()).toBe(1);
  });

  it("verify: a restart is no change (a loaded record has its schema's key order), a change nobody announced still is", async () => {
    const clock = createManualClock();
    const backend = new MemoryBackend();
    let platform = createPlatform({ clock, backend });
    const org = await createTestOrganization({ platform });
    const caller = await platform.access.authenticate(await org.signToken({}, {}, clock.now()));
    const { instance } = (await deployWith(platform, caller, "jira", jiraValues(), "http://platform.test")).body;
    // A failing run: an alert, and the instance's monitors, each made in memory in its code's key order.
    const token = new URL(instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname.split("/").pop()!;
    await platform.webhooks.invoke(token, { severity: "no message" }, { async: false });
    await platform.idle();
    await platform.commit();
    platform.dispose();
    platform = createPlatform({ clock, backend });
    try {
      expect(Object.keys(platform.snapshot().alerts)).toHaveLength(1);
      expect(backend.verify(platform.snapshot())).toEqual([]);
      platform.snapshot().instances[instance.id]!.name = "Renamed, not announced";
      expect(backend.verify(platform.snapshot())).toEqual([`instances/${instance.id} changed without being announced`]);
    } finally {
      platform.dispose();
    }
  });
});
