import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatformServer, type PlatformServer } from "./http-server.ts";
import { withEmbedConfig } from "./frame-files.ts";

let dir: string;
let server: PlatformServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "emporium-frame-files-"));
  const frameDir = join(dir, "frame");
  mkdirSync(join(frameDir, "assets"), { recursive: true });
  writeFileSync(
    join(frameDir, "index.html"),
    '<!doctype html><title>frame</title><script type="module" crossorigin src="/frame/assets/index-abc.js"></script><link rel="stylesheet" crossorigin href="/frame/assets/index-def.css">',
  );
  writeFileSync(join(frameDir, "assets", "index-abc.js"), "export {};");
  server = await startPlatformServer({ port: 0, frameDir, allowedOrigins: ["http://localhost:4000"] });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("frame document", () => {
  it("carries its organization's embed config before its first script, and announces its scripts as preloads", async () => {
    const res = await fetch(`${server.url}/frame/?org=demo&parent=http%3A%2F%2Flocalhost%3A4000&channel=c&v=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("link")).toBe(
      "</frame/assets/index-abc.js>; rel=preload; as=script; crossorigin=anonymous, </frame/assets/index-def.css>; rel=preload; as=style; crossorigin=anonymous",
    );
    const html = await res.text();
    expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(html));
    const block = /<script type="application\/json" id="em-embed-config">([^<]*)<\/script>/.exec(html);
    expect(JSON.parse(block![1]!)).toEqual({ organization: { id: "demo", name: expect.any(String) }, allowedOrigins: ["http://localhost:4000"] });
    expect(html.indexOf("em-embed-config")).toBeLessThan(html.indexOf('<script type="module"'));
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self';"); // a data block needs no script allowance
    const head = await fetch(`${server.url}/frame/?org=demo`, { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(html))); // the same document, no body
  });

  it("for an organization the platform does not know, carries no config and announces GET embed, which answers 404", async () => {
    const res = await fetch(`${server.url}/frame/?org=nope&parent=http%3A%2F%2Flocalhost%3A4000&channel=c&v=1`);
    expect(await res.text()).not.toContain("em-embed-config");
    expect(res.headers.get("link")).toMatch(/^<\/api\/v1\/embed\/nope>; rel=preload; as=fetch; crossorigin=anonymous, /);
  });

  it("announces no embed config for a malformed organization id, and nothing for other files", async () => {
    const bad = await fetch(`${server.url}/frame/?org=${encodeURIComponent("demo>; rel=preload; as=script")}`);
    expect(bad.headers.get("link")).not.toContain("embed");
    expect(await bad.text()).not.toContain("em-embed-config");
    const asset = await fetch(`${server.url}/frame/assets/index-abc.js?org=demo`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("link")).toBeNull();
  });
});

describe("embed config in the document", () => {
  it("no value can close the data block or start markup: every < is escaped, and the JSON reads back the same", () => {
    const hostile = { organization: { id: "o", name: '</script><script>alert(1)</script><!--' }, allowedOrigins: ["https://a.test"] };
    const html = withEmbedConfig('<!doctype html><head><script type="module" src="/x.js"></script></head>', hostile);
    const [, json] = /<script type="application\/json" id="em-embed-config">(.*?)<\/script>/.exec(html)!;
    expect(json).not.toContain("<");
    expect(JSON.parse(json!)).toEqual(hostile);
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the block's and the module's own
  });
});
