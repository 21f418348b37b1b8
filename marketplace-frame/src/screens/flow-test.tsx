/**
 * The Test panel of one flow on the instance page (its own chunk, loaded on the first Test
 * click): the payload in the code editor (fields/code.tsx), starting from the example the flow
 * declares, so the first run succeeds; Run test; then the run inline — its status, steps,
 * payload, output and log lines (activity/run-details.tsx). The run is recorded as a test.
 *
 * A payload that is not JSON, or is longer than the platform takes, is a field error under the
 * editor (with the editor's marker where the JSON breaks) and nothing is sent; whatever the
 * outcome, the text stays as typed — also when the panel is closed and opened again, for as long
 * as the frame lives (`typed`). Scheduled flows run without a payload, as their schedule would.
 */
import { useState } from "preact/hooks";
import { TEST_PAYLOAD_MAX_CHARS, type Execution, type Instance, type InstanceFlow } from "../../../contract/api.ts";
import { jsonSyntaxError } from "../../../contract/json-syntax.ts";
import { readTestPayload } from "../../../client/runs-api.ts";
import { fieldErrors } from "../../../client/wizard.ts";
import { CodeField } from "../fields/code.tsx";
import { RunDetails } from "../activity/run-details.tsx";
import { useFrame } from "../context.ts";
import { duration } from "../i18n/format.ts";
import { SkeletonBlock } from "../ui/skeleton.tsx";
import { runsApi, runErrorText } from "./run-actions.ts";

/** What was typed per instance and flow, kept while the frame lives (closing the panel loses nothing). */
const typed = new Map<string, string>();

const exampleOf = (flow: InstanceFlow) => JSON.stringify(flow.example ?? {}, null, 2);

export function FlowTest({ instance, flow, name, onRan, onClose }: { instance: Instance; flow: InstanceFlow; name: string; onRan: (run: Execution) => void; onClose: () => void }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const key = `${instance.id}/${flow.id}`;
  const webhook = flow.trigger.kind === "webhook";
  const [text, setText] = useState(() => typed.get(key) ?? exampleOf(flow));
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<Execution | undefined>();
  const id = `em-test-${flow.id}`;
  const type = (value: string) => {
    typed.set(key, value);
    setText(value);
    setError(undefined);
  };

  /** The payload to send, or undefined after showing why there is none. */
  const payload = (): { value: unknown } | undefined => {
    if (!webhook) return { value: null };
    const read = readTestPayload(text);
    if (read.ok) return { value: read.value };
    if (read.problem === "too-large") {
      setError(t("runs.tooLarge", { size: locale.numberFormat.value.format(read.size), max: locale.numberFormat.value.format(TEST_PAYLOAD_MAX_CHARS) }));
    } else {
      const at = jsonSyntaxError(text) ?? { line: 1, column: 1, end: true };
      setError(t(at.end ? "runs.notJsonEnd" : "runs.notJson", { line: at.line, column: at.column }));
    }
    return undefined;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const send = payload();
    if (!send) return;
    setBusy(true);
    setFailure(undefined);
    setRun(undefined);
    try {
      const done = await runsApi(frame).testRun(instance.id, flow.id, send.value);
      setRun(done);
      onRan(done);
    } catch (err) {
      // The platform's own check of the payload is a field error too; anything else is said above the buttons.
      const field = fieldErrors(err)?.payload;
      if (field) setError(field);
      else setFailure(runErrorText(frame, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="em-panel em-flow-test" aria-labelledby={`${id}-title`}>
      <h3 class="em-subtitle" id={`${id}-title`}>
        {t("runs.testTitle", { flow: name })}
      </h3>
      <p class="em-muted">{t(webhook ? "runs.testHint" : "runs.scheduleHint")}</p>
      <form onSubmit={submit} noValidate>
        {webhook && (
          <div class="em-field">
            <label class="em-label" id={`${id}-label`} for={id}>
              {t("runs.payload")}
            </label>
            <p class="em-muted em-small" id={`${id}-hint`}>
              {t("runs.payloadHint", { max: locale.numberFormat.value.format(TEST_PAYLOAD_MAX_CHARS) })}
            </p>
            <CodeField
              def={{ key: "payload", type: "code", language: "json", label: t("runs.payload") }}
              value={text}
              onChange={(v) => type(typeof v === "string" ? v : "")}
              aria={{ id, "aria-invalid": !!error, "aria-describedby": error ? `${id}-error` : `${id}-hint`, "aria-required": true }}
              readOnly={false}
              label={t("runs.payload")}
              instanceId={instance.id}
              integrationId={instance.integrationId}
              storedSecret={false}
              error={error}
            />
            {error && (
              <p class="em-field-error" id={`${id}-error`} role="alert">
                {error}
              </p>
            )}
          </div>
        )}
        {failure && (
          <p class="em-field-error" role="alert">
            {failure}
          </p>
        )}
        <div class="em-row em-wrap">
          <button type="submit" class="em-button em-button-primary" disabled={busy} aria-busy={busy || undefined}>
            {busy ? t("runs.running") : t("runs.run")}
          </button>
          {webhook && (
            <button type="button" class="em-button em-button-ghost" disabled={busy} onClick={() => type(exampleOf(flow))}>
              {t("runs.useExample")}
            </button>
          )}
          <span class="em-spacer" />
          <button type="button" class="em-button em-button-ghost" onClick={onClose}>
            {t("runs.close")}
          </button>
        </div>
      </form>
      {busy && <SkeletonBlock lines={3} />}
      {run && (
        <div class="em-test-result" role="status" aria-live="polite">
          <h4 class="em-subtitle">{t("runs.result")}</h4>
          <p class={run.status === "succeeded" ? "em-success" : "em-field-error"}>
            <span class={`em-badge em-badge-${run.status}`}>{t(`execution.${run.status}`)}</span>{" "}
            {run.status === "failed"
              ? t("runs.failed", { error: run.error ?? "" })
              : t("runs.succeeded", { duration: duration(locale, run.durationMs ?? 0) })}
          </p>
          <RunDetails execution={run} />
        </div>
      )}
    </section>
  );
}
