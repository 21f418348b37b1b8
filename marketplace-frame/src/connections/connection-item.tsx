/**
 * One connection on the Connections screen: its name, kind, account and health, the instances
 * that use it (links to their pages), and, for a customer-owned one and an admin, Test, Reconnect,
 * Rename and Delete. A connection the host organization provides says so and offers nothing to
 * change: its secret never reaches the frame (S4), so there is nothing to show either.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Connection } from "../../../contract/api-types.ts";
import { useFrame } from "../context.ts";
import { openFrom } from "../activity/return-to.ts";
import { CredentialsForm, type Credentials } from "./credentials-form.tsx";
import type { OAuthView } from "./oauth-connect.ts";
import { OAuthState } from "./oauth-state.tsx";
import { Confirm } from "../ui/confirm.tsx";
import { Manage } from "../ui/manage.tsx";
import { FieldError } from "../ui/field-error.tsx";

export type TestResult = { state: "testing" } | { state: "done"; ok: boolean; message: string };
export type Mode = "rename" | "reconnect" | "delete";

export interface ItemControl {
  /** What is open on this row (a form or the delete dialog). */
  mode: Mode | undefined;
  busy: boolean;
  /** The platform's words about the open form's fields, or the refused delete (`""`). */
  errors: Record<string, string>;
  test: TestResult | undefined;
  oauth: OAuthView | undefined;
  open(mode: Mode | undefined): void;
  runTest(): void;
  /** Starts a reconnect: the OAuth flow (inside this click) or the key form. */
  reconnect(): void;
  saveCredentials(value: Credentials): void;
  rename(name: string): void;
  remove(): void;
}

const BADGE = { active: "em-badge-succeeded", "needs-reconnect": "em-badge-failed", "test-failed": "em-badge-failed" } as const;

function RenameForm({ connection, ctl }: { connection: Connection; ctl: ItemControl }) {
  const { t } = useFrame();
  const [name, setName] = useState(connection.name);
  const id = `em-conn-${connection.id}-rename`;
  const error = ctl.errors.name ?? ctl.errors[""];
  // Focus into the field as the form opens: `autoFocus` does nothing in a cross-origin frame (ui/confirm.tsx).
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <form
      class="em-rename em-conn-form"
      noValidate
      onSubmit={(e) => (e.preventDefault(), ctl.rename(name.trim()))}
      onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), ctl.open(undefined))}
    >
      <label class="em-label" for={id}>
        {t("conn.name")}
      </label>
      <div class="em-row em-wrap">
        <input
          id={id}
          class="em-input em-grow"
          ref={input}
          value={name}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" class="em-button em-button-primary" disabled={ctl.busy}>
          {t("conn.save")}
        </button>
        <button type="button" class="em-button em-button-ghost" onClick={() => ctl.open(undefined)}>
          {t("conn.cancel")}
        </button>
      </div>
      <FieldError id={id} error={error} />
    </form>
  );
}

function ConfirmDelete({ connection, ctl }: { connection: Connection; ctl: ItemControl }) {
  const { t } = useFrame();
  const refused = ctl.errors[""];
  return (
    <Confirm
      id={`em-conn-${connection.id}-delete`}
      title={refused ? t("conn.inUse") : t("conn.deleteTitle", { name: connection.name })}
      body={refused ?? t("conn.deleteBody")}
      alert={!!refused}
      cancelLabel={t("conn.cancel")}
      onCancel={() => ctl.open(undefined)}
      {...(!refused && { confirm: { label: t("conn.deleteConfirm"), busy: ctl.busy, onClick: ctl.remove } })}
    />
  );
}

export function ConnectionItem({ connection: c, ctl }: { connection: Connection; ctl: ItemControl }) {
  const frame = useFrame();
  const { t } = frame;
  const base = `em-conn-${c.id}`;
  const failedTest = ctl.test?.state === "done" && !ctl.test.ok;
  const health = c.status === "needs-reconnect" ? c.status : failedTest ? "test-failed" : "active";
  // Forms and the dialog open only from the buttons, which only an admin gets.
  const changeable = !c.providedBy;
  // Focus comes back to the button that opened a form or the dialog when it closes.
  const opener = useRef<HTMLButtonElement | null>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !ctl.mode) opener.current?.focus();
    wasOpen.current = !!ctl.mode;
  }, [ctl.mode]);
  const openWith = (mode: Mode) => (e: Event) => {
    opener.current = e.currentTarget as HTMLButtonElement;
    ctl.open(mode);
  };
  const users = [...new Map(c.usedBy.map((u) => [u.instanceId, u])).values()];
  return (
    <li class={`em-conn${health !== "active" ? " em-health-urgent" : ""}`} data-connection-id={c.id} aria-labelledby={`${base}-name`}>
      <div class="em-conn-head">
        <div class="em-health-main">
          <div class="em-row em-wrap">
            <span class="em-flow-name" id={`${base}-name`}>
              {c.name}
            </span>
            <span class={`em-badge ${BADGE[health]}`}>{t(`conn.status.${health}`)}</span>
            <span class="em-tag">{t(`conn.kind.${c.kind}`)}</span>
            {c.providedBy && (
              <span class="em-tag em-tag-provided" title={t("conn.providedHint", { host: c.providedBy })}>
                {t("connection.providedBy", { host: c.providedBy })}
              </span>
            )}
          </div>
          {c.account && <p class="em-muted em-small">{t("conn.account", { account: c.account })}</p>}
          {c.providedBy && <p class="em-muted em-small">{t("conn.providedHint", { host: c.providedBy })}</p>}
          {c.status === "needs-reconnect" && c.statusMessage && <p class="em-text-danger em-small">{c.statusMessage}</p>}
        </div>
        {changeable && (
          <Manage>
            <div class="em-row em-wrap em-health-actions" role="group" aria-label={t("conn.actions", { name: c.name })}>
              <button type="button" class="em-button em-button-secondary" disabled={ctl.test?.state === "testing"} onClick={ctl.runTest}>
                {ctl.test?.state === "testing" ? t("connection.testing") : t("conn.test")}
              </button>
              <button
                type="button"
                class={`em-button ${c.status === "needs-reconnect" ? "em-button-primary" : "em-button-secondary"}`}
                disabled={ctl.oauth?.state === "pending" || ctl.oauth?.state === "blocked"}
                onClick={(e) => {
                  opener.current = e.currentTarget;
                  ctl.reconnect();
                }}
              >
                {t("conn.reconnect")}
              </button>
              <button type="button" class="em-button em-button-secondary" onClick={openWith("rename")}>
                {t("conn.rename")}
              </button>
              <button type="button" class="em-button em-button-danger-ghost" onClick={openWith("delete")}>
                {t("conn.delete")}
              </button>
            </div>
          </Manage>
        )}
      </div>
      <p class="em-row em-wrap em-small em-conn-uses">
        {users.length ? (
          <>
            <span class="em-muted">{t("conn.usedBy")}:</span>
            {users.map((u, i) => (
              <span key={u.instanceId}>
                <button type="button" class="em-link-button" onClick={() => openFrom(frame, { name: "instance", instanceId: u.instanceId }, { name: "connections" })}>
                  {u.instanceName}
                </button>
                {i < users.length - 1 && ","}
              </span>
            ))}
          </>
        ) : (
          <span class="em-muted">{t("conn.unused")}</span>
        )}
      </p>
      <div aria-live="polite" class="em-conn-live">
        {ctl.test?.state === "done" && (
          <p class={`em-status ${ctl.test.ok ? "em-status-ok" : "em-status-error"}`}>
            {t(ctl.test.ok ? "conn.testOk" : "conn.testFailed", { message: ctl.test.message })}
          </p>
        )}
        <OAuthState view={ctl.oauth} app={c.app} />
      </div>
      {changeable && ctl.mode === "rename" && <RenameForm connection={c} ctl={ctl} />}
      {changeable && ctl.mode === "delete" && <ConfirmDelete connection={c} ctl={ctl} />}
      {changeable && ctl.mode === "reconnect" && c.kind !== "oauth2" && (
        <CredentialsForm
          id={`${base}-reconnect`}
          title={t("conn.reconnectTitle", { name: c.name })}
          hint={t("conn.reconnectHint")}
          kind={c.kind}
          username={c.credentials?.kind === "basic" ? c.credentials.username : undefined}
          busy={ctl.busy}
          errors={ctl.errors}
          submitLabel={t("conn.reconnect")}
          onSubmit={ctl.saveCredentials}
          onCancel={() => ctl.open(undefined)}
        />
      )}
    </li>
  );
}
