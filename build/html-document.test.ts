import { describe, expect, it } from "vitest";
import { htmlDocument } from "./html-document.ts";

describe("htmlDocument", () => {
  it("writes a page's own head elements and body into the document, in standards mode with lang, charset and viewport", () => {
    const html = htmlDocument('<!-- Written into the document of build/html-document.ts -->\n<title>T</title>\n<script type="module" src="./m.js"></script>\n<body>\n  <div id="app"></div>\n</body>\n');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8" \/>/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1" />');
    expect(html).toContain('    <title>T</title>\n    <script type="module" src="./m.js"></script>\n  </head>\n<body>\n  <div id="app"></div>\n</body>\n</html>\n');
    expect(html).not.toContain("html-document.ts");
  });

  it("leaves a whole document (a built page) as it is, and refuses a page without a body", () => {
    const built = "<!doctype html>\n<html lang=\"en\"><head><title>x</title></head><body></body></html>";
    expect(htmlDocument(built)).toBe(built);
    expect(() => htmlDocument("<title>no body</title>")).toThrow(/<body>/);
  });
});
