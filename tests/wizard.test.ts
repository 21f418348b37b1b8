/**
 * The config wizard and instance management as a customer uses them, in real Chromium with the
 * host and the frame on two different sites: an OAuth connection through the popup, resuming
 * after a frame reload, reconfiguring without re-sending a secret, pause/resume, deactivate; one
 * Slack connection picked for a second instance (the platform lists both as its users), and a
 * connection the host provides picked without its secret reaching the frame or the host (S4).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { FrameLocator, Page, Request } from "playwright-core";
import { connectThroughPopup, hostEvents } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { DEMO_ORG_API_KEY } from "../mock-server/index.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import { connectionPaths } from "../contract/connection-paths.ts";
import { orgPaths } from "../contract/org-api.ts";
import type { Connection } from "../contract/api-types.ts";

const { stack, browser } = useStackAndBrowser();

const eventNames = async (page: Page) => (await hostEvents(page)).map((e) => e.name);

// Every page a test opened is closed after it, passed or failed.
const opened: Page[] = [];
afterEach(async () => void (await Promise.all(opened.splice(0).map((page) => page.close()))));

async function openHost(customer: "acme-corp" | "globex"): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await browser.context.newPage();
  opened.push(page);
  await page.goto(`${stack.hostUrl}/?customer=${customer}`);
  const frame = page.frameLocator("#marketplace iframe");
  await frame.getByRole("searchbox").waitFor();
  return { page, frame };
}

async function openIntegration(frame: FrameLocator, name: string) {
  await frame.getByRole("searchbox").fill(name);
  await frame.getByRole("button", { name: new RegExp(name) }).first().click();
}

/** Opens an integration that is not active yet and starts its wizard: "Activate", then page 1 of its 2. */
async function activate(frame: FrameLocator, name: string) {
  await openIntegration(frame, name);
  await frame.getByRole("button", { name: "Activate" }).click();
  await frame.getByText("Step 1 of 2").waitFor();
}

describe("config wizard", () => {
  it("walks a multi-page wizard with an OAuth connection through the popup, and deploys", async () => {
    const { page, frame } = await openHost("globex");
    await activate(frame, "Slack");
    await expect.poll(() => eventNames(page)).toContain("instance-configuration-opened");

    // A required connection blocks Next, with the reason next to it.
    await frame.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => frame.getByText("This field is required.").count()).toBeGreaterThan(0);

    await connectThroughPopup(page, frame, "Slack");

    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();
    // The channel comes from the customer's own Slack workspace: the saved default shows, and a
    // search within the workspace's channels picks another.
    const channel = frame.getByRole("combobox", { name: /^Channel/ });
    await expect.poll(() => channel.inputValue()).toBe("#general");
    await channel.fill("alert");
    await frame.getByRole("option", { name: /^#alerts/ }).click();
    await expect.poll(() => channel.inputValue()).toBe("#alerts");
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await frame.getByLabel(/Webhook URL/).first().waitFor();

    await expect.poll(() => eventNames(page)).toContain("instance-deployed");
    const pagesLoaded = (await hostEvents(page)).filter((e) => e.name === "instance-configuration-page-loaded").map((e) => e.payload.pageName);
    expect(pagesLoaded).toEqual(expect.arrayContaining(["connect", "notifications"]));
  });

  it("Enter in a field submits the page like Next, from a single input and from a field with several", async () => {
    const { page, frame } = await openHost("acme-corp");
    await activate(frame, "Jira");
    // The password left empty: Enter runs the same checks as Next and stays, saying why.
    await frame.getByLabel("Username").fill("ops@acme.test");
    await frame.getByLabel("Username").press("Enter");
    await expect.poll(() => frame.getByText("Enter the Jira password.").count()).toBeGreaterThan(0);
    await expect.poll(() => frame.getByText("Step 1 of 2").count()).toBe(1);
    // Filled in, Enter in the password input of the username/password field moves on.
    await frame.getByLabel("Password").fill("api-token-123");
    await frame.getByLabel("Password").press("Enter");
    await frame.getByText("Step 2 of 2").waitFor();
    // And Enter in a closed combobox does too (on the last page: it deploys).
    await frame.getByRole("combobox", { name: /^Project/ }).press("Enter");
    await expect.poll(() => eventNames(page)).toContain("instance-deployed");
  });

  it("resumes where the user was after the frame reloads mid-wizard", async () => {
    const { page, frame } = await openHost("globex");
    await activate(frame, "Jira");
    await frame.getByLabel("Username").fill("hank@globex.example");
    await frame.getByLabel("Password").fill("jira-password-typed-in-e2e");
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();

    // Reload the frame document itself (not the host page): the embed reconnects.
    const marketplaceFrame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
    await marketplaceFrame.evaluate(() => location.reload());
    await frame.getByRole("searchbox").waitFor();
    await openIntegration(frame, "Jira");
    await frame.getByRole("button", { name: "Continue setup" }).click();
    // The platform kept the draft: the wizard resumes on page 2, and page 1 kept its values.
    await frame.getByText("Step 2 of 2").waitFor();
    await frame.getByRole("button", { name: "Back" }).click();
    await frame.getByText("Step 1 of 2").waitFor();
    await expect.poll(() => frame.getByLabel("Username").inputValue()).toBe("hank@globex.example");
    // The stored password comes back masked, never in clear.
    await expect.poll(() => frame.getByText("••• set").count()).toBeGreaterThan(0);
    const everything = JSON.stringify(await hostEvents(page)) + browser.consoleLines.join("\n");
    expect(everything).not.toContain("jira-password-typed-in-e2e");
  });
});

describe("instance management", () => {
  it("reconfigures without re-sending the stored secret, pauses, resumes and deactivates", async () => {
    const { page, frame } = await openHost("acme-corp");
    const SECRET = "hubspot-key-typed-in-e2e";
    await activate(frame, "HubSpot");
    await frame.getByLabel("API key").fill(SECRET);
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await frame.getByRole("button", { name: "Pause" }).waitFor();

    // Reconfigure: the secret shows as set, and saving does not send it again.
    const bodies: string[] = [];
    const onRequest = (request: Request) => {
      if (request.url().includes("/config/") && request.method() === "PUT") bodies.push(request.postData() ?? "");
    };
    page.on("request", onRequest);
    await frame.getByRole("button", { name: "Reconfigure" }).click();
    await frame.getByText("••• set").waitFor();
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await frame.getByRole("button", { name: "Pause" }).waitFor();
    page.off("request", onRequest);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(body).not.toContain(SECRET);

    // Pause: the host hears it, and the webhook answers that the instance is paused.
    const webhookUrl = await frame.getByLabel(/Webhook URL/).first().inputValue();
    await frame.getByRole("button", { name: "Pause" }).click();
    await frame.getByRole("button", { name: "Resume" }).waitFor();
    await expect.poll(() => eventNames(page)).toContain("instance-paused");
    const paused = await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ dealName: "X", amount: 1 }) });
    expect(paused.status).toBe(409);
    expect(((await paused.json()) as { error: { code: string } }).error.code).toBe("INSTANCE_PAUSED");

    await frame.getByRole("button", { name: "Resume" }).click();
    await frame.getByRole("button", { name: "Pause" }).waitFor();
    await expect.poll(() => eventNames(page)).toContain("instance-resumed");
    const resumed = await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ dealName: "X", amount: 1 }) });
    expect(resumed.status).toBe(200);

    // Deactivate sits behind a confirm step inside the frame.
    await frame.getByRole("button", { name: "Deactivate" }).click();
    await frame.getByRole("button", { name: "Yes, deactivate" }).click();
    await expect.poll(() => eventNames(page)).toContain("instance-deleted");
    const gone = await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(gone.status).toBe(404);

    const everything = JSON.stringify(await hostEvents(page)) + browser.consoleLines.join("\n");
    expect(everything).not.toContain(SECRET);
  });
});

/** The customer's connections of `app`, as the platform lists them to the customer. */
async function connectionsOf(customer: "acme-corp" | "globex", app: string): Promise<Connection[]> {
  const response = await fetch(`${stack.platformUrl}/api/v1${connectionPaths.connections()}?app=${encodeURIComponent(app)}`, {
    headers: { Authorization: `Bearer ${await signDemoToken(customer)}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { connections: Connection[] }).connections;
}

describe("connections in the wizard", () => {
  it("one Slack connection serves two instances: the second picks it, and the platform lists both as its users", async () => {
    const { page, frame } = await openHost("acme-corp");
    await activate(frame, "Slack");
    await connectThroughPopup(page, frame, "Slack");
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await frame.getByRole("button", { name: "Pause" }).waitFor();
    const [made] = await connectionsOf("acme-corp", "Slack");
    expect(made!.usedBy).toHaveLength(1);

    // A second instance: its wizard offers the connection (health, use) and starts on a new one.
    await page.reload();
    await frame.getByRole("searchbox").waitFor();
    await openIntegration(frame, "Slack");
    await frame.getByRole("button", { name: "Add another" }).click();
    await frame.getByText("Step 1 of 2").waitFor();
    const saved = frame.getByRole("radio", { name: new RegExp(`^${made!.name}.*Used by 1 integration.*Active`) });
    await saved.waitFor();
    expect(await saved.isChecked()).toBe(false);
    expect(await frame.getByRole("radio", { name: "New connection" }).isChecked()).toBe(true);
    await saved.check();
    await frame.getByText(/^Connected to Slack/).waitFor();
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await frame.getByRole("button", { name: "Pause" }).waitFor();

    const after = await connectionsOf("acme-corp", "Slack");
    expect(after.map((c) => c.id)).toEqual([made!.id]);
    expect(new Set(after[0]!.usedBy.map((u) => u.instanceId)).size).toBe(2);

    // Reconfiguring the second shows the connection it uses as the one chosen.
    await frame.getByRole("button", { name: "Reconfigure" }).click();
    const chosen = frame.getByRole("radio", { name: new RegExp(`^${made!.name}.*Used by 2 integrations`) });
    await chosen.waitFor();
    expect(await chosen.isChecked()).toBe(true);
  });

  it("S4 a connection the host provides is picked in the wizard; its secret never reaches the frame, the host page or the console", async () => {
    const SECRET = "pat-na1-provided-by-host-7731";
    const token = await signDemoToken("globex");
    // The customer exists once one of its users signed in (the session names its id); then the organization provides it a HubSpot key.
    const session = await fetch(`${stack.platformUrl}/api/v1/session`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    const globex = ((await session.json()) as { customer: { id: string } }).customer.id;
    const provided = await fetch(`${stack.platformUrl}/api/v1${orgPaths.customerConnections(globex)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${DEMO_ORG_API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ app: "HubSpot", name: "HubSpot by Demo", credentials: { kind: "api-key", apiKey: SECRET } }),
    });
    expect(provided.status, await provided.clone().text()).toBe(201);

    const { page, frame } = await openHost("globex");
    const bodies: Promise<string>[] = [];
    page.on("response", (response) => void bodies.push(response.text().catch(() => "")));
    const consoleLines: string[] = [];
    page.on("console", (message) => consoleLines.push(message.text()));
    await activate(frame, "HubSpot");
    const choice = frame.getByRole("radio", { name: /^HubSpot by Demo.*Provided by/ });
    await choice.check();
    expect(await frame.locator('input[type="password"]').count()).toBe(0);
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await frame.getByRole("button", { name: "Pause" }).waitFor();
    await frame.getByRole("button", { name: "Reconfigure" }).click();
    expect(await frame.getByRole("radio", { name: /^HubSpot by Demo/ }).isChecked()).toBe(true);
    expect(await frame.locator('input[type="password"]').count()).toBe(0);

    const seen = [...(await Promise.all(bodies)), await frame.locator("body").innerHTML(), await page.content(), ...consoleLines].join("\n");
    expect(seen).toContain("HubSpot by Demo");
    expect(seen).not.toContain(SECRET);
  });
});
