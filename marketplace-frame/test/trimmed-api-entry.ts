/** What api.test.ts needs, as one module to bundle (see trimmed-api.ts). */
export { createApi } from "../src/api.ts";
export { instancesApi } from "../src/instances-api.ts";
export { EmporiumApiError } from "../../client/error.ts";
export { createTokenKeeper } from "../../client/token.ts";
