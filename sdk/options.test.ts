// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableIframePageLoading": true}}
import { beforeEach, describe, expect, it } from "vitest";
import { createMarketplace, EmporiumError, type MarketplaceOptions } from "./index.ts";
import { fakeContentWindows } from "./testing/fake-frame.ts";

const valid: MarketplaceOptions = { frameUrl: "https://platform.example/frame/", organization: "org_demo", getToken: async () => "a.b.c" };

/** Runs `act` and returns the EmporiumError it throws. */
const thrown = (act: () => unknown): EmporiumError => {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(EmporiumError);
    return error as EmporiumError;
  }
  throw new Error("did not throw");
};

beforeEach(() => {
  document.body.innerHTML = '<div id="slot"></div>';
  fakeContentWindows();
});

describe("createMarketplace options", () => {
  it.each<[string, unknown, RegExp]>([
    ["options missing", undefined, /expected an object, received undefined/],
    ["frameUrl missing", { ...valid, frameUrl: undefined }, /expected frameUrl to be an http\(s\) URL, received undefined/],
    ["frameUrl not a URL", { ...valid, frameUrl: "platform.example" }, /frameUrl .* received "platform.example"/],
    ["frameUrl javascript:", { ...valid, frameUrl: "javascript:alert(1)" }, /frameUrl/],
    ["frameUrl ftp", { ...valid, frameUrl: "ftp://platform.example/" }, /frameUrl/],
    ["organization missing", { ...valid, organization: undefined }, /expected organization to be an id, received undefined/],
    ["organization with spaces", { ...valid, organization: "org demo" }, /organization .* received "org demo"/],
    ["getToken missing", { ...valid, getToken: undefined }, /expected getToken to be a function, received undefined/],
    ["getToken a string", { ...valid, getToken: "eyJ.a.b" }, /getToken to be a function, received "eyJ.a.b"/],
    ["theme not an object", { ...valid, theme: "dark" }, /theme to be an object of strings/],
    ["theme value not a string", { ...valid, theme: { colorPrimary: 1 } }, /theme to be an object of strings, received object/],
    ["mode unknown", { ...valid, mode: "sepia" }, /mode to be light, dark or auto, received "sepia"/],
    ["locale not a locale", { ...valid, locale: "de;DROP" }, /locale to be a locale/],
    ["phrases not strings", { ...valid, phrases: { a: {} } }, /phrases to be an object of strings/],
    ["filters an array", { ...valid, filters: [] }, /filters to be an object/],
    ["timeout zero", { ...valid, timeout: 0 }, /timeout to be a positive number, received number/],
    ["timeout text", { ...valid, timeout: "soon" }, /timeout to be a positive number/],
    ["autoHeight not boolean", { ...valid, autoHeight: "yes" }, /autoHeight to be a boolean/],
    ["openExternalUrl not a function", { ...valid, openExternalUrl: "https://x" }, /openExternalUrl to be a function, received "https:\/\/x"/],
    ["oauthPopup not an object", { ...valid, oauthPopup: "600x700" }, /oauthPopup to be \{ width, height \} from 200 to 4000, received "600x700"/],
    ["oauthPopup too small", { ...valid, oauthPopup: { width: 100, height: 700 } }, /oauthPopup to be \{ width, height \} from 200 to 4000, received object/],
    ["oauthPopup too large", { ...valid, oauthPopup: { height: 5000 } }, /oauthPopup to be/],
    ["oauthPopup a size in text", { ...valid, oauthPopup: { width: "600" } }, /oauthPopup to be/],
    ["oauthPopup with a typo", { ...valid, oauthPopup: { widht: 600 } }, /oauthPopup to be/],
    ["unknown option (typo)", { ...valid, themee: {} }, /expected themee to be a known option/],
    ["inherited name", { ...valid, hasOwnProperty: {} }, /hasOwnProperty to be a known option/],
  ])("%s is INVALID_OPTION saying what was expected and received", (_, options, message) => {
    const error = thrown(() => createMarketplace(options as MarketplaceOptions));
    expect(error.code).toBe("INVALID_OPTION");
    expect(error.message).toMatch(message);
  });

  it("the message never shows a function's source or an object's content", () => {
    const error = thrown(() => createMarketplace({ ...valid, organization: { secret: "s3cr3t" } } as never));
    expect(error.message).not.toContain("s3cr3t");
  });

  it("valid options with every optional one are accepted", () => {
    expect(() =>
      createMarketplace({
        ...valid,
        theme: {},
        mode: "auto",
        locale: "pt-BR",
        phrases: {},
        filters: { q: "crm" },
        timeout: 1,
        autoHeight: true,
        openExternalUrl: () => {},
        oauthPopup: { width: 600, height: 4000 },
      }),
    ).not.toThrow();
  });
});

describe("show* arguments", () => {
  const marketplace = () => createMarketplace(valid);

  it.each<[string, unknown]>([
    ["no target", undefined],
    ["empty target", {}],
    ["selector that matches nothing", { selector: "#nowhere" }],
    ["invalid selector", { selector: "[[" }],
    ["popover not true", { popover: "yes" }],
    ["selector neither string nor element", { selector: 42 }],
  ])("%s is INVALID_OPTION", (_, target) => {
    expect(thrown(() => marketplace().showMarketplace(target as never)).code).toBe("INVALID_OPTION");
  });

  it("an element works as the target", () => {
    const slot = document.getElementById("slot")!;
    expect(marketplace().showMarketplace({ selector: slot }).frame.parentElement).toBe(slot);
  });

  it.each<[string, unknown]>([
    ["neither integration nor instanceId", {}],
    ["both", { integration: "slack", instanceId: "i1" }],
    ["empty integration", { integration: "" }],
    ["configVars not objects", { integration: "slack", configVars: { a: 1 } }],
    ["not an object", "slack"],
  ])("configureInstance with %s is INVALID_OPTION", (_, what) => {
    expect(thrown(() => marketplace().configureInstance(what as never, { popover: true })).code).toBe("INVALID_OPTION");
  });

  it("setTheme, setLocale and setConfigVars validate before anything is sent", () => {
    const m = marketplace();
    expect(thrown(() => m.setTheme({ colorPrimary: 1 } as never)).code).toBe("INVALID_OPTION");
    expect(thrown(() => m.setTheme({}, "neon" as never)).code).toBe("INVALID_OPTION");
    expect(thrown(() => m.setLocale(undefined as never)).code).toBe("INVALID_OPTION");
    expect(thrown(() => m.setConfigVars(null as never)).code).toBe("INVALID_OPTION");
  });
});
