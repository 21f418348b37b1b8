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
  // a fresh pinnedWindowMessenger.
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
  [/const lastArg = args\[args\.length - 1\];\s*const lastArgIsOptions = lastArg instanceof CallOptions_default;\s*const \{ timeout, transferables \} = lastArgIsOptions \? lastArg : \{\};\s*const argsWithoutOptions = lastArgIsOptions \? args\.slice\(0, -1\) : args;/, "const timeout = void 0;"],
  [/if \(value instanceof Reply_default\)/, "if (0)"],
  // ACK1 carries the sender's method paths only for penpal-6 peers (a penpal 7 ACK1 handler
  // never reads them); both sides here are penpal 7, so the list and its walker are dead weight.
  [/const methodPaths = extractMethodPathsFromMethods\(methods\);/, ""],
  [/type: "ACK1",\s*methodPaths\s*\}/, 'type: "ACK1" }'],
  // Both sides expose flat method maps and call `remote.method(...)` only, so the remote proxy
  // needs no nested paths (`remote.a.b()`) and no `.call`/`.apply`/`.bind` on a method, and a
  // method is found by its one name (a longer path finds nothing: METHOD_NOT_FOUND).
  [/var createRemoteProxy = \(callback, log, path = \[\]\) => \{[\s\S]*?\n\};\n/, 'var createRemoteProxy = (callback) => new Proxy(Object.create(null), { get: (_, prop) => prop === "then" ? void 0 : (...args) => callback([prop], args) });\n'],
  [/const result = methodPath\.reduce\([\s\S]*?methods\s*\);/, "const result = methodPath.length == 1 ? methods[methodPath[0]] : void 0;"],
  // The stack is neither sent nor adopted (above), so it need not be read either.
  [/message,\s*stack,\s*penpalCode\s*\}\) => \{/, "message, penpalCode }) => {"],
  // Handshake sends cannot fail here: the pinned messenger posts SYN/ACK1/ACK2 to a live window
  // at a validated origin. Without the three catches a throw would end the handshake as a
  // timeout (the SDK's own timer, the frame's penpal timeout) instead of TRANSMISSION_FAILED.
  ...["synMessage", "ack1Message", "ack2Message"].map((name): [RegExp, string] => [
    new RegExp(`try \\{\\s*messenger\\.sendMessage\\(${name}\\);\\s*\\} catch \\(error\\) \\{\\s*reject\\(new PenpalError_default\\("TRANSMISSION_FAILED", error\\.message\\)\\);\\s*(return;\\s*)?\\}`),
    `messenger.sendMessage(${name});`,
  ]),
  // A class field the constructor assigns anyway.
  [/class extends Error \{\s*code;/, "class extends Error {"],
  // Ids only need to be unique per connection: call ids match replies on the connection's private
  // port, and participant ids only order the two sides of one handshake (both travel on the
  // pinned window and port, which no third party can write to). Math.random also works outside
  // secure contexts, where crypto.randomUUID is missing.
  [/crypto\.randomUUID\?\.bind\(crypto\) \?\? \(\(\) => new Array\(4\)\.fill\(0\)\.map\(\s*\(\) => Math\.floor\(Math\.random\(\) \* Number\.MAX_SAFE_INTEGER\)\.toString\(16\)\s*\)\.join\("-"\)\)/, '() => Math.random() + ""'],
  // The per-call timer is gone with CallOptions (above), so there is none to keep or clear.
  [/replyHandlers\.set\(callId, \{ methodPath, resolve, reject, timeoutId \}\)/, "replyHandlers.set(callId, { methodPath, resolve, reject })"],
  [/for \(const \{ methodPath, reject, timeoutId \} of replyHandlers\.values\(\)\) \{\s*clearTimeout\(timeoutId\);/, "for (const { methodPath, reject } of replyHandlers.values()) {"],
  // With every log call gone (above), `log` is only handed from function to function: drop the
  // hand-offs too (connect → messenger, shakeHands → call handler and remote proxy).
  [/var connectCallHandler = \(messenger, methods, channel, log\) =>/, "var connectCallHandler = (messenger, methods, channel) =>"],
  [/var connectRemoteProxy = \(messenger, channel, log\) =>/, "var connectRemoteProxy = (messenger, channel) =>"],
  [/\}, log\);(\s*const destroy = \(\) => \{)/, "});$1"],
  [/connectCallHandler_default\(messenger, methods, channel, log\)/, "connectCallHandler_default(messenger, methods, channel)"],
  [/connectRemoteProxy_default\(messenger, channel, log\)/, "connectRemoteProxy_default(messenger, channel)"],
  [/channel,\s*log\s*\}\) => \{\s*const participantId/, "channel }) => {\n  const participantId"],
  [/channel,\s*log\s*\}\) => \{/, "channel }) => {"],
  [/messenger\.initialize\(\{ log, validateReceivedMessage \}\)/, "messenger.initialize({ validateReceivedMessage })"],
  [/channel,\s*log\s*\}\);/, "channel });"],
  // No call or reply sends transferables (CallOptions and Reply are gone, above), and a call's
  // arguments are all arguments.
  [/messenger\.sendMessage\(callMessage, transferables\)/, "messenger.sendMessage(callMessage)"],
  [/args: argsWithoutOptions/, "args"],
  [/let transferables;(\s*try \{\s*const method = getMethodAtMethodPath)/, "$1"],
  [/transferables = value\.transferables;/, ""],
  [/messenger\.sendMessage\(replyMessage, transferables\)/, "messenger.sendMessage(replyMessage)"],
  // With flat method maps (above) a method path is one name: an error names it as it is (an
  // array of one name reads as that name), and the path formatter goes.
  [/formatMethodPath\(\s*methodPath\s*\)/g, 'methodPath + ""'],
  // A message's type is read where it is tested (six one-line guards are six functions the
  // minifier keeps): `(message.type === "SYN")` rather than `isSynMessage(message)`, in
  // parentheses for a `!` before it.
  ...["Syn", "Ack1", "Ack2", "Call", "Reply", "Destroy"].map((type): [RegExp, string] => [new RegExp(`\\bis${type}Message\\((\\w+)\\)`, "g"), `($1.type === "${type.toUpperCase()}")`]),
  // A message is an object whose namespace is penpal's: optional chaining reads `undefined` on
  // anything else (null, undefined, a string), as the object test did; and a method is a function.
  [/isObject\(data\) && data\.namespace === namespace_default/, "data?.namespace === namespace_default"],
  [/return isFunction\(result\) \? result : void 0;/, 'return typeof result === "function" ? result : void 0;'],
  // connect's destroy runs once: a flag in place of penpal's `once` wrapper (its one user).
  [/const destroyConnection = once_default\(\(notifyOtherParticipant\) => \{/, "let isDestroyed = false;\n  const destroyConnection = (notifyOtherParticipant) => {\n    if (isDestroyed) return;\n    isDestroyed = true;"],
  [/\(void 0\)\?\.\("Connection destroyed"\);\s*\}\);/, "};"],
  // A message built only to be sent is built in the call: the minifier will not move an object
  // literal past the property read `messenger.sendMessage` (property reads may have side effects).
  [/const (\w+Message) = (\{[^{}]*\});\s*\(void 0\)\?\.\([^;]*?\1\);\s*messenger\.sendMessage\(\1\);/g, "messenger.sendMessage($2);"],
  // Its one user makes its promise in place (a helper for one call site costs its own wrapper).
  [/const \{ promise, resolve, reject \} = getPromiseWithResolvers_default\(\);/, "let resolve, reject;\n  const promise = new Promise((res, rej) => (resolve = res, reject = rej));"],
];

/**
 * The host SDK never passes `timeout` to `connect`: it runs its own handshake timer, which it
 * clears on `init()` and on close (sdk/marketplace.ts, C8). So its copy of the handshake needs no
 * timer of its own (~25 B brotli); the frame's copy keeps it (host-channel.ts passes one).
 */
const noHandshakeTimer: [RegExp, string][] = [
  [/const timeoutId = timeout !== void 0 \? setTimeout\(\(\) => \{[\s\S]*?\}, timeout\) : void 0;/, ""],
  [/clearTimeout\(timeoutId\);\s*isComplete = true;/, "isComplete = true;"],
  // …nor a `timeout` to hand from connect to the handshake.
  [/timeout,\s*channel \}\) => \{\s*const participantId/, "channel }) => {\n  const participantId"],
  [/methods,\s*timeout,\s*channel \}\);/, "methods, channel });"],
  [/methods = \{\},\s*timeout,\s*channel \}\) => \{/, "methods = {}, channel }) => {"],
];

/**
 * The host SDK is never the handshake's leader. penpal makes the side with the greater
 * participant id the leader (it sends ACK1, the other answers ACK2 and hands over the port); the
 * host's id is the empty string, which every other id (a non-empty string: the frame's copy
 * keeps its random ones) sorts after, so the frame always leads. The host's copy then never sends
 * ACK1 and never receives ACK2 (23 B brotli). Same messages on the wire, in the order of a
 * handshake the frame happened to lead; the frame's copy is unchanged.
 */
const handshakeFollower: [RegExp, string][] = [
  [/const participantId = generateId_default\(\);/, 'const participantId = "";'],
  [/const isHandshakeLeader = participantId > remoteParticipantId;[\s\S]*?messenger\.sendMessage\(\{[^{}]*"ACK1"[^{}]*\}\);/, ""],
  [/if \(\(message\.type === "ACK2"\)\) \{\s*handleAck2Message\(message\);\s*\}/, ""],
];

/**
 * The host SDK never needs a rejected call's reason as an `Error` instance: every call it makes
 * to the frame goes through one wrapper that reads only `message` (embed.call, sdk/marketplace.ts)
 * or ignores it, and the frame's methods answer `{ ok: false, error }` rather than throw. So its
 * copy rejects with the serialized `{ name, message, penpalCode }` as it came, and the reviver
 * goes (~35 B brotli); the frame's copy keeps it.
 */
const plainRejections: [RegExp, string][] = [
  [/isSerializedErrorInstance \? deserializeError\(value\) : value/, "value"],
  // …and no longer reads the flag either.
  [/const \{ callId, value, isError, isSerializedErrorInstance \} = message;/, "const { callId, value, isError } = message;"],
];

/**
 * Vite/rolldown plugin applying the rewrites above to penpal's module; `ownTimer`: the bundle's
 * only `connect` caller passes no `timeout` (the host SDK); `plainErrors`: it reads no rejection
 * as an `Error` instance (the host SDK); `follower`: it never leads a handshake (the host SDK).
 */
export const trimPenpal = ({ ownTimer = false, plainErrors = false, follower = false } = {}) => ({
  name: "trim-penpal",
  transform(code: string, id: string) {
    if (!/[\\/]penpal[\\/]/.test(id)) return;
    let out = code.replace(/\b(this\.#)?log\?\.\(/g, "(void 0)?.(");
    // The code (METHOD_NOT_FOUND, CONNECTION_TIMEOUT, ...) says what happened; its prose costs ~0.1 kB
    // brotli. Each rewrite must still find its target, so a penpal upgrade cannot silently skip one.
    for (const [from, to] of [...penpalMessages, ...(ownTimer ? noHandshakeTimer : []), ...(plainErrors ? plainRejections : []), ...(follower ? handshakeFollower : [])]) {
      if (!from.test(out)) throw new Error(`penpal changed: ${from} not found`);
      out = out.replace(from, to);
    }
    return out;
  },
});
