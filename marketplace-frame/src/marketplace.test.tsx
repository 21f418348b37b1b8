// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { fakePlatform, integration, ORIGIN } from "../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../test/harness.tsx";

const server = setupFrameServer();

function catalog() {
  return fakePlatform([
    integration({ id: "salesforce", name: "Salesforce", category: "CRM", labels: ["sales"], activation: { state: "activated", instanceId: "i1", instanceCount: 1, activeCount: 1, updateAvailable: false } }),
    integration({ id: "hubspot", name: "HubSpot", category: "CRM", labels: ["marketing"] }),
    integration({ id: "slack", name: "Slack", category: "Chat", labels: ["alerts"], activation: { state: "paused", instanceId: "i2", instanceCount: 1, activeCount: 0, updateAvailable: false } }),
    integration({ id: "zendesk", name: "Zendesk", category: "Support", activation: { state: "needs-configuration", instanceId: "i3", instanceCount: 0, activeCount: 0, updateAvailable: false } }),
  ]);
}

describe("marketplace list", () => {
  it("lists integrations with their state, activated ones in their own section, and emits ready", async () => {
    const { handlers } = catalog();
    server.use(...handlers);
    const { host } = await renderFrame();
    const activated = await screen.findByRole("region", { name: /^Activated/ });
    expect(within(activated).getByText("Salesforce")).toBeTruthy();
    expect(within(activated).getByText("Paused")).toBeTruthy();
    expect(within(activated).getByText("Needs configuration")).toBeTruthy();
    const available = screen.getByRole("region", { name: /^Available/ });
    expect(within(available).getByText("HubSpot")).toBeTruthy();
    expect(within(available).queryByText("Salesforce")).toBeNull();
    await waitFor(() => expect(host.of("ready")).toEqual([{ type: "ready", payload: { screen: "marketplace" } }]));
  });

  it("drawn before its catalog (a far platform): the shell at once, no skeleton while it is held back, then the skeleton, then the list", async () => {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    server.use(http.get(`${ORIGIN}/api/v1/integrations`, async () => (await answered, HttpResponse.json({ integrations: [], categories: [], labels: [] }))), ...catalog().handlers);
    const { frame } = await renderFrame();
    frame.skeletonHeld.value = true; // what untilFirstRender does until SKELETON_AFTER_MS
    await screen.findByRole("searchbox", { name: "Search integrations" });
    expect(frame.catalog.status.value).toBe("loading");
    expect(document.querySelector(".em-card-skeleton")).toBeNull();
    frame.skeletonHeld.value = false;
    await waitFor(() => expect(document.querySelector(".em-card-skeleton")).not.toBeNull());
    answer();
    await screen.findByText("No integrations match");
    expect(document.querySelector(".em-card-skeleton")).toBeNull();
  });

  it("tells screen readers how many integrations are shown, and updates the count as the user filters", async () => {
    server.use(...catalog().handlers);
    await renderFrame();
    await screen.findByText("HubSpot");
    const status = document.querySelector<HTMLElement>(".em-marketplace [role=status]")!;
    await waitFor(() => expect(status.textContent).toBe("4 integrations"));
    fireEvent.click(within(screen.getByRole("group", { name: "Category" })).getByRole("button", { name: "CRM" }));
    await waitFor(() => expect(status.textContent).toBe("2 integrations"));
  });

  it("filters by search, category and state, and shows an empty state", async () => {
    server.use(...catalog().handlers);
    await renderFrame();
    await screen.findByText("HubSpot");
    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "slack" } });
    expect(screen.queryByText("HubSpot")).toBeNull();
    expect(screen.getByText("Slack")).toBeTruthy();

    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "" } });
    fireEvent.click(within(screen.getByRole("group", { name: "Category" })).getByRole("button", { name: "CRM" }));
    expect(screen.queryByText("Slack")).toBeNull();
    expect(screen.getByText("HubSpot")).toBeTruthy();

    fireEvent.click(within(screen.getByRole("group", { name: "Show" })).getByRole("button", { name: "Available" }));
    expect(screen.queryByText("Salesforce")).toBeNull();
    expect(screen.getByText("HubSpot")).toBeTruthy();

    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "nothing like this" } });
    expect(screen.getByText("No integrations match")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(screen.getByText("Slack")).toBeTruthy();
  });

  it("a catalog that is not the contract's shape, or a proxy's HTML 502, is a clear error with a retry, and the retry shows the list", async () => {
    server.use(...catalog().handlers);
    const badGateway = () => new HttpResponse("<html><body>Bad gateway</body></html>", { status: 502, headers: { "Content-Type": "text/html" } });
    // The 502 is answered to the request and to both of its automatic retries.
    let answers = [() => HttpResponse.json({ integrations: [{ id: 42, name: "x".repeat(100_000) }] }), badGateway, badGateway, badGateway];
    server.use(http.get(`${ORIGIN}/api/v1/integrations`, () => answers.shift()?.()));
    await renderFrame();
    expect((await screen.findByRole("alert")).textContent).toContain("We couldn't load this");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect((await screen.findByRole("alert")).textContent).toContain("We couldn't load this");
    answers = [];
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("HubSpot")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("the error state shows no search or filter that cannot run, only why and Retry; a search typed while the list loaded is back, applied, after the retry, and focus in the search box moves to Retry", async () => {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let down = true;
    server.use(
      http.get(`${ORIGIN}/api/v1/integrations`, async () => {
        await answered;
        // Answered to the request and to each of its automatic retries while the service is down.
        if (down) return HttpResponse.json({ error: { code: "SERVICE_UNAVAILABLE", message: "upstream maintenance" } }, { status: 503 });
      }),
      ...catalog().handlers,
    );
    await renderFrame();
    const search = await screen.findByRole("searchbox", { name: "Search integrations" });
    search.focus();
    fireEvent.input(search, { target: { value: "hub" } });
    answer();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The integrations service is down for a moment.");
    expect(screen.queryByRole("searchbox")).toBeNull();
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(screen.queryAllByRole("group")).toEqual([]);
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual(["Try again"]);
    expect(document.activeElement).toBe(within(alert).getByRole("button", { name: "Try again" }));
    down = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("HubSpot")).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>("searchbox", { name: "Search integrations" }).value).toBe("hub");
    expect(screen.queryByText("Salesforce")).toBeNull();
  });

  it("the error state says why the list did not load, by the failure's code, in the user's language (the platform's own message is English)", async () => {
    const refuse = (status: number, code: string) => () => HttpResponse.json({ error: { code, message: "upstream maintenance" } }, { status });
    let answer = refuse(403, "FORBIDDEN");
    server.use(http.get(`${ORIGIN}/api/v1/integrations`, () => answer()));
    const reason = async () => (await screen.findByRole("alert")).querySelector(".em-muted")?.textContent;
    const { view } = await renderFrame();
    expect(await reason()).toBe("Your account may not see these integrations. Ask an admin.");
    view.unmount();
    // German: the same code, in German; a code with no phrase of its own says the generic line.
    const german = await renderFrame({ init: { locale: "de" } });
    expect(await reason()).toBe("Ihr Konto darf diese Integrationen nicht sehen. Wenden Sie sich an einen Administrator.");
    german.view.unmount();
    answer = refuse(409, "CONFLICT");
    await renderFrame({ init: { locale: "fr" } });
    expect(await reason()).toBe("Une erreur s'est produite. Veuillez réessayer.");
  });

  it("host filters restrict the list to the given integration ids", async () => {
    server.use(...catalog().handlers);
    await renderFrame({ init: { filters: { integrations: ["slack"] } } });
    await screen.findByText("Slack");
    expect(screen.queryByText("HubSpot")).toBeNull();
  });

  it("falls back to initials when an icon fails to load", async () => {
    const { handlers } = fakePlatform([integration({ id: "acme", name: "Acme Cloud", icon: "https://cdn.test/acme.png" })]);
    server.use(...handlers);
    const { view } = await renderFrame();
    await screen.findByText("Acme Cloud");
    const img = view.container.querySelector("img")!;
    expect(img.getAttribute("loading")).toBe("lazy");
    fireEvent.error(img);
    expect(view.container.querySelector("img")).toBeNull();
    expect(screen.getByText("AC")).toBeTruthy();
  });

  it("opens the detail page with the Activate action", async () => {
    server.use(...catalog().handlers);
    await renderFrame();
    fireEvent.click(await screen.findByText("HubSpot"));
    expect(await screen.findByRole("heading", { level: 1, name: "HubSpot" })).toBeTruthy();
    expect(await screen.findByRole("button", { name: "Activate" })).toBeTruthy();
  });

  it("a category is named in the host's words (phrase category.<its catalog name>) on its chip and the detail page, filters as before, and the key is no unknown phrase", async () => {
    server.use(...catalog().handlers);
    const { host } = await renderFrame({ init: { phrases: { "category.CRM": "Customer relations", bogus: "x" } } });
    await screen.findByText("HubSpot");
    const categories = screen.getByRole("group", { name: "Category" });
    expect(within(categories).queryByRole("button", { name: "CRM" })).toBeNull();
    fireEvent.click(within(categories).getByRole("button", { name: "Customer relations" }));
    expect(screen.queryByText("Slack")).toBeNull();
    expect(screen.getByText("HubSpot")).toBeTruthy();
    // The warnings are told together: the unknown key's means the category's was weighed too.
    await waitFor(() => expect(host.of("warning").map((w) => w.payload.subject)).toContain("bogus"));
    expect(host.of("warning").map((w) => w.payload.subject)).not.toContain("category.CRM");
    fireEvent.click(screen.getByText("HubSpot"));
    await screen.findByRole("heading", { level: 1, name: "HubSpot" });
    expect(screen.getByText("Customer relations", { selector: ".em-tag" })).toBeTruthy();
    await screen.findByRole("button", { name: "Activate" }); // the page's own requests have landed
  });

  it("a label is named in the host's words (phrase label.<its catalog name>) in the label filter and on the detail page, filters as before, and the key is no unknown phrase", async () => {
    server.use(...catalog().handlers);
    const { host } = await renderFrame({ init: { phrases: { "label.marketing": "Vermarktung", bogus: "x" } } });
    await screen.findByText("HubSpot");
    const select = screen.getByRole("combobox") as HTMLSelectElement;
    const option = within(select).getByRole("option", { name: "Vermarktung" }) as HTMLOptionElement;
    expect(option.value).toBe("marketing");
    expect(within(select).queryByRole("option", { name: "marketing" })).toBeNull();
    fireEvent.change(select, { target: { value: "marketing" } });
    await waitFor(() => expect(screen.queryByText("Salesforce")).toBeNull());
    expect(screen.getByText("HubSpot")).toBeTruthy();
    await waitFor(() => expect(host.of("warning").map((w) => w.payload.subject)).toContain("bogus"));
    expect(host.of("warning").map((w) => w.payload.subject)).not.toContain("label.marketing");
    fireEvent.click(screen.getByText("HubSpot"));
    await screen.findByRole("heading", { level: 1, name: "HubSpot" });
    expect(screen.getByText("Vermarktung", { selector: ".em-tag" })).toBeTruthy();
    await screen.findByRole("button", { name: "Activate" }); // the page's own requests have landed
  });
});
