/**
 * The wizard core on its own, with a scripted platform. Both wizards run it against real
 * handlers too: marketplace-frame/src/wizard.test.tsx and sdk/headless/wizard.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { DeployResponse, Execution, Instance, IntegrationDetail } from "../contract/api-types.ts";
import { EmporiumApiError } from "./error.ts";
import { createWizardCore, type WizardEmit } from "./wizard.ts";

const integration: IntegrationDetail = {
  id: "stripe",
  name: "Stripe",
  summary: "",
  category: "Payments",
  labels: [],
  icon: "https://x.test/i.svg",
  vendor: "Stripe",
  version: 1,
  allowMultipleInstances: false,
  activation: { state: "needs-configuration", instanceId: "i1", instanceCount: 0, activeCount: 0, updateAvailable: false },
  description: "",
  flows: [],
  configPages: [
    { name: "connect", title: "Connect", fields: [{ key: "stripeKey", label: "Key", type: "connection", connection: { kind: "api-key", app: "Stripe" } }] },
    { name: "payments", title: "Payments", fields: [{ key: "currency", label: "Currency", type: "string", default: "usd" }] },
  ],
};
const instance = (over: Partial<Instance> = {}): Instance => ({
  id: "i1",
  integrationId: "stripe",
  integrationName: "Stripe",
  customerId: "c1",
  name: "Stripe",
  description: "",
  labels: [],
  status: "draft",
  configValues: {},
  completedPages: [],
  flows: [],
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  integrationVersion: 1,
  ...over,
});
const run = (id: string, status: Execution["status"]): Execution => ({
  id, instanceId: "i1", flowId: `flow-${id}`, flowName: id, trigger: "deploy", status, startedAt: "2026-01-01T00:00:00Z", logs: [], stepResults: {},
});

function setup(start: Instance, api: Partial<Parameters<typeof createWizardCore>[0]["api"]> = {}, definition: IntegrationDetail = integration) {
  const events: [string, unknown][] = [];
  const emit: WizardEmit = (event, payload) => void events.push([event, payload]);
  const values: Record<string, { value: unknown }> = {};
  const field = (key: string) => (values[key] ??= { value: undefined });
  const index = { value: -1 };
  const core = createWizardCore({
    integration: definition,
    instance: { value: start },
    index,
    field,
    emit,
    api: {
      saveConfigPage: api.saveConfigPage ?? (async () => start),
      deploy: api.deploy ?? (async () => ({ instance: { ...start, status: "deployed" }, executions: [] })),
      dataSourceOptions: api.dataSourceOptions ?? (async () => ({ options: [], truncated: false })),
      renameInstance: api.renameInstance ?? (async (_id, name) => ({ ...start, name })),
      cancelUpgrade: api.cancelUpgrade ?? (async () => start),
    },
  });
  return { core, events, index, value: (key: string) => field(key).value, set: (key: string, value: unknown) => void (field(key).value = value) };
}

describe("wizard core", () => {
  it("starts each field at its saved value or default, and resumes after the saved pages (a reconfigure from the first)", () => {
    const draft = setup(instance({ completedPages: ["connect"], configValues: { stripeKey: { kind: "api-key", apiKey: { secret: "set" } } } }));
    expect(draft.index.value).toBe(1);
    expect(draft.value("currency")).toBe("usd");
    expect(draft.value("stripeKey")).toEqual({ kind: "api-key" });
    expect(draft.core.storedSecrets.has("stripeKey")).toBe(true);
    const deployed = setup(instance({ status: "deployed", completedPages: ["connect", "payments"], configValues: { currency: "eur" } }));
    expect(deployed.core.reconfigure).toBe(true);
    expect(deployed.index.value).toBe(0);
    expect(deployed.value("currency")).toBe("eur");
  });

  it("S2 a saved page sends the typed secret once, then holds only the stored form and never re-sends it", async () => {
    const sent: unknown[] = [];
    const stored = instance({ completedPages: ["connect"], configValues: { stripeKey: { kind: "api-key", apiKey: { secret: "set" } } } });
    const w = setup(instance(), { saveConfigPage: async (_id, _page, values) => (sent.push(values), stored) });
    w.set("stripeKey", { kind: "api-key", apiKey: "sk_test_typed" });
    await w.core.save(integration.configPages[0]!);
    expect(w.value("stripeKey")).toEqual({ kind: "api-key" });
    expect(w.core.storedSecrets.has("stripeKey")).toBe(true);
    await w.core.save(integration.configPages[0]!);
    expect(sent).toEqual([{ stripeKey: { kind: "api-key", apiKey: "sk_test_typed" } }, { stripeKey: { kind: "api-key" } }]);
  });

  it("D2 keeps the Idempotency-Key across an unknown outcome and takes a new one after a known failure; fires the deploy events, then closed once", async () => {
    const keys: string[] = [];
    const answers: (() => DeployResponse)[] = [
      () => {
        throw new EmporiumApiError("NETWORK_ERROR");
      },
      () => {
        throw new EmporiumApiError("INSTANCE_NOT_CONFIGURED", "Finish the config first", 409);
      },
      () => ({ instance: instance({ status: "deployed" }), executions: [run("ok", "succeeded"), run("bad", "failed")] }),
    ];
    const w = setup(instance(), { deploy: async (_id, key) => (keys.push(key), answers[keys.length - 1]!()) });
    await expect(w.core.deploy()).rejects.toMatchObject({ code: "NETWORK_ERROR" });
    await expect(w.core.deploy()).rejects.toMatchObject({ code: "INSTANCE_NOT_CONFIGURED" });
    const result = await w.core.deploy();
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
    expect(result.instance.status).toBe("deployed");
    w.core.close();
    const ids = { integrationId: "stripe", instanceId: "i1" };
    expect(w.events).toEqual([
      ["instance-deployed", { ...ids, integrationName: "Stripe" }],
      ["execution-failed", { ...ids, executionId: "bad", flowId: "flow-bad" }],
      ["instance-configuration-closed", ids],
    ]);
  });

  it("a platform field error lands on the page that owns the field, and cancel fires canceled then closed, once", async () => {
    const w = setup(instance({ completedPages: ["connect"] }), {
      saveConfigPage: async () => {
        throw new EmporiumApiError("VALIDATION_FAILED", "bad", 422, { stripeKey: "Enter the Stripe API key." });
      },
    });
    expect(w.index.value).toBe(1);
    await expect(w.core.save(integration.configPages[1]!)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(w.index.value).toBe(0);
    w.core.cancel();
    w.core.cancel();
    w.core.close();
    const ids = { integrationId: "stripe", instanceId: "i1" };
    expect(w.events).toEqual([
      ["instance-configuration-page-loaded", { ...ids, pageName: "connect", pageIndex: 0, pageCount: 2 }],
      ["instance-configuration-canceled", ids],
      ["instance-configuration-closed", ids],
    ]);
    expect(w.core.open).toBe(false);
  });

  describe("upgrade mode", () => {
    const v2: IntegrationDetail = {
      ...integration,
      version: 2,
      configPages: [
        integration.configPages[0],
        { name: "payments", title: "Payments", fields: [{ key: "currency", label: "Currency", type: "string", default: "usd" }, { key: "region", label: "Region", type: "string", required: true }] },
      ],
    };
    const upgrading = instance({
      status: "deployed",
      upgrade: {
        toVersion: 2,
        startedAt: "2026-01-02T00:00:00Z",
        plan: { fromVersion: 1, toVersion: 2, kept: ["stripeKey", "currency"], renamed: [], removed: [], added: ["region"], asks: [{ key: "region", page: "payments", reason: "new", problem: "This field is required." }], pages: ["payments"], needsInput: true },
      },
    });

    it("walks only the pages the upgrade asks about, saves and deploys against its version, then says instance-upgraded", async () => {
      const saved: Array<[string, number | undefined]> = [];
      const deployed: Array<number | undefined> = [];
      const { core, events } = setup(
        upgrading,
        {
          saveConfigPage: async (_id, page, _values, version) => (saved.push([page, version]), upgrading),
          deploy: async (_id, _key, version) => (deployed.push(version), { instance: { ...upgrading, upgrade: undefined, integrationVersion: 2 }, executions: [] }),
        },
        v2,
      );
      expect(core.pages.map((p) => p.name)).toEqual(["payments"]);
      await core.save(core.pages[0]!);
      await core.deploy();
      expect(saved).toEqual([["payments", 2]]);
      expect(deployed).toEqual([2]);
      expect(events.filter(([e]) => e == "instance-upgraded")).toEqual([["instance-upgraded", { integrationId: "stripe", instanceId: "i1", fromVersion: 1, toVersion: 2 }]]);
    });

    it("discarding drops the upgrade on the platform, then canceled and closed, once", async () => {
      let dropped = 0;
      const { core, events } = setup(upgrading, { cancelUpgrade: async () => (dropped++, instance({ status: "deployed" })) }, v2);
      const after = await core.discardUpgrade();
      expect(after.upgrade).toBeUndefined();
      expect(dropped).toBe(1);
      expect(events.map(([e]) => e)).toEqual(["instance-configuration-canceled", "instance-configuration-closed"]);
    });

    it("renames only when the trimmed name changed", async () => {
      const names: string[] = [];
      const { core } = setup(instance(), { renameInstance: async (_id, name) => (names.push(name), instance({ name })) });
      await core.rename(" Stripe ");
      await core.rename(" EU payments ");
      expect(names).toEqual(["EU payments"]);
    });
  });
});
