/**
 * The bench's host page (served on localhost, another site than the platform). It exposes
 * `window.__bench` for the driver:
 * - `floor()`: a blank cross-origin iframe (`/frame/floor.html`) that completes a pinned penpal
 *   handshake and calls the host once; resolves with the milliseconds it took;
 * - `marketplace()` / `configure(id)`: the built SDK (`/sdk/emporium.js`, as a host loads it)
 *   showing the marketplace or a wizard; resolves with the milliseconds until `ready`;
 * - `close()`: removes whatever is open;
 * - `lastStart()`: when the last `marketplace()` / `configure()` called the SDK, as
 *   `performance.timeOrigin + performance.now()`, a clock the frame shares (so the driver can
 *   place the frame's own resource timings on the host's time line).
 * The host's backend signs one customer token at startup and serves it at `/token`; the SDK's
 * `getToken` fetches it on every call, as a host's does (a round trip, no signing).
 */
import { connect } from "penpal";
import { PinnedWindowMessenger } from "../../contract/messenger.ts";

type Sdk = typeof import("../../sdk/index.ts");
type Marketplace = ReturnType<Sdk["createMarketplace"]>;

const platform = new URLSearchParams(location.search).get("platform")!;
const box = document.getElementById("box")!;
const token = fetch("/token").then((r) => r.text());
const sdkUrl = "/sdk/emporium.js";
const sdk = import(/* @vite-ignore */ sdkUrl) as Promise<Sdk>;
let open: Marketplace | undefined;
/** When the last `show` started, on the shared wall clock (`performance.timeOrigin` + now). */
let lastStart = 0;
let closeFloor: (() => void) | undefined;

async function floor(): Promise<number> {
  const channel = Math.random().toString(36).slice(2);
  let done!: (t: number) => void;
  const ready = new Promise<number>((resolve) => (done = resolve));
  const t0 = performance.now();
  const iframe = document.createElement("iframe");
  iframe.src = `${platform}/frame/floor.html?org=demo&parent=${encodeURIComponent(location.origin)}&channel=${channel}&v=1`;
  iframe.style.cssText = "display:block;width:100%;height:100%;border:0";
  box.append(iframe);
  const connection = connect({
    messenger: new PinnedWindowMessenger({ remoteWindow: iframe.contentWindow!, origin: platform }),
    methods: { emit: () => done(performance.now()) },
    channel,
  });
  const t1 = await ready;
  closeFloor = () => {
    connection.destroy();
    iframe.remove();
  };
  return t1 - t0;
}

async function show(what: (m: Marketplace) => { ready: Promise<void> }): Promise<number> {
  const { createMarketplace } = await sdk;
  // As a host does it: each call asks the host's own backend (here it serves a token signed at
  // startup, so signing costs nothing on either side).
  const getToken = () => fetch("/token").then((r) => r.text());
  const marketplace = createMarketplace({ frameUrl: `${platform}/frame/`, organization: "demo", getToken });
  const t0 = performance.now();
  lastStart = performance.timeOrigin + t0;
  const embed = what(marketplace);
  await embed.ready;
  const t1 = performance.now();
  open = marketplace;
  return t1 - t0;
}

function close() {
  open?.dispose();
  open = undefined;
  closeFloor?.();
  closeFloor = undefined;
}

await Promise.all([sdk, token]);
Object.assign(window, {
  __bench: {
    floor,
    marketplace: () => show((m) => m.showMarketplace({ selector: "#box" })),
    configure: (integration: string) => show((m) => m.configureInstance({ integration }, { selector: "#box" })),
    close,
    lastStart: () => lastStart,
  },
});
