/**
 * Opening the OAuth popup, apart from the flow (oauth-flow.ts): it must happen synchronously in
 * the user's click, before any await, so the headless client's entry opens it and then loads
 * the flow with its lazy connection functions; the flow itself stays out of the entry.
 */

/** The popup's size when the host does not choose one. */
export const DEFAULT_POPUP_SIZE = { width: 520, height: 680 } as const;

/**
 * Opens the popup a flow will use, synchronously (inside the click that asked for it, or the
 * browser blocks it); `null` when blocked.
 */
export function openPopup(name: string, size: { width?: number; height?: number } = {}): Window | null {
  const width = size.width ?? DEFAULT_POPUP_SIZE.width;
  const height = size.height ?? DEFAULT_POPUP_SIZE.height;
  try {
    return window.open("about:blank", name, `popup,width=${width},height=${height}`);
  } catch {
    return null;
  }
}
