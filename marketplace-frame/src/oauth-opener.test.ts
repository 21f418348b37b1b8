// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { oauthOpener, popupSize } from "./oauth-opener.ts";
import type { FrameInit } from "../../contract/protocol.ts";

const init = (over: Partial<FrameInit> = {}): FrameInit => ({ screen: { name: "marketplace" }, closable: false, ...over });
const host = { getToken: async () => "t", emit: () => {} };

afterEach(() => vi.restoreAllMocks());

describe("where the frame opens an authorization page", () => {
  it("a popup of the host's size, opened at once (inside the click)", () => {
    const open = vi.spyOn(window, "open").mockReturnValue(null);
    const opener = oauthOpener({ host, init: init({ oauthPopup: { width: 640, height: 900 } }) }, "em-oauth-slack");
    expect(opener).toEqual({ kind: "popup", popup: null });
    expect(open).toHaveBeenCalledWith("about:blank", "em-oauth-slack", "popup,width=640,height=900");
  });

  it("the host's openExternalUrl when it passed one: no popup; its answer is not the flow's business", async () => {
    const open = vi.spyOn(window, "open");
    const openExternalUrl = vi.fn(async () => ({ some: "host value" }));
    const opener = oauthOpener({ host: { ...host, openExternalUrl }, init: init({ externalUrls: true }) }, "em-oauth-slack");
    expect(open).not.toHaveBeenCalled();
    expect(opener.kind).toBe("external");
    if (opener.kind != "external") return;
    await expect(opener.open("https://platform.example/api/v1/mock-oauth/authorize?state=s1")).resolves.toBeUndefined();
    expect(openExternalUrl).toHaveBeenCalledWith("https://platform.example/api/v1/mock-oauth/authorize?state=s1");
  });

  it("a size it cannot use falls back to the default side by side", () => {
    expect(popupSize(undefined)).toEqual({ width: 520, height: 680 });
    expect(popupSize({ width: 800.4 })).toEqual({ width: 800, height: 680 });
    expect(popupSize({ width: 100, height: "700" })).toEqual({ width: 520, height: 680 });
    expect(popupSize({ width: 4000, height: 4001 })).toEqual({ width: 4000, height: 680 });
    expect(popupSize("600x700")).toEqual({ width: 520, height: 680 });
  });
});
