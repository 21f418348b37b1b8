/**
 * Entry of the static demo (dist/static-demo, served by any static file server): starts the
 * mock platform in this document — msw's service worker, or in the page where no service worker
 * may start — and only then loads the normal frame, whose boot (embed config, allow-list,
 * handshake, session) is answered by it. The frame's modules are imported after the platform is
 * up because boot asks for the embed config as soon as they are evaluated (this document does not
 * carry it: no server writes it in).
 *
 * The normal frame build never sees this file or msw: its entry is marketplace-frame/index.html.
 */
import { loadStaticConfig } from "./static-config.ts";
import { showMemoryNotice, showStartFailure } from "./notice.ts";
import "./static.css";

async function start() {
  const base = import.meta.env.BASE_URL;
  let persistence: "indexeddb" | "memory";
  try {
    const config = await loadStaticConfig(base);
    const { startBrowserPlatform } = await import("../../mock-server/browser.ts");
    const mock = await startBrowserPlatform({ serviceWorkerUrl: `${base}mockServiceWorker.js`, allowedOrigins: config.allowedOrigins, developmentMode: config.developmentMode ?? false });
    persistence = mock.persistence;
    document.documentElement.dataset.emporiumTransport = mock.transport;
  } catch (error) {
    console.error("[emporium static] the demo platform did not start", error);
    showStartFailure(document.getElementById("app")!, error instanceof Error ? error.message : String(error));
    return;
  }
  document.documentElement.dataset.emporiumPersistence = persistence;
  if (persistence === "memory") showMemoryNotice(document.getElementById("em-static-notice")!);
  await import("../../marketplace-frame/src/main.tsx");
}

void start();
