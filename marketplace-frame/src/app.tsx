/**
 * The frame UI. It takes a `Frame` (state + API + host link), so component tests render it
 * with a fake host and no channel at all.
 */
import { useSignalEffect } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { FrameContext, useFrame } from "./context.ts";
import type { Frame } from "./frame.ts";
import { loadScreenPhrases } from "./i18n/locales.ts";
import { Marketplace } from "./screens/marketplace.tsx";
import { Banners } from "./ui/banners.tsx";
import { lazyScreen } from "./ui/lazy-screen.tsx";
import { loadToastPlace, Toasts } from "./ui/toasts.tsx";

// Everything past the list loads on demand, so the first route stays small; the chunks are
// prefetched once the list is interactive, so a click rarely waits.
// Each screen waits for the screens' English phrases too (see i18n/en-screens.ts).
const withPhrases = <T,>(chunk: Promise<T>): Promise<T> => Promise.all([chunk, loadScreenPhrases()]).then(([m]) => m);
const loadDetail = () => withPhrases(import("./screens/integration-detail.tsx")).then((m) => m.IntegrationDetail);
const loadWizard = () => withPhrases(import("./screens/wizard.tsx")).then((m) => m.Wizard);
const loadInstance = () => withPhrases(import("./screens/instance.tsx")).then((m) => m.InstancePage);
const loadActivity = () => withPhrases(import("./activity/activity.tsx")).then((m) => m.Activity);
const loadConnections = () => withPhrases(import("./connections/connections.tsx")).then((m) => m.Connections);
const IntegrationDetail = lazyScreen(loadDetail);
const Wizard = lazyScreen(loadWizard);
const InstancePage = lazyScreen(loadInstance);
const Activity = lazyScreen(loadActivity);
const Connections = lazyScreen(loadConnections);

export function prefetchScreens(): void {
  for (const load of [loadDetail, loadWizard, loadInstance]) void load().catch(() => {});
  void import("./frame-methods.ts").catch(() => {}); // the host's live-update methods (boot.ts)
  void loadToastPlace().catch(() => {}); // where a toast goes (ui/toast-place.ts)
}

function Screen() {
  const { route } = useFrame();
  const screen = route.value;
  switch (screen.name) {
    case "marketplace":
      return <Marketplace />;
    case "integration":
      return <IntegrationDetail key={screen.integrationId} integrationId={screen.integrationId} />;
    case "configure":
      return <Wizard key={`c:${screen.integrationId}`} integrationId={screen.integrationId} />;
    case "reconfigure":
      return <Wizard key={`r:${screen.instanceId}`} instanceId={screen.instanceId} />;
    case "instance":
      return <InstancePage key={screen.instanceId} instanceId={screen.instanceId} />;
    case "connections":
      return <Connections />;
    default:
      // The activity screen's tabs: one component, so moving between tabs keeps its header.
      return <Activity tab={screen.name} instanceId={screen.instanceId} />;
  }
}

export function App({ frame, root }: { frame: Frame; root?: HTMLElement }) {
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  useSignalEffect(() => {
    frame.theme.applyTo(root ?? document.documentElement);
  });
  useSignalEffect(() => {
    document.documentElement.lang = frame.locale.intlTag.value;
  });
  // Move focus to the new screen so keyboard and screen-reader users land on it.
  useSignalEffect(() => {
    frame.route.value;
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    queueMicrotask(() => mainRef.current?.focus({ preventScroll: false }));
  });

  useSignalEffect(() => {
    if (frame.catalog.status.value !== "ready") return;
    const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 200));
    idle(prefetchScreens);
  });

  useEffect(() => void frame.startLoading(), []);

  // autoHeight is opt-in: its observers (ui/auto-height.ts) load only for a host that asks for it.
  useEffect(() => {
    if (!frame.init.autoHeight) return;
    let stop: (() => void) | undefined;
    let live = true;
    void import("./ui/auto-height.ts").then((m) => live && (stop = m.startAutoHeight(frame)));
    return () => {
      live = false;
      stop?.();
    };
  }, []);

  useEffect(() => {
    if (!frame.init.closable) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented) frame.emit("close", {});
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <FrameContext.Provider value={frame}>
      <div class="em-app">
        <Banners />
        {/* In a popover the SDK draws the close button (it must work even if this frame never
            loads); keep its corner clear. Esc inside the frame closes too (above). */}
        {frame.init.closable && <div class="em-topbar" aria-hidden="true" />}
        <main class="em-main" ref={mainRef} tabIndex={-1}>
          <Screen />
        </main>
        <Toasts />
      </div>
    </FrameContext.Provider>
  );
}
