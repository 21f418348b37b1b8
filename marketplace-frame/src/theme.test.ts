// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cssVarName, themeTokens } from "../../contract/theme.ts";
import { applyTheme, validateTheme } from "./theme.ts";

const rejected: [string, string, string][] = [
  ["T2", "colorPrimary", "red;}*{background:url(//x)}"],
  ["T2", "colorPrimary", "url(https://evil.test/x.png)"],
  ["T2", "colorPrimary", "\\40import 'x'"],
  ["T2", "colorPrimary", "expression(alert(1))"],
  ["T2", "colorPrimary", "rgb(1,2,3);background:url(x)"],
  ["T2", "colorPrimary", "rgb(var(--x),0,0)"],
  ["T2", "colorPrimary", "#fff;background-image:url(//x)"],
  ["T2", "colorPrimary", "#00aaff url(//x)"],
  ["T2", "colorPrimary", "rgb(0 128 255 / 50%);background:url(x)"],
  ["T2", "colorPrimary", "hsl(210, 100%, 50%);background:url(x)"],
  ["T2", "colorPrimary", "hsl(210 100% 50%) url(//x)"],
  ["T2", "colorBackground", "red"],
  ["T2", "borderRadius", "8px;color:red"],
  ["T2", "borderRadius", "calc(1px + 2px)"],
  ["T2", "borderRadius", "99px"],
  ["T2", "fontSizeBase", "14em"],
  ["T2", "lineHeight", "1.5;x"],
  ["T2", "lineHeight", "30"],
  ["T2", "lineHeight", "0.5"],
  ["T2", "fontWeightBold", "1000"],
  ["T2", "shadow", "0 1px 2px url(x)"],
  ["T2", "shadow", "0 1px 2px red"],
  ["T3", "fontFamily", "Inter; background:url(x)"],
  ["T3", "fontFamily", "url(https://evil.test/font)"],
  ["T3", "fontFamily", '"Inter", "x"; } body { color: red'],
  ["T3", "fontFamily", "'Inter\"'"],
  ["T3", "fontFamily", "Inter, \\22 evil"],
];

const accepted: [string, string][] = [
  ["colorPrimary", "#0af"],
  ["colorPrimary", "#00aaffcc"],
  ["colorPrimary", "rgb(0, 128, 255)"],
  ["colorPrimary", "rgba(0,128,255,0.5)"],
  ["colorPrimary", "rgb(0 128 255 / 50%)"],
  ["colorPrimary", "hsl(210, 100%, 50%)"],
  ["colorPrimary", "hsla(210deg, 100%, 50%, .4)"],
  ["borderRadius", "12px"],
  ["fontSizeBase", "1rem"],
  ["lineHeight", "1.6"],
  ["fontFamily", 'Inter, "Segoe UI", system-ui, sans-serif'],
  ["shadow", "0 1px 2px rgba(0,0,0,0.2), inset 0 0 0 1px #ccc"],
];

describe("theme token validation", () => {
  it.each(rejected)("%s rejects %s = %s and keeps the default", (_row, token, value) => {
    const { valid, warnings } = validateTheme({ [token]: value });
    expect(valid).toEqual({});
    expect(warnings).toEqual([expect.objectContaining({ code: "INVALID_THEME_TOKEN", subject: token })]);
  });

  it.each(accepted)("accepts %s = %s", (token, value) => {
    expect(validateTheme({ [token]: value }).valid).toEqual({ [token]: value });
  });

  it("T2 unknown tokens and non-string values are warnings", () => {
    // An array or a number would stringify to a valid value ("#fff", "1.5"): still refused.
    const { valid, warnings } = validateTheme({ colourPrimary: "#fff", colorText: 12, colorBorder: ["#fff"], lineHeight: 1.5 });
    expect(valid).toEqual({});
    expect(warnings.map((w) => w.subject)).toEqual(["colourPrimary", "colorText", "colorBorder", "lineHeight"]);
  });

  it("T2 applyTheme sets valid host values through CSSOM and leaves rejected ones to the stylesheet's default", () => {
    const el = document.createElement("div");
    el.style.setProperty(cssVarName("colorText"), "#000000"); // a value from an earlier theme
    const { valid } = validateTheme({ colorPrimary: "#123456", colorText: "red;}*{x:url(//x)}" });
    applyTheme(el.style, valid, "dark");
    expect(el.style.getPropertyValue(cssVarName("colorPrimary"))).toBe("#123456");
    expect(el.style.getPropertyValue(cssVarName("colorText"))).toBe("");
    expect(el.style.getPropertyValue("color-scheme")).toBe("dark");
    expect(el.getAttribute("style")).not.toContain("url(");
  });

  it("the stylesheet declares every token's light and dark default, equal to the contract's", () => {
    const css = readFileSync(join(import.meta.dirname, "styles.css"), "utf8");
    const block = (selector: string) => {
      const start = css.indexOf(`${selector} {`);
      const body = css.slice(css.indexOf("{", start) + 1, css.indexOf("}", start));
      return Object.fromEntries(body.split(";").map((d) => d.split(/:(.*)/s).map((x) => x.trim())).filter(([k]) => k));
    };
    const light = block(":root");
    const dark = { ...light, ...block(':root[data-mode="dark"]') };
    for (const [name, d] of Object.entries(themeTokens)) {
      expect(light[cssVarName(name)], name).toBe(d.light);
      expect(dark[cssVarName(name)], name).toBe(d.dark);
    }
    expect(Object.keys(light).sort()).toEqual(Object.keys(themeTokens).map(cssVarName).sort());
  });
});
