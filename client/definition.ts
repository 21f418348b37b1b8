/**
 * A definition the client refuses to run: the platform refuses to load an integration whose
 * rules or data sources name a field that does not exist or comes after them
 * (contract/page-references.ts); should one reach a client anyway (an older platform, a cache),
 * the frame and the headless client say so, naming the integration and the field, instead of
 * hiding a field for ever or asking for options nobody can give.
 */
import type { IntegrationDetail } from "../contract/api-types.ts";
import { ClientErrorCode } from "../contract/errors.ts";
import { pageReferenceProblem } from "../contract/page-references.ts";
import { EmporiumApiError } from "./error.ts";

/** Throws `INVALID_DEFINITION` when the integration's pages cannot be used. */
export function assertUsableDefinition(detail: IntegrationDetail): void {
  const problem = pageReferenceProblem(detail.configPages, detail.flows);
  if (problem) throw new EmporiumApiError(ClientErrorCode.InvalidDefinition, `Integration "${detail.id}", ${problem.where}: ${problem.message}`);
}
