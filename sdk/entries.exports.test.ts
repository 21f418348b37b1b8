/**
 * The public surface of each framework entry (emporium/react, emporium/element,
 * emporium/prismatic): its export list is snapshotted (a change is a deliberate API change),
 * and every export carries JSDoc with an `@example`. The core entry: exports.test.ts.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { publicExports } from "./testing/public-exports.ts";

const entries = {
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
