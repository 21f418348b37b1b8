/**
 * The bench's host page (served on localhost, another site than the platform). It exposes
 * `window.__bench` for the driver:
 * - `floor()`: the hand-written floor page (`/frame/floor.html`, floor-frame.ts) on the frame's
 *   origin: handshake, getToken, catalog GET, the list drawn with innerHTML, `ready` after a
 *   drawn frame; resolves with the milliseconds until `ready`; `floorMarks()`: when its
 *   handshake completed and its token was in (ms after it started);
 * - `marketplace(platform?)` / `configure(id)`: the built SDK (`/sdk/emporium.js`, as a host loads
 *   it) showing the marketplace or a wizard; resolves with the milliseconds until `ready`; the
 *   marketplace from another platform than the page's when given (bench/tti-ab.ts compares two
 *   builds of the frame in one session that way);
 * - `close()`: removes whatever is open;
 * - `lastStart()`: when the last `marketplace()` / `configure()` called the SDK, as
 *   `performance.timeOrigin + performance.now()`, a clock the frame shares (so the driver can
 *   place the frame's own resource timings on the host's time line).
 * The host's backend signs one customer token at startup and serves it at `/token`; the SDK's
 * `getToken` fetches it on every call, as a host's does (a round trip, no signing).
 */
import { connect } from "penpal";
import { pinnedWindowMessenger } from "../../contract/messenger.ts";

type Sdk = typeof import("../../sdk/index.ts");
type Marketplace = ReturnType<Sdk["createMarketplace"]>;

const query = new URLSearchParams(location.search);
const platform = query.get("platform")!;
/** The host backend's token endpoint; `?tokenDelay=ms` puts it that far away. */
const tokenUrl = `/token?delay=${Number(query.get("tokenDelay") ?? 0)}`;
const box = document.getElementById("box")!;
// Warms the connection to the host backend before the first run.
const warmToken = fetch("/token").then((r) => r.text());
const sdkUrl = "/sdk/emporium.js";
const sdk = import(/* @vite-ignore */ sdkUrl) as Promise<Sdk>;
let open: Marketplace | undefined;
/** When the last `show` started, on the shared wall clock (`performance.timeOrigin` + now). */
let lastStart = 0;
let closeFloor: (() => void) | undefined;

/** What the last floor run saw on the host's clock, ms after it started (for the latency bound). */
let floorMarks = { handshake: 0, token: 0 };

/**
 * The floor's host side, as the SDK does it: the host backend's token is asked as the embed
 * opens (its round trip overlaps the frame's load), the iframe has the SDK's attributes, and the
 * channel is pinned to the frame's origin with `getToken` and `emit` as its only methods.
 */
async function floor(): Promise<number> {
  const channel = Math.random().toString(36).slice(2);
  let done!: (t: number) => void;
  const ready = new Promise<number>((resolve) => (done = resolve));
  const t0 = performance.now();
  const marks = { handshake: 0, token: 0 };
  const token = fetch(tokenUrl)
    .then((r) => r.text())
    .then((t) => ((marks.token = performance.now() - t0), t));
  const iframe = document.createElement("iframe");
  iframe.style.cssText = "display:block;width:100%;height:100%;border:0";
  iframe.title = "Integration marketplace";
  iframe.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
  iframe.setAttribute("allow", "clipboard-write");
  iframe.setAttribute("referrerpolicy", "no-referrer");
  iframe.src = `${platform}/frame/floor.html?org=demo&parent=${encodeURIComponent(location.origin)}&channel=${channel}&v=1`;
  box.append(iframe);
  const connection = connect({
    messenger: pinnedWindowMessenger({ remoteWindow: iframe.contentWindow!, origin: platform }),
    methods: { getToken: () => token, emit: () => done(performance.now()) },
    channel,
  });
  void connection.promise.then(() => (marks.handshake = performance.now() - t0));
  const t1 = await ready;
  floorMarks = marks;
  closeFloor = () => {
    connection.destroy();
    iframe.remove();
  };
  return t1 - t0;
}

async function show(what: (m: Marketplace) => { ready: Promise<void> }, from = platform): Promise<number> {
  const { createMarketplace } = await sdk;
  // As a host does it: each call asks the host's own backend (here it serves a token signed at
  // startup, so signing costs nothing on either side).
  const getToken = () => fetch(tokenUrl).then((r) => r.text());
  const marketplace = createMarketplace({ frameUrl: `${from}/frame/`, organization: "demo", getToken });
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

await Promise.all([sdk, warmToken]);
Object.assign(window, {
  __bench: {
    floor,
    marketplace: (from?: string) => show((m) => m.showMarketplace({ selector: "#box" }), from),
    configure: (integration: string) => show((m) => m.configureInstance({ integration }, { selector: "#box" })),
    close,
    lastStart: () => lastStart,
    floorMarks: () => floorMarks,
  },
});
