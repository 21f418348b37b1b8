/**
 * The host page's Content-Security-Policy: the one the demo host serves (and the browser tests
 * run the demo under) is the one docs/security.md tells integrators to use, directive by directive,
 * plus only directives that restrict further; and it allows no inline or eval'd script.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostPageCsp, startHostServer } from "./server.ts";

const PLATFORM = "http://127.0.0.1:4100";

/** `directive → sources` of a policy text. */
const directives = (policy: string) =>
  Object.fromEntries(
    policy
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name!, sources.sort()];
      }),
  );

function documentedPolicy(): string {
  const page = readFileSync(new URL("../../docs/security.md", import.meta.url), "utf8");
  const start = page.indexOf("## CSP for the host page");
  if (start < 0) throw new Error('docs/security.md has no "## CSP for the host page" section');
  const section = page.slice(start);
  const block = /```\n([\s\S]*?)```/.exec(section)![1]!;
  return block.replaceAll("<platform origin>", PLATFORM).replace(/\s+/g, " ");
}

let host: { url: string; close(): Promise<void> };
beforeAll(async () => {
  host = await startHostServer({ port: 0, platformOrigin: PLATFORM });
});
afterAll(() => host.close());

describe("host page CSP", () => {
  it("E1 the demo host serves exactly the documented policy (docs/security.md) (plus form-action and frame-ancestors, which only restrict), with no unsafe-inline or unsafe-eval", async () => {
    const documented = directives(documentedPolicy());
    expect(Object.keys(documented)).toEqual(expect.arrayContaining(["default-src", "script-src", "connect-src", "frame-src", "object-src"]));
    expect(documented["script-src"]).toEqual(["'self'"]);
    const served = (await fetch(`${host.url}/`)).headers.get("content-security-policy")!;
    expect(served).toBe(hostPageCsp(PLATFORM));
    const { "form-action": formAction, "frame-ancestors": frameAncestors, ...rest } = directives(served);
    expect(rest).toEqual(documented);
    expect(formAction).toEqual(["'self'"]);
    expect(frameAncestors).toEqual(["'none'"]);
    expect(served).not.toMatch(/unsafe-|\*/);
    expect(documented["require-trusted-types-for"]).toEqual(["'script'"]);
  });
});
