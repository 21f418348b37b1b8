/**
 * "Add connection" on the Connections screen: the apps the catalog's integrations connect to
 * (icon, name, kind), then, for an OAuth app, the client core's OAuth flow started inside that
 * click (popup, or a link when the browser blocks it), or, for a key app, the key form with an
 * optional name. The app checks the credentials before anything is saved: a refusal lands next
 * to its field and the typed values stay. Esc or Cancel closes it with nothing added.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Connection, ConnectionApp } from "../../../contract/api-types.ts";
import type { ConnectionsApi } from "../../../client/connections-api.ts";
import { fieldErrors } from "../../../client/wizard.ts";
import { useFrame } from "../context.ts";
import { IntegrationIcon } from "../ui/icon.tsx";
import { CredentialsForm } from "./credentials-form.tsx";
import { connectWithOAuth, type OAuthView } from "./oauth-connect.ts";
import { OAuthState } from "./oauth-state.tsx";

export function AddConnection({ apps, api, onAdded, onClose }: { apps: ConnectionApp[]; api: ConnectionsApi & { origin: string }; onAdded(c: Connection): void; onClose(): void }) {
  const frame = useFrame();
  const { t } = frame;
  const [chosen, setChosen] = useState<ConnectionApp | undefined>();
  const [flow, setFlow] = useState<OAuthView | undefined>();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => void (!chosen && first.current?.focus()), [chosen]);

  const choose = (app: ConnectionApp) => {
    setChosen(app);
    setErrors({});
    if (app.kind !== "oauth2") return;
    connectWithOAuth(api, app.app, undefined, setFlow, frame).then(
      (connection) => connection && onAdded(connection),
      (e) => frame.toastError(e),
    );
  };
  const back = () => {
    if (flow && "stop" in flow) flow.stop();
    setFlow(undefined);
    setChosen(undefined);
  };

  return (
    <section
      class="em-panel em-conn-add"
      aria-labelledby="em-conn-add-title"
      onKeyDown={(e) => e.key === "Escape" && !e.defaultPrevented && (e.preventDefault(), chosen ? back() : onClose())}
    >
      <h2 class="em-panel-title" id="em-conn-add-title">
        {t("conn.addTitle")}
      </h2>
      {!chosen ? (
        <>
          {apps.length === 0 ? (
            <p class="em-muted">{t("conn.noApps")}</p>
          ) : (
            <ul class="em-conn-apps" aria-label={t("conn.chooseApp")}>
              {apps.map((app, i) => (
                <li key={`${app.kind} ${app.app}`}>
                  <button ref={i === 0 ? first : undefined} type="button" class="em-conn-app" onClick={() => choose(app)}>
                    <IntegrationIcon src={app.icon} name={app.app} />
                    <span class="em-conn-app-name">{app.app}</span>
                    <span class="em-muted em-small">{t(`conn.kind.${app.kind}`)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div class="em-row">
            <button type="button" class="em-button em-button-ghost" onClick={onClose}>
              {t("conn.cancel")}
            </button>
          </div>
        </>
      ) : chosen.kind === "oauth2" ? (
        <div class="em-conn-form" aria-live="polite">
          <h3 class="em-section-title">{t("connection.connect", { app: chosen.app })}</h3>
          <OAuthState view={flow} app={chosen.app} />
          <div class="em-row">
            {flow?.state === "failed" && (
              <button type="button" class="em-button em-button-primary" onClick={() => choose(chosen)}>
                {t("app.retry")}
              </button>
            )}
            <button type="button" class="em-button em-button-ghost" onClick={back}>
              {t("conn.cancel")}
            </button>
          </div>
        </div>
      ) : (
        <CredentialsForm
          id="em-conn-add"
          title={t("connection.connect", { app: chosen.app })}
          kind={chosen.kind}
          named
          busy={busy}
          errors={errors}
          submitLabel={t("conn.save")}
          onCancel={back}
          onSubmit={(value) => {
            setBusy(true);
            setErrors({});
            api.createConnection({ app: chosen.app, ...value, credentials: value.credentials as { kind: "api-key"; apiKey: string } }).then(
              onAdded,
              (e) => {
                const fields = fieldErrors(e);
                if (fields) setErrors(fields);
                else frame.toastError(e);
              },
            ).finally(() => setBusy(false));
          }}
        >
          <p class="em-row">
            <IntegrationIcon src={chosen.icon} name={chosen.app} />
            <span class="em-muted">{t(`conn.kind.${chosen.kind}`)}</span>
          </p>
        </CredentialsForm>
      )}
    </section>
  );
}
