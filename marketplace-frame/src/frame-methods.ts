/**
 * The methods the host may call on a live embed. Every argument is untrusted: it is
 * validated here against the contract, and every method answers a `FrameResult` instead of
 * throwing, so no stack or URL ever crosses the channel (C6/C9). The map has no prototype,
 * so `constructor`, `__proto__` or `toString` are not methods (C5).
 */
import * as z from "zod/mini";
import { ChannelErrorCode } from "../../contract/errors.ts";
import { configVarOverrides } from "../../contract/config-var-overrides.ts";
import {
  frameInit,
  marketplaceFilters,
  screen,
  type ChannelWarning,
  type FrameMethods,
  type FrameResult,
} from "../../contract/protocol.ts";
import type { Frame } from "./frame.ts";
import { enScreens } from "./i18n/en-screens.ts";

const themeUpdate = z.object({
  theme: z.optional(z.record(z.string().check(z.maxLength(64)), z.unknown())),
  mode: z.optional(z.enum(["light", "dark", "auto"])),
  hostPrefersDark: z.optional(z.boolean()),
});
const localeTag = z.string().check(z.maxLength(35));
const phrases = frameInit().shape.phrases;

const ok = (warnings: ChannelWarning[] = []): FrameResult => ({ ok: true, warnings });
const fail = (code: ChannelErrorCode, message: string): FrameResult => ({ ok: false, error: { code, message } });
const internal = () => fail(ChannelErrorCode.Internal, "The marketplace could not apply this change");

/**
 * The SDK's own chrome in the frame's words, in its language and after the host's phrases: the
 * iframe's title and the popover's close button. The SDK has English built in; it asks for a
 * language switch once the frame is drawn when the host chose one, and applies these.
 */
function tellLabels(frame: Frame): void {
  // The screens' English phrases may still be on their way: this chunk has its own.
  const word = (key: "embed.title" | "embed.close") => (frame.t(key) == key ? enScreens[key] : frame.t(key));
  frame.emit("labels", { title: word("embed.title"), close: word("embed.close") });
}

/** The language and phrases each frame last applied (from its init until a switch), as JSON. */
const applied = new WeakMap<Frame, string>();

/**
 * `getFrame` is undefined until boot has pulled FrameInit; calls before that are refused
 * with a typed error (the host only calls after `ready` in practice).
 */
export function createFrameMethods(getFrame: () => Frame | undefined): FrameMethods {
  const guard = (fn: (frame: Frame) => FrameResult) => {
    try {
      const frame = getFrame();
      return frame ? fn(frame) : fail(ChannelErrorCode.ConnectionClosed, "The marketplace is still starting");
    } catch {
      return internal();
    }
  };
  const methods: FrameMethods = Object.assign(Object.create(null) as FrameMethods, {
    setTheme: (update: unknown) =>
      guard((frame) => {
        const parsed = themeUpdate.safeParse(update);
        if (!parsed.success) return fail(ChannelErrorCode.InvalidMessage, "setTheme expects { theme?, mode?, hostPrefersDark? }");
        const warnings = frame.theme.update(parsed.data as Parameters<Frame["theme"]["update"]>[0]);
        for (const w of warnings) frame.emit("warning", w);
        return ok(warnings);
      }),
    // Answers once the language is switched: the phrase table, and the index a host's override
    // of a screen phrase is checked against, may load on demand.
    setLocale: async (locale: unknown, overrides?: unknown): Promise<FrameResult> => {
      let switched: Promise<ChannelWarning[]> | undefined;
      const refused = guard((frame) => {
        const l = localeTag.safeParse(locale);
        const p = phrases.safeParse(overrides);
        if (!l.success || !p.success) return fail(ChannelErrorCode.InvalidMessage, "setLocale expects (locale: string, phrases?: Record<string, string>)");
        // The SDK asks again for what init() already applied (for the labels): its warnings were told then.
        const request = JSON.stringify([l.data, p.data]);
        const again = request == (applied.get(frame) ?? JSON.stringify([frame.init.locale, frame.init.phrases]));
        applied.set(frame, request);
        switched = frame.locale.setLocale(l.data, p.data).warnings.then((warnings) => {
          if (!again) for (const w of warnings) frame.emit("warning", w);
          tellLabels(frame);
          return warnings;
        });
        return ok();
      });
      return switched ? switched.then(ok, internal) : refused;
    },
    setConfigVars: (vars: unknown) =>
      guard((frame) => {
        const parsed = configVarOverrides.safeParse(vars);
        if (!parsed.success) return fail(ChannelErrorCode.InvalidConfigValue, "setConfigVars expects { [key]: { value?, hidden?, readOnly? } }");
        frame.configVars.value = parsed.data;
        const warnings = frame.configVarCheck.value?.(parsed.data) ?? [];
        for (const w of warnings) frame.emit("warning", w);
        return ok(warnings);
      }),
    setFilters: (filters: unknown) =>
      guard((frame) => {
        const parsed = marketplaceFilters().safeParse(filters);
        if (!parsed.success) return fail(ChannelErrorCode.InvalidMessage, "setFilters expects marketplace filters");
        frame.filters.applyHost(parsed.data);
        return ok();
      }),
    navigate: (target: unknown) =>
      guard((frame) => {
        const parsed = screen().safeParse(target);
        if (!parsed.success) return fail(ChannelErrorCode.InvalidMessage, "navigate expects a screen");
        frame.navigate(parsed.data);
        return ok();
      }),
  });
  return methods;
}
