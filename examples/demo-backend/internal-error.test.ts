/**
 * H3: the demo backend is what a team copies for its own backend, so what it answers when it
 * fails inside a request is what theirs will answer. An error's message can hold a file path, SQL,
 * an upstream answer's body or a secret; it must reach neither the browser nor the log. The
 * failure is injected where a real one would come from: the token signing (a key that cannot be
 * read, a key service that answers with an error) throws an error whose message quotes a canary.
 */
import { format } from "node:util";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startHostServer } from "./server.ts";

/** What the failing signer's message quotes: a path and a secret, as a real failure's might. */
const CANARY = "/srv/keys/org-private.pem sk_live_H3canary51d0";

vi.mock("./token.ts", async (original) => ({
  ...(await original<typeof import("./token.ts")>()),
  signDemoToken: async () => {
    throw new Error(`could not read ${CANARY}`);
  },
}));

let host: { url: string; close(): Promise<void> };
beforeAll(async () => {
  // Nothing here reaches the platform: the token endpoint fails before it would be used.
  host = await startHostServer({ port: 0, platformOrigin: "http://127.0.0.1:9", autoSignIn: false });
});
afterAll(async () => {
  await host.close();
});

it("H3 an internal error's message (a canary) is in neither the 500's body nor the log: a fixed typed body, and the log names the route and the error's class", async () => {
  const signIn = await fetch(`${host.url}/api/demo/sign-in`, { method: "POST", headers: { Origin: host.url, "Content-Type": "application/json" }, body: "{}" });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
  const lines: string[] = [];
  for (const level of ["error", "warn", "log", "info"] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
  const answer = await fetch(`${host.url}/api/emporium-token`, {
    method: "POST",
    headers: { Origin: host.url, Cookie: cookie, "Content-Type": "application/json" },
    body: JSON.stringify({ customer: "acme-corp" }),
  });
  vi.restoreAllMocks();
  expect(answer.status).toBe(500);
  expect(answer.headers.get("content-type")).toBe("application/json");
  const body = await answer.text();
  expect(body).not.toContain("canary");
  expect(JSON.parse(body)).toEqual({ error: { code: "SERVER_ERROR", message: "Something went wrong in the demo backend." } });
  expect(lines.join("\n")).not.toContain("canary");
  expect(lines[0]).toMatch(/^\[demo backend\] POST \/api\/emporium-token failed: Error \(its message is not logged: it may quote a value\)\n {4}at /);
});
