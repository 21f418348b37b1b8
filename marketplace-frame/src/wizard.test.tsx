// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IntegrationDetail } from "../../contract/api.ts";
import type { FrameInit } from "../../contract/protocol.ts";
import { fakePlatform, integration, ORIGIN } from "../test/fake-platform.ts";
import { fakeHost, renderFrame, setupFrameServer } from "../test/harness.tsx";
import { createFrameMethods } from "./frame-methods.ts";
import { editorChunk } from "./fields/code.tsx";

const server = setupFrameServer();
// These tests are about values and their checks: code fields stay the textarea they start as
// (the editor, which replaces it once its chunk loads, has tests of its own in code.test.tsx).
const loadEditor = editorChunk.load;
beforeEach(() => void (editorChunk.load = () => new Promise(() => {})));
afterEach(() => void (editorChunk.load = loadEditor));

const SECRET = "sk_live_TOPSECRET_123";

function crm(): IntegrationDetail {
  return integration({
    id: "crm",
    name: "Acme CRM",
    configPages: [
      {
        name: "account",
        title: "Account",
        fields: [
          { key: "workspace", label: "Workspace", type: "string", required: true, minLength: 3, default: "acme" },
          { key: "apiKey", label: "API key", type: "connection", required: true, connection: { kind: "api-key", app: "Acme" } },
        ],
      },
      {
        name: "options",
        title: "Options",
        fields: [
          { key: "notify", label: "Notify", type: "boolean", default: true },
          { key: "region", label: "Region", type: "picklist", required: true, options: [{ value: "eu", label: "Europe" }, { value: "us", label: "United States" }] },
        ],
      },
      {
        name: "advanced",
        title: "Advanced",
        fields: [{ key: "mapping", label: "Mapping", type: "code", language: "json", default: "{}" }],
      },
    ],
  });
}

const input = (label: string) => screen.getByLabelText(label, { exact: false }) as HTMLInputElement;
const next = () => fireEvent.click(screen.getByRole("button", { name: "Next" }));
const step = (n: number) => screen.findByText(`Step ${n} of 3`);

async function openWizard(p = fakePlatform([crm()]), host = fakeHost(), overrides: Parameters<typeof server.use> = []) {
  // Later `use` calls take precedence: the test's overrides go in after the fake platform.
  server.use(...p.handlers);
  server.use(...overrides);
  const r = await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } }, host });
  await step(1);
  return { ...r, p };
}

/** Opens the wizard with the values a host pre-fills (`configVars`), on page 1. */
async function openPrefilled(configVars: FrameInit["configVars"], p = fakePlatform([crm()])) {
  server.use(...p.handlers);
  const r = await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" }, configVars } });
  await step(1);
  return { ...r, p };
}

async function fillFirstPage() {
  fireEvent.input(document.getElementById("em-field-apiKey")!, { target: { value: SECRET } });
  next();
  await step(2);
}

/** Fills pages 1 and 2 with valid values and moves on to page 3, the last. */
async function toLastPage() {
  await fillFirstPage();
  fireEvent.change(input("Region"), { target: { value: "eu" } });
  next();
  await step(3);
}

describe("wizard", () => {
  it("pre-fills defaults, keeps values across back/next, and reports pages to the host", async () => {
    const { host } = await openWizard();
    expect(input("Workspace").value).toBe("acme");
    fireEvent.input(input("Workspace"), { target: { value: "globex" } });
    await fillFirstPage();
    fireEvent.change(input("Region"), { target: { value: "us" } });
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    await step(1);
    expect(input("Workspace").value).toBe("globex");
    next();
    await step(2);
    expect(input("Region").value).toBe("us");
    expect(screen.getByRole("switch").getAttribute("aria-checked")).toBe("true");
    const pages = host.of("instance-configuration-page-loaded").map((e) => [e.payload.pageName, e.payload.pageIndex, e.payload.pageCount]);
    expect(pages).toEqual([["account", 0, 3], ["options", 1, 3], ["account", 0, 3], ["options", 1, 3]]);
    expect(host.of("instance-configuration-opened")).toEqual([
      { type: "instance-configuration-opened", payload: { integrationId: "crm", integrationName: "Acme CRM", instanceId: "inst-1" } },
    ]);
  });

  it("a required field blocks Next with the reason next to it, wired for assistive tech", async () => {
    const { p } = await openWizard();
    fireEvent.input(input("Workspace"), { target: { value: "" } });
    next();
    const field = input("Workspace");
    await waitFor(() => expect(field.getAttribute("aria-invalid")).toBe("true"));
    const describedBy = field.getAttribute("aria-describedby")!;
    expect(document.getElementById(describedBy.split(" ")[0])!.textContent).toBe("This field is required.");
    expect(screen.getByText("Please fix 2 fields on this page.")).toBeTruthy();
    expect(screen.getByText("Step 1 of 3")).toBeTruthy();
    expect(p.state.savedPages).toEqual([]);
  });

  it("the error summary follows the fixes (one field left is said in the singular) and is gone once all are fixed", async () => {
    await openWizard();
    fireEvent.input(input("Workspace"), { target: { value: "" } });
    next();
    const summary = () => screen.getAllByRole("status").find((e) => e.getAttribute("aria-live") === "assertive")!.textContent;
    await waitFor(() => expect(summary()).toBe("Please fix 2 fields on this page."));
    fireEvent.input(input("Workspace"), { target: { value: "globex" } });
    await waitFor(() => expect(summary()).toBe("Please fix 1 field on this page."));
    fireEvent.input(document.getElementById("em-field-apiKey")!, { target: { value: SECRET } });
    await waitFor(() => expect(summary()).toBe(""));
    expect(document.querySelectorAll(".em-field-error")).toHaveLength(0);
  });

  it("each field is a form of its own, and submitting one (Enter in the field) is Next", async () => {
    const { p } = await openWizard();
    const workspace = input("Workspace");
    const apiKey = document.getElementById("em-field-apiKey") as HTMLInputElement;
    // Chromium's autofill re-reads the typed field's whole form on every keystroke: a field's
    // form holds that field's controls only, never the rest of the page.
    expect(workspace.form).toBeTruthy();
    expect(apiKey.form).toBeTruthy();
    expect(workspace.form).not.toBe(apiKey.form);
    const fieldsOf = (f: HTMLFormElement) =>
      new Set([...f.elements].filter((e) => !(e as HTMLElement).hidden).map((e) => e.closest("[data-field]")?.getAttribute("data-field")));
    expect(fieldsOf(workspace.form!)).toEqual(new Set(["workspace"]));
    expect(fieldsOf(apiKey.form!)).toEqual(new Set(["apiKey"]));
    // A field with several inputs has no implicit submission without a submit button: each has one.
    expect(apiKey.form!.querySelector("button[type=submit][hidden]")).toBeTruthy();

    fireEvent.input(apiKey, { target: { value: SECRET } });
    workspace.form!.requestSubmit();
    await step(2);
    expect(p.state.savedPages.map((s) => s.page)).toEqual(["account"]);
  });

  it("invalid JSON in a code field blocks Next", async () => {
    await openWizard();
    await toLastPage();
    fireEvent.input(input("Mapping"), { target: { value: "{nope" } });
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
    await waitFor(() => expect(input("Mapping").getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByText(/not valid JSON/)).toBeTruthy();
  });

  it("platform field errors land on the page that owns the field", async () => {
    const p = fakePlatform([crm()]);
    await openWizard(p, fakeHost(), [http.put(`${ORIGIN}/api/v1/instances/:id/config/options`, () =>
        HttpResponse.json({ error: { code: "VALIDATION_FAILED", message: "bad", fields: { workspace: "This workspace is taken." }, page: "account" } }, { status: 422 }),
      )]);
    await fillFirstPage();
    fireEvent.change(input("Region"), { target: { value: "eu" } });
    next();
    await step(1);
    expect(await screen.findByText("This workspace is taken.")).toBeTruthy();
    expect(input("Workspace").getAttribute("aria-invalid")).toBe("true");
  });

  it("resumes after the platform's completedPages when reopened", async () => {
    const p = fakePlatform([crm()]);
    const first = await openWizard(p);
    await fillFirstPage();
    first.view.unmount();
    cleanup();
    await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } } });
    expect(await step(2)).toBeTruthy();
    expect(p.state.instances.size).toBe(1);
  });

  it("D1 a double click on Save and deploy deploys once, then lands on the instance page", async () => {
    const { p, host } = await openWizard();
    await toLastPage();
    const deploy = screen.getByRole("button", { name: "Save and deploy" });
    fireEvent.click(deploy);
    fireEvent.click(deploy);
    await waitFor(() => expect((screen.getByRole("button", { name: /Deploying|Saving/ }) as HTMLButtonElement).disabled).toBe(true));
    expect(await screen.findByDisplayValue(`${ORIGIN}/api/v1/webhooks/tok-inst-1`)).toBeTruthy();
    expect(p.state.deployCalls).toBe(1);
    expect(host.of("instance-deployed")).toEqual([
      { type: "instance-deployed", payload: { integrationId: "crm", integrationName: "Acme CRM", instanceId: "inst-1" } },
    ]);
  });

  it("D1 pressing Enter twice in a field of the last page deploys once", async () => {
    const { p } = await openWizard();
    await toLastPage();
    // Enter submits the field's own form, whatever state the button is in.
    fireEvent.submit(input("Mapping").form!);
    fireEvent.submit(input("Mapping").form!);
    expect(await screen.findByDisplayValue(`${ORIGIN}/api/v1/webhooks/tok-inst-1`)).toBeTruthy();
    expect(p.state.deployCalls).toBe(1);
    expect(p.state.savedPages.filter((s) => s.page === p.state.savedPages.at(-1)!.page)).toHaveLength(1);
  });

  it("D2 a deploy whose answer never came back is retried with the same Idempotency-Key and deploys once", async () => {
    const p = fakePlatform([crm()]);
    const lostKeys: (string | null)[] = [];
    await openWizard(p, fakeHost(), [
      http.post(`${ORIGIN}/api/v1/instances/:id/deploy`, ({ request }) => {
        if (lostKeys.length >= 3) return undefined; // the network is back: the fake platform answers
        lostKeys.push(request.headers.get("idempotency-key"));
        return HttpResponse.error();
      }),
    ]);
    await toLastPage();
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
    fireEvent.click(await screen.findByRole("button", { name: "Retry deploy" }));
    expect(await screen.findByDisplayValue(`${ORIGIN}/api/v1/webhooks/tok-inst-1`)).toBeTruthy();
    expect(lostKeys).toHaveLength(3); // the first click's attempt and its two automatic retries
    expect(new Set([...lostKeys, ...p.state.deployKeys]).size).toBe(1);
    expect(p.state.deployCalls).toBe(1);
  });

  it("a failed deploy keeps every value and offers a retry that succeeds", async () => {
    const p = fakePlatform([crm()]);
    let fail = true;
    await openWizard(p, fakeHost(), [http.post(`${ORIGIN}/api/v1/instances/:id/deploy`, () => {
        if (!fail) return undefined;
        fail = false;
        return HttpResponse.json({ error: { code: "CONFLICT", message: "Try again" } }, { status: 409 });
      })]);
    await toLastPage();
    fireEvent.input(input("Mapping"), { target: { value: '{"a":1}' } });
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
    const retry = await screen.findByRole("button", { name: "Retry deploy" });
    expect(screen.getByRole("alert").textContent).toBe("Deploy failed. Your settings are kept. Try again");
    expect(input("Mapping").value).toBe('{"a":1}');
    fireEvent.click(retry);
    expect(await screen.findByDisplayValue(`${ORIGIN}/api/v1/webhooks/tok-inst-1`)).toBeTruthy();
    expect(p.state.deployCalls).toBe(1);
  });

  it("a save answered by a proxy's HTML error page says so in the user's language, keeps what they typed, and Next works again", async () => {
    const p = fakePlatform([crm()]);
    let broken = true;
    server.use(...p.handlers);
    server.use(
      http.put(`${ORIGIN}/api/v1/instances/:id/config/:page`, () =>
        broken ? new HttpResponse("<html><body><h1>502 Bad Gateway</h1></body></html>", { status: 502, headers: { "Content-Type": "text/html" } }) : undefined,
      ),
    );
    await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" }, locale: "de" } });
    await screen.findByText("Schritt 1 von 3");
    fireEvent.input(input("Workspace"), { target: { value: "initech" } });
    fireEvent.input(document.getElementById("em-field-apiKey")!, { target: { value: SECRET } });
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut."));
    expect(input("Workspace").value).toBe("initech");
    expect((document.getElementById("em-field-apiKey") as HTMLInputElement).value).toBe(SECRET);
    broken = false;
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    await screen.findByText("Schritt 2 von 3");
    expect(p.state.savedPages.map((s) => [s.page, s.values.workspace])).toEqual([["account", "initech"]]);
  });

  it("D2 a deploy answered 200 with a body that is not the contract's shape is retried with the same Idempotency-Key and deploys once", async () => {
    const p = fakePlatform([crm()]);
    const garbledKeys: (string | null)[] = [];
    await openWizard(p, fakeHost(), [
      http.post(`${ORIGIN}/api/v1/instances/:id/deploy`, ({ request }) => {
        if (garbledKeys.length) return undefined;
        garbledKeys.push(request.headers.get("idempotency-key"));
        return HttpResponse.json({ deployed: "maybe" }); // e.g. a body a proxy mangled: did it deploy?
      }),
    ]);
    await toLastPage();
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
    const retry = await screen.findByRole("button", { name: "Retry deploy" });
    expect(screen.getByRole("alert").textContent).toBe("Deploy failed. Your settings are kept. Something went wrong. Please try again.");
    fireEvent.click(retry);
    expect(await screen.findByDisplayValue(`${ORIGIN}/api/v1/webhooks/tok-inst-1`)).toBeTruthy();
    expect(p.state.deployKeys).toEqual(garbledKeys);
  });

  it("setLocale mid-wizard re-words the field errors and the failure on screen, and keeps what the user typed", async () => {
    const { frame } = await openWizard(fakePlatform([crm()]), fakeHost(), [
      http.put(`${ORIGIN}/api/v1/instances/:id/config/:page`, () => new HttpResponse("Bad gateway", { status: 502, headers: { "Content-Type": "text/html" } })),
    ]);
    const host = createFrameMethods(() => frame);
    const errorOf = (el: HTMLElement) => document.getElementById(el.getAttribute("aria-describedby")!.split(" ")[0])!.textContent;
    const apiKey = () => document.getElementById("em-field-apiKey") as HTMLInputElement;
    fireEvent.input(input("Workspace"), { target: { value: "ab" } });
    next();
    await waitFor(() => expect(errorOf(input("Workspace"))).toBe("Enter at least 3 characters."));
    expect(errorOf(apiKey())).toBe("This field is required.");

    await act(async () => void (await host.setLocale("de")));
    await waitFor(() => expect(errorOf(input("Workspace"))).toBe("Verwenden Sie mindestens 3 Zeichen."));
    expect(errorOf(apiKey())).toBe("Dieses Feld ist erforderlich.");
    expect(input("Workspace").value).toBe("ab");

    fireEvent.input(input("Workspace"), { target: { value: "initech" } });
    fireEvent.input(apiKey(), { target: { value: SECRET } });
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut."));
    await act(async () => void (await host.setLocale("fr")));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Une erreur s'est produite. Veuillez réessayer."));
    expect(input("Workspace").value).toBe("initech");
    expect(apiKey().value).toBe(SECRET);
  });

  it("S1 S2 no event or console line carries a typed secret; a stored secret shows as set and is not re-sent", async () => {
    const consoleCalls = (["log", "info", "warn", "error", "debug", "trace"] as const).map((name) => vi.spyOn(console, name));
    const { p, host } = await openWizard();
    await fillFirstPage();
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    await step(1);
    expect(screen.getByText("••• set")).toBeTruthy();
    expect(document.querySelector('input[type="password"]')).toBeNull();
    next();
    await step(2);
    expect(JSON.stringify(host.events)).not.toContain(SECRET);
    for (const spy of consoleCalls) for (const args of spy.mock.calls) expect(args.map((arg) => (typeof arg == "string" ? arg : JSON.stringify(arg))).join(" ")).not.toContain(SECRET);
    for (const spy of consoleCalls) spy.mockRestore();
    const sent = p.state.savedPages.filter((s) => s.page === "account").map((s) => s.values.apiKey);
    expect(sent).toEqual([{ kind: "api-key", apiKey: SECRET }, { kind: "api-key" }]);
  });

  it("D6 a network drop mid-wizard shows the offline banner, keeps input, and Next works when back", async () => {
    const p = fakePlatform([crm()]);
    let down = true;
    await openWizard(p, fakeHost(), [http.put(`${ORIGIN}/api/v1/instances/:id/config/:page`, () => (down ? HttpResponse.error() : undefined))]);
    fireEvent.input(input("Workspace"), { target: { value: "initech" } });
    fireEvent.input(document.getElementById("em-field-apiKey")!, { target: { value: SECRET } });
    next();
    expect(await screen.findByTestId("offline-banner")).toBeTruthy();
    expect(input("Workspace").value).toBe("initech");
    down = false;
    next();
    await step(2);
    expect(screen.queryByTestId("offline-banner")).toBeNull();
  });

  it("A7 when the host cannot refresh the token mid-wizard, a re-authenticate state keeps the form", async () => {
    const p = fakePlatform([crm()]);
    const host = fakeHost(async () => {
      throw new Error("signed out");
    });
    await openWizard(p, host, [
      http.put(`${ORIGIN}/api/v1/instances/:id/config/:page`, () => HttpResponse.json({ error: { code: "TOKEN_EXPIRED", message: "expired" } }, { status: 401 })),
    ]);
    fireEvent.input(input("Workspace"), { target: { value: "hooli" } });
    fireEvent.input(document.getElementById("em-field-apiKey")!, { target: { value: SECRET } });
    next();
    expect(await screen.findByText(/Your session has expired/)).toBeTruthy();
    expect(host.getToken).toHaveBeenCalledTimes(1);
    expect(input("Workspace").value).toBe("hooli");
    expect(screen.getByText("Step 1 of 3")).toBeTruthy();
  });

  it("host config vars pre-fill, hide and lock fields; unknown names are warnings", async () => {
    const { host } = await openPrefilled({ workspace: { value: "from-host", readOnly: true }, apiKey: { value: { kind: "api-key", apiKey: "host-key" }, hidden: true }, nope: { value: "x" } });
    expect(input("Workspace").value).toBe("from-host");
    expect(input("Workspace").readOnly).toBe(true);
    expect(document.getElementById("em-field-apiKey")).toBeNull();
    expect(host.of("warning").map((w) => [w.payload.code, w.payload.subject])).toEqual([["UNKNOWN_CONFIG_VAR", "nope"]]);
    next();
    await step(2);
  });

  it("C6 a host value of the wrong shape is a typed warning and is ignored; the other pre-filled values still apply", async () => {
    const { host } = await openPrefilled({ workspace: { value: { deeply: { nested: ["x".repeat(5000)] } } }, apiKey: { value: { kind: "api-key", apiKey: "host-key" }, hidden: true } });
    expect(input("Workspace").value).toBe("acme"); // the field's default, not the host's value
    expect(input("Workspace").readOnly).toBe(false);
    expect(document.getElementById("em-field-apiKey")).toBeNull();
    expect(host.of("warning").map((w) => [w.payload.code, w.payload.subject])).toEqual([["INVALID_CONFIG_VALUE", "workspace"]]);
  });
});

describe("A8 viewer role", () => {
  it("A8 hides Activate on the detail page", async () => {
    const p = fakePlatform([crm()], "viewer");
    server.use(...p.handlers);
    const { frame } = await renderFrame({ init: { screen: { name: "integration", integrationId: "crm" } } });
    await screen.findByRole("heading", { level: 1, name: "Acme CRM" });
    await waitFor(() => expect(frame.session.session.value?.user.role).toBe("viewer"));
    expect(screen.queryByRole("button", { name: "Activate" })).toBeNull();
    expect(screen.getByText("You have read-only access.")).toBeTruthy();
  });

  it("A8 a viewer who reaches the wizard's last page sees no Save and deploy, and Enter there does not deploy", async () => {
    // The host pre-fills what a viewer cannot type, so the wizard can be walked to its end.
    const { frame, p } = await openPrefilled({ apiKey: { value: { kind: "api-key", apiKey: "host-key" } }, region: { value: "eu" } }, fakePlatform([crm()], "viewer"));
    await waitFor(() => expect(frame.session.session.value?.user.role).toBe("viewer"));
    next();
    await step(2);
    next();
    await step(3);
    expect(screen.queryByRole("button", { name: /deploy/i })).toBeNull();
    const pagesSaved = p.state.savedPages.length;
    fireEvent.submit(input("Mapping").form!);
    expect(document.querySelector(".em-wizard")!.getAttribute("aria-busy")).toBe("false"); // nothing started
    await new Promise((r) => setTimeout(r, 100));
    expect(p.state.savedPages).toHaveLength(pagesSaved);
    expect(p.state.deployCalls).toBe(0);
  });
});
