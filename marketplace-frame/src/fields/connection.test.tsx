// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { OAUTH_RESULT_MESSAGE_TYPE } from "../../../contract/api.ts";
import type { ConfigVarDefinition, Connection } from "../../../contract/api-types.ts";
import { fakePlatform, integration, ORIGIN } from "../../test/fake-platform.ts";
import { fakeHost, renderFrame, setupFrameServer } from "../../test/harness.tsx";

const server = setupFrameServer();

function fakePopup() {
  return { closed: false, close: vi.fn(function (this: { closed: boolean }) { this.closed = true; }), location: { href: "about:blank" } };
}

/** A two-page integration "crm" whose first page asks for one connection field, `acme`. */
const crmWithConnection = (label: string, connection: Extract<ConfigVarDefinition, { type: "connection" }>["connection"]) =>
  integration({
    id: "crm",
    name: "Acme CRM",
    configPages: [
      { name: "connect", title: "Connect", fields: [{ key: "acme", label, type: "connection", required: true, connection }] },
      { name: "two", title: "Two", fields: [] },
    ],
  });

async function oauthWizard() {
  const p = fakePlatform([
    crmWithConnection("Acme account", { kind: "oauth2", app: "Acme", scopes: ["read"] }),
  ]);
  server.use(...p.handlers);
  const popup = fakePopup();
  const open = vi.spyOn(window, "open").mockReturnValue(popup as unknown as Window);
  const r = await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } } });
  await screen.findByText("Step 1 of 2");
  return { ...r, p, popup, open };
}

const post = (data: unknown, origin: string, source: unknown) =>
  act(() => {
    window.dispatchEvent(new MessageEvent("message", { data, origin, source: source as Window }));
  });

const connected = { status: "connected" as const, connection: { id: "con_1", app: "Acme", kind: "oauth2" as const, name: "Acme", account: "ann@acme.test", status: "active" as const, usedBy: [], createdAt: "2026-12-06T00:00:00Z", updatedAt: "2026-12-06T00:00:00Z" } };

describe("OAuth connection", () => {
  it("opens the platform's authorize page from the click, goes pending → active on the platform's word, and sends only the connection", async () => {
    const { popup, open, p } = await oauthWizard();
    fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
    expect(open).toHaveBeenCalledTimes(1);
    expect(screen.getByText("Waiting for Acme…")).toBeTruthy();
    await waitFor(() => expect(popup.location.href).toBe(`${ORIGIN}/api/v1/mock-oauth/authorize?for=acme`));
    // The callback page's message (from the popup, on the platform origin, with this state) makes it ask now.
    p.state.oauthStatus = connected;
    const done = { type: OAUTH_RESULT_MESSAGE_TYPE, ok: true, state: "state-acme", connectionId: "con_1", grantId: "g-1", account: "ann@acme.test" };
    post(done, "http://evil.test", popup);
    post(done, ORIGIN, {});
    expect(screen.getByText("Waiting for Acme…")).toBeTruthy();
    post(done, ORIGIN, popup);
    expect(await screen.findByText("Connected to Acme as ann@acme.test")).toBeTruthy();
    expect(popup.closed).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    expect(p.state.savedPages[0].values).toEqual({ acme: { connectionId: "con_1" } });
  });

  it("a denial and a popup closed mid-flow each give a clear state and a retry", async () => {
    const { popup, p } = await oauthWizard();
    p.state.oauthStatus = { status: "failed", error: { code: "OAUTH_DENIED", message: "no" } };
    fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
    await waitFor(() => expect(popup.location.href).not.toBe("about:blank"));
    post({ type: OAUTH_RESULT_MESSAGE_TYPE, ok: false, state: "state-acme", error: { code: "OAUTH_DENIED", message: "no" } }, ORIGIN, popup);
    expect(await screen.findByText("Access was denied in Acme.")).toBeTruthy();

    p.state.oauthStatus = { status: "pending" };
    popup.closed = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(popup.location.href).not.toBe("about:blank"));
    popup.closed = true;
    // The flow notices at its next look at the platform, after one last check of the status.
    expect(await screen.findByText("The sign-in window was closed before finishing.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("S5 a blocked popup: a typed message and a link to the authorize page (state only) that completes the flow", async () => {
    const { open, p } = await oauthWizard();
    open.mockReturnValue(null);
    fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
    expect(await screen.findByText(/blocked the sign-in window/)).toBeTruthy();
    const link = screen.getByRole("link", { name: "Open Acme sign-in" }) as HTMLAnchorElement;
    expect(link.href).toBe(`${ORIGIN}/api/v1/mock-oauth/authorize?for=acme`);
    expect(link.target).toBe("_blank");
    expect(link.rel).toContain("noopener");
    p.state.oauthStatus = connected;
    expect(await screen.findByText("Connected to Acme as ann@acme.test")).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Open Acme sign-in" })).toBeNull();
  });
});

describe("Test connection", () => {
  it("asks the platform with the typed value and shows the answer", async () => {
    const p = fakePlatform([
      integration({ id: "crm", configPages: [{ name: "c", title: "C", fields: [{ key: "k", label: "Key", type: "connection", connection: { kind: "api-key", app: "Acme" } }] }] }),
    ]);
    server.use(...p.handlers);
    await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } } });
    const key = (await screen.findByLabelText("API key")) as HTMLInputElement;
    fireEvent.input(key, { target: { value: "no" } });
    fireEvent.click(screen.getByRole("button", { name: "Test connection" }));
    expect(await screen.findByText("Connection failed: Acme refused the API key")).toBeTruthy();
    fireEvent.input(key, { target: { value: "good-key" } });
    fireEvent.click(screen.getByRole("button", { name: "Test connection" }));
    expect(await screen.findByText("Connection works")).toBeTruthy();
  });
});

describe("a connection field's error", () => {
  it("is drawn under its inputs, above its Test connection row, once, and the input is described by it", async () => {
    const p = fakePlatform([crmWithConnection("Acme key", { kind: "api-key", app: "Acme" })]);
    server.use(...p.handlers);
    await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } } });
    await screen.findByText("Step 1 of 2");
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    const error = await screen.findByText("This field is required.");
    expect(document.querySelectorAll(".em-field-error")).toHaveLength(1);
    const key = screen.getByLabelText("API key");
    const test = screen.getByRole("button", { name: "Test connection" });
    expect(key.compareDocumentPosition(error) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(error.compareDocumentPosition(test) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(key.getAttribute("aria-describedby")?.split(" ")).toContain(error.id);
  });
});

describe("picking one of the customer's connections", () => {
  const made = (over: Partial<Connection>): Connection => {
    const { account: _, ...base } = connected.connection;
    return { ...base, usedBy: [], ...over };
  };
  async function keyWizard(connections: Connection[]) {
    const p = fakePlatform([
      crmWithConnection("Acme key", { kind: "api-key", app: "Acme" }),
    ]);
    p.state.connections = connections;
    server.use(...p.handlers);
    const r = await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } } });
    await screen.findByText("Step 1 of 2");
    return { ...r, p };
  }
  const use = { instanceId: "i1", instanceName: "Acme CRM", integrationId: "crm", fieldKey: "acme" };
  const mine = made({ id: "con_mine", kind: "api-key", name: "Acme production", account: "ops@acme.test", usedBy: [use] });
  const hosts = made({ id: "con_host", kind: "api-key", name: "Acme (shared)", providedBy: "Demo Host" });
  const broken = made({ id: "con_old", kind: "api-key", name: "Acme old key", status: "needs-reconnect" });
  const oauthOne = made({ id: "con_oauth", kind: "oauth2", name: "Acme OAuth" });

  it("lists the field's usable connections with account, provider, use and health; a broken one is marked and nothing is chosen for the user", async () => {
    await keyWizard([broken, mine, hosts, oauthOne]);
    const group = await screen.findByRole("radiogroup", { name: /Acme key/ });
    const radios = within(group).getAllByRole("radio") as HTMLInputElement[];
    expect(radios.map((r) => r.closest("label")!.textContent)).toEqual([
      "Acme (shared)Provided by Demo HostActive",
      "Acme productionops@acme.test · Used by 1 integrationActive",
      "Acme old keyNeeds reconnect",
      "New connection",
    ]);
    // A new setup starts on a new connection: the key input is there, no saved one is checked.
    expect(radios.map((r) => r.checked)).toEqual([false, false, false, true]);
    expect(screen.getByLabelText("API key")).toBeTruthy();
  });

  it("a picked connection is saved by reference; switching back and forth keeps what was typed for a new one", async () => {
    const { p } = await keyWizard([mine, hosts]);
    await screen.findByRole("radiogroup", { name: /Acme key/ });
    fireEvent.input(screen.getByLabelText("API key"), { target: { value: "typed-but-not-used" } });
    fireEvent.click(screen.getByRole("radio", { name: /Acme production/ }));
    expect(screen.queryByLabelText("API key")).toBeNull();
    fireEvent.click(screen.getByRole("radio", { name: "New connection" }));
    expect((screen.getByLabelText("API key") as HTMLInputElement).value).toBe("typed-but-not-used");
    fireEvent.click(screen.getByRole("radio", { name: /Acme production/ }));
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    expect(p.state.savedPages[0].values).toEqual({ acme: { connectionId: "con_mine" } });
    expect(JSON.stringify(p.state.savedPages)).not.toContain("typed-but-not-used");
    // Back on the page: the saved connection is the one chosen.
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    await screen.findByText("Step 1 of 2");
    expect((await screen.findByRole("radio", { name: /Acme production/ }) as HTMLInputElement).checked).toBe(true);
  });

  it("S4 a connection the host provides is picked without a secret field, and says who provides it", async () => {
    const { p } = await keyWizard([hosts]);
    fireEvent.click(await screen.findByRole("radio", { name: /Acme \(shared\)/ }));
    expect(document.querySelector('input[type="password"]')).toBeNull();
    expect(screen.queryByText("••• set")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    expect(p.state.savedPages[0].values).toEqual({ acme: { connectionId: "con_host" } });
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect((await screen.findByRole("radio", { name: /Acme \(shared\)/ }) as HTMLInputElement).checked).toBe(true);
    expect(document.querySelector('input[type="password"]')).toBeNull();
  });

  it("a broken connection picked says so and how to fix it", async () => {
    await keyWizard([broken]);
    fireEvent.click(await screen.findByRole("radio", { name: /Acme old key/ }));
    expect(screen.getByText("Acme no longer accepts this connection. Choose another one, or add a new connection.")).toBeTruthy();
  });

  it("a list that fails says so with Retry, and the new connection form stays usable", async () => {
    const { p } = await keyWizard([mine]);
    await screen.findByRole("radiogroup", { name: /Acme key/ });
    let down = true;
    server.use(http.get(`${ORIGIN}/api/v1/connections`, () => (down ? HttpResponse.json({ error: { code: "INTERNAL", message: "down" } }, { status: 500 }) : undefined)));
    // Reopen the page so the field asks again.
    fireEvent.input(screen.getByLabelText("API key"), { target: { value: "good-key" } });
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByText(/Your saved connections couldn't be loaded/)).toBeTruthy();
    // The saved key is still there, masked, and can be replaced.
    expect(screen.getByText("••• set")).toBeTruthy();
    down = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("radio", { name: /Acme production/ })).toBeTruthy();
    expect(p.state.savedPages[0].values).toEqual({ acme: { kind: "api-key", apiKey: "good-key" } });
  });
});

describe("OAuth where popups fail: the host's openExternalUrl", () => {
  it("S5 the host is asked to open the authorize URL (state only, no code or token), no popup opens, and the flow completes on the platform's word", async () => {
    const p = fakePlatform([
      crmWithConnection("Acme account", { kind: "oauth2", app: "Acme" }),
    ]);
    server.use(...p.handlers);
    const open = vi.spyOn(window, "open");
    const host = { ...fakeHost(), openExternalUrl: vi.fn(async (_url: string) => {}) };
    await renderFrame({ host, init: { screen: { name: "configure", integrationId: "crm" }, externalUrls: true } });
    await screen.findByText("Step 1 of 2");
    fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
    expect(screen.getByText("Waiting for Acme…")).toBeTruthy();
    await waitFor(() => expect(host.openExternalUrl).toHaveBeenCalledTimes(1));
    expect(open).not.toHaveBeenCalled();
    const url = new URL(host.openExternalUrl.mock.calls[0]![0]);
    expect(url.origin).toBe(ORIGIN);
    expect(url.search).not.toMatch(/code|token|grant/i);
    p.state.oauthStatus = connected;
    expect(await screen.findByText("Connected to Acme as ann@acme.test")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    expect(p.state.savedPages[0].values).toEqual({ acme: { connectionId: "con_1" } });
  });

  it("a flow the user gives up on (Cancel while waiting) changes nothing and can start again", async () => {
    const { open, popup } = await oauthWizard();
    fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
    await waitFor(() => expect(popup.location.href).not.toBe("about:blank"));
    fireEvent.click(screen.getByRole("button", { name: "Cancel sign-in" }));
    expect(popup.closed).toBe(true);
    expect(screen.queryByText("Waiting for Acme…")).toBeNull();
    expect(screen.getByRole("button", { name: "Connect Acme" })).toBeTruthy();
    expect(open).toHaveBeenCalledWith("about:blank", "em-oauth-acme", "popup,width=520,height=680");
  });
});
