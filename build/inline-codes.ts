/**
 * Inlines error codes at build time, like a TypeScript `const enum`: `ChannelErrorCode.InvalidMessage`
 * becomes `"INVALID_MESSAGE"`. The code objects are plain `as const` objects (they are values the
 * platform, the SDK and the tests share), and a minifier keeps a whole object, every key and every
 * unused code, as soon as one property is read. Any other use of an object (passing it around,
 * `Object.values`) is left alone, so the object is then bundled as before and nothing breaks.
 */
import { ApiErrorCode, ChannelErrorCode, ClientErrorCode, OAuthErrorCode } from "../contract/errors.ts";

const tables: Record<string, Record<string, string>> = { ChannelErrorCode, ApiErrorCode, ClientErrorCode, OAuthErrorCode };
const access = /\b(ChannelErrorCode|ApiErrorCode|ClientErrorCode|OAuthErrorCode)\.([A-Za-z]\w*)\b/g;

/**
 * Vite/rolldown plugin for builds (tests run the source as written); applies to our own
 * TypeScript, never to dependencies. It rewrites text, so a code named in a comment must exist too.
 */
export const inlineCodes = () => ({
  name: "inline-codes",
  apply: "build" as const,
  transform(code: string, id: string) {
    if (id.includes("node_modules") || !/\.tsx?$/.test(id.split("?")[0]!)) return;
    if (!code.includes("ErrorCode.")) return;
    return code.replace(access, (whole, table: string, key: string) => {
      const value = tables[table]?.[key];
      if (value === undefined) throw new Error(`${id}: ${whole} is not a known code`);
      return JSON.stringify(value);
    });
  },
});
