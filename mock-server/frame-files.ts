/**
 * Serves the built marketplace frame under /frame/ (not an MSW route: it is static files).
 * Every answer carries the frame's security headers; `frame-ancestors` lists exactly the host
 * origins the organization in `?org=` allows (or 'none'), so a page that is not allowed cannot
 * even display the frame. Paths cannot leave the frame directory; unknown paths without a file
 * extension fall back to index.html (client-side routes), unknown files are 404.
 */
import { paths } from "../contract/api-paths.ts";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Platform } from "./platform.ts";

export const FRAME_PREFIX = "/frame/";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

const SAFE_ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** The frame's Content-Security-Policy for an organization's allowed host origins. */
export function frameContentSecurityPolicy(allowedOrigins: readonly string[]): string {
  const ancestors = allowedOrigins.filter((o) => SAFE_ORIGIN.test(o));
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    `frame-ancestors ${ancestors.length ? ancestors.join(" ") : "'none'"}`,
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

function securityHeaders(platform: Platform, url: URL): Record<string, string> {
  const org = url.searchParams.get("org");
  return {
    "Content-Security-Policy": frameContentSecurityPolicy(org ? platform.allowedOrigins(org) : []),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  };
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string>) {
  res.writeHead(status, { ...headers, "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

async function fileIfExists(path: string) {
  try {
    const info = await stat(path);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a frame document loads first, as `Link` preloads: its module entry and its stylesheet
 * (read from the built index.html, kept until the file changes). Sent with the document's headers,
 * they start downloading with the embed config, before the parser reaches the tags (a new frame
 * process spends ~10 ms creating the document and its script context first). The script is
 * announced as `as=script; crossorigin=anonymous`, which the module fetch reuses; Chromium
 * ignores `rel=modulepreload` in a header.
 */
const documentPreloads = new Map<string, { mtimeMs: number; links: string[] }>();
async function preloadsOf(file: string, mtimeMs: number): Promise<string[]> {
  const known = documentPreloads.get(file);
  if (known?.mtimeMs === mtimeMs) return known.links;
  const html = await readFile(file, "utf8");
  const links: string[] = [];
  const local = (url: string) => url.startsWith(FRAME_PREFIX) && !/[<>,;\s"]/.test(url);
  for (const [, src] of html.matchAll(/<script type="module"[^>]*\ssrc="([^"]+)"/g)) if (local(src!)) links.push(`<${src}>; rel=preload; as=script; crossorigin=anonymous`);
  for (const [, href] of html.matchAll(/<link rel="stylesheet"[^>]*\shref="([^"]+)"/g)) if (local(href!)) links.push(`<${href}>; rel=preload; as=style; crossorigin=anonymous`);
  documentPreloads.set(file, { mtimeMs, links });
  return links;
}

export async function serveFrame(req: IncomingMessage, res: ServerResponse, frameDir: string, platform: Platform): Promise<void> {
  const url = new URL(req.url ?? "/", "http://frame.invalid");
  const headers = securityHeaders(platform, url);
  if (req.method !== "GET" && req.method !== "HEAD") return plain(res, 405, "Method not allowed", { ...headers, Allow: "GET, HEAD" });
  if (url.pathname === "/frame") {
    res.writeHead(301, { ...headers, Location: `/frame/${url.search}` });
    return void res.end();
  }
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice(FRAME_PREFIX.length));
  } catch {
    return plain(res, 400, "Bad path", headers);
  }
  if (relative.includes("\0") || relative.includes("\\")) return plain(res, 400, "Bad path", headers);
  const root = resolve(frameDir);
  const target = resolve(root, `.${sep}${relative}`);
  if (target !== root && !target.startsWith(root + sep)) return plain(res, 404, "Not found", headers);

  let file = relative === "" ? resolve(root, "index.html") : target;
  let info = await fileIfExists(file);
  if (!info && extname(relative) === "") {
    file = resolve(root, "index.html");
    info = await fileIfExists(file);
  }
  if (!info) return plain(res, 404, "Not found", headers);

  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
  const immutable = file.startsWith(resolve(root, "assets") + sep);
  // The frame's first request is its organization's public embed config; announcing it with the
  // document lets the browser fetch it while the scripts download (embed-prefetch.ts picks it up),
  // and the scripts themselves start downloading with it (see preloadsOf).
  const org = url.searchParams.get("org") ?? "";
  const links = type.startsWith("text/html")
    ? [
        ...(/^[A-Za-z0-9_-]{1,64}$/.test(org) ? [`<${paths.embedConfig(org)}>; rel=preload; as=fetch; crossorigin=anonymous`] : []),
        ...(await preloadsOf(file, info.mtimeMs)),
      ]
    : [];
  const preload = links.length ? { Link: links.join(", ") } : {};
  res.writeHead(200, {
    ...headers,
    ...preload,
    "Content-Type": type,
    "Content-Length": info.size,
    "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
  });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file).pipe(res);
}
