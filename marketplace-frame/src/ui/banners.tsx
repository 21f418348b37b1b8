/** Offline and re-authenticate banners: they explain, they never clear what the user typed. */
import { useFrame } from "../context.ts";

export function Banners() {
  const { network, tokens, t } = useFrame();
  return (
    <div aria-live="polite">
      {!network.online.value && (
        <div class="em-banner em-banner-warning" data-testid="offline-banner">
          {t("network.offline")}
        </div>
      )}
      {network.reauthRequired.value && (
        <div class="em-banner em-banner-danger" role="alert">
          <span>{t("network.reauth")}</span>
          <button type="button" class="em-button em-button-secondary" onClick={() => void tokens.refresh().catch(() => {})}>
            {t("network.reauthAction")}
          </button>
        </div>
      )}
    </div>
  );
}
