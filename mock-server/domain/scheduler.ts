/**
 * The scheduler: schedule-triggered flows of running instances. Deploy and resume register an
 * instance (its next run per flow is stored on the instance, so it survives a restart); pause
 * and delete remove it. Time comes from the injectable clock: under a manual clock, tests
 * advance the clock and call `tick()`; under the system clock `start()` keeps a timer armed.
 * Runs missed while the platform was down are collapsed into one catch-up run. Next runs are
 * indexed by due time (due-queue.ts): a tick and the timer visit what is due, not every instance.
 */
import { nextRuns } from "../../contract/schedule.ts";
import { scheduleValue } from "../../contract/config-vars.ts";
import * as z from "zod/mini";
import { DueQueue } from "./due-queue.ts";
import type { Clock } from "./clock.ts";
import type { InstanceRecord, Snapshot } from "./store.ts";
import type { FlowDefinition, IntegrationDefinition } from "../../contract/catalog.ts";
import type { ScheduleValue } from "../../contract/config-vars.ts";

/** Occurrences run per flow per tick when the clock jumped past several; later ones are skipped. */
export const MAX_RUNS_PER_TICK = 10;
const MAX_TIMER_MS = 60_000;

export interface SchedulerDeps {
  snapshot: () => Snapshot;
  /** The integration version an instance runs (its flows are the ones scheduled). */
  definitionOf: (instance: InstanceRecord) => IntegrationDefinition | undefined;
  clock: Clock;
  /** Runs one scheduled occurrence of a flow. */
  run: (instance: InstanceRecord, flow: FlowDefinition) => Promise<unknown>;
  /** Announces that these instances' next runs changed. */
  changed: (instanceIds: string[]) => void;
}

export function scheduleOf(flow: FlowDefinition, instance: InstanceRecord): ScheduleValue | undefined {
  if (flow.trigger.kind !== "schedule") return undefined;
  if (flow.trigger.schedule) return flow.trigger.schedule;
  const key = flow.trigger.configKey;
  if (key === undefined || !Object.hasOwn(instance.config, key)) return undefined;
  const parsed = z.safeParse(scheduleValue, instance.config[key]);
  return parsed.success ? parsed.data : undefined;
}

function scheduledFlows(integration: IntegrationDefinition): FlowDefinition[] {
  return integration.flows.filter((f) => f.trigger.kind === "schedule");
}

export class Scheduler {
  #deps: SchedulerDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<number> | undefined;
  #started = false;
  /** Set by `stop()`: no tick starts a run again (a stop waits for the runs started). */
  #stopped = false;
  /** Instances restored after a restart whose overdue run is a single catch-up. */
  #collapse = new Set<string>();
  /** Every deployed instance's next runs by due time (kept with `instance.nextRuns`). */
  readonly #due = new DueQueue();

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  /** Computes the next run of each schedule flow from now (deploy, resume, reconfigure). */
  register(instance: InstanceRecord): void {
    const integration = this.#deps.definitionOf(instance);
    const now = this.#deps.clock.now();
    this.#forget(instance);
    for (const flow of integration ? scheduledFlows(integration) : []) {
      const schedule = scheduleOf(flow, instance);
      this.#setNext(instance, flow.id, schedule ? (nextRuns(schedule, now, 1)[0] ?? null) : null);
    }
    this.#rearm();
  }

  unregister(instance: InstanceRecord): void {
    this.#forget(instance);
    this.#collapse.delete(instance.id);
  }

  #forget(instance: InstanceRecord): void {
    for (const flowId of Object.keys(instance.nextRuns)) this.#due.set(instance.id, flowId, null);
    instance.nextRuns = {};
  }

  #setNext(instance: InstanceRecord, flowId: string, at: number | null): void {
    instance.nextRuns[flowId] = at;
    this.#due.set(instance.id, flowId, at);
  }

  /** After loading a snapshot: keep stored next runs of running instances; overdue ones run once. */
  restore(): void {
    const now = this.#deps.clock.now();
    for (const instance of Object.values(this.#deps.snapshot().instances)) {
      if (instance.status !== "deployed") {
        if (Object.keys(instance.nextRuns).length > 0) {
          instance.nextRuns = {};
          this.#deps.changed([instance.id]);
        }
        continue;
      }
      const integration = this.#deps.definitionOf(instance);
      const flows = integration ? scheduledFlows(integration) : [];
      const missing = flows.some((f) => !Object.hasOwn(instance.nextRuns, f.id));
      if (missing) {
        this.register(instance);
        this.#deps.changed([instance.id]);
      } else {
        for (const [flowId, at] of Object.entries(instance.nextRuns)) this.#due.set(instance.id, flowId, at);
      }
      if (Object.values(instance.nextRuns).some((t) => t !== null && t <= now)) this.#collapse.add(instance.id);
    }
    this.#rearm();
  }

  /** Runs every due occurrence (see MAX_RUNS_PER_TICK); resolves with the number of runs. */
  tick(): Promise<number> {
    if (this.#stopped) return Promise.resolve(0);
    this.#running ??= this.#tick().finally(() => {
      this.#running = undefined;
      this.#rearm();
    });
    return this.#running;
  }

  async #tick(): Promise<number> {
    const { clock, definitionOf } = this.#deps;
    const { instances } = this.#deps.snapshot();
    let count = 0;
    const perFlow = new Map<string, number>();
    // Stopped while the last runs ran (a stop waits for them): what is due now stays stored as
    // next runs, and the next start collapses it into one catch-up run (restore).
    while (!this.#stopped) {
      const now = clock.now();
      const due: Array<{ instance: InstanceRecord; flow: FlowDefinition; at: number }> = [];
      // Earliest first. An entry whose instance is gone, no longer deployed or due at another
      // time, or whose flow its version no longer schedules, is dropped (deploy and resume
      // register the instance again).
      for (const { instanceId, flowId, at } of this.#due.takeDue(now)) {
        const instance = Object.hasOwn(instances, instanceId) ? instances[instanceId] : undefined;
        if (!instance || instance.status !== "deployed" || instance.nextRuns[flowId] !== at) continue;
        const integration = definitionOf(instance);
        const flow = integration?.flows.find((f) => f.id === flowId && f.trigger.kind === "schedule");
        if (flow) due.push({ instance, flow, at });
      }
      if (due.length === 0) return count;
      const runs: Promise<unknown>[] = [];
      for (const { instance, flow, at } of due) {
        const schedule = scheduleOf(flow, instance);
        const collapse = this.#collapse.has(instance.id);
        const flowKey = `${instance.id}/${flow.id}`;
        const ran = (perFlow.get(flowKey) ?? 0) + 1;
        perFlow.set(flowKey, ran);
        // A long jump of the clock runs at most MAX_RUNS_PER_TICK occurrences, then skips ahead.
        const from = collapse || ran >= MAX_RUNS_PER_TICK ? now : at;
        this.#setNext(instance, flow.id, schedule ? (nextRuns(schedule, from, 1)[0] ?? null) : null);
        runs.push(this.#deps.run(instance, flow));
      }
      for (const instance of due.map((d) => d.instance)) this.#collapse.delete(instance.id);
      this.#deps.changed([...new Set(due.map((d) => d.instance.id))]);
      await Promise.all(runs);
      count += runs.length;
    }
    return count;
  }

  /** Keeps a real timer armed for the earliest next run (system clock only). */
  start(): void {
    this.#started = true;
    this.#rearm();
  }

  /** For good: the timer stops, and a tick in progress ends once the runs it started have (see #tick). */
  stop(): void {
    this.#stopped = true;
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #rearm(): void {
    if (!this.#started) return;
    if (this.#timer) clearTimeout(this.#timer);
    const earliest = this.#due.earliest();
    if (earliest === Infinity) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, earliest - this.#deps.clock.now()));
    this.#timer = setTimeout(() => void this.tick(), delay);
    this.#timer.unref?.();
  }
}
