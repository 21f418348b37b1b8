// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { cssVarName } from "../../contract/theme.ts";
import { frameMethodNames } from "../../contract/protocol.ts";
import { lazyFrameMethods } from "./host-channel.ts";
import { createFrameMethods } from "./frame-methods.ts";
import { fakePlatform, integration } from "../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../test/harness.tsx";

const server = setupFrameServer();

function platform() {
  const p = fakePlatform([
    integration({
      id: "crm",
      name: "Acme CRM",
      configPages: [
        { name: "one", title: "One", fields: [{ key: "workspace", label: "Workspace", type: "string" }] },
        { name: "two", title: "Two", fields: [] },
      ],
    }),
  ]);
  server.use(...p.handlers);
  return p;
}

describe("frame methods (host → frame)", () => {
  it.each([
    ["exposed at the handshake (loads on first call)", lazyFrameMethods],
    ["implementation", createFrameMethods],
  ])("C5 the method map %s has no prototype: constructor, __proto__, toString are not methods", (_name, create) => {
    const methods = create(() => undefined);
    expect(Object.getPrototypeOf(methods)).toBeNull();
    expect(Object.keys(methods).sort()).toEqual([...frameMethodNames].sort());
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) expect((methods as Record<string, unknown>)[name]).toBeUndefined();
  });

  it("the map boot exposes loads the implementation on first call: typed refusal before init, live changes after", async () => {
    platform();
    let live: Awaited<ReturnType<typeof renderFrame>>["frame"] | undefined;
    const methods = lazyFrameMethods(() => live);
    expect(await methods.setFilters({ q: "zzz" })).toEqual({ ok: false, error: { code: "CONNECTION_CLOSED", message: expect.any(String) } });
    live = (await renderFrame()).frame;
    await screen.findByText("Acme CRM");
    expect(await methods.setFilters({ q: "zzz" })).toEqual({ ok: true, warnings: [] });
    expect(await screen.findByText("No integrations match")).toBeTruthy();
    expect(await methods.navigate({ name: "nowhere" } as never)).toMatchObject({ ok: false, error: { code: "INVALID_MESSAGE" } });
  });

  it("C6 C9 malformed arguments answer a typed error, never throw", async () => {
    platform();
    const { frame } = await renderFrame();
    const methods = createFrameMethods(() => frame);
    const bad = [
      methods.setTheme("nope" as never),
      methods.setLocale(42 as never),
      methods.setConfigVars({ workspace: { value: { deeply: { nested: 1 } } } } as never),
      methods.setFilters({ q: "x".repeat(10_000) } as never),
      methods.navigate({ name: "constructor" } as never),
    ];
    for (const r of await Promise.all(bad)) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(Object.keys(r.error).sort()).toEqual(["code", "message"]);
    }
  });

  it("C9 a method that fails inside the frame answers INTERNAL with a fixed message: no stack, no URL", async () => {
    const boom = () => {
      throw new Error("state broke at https://platform.example/frame/assets/index-abc.js:1:2 secret=sk_live_1");
    };
    const methods = createFrameMethods(boom);
    const answers = await Promise.all([
      methods.setTheme({ mode: "dark" }),
      methods.setLocale("fr"),
      methods.setConfigVars({}),
      methods.setFilters({}),
      methods.navigate({ name: "marketplace" }),
    ]);
    for (const answer of answers) expect(answer).toEqual({ ok: false, error: { code: "INTERNAL", message: "The marketplace could not apply this change" } });
  });

  it("T2 setTheme restyles a live wizard without losing typed input; rejected tokens are warnings", async () => {
    platform();
    const { frame, host } = await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } } });
    await screen.findByText("Step 1 of 2");
    fireEvent.input(screen.getByLabelText("Workspace"), { target: { value: "typed by user" } });
    const methods = createFrameMethods(() => frame);
    let result!: ReturnType<typeof methods.setTheme>;
    act(() => {
      result = methods.setTheme({ theme: { colorPrimary: "#ff0066", colorText: "red;}*{background:url(//x)}" }, mode: "dark" });
    });
    expect(result).toEqual({ ok: true, warnings: [expect.objectContaining({ code: "INVALID_THEME_TOKEN", subject: "colorText" })] });
    const style = document.documentElement.style;
    expect(style.getPropertyValue(cssVarName("colorPrimary"))).toBe("#ff0066");
    expect(style.getPropertyValue(cssVarName("colorText"))).toBe(""); // the stylesheet's dark default shows
    expect(document.documentElement.dataset.mode).toBe("dark");
    expect((screen.getByLabelText("Workspace") as HTMLInputElement).value).toBe("typed by user");
    expect(host.of("warning").map((w) => w.payload.subject)).toEqual(["colorText"]);
  });

  it("setConfigVars mid-wizard pre-fills the fields the user has not typed in and never overwrites what they typed; a locked value still wins", async () => {
    server.use(
      ...fakePlatform([
        integration({
          id: "crm",
          name: "Acme CRM",
          configPages: [
            {
              name: "one",
              title: "One",
              fields: [
                { key: "workspace", label: "Workspace", type: "string" },
                { key: "region", label: "Region", type: "string" },
                { key: "owner", label: "Owner", type: "string" },
              ],
            },
          ],
        }),
      ]).handlers,
    );
    const { frame, host } = await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } } });
    await screen.findByRole("heading", { level: 1, name: "Set up Acme CRM" });
    const field = (label: string) => screen.getByLabelText(label, { exact: false }) as HTMLInputElement;
    fireEvent.input(field("Workspace"), { target: { value: "typed by user" } });
    fireEvent.input(field("Owner"), { target: { value: "typed owner" } });
    let result!: ReturnType<ReturnType<typeof createFrameMethods>["setConfigVars"]>;
    act(() => {
      result = createFrameMethods(() => frame).setConfigVars({
        workspace: { value: "from host" },
        region: { value: "eu" },
        owner: { value: "host owner", readOnly: true },
        nope: { value: "x" },
      });
    });
    expect(result).toEqual({ ok: true, warnings: [expect.objectContaining({ code: "UNKNOWN_CONFIG_VAR", subject: "nope" })] });
    expect(field("Workspace").value).toBe("typed by user");
    expect(field("Region").value).toBe("eu");
    expect(field("Owner").value).toBe("host owner");
    expect(field("Owner").readOnly).toBe(true);
    expect(host.of("warning").map((w) => w.payload.subject)).toEqual(["nope"]);
  });

  it("mode auto follows the host's prefers-color-scheme", async () => {
    platform();
    const { frame } = await renderFrame({ init: { mode: "auto", hostPrefersDark: true } });
    expect(document.documentElement.dataset.mode).toBe("dark");
    act(() => void createFrameMethods(() => frame).setTheme({ mode: "auto", hostPrefersDark: false }));
    // The App re-applies the theme in a signal effect, which runs on the next animation frame.
    await waitFor(() => expect(document.documentElement.dataset.mode).toBe("light"));
  });

  it("setLocale switches the UI language live and warns about unknown keys", async () => {
    platform();
    const { frame } = await renderFrame();
    await screen.findByText("Acme CRM");
    const r = await createFrameMethods(() => frame).setLocale("fr", { "market.empty": "Rien", "wizard.next": "Suivant !", bogus: "x" });
    expect(r).toEqual({ ok: true, warnings: [expect.objectContaining({ code: "UNKNOWN_PHRASE", subject: "bogus" })] });
    expect(await screen.findByPlaceholderText("Rechercher par nom, éditeur ou étiquette")).toBeTruthy();
  });

  it("every language switch words the SDK's own chrome for the host (labels), after the host's phrases; the same switch init() applied tells its warnings once", async () => {
    platform();
    const { frame, host } = await renderFrame({ init: { locale: "de", phrases: { "embed.close": "Zumachen", bogus: "x" } } });
    await screen.findByText("Acme CRM");
    const methods = createFrameMethods(() => frame);
    const warnings = () => host.of("warning").filter((w) => w.payload.subject === "bogus");
    const before = warnings().length;
    // What the SDK sends once the frame is drawn: init()'s language again.
    await methods.setLocale("de", { "embed.close": "Zumachen", bogus: "x" });
    expect(host.of("labels").map((e) => e.payload)).toEqual([{ title: "Integrations-Marktplatz", close: "Zumachen" }]);
    expect(warnings()).toHaveLength(before);
    await methods.setLocale("fr");
    await methods.setLocale("en-GB");
    expect(host.of("labels").map((e) => e.payload).slice(1)).toEqual([
      { title: "Catalogue d'intégrations", close: "Fermer" },
      { title: "Integration marketplace", close: "Close" },
    ]);
    // A new switch with an unknown key warns again.
    await methods.setLocale("de", { bogus: "x" });
    expect(warnings()).toHaveLength(before + 1);
  });

  it("navigate and setFilters drive the live embed", async () => {
    platform();
    const { frame } = await renderFrame();
    await screen.findByText("Acme CRM");
    const methods = createFrameMethods(() => frame);
    act(() => void methods.setFilters({ q: "zzz" }));
    expect(screen.getByText("No integrations match")).toBeTruthy();
    act(() => void methods.navigate({ name: "integration", integrationId: "crm" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Acme CRM" })).toBeTruthy();
  });
});
