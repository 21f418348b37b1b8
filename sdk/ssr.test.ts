/**
 * SSR: every entry imports on a server (Node, no DOM) without throwing and without reading a
 * browser global; each traps every such global while the module graph is evaluated. The source
 * entries always; the built files too when `npm run build` has made them (as `npm test` does).
 * `<Marketplace>`'s server render and hydration: react.test.ts and tests/react-entry.test.ts.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, expect, it, vi } from "vitest";

// Browser-only globals (queueMicrotask and MessageChannel exist on Node too, and React reads them).
const browserGlobals = ["window", "document", "location", "navigator", "customElements", "HTMLElement", "HTMLIFrameElement", "matchMedia", "localStorage", "self", "CSSStyleSheet"];
const touched: string[] = [];
const originals = new Map<string, PropertyDescriptor | undefined>();

const trap = () => {
  for (const name of browserGlobals) {
    originals.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get: () => void touched.push(name),
      set: () => void touched.push(name),
    });
  }
};
afterEach(() => {
  for (const [name, descriptor] of originals) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  originals.clear();
  touched.length = 0;
});

const sources = ["./index.ts", "./react.ts", "./element.ts", "./prismatic.ts"];
const built = ["emporium.js", "react.js", "element.js", "prismatic.js"].map((file) => fileURLToPath(new URL(`../dist/sdk/${file}`, import.meta.url)));

it.each(sources)("%s imports on a server without touching a browser global", async (source) => {
  vi.resetModules();
  trap();
  const module = await import(source);
  expect(touched).toEqual([]);
  expect(Object.keys(module).length).toBeGreaterThan(0);
});

it.each(built.filter((file) => existsSync(file)))("the built %s imports on a server without touching a browser global", async (file) => {
  trap();
  const module = await import(`${pathToFileURL(file).href}?ssr=${Date.now()}`);
  expect(touched).toEqual([]);
  expect(Object.keys(module).length).toBeGreaterThan(0);
});
