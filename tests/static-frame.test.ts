/**
 * The static build of the frame (dist/static-demo) in real Chromium: served by a plain static
 * file server that knows nothing of the API, embedded by the demo host page through the SDK.
 * The mock platform runs in the frame — msw's service worker where one may start, else in the
 * page — and persists in IndexedDB where it may, else in memory with a notice.
 * Run `npm run build && npm run build:static-demo` first.
 */
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import type { Frame, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHostServer } from "../examples/demo-backend/server.ts";
import { verifyNotification } from "../examples/demo-backend/verify-notification.ts";
import { DEMO_ORG_API_KEY } from "../mock-server/index.ts";
import { deployStripe, hostEvents, launchBrowser, withPage, type Browser } from "./harness.ts";

const DIST = join(import.meta.dirname, "../dist/static-demo");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

interface StaticServer {
  url: string;
  /** Paths the frame's own document asked for (same-origin): an /api/ path here means the mock did not answer it. */
  requests: string[];
  close(): Promise<void>;
}

/** A dumb static server for dist/static-demo at /frame/, plus the deployer's config file and frame-ancestors header. */
async function serveStatic(allowedOrigins: () => string[]): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://static.invalid").pathname;
    // The demo host page probes the platform's scenario switch cross-origin; only the frame's own calls count.
    if (req.headers["sec-fetch-site"] === "same-origin") requests.push(path);
    const headers = { "Content-Security-Policy": `frame-ancestors ${allowedOrigins().join(" ")}`, "Cache-Control": "no-store" };
    if (path === "/frame/emporium-static.json") {
      res.writeHead(200, { ...headers, "Content-Type": TYPES[".json"] });
      // The local development mode: the notification test's receiver listens on 127.0.0.1.
      return void res.end(JSON.stringify({ allowedOrigins: allowedOrigins(), developmentMode: true }));
    }
    if (!path.startsWith("/frame/")) {
      res.writeHead(404, headers);
      return void res.end("Not found");
    }
    const rel = path.slice("/frame/".length) || "index.html";
    const file = normalize(join(DIST, rel));
    const body = file.startsWith(DIST + sep) ? await readFile(file).catch(() => null) : null;
    if (!body) {
      res.writeHead(404, headers);
      return void res.end("Not found");
    }
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let browser: Browser;
let site: StaticServer;
let sameSiteHost: { url: string; close(): Promise<void> };
let crossSiteHost: { url: string; close(): Promise<void> };

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html")) || !existsSync(join(DIST, "mockServiceWorker.js"))) {
    throw new Error("dist/static-demo is missing: run `npm run build:static-demo` first");
  }
  site = await serveStatic(() => [sameSiteHost.url, crossSiteHost.url]);
  // The demo host page, embedding the static frame: once on the same site (127.0.0.1, another
  // port), once on another site (localhost).
  sameSiteHost = await startHostServer({ port: 0, host: "127.0.0.1", platformOrigin: site.url });
  crossSiteHost = await startHostServer({ port: 0, host: "localhost", platformOrigin: site.url });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await sameSiteHost?.close();
  await crossSiteHost?.close();
  await site?.close();
});

/** The frame document, once it has started its platform (the static entry marks <html>). */
async function frameDocument(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => f.url().startsWith(`${site.url}/frame/`))).toBe(true);
  const frame = page.frames().find((f) => f.url().startsWith(`${site.url}/frame/`))!;
  await frame.waitForFunction(() => document.documentElement.dataset.emporiumPersistence !== undefined);
  return frame;
}
const platformOf = (frame: Frame) =>
  frame.evaluate(() => ({ transport: document.documentElement.dataset.emporiumTransport, persistence: document.documentElement.dataset.emporiumPersistence }));

/** Everything the platform stored in IndexedDB, keys and values, as one text (database and stores of mock-server/persistence/indexeddb-backend.ts). */
const storedState = (frame: Frame) =>
  frame.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open("emporium-mock-platform");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(["records", "executions"], "readonly");
          const parts: unknown[] = [];
          for (const name of ["records", "executions"]) {
            tx.objectStore(name).getAllKeys().onsuccess = (e) => parts.push((e.target as IDBRequest).result);
            tx.objectStore(name).getAll().onsuccess = (e) => parts.push((e.target as IDBRequest).result);
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve(JSON.stringify(parts));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );

const apiRequests = () => site.requests.filter((p) => p.startsWith("/api/"));

describe("static frame", () => {
  it("same-site embed: the service worker answers boot and the API, a deploy works, and a reload keeps the instance (IndexedDB)", async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${sameSiteHost.url}/?customer=acme-corp`);
      const doc = await frameDocument(page);
      expect(await platformOf(doc)).toEqual({ transport: "service-worker", persistence: "indexeddb" });
      const frame: FrameLocator = page.frameLocator("#marketplace iframe");

      // The list comes from the worker; no notice (the state is stored).
      await frame.getByRole("button", { name: /Stripe/ }).waitFor();
      expect(await frame.locator("#em-static-notice").isHidden()).toBe(true);
      await expect.poll(async () => (await hostEvents(page)).some((e) => e.name === "ready")).toBe(true);

      // Activate and deploy Stripe.
      await deployStripe(frame, "sk_test_static_frame_123456");
      const webhook = frame.getByLabel(/Webhook URL/).first();
      await webhook.waitFor();
      await expect.poll(async () => (await hostEvents(page)).some((e) => e.name === "instance-deployed")).toBe(true);
      const deployed = (await hostEvents(page)).find((e) => e.name === "instance-deployed")!;
      expect(deployed.payload).toMatchObject({ integrationId: "stripe" });

      // The webhook runs when the frame's own page calls it (the worker answers its fetches).
      const url = await webhook.inputValue();
      expect(new URL(url).origin).toBe(site.url);
      const run = await doc.evaluate(async (u) => {
        const r = await fetch(u, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "charge.succeeded", amount: 4200 }) });
        return { status: r.status, body: (await r.json()) as { status: string; executionId: string } };
      }, url);
      expect(run).toMatchObject({ status: 200, body: { status: "succeeded" } });
      // The instance and its execution were in IndexedDB before the answers that reported them
      // left (a 2xx is stored), and the API key typed into the wizard is there only encrypted.
      const instanceId = deployed.payload.instanceId as string;
      const stored = await storedState(doc);
      expect(stored).toContain(run.body.executionId);
      expect(stored).toContain(instanceId);
      expect(stored).toContain("enc:v1:");
      expect(stored).not.toContain("sk_test_static_frame_123456");

      // Nothing reached the static server's /api/: the worker answered every call.
      expect(apiRequests()).toEqual([]);

      // Reload: the frame document starts over and finds the instance in IndexedDB.
      await page.reload();
      const again = await frameDocument(page);
      expect(await platformOf(again)).toEqual({ transport: "service-worker", persistence: "indexeddb" });
      const activated = page.frameLocator("#marketplace iframe").getByRole("region", { name: /^Activated/ });
      await activated.getByRole("button", { name: /Stripe/ }).waitFor();
      await activated.getByRole("button", { name: /Stripe/ }).click();
      await page.frameLocator("#marketplace iframe").getByRole("button", { name: /Manage/ }).click();
      expect(await page.frameLocator("#marketplace iframe").getByLabel(/Webhook URL/).first().inputValue()).toBe(url);
      await expect.poll(() => page.frameLocator("#marketplace iframe").getByText("Record a payment").count()).toBeGreaterThan(1);
      expect(apiRequests()).toEqual([]);
    });
  });

  it("storage blocked: the platform runs in memory, the frame works, and a visible notice says a reload starts over", async () => {
    await withPage(browser, async (page) => {
      // IndexedDB refuses, as in a browser that blocks storage for this frame.
      await page.addInitScript((origin) => {
        if (location.origin !== origin) return;
        indexedDB.open = () => {
          throw new DOMException("The user denied permission to access the database.", "SecurityError");
        };
      }, site.url);
      await page.goto(`${sameSiteHost.url}/?customer=globex`);
      const doc = await frameDocument(page);
      expect((await platformOf(doc)).persistence).toBe("memory");
      const frame = page.frameLocator("#marketplace iframe");

      const notice = frame.getByRole("status").filter({ hasText: /in memory/ });
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/a reload starts over/);
      expect(await notice.isVisible()).toBe(true);

      // The memory platform is a fresh one (not the IndexedDB state of the test above), and it works.
      const available = frame.getByRole("region", { name: /^Available/ });
      await available.getByRole("button", { name: /Stripe/ }).waitFor();
      await available.getByRole("button", { name: /Slack/ }).click();
      await frame.getByRole("button", { name: "Activate" }).waitFor();
      expect(apiRequests()).toEqual([]);
    });
  });

  it("cross-site embed where no service worker may start: the platform answers in the page and the frame still works", async () => {
    await withPage(browser, async (page) => {
      // Registration refused, as browsers do where third-party storage is blocked.
      await page.addInitScript((origin) => {
        if (location.origin !== origin) return;
        navigator.serviceWorker.register = () => Promise.reject(new DOMException("Failed to register a ServiceWorker: storage access is blocked.", "SecurityError"));
      }, site.url);
      await page.goto(`${crossSiteHost.url}/?customer=acme-corp`);
      const doc = await frameDocument(page);
      const { transport, persistence } = await platformOf(doc);
      expect(transport).toBe("in-page");
      const frame = page.frameLocator("#marketplace iframe");
      await frame.getByRole("button", { name: /Stripe/ }).waitFor();
      // The notice is there exactly when the state is not stored.
      expect(await frame.locator("#em-static-notice").isVisible()).toBe(persistence === "memory");
      await expect.poll(async () => (await hostEvents(page)).some((e) => e.name === "ready")).toBe(true);
      // Boot checked the allow-list and the session was made, all without the static server.
      await frame.getByRole("button", { name: /Slack/ }).click();
      await frame.getByRole("button", { name: "Activate" }).waitFor();
      expect(apiRequests()).toEqual([]);
    });
  });

  it("N1 the in-browser platform sends notifications: a delivery reaches the receiver signed and verifies, a failed one is retried after a reload from the stored deliveries", async () => {
    // The organization's receiver: CORS for the frame's origin (a browser preflights these
    // headers), 500 on the first delivery, then 204.
    const received: Array<{ headers: Headers; body: string }> = [];
    const receiver = createServer((req, res) => {
      const cors = { "Access-Control-Allow-Origin": site.url, "Access-Control-Allow-Headers": "content-type, webhook-id, webhook-timestamp, webhook-signature", "Access-Control-Allow-Methods": "POST" };
      if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push({ headers: new Headers(Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)])), body });
        res.writeHead(received.length === 1 ? 500 : 204, cors).end(received.length === 1 ? "receiver down" : "");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const address = receiver.address();
    const receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hook`;
    try {
      await withPage(browser, async (page) => {
        await page.goto(`${sameSiteHost.url}/?customer=acme-corp`);
        let doc = await frameDocument(page);
        expect((await platformOf(doc)).transport).toBe("service-worker");
        await page.frameLocator("#marketplace iframe").getByRole("button", { name: /Stripe/ }).first().waitFor();
        /** The organization API of the platform in the frame's page (the worker answers it). */
        const org = (frame: Frame, path: string, body?: unknown) =>
          frame.evaluate(
            async ({ path, body, key }) => {
              const r = await fetch(`/api/v1/org${path}`, { method: body ? "POST" : "GET", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
              return { status: r.status, body: await r.json() };
            },
            { path, body, key: DEMO_ORG_API_KEY },
          );
        const created = await org(doc, "/notification-endpoints", { url: receiverUrl, eventTypes: ["instance.deployed"] });
        expect(created.status).toBe(201);
        const { endpoint, secret } = created.body as { endpoint: { id: string }; secret: string };
        const { customers } = (await org(doc, "/customers")).body as { customers: Array<{ id: string; externalId: string }> };
        const acme = customers.find((c) => c.externalId === "acme-corp")!;
        const deployed = await org(doc, `/customers/${acme.id}/instances`, { integrationId: "zendesk", name: "Notified Zendesk", values: { subdomain: "acme", zendeskKey: { kind: "api-key", apiKey: "zd-key-notified" }, priority: "high" } });
        expect(deployed.status).toBe(201);

        // The first attempt arrives signed the Standard Webhooks way, and is answered 500.
        await expect.poll(() => received.length).toBe(1);
        expect(await verifyNotification([secret], received[0].headers, received[0].body)).toBe(true);
        expect(await verifyNotification([secret], received[0].headers, received[0].body.replace("Notified", "Forged"))).toBe(false);
        expect(JSON.parse(received[0].body)).toMatchObject({ type: "instance.deployed", data: { instance: { name: "Notified Zendesk" } } });
        // Recorded as failed, a retry scheduled…
        const deliveries = async (frame: Frame) => ((await org(frame, `/notification-endpoints/${endpoint.id}/deliveries`)).body as { deliveries: Array<{ status: string; messageId: string; attempts: Array<{ responseStatus?: number }> }> }).deliveries;
        await expect.poll(async () => (await deliveries(doc))[0]?.attempts.length).toBe(1);
        expect((await deliveries(doc))[0]).toMatchObject({ status: "pending", attempts: [{ responseStatus: 500 }] });

        // …and made after a reload, by the platform that starts again from IndexedDB.
        await page.reload();
        doc = await frameDocument(page);
        await expect.poll(() => received.length).toBe(2);
        expect(received[1].headers.get("webhook-id")).toBe(received[0].headers.get("webhook-id"));
        expect(await verifyNotification([secret], received[1].headers, received[1].body)).toBe(true);
        await expect.poll(async () => (await deliveries(doc))[0]?.status).toBe("succeeded");
        expect((await deliveries(doc))[0].attempts.map((a) => a.responseStatus)).toEqual([500, 204]);
      });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
