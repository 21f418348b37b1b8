// @vitest-environment happy-dom
import { afterEach, expect, it, vi } from "vitest";
import { waitUntil } from "../../../tests/wait-until.ts";
import { chooseSpot, placeToasts, type SpotInputs } from "./toast-place.ts";

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

/** A 360 × 440 phone window cut just below a full-width Copy button, as in responsive.test.ts. */
const phone = (things: SpotInputs["things"], current?: SpotInputs["current"]) => chooseSpot({ view: { top: 0, bottom: 440 }, height: 48, gap: 12, things, current });
const back = { top: 12, bottom: 36, keep: true };
const title = { top: 50, bottom: 80, keep: true };
const resume = { top: 150, bottom: 186, keep: false };
const url = { top: 330, bottom: 366, keep: false };
const copy = { top: 380, bottom: 416, keep: true }; // the control that has focus: it was just pressed

it("sits at the bottom of what the user sees when it covers nothing there, else at the top when that covers nothing", () => {
  expect(phone([back, title, resume])).toEqual({ spot: "bottom", y: 440 - 12 - 48 });
  expect(phone([resume, { ...url, top: 360, bottom: 400 }])).toEqual({ spot: "top", y: 12 });
});

it("covers neither the focused control at the bottom nor the Back link and title at the top: it goes between, nearest the bottom, over nothing if it can", () => {
  // Over nothing: just above the webhook URL (270 to 318), not above Copy (over the URL).
  expect(phone([back, title, resume, url, copy])).toEqual({ spot: 270, y: 270 });
  // Buttons all the way down: any but the Back link, the title and Copy may go under it then, the
  // spot nearest the bottom (just below the button at 280, over the one at 326; above Copy is 320).
  const full = [back, title, ...[96, 142, 188, 234, 280, 326].map((top) => ({ top, bottom: top + 36, keep: false })), copy];
  expect(phone(full)).toEqual({ spot: 328, y: 328 });
  // A window hardly taller than the toast: the bottom.
  expect(chooseSpot({ view: { top: 0, bottom: 60 }, height: 48, gap: 12, things: [{ top: 10, bottom: 50, keep: true }] })).toEqual({ spot: "bottom", y: 0 });
});

it("stays where it is while that is as good as the best spot (a page scrolling under it, focus moving to what was pressed)", () => {
  expect(phone([back, title, resume], 200)).toEqual({ spot: 200, y: 200 });
  // Its spot now covers a control while the bottom covers nothing: it moves.
  expect(phone([{ top: 190, bottom: 230, keep: false }], 200)).toEqual({ spot: "bottom", y: 380 });
  // Out of view (autoHeight: the host scrolled): placed afresh.
  expect(phone([], 420)).toEqual({ spot: "bottom", y: 380 });
});

it("follows the page only while a toast shows: its three listeners and its observer go with the last toast, and come back with the next", async () => {
  const added = vi.spyOn(globalThis, "addEventListener");
  const removed = vi.spyOn(globalThis, "removeEventListener");
  const observed = vi.spyOn(MutationObserver.prototype, "observe");
  const disconnected = vi.spyOn(MutationObserver.prototype, "disconnect");
  /** The listeners placeToasts has on the window now, by event. */
  const listening = () => {
    const on = added.mock.calls.map(([event, fn]) => [event, fn]);
    for (const [event, fn] of removed.mock.calls) on.splice(on.findIndex(([e, f]) => e === event && f === fn), 1);
    return on.map(([event]) => event).sort();
  };
  const show = () => {
    document.body.innerHTML = '<div class="em-toasts" style="right: 16px"><div class="em-toast"><span>Copied</span><button>×</button></div></div>';
    placeToasts();
  };
  show();
  placeToasts(); // placed again: nothing more installed
  expect(listening()).toEqual(["focusin", "resize", "scroll"]);
  expect(observed).toHaveBeenCalledTimes(2); // the page, and the root's style (--em-visible-*)
  document.querySelector(".em-toast")!.remove();
  await waitUntil(() => expect(listening()).toEqual([]));
  expect(disconnected).toHaveBeenCalledTimes(1);
  show();
  expect(listening()).toEqual(["focusin", "resize", "scroll"]);
  expect(observed).toHaveBeenCalledTimes(4);
  document.querySelector(".em-toasts")!.replaceChildren();
  await waitUntil(() => expect(listening()).toEqual([]));
  expect(disconnected).toHaveBeenCalledTimes(2);
});
