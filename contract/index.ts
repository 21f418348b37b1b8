/** The Emporium contract: the REST API and the host ↔ frame protocol, written once. */
export * from "./errors.ts";
export * from "./config-vars.ts";
export * from "./catalog.ts";
export * from "./api.ts";
export * from "./org-api.ts";
export * from "./scenario.ts";
export * from "./theme.ts";
export * from "./protocol.ts";
export * from "./schedule.ts";
export * from "./xml-well-formed.ts";
export * from "./validate-config.ts";
