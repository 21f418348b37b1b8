import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatformServer, type PlatformServer } from "./http-server.ts";

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
  it("announces its organization's embed config as a preload, so it downloads alongside the scripts", async () => {
    const res = await fetch(`${server.url}/frame/?org=demo&parent=http%3A%2F%2Flocalhost%3A4000&channel=c&v=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("link")).toBe(
      "</api/v1/embed/demo>; rel=preload; as=fetch; crossorigin=anonymous, </frame/assets/index-abc.js>; rel=preload; as=script; crossorigin=anonymous, </frame/assets/index-def.css>; rel=preload; as=style; crossorigin=anonymous",
    );
  });

  it("announces no embed config for a malformed organization id, and nothing for other files", async () => {
    const bad = await fetch(`${server.url}/frame/?org=${encodeURIComponent("demo>; rel=preload; as=script")}`);
    expect(bad.headers.get("link")).not.toContain("embed");
    const asset = await fetch(`${server.url}/frame/assets/index-abc.js?org=demo`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("link")).toBeNull();
  });
});
