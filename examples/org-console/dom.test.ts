// @vitest-environment happy-dom
/**
 * The console's pagers over opaque cursors (runs, alerts, an endpoint's deliveries; the instance
 * list builds its links with the same pageHash): Next goes to the next cursor and remembers this
 * page, Previous goes back along the trail to the first page, and the filters stay in the hash.
 */
import { describe, expect, it } from "vitest";
// @ts-expect-error -- the console is plain JavaScript without declarations (it ships with no build step)
import { pageButtons, pageHash } from "./dom.js";

describe("paging over cursors", () => {
  it("a page's hash keeps the filters and sets or drops the cursor", () => {
    const params = new URLSearchParams("status=failed&cursor=c1");
    expect(pageHash("#/runs", params, "c2")).toBe("#/runs?status=failed&cursor=c2");
    expect(pageHash("#/runs", params, "")).toBe("#/runs?status=failed");
    expect(pageHash("#/runs", params, undefined)).toBe("#/runs?status=failed");
  });

  it("Next remembers this page; Previous walks back to the first; each is off where there is nowhere to go", () => {
    const trail: string[] = [];
    const went: string[] = [];
    const go = (hash: string) => went.push(hash);
    const [first, firstNext] = pageButtons(trail, new URLSearchParams("status=failed"), "c1", "#/runs", go) as HTMLButtonElement[];
    expect([first.disabled, firstNext.disabled, first.textContent, firstNext.textContent]).toEqual([true, false, "Previous", "Next"]);
    firstNext.click();
    const [previous, next] = pageButtons(trail, new URLSearchParams("status=failed&cursor=c1"), null, "#/runs", go) as HTMLButtonElement[];
    expect([previous.disabled, next.disabled]).toEqual([false, true]);
    previous.click();
    expect(went).toEqual(["#/runs?status=failed&cursor=c1", "#/runs?status=failed"]);
    expect(trail).toEqual([]);
  });
});
