/**
 * Where a JSON text stops being JSON (RFC 8259, what `JSON.parse` accepts), as a line and
 * column: the code editor puts its error marker there, and the frame's message names the place
 * without quoting the text, which may be a secret (a service account's key). `JSON.parse`
 * cannot tell: V8 gives a position for some errors and a quote of the text for others
 * (validate-config.ts keeps only the former), and each browser words it differently.
 *
 * Frame only: `JSON.parse` still decides what is valid everywhere (validate-config.ts); this
 * only says where. The headless client does not carry it (~0.4 kB brotli of a 24 kB budget).
 * One sticky regular expression reads a token at a time and a small state machine checks the
 * order; the open brackets are an explicit stack, so a deeply nested text cannot overflow the
 * call stack. A property test checks it agrees with `JSON.parse` on what is JSON.
 */

export interface JsonSyntaxError {
  /** UTF-16 offset of the first token that cannot be there (a string's opening quote when the string itself is bad). */
  offset: number;
  /** 1-based line and column of `offset`. */
  line: number;
  column: number;
  /** The text ends before the JSON value is complete. */
  end: boolean;
}

// Groups: 1 an opening bracket, 2 a closing one, 3 a comma, 4 a colon, 5 a string, 6 another scalar.
const TOKEN = /[ \t\n\r]*(?:([[{])|([\]}])|(,)|(:)|("(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[\dA-Fa-f]{4}))*")|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null))/y;

// What may come next.
const VALUE = 0;
const VALUE_OR_CLOSE = 1;
const KEY = 2;
const KEY_OR_CLOSE = 3;
const COLON = 4;
const AFTER_VALUE = 5;

/** Undefined when `text` is one JSON value; else where it goes wrong. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const open: string[] = [];
  let expect = VALUE;
  let at = 0;
  for (;;) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (m) at = TOKEN.lastIndex - m[0].trimStart().length;
    else while (/[ \t\n\r]/.test(text[at] ?? "")) at++;
    const top = open.at(-1);
    let ok = false;
    if (!m) ok = at === text.length && expect === AFTER_VALUE && !top;
    else if (m[1]) {
      ok = expect <= VALUE_OR_CLOSE;
      open.push(m[1]);
      expect = m[1] === "[" ? VALUE_OR_CLOSE : KEY_OR_CLOSE;
    } else if (m[2]) {
      const array = m[2] === "]";
      ok = top === (array ? "[" : "{") && (expect === AFTER_VALUE || expect === (array ? VALUE_OR_CLOSE : KEY_OR_CLOSE));
      open.pop();
      expect = AFTER_VALUE;
    } else if (m[3]) {
      ok = expect === AFTER_VALUE && !!top;
      expect = top === "{" ? KEY : VALUE;
    } else if (m[4]) {
      ok = expect === COLON;
      expect = VALUE;
    } else if (m[5] && (expect === KEY || expect === KEY_OR_CLOSE)) {
      ok = true;
      expect = COLON;
    } else {
      ok = expect <= VALUE_OR_CLOSE;
      expect = AFTER_VALUE;
    }
    if (!ok) {
      const before = text.slice(0, at);
      return { offset: at, line: before.split("\n").length, column: at - before.lastIndexOf("\n"), end: at >= text.length };
    }
    if (!m) return undefined;
    at = TOKEN.lastIndex;
  }
}
