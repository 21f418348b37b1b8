// @vitest-environment happy-dom
import { fireEvent, render, screen } from "@testing-library/preact";
import { expect, it } from "vitest";
import { FrameContext } from "../context.ts";
import { fakePlatform } from "../../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../../test/harness.tsx";
import { lazyScreen } from "./lazy-screen.tsx";

const server = setupFrameServer();

it("a screen whose chunk fails to load once shows a typed error with a retry, not a blank area, and the retry loads it", async () => {
  server.use(...fakePlatform([]).handlers);
  const { frame, view } = await renderFrame({ init: { locale: "de" } });
  view.unmount();
  let loads = 0;
  const Screen = lazyScreen(async () => {
    if (++loads === 1) throw new TypeError("Failed to fetch dynamically imported module: /frame/assets/wizard-abc.js");
    return ({ name }: { name: string }) => <h1>{name}</h1>;
  });
  render(
    <FrameContext.Provider value={frame}>
      <Screen name="Der Assistent" />
    </FrameContext.Provider>,
  );
  const alert = await screen.findByRole("alert");
  expect(alert.textContent).toContain("Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.");
  expect(alert.textContent).not.toContain("wizard-abc.js");
  fireEvent.click(screen.getByRole("button", { name: "Erneut versuchen" }));
  expect(await screen.findByRole("heading", { name: "Der Assistent" })).toBeTruthy();
  expect(loads).toBe(2);
});
