/**
 * Serves the built marketplace frame under /frame/ (not an MSW route: it is static files).
 * Every answer carries the frame's security headers; `frame-ancestors` lists exactly the host
 * origins the organization in `?org=` allows (or 'none'), so a page that is not allowed cannot
 * even display the frame. Paths cannot leave the frame directory; unknown paths without a file
 * extension fall back to index.html (client-side routes), unknown files are 404.
 */
import { paths } from "../../contract/api-paths.ts";
import type { EmbedConfig } from "../../contract/api-marketplace.ts";
import { EMBED_CONFIG_ELEMENT_ID } from "../../contract/protocol-constants.ts";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Platform } from "../domain/platform.ts";

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
    "Content-Security-Policy": frameContentSecurityPolicy(org ? platform.access.allowedOrigins(org) : []),
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
 * A frame document as built (index.html, kept until the file changes) and what it loads first, as
 * `Link` preloads: its module entry and its stylesheet. Sent with the document's headers, they
 * start downloading before the parser reaches the tags (a new frame process spends ~10 ms
 * creating the document and its script context first). The script is announced as
 * `as=script; crossorigin=anonymous`, which the module fetch reuses; Chromium ignores
 * `rel=modulepreload` in a header.
 */
const documents = new Map<string, { mtimeMs: number; html: string; links: string[] }>();
async function documentOf(file: string, mtimeMs: number): Promise<{ html: string; links: string[] }> {
  const known = documents.get(file);
  if (known?.mtimeMs === mtimeMs) return known;
  const html = await readFile(file, "utf8");
  const links: string[] = [];
  const local = (url: string) => url.startsWith(FRAME_PREFIX) && !/[<>,;\s"]/.test(url);
  for (const [, src] of html.matchAll(/<script type="module"[^>]*\ssrc="([^"]+)"/g)) if (local(src!)) links.push(`<${src}>; rel=preload; as=script; crossorigin=anonymous`);
  for (const [, href] of html.matchAll(/<link rel="stylesheet"[^>]*\shref="([^"]+)"/g)) if (local(href!)) links.push(`<${href}>; rel=preload; as=style; crossorigin=anonymous`);
  const built = { mtimeMs, html, links };
  documents.set(file, built);
  return built;
}

/**
 * The document with the organization's public embed config written in, as a JSON data block the
 * frame's first module reads (marketplace-frame/src/host-channel.ts): the frame can check its
 * parent and open the channel without waiting for `GET /api/v1/embed/:org`. `<` is escaped, so
 * no value can close the block. A data block is not a script: the CSP's `script-src` is unchanged.
 */
export function withEmbedConfig(html: string, config: EmbedConfig): string {
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  const block = `<script type="application/json" id="${EMBED_CONFIG_ELEMENT_ID}">${json}</script>`;
  // Before the first script, so it is parsed even when that script runs `async`.
  const at = html.indexOf("<script");
  return at >= 0 ? html.slice(0, at) + block + html.slice(at) : block + html;
}

/** A well-formed organization id in the frame URL (the frame checks the same). */
const ORG_ID = /^[A-Za-z0-9_-]{1,64}$/;

function embedConfigOf(platform: Platform, org: string): EmbedConfig | undefined {
  try {
    return ORG_ID.test(org) ? platform.access.embedConfig(org) : undefined;
  } catch {
    return undefined; // an unknown organization: the frame asks, and says so
  }
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
  const cacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
  if (type.startsWith("text/html")) {
    // The document carries its organization's embed config when the org exists; otherwise the
    // frame fetches it (to say "unknown organization"), so that request is announced instead.
    const org = url.searchParams.get("org") ?? "";
    const { html, links } = await documentOf(file, info.mtimeMs);
    const config = embedConfigOf(platform, org);
    const body = Buffer.from(config ? withEmbedConfig(html, config) : html);
    const preloads = [...(!config && ORG_ID.test(org) ? [`<${paths.embedConfig(org)}>; rel=preload; as=fetch; crossorigin=anonymous`] : []), ...links];
    res.writeHead(200, {
      ...headers,
      ...(preloads.length ? { Link: preloads.join(", ") } : {}),
      "Content-Type": type,
      "Content-Length": body.byteLength,
      "Cache-Control": cacheControl,
    });
    return void res.end(req.method === "HEAD" ? undefined : body);
  }
  res.writeHead(200, { ...headers, "Content-Type": type, "Content-Length": info.size, "Cache-Control": cacheControl });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file).pipe(res);
}
