/**
 * The public surface of the core entry (`emporium`, sdk/index.ts) and of each framework entry
 * (emporium/react, emporium/element, emporium/prismatic): its export list, values and types, is
 * written here (a change is a deliberate API change), and every export carries JSDoc with an
 * `@example`. The headless client's: sdk/headless/exports.test.ts.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { publicExports } from "./testing/public-exports.ts";

const entries = {
  index: [
    "ActivityScreen", "ConfigVarOverrides", "ConfigureTarget", "Embed", "EmbedTarget", "EmporiumError", "ErrorCode", "EventHandler", "EventName",
    "EventPayloads", "Marketplace", "MarketplaceFilters", "MarketplaceOptions", "ScreenOptions", "Theme", "ThemeMode", "createMarketplace",
  ],
  react: ["Marketplace", "MarketplaceEventProps", "MarketplaceProps", "UseMarketplaceOptions", "useMarketplace"],
  element: ["MarketplaceElement", "defineMarketplaceElement"],
  prismatic: [
    "BooleanOperator", "ConfigureInstanceProps", "NotSupportedError", "PrismaticMessageEvent", "PrismaticOptions", "ScreenOptions", "TermOperator",
    "authenticate", "closePopover", "configureInstance", "createWorkflow", "default", "dispose", "editInstanceConfiguration", "editUserLevelConfiguration",
    "getMessageIframe", "graphqlRequest", "init", "queryWorkflows", "setConfigVars", "showComponent", "showComponents", "showConnections",
    "showDashboard", "showDesigner", "showIntegrations", "showLogs", "showMarketplace", "showWorkflow", "showWorkflows",
  ],
};

describe.each(Object.entries(entries))("sdk/%s.ts exports", (name, expected) => {
  const entry = publicExports(fileURLToPath(new URL(`./${name}.ts`, import.meta.url)));
  it("are exactly these (values and types)", () => expect(entry.names).toEqual(expected));
  it.each(entry.symbols)("%s has JSDoc with an @example", (_, symbol) => entry.checkJsDoc(symbol));
});

it("the core entry's run-time exports are the error class and createMarketplace (the rest are types)", async () => {
  expect(Object.keys(await import("./index.ts")).sort()).toEqual(["EmporiumError", "createMarketplace"]);
});
