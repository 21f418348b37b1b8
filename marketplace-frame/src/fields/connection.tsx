/**
 * Connection fields: API key, username/password, or OAuth 2.0 on the platform's own authorize
 * page, through the client core's one OAuth flow (client/oauth-flow.ts): a popup opened inside
 * the click, or, when the browser blocks it, a link the user clicks; the flow completes on the
 * platform's status for this user, so a closed popup, a denial or a cancel is a clear state and
 * the field keeps everything else. Secret inputs are masked with autocomplete off; a stored
 * secret shows as "••• set" with Replace, and is not sent again unless replaced (S2).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { OAuthErrorCode } from "../../../contract/errors.ts";
import { openPopup, runOAuthFlow } from "../../../client/oauth-flow.ts";
import { isApiError } from "../../../client/error.ts";
import { connectionsApi } from "../../../client/connections-api.ts";
import { useFrame } from "../context.ts";
import { connectionInputOf, type ConnectionForm } from "../../../contract/connection-form.ts";
import type { FieldProps } from "./types.ts";

type OAuthUi = "idle" | "pending" | "denied" | "closed" | "timeout" | "blocked" | "mismatch" | "error";

/** What the secret inputs of one connection field share: a stored secret's mask, read-only, its error. */
interface SecretState {
  stored: boolean;
  readOnly: boolean;
  invalid: boolean;
  describedBy: string | undefined;
}

function SecretInput(props: SecretState & { id: string; label: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const { t } = useFrame();
  const [replacing, setReplacing] = useState(!props.stored || props.value !== undefined);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (replacing && props.stored) inputRef.current?.focus();
  }, [replacing]);
  return (
    <label class="em-inline-field em-grow">
      <span class="em-sublabel">{props.label}</span>
      {props.stored && !replacing ? (
        <span class="em-row">
          <span class="em-secret-set" id={props.id}>
            {t("connection.set")}
          </span>
          {!props.readOnly && (
            <button type="button" class="em-button em-button-secondary" onClick={() => setReplacing(true)}>
              {t("connection.replace")}
            </button>
          )}
        </span>
      ) : (
        <span class="em-row">
          <input
            ref={inputRef}
            id={props.id}
            class="em-input em-grow"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={props.value ?? ""}
            readOnly={props.readOnly}
            aria-invalid={props.invalid}
            aria-describedby={props.describedBy}
            onInput={(e) => props.onChange(e.currentTarget.value)}
          />
          {props.stored && !props.readOnly && (
            <button
              type="button"
              class="em-button em-button-ghost"
              onClick={() => {
                props.onChange(undefined);
                setReplacing(false);
              }}
            >
              {t("connection.keepStored")}
            </button>
          )}
        </span>
      )}
    </label>
  );
}

export function ConnectionField({ def, value, onChange, aria, readOnly, instanceId, storedSecret }: FieldProps<"connection">) {
  const frame = useFrame();
  const { t } = frame;
  const api = { origin: frame.api.origin, ...connectionsApi(frame.api.call) };
  const { kind, app } = def.connection;
  const form: ConnectionForm =
    value && typeof value === "object" && (value as ConnectionForm).kind === kind
      ? (value as ConnectionForm)
      : kind === "basic"
        ? { kind, username: "" }
        : { kind };
  const [test, setTest] = useState<{ state: "idle" | "testing" | "ok" | "failed"; message?: string }>({ state: "idle" });
  const [oauth, setOauth] = useState<OAuthUi>("idle");
  /** The authorize URL offered as a link when the browser blocked the popup. */
  const [fallback, setFallback] = useState<string>();
  const cleanup = useRef<() => void>(() => {});
  useEffect(() => () => cleanup.current(), []);

  const update = (next: ConnectionForm) => {
    setTest({ state: "idle" });
    onChange(next);
  };

  async function runTest() {
    setTest({ state: "testing" });
    try {
      const result = await api.testConnectionField(instanceId, def.key, connectionInputOf(form));
      setTest({ state: result.ok ? "ok" : "failed", message: result.message });
    } catch (e) {
      setTest({ state: "failed", message: frame.errorText(e) });
    }
  }

  function connect() {
    cleanup.current();
    // Opened synchronously inside the click, or the browser blocks it.
    const popup = openPopup(`em-oauth-${def.key}`);
    const abort = new AbortController();
    cleanup.current = () => abort.abort();
    setFallback(undefined);
    setOauth("pending");
    runOAuthFlow({
      start: () => api.startFieldOAuth(instanceId, def.key),
      status: api.oauthStatus,
      origin: api.origin,
      opener: { kind: "popup", popup },
      onBlocked: (url) => {
        setFallback(url);
        setOauth("blocked");
      },
      signal: abort.signal,
    }).then(
      (connection) => {
        if (abort.signal.aborted) return;
        setFallback(undefined);
        setOauth("idle");
        update({ kind: "oauth2", status: "active", connectionId: connection.id, ...(connection.account ? { account: connection.account } : {}) });
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        const code = isApiError(e) ? e.code : "";
        setFallback(undefined);
        setOauth(
          code === OAuthErrorCode.Denied
            ? "denied"
            : code === OAuthErrorCode.PopupClosed
              ? "closed"
              : code === OAuthErrorCode.Expired
                ? "timeout"
                : code === OAuthErrorCode.StateMismatch
                  ? "mismatch"
                  : "error",
        );
      },
    );
  }

  const describedBy = aria["aria-describedby"];
  const invalid = aria["aria-invalid"];
  const secret: SecretState = { stored: storedSecret, readOnly, invalid, describedBy };
  let body;
  if (form.kind === "api-key") {
    body = <SecretInput {...secret} id={aria.id} label={t("connection.apiKey")} value={form.apiKey} onChange={(apiKey) => update({ kind: "api-key", apiKey })} />;
  } else if (form.kind === "basic") {
    body = (
      <div class="em-row em-wrap">
        <label class="em-inline-field em-grow">
          <span class="em-sublabel">{t("connection.username")}</span>
          <input
            id={aria.id}
            class="em-input"
            type="text"
            autocomplete="off"
            value={form.username}
            readOnly={readOnly}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onInput={(e) => update({ ...form, username: e.currentTarget.value })}
          />
        </label>
        <SecretInput {...secret} id={`${aria.id}-password`} label={t("connection.password")} value={form.password} onChange={(password) => update({ ...form, password })} />
      </div>
    );
  } else {
    const active = !!form.grantId || form.status === "active";
    const message: Partial<Record<OAuthUi, string>> = {
      denied: t("connection.denied", { app }),
      closed: t("connection.closed"),
      timeout: t("connection.timeout"),
      blocked: t("connection.blocked"),
      mismatch: t("connection.stateMismatch"),
      error: t("app.error.generic"),
    };
    body = (
      <div class="em-oauth">
        {def.connection.scopes?.length ? <p class="em-muted">{t("connection.scopes", { scopes: def.connection.scopes.join(", ") })}</p> : null}
        <div class="em-row" aria-live="polite">
          {oauth === "pending" ? (
            <span class="em-status em-status-pending">{t("connection.pending", { app })}</span>
          ) : active ? (
            <span class="em-status em-status-ok">
              {form.account ? t("connection.activeAccount", { app, account: form.account }) : t("connection.active", { app })}
            </span>
          ) : message[oauth] ? (
            <span class="em-status em-status-error" role="alert">
              {message[oauth]}
            </span>
          ) : null}
        </div>
        {fallback && (
          <a class="em-button em-button-primary" href={fallback} target="_blank" rel="noopener noreferrer">
            {t("connection.openTab", { app })}
          </a>
        )}
        {!readOnly && oauth !== "pending" && (
          <button id={aria.id} type="button" class="em-button em-button-primary" aria-describedby={describedBy} aria-invalid={invalid} onClick={connect}>
            {oauth !== "idle" ? t("app.retry") : active ? t("connection.reconnect", { app }) : t("connection.connect", { app })}
          </button>
        )}
      </div>
    );
  }

  return (
    <div class="em-connection">
      {body}
      {form.kind !== "oauth2" && (
        <div class="em-row em-connection-test" aria-live="polite">
          <button type="button" class="em-button em-button-secondary" disabled={test.state === "testing"} onClick={() => void runTest()}>
            {test.state === "testing" ? t("connection.testing") : t("connection.test")}
          </button>
          {test.state === "ok" && <span class="em-status em-status-ok">{t("connection.testOk")}</span>}
          {test.state === "failed" && <span class="em-status em-status-error">{t("connection.testFailed", { message: test.message ?? "" })}</span>}
        </div>
      )}
    </div>
  );
}
