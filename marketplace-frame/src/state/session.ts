/** Who is signed in, as the platform sees the host's token. */
import { computed, signal } from "@preact/signals";
import type { Session } from "../../../contract/api.ts";

export function createSessionState(fetchSession: () => Promise<Session>) {
  const session = signal<Session | undefined>(undefined);
  /**
   * May this user change things: deploy, pause, reconfigure, delete, acknowledge (A8, A9)? Only
   * an admin may. `undefined` while the session has not answered: screens then show no live
   * control (ui/manage.tsx), so a viewer never sees a button flash by, nor an admin a viewer's notice.
   */
  const canManage = computed(() => session.value && session.value.user.role == "admin");
  let loading: Promise<unknown> | undefined;
  /** Asks the platform, once at a time; after a failure the next screen that needs the answer asks again. */
  const load = (): Promise<unknown> =>
    (loading ??= fetchSession().then(
      (s) => {
        session.value = s;
      },
      () => (loading = undefined),
    ));
  return { session, canManage, load };
}
export type SessionState = ReturnType<typeof createSessionState>;
