/**
 * Connection fields: pick one of the customer's connections of the field's app and kind (their own
 * or one the host provides, S4: never a secret), or make a new one: API key, username/password, or
 * OAuth 2.0 on the platform's own authorize page, through the client core's one OAuth flow as the
 * frame starts it from a click (oauth-opener.ts): a popup opened inside the click, or, when the
 * browser blocks it, a link the user clicks; the flow completes on the platform's status for this
 * user, so a closed popup, a denial or a cancel is a clear state and the field keeps everything
 * else. Picking is the client core's (client/wizard-connections.ts): a picked connection is sent as
 * `{ connectionId }`; what was typed for a new one is kept while the user looks at others. Secret
 * inputs are masked with autocomplete off; the saved connection's secret shows as "••• set" with
 * Replace, and is not sent again unless replaced (S2).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { OAuthErrorCode } from "../../../contract/errors.ts";
import { oauthFromClick } from "../oauth-opener.ts";
import { isApiError } from "../../../client/error.ts";
import { connectionsApi } from "../../../client/connections-api.ts";
import { useFrame } from "../context.ts";
import { connectionInputOf, type ConnectionForm } from "../../../contract/connection-form.ts";
import { chosenConnectionId, connectionChoices, formForConnection, type ConnectionChoice } from "../../../client/wizard-connections.ts";
import type { Connection } from "../../../contract/api-types.ts";
import { ConnectionPicker, type ChoicesState } from "./connection-picker.tsx";
import { FieldError } from "../ui/field-error.tsx";
import type { FieldProps } from "./types.ts";
import { Manage } from "../ui/manage.tsx";

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

const OAUTH_UI: Record<string, OAuthUi> = {
  [OAuthErrorCode.Denied]: "denied",
  [OAuthErrorCode.PopupClosed]: "closed",
  [OAuthErrorCode.Expired]: "timeout",
  [OAuthErrorCode.StateMismatch]: "mismatch",
};

export function ConnectionField({ def, value, onChange, aria, readOnly, instanceId, storedSecret, error }: FieldProps<"connection">) {
  const frame = useFrame();
  const { t } = frame;
  const api = { origin: frame.api.origin, ...connectionsApi(frame.api.call) };
  const { kind, app } = def.connection;
  const blank: ConnectionForm = kind === "basic" ? { kind, username: "" } : { kind };
  const form: ConnectionForm = value && typeof value === "object" && (value as ConnectionForm).kind === kind ? (value as ConnectionForm) : blank;
  const chosen = chosenConnectionId(form);
  /** The connection saved for this field when the page opened: its secret can be replaced here. */
  const saved = useRef(chosen);
  /** What the user typed for a new connection, kept while they look at their saved ones. */
  const typedNew = useRef<ConnectionForm>(chosen ? blank : form);
  const [list, setList] = useState<ChoicesState>({ state: "loading" });
  const [test, setTest] = useState<{ state: "idle" | "testing" | "ok" | "failed"; message?: string }>({ state: "idle" });
  const [oauth, setOauth] = useState<OAuthUi>("idle");
  /** The authorize URL offered as a link when the browser blocked the popup. */
  const [fallback, setFallback] = useState<string>();
  const cleanup = useRef<() => void>(() => {});
  useEffect(() => () => cleanup.current(), []);

  function load() {
    setList({ state: "loading" });
    api.listConnections(app).then(
      (connections) => setList({ state: "ready", choices: connectionChoices(def, connections) }),
      (e: unknown) => setList({ state: "error", message: frame.errorText(e) }),
    );
  }
  useEffect(load, [app, kind]);

  const choices = list.state === "ready" ? list.choices : [];
  const choice = choices.find((c) => c.connection.id === chosen);
  const provided = choice?.providedBy ?? (form as { providedBy?: string }).providedBy;
  /** A connection the flow made or reconnected: listed (and marked healthy) right away. */
  const listed = (connection: Connection) =>
    setList((l) => (l.state === "ready" ? { state: "ready", choices: connectionChoices(def, [...l.choices.map((c) => c.connection).filter((c) => c.id !== connection.id), connection]) } : l));

  const update = (next: ConnectionForm) => {
    setTest({ state: "idle" });
    onChange(next);
  };

  function pick(next: ConnectionChoice | undefined) {
    if (!chosen) typedNew.current = form;
    cleanup.current();
    setOauth("idle");
    setFallback(undefined);
    update(next ? formForConnection(def, next.connection) : typedNew.current);
  }

  async function runTest() {
    setTest({ state: "testing" });
    try {
      const result = await api.testConnectionField(instanceId, def.key, connectionInputOf(form));
      setTest({ state: result.ok ? "ok" : "failed", message: result.message });
    } catch (e) {
      setTest({ state: "failed", message: frame.errorText(e) });
    }
  }

  /** Runs the OAuth flow: a new connection from this field, or a reconnect of `reconnect` (every instance using it heals). */
  function connect(reconnect?: string) {
    cleanup.current();
    // Started synchronously inside the click, or the browser blocks the popup (or the host's hook opens it).
    const flow = oauthFromClick(frame, api, {
      name: `em-oauth-${def.key}`,
      start: () => (reconnect ? api.startOAuth(app, reconnect) : api.startFieldOAuth(instanceId, def.key)),
      onBlocked: (url) => {
        setFallback(url);
        setOauth("blocked");
      },
    });
    cleanup.current = flow.stop;
    setFallback(undefined);
    setOauth("pending");
    flow.connection.then(
      (connection) => {
        if (!connection) return;
        setFallback(undefined);
        setOauth("idle");
        listed(connection);
        update(formForConnection(def, connection));
      },
      (e: unknown) => {
        setFallback(undefined);
        setOauth(OAUTH_UI[isApiError(e) ? e.code : ""] ?? "error");
      },
    );
  }

  const describedBy = aria["aria-describedby"];
  const invalid = aria["aria-invalid"];
  /** Typed credentials: for a new connection, or to replace the saved one's secret (not one the host provides). */
  const typing = kind !== "oauth2" && (!chosen || (chosen === saved.current && provided === undefined));
  const secret: SecretState = { stored: chosen ? true : storedSecret, readOnly, invalid, describedBy };
  let body;
  if (!typing && kind !== "oauth2") {
    body = null;
  } else if (form.kind === "api-key") {
    body = <SecretInput {...secret} id={aria.id} label={t("connection.apiKey")} value={form.apiKey} onChange={(apiKey) => update({ ...form, apiKey })} />;
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
    // A picked connection is as healthy as the list says (the form's state until it loads); a
    // value without one (a grant from before connections were records) as its state says.
    const active = chosen ? (choice ? choice.usable : form.status === "active") : !!form.grantId || form.status === "active";
    const message: Partial<Record<OAuthUi, string>> = {
      denied: t("connection.denied", { app }),
      closed: t("connection.closed"),
      timeout: t("connection.timeout"),
      blocked: t("connection.blocked"),
      mismatch: t("connection.stateMismatch"),
      error: t("app.error.generic"),
    };
    // A picked connection that needs reconnecting is reconnected in place (the customer's own);
    // otherwise the button makes a new connection.
    const reconnect = chosen && !active && provided === undefined ? chosen : undefined;
    const showButton = !readOnly && oauth !== "pending" && (!chosen || reconnect);
    body = (
      <div class="em-oauth">
        {def.connection.scopes?.length && !chosen ? <p class="em-muted">{t("connection.scopes", { scopes: def.connection.scopes.join(", ") })}</p> : null}
        <div class="em-row" aria-live="polite">
          {oauth === "pending" ? (
            <span class="em-status em-status-pending">{t("connection.pending", { app })}</span>
          ) : message[oauth] ? (
            <span class="em-status em-status-error" role="alert">
              {message[oauth]}
            </span>
          ) : active ? (
            <span class="em-status em-status-ok">
              {form.account ? t("connection.activeAccount", { app, account: form.account }) : t("connection.active", { app })}
            </span>
          ) : null}
        </div>
        {fallback && (
          <a class="em-button em-button-primary" href={fallback} target="_blank" rel="noopener noreferrer">
            {t("connection.openTab", { app })}
          </a>
        )}
        {oauth === "pending" && (
          // The user gave up (closed the browser the host opened, or changed their mind): nothing changes.
          <button
            type="button"
            class="em-button em-button-secondary"
            onClick={() => {
              cleanup.current();
              setFallback(undefined);
              setOauth("idle");
            }}
          >
            {t("connection.cancelSignIn")}
          </button>
        )}
        {showButton && (
          <button id={chosen ? undefined : aria.id} type="button" class="em-button em-button-primary" aria-describedby={describedBy} aria-invalid={invalid} onClick={() => connect(reconnect)}>
            {oauth !== "idle" ? t("app.retry") : reconnect || active ? t("connection.reconnect", { app }) : t("connection.connect", { app })}
          </button>
        )}
      </div>
    );
  }
  const broken = choice && !choice.usable;
  const showPicker = list.state !== "ready" || choices.length > 0 || !!chosen;

  return (
    <div class="em-connection">
      {showPicker && (
        <ConnectionPicker
          id={aria.id}
          // The field's focus target (an error focuses it) when no input below has its id.
          focusChosen={!!chosen && !typing}
          aria={aria}
          app={app}
          list={list}
          chosen={chosen}
          readOnly={readOnly}
          onPick={pick}
          onRetry={load}
        />
      )}
      {broken && (
        <p class="em-status em-status-pending em-conn-warning" role="status">
          {provided !== undefined
            ? t("connection.brokenProvided", { app, host: provided })
            : kind === "oauth2"
              ? t("connection.brokenOAuth", { app })
              : typing
                ? t("connection.brokenSaved", { app })
                : t("connection.broken", { app })}
        </p>
      )}
      {body}
      <FieldError id={aria.id} error={error} />
      {form.kind !== "oauth2" && (
        <div class="em-row em-connection-test" aria-live="polite">
          {/* The platform lets only an admin test (A9): a viewer's read-only field offers no button it would refuse. */}
          <Manage>
            <button type="button" class="em-button em-button-secondary" disabled={test.state === "testing"} onClick={() => void runTest()}>
              {test.state === "testing" ? t("connection.testing") : t("connection.test")}
            </button>
          </Manage>
          {test.state === "ok" && <span class="em-status em-status-ok">{t("connection.testOk")}</span>}
          {test.state === "failed" && <span class="em-status em-status-error">{t("connection.testFailed", { message: test.message ?? "" })}</span>}
        </div>
      )}
    </div>
  );
}
