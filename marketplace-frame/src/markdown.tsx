/**
 * A safe markdown subset for catalog text (integration, flow, config page and field
 * descriptions): paragraphs, `#`–`###` headings,
 * `-`/`*`/`1.` lists, **bold**, *italic*, `code` and [links](url). Output is Preact
 * elements and text nodes only; there is no HTML parser and no innerHTML, so raw HTML in
 * the source shows as text (T1). A link becomes an anchor only when its URL, after entity
 * decoding, control-character stripping and URL parsing, is http(s) or mailto.
 */
import type { ComponentChildren } from "preact";

const named: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", colon: ":", sol: "/", tab: "\t", newline: "\n",
  lpar: "(", rpar: ")", period: ".", comma: ",",
};

/** Decodes numeric and a few named character references (enough to see through `javascript&#58;`). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});?/g, (m, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return named[ref.toLowerCase()] ?? m;
  });
}

const allowedProtocols = new Set(["http:", "https:", "mailto:"]);

/** The href to render, or undefined when the link must stay inert text. */
export function safeHref(raw: string): string | undefined {
  // Browsers ignore control characters and whitespace inside a scheme: strip them before judging.
  // eslint-disable-next-line no-control-regex
  const decoded = decodeEntities(decodeEntities(raw)).replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200d\ufeff]/g, "");
  if (!/^(https?:\/\/|mailto:)/i.test(decoded)) return undefined;
  try {
    const url = new URL(decoded);
    return allowedProtocols.has(url.protocol.toLowerCase()) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const inlineToken = /(\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|`([^`]+)`|\[([^\]]{1,500})\]\(([^)\s]{1,2000})\))/;

export function renderInline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let rest = text;
  let guard = 0;
  while (rest.length > 0 && guard++ < 10_000) {
    const m = inlineToken.exec(rest);
    if (!m) {
      out.push(decodeEntities(rest));
      break;
    }
    if (m.index > 0) out.push(decodeEntities(rest.slice(0, m.index)));
    const [whole, , bold1, bold2, em1, em2, code, linkText, linkUrl] = m;
    const k = out.length;
    if (bold1 ?? bold2) out.push(<strong key={k}>{renderInline(bold1 ?? bold2)}</strong>);
    else if (em1 ?? em2) out.push(<em key={k}>{renderInline(em1 ?? em2)}</em>);
    else if (code !== undefined) out.push(<code key={k}>{code}</code>);
    else if (linkText !== undefined) {
      const href = safeHref(linkUrl);
      out.push(
        href ? (
          <a key={k} href={href} target="_blank" rel="noopener noreferrer">
            {renderInline(linkText)}
          </a>
        ) : (
          // Inert: the link text stays, the unsafe URL is dropped.
          <span key={k}>{renderInline(linkText)}</span>
        ),
      );
    }
    rest = rest.slice(m.index + whole.length);
  }
  return out;
}

type Block =
  | { kind: "p"; text: string }
  | { kind: "h"; level: 2 | 3 | 4; text: string }
  | { kind: "ul" | "ol"; items: string[] };

export function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: { kind: "ul" | "ol"; items: string[] } | undefined;
  const flush = () => {
    if (para.length) blocks.push({ kind: "p", text: para.join(" ") });
    para = [];
    if (list) blocks.push(list);
    list = undefined;
  };
  for (const raw of source.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\d{1,3}[.)]\s+(.*)$/.exec(line);
    if (line === "") flush();
    else if (heading) {
      flush();
      blocks.push({ kind: "h", level: (heading[1].length + 1) as 2 | 3 | 4, text: heading[2] });
    } else if (bullet || numbered) {
      const kind = bullet ? "ul" : "ol";
      if (para.length || (list && list.kind !== kind)) flush();
      list ??= { kind, items: [] };
      list.items.push((bullet ?? numbered)![1]);
    } else if (list && /^\s{2,}/.test(raw)) {
      list.items[list.items.length - 1] += " " + line;
    } else {
      if (list) flush();
      para.push(line);
    }
  }
  flush();
  return blocks;
}

/** `class` and `id` go on the wrapper, e.g. a field's help text that its control is described by. */
export function Markdown({ source, class: extra, id }: { source: string; class?: string; id?: string }) {
  return (
    <div class={extra ? `em-markdown ${extra}` : "em-markdown"} id={id}>
      {parseBlocks(source).map((b, i) => {
        if (b.kind === "p") return <p key={i}>{renderInline(b.text)}</p>;
        if (b.kind === "h") {
          const H = `h${b.level}` as "h2";
          return <H key={i}>{renderInline(b.text)}</H>;
        }
        const L = b.kind;
        return (
          <L key={i}>
            {b.items.map((item, j) => (
              <li key={j}>{renderInline(item)}</li>
            ))}
          </L>
        );
      })}
    </div>
  );
}
