/**
 * The public surface of the SDK: the export list of sdk/index.ts is snapshotted (a change is a
 * deliberate API change), and every export must carry JSDoc with an `@example`.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as sdk from "./index.ts";
import { publicExports } from "./testing/public-exports.ts";

const entry = publicExports(fileURLToPath(new URL("./index.ts", import.meta.url)));

describe("sdk/index.ts exports", () => {
  it("are exactly these (values and types)", () => {
    expect(entry.names).toMatchInlineSnapshot(`
      [
        "ConfigVarOverrides",
        "ConfigureTarget",
        "Embed",
        "EmbedTarget",
        "EmporiumError",
        "ErrorCode",
        "EventHandler",
        "EventName",
        "EventPayloads",
        "Marketplace",
        "MarketplaceFilters",
        "MarketplaceOptions",
        "Theme",
        "ThemeMode",
        "createMarketplace",
      ]
    `);
    expect(Object.keys(sdk).sort()).toEqual(["EmporiumError", "createMarketplace"]);
  });

  it.each(entry.symbols)("%s has JSDoc with an @example", (_, symbol) => entry.checkJsDoc(symbol));
});
