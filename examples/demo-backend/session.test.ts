/**
 * The demo backend's token endpoint and org proxy authenticate the demo's signed-in user, so a
 * team that copies them does not copy an open endpoint: no session, no token; a token only for a
 * workspace the user belongs to and no more than their role there; the org API only for staff;
 * the cookie is HttpOnly and SameSite=Strict, and everything that writes checks the Origin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { startPlatformServer, type PlatformServer } from "../../mock-server/index.ts";
import { startHostServer } from "./server.ts";
import { SESSION_COOKIE } from "./session.ts";

let platform: PlatformServer;
let host: { url: string; close(): Promise<void> };
/** The same backend with the development auto sign-in off, as a production-like deployment. */
let strictHost: { url: string; close(): Promise<void> };

beforeAll(async () => {
  platform = await startPlatformServer({ port: 0 });
  host = await startHostServer({ port: 0, platformOrigin: platform.url, autoSignIn: true });
  strictHost = await startHostServer({ port: 0, platformOrigin: platform.url, autoSignIn: false });
});
afterAll(async () => {
  await strictHost.close();
  await host.close();
  await platform.close();
});

/** Signs in through the fake sign-in; the session cookie as a request header. */
async function signIn(base: string, body: unknown = {}): Promise<Record<string, string>> {
  const response = await fetch(`${base}/api/demo/sign-in`, { method: "POST", headers: { Origin: base, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return { Cookie: response.headers.get("set-cookie")!.split(";")[0]! };
}

const askToken = (base: string, headers: Record<string, string>, body: unknown = { customer: "acme-corp" }) =>
  fetch(`${base}/api/emporium-token`, { method: "POST", headers: { Origin: base, "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("demo backend sessions", () => {
  it("the token endpoint refuses a request without a session, a forged or signed-out one, and one from another origin", async () => {
    for (const base of [host.url, strictHost.url]) {
      const none = await askToken(base, {});
      expect(none.status).toBe(401);
      expect(await none.text()).not.toContain("token\":");
      expect((await askToken(base, { Cookie: `${SESSION_COOKIE}=forged` })).status).toBe(401);
    }
    const session = await signIn(strictHost.url);
    expect((await askToken(strictHost.url, { ...session, Origin: "https://evil.example" })).status).toBe(403);
    const ok = await askToken(strictHost.url, session);
    expect(ok.status).toBe(200);
    const out = await fetch(`${strictHost.url}/api/demo/sign-out`, { method: "POST", headers: { Origin: strictHost.url, ...session } });
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`));
    expect((await askToken(strictHost.url, session)).status).toBe(401);
  });

  it("a token only for a workspace the user belongs to, with their role or less, never more; short-lived", async () => {
    const viewerAtAcme = await signIn(strictHost.url, { customers: ["acme-corp"], role: "viewer" });
    expect((await askToken(strictHost.url, viewerAtAcme, { customer: "globex" })).status).toBe(403);
    expect((await askToken(strictHost.url, viewerAtAcme, { customer: "acme-corp", role: "admin" })).status).toBe(403);
    expect((await askToken(strictHost.url, viewerAtAcme, { customer: "acme-corp", role: "owner" })).status).toBe(400);
    expect((await askToken(strictHost.url, viewerAtAcme, { customer: "initech" })).status).toBe(400);
    const viewer = decodeJwt(((await (await askToken(strictHost.url, viewerAtAcme)).json()) as { token: string }).token);
    expect(viewer).toMatchObject({ customer: "acme-corp", role: "viewer" });
    expect(viewer.exp! - viewer.iat!).toBe(600);

    const admin = await signIn(strictHost.url);
    const asked = await askToken(strictHost.url, admin, { customer: "globex", role: "viewer", ttlSeconds: 86_400 });
    const token = decodeJwt(((await asked.json()) as { token: string }).token);
    expect(token).toMatchObject({ customer: "globex", role: "viewer" });
    expect(token.exp! - token.iat!).toBe(600);
  });

  it("the session cookie is HttpOnly and SameSite=Strict; sign-in from another origin or with a bad body is refused", async () => {
    const response = await fetch(`${strictHost.url}/api/demo/sign-in`, { method: "POST", headers: { Origin: strictHost.url }, body: "{}" });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; `));
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/");
    expect(await response.text()).not.toContain(cookie.split(";")[0]!.split("=")[1]!);
    const crossSite = await fetch(`${strictHost.url}/api/demo/sign-in`, { method: "POST", headers: { Origin: "https://evil.example" }, body: "{}" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
    for (const body of ["not json", JSON.stringify({ customers: ["initech"] }), JSON.stringify({ role: "owner" }), JSON.stringify({ customers: [] })]) {
      const bad = await fetch(`${strictHost.url}/api/demo/sign-in`, { method: "POST", headers: { Origin: strictHost.url }, body });
      expect(bad.status, body).toBe(400);
    }
  });

  it("the org proxy refuses a request without a session (401) and a signed-in user who is not staff (403)", async () => {
    const none = await fetch(`${strictHost.url}/api/org/customers`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: "SIGN_IN_REQUIRED" } });
    const customer = await signIn(strictHost.url, { staff: false });
    expect((await fetch(`${strictHost.url}/api/org/customers`, { headers: customer })).status).toBe(403);
    const staff = await signIn(strictHost.url);
    expect((await fetch(`${strictHost.url}/api/org/customers`, { headers: staff })).status).toBe(200);
  });

  it("in development, opening a host page signs in as the demo user; an API call never does, and without auto sign-in a page does not", async () => {
    const page = await fetch(`${host.url}/`);
    const cookie = page.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    const session = { Cookie: cookie.split(";")[0]! };
    expect((await askToken(host.url, session, { customer: "globex" })).status).toBe(200);
    expect((await fetch(`${host.url}/api/org/customers`, { headers: session })).status).toBe(200);
    // A page opened with a live session keeps it.
    expect((await fetch(`${host.url}/custom-ui/`, { headers: session })).headers.get("set-cookie")).toBeNull();
    // Not an API answer, not a script: only a page load signs in.
    for (const path of ["/api/demo-config", "/sdk/emporium.js", "/org-console/main.js"]) {
      expect((await fetch(`${host.url}${path}`)).headers.get("set-cookie"), path).toBeNull();
    }
    expect((await askToken(host.url, {})).headers.get("set-cookie")).toBeNull();
    expect((await fetch(`${strictHost.url}/`)).headers.get("set-cookie")).toBeNull();
  });

  it("every refusal of the backend's API has the one typed shape { error: { code, message } }, so a copied client reads them all the same way", async () => {
    const viewerAtAcme = await signIn(strictHost.url, { customers: ["acme-corp"], role: "viewer", staff: false });
    const refusals: Array<[string, Promise<Response>, number, string]> = [
      ["sign-in from another origin", fetch(`${strictHost.url}/api/demo/sign-in`, { method: "POST", headers: { Origin: "https://evil.example" }, body: "{}" }), 403, "FORBIDDEN"],
      ["a sign-in that is not one", fetch(`${strictHost.url}/api/demo/sign-in`, { method: "POST", headers: { Origin: strictHost.url }, body: JSON.stringify({ role: "owner" }) }), 400, "BAD_REQUEST"],
      ["sign-out from another origin", fetch(`${strictHost.url}/api/demo/sign-out`, { method: "POST", headers: { Origin: "https://evil.example" } }), 403, "FORBIDDEN"],
      ["a token for another origin", askToken(strictHost.url, { ...viewerAtAcme, Origin: "https://evil.example" }), 403, "FORBIDDEN"],
      ["a token without a session", askToken(strictHost.url, {}), 401, "SIGN_IN_REQUIRED"],
      ["a token asked with a body that is not an object", askToken(strictHost.url, viewerAtAcme, "acme-corp"), 400, "BAD_REQUEST"],
      ["a token for an unknown customer", askToken(strictHost.url, viewerAtAcme, { customer: "initech" }), 400, "BAD_REQUEST"],
      ["a token for a workspace the user is not in", askToken(strictHost.url, viewerAtAcme, { customer: "globex" }), 403, "FORBIDDEN"],
      ["a token with an unknown role", askToken(strictHost.url, viewerAtAcme, { customer: "acme-corp", role: "owner" }), 400, "BAD_REQUEST"],
      ["a token with more than the user's role", askToken(strictHost.url, viewerAtAcme, { customer: "acme-corp", role: "admin" }), 403, "FORBIDDEN"],
      ["the org proxy without a session", fetch(`${strictHost.url}/api/org/customers`), 401, "SIGN_IN_REQUIRED"],
      ["the inbox's log for a user who is not staff", fetch(`${strictHost.url}/api/notifications/received`, { headers: viewerAtAcme }), 403, "FORBIDDEN"],
    ];
    for (const [what, answer, status, code] of refusals) {
      const response = await answer;
      expect(response.status, what).toBe(status);
      const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
      expect(body.error?.code, what).toBe(code);
      expect(typeof body.error?.message === "string" && body.error.message.length > 0, what).toBe(true);
    }
  });

  it("a page path with a malformed %-escape is the client's mistake: 400, not a 500", async () => {
    for (const path of ["/%E0", "/custom-ui/%", "/org-console/%zz.js"]) {
      const response = await fetch(`${host.url}${path}`);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("set-cookie"), path).toBeNull();
    }
  });
});
