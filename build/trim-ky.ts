/**
 * Build-time trimming of ky 2 for the API client core (client/), bundled by the marketplace frame,
 * where ky is the largest library in the first route (7.1 kB of its 35.6 kB brotli before this;
 * 3.5 kB after), and by the headless entry (23.5 → 20.1 kB brotli with trim-zod). ky's request
 * class carries features the client never asks for, and a minifier cannot drop a branch that
 * reads an option at run time.
 * Each rewrite below turns the test for one unused option into a constant, so the minifier drops
 * the branch and whatever only it used (the stream helpers, the schema validator, ...).
 *
 * Only features the client never uses are touched: ky is called in one place (client/call.ts),
 * and client/call.test.ts runs every case twice, on ky as published and on a bundle trimmed by
 * this plugin; every browser test runs the trimmed builds. Every rewrite must find its target or
 * the build fails, so a ky upgrade cannot silently skip one (ky is pinned exactly in package.json).
 */
import { rewritePackage, type Rewrite } from "./rewrite-package.ts";

const kyRewrites: Rewrite[] = [
  // `onDownloadProgress` / `onUploadProgress`: stream the body to report progress (utils/body.js).
  ["core/Ky.js", /if \(ky\.#options\.onDownloadProgress\) \{/, "if (0) {"],
  ["core/Ky.js", /if \(!this\.#options\.onUploadProgress \|\| !request\.body \|\| !supportsRequestStreams\) \{/, "if (1) {"],
  ["core/Ky.js", /if \(this\.#options\.onUploadProgress && typeof this\.#options\.onUploadProgress !== 'function'\) \{/, "if (0) {"],
  // `searchParams`: the client builds every path itself (contract/api-paths.ts).
  ["core/Ky.js", /if \(hasSearchParameters\(this\.#options\.searchParams\)\) \{/, "if (0) {"],
  // `parseJson`: the client reads `response.json()` and validates it with the contract.
  ["core/Ky.js", /if \(this\.#options\.parseJson\) \{/, "if (0) {"],
  ["core/Ky.js", /this\.#options\.parseJson\s*\?\s*this\.#options\.parseJson\(text, \{ request, response \}\)\s*:\s*JSON\.parse\(text\)/, "JSON.parse(text)"],
  // Hooks: the client passes none (client/call.ts sets the token header itself).
  [
    "core/Ky.js",
    /const beforeRequestResponse = await ky\.#runBeforeRequestHooks\(\);/,
    "const beforeRequestResponse = undefined;",
  ],
  ["core/Ky.js", /async #runBeforeRequestHooks\(\) \{[\s\S]*?\n {4}\}\n(?= {4}async #runAfterResponseHooks)/, ""],
  [
    "core/Ky.js",
    /const initHooks = options\.hooks\?\.init \?\? \[\];\s*const initHookOptions = initHooks\.length > 0 \? cloneInitHookOptions\(options\) : options;\s*for \(const hook of initHooks\) \{\s*hook\(initHookOptions\);\s*\}/,
    "const initHookOptions = options;",
  ],
  // The `.json()` / `.text()` / ... shortcuts on the returned promise (with Standard Schema
  // validation): the client awaits the Response and validates with zod itself.
  ["core/Ky.js", /for \(const \[type, mimeType\] of Object\.entries\(responseTypes\)\) \{[\s\S]*?\n {8}\}\n(?= {8}return result;)/, ""],
  // Options forwarded to fetch() beyond RequestInit (undici's `dispatcher`, Next.js's `next`).
  ["core/Ky.js", /const nonRequestOptions = findUnknownOptions\(this\.#options\);/, "const nonRequestOptions = undefined;"],
  // Hooks other than `beforeRequest` (`afterResponse` with its forced retries, `beforeRetry`,
  // `beforeError`), and the retry options `shouldRetry` and `jitter`: the client's retry policy
  // is the declarative one in api.ts (methods, status codes, Retry-After, backoff).
  ["core/Ky.js", /if \(isResponseInstance\(response\)\) \{\s*try \{\s*\/\/[^\n]*\n\s*response = await ky\.#runAfterResponseHooks\(response\);[\s\S]*?\n {16}\}\n(?= {16}const currentResponse = response;)/, ""],
  ["core/Ky.js", /for \(const hook of this\.#options\.hooks\.beforeRetry\) \{[\s\S]*?\n {8}\}\n(?= {8}this\.#throwIfTotalTimeoutExhausted\(\);\s*this\.#retryCount\+\+;)/, ""],
  ["core/Ky.js", /for \(const hook of this\.#options\.hooks\.beforeError\) \{[\s\S]*?\n {8}\}\n(?= {8}throw processedError;)/, ""],
  ["core/Ky.js", /const \{ shouldRetry \} = retry;\s*if \(shouldRetry !== undefined\) \{[\s\S]*?\n {8}\}\n(?= {8}\/\/ Default timeout behavior)/, ""],
  ["core/Ky.js", /if \(retry\.jitter === true\) \{[\s\S]*?\n {8}\}\n(?= {8}return Math\.min\(retry\.backoffLimit, jitteredDelay\);)/, ""],
  // Forced retries (`ky.retry()` returned from an `afterResponse` hook, which the client has none of).
  [
    "core/Ky.js",
    /const errorObject = error instanceof Error \? error : new NonError\(error\);\s*\/\/[^\n]*\n\s*if \(errorObject instanceof ForceRetryError\) \{\s*return errorObject\.customDelay \?\? this\.#calculateDelay\(retry\);\s*\}/,
    "",
  ],
  ["core/Ky.js", /if \(error instanceof ForceRetryError && error\.customRequest\) \{/, "if (0) {"],
  // The request-stream probe builds a Request with a ReadableStream body when the module loads;
  // it only matters for stream bodies (`duplex: 'half'`), and the client sends JSON strings.
  ["core/constants.js", /export const supportsRequestStreams = \(\(\) => \{[\s\S]*?\n\}\)\(\);/, "export const supportsRequestStreams = false;"],
  // Feature probes read when the module is evaluated, for features the client never uses: response
  // streams (only `onDownloadProgress`, above, reads it) and FormData bodies (the client sends
  // JSON only). In Node each read is of a global that loads undici or the web streams on first
  // touch (~90 internal modules): importing the bundle paid for that before any request.
  ["core/constants.js", /export const supportsResponseStreams = typeof globalThis\.ReadableStream === 'function';/, "export const supportsResponseStreams = false;"],
  ["core/constants.js", /export const supportsFormData = typeof globalThis\.FormData === 'function';/, "export const supportsFormData = false;"],
  // Merging `searchParams` across defaults and call options (see `searchParams` above).
  ["utils/merge.js", /searchParameters = searchParameters === undefined \? value : appendSearchParameters\(searchParameters, value\);/, "searchParameters = value;"],
  // A `Retry-After` HTTP-date: the browser's Date.parse reads the IMF-fixdate every current server
  // sends; ky's own parser also accepts the obsolete RFC 850 and asctime forms, at ~0.4 kB.
  [
    "core/retry-timing.js",
    /const createTimestamp = [\s\S]*?\n(?=export const calculateRetryTimingDelay)/,
    "const parseDate = (value) => { const t = Date.parse(value); return Number.isNaN(t) ? undefined : t; };\n",
  ],
  // `totalTimeout`: the client sets a per-attempt `timeout` only.
  ["core/Ky.js", /async #raceWithTotalTimeout\(operation\) \{[\s\S]*?\n {4}\}\n(?= {4}#isJsonContentType)/, "async #raceWithTotalTimeout(operation) {\n        return operation();\n    }\n"],
  // Checks of ky's own options against programming errors: the client's options are constants in
  // client/call.ts (a 30 s timeout, array retry lists), and it calls only the platform origin plus
  // a contract path that starts with "/".
  ["core/Ky.js", /if \(typeof ky\.#options\.timeout === 'number' && ky\.#options\.timeout > maxSafeTimeout\) \{[\s\S]*?\n {12}\}\n {12}if \(typeof ky\.#options\.totalTimeout === 'number' && ky\.#options\.totalTimeout > maxSafeTimeout\) \{[\s\S]*?\n {12}\}\n/, ""],
  ["core/Ky.js", /if \(malformedHttpProtocolPattern\.test\(normalizedInput\)\) \{\s*throw new TypeError\([^)]*\);\s*\}/, ""],
  ["utils/normalize.js", /if \(retry === null \|\| typeof retry !== 'object' \|\| Array\.isArray\(retry\)\) \{\s*throw new TypeError\([^)]*\);\s*\}/, ""],
  ["utils/normalize.js", /if \(normalizedRetry\.methods !== undefined && !Array\.isArray\(normalizedRetry\.methods\)\) \{[\s\S]*?retry\.afterStatusCodes must be an array'\);\s*\}/, ""],
  // A rejected fetch() is a network failure exactly when it is a TypeError (the Fetch standard
  // rejects with TypeError for network errors only; browsers, Node's undici and Deno do). ky also
  // matches the message texts of other runtimes (Bun, Workers), at ~0.2 kB: there, the headless
  // client does not retry a network failure by itself, which still fails as NETWORK_ERROR.
  ["utils/is-network-error.js", /export default function isRawNetworkError\(error\) \{[\s\S]*\n\}/, "export default function isRawNetworkError(error) {\n    return error instanceof TypeError;\n}"],
  // An error body is read with the per-request timeout; ky also decodes it chunk by chunk to stop
  // at 10 MB, which only matters for a server that is not the client's own platform.
  [
    "core/Ky.js",
    /async #readResponseText\(response, timeoutMs\) \{[\s\S]*?\n {4}\}\n(?= {4}async #parseJson)/,
    `async #readResponseText(response, timeoutMs) {
        let timeoutId;
        try {
            return await Promise.race([
                response.text().catch(() => undefined),
                new Promise(resolve => {
                    timeoutId = setTimeout(() => resolve(timedOutResponseData), timeoutMs);
                }),
            ]);
        }
        finally {
            clearTimeout(timeoutId);
        }
    }
`,
  ],
  // Error messages: client/call.ts turns every ky error into an EmporiumApiError with a code, so
  // ky's (which spell out the method and URL) are never read.
  ["errors/HTTPError.js", /const code = [\s\S]*?super\(`Request failed with \$\{reason\}: \$\{request\.method\} \$\{request\.url\}`\);/, "super(`HTTP ${response.status}`);"],
  ["errors/NetworkError.js", /super\(`Request failed due to a network error: \$\{request\.method\} \$\{request\.url\}`, options\);/, 'super("Network error", options);'],
  ["errors/TimeoutError.js", /super\(`Request timed out: \$\{request\.method\} \$\{request\.url\}`\);/, 'super("Timed out");'],
  // ky 1's `prefixUrl`, renamed in ky 2: a migration message for code the client does not have.
  ["core/Ky.js", /if \(Object\.hasOwn\(options, 'prefixUrl'\)\) \{\s*throw new Error\(prefixUrlRenamedErrorMessage\);\s*\}/, ""],
];

/** Vite/rolldown plugin applying the rewrites above to ky's modules. */
export const trimKy = () => rewritePackage("trim-ky", "ky", "distribution", kyRewrites);
