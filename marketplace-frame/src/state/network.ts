/** Network and auth health, shown as banners; neither ever clears what the user typed. */
import { signal } from "@preact/signals";

export function createNetworkState(win: Window | undefined) {
  const online = signal(win?.navigator.onLine ?? true);
  const reauthRequired = signal(false);
  const goOnline = () => (online.value = true);
  const goOffline = () => (online.value = false);
  win?.addEventListener("online", goOnline);
  win?.addEventListener("offline", goOffline);
  return {
    online,
    reauthRequired,
    goOnline,
    goOffline,
    dispose() {
      win?.removeEventListener("online", goOnline);
      win?.removeEventListener("offline", goOffline);
    },
  };
}
export type NetworkState = ReturnType<typeof createNetworkState>;
