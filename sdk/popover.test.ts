// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableIframePageLoading": true}}
import { beforeEach, expect, it, vi } from "vitest";
import { createMarketplace } from "./index.ts";
import { fakeContentWindows, flush } from "./testing/fake-frame.ts";

const open = () => {
  const marketplace = createMarketplace({ frameUrl: "https://platform.example/frame/", organization: "org", getToken: async () => "a.b.c" });
  const closed = vi.fn();
  marketplace.on("close", closed);
  const embed = marketplace.showMarketplace({ popover: true });
  const dialog = embed.frame.closest("dialog")!;
  return { embed, dialog, closed };
};

beforeEach(() => {
  document.body.innerHTML = '<button id="opener">Integrations</button>';
  document.body.style.overflow = "";
  fakeContentWindows();
  document.getElementById("opener")!.focus();
});

it("is a labelled modal dialog opened with showModal()", () => {
  const showModal = vi.spyOn(HTMLDialogElement.prototype, "showModal");
  const { dialog, embed } = open();
  expect(showModal).toHaveBeenCalledOnce();
  expect(dialog.open).toBe(true);
  expect(dialog.getAttribute("role")).toBe("dialog");
  expect(dialog.getAttribute("aria-modal")).toBe("true");
  expect(dialog.getAttribute("aria-label")).toBe(embed.frame.title);
});

it("moves focus into the frame and locks the page scroll while open", () => {
  const { embed } = open();
  expect(document.activeElement).toBe(embed.frame);
  expect(document.body.style.overflow).toBe("hidden");
});

it("has a labelled close button that closes it, emits close and returns focus to the opener", async () => {
  const { dialog, closed, embed } = open();
  const button = dialog.querySelector("button")!;
  expect(button.getAttribute("aria-label")).toBe("Close");
  expect(button.type).toBe("button");
  button.click();
  await flush();
  expect(dialog.isConnected).toBe(false);
  expect(embed.frame.isConnected).toBe(false);
  expect(closed).toHaveBeenCalledOnce();
  expect(document.activeElement!.id).toBe("opener");
  expect(document.body.style.overflow).toBe("");
});

it("Esc (the dialog's cancel) closes it and returns focus", async () => {
  const { dialog, closed } = open();
  const cancel = new Event("cancel", { cancelable: true });
  dialog.dispatchEvent(cancel);
  await flush();
  expect(cancel.defaultPrevented).toBe(true);
  expect(dialog.isConnected).toBe(false);
  expect(closed).toHaveBeenCalledOnce();
  expect(document.activeElement!.id).toBe("opener");
});

it("close() from the host removes it without a close event", async () => {
  const { embed, dialog, closed } = open();
  embed.close();
  embed.close();
  await flush();
  expect(dialog.isConnected).toBe(false);
  expect(closed).not.toHaveBeenCalled();
  expect(document.activeElement!.id).toBe("opener");
});
