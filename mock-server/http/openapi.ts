/**
 * The OpenAPI 3.1 document of the platform API, generated from the route table (route-table.ts)
 * and the zod contract, so a team can implement a real backend (and run
 * mock-server/http/api.conformance.test.ts against it). Paths come from the contract's path
 * functions, bodies and responses from its schemas (zod 4's JSON Schema output, named as in
 * schemas.ts), error statuses from `apiErrorStatus`. Nothing here restates a field or a route.
 *
 *   tsx mock-server/http/openapi.ts --write   regenerates docs/openapi.json
 *   tsx mock-server/http/openapi.ts           prints it
 *
 * mock-server/http/openapi.test.ts fails when docs/openapi.json and the contract disagree.
 */
import * as z from "zod/mini";
import { ApiErrorCode, apiErrorStatus } from "../../contract/errors.ts";
import { apiSchemas, type SchemaName } from "./schemas.ts";
import { routeTable } from "./route-table.ts";
import { routeTemplate, type RouteInfo } from "./route.ts";

export const OPENAPI_FILE = "docs/openapi.json";
export const OPENAPI_REGENERATE_COMMAND = "npx tsx mock-server/http/openapi.ts --write";

/** The routes the document describes: all but the stand-in OAuth provider's. */
export const documentedRoutes: readonly RouteInfo[] = routeTable.filter((route) => !route.undocumented);

const C = ApiErrorCode;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function jsonSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(apiSchemas)) registry.add(schema as z.ZodMiniType, { id });
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", uri: (id) => `#/components/schemas/${id}`, unrepresentable: "any" });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, Json>;
    out[id === "__shared" ? "Shared" : id] = rest;
  }
  // A condition is checked by a hand-written validator (contract/conditions.ts isCondition, not a
  // recursive zod schema), so its grammar is written here once for the document.
  const self = { $ref: "#/components/schemas/Condition" };
  const value: Json = { oneOf: [{ type: "string", maxLength: 200 }, { type: "number" }, { type: "boolean" }] };
  const field = { type: "string", pattern: "^[a-zA-Z][a-zA-Z0-9_]{0,63}$" };
  const only = (properties: Record<string, Json>): Json => ({ type: "object", properties, required: Object.keys(properties), additionalProperties: false });
  out.Condition = {
    description: "A condition on earlier fields' values, nested at most 8 deep.",
    oneOf: [
      only({ field, equals: value }),
      only({ field, oneOf: { type: "array", items: value, minItems: 1, maxItems: 100 } }),
      only({ field, isSet: { type: "boolean" } }),
      only({ all: { type: "array", items: self, minItems: 1, maxItems: 20 } }),
      only({ any: { type: "array", items: self, minItems: 1, maxItems: 20 } }),
      only({ not: self }),
    ],
  };
  // Name the code: the platform only ever answers with the contract's codes.
  out.ApiErrorCode = { type: "string", enum: Object.values(ApiErrorCode) };
  const error = (((out.ApiError as { properties: Record<string, Json> }).properties.error as { properties: Record<string, Json> }).properties);
  error.code = { $ref: "#/components/schemas/ApiErrorCode" };
  return JSON.parse(JSON.stringify(out).replaceAll('"#/components/schemas/__shared', '"#/components/schemas/Shared')) as Record<string, Json>;
}

function queryParameters(query: z.ZodMiniObject): Json[] {
  const schema = z.toJSONSchema(query, { target: "draft-2020-12", unrepresentable: "any" }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const parameter: Record<string, Json> = { name, in: "query", required: (schema.required ?? []).includes(name), schema: property };
    if ((property as { type?: string }).type === "array") Object.assign(parameter, { style: "form", explode: true });
    return parameter;
  });
}

const ref = (name: SchemaName): Json => ({ $ref: `#/components/schemas/${name}` });

function errorResponses(operation: RouteInfo): Record<string, Json> {
  const codes = new Set<ApiErrorCode>(operation.errors);
  if (operation.auth === "customer") {
    for (const code of Object.values(ApiErrorCode)) if (code.startsWith("TOKEN_")) codes.add(code);
  }
  if (operation.auth === "org") codes.add(C.OrgKeyInvalid);
  codes.add(C.ServerError);
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(apiErrorStatus[code], [...(byStatus.get(apiErrorStatus[code]) ?? []), code]);
  const out: Record<string, Json> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = { description: `Error: ${list.join(", ")}`, content: { "application/json": { schema: ref("ApiError") } } };
  }
  return out;
}

function operationObject(operation: RouteInfo): Json {
  const parameters: Json[] = (operation.params ?? []).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
  if (operation.query) parameters.push(...queryParameters(operation.query));
  for (const header of operation.headers ?? []) parameters.push({ name: header.name, in: "header", required: false, description: header.description, schema: { type: "string" } });
  const responses: Record<string, Json> = {};
  for (const r of operation.responses) {
    const response: Record<string, Json> = { description: r.description };
    if (r.schema) response.content = { "application/json": { schema: ref(r.schema) } };
    if (r.html) response.content = { "text/html": { schema: { type: "string" } } };
    if (r.image) response.content = { "image/svg+xml": { schema: { type: "string" } }, "image/png": { schema: { type: "string", contentMediaType: "image/png" } } };
    if (r.headers) response.headers = Object.fromEntries(Object.entries(r.headers).map(([name, value]) => [name, { schema: { type: "string", const: value } }]));
    responses[String(r.status)] = response;
  }
  Object.assign(responses, Object.fromEntries(Object.entries(errorResponses(operation)).filter(([status]) => !(status in responses))));
  const result: Record<string, Json> = {
    operationId: operation.operationId,
    summary: operation.summary,
    tags: [operation.tag],
    security: operation.auth === "customer" ? [{ customerJwt: [] }] : operation.auth === "org" ? [{ orgApiKey: [] }] : [],
  };
  if (parameters.length) result.parameters = parameters;
  if (operation.body) {
    result.requestBody =
      "any" in operation.body
        ? { required: false, description: operation.body.description, content: { "application/json": { schema: {} } } }
        : {
            required: operation.body.required ?? true,
            ...(operation.body.description ? { description: operation.body.description } : {}),
            content: { "application/json": { schema: ref(operation.body.schema) } },
          };
  }
  result.responses = responses;
  if (operation.mockOnly) result["x-emporium-mock-only"] = true;
  return result;
}

/** The whole document; deterministic (same contract → same bytes). */
export function buildOpenApiDocument(): Record<string, Json> {
  const pathItems: Record<string, Record<string, Json>> = {};
  for (const operation of documentedRoutes) {
    const template = routeTemplate(operation);
    (pathItems[template] ??= {})[operation.method] = operationObject(operation);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Emporium platform API",
      version: "1",
      description:
        "The REST API behind the Emporium embeddable integration marketplace, generated from the zod contract (contract/*.ts). " +
        "Customer endpoints take a customer JWT signed by the organization's backend (RS256/ES256, `kid` header); organization endpoints " +
        "take an organization API key (`org_…`). Neither is accepted where the other is expected. Errors are `{ error: { code, message, fields?, page? } }`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "http://127.0.0.1:4100", description: "The local mock platform (npm start)" }],
    tags: [
      { name: "public", description: "No credential (the embed configuration, webhooks with their unguessable token, the OAuth callback)" },
      { name: "customer", description: "Customer-scoped API (the marketplace frame and the headless client)" },
      { name: "organization", description: "The organization's API, server-to-server only" },
      { name: "mock platform", description: "Served only by the mock platform in demo/test mode" },
    ],
    paths: pathItems as Record<string, Json>,
    components: {
      securitySchemes: {
        customerJwt: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A customer JWT signed by the organization's backend with RS256 or ES256 and a `kid` header. Required claims: sub, organization, customer, iat, exp; " +
            "optional name, external_id, customer_name, role (admin | viewer), aud (\"emporium\"), iss (the organization id). jku/x5u/jwk/x5c headers are refused.",
        },
        orgApiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "org_…",
          description: "An organization API key (`org_` prefix). The platform stores only its SHA-256. Server-to-server only: never send it from a browser.",
        },
      },
      schemas: jsonSchemas(),
    },
  };
}

export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

// `tsx mock-server/http/openapi.ts [--write]`. Node's modules are loaded only when run as a
// command: the generator itself is plain code, like the rest of http/.
if (globalThis.process?.argv[1]) {
  const { fileURLToPath } = await import("node:url");
  const { dirname, resolve } = await import("node:path");
  if (resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const text = openApiText();
    if (process.argv.includes("--write")) {
      const { mkdirSync, writeFileSync } = await import("node:fs");
      const file = resolve(fileURLToPath(new URL("../..", import.meta.url)), OPENAPI_FILE);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`wrote ${OPENAPI_FILE} (${documentedRoutes.length} operations)`);
    } else {
      process.stdout.write(text);
    }
  }
}
