/**
 * The logs: runs of every activated integration, newest first, a page at a time ("Load older
 * runs"; nothing loads everything), with filters (integration, flow, status, trigger, time) and
 * a search in log lines whose matching lines are quoted. Live: a tail (client/tail.ts) shows new
 * runs at the top and updates running ones as their log lines come in; an expanded running run
 * reloads its details with each change. The tail starts before the first page loads, so no run
 * falls between them; it pauses while the frame is hidden and catches up when it is shown.
 * Filters are kept per frame, so switching tabs keeps them.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Execution, ExecutionStatus } from "../../../contract/api.ts";
import type { ExecutionQuery, ExecutionSummary, ExecutionTrigger } from "../../../contract/api-observe.ts";
import { isApiError } from "../../../client/error.ts";
import { startTail, type Tail } from "../../../client/tail.ts";
import { useFrame } from "../context.ts";
import type { Frame } from "../frame.ts";
import { dateTime, duration, relativeTime } from "../i18n/format.ts";
import { tn } from "../i18n/plural.ts";
import { observeApi } from "../observe-api.ts";
import { Loading, SkeletonBlock } from "../ui/skeleton.tsx";
import { Empty, Failed } from "../ui/state.tsx";
import { inertText } from "./log-text.ts";
import { takeWantedRun } from "./open-run.ts";
import { RunDetails } from "./run-details.tsx";
import { FilterSelect } from "./filter-select.tsx";
import { flowLabel, instanceOptions, useInstances } from "./use-instances.ts";

const PAGE_SIZE = 50;
const RANGES = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
type Range = "all" | keyof typeof RANGES | "custom";
const STATUSES: readonly ExecutionStatus[] = ["running", "succeeded", "failed"];
const TRIGGERS: readonly ExecutionTrigger[] = ["webhook", "schedule", "deploy", "removal"];

interface Filters {
  q: string;
  instance: string;
  flow: string;
  status: "" | ExecutionStatus;
  trigger: "" | ExecutionTrigger;
  range: Range;
  /** datetime-local values (the user's time) of a custom range. */
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { q: "", instance: "", flow: "", status: "", trigger: "", range: "all", from: "", to: "" };
const kept = new WeakMap<Frame, Filters>();

/** The query of `filters` as of `now`; `invalid` when a custom range ends before it starts. */
function toQuery(f: Filters, now: number): { query: ExecutionQuery; invalid?: true; ends?: true } {
  const query: ExecutionQuery = {};
  if (f.q.trim()) query.q = f.q.trim();
  if (f.instance) query.instance = f.instance;
  if (f.flow) query.flow = f.flow;
  if (f.status) query.status = f.status;
  if (f.trigger) query.trigger = f.trigger;
  if (f.range !== "all" && f.range !== "custom") query.from = new Date(now - RANGES[f.range]).toISOString();
  if (f.range === "custom") {
    const from = f.from ? Date.parse(f.from) : Number.NaN;
    const to = f.to ? Date.parse(f.to) : Number.NaN;
    if (!Number.isNaN(from)) query.from = new Date(from).toISOString();
    if (!Number.isNaN(to)) query.to = new Date(to).toISOString();
    if (!Number.isNaN(from) && !Number.isNaN(to) && from >= to) return { query, invalid: true };
    if (!Number.isNaN(to) && to <= now) return { query, ends: true };
  }
  return { query };
}

const newestFirst = (a: ExecutionSummary, b: ExecutionSummary) =>
  a.startedAt !== b.startedAt ? (a.startedAt > b.startedAt ? -1 : 1) : a.id > b.id ? -1 : a.id < b.id ? 1 : 0;

/** `text` with each case-insensitive occurrence of `needle` marked. */
function Highlighted({ text, needle }: { text: string; needle: string }) {
  const clean = inertText(text);
  if (!needle) return <>{clean}</>;
  const parts: (string | JSX.Element)[] = [];
  const lower = clean.toLowerCase();
  const n = needle.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(n); i !== -1 && parts.length < 40; i = lower.indexOf(n, at)) {
    parts.push(clean.slice(at, i), <mark key={i}>{clean.slice(i, i + n.length)}</mark>);
    at = i + n.length;
  }
  parts.push(clean.slice(at));
  return <>{parts}</>;
}

type Detail = Execution | "loading" | "error";

function RunRow(props: { run: ExecutionSummary; open: boolean; fresh: boolean; detail?: Detail; needle: string; onToggle(): void; onRetry(): void }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const { run } = props;
  const detailId = `em-run-${run.id}`;
  return (
    <li class={`em-run em-run-${run.status}`} data-run-id={run.id} data-fresh={props.fresh || undefined}>
      <div class="em-run-head">
        <span class={`em-badge em-badge-${run.status}`}>{t(`execution.${run.status}`)}</span>
        <span class="em-run-title">
          <span class="em-flow-name">{flowLabel(frame, run.integrationId, run.flowId, run.flowName)}</span>
          <span class="em-muted">{run.instanceName}</span>
        </span>
        <span class="em-tag">{t(`execution.trigger.${run.trigger}`)}</span>
        <span class="em-spacer" />
        <span class="em-muted em-run-when">
          <time dateTime={run.startedAt} title={dateTime(locale, run.startedAt)}>
            {relativeTime(locale, run.startedAt)}
          </time>
          {run.durationMs !== undefined && ` · ${duration(locale, run.durationMs)}`}
        </span>
        <button type="button" class="em-button em-button-ghost" aria-expanded={props.open} aria-controls={detailId} onClick={props.onToggle}>
          {props.open ? t("logs.hideDetails") : t("logs.showDetails")}
        </button>
      </div>
      {run.error && <p class="em-run-error em-mono">{inertText(run.error)}</p>}
      {run.matches && run.matches.length > 0 ? (
        <ul class="em-run-matches em-mono" aria-label={t("logs.matches")}>
          {run.matches.map((line, i) => (
            <li key={i}>
              <Highlighted text={line.message} needle={props.needle} />
            </li>
          ))}
        </ul>
      ) : (
        run.lastLog && !run.error && <p class="em-run-last em-mono em-muted">{inertText(run.lastLog.message)}</p>
      )}
      {props.open && (
        <div id={detailId}>
          {props.detail === undefined || props.detail === "loading" ? (
            <SkeletonBlock lines={6} />
          ) : props.detail === "error" ? (
            <div class="em-row em-wrap" role="alert">
              <span class="em-field-error">{t("logs.detailFailed")}</span>
              <button type="button" class="em-button em-button-secondary" onClick={props.onRetry}>
                {t("app.retry")}
              </button>
            </div>
          ) : (
            <RunDetails execution={props.detail} />
          )}
        </div>
      )}
    </li>
  );
}

export function LogsTab({ instanceId }: { instanceId?: string }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const api = observeApi(frame.api);
  const instances = useInstances(frame);
  const [filters, setFilters] = useState<Filters>(() => ({ ...(kept.get(frame) ?? NO_FILTERS), ...(instanceId ? { instance: instanceId, flow: "" } : {}) }));
  const [search, setSearch] = useState(filters.q);
  const [runs, setRuns] = useState<ExecutionSummary[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<"page" | "more" | undefined>("page");
  const [live, setLive] = useState(true);
  const [tailState, setTailState] = useState<"on" | "retrying" | "off" | "ended">("off");
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const [details, setDetails] = useState<Map<string, Detail>>(() => new Map());
  const [fresh, setFresh] = useState<Set<string>>(() => new Set());
  const [announced, setAnnounced] = useState(0);
  const generation = useRef(0);
  const tail = useRef<Tail | undefined>(undefined);
  const openRef = useRef(open);
  openRef.current = open;
  const runsRef = useRef(runs);
  runsRef.current = runs;
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;

  const { query, invalid, ends } = toQuery(filters, Date.now());
  const queryKey = JSON.stringify([filters, live]);

  const loadDetail = (run: { id: string; instanceId: string }) => {
    setDetails((d) => (d.get(run.id) && d.get(run.id) !== "error" ? d : new Map(d).set(run.id, "loading")));
    api.getExecution(run.instanceId, run.id).then(
      (x) => setDetails((d) => new Map(d).set(run.id, x)),
      () => setDetails((d) => (d.get(run.id) === "loading" || d.get(run.id) === undefined ? new Map(d).set(run.id, "error") : d)),
    );
  };

  /** Runs that started or changed, from the tail: updated in place, new ones on top. */
  const merge = (changed: ExecutionSummary[]) => {
    const list = runsRef.current ?? [];
    const byId = new Map(list.map((r) => [r.id, r]));
    const oldest = list[list.length - 1];
    const added: string[] = [];
    for (const run of changed) {
      if (byId.has(run.id)) byId.set(run.id, run);
      // A run older than the loaded pages belongs to a page not loaded yet.
      else if (!oldest || cursorRef.current === null || newestFirst(run, oldest) < 0) {
        byId.set(run.id, run);
        added.push(run.id);
      }
      if (openRef.current.has(run.id)) loadDetail(run);
    }
    setRuns([...byId.values()].sort(newestFirst));
    if (added.length > 0) {
      setFresh(new Set(added));
      setAnnounced(added.length);
    }
  };

  useEffect(() => {
    kept.set(frame, filters);
    const g = ++generation.current;
    tail.current?.stop();
    tail.current = undefined;
    setError(undefined);
    if (invalid) {
      setBusy(undefined);
      setTailState("off");
      return;
    }
    setBusy("page");
    const stale = () => g !== generation.current;
    const loadFirst = async () => {
      try {
        const page = await api.listExecutions({ ...query, limit: PAGE_SIZE });
        if (stale()) return;
        setRuns(page.executions);
        setCursor(page.nextCursor);
        setFresh(new Set());
        const wanted = takeWantedRun(frame);
        if (wanted) {
          const run = page.executions.find((r) => r.id === wanted);
          if (run) {
            setOpen(new Set([run.id]));
            loadDetail(run);
            queueMicrotask(() => document.querySelector(`[data-run-id="${CSS.escape(run.id)}"]`)?.scrollIntoView({ block: "nearest" }));
          }
        }
      } catch (e) {
        if (!stale()) setError(isApiError(e) ? e.code : "INTERNAL");
      } finally {
        if (!stale()) {
          setBusy(undefined);
          frame.markReady("logs");
        }
      }
    };
    if (!live || ends) {
      setTailState(live ? "ended" : "off");
      void loadFirst();
      return;
    }
    const started = startTail({
      changes: (at, wait) => api.executionChanges(query, at, wait),
      onChanges: (changed) => {
        if (stale()) return;
        setTailState("on");
        merge(changed);
      },
      onReset: () => void (stale() || loadFirst()),
      onError: () => {
        if (stale()) return;
        setTailState("retrying");
        // The tail retries by itself; the first page need not wait for it.
        if (runsRef.current === undefined) void loadFirst();
      },
    });
    tail.current = started;
    setTailState("on");
    // The tail holds its cursor before the first page is asked for: nothing falls between.
    started.ready.then(loadFirst, () => undefined);
  }, [queryKey]);

  // A hidden frame asks nothing; shown again, the tail catches up from its cursor.
  useEffect(() => {
    const onVisibility = () => (document.visibilityState === "hidden" ? tail.current?.pause() : tail.current?.resume());
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      tail.current?.stop();
    };
  }, []);

  // Search as you type, a moment after the last key.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = setTimeout(() => setFilters((f) => ({ ...f, q: search })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const loadMore = async () => {
    if (!cursor) return;
    setBusy("more");
    const g = generation.current;
    try {
      const page = await api.listExecutions({ ...query, limit: PAGE_SIZE, cursor });
      if (g !== generation.current) return;
      setRuns((list) => {
        const known = new Set((list ?? []).map((r) => r.id));
        return [...(list ?? []), ...page.executions.filter((r) => !known.has(r.id))];
      });
      setCursor(page.nextCursor);
    } catch (e) {
      frame.toastError(e);
    } finally {
      setBusy(undefined);
    }
  };

  const toggle = (run: ExecutionSummary) => {
    const next = new Set(open);
    if (next.has(run.id)) next.delete(run.id);
    else {
      next.add(run.id);
      if (!details.has(run.id) || details.get(run.id) === "error" || run.status === "running") loadDetail(run);
    }
    setOpen(next);
  };

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const selected = instances?.find((i) => i.id === filters.instance);
  const flows = selected
    ? selected.flows.map((f) => ({ id: f.id, name: flowLabel(frame, selected.integrationId, f.id, f.name) }))
    : [...new Map((instances ?? []).flatMap((i) => i.flows.map((f) => [f.id, { id: f.id, name: flowLabel(frame, i.integrationId, f.id, f.name) }] as const))).values()];
  const filtered = JSON.stringify({ ...filters, q: search }) !== JSON.stringify({ ...NO_FILTERS });
  const clear = () => {
    setSearch("");
    setFilters(NO_FILTERS);
  };

  return (
    <div class="em-logs-tab">
      <div class="em-filterbar" role="search" aria-label={t("logs.filters")}>
        <div class="em-row em-wrap">
          <label class="em-search em-grow">
            <span class="em-sr-only">{t("logs.search")}</span>
            <input
              class="em-input"
              type="search"
              value={search}
              maxLength={200}
              placeholder={t("logs.searchPlaceholder")}
              onInput={(e) => setSearch(e.currentTarget.value)}
              onKeyDown={(e) => e.key === "Enter" && set({ q: search })}
            />
          </label>
          <button type="button" class={`em-live${live ? " em-live-on" : ""}`} aria-pressed={live} onClick={() => setLive(!live)}>
            <span class="em-live-dot" aria-hidden="true" />
            {t("logs.live")}
          </button>
        </div>
        <div class="em-filters">
          <FilterSelect label={t("logs.instance")} value={filters.instance} onChange={(instance) => set({ instance, flow: "" })} all={t("logs.allInstances")} options={instanceOptions(instances)}>
            {filters.instance && !selected && <option value={filters.instance}>{filters.instance}</option>}
          </FilterSelect>
          <FilterSelect label={t("logs.flow")} value={filters.flow} onChange={(flow) => set({ flow })} all={t("logs.allFlows")} options={flows.map((f) => ({ value: f.id, label: f.name }))} />
          <FilterSelect
            label={t("logs.status")}
            value={filters.status}
            onChange={(status) => set({ status: status as Filters["status"] })}
            all={t("logs.allStatuses")}
            options={STATUSES.map((s) => ({ value: s, label: t(`execution.${s}`) }))}
          />
          <FilterSelect
            label={t("logs.trigger")}
            value={filters.trigger}
            onChange={(trigger) => set({ trigger: trigger as Filters["trigger"] })}
            all={t("logs.allTriggers")}
            options={TRIGGERS.map((s) => ({ value: s, label: t(`execution.trigger.${s}`) }))}
          />
          <FilterSelect
            label={t("logs.range")}
            value={filters.range}
            onChange={(range) => set({ range: range as Range })}
            options={(["all", "1h", "24h", "7d", "30d", "custom"] as const).map((r) => ({ value: r, label: t(`logs.range.${r}`) }))}
          />
          {filters.range === "custom" && (
            <>
              <label class="em-filter">
                <span class="em-filter-label">{t("logs.from")}</span>
                <input class="em-input" type="datetime-local" value={filters.from} aria-invalid={invalid || undefined} aria-describedby={invalid ? "em-range-error" : undefined} onChange={(e) => set({ from: e.currentTarget.value })} />
              </label>
              <label class="em-filter">
                <span class="em-filter-label">{t("logs.to")}</span>
                <input class="em-input" type="datetime-local" value={filters.to} aria-invalid={invalid || undefined} aria-describedby={invalid ? "em-range-error" : undefined} onChange={(e) => set({ to: e.currentTarget.value })} />
              </label>
            </>
          )}
          {filtered && (
            <button type="button" class="em-button em-button-ghost em-filter-clear" onClick={clear}>
              {t("logs.clear")}
            </button>
          )}
        </div>
        {invalid && (
          <p class="em-field-error" id="em-range-error" role="alert">
            {t("logs.rangeInvalid")}
          </p>
        )}
        <p class={`em-live-state em-live-state-${tailState}`} role="status">
          {tailState === "on" ? t("logs.liveOn") : tailState === "retrying" ? t("logs.liveRetrying") : tailState === "ended" ? t("logs.liveEnded") : t("logs.liveOff")}
        </p>
        <p class="em-sr-only" role="status">
          {announced > 0 ? tn(locale, "logs.newRuns", announced) : ""}
        </p>
      </div>

      {error && !busy ? (
        <Failed retry={() => setFilters({ ...filters })} />
      ) : runs === undefined ? (
        <Loading lines={8} />
      ) : invalid ? null : runs.length === 0 ? (
        <Empty title={filtered ? t("logs.empty") : t("logs.none")} hint={filtered ? t("logs.emptyHint") : t("logs.noneHint")}>
          {filtered && (
            <button type="button" class="em-button em-button-secondary" onClick={clear}>
              {t("logs.clear")}
            </button>
          )}
        </Empty>
      ) : (
        <>
          <ul class="em-run-list" aria-busy={busy === "page" || undefined}>
            {runs.map((run) => (
              <RunRow
                key={run.id}
                run={run}
                open={open.has(run.id)}
                fresh={fresh.has(run.id)}
                detail={details.get(run.id)}
                needle={query.q ?? ""}
                onToggle={() => toggle(run)}
                onRetry={() => loadDetail(run)}
              />
            ))}
          </ul>
          <div class="em-more">
            {cursor ? (
              <button type="button" class="em-button em-button-secondary" disabled={busy === "more"} onClick={() => void loadMore()}>
                {busy === "more" ? t("app.loading") : t("logs.loadMore")}
              </button>
            ) : (
              <p class="em-muted">{tn(locale, "logs.end", runs.length)}</p>
            )}
          </div>
        </>
      )}
    </div>
  );
}
