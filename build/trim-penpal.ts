/**
 * Build-time trimming of penpal 7 for both sides of the channel (SDK and frame). Every rewrite
 * must find its target or the build fails, so a penpal upgrade cannot silently skip one.
 */
/**
 * penpal's debug logging is dead code here (we never pass `log`), but the minifier cannot know
 * it, and its messages cost ~0.2 kB brotli. An optional call on `undefined` never evaluates its
 * arguments, so rewriting the callee lets the minifier drop each call and its strings.
 */
const penpalMessages: [RegExp, string][] = [
  [/`Method \\`\$\{formatMethodPath\(methodPath\)\}\\` is not found\.`/, "formatMethodPath(methodPath)"],
  [/`Method call \$\{formatMethodPath\(\s*methodPath\s*\)\}\(\) failed due to destroyed connection`/, "formatMethodPath(methodPath)"],
  [/`Method call \$\{formatMethodPath\(\s*methodPath\s*\)\}\(\) timed out after \$\{timeout\}ms`/, "formatMethodPath(methodPath)"],
  [/`Connection timed out after \$\{timeout\}ms`/, '"timeout"'],
  // Argument checks for programming errors our two call sites cannot make: each always passes
  // a fresh PinnedWindowMessenger.
  [/if \(!messenger\) \{\s*throw new PenpalError_default\("INVALID_ARGUMENT", "messenger must be defined"\);\s*\}\s*if \(usedMessengers\.has\(messenger\)\) \{\s*throw new PenpalError_default\(\s*"INVALID_ARGUMENT",\s*"A messenger can only be used for a single connection"\s*\);\s*\}\s*usedMessengers\.add\(messenger\);/, ""],
  // C9: an Error thrown across the channel carries name, message and code, never its stack
  // (which would leak script URLs of one side to the other).
  [/\n\s*stack: error\.stack,/, ""],
  // …and never adopts one from the other side: a stack in a reply would be the peer's text posing
  // as a trace of this page.
  [/\n\s*deserializedError\.stack = stack;/, ""],
  // An annotation the minifier keeps as a comment inside a conditional expression.
  [/: \/\* @__PURE__ \*\/ Object\.create\(null\)/, ": Object.create(null)"],
  // Backward compatibility with penpal 6 peers: both sides here are penpal 7, and the pinned
  // messenger never upgrades old-protocol messages, so these branches can never run.
  [/ &&\s*\/\/[^\n]*\n\s*remoteParticipantId !== DEPRECATED_PENPAL_PARTICIPANT_ID/, ""],
  [/ \|\|\s*\/\/[^\n]*\n\s*remoteParticipantId === DEPRECATED_PENPAL_PARTICIPANT_ID/, ""],
  // Per-call options (CallOptions: timeout, transferables) and Reply wrappers: neither side uses
  // them, and without them the minifier drops both classes and the per-call timer.
  [/const lastArg = args\[args\.length - 1\];\s*const lastArgIsOptions = lastArg instanceof CallOptions_default;\s*const \{ timeout, transferables \} = lastArgIsOptions \? lastArg : \{\};\s*const argsWithoutOptions = lastArgIsOptions \? args\.slice\(0, -1\) : args;/, "const timeout = void 0, transferables = void 0, argsWithoutOptions = args;"],
  [/if \(value instanceof Reply_default\)/, "if (0)"],
  // Ids only need to be unique per connection; getRandomValues also works outside secure contexts.
  [/crypto\.randomUUID\?\.bind\(crypto\) \?\? \(\(\) => new Array\(4\)\.fill\(0\)\.map\(\s*\(\) => Math\.floor\(Math\.random\(\) \* Number\.MAX_SAFE_INTEGER\)\.toString\(16\)\s*\)\.join\("-"\)\)/, '() => crypto.getRandomValues(new Uint32Array(4)).join("-")'],
];

/** Vite/rolldown plugin applying the rewrites above to penpal's module. */
export const trimPenpal = () => ({
  name: "trim-penpal",
  transform(code: string, id: string) {
    if (!/[\\/]penpal[\\/]/.test(id)) return;
    let out = code.replace(/\b(this\.#)?log\?\.\(/g, "(void 0)?.(");
    // The code (METHOD_NOT_FOUND, CONNECTION_TIMEOUT, ...) says what happened; its prose costs ~0.1 kB
    // brotli. Each rewrite must still find its target, so a penpal upgrade cannot silently skip one.
    for (const [from, to] of penpalMessages) {
      if (!from.test(out)) throw new Error(`penpal changed: ${from} not found`);
      out = out.replace(from, to);
    }
    return out;
  },
});
