/**
 * The one document every page of ours is written into: doctype, language, character set,
 * viewport and an empty icon (no /favicon.ico request), so a page file says only what is its
 * own — its title, what it loads, its body — and a change to the document reaches every page.
 *
 * A page file is its head's own elements, then `<body>…`. The Vite builds (frame, static demo,
 * React and Vue hosts) wrap it with `htmlDocumentPlugin()`; the demo backend wraps the pages it
 * serves from source (plain, custom UI, org console) with `htmlDocument()`.
 */
import type { Plugin } from "vite";

const DOCUMENT_START = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
`;

/** `page` written into the document; a page that is a whole document already is left as it is. */
export function htmlDocument(page: string): string {
  if (/^\s*<!doctype html>/i.test(page)) return page;
  page = page.replace(/^<!--[^\n]*html-document\.ts[^\n]*-->\n/, ""); // the source's pointer here
  const body = page.search(/^\s*<body[\s>]/m);
  if (body === -1) throw new Error("a page must have a <body>: its head's elements come before it");
  const head = page.slice(0, body).replace(/^(?=\s*\S)/gm, "    ");
  return `${DOCUMENT_START}${head.trimEnd()}\n  </head>\n${page.slice(body).trimEnd()}\n</html>\n`;
}

/** For a Vite build whose index.html is a page file. */
export function htmlDocumentPlugin(): Plugin {
  return { name: "emporium-html-document", transformIndexHtml: { order: "pre", handler: htmlDocument } };
}
