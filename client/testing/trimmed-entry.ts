/** What call.test.ts needs, as one module to bundle (see trimmed.ts). */
export { createCall } from "../call.ts";
export { getEmbedConfig, marketplaceApi } from "../marketplace-api.ts";
export { instancesApi } from "../instances-api.ts";
export { EmporiumApiError } from "../error.ts";
export { createTokenKeeper } from "../token.ts";
