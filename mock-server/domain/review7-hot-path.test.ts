/**
 * Review of the webhook's event-loop cuts (issue 18, fa0fa7c): log lines made once per step or
 * flow and reused, ids made with one `fromCharCode` over a reused array, and the background-work
 * counter that replaced a set of promises. Each test tries an edge where a cached or shared value
 * could show one run's (or one id's) state in another.
 */
import { describe, expect, it, vi } from "vitest";
import { runFlow, type RunEnvironment, type RunRequest } from "./flow-runner.ts";
import { newId, newSecretToken, newTimeId, timeOfId } from "./ids.ts";
import { PlatformContext } from "./context.ts";
import type { Clock } from "./clock.ts";
import type { FlowDefinition, FlowStep, IntegrationDefinition } from "../../contract/catalog.ts";
import type { CustomerRecord, InstanceRecord, Snapshot, StoredValue } from "./store.ts";
import type { Store } from "./changes.ts";
import type { LogLine } from "../../contract/api.ts";
import type { Catalog } from "./catalog.ts";
import type { PlatformPolicy } from "./policy.ts";
import type { RehearsalFlags } from "./scenario.ts";

const START = Date.UTC(2026, 11, 7, 1, 0, 0);

/**
 * A clock that reads the same instant however often it is read, and moves by the next of
 * `steps` (ms) while a step runs: the live tail is told as each step starts ("running"), and that
 * is where it moves, so a step's measured duration is exactly what the test chose.
 */
function scriptedEnv(steps: number[]): RunEnvironment {
  let now = START;
  let i = 0;
  const clock = { now: () => now, sleep: async () => {} } as unknown as Clock;
  const stepResults: Record<string, { status?: string }> = {};
  const logs: LogLine[] = [];
  const told = new Set<string>();
  const changed = () => {
    for (const [name, result] of Object.entries(stepResults)) {
      if (result.status !== "running" || told.has(name)) continue;
      told.add(name);
      now += steps[i++] ?? 0;
    }
  };
  return { snapshot: { oauthGrants: {}, connections: {} } as unknown as Snapshot, clock, latency: new Map(), live: { logs, stepResults, changed } } as unknown as RunEnvironment;
}

function flowOf(name: string, steps: FlowStep[]): FlowDefinition {
  return { id: "f", name, trigger: { kind: "webhook" }, steps } as unknown as FlowDefinition;
}

function request(flow: FlowDefinition, config: Record<string, StoredValue> = {}, extra: Partial<RunRequest> = {}): RunRequest {
  const integration = { id: "int", name: "Int", configPages: [], flows: [flow] } as unknown as IntegrationDefinition;
  const instance = { id: "ins_1", name: "Ins", integrationId: "int", organizationId: "org", customerId: "cus", config } as unknown as InstanceRecord;
  const customer = { id: "cus", externalId: "ext", name: "Customer" } as unknown as CustomerRecord;
  return { executionId: "exe_1", integration, flow, instance, customer, trigger: "webhook", payload: { n: 1 }, ...extra };
}


const messages = (execution: { logs: { message: string }[] }) => execution.logs.map((line) => line.message);

describe("review7: log lines made once per step", () => {
  it("a step's duration on either side of the cached range (0, 63, 64, 1000 ms, a clock stepped back, a fraction) reads as measured, run after run", async () => {
    const step: FlowStep = { kind: "map", name: "Shape", fields: { a: "{{payload.n}}" } };
    const flow = flowOf("Sync", [step]);
    for (const ms of [0, 63, 64, 1000, -5, 2.5, 63, 0]) {
            const execution = await runFlow(scriptedEnv([ms]), request(flow));
      expect(messages(execution)).toEqual(['Flow "Sync" started by webhook.', `Step "Shape" (map) succeeded in ${ms} ms.`, `Flow succeeded in ${ms} ms.`]);
      expect(execution.stepResults.Shape).toMatchObject({ durationMs: ms, status: "succeeded" });
    }
  });

  it("a flow published again with renamed steps (new definition objects) logs the new names, and the old version keeps its own", async () => {
    const v1 = flowOf("Sync v1", [{ kind: "map", name: "Old name", fields: {} }]);
    const v2 = flowOf("Sync v2", [{ kind: "map", name: "New name", fields: {} }]);
    for (let i = 0; i < 2; i++) {
      expect(messages(await runFlow(scriptedEnv([3]), request(v1)))).toEqual(['Flow "Sync v1" started by webhook.', 'Step "Old name" (map) succeeded in 3 ms.', "Flow succeeded in 3 ms."]);
      expect(messages(await runFlow(scriptedEnv([3]), request(v2)))).toEqual(['Flow "Sync v2" started by webhook.', 'Step "New name" (map) succeeded in 3 ms.', "Flow succeeded in 3 ms."]);
    }
  });

  it("the first line names what started the run: each trigger, a test run and a replay, whichever came first", async () => {
    const flow = flowOf("Sync", []);
    const first = async (extra: Partial<RunRequest>) => messages(await runFlow(scriptedEnv([]), request(flow, {}, extra)))[0];
    expect(await first({ trigger: "schedule" })).toBe('Flow "Sync" started by schedule.');
    expect(await first({ trigger: "webhook", startedBy: "a replay of exe_9" })).toBe('Flow "Sync" started by a replay of exe_9.');
    expect(await first({ trigger: "webhook" })).toBe('Flow "Sync" started by webhook.');
    expect(await first({ trigger: "deploy" })).toBe('Flow "Sync" started by deploy.');
    expect(await first({ trigger: "schedule", startedBy: "a test run" })).toBe('Flow "Sync" started by a test run.');
    expect(await first({ trigger: "schedule" })).toBe('Flow "Sync" started by schedule.');
  });

  it("a branch's line follows the way it took on each run (then, else, then), with its step count", async () => {
    const branch: FlowStep = { kind: "branch", name: "Big?", when: "{{payload.big}}", then: [{ kind: "map", name: "A", fields: {} }], else: [] };
    const flow = flowOf("Sync", [branch]);
    const line = async (big: boolean) => messages(await runFlow(scriptedEnv([]), request(flow, {}, { payload: { big } }))).find((m) => m.startsWith("Branch"));
    expect(await line(true)).toBe('Branch "Big?" took then (1 step).');
    expect(await line(false)).toBe('Branch "Big?" took else (0 steps).');
    expect(await line(true)).toBe('Branch "Big?" took then (1 step).');
  });

  it("P7 a secret in a step's or flow's name is redacted in each instance's own runs, and the cached text does not carry one instance's redaction into another's", async () => {
    const secret = "sk-live-0a1b2c3d";
    const step: FlowStep = { kind: "map", name: `Send ${secret}`, fields: {} };
    const flow = flowOf(`Flow ${secret}`, [step]);
    const withSecret = { conn: { kind: "api-key", apiKey: secret } } as unknown as Record<string, StoredValue>;
    const other = { conn: { kind: "api-key", apiKey: "another-key-9999" } } as unknown as Record<string, StoredValue>;
    for (let i = 0; i < 2; i++) {
      const mine = await runFlow(scriptedEnv([1]), request(flow, withSecret));
      // The messages (what the cache holds); a line's `step` field is the step's name as authored, as before.
      expect(messages(mine).join("\n")).not.toContain(secret);
      expect(messages(mine)).toEqual(['Flow "Flow [redacted]" started by webhook.', 'Step "Send [redacted]" (map) succeeded in 1 ms.', "Flow succeeded in 1 ms."]);
      // An instance whose secret is another one sees the names as written (nothing of it is its secret).
      const theirs = await runFlow(scriptedEnv([1]), request(flow, other));
      expect(messages(theirs)).toEqual([`Flow "Flow ${secret}" started by webhook.`, `Step "Send ${secret}" (map) succeeded in 1 ms.`, "Flow succeeded in 1 ms."]);
    }
  });
});

describe("review7: ids", () => {
  it("record ids: prefix, 20 base-36 characters, no repeat in 1,000,000 draws, ids of other lengths (time ids) between them change nothing", () => {
    const seen = new Set<string>();
    const shape = /^ins_[0-9a-z]{20}$/;
    for (let i = 0; i < 1_000_000; i++) {
      const id = newId("ins");
      if (i % 997 === 0) {
        // A 12-character draw between two 20-character ones (the reused array shrinks and grows).
        const time = newTimeId("exe", START);
        expect(time).toMatch(/^exe_[0-9a-z]{21}$/);
        expect(timeOfId("exe", time)).toBe(START);
      }
      if (!shape.test(id)) throw new Error(`bad id ${id}`);
      seen.add(id);
    }
    expect(seen.size).toBe(1_000_000);
  }, 120_000); // a hang guard for ~3 s of work on a busy 2-core machine, not a speed check

  it("every character of the alphabet is drawn, none much more than its share (a pool misread would show)", () => {
    const counts = new Map<string, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) for (const c of newId("x").slice(2)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].sort().join("")).toBe("0123456789abcdefghijklmnopqrstuvwxyz");
    const share = (draws * 20) / 36;
    // 256 % 36 = 4: the first four characters come up 8/7 as often; nothing else may stray far.
    for (const n of counts.values()) expect(n / share).toBeGreaterThan(0.85), expect(n / share).toBeLessThan(1.2);
  });

  it("ids and webhook tokens never come from Math.random (tokens are capabilities)", () => {
    const random = vi.spyOn(Math, "random").mockImplementation(() => {
      throw new Error("Math.random used for an id");
    });
    try {
      for (let i = 0; i < 1000; i++) newId("ins"), newTimeId("exe", START);
      const tokens = new Set(Array.from({ length: 1000 }, () => newSecretToken()));
      expect(tokens.size).toBe(1000);
      for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      random.mockRestore();
    }
  });
});

function context(): PlatformContext {
  const store = { tables: { integrationVersions: {} }, executions: {} } as unknown as Store;
  return new PlatformContext(store, { now: () => START } as unknown as Clock, {} as Catalog, {} as RehearsalFlags, new Map(), {} as PlatformPolicy);
}

describe("review7: background work counted, not kept", () => {
  it("idle() with nothing running resolves at once; a rejected tracked promise still counts down, and the tracker adds no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listen);
    try {
      const ctx = context();
      await ctx.idle();
      let fail!: (e: Error) => void;
      const work = ctx.track(new Promise<void>((_, reject) => (fail = reject)));
      const caught = work.catch((e: Error) => e.message); // the caller's own handler
      let idle = false;
      const waiting = ctx.idle().then(() => (idle = true));
      await Promise.resolve();
      expect(idle).toBe(false);
      fail(new Error("flow crashed"));
      await waiting;
      expect(await caught).toBe("flow crashed");
      // After an error the counter is at 0, not below: new work is waited for again.
      let finish!: () => void;
      ctx.track(new Promise<void>((resolve) => (finish = resolve)));
      let idleAgain = false;
      const again = ctx.idle().then(() => (idleAgain = true));
      await new Promise((r) => setTimeout(r, 0));
      expect(idleAgain).toBe(false);
      finish();
      await again;
      await new Promise((r) => setTimeout(r, 0));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listen);
    }
  });

  it("work tracked while idle() is waking (the last one ends and a new one starts in its handler) is waited for too", async () => {
    const ctx = context();
    let finishFirst!: () => void;
    let finishSecond!: () => void;
    const first = ctx.track(new Promise<void>((resolve) => (finishFirst = resolve)));
    // A scheduled run that starts the next one as it ends (tracked before idle() can look).
    void first.then(() => ctx.track(new Promise<void>((resolve) => (finishSecond = resolve))));
    let idle = false;
    const waiting = ctx.idle().then(() => (idle = true));
    finishFirst();
    await new Promise((r) => setTimeout(r, 0));
    expect(idle).toBe(false);
    finishSecond();
    await waiting;
    expect(idle).toBe(true);
  });

  it("the same promise tracked twice and many waiters: every waiter wakes once all have ended", async () => {
    const ctx = context();
    let finish!: () => void;
    const work = new Promise<void>((resolve) => (finish = resolve));
    ctx.track(work);
    ctx.track(work);
    const woke: number[] = [];
    const waiters = [1, 2, 3].map((n) => ctx.idle().then(() => woke.push(n)));
    finish();
    await Promise.all(waiters);
    expect(woke.sort()).toEqual([1, 2, 3]);
    await ctx.idle();
  });
});
