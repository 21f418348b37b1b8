/**
 * Everything the browser parts serve besides the platform: the page scripts bundled with
 * vite's build API, a copy of the built frame with the floor page added (so the floor is served
 * by the platform server from the frame's own origin, with the frame's headers), and a tiny
 * host server on localhost that serves the host page, the built SDK and a demo customer token
 * (`/token`, or `/token?delay=150` for a backend 150 ms away).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { signDemoToken } from "../examples/demo-backend/token.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface BenchPages {
  /** The built frame plus floor.html: pass it as the platform's `frameDir`. */
  frameDir: string;
  hostUrl: string;
  close(): Promise<void>;
}

const HOST_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Emporium bench host</title>
<style>html,body{margin:0;height:100%}#box{width:1000px;height:800px}</style>
<script type="module" src="/assets/host.js"></script></head>
<body><div id="box"></div></body></html>`;

/** The floor's document: the frame's own head (its stylesheet, announced the same way), its own script. */
const floorHtml = (stylesheet: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>floor</title>
<script type="module" crossorigin src="/frame/assets/floor-frame.js"></script>
<link rel="stylesheet" crossorigin href="${stylesheet}"></head><body><div id="app"></div></body></html>`;

export async function startBenchPages(): Promise<BenchPages> {
  const dir = mkdtempSync(join(tmpdir(), "emporium-bench-pages-"));
  const assets = join(dir, "assets");
  const frameDir = join(dir, "frame");
  let server: ReturnType<typeof createServer> | undefined;
  try {
    // One build per page, so each is one file: the floor's page must not wait for a shared chunk.
    for (const [name, entry] of [
      ["host", "bench/pages/host.ts"],
      ["floor-frame", "bench/pages/floor-frame.ts"],
    ]) {
      await build({
        configFile: false,
        root,
        logLevel: "warn",
        build: {
          outDir: assets,
          emptyOutDir: false,
          target: "es2022",
          modulePreload: false,
          copyPublicDir: false,
          rolldownOptions: {
            input: { [name]: join(root, entry) },
            output: { entryFileNames: "[name].js", format: "es" },
          },
        },
      });
    }
    cpSync(join(root, "dist/frame"), frameDir, { recursive: true });
    cpSync(assets, join(frameDir, "assets"), { recursive: true });
    const stylesheet = /<link rel="stylesheet"[^>]*\shref="([^"]+)"/.exec(readFileSync(join(frameDir, "index.html"), "utf8"))?.[1];
    if (!stylesheet) throw new Error("dist/frame/index.html links no stylesheet: run npm run build");
    writeFileSync(join(frameDir, "floor.html"), floorHtml(stylesheet));

    const token = await signDemoToken("acme-corp", { ttlSeconds: 3600 });
    server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      const send = (status: number, body: string | Buffer, type: string) => {
        res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
        res.end(body);
      };
      if (path === "/" || path === "/index.html") return send(200, HOST_HTML, "text/html; charset=utf-8");
      // `?delay=ms`: a host backend that far away (the realistic-latency rows).
      if (path === "/token") {
        const delay = Number(new URL(req.url ?? "/", "http://x").searchParams.get("delay") ?? 0);
        if (delay > 0) return void setTimeout(() => send(200, token, "text/plain"), delay);
        return send(200, token, "text/plain");
      }
      const mount: [string, string] | undefined = path.startsWith("/assets/")
        ? [assets, path.slice(8)]
        : path.startsWith("/sdk/")
          ? [join(root, "dist/sdk"), path.slice(5)]
          : undefined;
      if (!mount) return send(404, "not found", "text/plain");
      const [base, rel] = mount;
      const file = normalize(join(base, rel));
      if (!file.startsWith(base + sep)) return send(404, "not found", "text/plain");
      try {
        return send(200, readFileSync(file), extname(file) === ".js" ? "text/javascript" : "application/octet-stream");
      } catch {
        return send(404, "not found", "text/plain");
      }
    });
    server.listen(0, "localhost");
    await once(server, "listening");
    const address = server.address();
    const hostUrl = `http://localhost:${typeof address === "object" && address ? address.port : 0}`;
    const live = server;
    return {
      frameDir,
      hostUrl,
      async close() {
        await new Promise<void>((done) => {
          live.close(() => done());
          live.closeAllConnections();
        });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
