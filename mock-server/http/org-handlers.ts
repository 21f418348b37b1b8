/**
 * The organization API as MSW handlers (`/api/v1/org/...`): authenticated only with an
 * organization API key, server-to-server (no CORS: a browser must never hold the key).
 * Requests and responses are validated with contract/org-api.ts, like the customer API.
 */
import { http, type HttpHandler } from "msw";
import * as z from "zod/mini";
import { executionList } from "../../contract/api.ts";
import {
  ORG_INSTANCE_QUERY_PARAMS,
  ORG_SEARCH_MAX_LENGTH,
  orgCustomerList,
  orgDeleteResponse,
  orgDeployRequest,
  orgDeployResponse,
  orgInstance,
  orgInstancePage,
  orgInstanceQuery,
  orgInstanceUpdate,
  orgIntegration,
  orgIntegrationList,
} from "../../contract/org-api.ts";
import { ApiErrorCode, PlatformError } from "../domain/errors.ts";
import { readJsonBody } from "./request-body.ts";
import type { Platform } from "../domain/platform.ts";
import type { RouteKit } from "./handlers.ts";

/** A request body checked with a contract schema: 400 BAD_REQUEST naming the first bad field. */
function parseBody<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join(".");
  throw new PlatformError(ApiErrorCode.BadRequest, `Invalid ${what}${path ? ` at ${path}` : ""}: ${issue.message}`);
}

function refuseQuery(request: Request): void {
  const keys = [...new URL(request.url).searchParams.keys()];
  if (keys.length > 0) throw new PlatformError(ApiErrorCode.BadRequest, `This endpoint takes no query parameters; got "${keys[0]}".`);
}

/** Reads the instance search query: unknown or repeated parameters are refused with a reason. */
export function readInstanceQuery(search: URLSearchParams) {
  const raw: Record<string, unknown> = {};
  const allowed: readonly string[] = ORG_INSTANCE_QUERY_PARAMS;
  for (const [key, value] of search) {
    if (!allowed.includes(key)) {
      throw new PlatformError(ApiErrorCode.BadRequest, `Unknown filter "${key}"; use ${ORG_INSTANCE_QUERY_PARAMS.join(", ")}.`);
    }
    if (key === "label") {
      (raw.label as string[] | undefined) ?? (raw.label = []);
      (raw.label as string[]).push(value);
      continue;
    }
    if (Object.hasOwn(raw, key)) throw new PlatformError(ApiErrorCode.BadRequest, `"${key}" is given more than once.`);
    if ((key === "q" || key === "description") && value.length > ORG_SEARCH_MAX_LENGTH) {
      throw new PlatformError(ApiErrorCode.BadRequest, `"${key}" is longer than ${ORG_SEARCH_MAX_LENGTH} characters.`);
    }
    if (key === "limit") {
      if (!/^\d{1,4}$/.test(value)) throw new PlatformError(ApiErrorCode.BadRequest, `"limit" must be a whole number from 1 to 100.`);
      raw.limit = Number(value);
      continue;
    }
    raw[key] = value;
  }
  const query = parseBody(orgInstanceQuery, raw, "filters");
  // An empty filter value means "no filter" (a cleared search box), not "match the empty string".
  for (const key of ["q", "description", "integration", "customer"] as const) if (query[key] === "") delete query[key];
  return query;
}

export function createOrgHandlers(platform: Platform, { api, route, json }: RouteKit): HttpHandler[] {
  const org = (path: string) => api(`/org${path}`);
  const noCors = { cors: false };
  return [
    http.get(
      org("/customers"),
      route(async ({ request, organization }) => {
        const who = await organization();
        refuseQuery(request);
        return json(orgCustomerList, { customers: platform.listCustomers(who) }, request);
      }, noCors),
    ),

    http.post(
      org("/customers/:customerId/instances"),
      route(async ({ request, params, organization, origin }) => {
        const who = await organization();
        const { text, value } = await readJsonBody(request);
        const body = parseBody(orgDeployRequest, value, "deploy request");
        const key = request.headers.get("idempotency-key");
        const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text.trim() === "" ? "{}" : JSON.stringify(value)));
        const fingerprint = `POST ${new URL(request.url).pathname} ${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
        const result = await platform.orgDeploy(who, params.customerId, body, {
          origin,
          fingerprint,
          ...(key !== null ? { idempotencyKey: key } : {}),
        });
        return json(orgDeployResponse, result.body, request, {
          status: result.status,
          headers: result.replayed ? { "Idempotent-Replayed": "true" } : {},
        });
      }, noCors),
    ),

    http.get(
      org("/integrations"),
      route(async ({ request, organization }) => {
        await organization();
        refuseQuery(request);
        return json(orgIntegrationList, platform.orgIntegrations(), request);
      }, noCors),
    ),

    http.get(
      org("/integrations/:id"),
      route(async ({ request, params, organization }) => {
        await organization();
        return json(orgIntegration, platform.orgIntegration(params.id), request);
      }, noCors),
    ),

    http.get(
      org("/instances"),
      route(async ({ request, organization, origin }) => {
        const who = await organization();
        const query = readInstanceQuery(new URL(request.url).searchParams);
        return json(orgInstancePage, platform.searchInstances(who, query, origin), request);
      }, noCors),
    ),

    http.get(
      org("/instances/:id"),
      route(async ({ request, params, organization, origin }) => json(orgInstance, platform.orgGetInstance(await organization(), params.id, origin), request), noCors),
    ),

    http.patch(
      org("/instances/:id"),
      route(async ({ request, params, organization, origin }) => {
        const who = await organization();
        const body = parseBody(orgInstanceUpdate, (await readJsonBody(request)).value, "instance update");
        return json(orgInstance, platform.orgUpdateInstance(who, params.id, body, origin), request);
      }, noCors),
    ),

    http.delete(
      org("/instances/:id"),
      route(async ({ request, params, organization }) => json(orgDeleteResponse, await platform.orgDelete(await organization(), params.id), request), noCors),
    ),

    http.post(
      org("/instances/:id/pause"),
      route(async ({ request, params, organization, origin }) => json(orgInstance, platform.orgPause(await organization(), params.id, origin), request), noCors),
    ),

    http.post(
      org("/instances/:id/resume"),
      route(async ({ request, params, organization, origin }) => json(orgInstance, platform.orgResume(await organization(), params.id, origin), request), noCors),
    ),

    http.get(
      org("/instances/:id/executions"),
      route(async ({ request, params, organization }) =>
        json(executionList, { executions: platform.orgExecutions(await organization(), params.id) }, request), noCors),
    ),
  ];
}
