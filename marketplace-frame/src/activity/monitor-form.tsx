/**
 * Adding or editing an alert monitor (admins). The fields follow the kind: a slow-run monitor
 * asks for its threshold, a no-success monitor for its period, failure and slow ones for how
 * many runs within how long; every kind has a quiet period. Checked as the user types with the
 * platform's own rules (contract/monitor-rules.ts), in their language; a field error the
 * platform still answers is shown at its field, and nothing typed is lost.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Instance } from "../../../contract/api.ts";
import type { AlertMonitor, AlertMonitorInput, MonitorKind } from "../../../contract/api-observe.ts";
import { MONITOR_DEFAULTS, MONITOR_FIELDS, monitorProblems, type MonitorField, type MonitorProblem } from "../../../contract/monitor-rules.ts";
import { isApiError } from "../../../client/error.ts";
import { useFrame } from "../context.ts";
import { tn } from "../i18n/plural.ts";
import { observeApi } from "../observe-api.ts";
import { flowLabel } from "./use-instances.ts";
import { FieldError } from "../ui/field-error.tsx";

type NumberField = "thresholdSeconds" | "periodMinutes" | "occurrences" | "windowMinutes" | "quietMinutes";
type Draft = { kind: MonitorKind; name: string; flowId: string; enabled: boolean } & Record<NumberField, string>;

const KINDS: readonly MonitorKind[] = ["failure", "slow", "no-success"];

function draftOf(monitor?: AlertMonitor): Draft {
  const text = (n: number | undefined) => (n === undefined ? "" : String(n));
  return {
    kind: monitor?.kind ?? "failure",
    name: monitor?.name ?? "",
    flowId: monitor?.flowId ?? "",
    enabled: monitor?.enabled ?? true,
    thresholdSeconds: text(monitor?.thresholdSeconds ?? 30),
    periodMinutes: text(monitor?.periodMinutes ?? 60),
    occurrences: text(monitor?.occurrences ?? MONITOR_DEFAULTS.occurrences),
    windowMinutes: text(monitor?.windowMinutes ?? MONITOR_DEFAULTS.windowMinutes),
    quietMinutes: text(monitor?.quietMinutes ?? MONITOR_DEFAULTS.quietMinutes),
  };
}

/** What is sent: the fields the kind uses, numbers as typed (a blank one left out). */
function inputOf(draft: Draft): AlertMonitorInput {
  const input: AlertMonitorInput = { kind: draft.kind, enabled: draft.enabled };
  if (draft.name.trim()) input.name = draft.name.trim();
  if (draft.flowId) input.flowId = draft.flowId;
  for (const field of MONITOR_FIELDS[draft.kind]) {
    const raw = draft[field].trim();
    if (raw !== "") input[field] = Number(raw);
  }
  return input;
}

export function MonitorForm(props: { instance: Instance; monitor?: AlertMonitor; onDone(saved?: AlertMonitor): void }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.monitor));
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [remote, setRemote] = useState<Partial<Record<string, string>>>({});
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);

  const input = inputOf(draft);
  const problems = monitorProblems(input, props.instance.flows.map((f) => f.id));
  const words = (field: MonitorField, problem: MonitorProblem): string => {
    switch (problem.code) {
      case "required":
        return t("field.required");
      case "whole":
        return t("monitor.error.whole");
      case "range":
        return t("monitor.error.range", { min: locale.numberFormat.value.format(problem.min), max: locale.numberFormat.value.format(problem.max) });
      case "tooLong":
        return tn(locale, "field.tooLong", problem.max);
      case "unknownFlow":
        return t("monitor.error.unknownFlow");
    }
    return field;
  };
  const errorOf = (field: MonitorField): string | undefined => {
    const problem = problems[field];
    if (problem && (touched || draft[field as keyof Draft] !== draftOf(props.monitor)[field as keyof Draft])) return words(field, problem);
    return remote[field];
  };
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setRemote({});
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      const api = observeApi(frame.api);
      const saved = props.monitor ? await api.updateMonitor(props.instance.id, props.monitor.id, input) : await api.createMonitor(props.instance.id, input);
      frame.toasts.push("success", t(props.monitor ? "monitors.updated" : "monitors.created"));
      props.onDone(saved);
    } catch (error) {
      if (isApiError(error) && error.fields) setRemote(error.fields);
      else frame.toastError(error);
    } finally {
      setSaving(false);
    }
  };

  const uses = (field: NumberField) => MONITOR_FIELDS[draft.kind].includes(field);
  const numberField = (field: NumberField, label: string) => {
    if (!uses(field)) return null;
    const error = errorOf(field);
    const id = `em-monitor-${field}`;
    return (
      <div class="em-field em-field-compact">
        <label class="em-label" for={id}>
          {label}
        </label>
        <input
          id={id}
          class="em-input em-input-number"
          type="number"
          inputMode="numeric"
          step={1}
          value={draft[field]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => set({ [field]: e.currentTarget.value } as Partial<Draft>)}
        />
        <FieldError id={id} error={error} />
      </div>
    );
  };
  const flowError = errorOf("flowId");
  const nameError = errorOf("name");

  return (
    <form
      class="em-monitor-form"
      aria-labelledby="em-monitor-form-title"
      noValidate
      onSubmit={(e) => void save(e)}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          props.onDone();
        }
      }}
    >
      <h3 class="em-subtitle" id="em-monitor-form-title">
        {t(props.monitor ? "monitors.editTitle" : "monitors.newTitle")}
      </h3>
      <div class="em-form-grid">
        <div class="em-field em-field-compact">
          <label class="em-label" for="em-monitor-kind">
            {t("monitor.kind")}
          </label>
          <select id="em-monitor-kind" ref={first} class="em-input em-select" value={draft.kind} onChange={(e) => set({ kind: e.currentTarget.value as MonitorKind })}>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`monitor.kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="em-field em-field-compact">
          <label class="em-label" for="em-monitor-flow">
            {t("monitor.flow")}
          </label>
          <select id="em-monitor-flow" class="em-input em-select" value={draft.flowId} aria-invalid={flowError ? true : undefined} onChange={(e) => set({ flowId: e.currentTarget.value })}>
            <option value="">{t("monitor.anyFlow")}</option>
            {props.instance.flows.map((f) => (
              <option key={f.id} value={f.id}>
                {flowLabel(frame, props.instance.integrationId, f.id, f.name)}
              </option>
            ))}
          </select>
          {flowError && <p class="em-field-error">{flowError}</p>}
        </div>
        {numberField("thresholdSeconds", t("monitor.threshold"))}
        {numberField("periodMinutes", t("monitor.period"))}
        {numberField("occurrences", t("monitor.occurrences"))}
        {numberField("windowMinutes", t("monitor.window"))}
        {numberField("quietMinutes", t("monitor.quiet"))}
        <div class="em-field em-field-compact">
          <label class="em-label" for="em-monitor-name">
            {t("monitor.name")}
          </label>
          <input
            id="em-monitor-name"
            class="em-input"
            value={draft.name}
            aria-invalid={nameError ? true : undefined}
            onInput={(e) => set({ name: e.currentTarget.value })}
          />
          {nameError && <p class="em-field-error">{nameError}</p>}
        </div>
      </div>
      <label class="em-check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
        <span>{t("monitor.enabled")}</span>
      </label>
      <div class="em-row em-wrap">
        <button type="submit" class="em-button em-button-primary" disabled={saving}>
          {saving ? t("monitors.saving") : t("monitors.save")}
        </button>
        <button type="button" class="em-button em-button-secondary" onClick={() => props.onDone()}>
          {t("wizard.cancel")}
        </button>
      </div>
    </form>
  );
}
