/**
 * An inline confirmation ("Delete this monitor?"): a non-modal alertdialog placed next to the
 * button that asked, so it is on screen where the user was looking, also in a frame taller than
 * the host's window (autoHeight), where one at the end of a list or page could be out of view.
 *
 * Focus moves to Cancel as it opens: keyboard users land on it, and focusing scrolls it into the
 * host's view across the frame's edge. `autoFocus` cannot do it: browsers ignore autofocus in a
 * cross-origin frame (checked in Chromium: focus stayed on the button that asked). Esc cancels.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export interface ConfirmProps {
  /** Prefix of the title's and body's ids (aria-labelledby / aria-describedby). */
  id: string;
  title: ComponentChildren;
  body: ComponentChildren;
  /** The body is a refusal to announce (role="alert"), not a question. */
  alert?: boolean;
  /** The heading level where the confirmation sits: 2 on a screen, 3 inside a panel. */
  level?: 2 | 3;
  cancelLabel: string;
  onCancel: () => void;
  /** The confirming button; none when there is nothing left to confirm (a refusal). */
  confirm?: { label: string; busy: boolean; onClick: () => void };
}

export function Confirm({ id, title, body, alert, level = 3, cancelLabel, onCancel, confirm }: ConfirmProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  // Again when a refusal takes the confirming button away: focus was on it, and would fall to the
  // body, where Esc no longer reaches this dialog.
  useEffect(() => cancel.current?.focus(), [!confirm]);
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <div
      class="em-confirm"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), onCancel())}
    >
      <Heading id={`${id}-title`} class="em-panel-title">
        {title}
      </Heading>
      <p id={`${id}-body`} role={alert ? "alert" : undefined}>
        {body}
      </p>
      <div class="em-row">
        <button ref={cancel} type="button" class="em-button em-button-secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
        {confirm && (
          <button type="button" class="em-button em-button-danger" disabled={confirm.busy} aria-busy={confirm.busy || undefined} onClick={confirm.onClick}>
            {confirm.label}
          </button>
        )}
      </div>
    </div>
  );
}
