/**
 * One frame instance: the API client, the token keeper and every piece of UI state. Boot
 * creates it after the handshake; component tests create it with a fake host. Screens read
 * it through context and never reach the channel directly.
 */
import { signal } from "@preact/signals";
import type { ChannelWarning, FrameInit, InitConfigVars, Screen } from "../../contract/protocol.ts";
import { createApi, type Api } from "./api.ts";
import { isApiError } from "../../client/error.ts";
import { createEmitter, type HostLink } from "./events.ts";
import { createCatalogState } from "./state/catalog.ts";
import { createFilterState } from "./state/filters.ts";
import { createLocaleState, type Vars } from "./state/locale.ts";
import type { PhraseKey } from "./i18n/en.ts";
import { createNetworkState } from "./state/network.ts";
import { createSessionState } from "./state/session.ts";
import { createThemeState } from "./state/theme.ts";
import { createToastState } from "./state/toasts.ts";
import { createTokenKeeper } from "../../client/token.ts";

export interface FrameOptions {
  host: HostLink;
  init: FrameInit;
  /** The platform origin; `location.origin` in production. */
  origin: string;
  /** The first token, when boot already pulled it. */
  token?: string;
  fetch?: typeof fetch;
  win?: Window;
  retryDelay?: (attempt: number) => number;
}

/** See `untilFirstRender`. */
export const SKELETON_AFTER_MS = 100;
/** See `untilFirstRender`. */
export const SHELL_AFTER_MS = 16;

export function createFrame(options: FrameOptions) {
  const { host, init } = options;
  const emit = createEmitter(host);
  const network = createNetworkState(options.win);
  const tokens = createTokenKeeper({
    getToken: () => host.getToken(),
    refreshAhead: true,
    onFailure: () => (network.reauthRequired.value = true),
    onSuccess: () => (network.reauthRequired.value = false),
  });
  if (options.token) tokens.set(options.token);
  const api: Api = createApi({
    origin: options.origin,
    tokens,
    fetch: options.fetch,
    onOffline: network.goOffline,
    onOnline: network.goOnline,
    onReauthRequired: () => (network.reauthRequired.value = true),
    retryDelay: options.retryDelay,
  });
  const locale = createLocaleState();
  const theme = createThemeState();
  const session = createSessionState(api.session);
  const catalog = createCatalogState();
  const filters = createFilterState(catalog.entries);
  const toasts = createToastState();
  const route = signal<Screen>(init.screen);
  /** The host's pre-filled config vars; the wizard checks each value against its field. */
  const configVars = signal<InitConfigVars>(init.configVars ?? {});
  /** Set by an open wizard: checks host config vars against its integration. */
  const configVarCheck = signal<((vars: InitConfigVars) => ChannelWarning[]) | undefined>(undefined);
  /** While true, a marketplace drawn before its catalog shows no skeleton yet (`untilFirstRender`). */
  const skeletonHeld = signal(false);

  let readySent = false;
  /**
   * `ready` goes out once, when the first screen is on screen: screens call this when their data
   * is in, and the event waits for the next frame to be drawn (or 100 ms, where a hidden frame
   * draws none), so a host that swaps its own placeholder for the frame on `ready` never shows
   * an empty one.
   */
  const markReady = (screen: Screen["name"]) => {
    if (readySent) return;
    readySent = true;
    let sent = false;
    const send = () => {
      if (sent) return;
      sent = true;
      emit("ready", { screen });
      if (screen === "marketplace") void loadSession();
    };
    // Style and layout now, while the frame waits for the next vsync anyway: that frame then only paints.
    options.win?.document.documentElement.getBoundingClientRect();
    // Sent by the first task after that frame's paint; where the browser has `scheduler.postTask`,
    // ahead of the tasks already queued (the icons' decoding).
    const { scheduler } = globalThis as { scheduler?: { postTask(task: () => void, options: { priority: string }): unknown } };
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => void (scheduler ? scheduler.postTask(send, { priority: "user-blocking" }) : setTimeout(send)));
    setTimeout(send, 100);
  };

  async function loadCatalog() {
    if (catalog.status.value === "loading") return;
    catalog.status.value = "loading";
    try {
      const list = await api.listIntegrations();
      catalog.set(list.integrations, list.categories, list.labels);
      catalog.status.value = "ready";
    } catch (e) {
      catalog.error.value = isApiError(e) ? e.code : "INTERNAL";
      catalog.status.value = "error";
    }
  }

  // A failure leaves screens working from the catalog (no management controls until a screen asks
  // again, ui/manage.tsx); a real auth failure shows the reauth banner.
  const loadSession = session.load;

  let started: Promise<void> | undefined;
  /**
   * The first data loads, once: boot calls it as soon as the token is in hand (before the first
   * render), the App on mount (component tests). Resolves when the catalog has loaded or failed.
   * Every other first screen reads the session (a viewer's limits) and gets it with the catalog;
   * the marketplace list does not, so there it waits for `ready` (markReady): sent with the
   * catalog, its answer landed between the catalog's and the list's first paint, on the frame's
   * one thread, and took the platform's thread from the catalog's request.
   */
  function startLoading(): Promise<void> {
    if (started) return started;
    started = loadCatalog();
    if (init.screen.name !== "marketplace") void loadSession();
    return started;
  }

  /**
   * When boot should draw the first screen. A marketplace whose catalog is in within
   * `SHELL_AFTER_MS` (a near platform) is drawn once, whole. Otherwise its shell (toolbar, filters,
   * everything but the cards) is drawn then, while the catalog request travels, so that when the
   * answer lands only the cards are left to draw; the skeleton stays held back until
   * `SKELETON_AFTER_MS`, so a list that arrives before then never has a skeleton flash past. Any
   * other first screen is drawn at once. Always at least one macrotask, so every request already
   * started (a chain of microtasks in ky) has reached fetch().
   */
  function untilFirstRender(): Promise<void> {
    const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    if (init.screen.name !== "marketplace") return wait(0);
    const loaded = startLoading();
    skeletonHeld.value = true;
    void Promise.race([loaded, wait(SKELETON_AFTER_MS)]).then(() => (skeletonHeld.value = false));
    return Promise.race([loaded, wait(SHELL_AFTER_MS)]);
  }

  /** Applies FrameInit: theme, locale, filters. Resolves with the warnings once the phrase table is loaded. */
  async function applyInit(): Promise<ChannelWarning[]> {
    const warnings = theme.update({ theme: init.theme, mode: init.mode, hostPrefersDark: init.hostPrefersDark });
    const l = locale.setLocale(init.locale, init.phrases);
    filters.applyHost(init.filters);
    return [...warnings, ...(await l.warnings)];
  }

  const navigate = (screen: Screen) => (route.value = screen);

  /**
   * What a failure tells the user: the platform's own message, or else a phrase in their
   * language (a failure the client detects itself carries only its code as message).
   */
  const errorText = (e: unknown) => (isApiError(e) && e.message != e.code && e.message) || locale.t("app.error.generic");
  /**
   * The phrase for a failure's typed code (the contract's error codes), `<prefix>.<code>`:
   * `market.error.NETWORK_ERROR`, `runs.error.PAYLOAD_EVICTED`, `dataSource.error.DATA_SOURCE_TIMEOUT`;
   * undefined where no table has one, and the caller says it its own way. The one mapping from codes
   * to words: the platform's messages are English, the codes are not.
   */
  const codeText = (prefix: string, code: string | undefined, vars?: Vars): string | undefined => {
    const key = `${prefix}.${code}` as PhraseKey;
    const text = locale.t(key, vars);
    // `t` answers a key no table has with the key itself.
    return text !== key ? text : undefined;
  };
  /** A failed action as a toast, in the user's words. */
  const toastError = (e: unknown) => toasts.push("error", locale.t("toast.failed", { message: errorText(e) }));

  return {
    init,
    host,
    emit,
    api,
    tokens,
    network,
    locale,
    t: locale.t,
    theme,
    session,
    catalog,
    filters,
    toasts,
    route,
    configVars,
    configVarCheck,
    skeletonHeld,
    navigate,
    markReady,
    loadCatalog,
    loadSession,
    startLoading,
    untilFirstRender,
    applyInit,
    errorText,
    codeText,
    toastError,
    dispose() {
      tokens.dispose();
      network.dispose();
    },
  };
}
export type Frame = ReturnType<typeof createFrame>;
