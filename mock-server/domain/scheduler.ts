/**
 * The scheduler: schedule-triggered flows of running instances. Deploy and resume register an
 * instance (its next run per flow is stored on the instance, so it survives a restart); pause
 * and delete remove it. Time comes from the injectable clock: under a manual clock, tests
 * advance the clock and call `tick()`; under the system clock `start()` keeps a timer armed.
 * Runs missed while the platform was down are collapsed into one catch-up run.
 */
import { nextRuns } from "../../contract/schedule.ts";
import { scheduleValue } from "../../contract/config-vars.ts";
import * as z from "zod/mini";
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
  /** Instances restored after a restart whose overdue run is a single catch-up. */
  #collapse = new Set<string>();

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  /** Computes the next run of each schedule flow from now (deploy, resume, reconfigure). */
  register(instance: InstanceRecord): void {
    const integration = this.#deps.definitionOf(instance);
    const now = this.#deps.clock.now();
    instance.nextRuns = {};
    for (const flow of integration ? scheduledFlows(integration) : []) {
      const schedule = scheduleOf(flow, instance);
      instance.nextRuns[flow.id] = schedule ? (nextRuns(schedule, now, 1)[0] ?? null) : null;
    }
    this.#rearm();
  }

  unregister(instance: InstanceRecord): void {
    instance.nextRuns = {};
    this.#collapse.delete(instance.id);
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
      }
      if (Object.values(instance.nextRuns).some((t) => t !== null && t <= now)) this.#collapse.add(instance.id);
    }
    this.#rearm();
  }

  /** Runs every due occurrence (see MAX_RUNS_PER_TICK); resolves with the number of runs. */
  tick(): Promise<number> {
    this.#running ??= this.#tick().finally(() => {
      this.#running = undefined;
      this.#rearm();
    });
    return this.#running;
  }

  async #tick(): Promise<number> {
    const { clock, definitionOf } = this.#deps;
    let count = 0;
    const perFlow = new Map<string, number>();
    for (;;) {
      const now = clock.now();
      const due: Array<{ instance: InstanceRecord; flow: FlowDefinition; at: number }> = [];
      for (const instance of Object.values(this.#deps.snapshot().instances)) {
        if (instance.status !== "deployed") continue;
        const integration = definitionOf(instance);
        for (const flow of integration ? scheduledFlows(integration) : []) {
          const at = instance.nextRuns[flow.id];
          if (at !== null && at !== undefined && at <= now) due.push({ instance, flow, at });
        }
      }
      if (due.length === 0) return count;
      due.sort((a, b) => a.at - b.at);
      const runs: Promise<unknown>[] = [];
      for (const { instance, flow, at } of due) {
        const schedule = scheduleOf(flow, instance);
        const collapse = this.#collapse.has(instance.id);
        const flowKey = `${instance.id}/${flow.id}`;
        const ran = (perFlow.get(flowKey) ?? 0) + 1;
        perFlow.set(flowKey, ran);
        // A long jump of the clock runs at most MAX_RUNS_PER_TICK occurrences, then skips ahead.
        const from = collapse || ran >= MAX_RUNS_PER_TICK ? now : at;
        instance.nextRuns[flow.id] = schedule ? (nextRuns(schedule, from, 1)[0] ?? null) : null;
        runs.push(this.#deps.run(instance, flow));
      }
      for (const instance of due.map((d) => d.instance)) this.#collapse.delete(instance.id);
      this.#deps.changed([...new Set(due.map((d) => d.instance.id))]);
      await Promise.all(runs);
      count += runs.length;
    }
  }

  /** Keeps a real timer armed for the earliest next run (system clock only). */
  start(): void {
    this.#started = true;
    this.#rearm();
  }

  stop(): void {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #rearm(): void {
    if (!this.#started) return;
    if (this.#timer) clearTimeout(this.#timer);
    let earliest = Infinity;
    for (const instance of Object.values(this.#deps.snapshot().instances)) {
      if (instance.status !== "deployed") continue;
      for (const at of Object.values(instance.nextRuns)) if (at !== null && at < earliest) earliest = at;
    }
    if (earliest === Infinity) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, earliest - this.#deps.clock.now()));
    this.#timer = setTimeout(() => void this.tick(), delay);
    this.#timer.unref?.();
  }
}
