/** Frame entry: boot, then render the app or a clear "can't be shown here" state. */
// First import, so the embed request starts before any other module is evaluated.
import "./embed-prefetch.ts";
import { render } from "preact";
import { config } from "zod/mini";
import { App } from "./app.tsx";
import { boot, type BlockedReason } from "./boot.ts";
import { enList as en } from "./i18n/en-list.ts";
import "./styles.css";

/** Before FrameInit we know no locale: the blocked states use the English table. */
function Blocked({ reason }: { reason: BlockedReason }) {
  const detail: Record<BlockedReason, string> = {
    badUrl: en["blocked.badUrl"],
    unknownOrg: en["blocked.unknownOrg"],
    notFramed: en["blocked.notFramed"],
    originNotAllowed: en["blocked.originNotAllowed"],
    badInit: en["blocked.badInit"],
    noToken: en["blocked.noToken"],
    unreachable: en["app.error.generic"],
  };
  return (
    <div class="em-blocked" role="alert" data-reason={reason}>
      <h1 class="em-title">{en["blocked.title"]}</h1>
      <p class="em-muted">{detail[reason]}</p>
    </div>
  );
}

// The frame's CSP has no 'unsafe-eval': zod's JIT can never run, and merely probing for it
// (`new Function`) is reported as a CSP violation on every load. Validation is the same.
config({ jitless: true });

/** One macrotask: every request already started (a chain of microtasks in ky) reaches fetch(). */
const yieldToNetwork = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function start() {
  const root = document.getElementById("app")!;
  const result = await boot();
  if (!result.ok) {
    render(<Blocked reason={result.reason} />, root);
    return;
  }
  const { frame } = result;
  frame.startLoading(); // session and catalog travel while the theme, phrases and first render happen
  for (const w of await frame.applyInit()) frame.emit("warning", w);
  await yieldToNetwork(); // else the first render (~10 ms) runs before the requests go out
  render(<App frame={frame} />, root);
}

void start();
