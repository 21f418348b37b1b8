/** Frame entry: boot, then render the app or a clear "can't be shown here" state. */
import { render } from "preact";
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

async function start() {
  const root = document.getElementById("app")!;
  const result = await boot();
  if (!result.ok) {
    render(<Blocked reason={result.reason} />, root);
    return;
  }
  const { frame } = result;
  const { warnings, loaded } = frame.applyInit();
  for (const w of warnings) frame.emit("warning", w);
  await loaded;
  render(<App frame={frame} />, root);
}

void start();
