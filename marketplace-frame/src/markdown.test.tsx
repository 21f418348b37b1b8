// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { Markdown, safeHref } from "./markdown.tsx";

afterEach(cleanup);

const payloads: [string, string][] = [
  ["javascript: scheme", "[click](javascript:alert(1))"],
  ["mixed-case scheme", "[click](jAvAsCrIpT:alert(1))"],
  ["entity-encoded colon", "[click](javascript&#58;alert(1))"],
  ["hex entity colon", "[click](javascript&#x3A;alert(1))"],
  ["named entity colon", "[click](javascript&colon;alert(1))"],
  ["tab inside the scheme", "[click](java\tscript:alert(1))"],
  ["data:text/html", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
  ["vbscript", "[click](vbscript:msgbox(1))"],
  ["protocol-relative", "[click](//evil.test/x)"],
];

describe("T1 safe markdown", () => {
  it.each(payloads)("T1 %s link is inert text", (_name, source) => {
    const { container } = render(<Markdown source={source} />);
    expect(container.querySelector("a")).toBeNull();
    expect(container.textContent).toContain("click");
  });

  it("T1 raw <img onerror> and <script> render as text, never as elements", () => {
    const { container } = render(<Markdown source={'Hello <img src=x onerror="alert(1)"> <script>alert(2)</script> &lt;b&gt;'} />);
    expect(container.querySelector("img, script, b")).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(container.textContent).toContain("<b>");
  });

  it("T1 raw HTML in headings, list items, emphasis, code spans and link text renders as text too", () => {
    const img = '<img src=x onerror="alert(1)">';
    const source = [`# Title ${img}`, "", `- item ${img}`, `1. step ${img}`, "", `**bold ${img}** *em ${img}* \`code ${img}\` [text ${img}](https://x.test)`].join("\n");
    const { container } = render(<Markdown source={source} />);
    expect(container.querySelector("img, script")).toBeNull();
    for (const selector of ["h2", "ul li", "ol li", "strong", "em", "code", "a"]) {
      expect(container.querySelector(selector)?.textContent, selector).toContain(img);
    }
  });

  it("T1 http(s) and mailto links render with noopener noreferrer in a new tab", () => {
    const { container } = render(<Markdown source={"See [docs](https://docs.example.com/a?b=1) or [mail](mailto:help@example.com) or [plain](http://x.test)."} />);
    const links = [...container.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://docs.example.com/a?b=1", "mailto:help@example.com", "http://x.test/"]);
    for (const a of links) {
      expect(a.getAttribute("rel")).toBe("noopener noreferrer");
      expect(a.getAttribute("target")).toBe("_blank");
    }
  });

  it("renders the subset: headings, lists, emphasis, code", () => {
    const { container } = render(<Markdown source={"# Title\n\nSome **bold** and *em* and `code`.\n\n- one\n- two\n\n1. first\n2. second"} />);
    expect(container.querySelector("h2")?.textContent).toBe("Title");
    expect(container.querySelector("strong")?.textContent).toBe("bold");
    expect(container.querySelector("em")?.textContent).toBe("em");
    expect(container.querySelector("code")?.textContent).toBe("code");
    expect(container.querySelectorAll("ul li")).toHaveLength(2);
    expect(container.querySelectorAll("ol li")).toHaveLength(2);
  });

  it("safeHref decodes before judging", () => {
    expect(safeHref("&#106;avascript:alert(1)")).toBeUndefined();
    expect(safeHref("HTTPS://EXAMPLE.COM")).toBe("https://example.com/");
  });
});
