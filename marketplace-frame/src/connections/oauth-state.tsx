/**
 * Where an OAuth flow of the Connections screen stands, in words: waiting (with Stop waiting),
 * blocked (the sign-in as a link the user clicks, S5: it carries only the opaque state) or why it
 * did not connect. The same on a row's reconnect and in "Add connection".
 */
import { useFrame } from "../context.ts";
import type { OAuthView } from "./oauth-connect.ts";

export function OAuthState({ view, app }: { view: OAuthView | undefined; app: string }) {
  const { t } = useFrame();
  if (!view) return null;
  if (view.state === "failed")
    return (
      <p class="em-status em-status-error" role="alert">
        {t(view.phrase, { app })}
      </p>
    );
  return (
    <p class="em-row em-wrap">
      {view.state === "pending" ? (
        <span class="em-status em-status-pending">{t("conn.pending", { app })}</span>
      ) : (
        <>
          <span class="em-status em-status-error">{t("connection.blocked")}</span>
          <a class="em-button em-button-primary" href={view.url} target="_blank" rel="noopener noreferrer">
            {t("connection.openTab", { app })}
          </a>
        </>
      )}
      <button type="button" class="em-button em-button-ghost" onClick={view.stop}>
        {t("conn.stopWaiting")}
      </button>
    </p>
  );
}
