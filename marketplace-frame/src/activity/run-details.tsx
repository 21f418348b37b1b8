/**
 * One run, expanded in the logs: when it ran, its steps on a timeline (start offset and
 * duration of each), the payload it started with and its output (secrets come back from the
 * platform as "[redacted]"), and every log line. All of it is shown as text: JSON in a <pre>,
 * log lines with terminal escape codes removed (log-text.ts).
 */
import type { Execution } from "../../../contract/api.ts";
import { useFrame } from "../context.ts";
import { dateTime, duration } from "../i18n/format.ts";
import { inertText } from "./log-text.ts";

/** More than this much JSON is cut, with a note (a browser freezes laying out megabytes). */
const MAX_JSON_CHARS = 65_536;

interface StepView {
  name: string;
  kind: string;
  status: string;
  offsetMs: number;
  durationMs?: number;
  error?: string;
}

function steps(execution: Execution): StepView[] {
  const start = Date.parse(execution.startedAt);
  const out: StepView[] = [];
  for (const [name, raw] of Object.entries(execution.stepResults)) {
    if (typeof raw !== "object" || raw === null) continue;
    const step = raw as Record<string, unknown>;
    const at = typeof step.startedAt === "string" ? Date.parse(step.startedAt) : Number.NaN;
    out.push({
      name,
      kind: typeof step.kind === "string" ? step.kind : "",
      status: typeof step.status === "string" ? step.status : "",
      offsetMs: Number.isNaN(at) ? 0 : Math.max(0, at - start),
      ...(typeof step.durationMs === "number" ? { durationMs: step.durationMs } : {}),
      ...(typeof step.error === "string" ? { error: step.error } : {}),
    });
  }
  return out.sort((a, b) => a.offsetMs - b.offsetMs);
}

function Json({ value, empty }: { value: unknown; empty: string }) {
  if (value === undefined || value === null) return <p class="em-muted">{empty}</p>;
  const text = typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? "");
  const cut = text.length > MAX_JSON_CHARS;
  return (
    <pre class="em-pre em-mono em-json" tabIndex={0}>
      {inertText(cut ? text.slice(0, MAX_JSON_CHARS) : text)}
      {cut && "\n…"}
    </pre>
  );
}

export function RunDetails({ execution: x }: { execution: Execution }) {
  const { t, locale } = useFrame();
  const list = steps(x);
  const total = Math.max(1, x.durationMs ?? Math.max(...list.map((s) => s.offsetMs + (s.durationMs ?? 0)), 1));
  return (
    <div class="em-run-details">
      <dl class="em-facts">
        <div>
          <dt>{t("logs.factRun")}</dt>
          <dd class="em-mono">{x.id}</dd>
        </div>
        <div>
          <dt>{t("logs.factStarted")}</dt>
          <dd>
            <time dateTime={x.startedAt}>{dateTime(locale, x.startedAt)}</time>
          </dd>
        </div>
        {x.durationMs !== undefined && (
          <div>
            <dt>{t("logs.factDuration")}</dt>
            <dd>{duration(locale, x.durationMs)}</dd>
          </div>
        )}
      </dl>
      {x.notice && (
        <p class="em-muted" role="note">
          {t(`logs.notice.${x.notice.code}`)}
        </p>
      )}

      <h3 class="em-subtitle">{t("logs.steps")}</h3>
      {list.length === 0 ? (
        <p class="em-muted">{t("logs.noSteps")}</p>
      ) : (
        <ol class="em-steps-timeline">
          {list.map((s) => (
            <li key={s.name} class={`em-step em-step-${s.status}`}>
              <span class="em-step-name">
                <span class={`em-dot em-dot-${s.status}`} aria-hidden="true" />
                {s.name} <span class="em-muted">({s.kind})</span>
              </span>
              <span class="em-step-bar" aria-hidden="true">
                <span
                  style={{
                    left: `${Math.min(100, (s.offsetMs / total) * 100)}%`,
                    width: `${Math.min(100, Math.max(1, ((s.durationMs ?? total - s.offsetMs) / total) * 100))}%`,
                  }}
                />
              </span>
              <span class="em-step-time em-muted">
                {t("logs.stepAt", { offset: duration(locale, s.offsetMs) })}
                {s.durationMs !== undefined && ` · ${duration(locale, s.durationMs)}`}
                {" · "}
                {t(`execution.${s.status === "running" || s.status === "failed" ? s.status : "succeeded"}`)}
              </span>
              {s.error && <span class="em-step-error">{inertText(s.error)}</span>}
            </li>
          ))}
        </ol>
      )}

      <div class="em-columns">
        <div>
          <h3 class="em-subtitle">{t("logs.payload")}</h3>
          <Json value={x.payload} empty={t("logs.noPayload")} />
          {x.payloadTruncated && <p class="em-muted em-small">{t("logs.payloadTruncated")}</p>}
        </div>
        <div>
          <h3 class="em-subtitle">{t("logs.output")}</h3>
          <Json value={x.output} empty={t("logs.noOutput")} />
        </div>
      </div>
      <p class="em-muted em-small">{t("logs.redacted")}</p>

      <h3 class="em-subtitle">{t("logs.logLines")}</h3>
      <ol class="em-logs em-mono">
        {x.logs.map((l, i) => (
          <li key={i} class={`em-log em-log-${l.level}`}>
            <time dateTime={l.at}>{new Date(l.at).toISOString().slice(11, 23)}</time> <span class="em-log-level">{l.level}</span>{" "}
            {l.step && <span class="em-log-step">[{inertText(l.step)}]</span>} {inertText(l.message)}
          </li>
        ))}
      </ol>
    </div>
  );
}
