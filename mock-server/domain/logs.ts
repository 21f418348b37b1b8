/**
 * The logs: runs of every instance of the caller's customer, newest first, with filters (instance,
 * flow, status, trigger, time range, text in a log line), a page at a time, and the live tail of
 * what changed since the last look. Each run is a summary here (the logs list needs no step
 * results or payloads); the whole run is `Executions.get`. Scoped to the caller's customer: an
 * instance filter naming another customer's instance is a 404, like every other look at it (A10).
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { removedInstance } from "./removed-instances.ts";
import { decodePosition, encodePosition } from "./page-cursor.ts";
import { LOG_PAGE_SIZE_DEFAULT, LOG_PAGE_SIZE_MAX, type ExecutionChanges, type ExecutionPage, type ExecutionQuery, type ExecutionSummary } from "../../contract/api-observe.ts";
import type { LogLine } from "../../contract/api.ts";
import { DomainService } from "./service.ts";
import { matchesFilter, newerFirst, type ExecutionFilter } from "./execution-store.ts";
import type { Executions } from "./executions.ts";
import type { Caller } from "./sessions.ts";
import type { StoredExecution } from "./store.ts";
import { instanceInScope, type DataScope } from "./instance-records.ts";

const scopeOf = (caller: Caller): DataScope => ({ organizationId: caller.organization.id, customerId: caller.customer.id });

/** Log lines a search result quotes. */
const MATCHES_SHOWN = 3;

/** The filters, checked and resolved against the caller. */
interface Resolved {
  filter: ExecutionFilter;
  /** Lower-cased search text. */
  text?: string;
}

function parseInstant(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new PlatformError(ApiErrorCode.BadRequest, `"${name}" must be an ISO date-time.`);
  return time;
}

export class Logs extends DomainService<{ executions: Executions }> {
  /** One page of the caller's runs, newest first. */
  page(caller: Caller, query: ExecutionQuery & { limit?: number; cursor?: string }): ExecutionPage {
    return this.scopedPage(scopeOf(caller), query);
  }

  /**
   * One page of runs in `scope`, newest first: a customer's (page), or the organization's across
   * its customers, or one customer's of it (org-activity.ts).
   */
  scopedPage(scope: DataScope, query: ExecutionQuery & { limit?: number; cursor?: string }): ExecutionPage {
    const resolved = this.#resolve(scope, query);
    const limit = query.limit ?? LOG_PAGE_SIZE_DEFAULT;
    const after = query.cursor !== undefined ? decodePosition(query.cursor) : undefined;
    // The store searches the stored log lines; a running run's lines so far are in the feed, not
    // yet stored, and are searched below (running runs are few).
    const found = this.ctx.executions.page(resolved.filter, { limit: limit + 1, ...(after ? { after: { startedAt: after.time, id: after.id } } : {}) });
    if (resolved.text !== undefined) this.#addRunningMatches(found, resolved, after, limit + 1);
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    return {
      executions: page.map((e) => this.summary(e, resolved.text)),
      nextCursor: found.length > limit ? encodePosition(last.startedAt, last.id) : null,
    };
  }

  /**
   * The live tail: runs matching the filters that started or changed after `cursor`, newest
   * first. Without a cursor, nothing and the cursor of now (ask with it next). With `waitMs`,
   * an answer with nothing waits up to that long for a change that matches.
   */
  async changes(caller: Caller, query: ExecutionQuery & { cursor?: string }, waitMs = 0): Promise<ExecutionChanges> {
    const resolved = this.#resolve(scopeOf(caller), query);
    const { feed } = this.parts.executions;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const cursor = feed.cursor();
      if (query.cursor === undefined) return { executions: [], cursor, reset: false };
      const ids = feed.changedSince(query.cursor);
      if (ids === undefined) return { executions: [], cursor, reset: true };
      const changed: StoredExecution[] = [];
      for (const id of ids) {
        const execution = this.ctx.executions.get(id);
        if (!execution || execution.organizationId !== caller.organization.id || execution.customerId !== caller.customer.id) continue;
        if (!this.#matches(execution, resolved)) continue;
        changed.push(execution);
      }
      // More than a page changed (a flood): cheaper and clearer to reload the first page.
      if (changed.length > LOG_PAGE_SIZE_MAX) return { executions: [], cursor, reset: true };
      const left = deadline - Date.now();
      // A stopping platform answers a waiting tail with what it has (the client asks again elsewhere).
      if (changed.length > 0 || left <= 0 || feed.stopped) {
        changed.sort((a, b) => (a.startedAt !== b.startedAt ? (a.startedAt > b.startedAt ? -1 : 1) : a.id > b.id ? -1 : 1));
        return { executions: changed.map((e) => this.summary(e, resolved.text)), cursor, reset: false };
      }
      await feed.nextChange(left);
    }
  }

  /**
   * Adds the running runs whose log lines so far match the text search (the store saw none of
   * their lines) to `found`, in order, keeping at most `limit`.
   */
  #addRunningMatches(found: StoredExecution[], resolved: Resolved, after: { time: string; id: string } | undefined, limit: number): void {
    const { text: _text, ...filter } = resolved.filter;
    if (filter.status !== undefined && filter.status !== "running") return;
    const known = new Set(found.map((e) => e.id));
    for (const running of this.ctx.executions.running()) {
      if (known.has(running.id) || !this.#matches(running, resolved)) continue;
      if (after && newerFirst(running, { startedAt: after.time, id: after.id }) <= 0) continue;
      found.push(running);
    }
    found.sort(newerFirst).splice(limit);
  }

  /** A run as the logs list shows it; a running one with its progress so far. */
  summary(stored: StoredExecution, text?: string): ExecutionSummary {
    const { snapshot } = this.ctx;
    // A deactivated instance's runs stay in the logs for the retention period, under its kept name.
    const instance = Object.hasOwn(snapshot.instances, stored.instanceId) ? snapshot.instances[stored.instanceId] : removedInstance(snapshot, stored.instanceId);
    const logs = this.#logsOf(stored);
    const summary: ExecutionSummary = {
      id: stored.id,
      instanceId: stored.instanceId,
      instanceName: instance?.name ?? "",
      integrationId: instance?.integrationId ?? "",
      flowId: stored.flowId,
      flowName: stored.flowName,
      trigger: stored.trigger,
      status: stored.status,
      startedAt: stored.startedAt,
      logCount: logs.length,
    };
    if (stored.endedAt !== undefined) summary.endedAt = stored.endedAt;
    if (stored.durationMs !== undefined) summary.durationMs = stored.durationMs;
    if (stored.error !== undefined) summary.error = stored.error;
    if (logs.length > 0) summary.lastLog = logs[logs.length - 1];
    if (text !== undefined) summary.matches = logs.filter((line) => line.message.toLowerCase().includes(text)).slice(0, MATCHES_SHOWN);
    return summary;
  }

  #logsOf(stored: StoredExecution): readonly LogLine[] {
    return (stored.status === "running" && this.parts.executions.feed.live(stored.id)?.logs) || stored.logs;
  }

  #contains(execution: StoredExecution, text: string): boolean {
    if (execution.error?.toLowerCase().includes(text)) return true;
    return this.#logsOf(execution).some((line) => line.message.toLowerCase().includes(text));
  }

  /** The filters, with the text searched in a running run's lines so far too. */
  #matches(execution: StoredExecution, resolved: Resolved): boolean {
    const { text: _text, ...filter } = resolved.filter;
    return matchesFilter(execution, filter) && (resolved.text === undefined || this.#contains(execution, resolved.text));
  }

  #resolve(scope: DataScope, query: ExecutionQuery): Resolved {
    const filter: ExecutionFilter = { organizationId: scope.organizationId, ...(scope.customerId !== undefined ? { customerId: scope.customerId } : {}) };
    if (query.instance !== undefined && query.instance !== "") filter.instanceId = instanceInScope(this.ctx.snapshot, scope, query.instance).id;
    if (query.flow !== undefined && query.flow !== "") filter.flowId = query.flow;
    if (query.status !== undefined) filter.status = query.status;
    if (query.trigger !== undefined) filter.trigger = query.trigger;
    const from = parseInstant(query.from, "from");
    const to = parseInstant(query.to, "to");
    if (from !== undefined) filter.from = from;
    if (to !== undefined) filter.to = to;
    if (from !== undefined && to !== undefined && !(from < to)) throw new PlatformError(ApiErrorCode.BadRequest, "The time range must have from < to.");
    const text = query.q?.trim().toLowerCase();
    if (text) filter.text = text;
    return text ? { filter, text } : { filter };
  }
}
