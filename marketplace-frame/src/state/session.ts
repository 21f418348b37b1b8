/** Who is signed in, as the platform sees the host's token. */
import { computed, signal } from "@preact/signals";
import type { Session } from "../../../contract/api.ts";

export function createSessionState() {
  const session = signal<Session | undefined>(undefined);
  /** Viewers see everything but may not deploy, pause, reconfigure or delete (A8). */
  const canManage = computed(() => session.value?.user.role !== "viewer");
  return { session, canManage };
}
export type SessionState = ReturnType<typeof createSessionState>;
