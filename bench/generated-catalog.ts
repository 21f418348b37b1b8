/**
 * Catalogs for the browser parts, built from the real fixture so every entry passes the
 * platform's catalog validation: `n` copies of the fixture's integrations with new ids and
 * names, and a form integration whose one config page has `fields` string fields.
 */
import { catalogFixture } from "../mock-server/index.ts";
import type { IntegrationDefinition } from "../contract/catalog.ts";

export function generatedCatalog(n: number): IntegrationDefinition[] {
  return Array.from({ length: n }, (_, i) => {
    const base = catalogFixture[i % catalogFixture.length];
    const copy = structuredClone(base);
    copy.id = `${base.id}-${i + 1}`;
    copy.name = `${base.name} ${String(i + 1).padStart(4, "0")}`;
    return copy;
  });
}

export const formId = (fields: number) => `bench-form-${fields}`;

export function formIntegration(fields: number): IntegrationDefinition {
  return {
    id: formId(fields),
    name: `Bench form ${fields}`,
    summary: `One config page with ${fields} text fields.`,
    description: `A generated integration whose wizard page has ${fields} text fields.`,
    category: "Bench",
    labels: ["bench"],
    icon: catalogFixture[0].icon,
    vendor: "Emporium bench",
    configPages: [
      {
        name: "fields",
        title: `${fields} fields`,
        fields: Array.from({ length: fields }, (_, i) => ({ key: `field${i + 1}`, type: "string" as const, label: `Field ${i + 1}` })),
      },
    ],
    flows: [{ id: "noop", name: "No-op", trigger: { kind: "webhook" }, steps: [{ kind: "read-payload", name: "event" }] }],
  };
}
