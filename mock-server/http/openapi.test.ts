import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { connectionPaths, paths } from "../../contract/api.ts";
import { orgPaths } from "../../contract/org-api.ts";
import { notificationPaths } from "../../contract/org-notifications.ts";
import { orgActivityPaths } from "../../contract/org-activity.ts";
import { scenarioPath } from "../../contract/scenario.ts";
import { ApiErrorCode } from "../../contract/errors.ts";
import { OPENAPI_FILE, OPENAPI_REGENERATE_COMMAND, buildOpenApiDocument, openApiText } from "./openapi.ts";
import { pathTemplate, routeTemplate } from "./route.ts";
import { routeTable } from "./route-table.ts";

type Doc = {
  paths: Record<string, Record<string, { operationId: string; security: Array<Record<string, unknown>>; parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown>; tags: string[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
};
const doc = buildOpenApiDocument() as unknown as Doc;
/** "/a/{x}/b/{y}" → "/a/{}/b/{}": compares templates whatever the parameter names. */
const shape = (template: string) => template.replace(/\{[^}]+\}/g, "{}");
const templateOf = (fn: (...args: string[]) => string) => pathTemplate(fn, Array.from({ length: fn.length }, (_, i) => `p${i}`));

describe("OpenAPI document", () => {
  it("docs/openapi.json is what the contract generates", () => {
    const committed = readFileSync(fileURLToPath(new URL(`../../${OPENAPI_FILE}`, import.meta.url)), "utf8");
    expect(committed === openApiText(), `${OPENAPI_FILE} differs from the contract; regenerate it with: ${OPENAPI_REGENERATE_COMMAND}`).toBe(true);
  });

  it("has every path of the customer API, the organization API and the scenario switch", () => {
    const documented = new Set(Object.keys(doc.paths).map(shape));
    const expected = [...Object.values(paths), ...Object.values(connectionPaths), ...Object.values(orgPaths), ...Object.values(notificationPaths), ...Object.values(orgActivityPaths), scenarioPath].map((fn) => shape(templateOf(fn as (...a: string[]) => string)));
    expect(expected.filter((p) => !documented.has(p))).toEqual([]);
    expect(documented.size).toBe(new Set(expected).size);
  });

  it("documents every route of the one route table but the stand-in OAuth provider's, and nothing else", () => {
    const documented = Object.entries(doc.paths).flatMap(([template, item]) => Object.entries(item).map(([method, operation]) => `${method} ${template} ${operation.operationId}`));
    const table = routeTable.filter((route) => !route.undocumented).map((route) => `${route.method} ${routeTemplate(route)} ${route.operationId}`);
    expect(documented.sort()).toEqual(table.sort());
    expect(new Set(routeTable.map((route) => route.operationId)).size).toBe(routeTable.length);
    expect(routeTable.filter((route) => route.undocumented).map((route) => route.tag)).toEqual(Array(5).fill("mock OAuth provider"));
  });

  it("declares every path parameter, a response for every operation, and resolvable $refs", () => {
    for (const [template, item] of Object.entries(doc.paths)) {
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item)) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        expect(declared, `${method} ${template}`).toEqual(names);
        expect(Object.keys(operation.responses).length, `${method} ${template}`).toBeGreaterThan(1);
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      const path = ref.slice("#/components/schemas/".length).split("/");
      let node: unknown = doc.components.schemas;
      for (const part of path) node = (node as Record<string, unknown>)?.[part];
      expect(node, ref).toBeDefined();
    }
  });

  it("secures customer endpoints with the JWT and organization endpoints with the org API key, never both", () => {
    expect(doc.components.securitySchemes.customerJwt).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.orgApiKey).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const operation of Object.values(item)) {
        const schemes = operation.security.flatMap((s) => Object.keys(s));
        if (template.startsWith("/api/v1/org/")) expect(schemes).toEqual(["orgApiKey"]);
        else if (operation.tags.includes("customer")) expect(schemes).toEqual(["customerJwt"]);
        else expect(schemes).toEqual([]);
      }
    }
  });

  it("names every error code of the contract", () => {
    expect(doc.components.schemas.ApiErrorCode).toEqual({ type: "string", enum: Object.values(ApiErrorCode) });
    const org = doc.paths["/api/v1/org/instances"].get.responses as Record<string, { description: string }>;
    expect(org["400"].description).toContain("INVALID_CURSOR");
    expect(org["401"].description).toContain("ORG_KEY_INVALID");
  });
});
