/**
 * A value to copy into another app (a webhook URL, a generated key): read-only text that selects
 * itself on focus, and a Copy button with a toast saying whether it worked. Used by the instance
 * page and the wizard's display elements.
 */
import { useFrame } from "../context.ts";

/** Copies text, falling back to a selection copy where the Clipboard API is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions policy in a frame): fall back to a selection copy.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "em-offscreen";
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

export function CopyField({ value, label, id, describedBy }: { value: string; label?: string; id?: string; describedBy?: string }) {
  const frame = useFrame();
  const { t } = frame;
  return (
    <div class="em-copy">
      <input
        id={id}
        class="em-input em-mono em-grow"
        readOnly
        value={value}
        aria-label={label}
        aria-describedby={describedBy}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button
        type="button"
        class="em-button em-button-secondary"
        onClick={async () => {
          const ok = await copyText(value);
          frame.toasts.push(ok ? "success" : "error", ok ? t("instance.copied") : t("instance.copyFailed"));
        }}
      >
        {t("instance.copy")}
      </button>
    </div>
  );
}

