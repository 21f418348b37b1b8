/**
 * A small XML well-formedness checker for `code` config values in XML. It runs in the frame
 * (no DOMParser in every runtime, and DOMParser's errors are not plain words) and on the
 * platform, so both reject the same documents. It checks structure, not a schema: one root
 * element, matching and properly nested tags, quoted and unique attributes, known entity
 * references, closed comments/CDATA/processing instructions, and no stray text outside the root.
 */

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;
const PREDEFINED_ENTITIES = new Set(["amp", "lt", "gt", "quot", "apos"]);

class XmlProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Returns undefined when `text` is well-formed XML, else a plain-words reason with its line. */
export function xmlProblem(text: string): string | undefined {
  return xmlProblemAt(text)?.message;
}

/**
 * The reason and where it is (a UTF-16 offset into `text`; the text's length when the document
 * ends before it is complete), for the code editor's error marker.
 */
export function xmlProblemAt(text: string): { message: string; offset: number } | undefined {
  let pos = 0;
  const stack: string[] = [];
  let rootSeen = false;
  let rootClosed = false;

  const lineAt = (at: number) => text.slice(0, at).split("\n").length;
  const fail = (message: string, at = pos): never => {
    throw new XmlProblem(`${message} (line ${lineAt(at)}).`, Math.min(at, text.length));
  };
  const readName = (): string => {
    const start = pos;
    if (pos >= text.length || !NAME_START.test(text[pos])) fail("Expected a tag or attribute name");
    pos++;
    while (pos < text.length && NAME_CHAR.test(text[pos])) pos++;
    return text.slice(start, pos);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const checkReferences = (chunk: string, at: number) => {
    const re = /&([^;\s&<]*)(;?)/g;
    for (let m = re.exec(chunk); m; m = re.exec(chunk)) {
      const [, name, semicolon] = m;
      const valid =
        semicolon === ";" &&
        (PREDEFINED_ENTITIES.has(name) || /^#[0-9]+$/.test(name) || /^#x[0-9A-Fa-f]+$/.test(name));
      if (!valid) fail(`"&${name}${semicolon}" is not a valid entity reference; write &amp; for a literal &`, at + m.index);
    }
  };
  const skipUntil = (terminator: string, what: string) => {
    const end = text.indexOf(terminator, pos);
    if (end < 0) fail(`${what} is not closed`);
    pos = end + terminator.length;
  };

  try {
    if (text.trim() === "") return { message: "The XML document is empty.", offset: 0 };
    while (pos < text.length) {
      const lt = text.indexOf("<", pos);
      const chunkEnd = lt < 0 ? text.length : lt;
      const chunk = text.slice(pos, chunkEnd);
      if (stack.length === 0 && chunk.trim() !== "") fail("Text outside the root element");
      if (chunk.includes(">") && stack.length === 0) fail('Unexpected ">"', pos + chunk.indexOf(">"));
      checkReferences(chunk, pos);
      pos = chunkEnd;
      if (lt < 0) break;

      if (text.startsWith("<?", pos)) {
        const start = pos;
        pos += 2;
        const target = readName();
        if (target.toLowerCase() === "xml" && start !== 0) fail("The XML declaration must come first", start);
        skipUntil("?>", "A processing instruction");
      } else if (text.startsWith("<!--", pos)) {
        pos += 4;
        const end = text.indexOf("-->", pos);
        if (end < 0) fail("A comment is not closed");
        if (text.slice(pos, end).includes("--")) fail('A comment contains "--"');
        pos = end + 3;
      } else if (text.startsWith("<![CDATA[", pos)) {
        if (stack.length === 0) fail("CDATA outside the root element");
        pos += 9;
        skipUntil("]]>", "A CDATA section");
      } else if (text.startsWith("<!DOCTYPE", pos)) {
        if (rootSeen) fail("DOCTYPE after the root element");
        let depth = 0;
        pos += 9;
        while (pos < text.length) {
          const c = text[pos++];
          if (c === "[") depth++;
          else if (c === "]") depth--;
          else if (c === ">" && depth <= 0) break;
          if (pos >= text.length) fail("The DOCTYPE is not closed");
        }
      } else if (text.startsWith("</", pos)) {
        const at = pos;
        pos += 2;
        const name = readName();
        skipSpace();
        if (text[pos] !== ">") fail(`The end tag </${name}> is not closed`);
        pos++;
        const open = stack.pop();
        if (open === undefined) fail(`End tag </${name}> has no start tag`, at);
        if (open !== name) fail(`Expected </${open}> but found </${name}>`, at);
        if (stack.length === 0) rootClosed = true;
      } else {
        const at = pos;
        pos++;
        const name = readName();
        if (stack.length === 0) {
          if (rootClosed) fail(`A second root element <${name}>; XML has exactly one root`, at);
          rootSeen = true;
        }
        const attributes = new Set<string>();
        for (;;) {
          const before = pos;
          skipSpace();
          if (pos >= text.length) fail(`The tag <${name}> is not closed`, at);
          if (text.startsWith("/>", pos)) {
            pos += 2;
            if (stack.length === 0) rootClosed = true;
            break;
          }
          if (text[pos] === ">") {
            pos++;
            stack.push(name);
            break;
          }
          if (before === pos) fail(`Expected a space before the attribute in <${name}>`);
          const attr = readName();
          if (attributes.has(attr)) fail(`The attribute "${attr}" appears twice in <${name}>`);
          attributes.add(attr);
          skipSpace();
          if (text[pos] !== "=") fail(`The attribute "${attr}" has no value`);
          pos++;
          skipSpace();
          const quote = text[pos];
          if (quote !== '"' && quote !== "'") fail(`The value of "${attr}" must be in quotes`);
          const end = text.indexOf(quote, pos + 1);
          if (end < 0) fail(`The value of "${attr}" is not closed`);
          const value = text.slice(pos + 1, end);
          if (value.includes("<")) fail(`The value of "${attr}" contains "<"`);
          checkReferences(value, pos + 1);
          pos = end + 1;
        }
      }
    }
    if (stack.length > 0) return { message: `The element <${stack[stack.length - 1]}> is not closed.`, offset: text.length };
    if (!rootSeen) return { message: "The XML document has no root element.", offset: text.length };
    return undefined;
  } catch (error) {
    if (error instanceof XmlProblem) return { message: error.message, offset: error.offset };
    throw error;
  }
}
