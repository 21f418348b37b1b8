import { afterEach, expect, it, vi } from "vitest";
import { createToastState } from "./toasts.ts";

afterEach(() => vi.useRealTimers());

it("shows one toast at a time: a newer one replaces the one on screen, and each goes after its lifetime", () => {
  vi.useFakeTimers();
  const state = createToastState();
  state.push("error", "Couldn't pause Stripe");
  state.push("success", "Copied to clipboard");
  expect(state.toasts.value.map((t) => [t.kind, t.text])).toEqual([["success", "Copied to clipboard"]]);
  vi.advanceTimersByTime(5000);
  expect(state.toasts.value).toEqual([]);
});
