import { describe, expect, it } from "vitest";
import { inlineCodes } from "./inline-codes.ts";

describe("inline-codes build plugin", () => {
  const transform = (code: string, id = "/repo/marketplace-frame/src/x.ts") => inlineCodes().transform(code, id);

  it("replaces each code read with its string, and leaves other uses of the objects alone", () => {
    const out = transform('fail(ChannelErrorCode.InvalidMessage); new EmporiumApiError(ClientErrorCode.Network); x = ApiErrorCode.NotFound; list(ChannelErrorCode);');
    expect(out).toBe('fail("INVALID_MESSAGE"); new EmporiumApiError("NETWORK_ERROR"); x = "NOT_FOUND"; list(ChannelErrorCode);');
  });

  it("fails the build on a code that does not exist, and skips dependencies", () => {
    expect(() => transform("ChannelErrorCode.NoSuchCode")).toThrow(/not a known code/);
    expect(transform("ChannelErrorCode.InvalidMessage", "/repo/node_modules/x/index.ts")).toBeUndefined();
  });
});
