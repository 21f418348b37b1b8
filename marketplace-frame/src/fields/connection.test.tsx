// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { OAUTH_RESULT_MESSAGE_TYPE } from "../../../contract/api.ts";
import { fakePlatform, integration, ORIGIN } from "../../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../../test/harness.tsx";

const server = setupFrameServer();

function fakePopup() {
  return { closed: false, close: vi.fn(function (this: { closed: boolean }) { this.closed = true; }), location: { href: "about:blank" } };
}

async function oauthWizard() {
  const p = fakePlatform([
    integration({
      id: "crm",
      name: "Acme CRM",
      configPages: [
        { name: "connect", title: "Connect", fields: [{ key: "acme", label: "Acme account", type: "connection", required: true, connection: { kind: "oauth2", app: "Acme", scopes: ["read"] } }] },
        { name: "two", title: "Two", fields: [] },
      ],
    }),
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

describe("OAuth connection", () => {
  it("opens the platform's authorize page from the click, goes pending → active, and sends only the grant", async () => {
    const { popup, open, p } = await oauthWizard();
    fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
    expect(open).toHaveBeenCalledTimes(1);
    expect(screen.getByText("Waiting for Acme…")).toBeTruthy();
    await waitFor(() => expect(popup.location.href).toBe(`${ORIGIN}/api/v1/mock-oauth/authorize?for=acme`));
    const ok = { type: OAUTH_RESULT_MESSAGE_TYPE, ok: true, state: "state-acme", connectionId: "con_1", grantId: "g-1", account: "ann@acme.test" };
    post(ok, "http://evil.test", popup);
    post(ok, ORIGIN, {});
    expect(screen.getByText("Waiting for Acme…")).toBeTruthy();
    post(ok, ORIGIN, popup);
    expect(await screen.findByText("Connected to Acme as ann@acme.test")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    expect(p.state.savedPages[0].values).toEqual({ acme: { kind: "oauth2", grantId: "g-1" } });
  });

  it("denial, a state mismatch and a closed popup each give a clear state and a retry", async () => {
    const { popup } = await oauthWizard();
    fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
    await waitFor(() => expect(popup.location.href).not.toBe("about:blank"));
    post({ type: OAUTH_RESULT_MESSAGE_TYPE, ok: false, state: "state-acme", error: { code: "OAUTH_DENIED", message: "no" } }, ORIGIN, popup);
    expect(await screen.findByText("Access was denied in Acme.")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(popup.location.href).not.toBe("about:blank"));
    post({ type: OAUTH_RESULT_MESSAGE_TYPE, ok: true, state: "forged", connectionId: "con_x", grantId: "g-x", account: "x" }, ORIGIN, popup);
    expect(await screen.findByText(/didn't match this request/)).toBeTruthy();

    vi.useFakeTimers();
    try {
      fireEvent.click(screen.getByRole("button", { name: "Try again" }));
      popup.closed = true;
      await act(async () => void (await vi.advanceTimersByTimeAsync(600)));
      expect(screen.getByText("The sign-in window was closed before finishing.")).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it("a sign-in that never finishes times out with a clear state and a retry", async () => {
    await oauthWizard();
    vi.useFakeTimers();
    try {
      fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
      // The popup stays open and never answers.
      await act(async () => void (await vi.advanceTimersByTimeAsync(181_000)));
      expect(screen.getByText("Connecting took too long.")).toBeTruthy();
      expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it("a blocked popup says so", async () => {
    const { open } = await oauthWizard();
    open.mockReturnValue(null);
    fireEvent.click(screen.getByRole("button", { name: "Connect Acme" }));
    expect(screen.getByText(/pop-ups/)).toBeTruthy();
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
