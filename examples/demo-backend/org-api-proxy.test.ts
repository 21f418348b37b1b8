/**
 * The org console's proxy: the organization API key is added server-side and never reaches the
 * browser; only the console's own origin may write; nothing outside /api/v1/org/ is reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import * as z from "zod/mini";
import { DEMO_ORG_API_KEY, type PlatformServer } from "../../mock-server/index.ts";
import { orgCustomerList, orgDeployResponse, orgInstancePage } from "../../contract/org-api.ts";
import { startDemoStack } from "./test-stack.ts";

let platform: PlatformServer;
let host: { url: string; close(): Promise<void> };
/** The staff member's session cookie (the console is served to a signed-in user only). */
let staff: Record<string, string>;

let stack: Awaited<ReturnType<typeof startDemoStack>>;
beforeAll(async () => {
  stack = await startDemoStack();
  ({ platform, host, staff } = stack);
});
afterAll(() => stack.close());

const jira = {
  integrationId: "jira",
  values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ops@acme.example", password: "proxy-secret-1" }, projectKey: "OPS" },
  labels: ["from-console"],
};

describe("org console proxy", () => {
  it("forwards to the organization API with the key added server-side; the key is in no response", async () => {
    const response = await fetch(`${host.url}/api/org/customers`, { headers: staff });
    const text = await response.text();
    expect(response.status).toBe(200);
    const list = z.parse(orgCustomerList, JSON.parse(text));
    expect(list.customers.map((c) => c.externalId)).toContain("acme-corp");
    expect(text).not.toContain(DEMO_ORG_API_KEY);
    expect([...response.headers.values()].join(" ")).not.toContain(DEMO_ORG_API_KEY);
  });

  it("deploys for a customer from the console's own origin, with query strings passed through", async () => {
    const customers = z.parse(orgCustomerList, await (await fetch(`${host.url}/api/org/customers`, { headers: staff })).json());
    const acme = customers.customers.find((c) => c.externalId === "acme-corp")!;
    const deploy = await fetch(`${host.url}/api/org/customers/${acme.id}/instances`, {
      method: "POST",
      headers: { ...staff, Origin: host.url, "Content-Type": "application/json", "Idempotency-Key": "console-1" },
      body: JSON.stringify(jira),
    });
    expect(deploy.status).toBe(201);
    const deployed = z.parse(orgDeployResponse, await deploy.json());
    const page = z.parse(orgInstancePage, await (await fetch(`${host.url}/api/org/instances?label=from-console&customer=${acme.id}`, { headers: staff })).json());
    expect(page.instances.map((i) => i.id)).toEqual([deployed.instance.id]);
    const bad = await fetch(`${host.url}/api/org/instances?sort=name`, { headers: staff });
    expect(bad.status).toBe(400);
  });

  it("refuses writes from another origin or without an Origin header (CSRF)", async () => {
    for (const headers of [{ ...staff, Origin: "https://evil.example" }, staff] as Array<Record<string, string>>) {
      const response = await fetch(`${host.url}/api/org/instances/ins_x/pause`, { method: "POST", headers });
      expect(response.status).toBe(403);
    }
  });

  it("never forwards outside the organization API (dot segments, other methods)", async () => {
    for (const path of ["/api/org/%2e%2e/session", "/api/org/%2E%2E/%2E%2E/embed/demo", "/api/org/..%2finstances"]) {
      const response = await fetch(`${host.url}${path}`, { method: "GET", headers: staff });
      expect([400, 404], path).toContain(response.status);
      expect(await response.text()).not.toContain("allowedOrigins");
    }
  });

  it("P5 a method the proxy does not forward is a typed 405 METHOD_NOT_ALLOWED with Allow, as the platform answers", async () => {
    for (const method of ["PUT", "OPTIONS", "PROPFIND"]) {
      const response = await fetch(`${host.url}/api/org/customers`, { method, headers: { ...staff, Origin: host.url } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow"), method).toBe("GET, POST, PATCH, DELETE");
      expect(await response.json(), method).toEqual({ error: { code: "METHOD_NOT_ALLOWED", message: `${method} is not forwarded.` } });
    }
    const page = await fetch(`${host.url}/org-console/`, { method: "DELETE" });
    expect(page.status).toBe(405);
    expect(page.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("org console page", () => {
  it("is served with the host CSP and has no inline script, style or HTML injection", async () => {
    const response = await fetch(`${host.url}/org-console/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<script type="module" src="./main.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
    const folder = new URL("../org-console/", import.meta.url);
    const scripts = readdirSync(folder).filter((name) => name.endsWith(".js"));
    expect(scripts).toContain("versions.js");
    for (const name of scripts) {
      const js = readFileSync(new URL(name, folder), "utf8");
      expect(js, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
      expect(js, name).not.toContain("org_");
    }
    expect((await fetch(`${host.url}/org-console/main.js`)).headers.get("content-type")).toContain("javascript");
  });
});
