// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { loadStaticConfig } from "./static-config.ts";
import { noticeLanguage, noticeTexts, showMemoryNotice, showStartFailure } from "./notice.ts";

const answer = (body: unknown, status = 200): typeof fetch => async () => new Response(JSON.stringify(body), { status });

describe("static build config", () => {
  it("accepts exact http(s) origins", async () => {
    expect(await loadStaticConfig("/frame/", answer({ allowedOrigins: ["https://app.example.com", "http://127.0.0.1:4000"] }))).toEqual({
      allowedOrigins: ["https://app.example.com", "http://127.0.0.1:4000"],
    });
  });

  it.each([
    [{ allowedOrigins: ["https://app.example.com/path"] }],
    [{ allowedOrigins: ["*"] }],
    [{ allowedOrigins: ["javascript:alert(1)"] }],
    [{ allowedOrigins: [] }],
    [{}],
  ])("rejects %j, naming the file", async (body) => {
    await expect(loadStaticConfig("/frame/", answer(body))).rejects.toThrow(/^emporium-static\.json: /);
  });

  it("a missing file is an error naming it and the status", async () => {
    await expect(loadStaticConfig("/frame/", answer({}, 404))).rejects.toThrow("emporium-static.json: HTTP 404");
  });
});

describe("static build notices", () => {
  it("every language has every text, with the same placeholders", () => {
    const keys = Object.keys(noticeTexts.en).sort();
    for (const texts of Object.values(noticeTexts)) {
      expect(Object.keys(texts).sort()).toEqual(keys);
      expect(texts.failed).toContain("{reason}");
    }
  });

  it("the memory notice shows, and follows <html lang> once the frame sets it", async () => {
    document.documentElement.lang = "en";
    const el = document.createElement("div");
    el.hidden = true;
    const stop = showMemoryNotice(el);
    expect(el.hidden).toBe(false);
    expect(el.textContent).toBe(noticeTexts.en.memory);
    document.documentElement.lang = "de-AT";
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(el.textContent).toBe(noticeTexts.de.memory);
    stop();
    expect(noticeLanguage("xx")).toBe("en");
  });

  it("the start failure replaces the app with an alert that says why", () => {
    document.documentElement.lang = "en";
    const root = document.createElement("div");
    root.innerHTML = "<p>old</p>";
    showStartFailure(root, "emporium-static.json: HTTP 404");
    const alert = root.querySelector('[role="alert"]')!;
    expect(alert.querySelector("h1")!.textContent).toBe(noticeTexts.en.failedTitle);
    expect(alert.textContent).toContain("(emporium-static.json: HTTP 404)");
    expect(root.textContent).not.toContain("old");
  });
});
