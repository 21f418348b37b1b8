/** Frame entry: boot, then render the app or a clear "can't be shown here" state. */
// First import: when the document carries its embed config, it opens the channel to the host
// before any other module is evaluated.
import "./host-channel.ts";
import { render } from "preact";
import { config } from "zod/mini";
import { App } from "./app.tsx";
import { boot, type BlockedReason } from "./boot.ts";
import "./styles.css";

// The frame's CSP has no 'unsafe-eval': zod's JIT can never run, and merely probing for it
// (`new Function`) is reported as a CSP violation on every load. Validation is the same.
config({ jitless: true });

/** Why the frame cannot start. If even that chunk cannot load (the network is gone), plain words. */
async function showBlocked(reason: BlockedReason, root: HTMLElement) {
  try {
    const { Blocked } = await import("./blocked.tsx");
    render(<Blocked reason={reason} />, root);
  } catch {
    root.textContent = "This marketplace can't be shown here.";
    root.setAttribute("role", "alert");
  }
}

async function start() {
  const root = document.getElementById("app")!;
  const result = await boot();
  if (!result.ok) {
    await showBlocked(result.reason, root);
    return;
  }
  const { frame } = result;
  void frame.startLoading(); // the first data travels while the theme and phrases load
  for (const w of await frame.applyInit()) frame.emit("warning", w);
  frame.theme.applyTo(document.documentElement); // the host's colours, even before anything is drawn
  await frame.untilFirstRender();
  render(<App frame={frame} />, root);
}

void start();
