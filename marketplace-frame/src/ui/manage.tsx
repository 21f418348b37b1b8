/**
 * The frame's one role rule for controls that change things (A8, A9): an admin gets them, a
 * viewer gets `viewer` (a notice, or nothing), and while the session has not answered they hold
 * their place as an inert skeleton of their own shape. So an admin's screen does not move when
 * the answer lands, and a viewer never sees, focuses or clicks a button, not even for a frame.
 * Screens read the rule themselves (`session.canManage`, or `useCanManage`) only for what is not
 * a button: a viewer's notice (`=== false`), a form that waits for the answer (the wizard), a
 * guard (anything but `true` refuses).
 */
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { useFrame } from "../context.ts";

/** `session.canManage`; a session that failed to load is asked for again by the next screen that needs it. */
export function useCanManage(): boolean | undefined {
  const { session } = useFrame();
  const can = session.canManage.value;
  useEffect(() => void (can === undefined && session.load()), []);
  return can;
}

export function Manage({ children, viewer }: { children: ComponentChildren; viewer?: ComponentChildren }) {
  const can = useCanManage();
  if (can) return <>{children}</>;
  if (can === false) return <>{viewer}</>;
  return (
    <div class="em-pending" inert aria-hidden="true" data-em-role-pending="">
      {children}
    </div>
  );
}
