/**
 * Builds a platform state at the size real users reach (issue 18): 10,000 customers, 50,000
 * instances and 1,000,000 executions, in the same SQLite database, written through the same
 * backend (secrets sealed, executions indexed) that `startPlatformServer` opens.
 *
 * The records are not invented: the real platform first deploys a Stripe instance (customer REST
 * API, as the frame does) and a Jira instance (organization API) and runs their webhooks; those
 * records and executions are the templates the rest are cloned from, with fresh ids, webhook
 * tokens, names, labels, statuses and start times. A copy of the state taken right after the
 * templates exist ("small": 2 instances) is the floor the scale figures are printed against.
 *
 *   npx tsx bench/seed-scale.ts <dir> [customers instances executions]
 */
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEMO_ORG_API_KEY,
  loadSecretKeys,
  newId,
  newSecretToken,
  newTimeId,
  SqliteBackend,
  startPlatformServer,
  type CustomerRecord,
  type InstanceRecord,
  type RecordWrite,
  type StoredExecution,
} from "../mock-server/index.ts";
import { deployStripeWebhook, STRIPE_EVENT } from "./deploy-webhook.ts";

export interface ScaleSizes {
  customers: number;
  instances: number;
  executions: number;
}

export const FULL_SCALE: ScaleSizes = { customers: 10_000, instances: 50_000, executions: 1_000_000 };

export interface ScaleSeed {
  /** The state at scale. */
  stateFile: string;
  /** The same platform's state with only the two template instances (the floor); `<it>.seed` is its pristine copy. */
  smallStateFile: string;
  /** Path of the Stripe template's webhook (the same on any port). */
  webhookPath: string;
  sizes: ScaleSizes;
  /** Filter values that exist in the seeded state, for the search measurements. */
  samples: { customerId: string; label: string; nameWord: string; descriptionWord: string };
  seedMs: number;
}

const LABELS = ["prod", "staging", "eu", "us", "apac", "vip", "trial", "beta", "churn-risk", "enterprise"];
const ENVIRONMENTS = ["Production", "Staging", "EU", "US", "Sandbox", "Support desk", "Finance", "Ops"];
const DAY = 24 * 60 * 60 * 1000;

/** A small deterministic generator (mulberry32), so two seeds of the same size are alike. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function templates(dir: string): Promise<{ stateFile: string; webhookPath: string }> {
  const stateFile = join(dir, "platform.db");
  const server = await startPlatformServer({ host: "127.0.0.1", port: 0, stateFile, policy: { webhookRateLimit: null } });
  try {
    const webhookUrl = await deployStripeWebhook(server.url);
    const org = { Authorization: `Bearer ${DEMO_ORG_API_KEY}`, "Content-Type": "application/json" };
    const customers = (await (await fetch(`${server.url}/api/v1/org/customers`, { headers: org })).json()) as { customers: Array<{ id: string; externalId: string }> };
    const acme = customers.customers.find((c) => c.externalId === "acme-corp")!;
    const jira = await fetch(`${server.url}/api/v1/org/customers/${acme.id}/instances`, {
      method: "POST",
      headers: { ...org, "Idempotency-Key": "scale-seed-jira" },
      body: JSON.stringify({
        integrationId: "jira",
        values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ops@acme.example", password: "seed-password-1" }, projectKey: "OPS" },
      }),
    });
    if (jira.status !== 201) throw new Error(`the Jira template deploy answered ${jira.status}: ${await jira.text()}`);
    const jiraHook = ((await jira.json()) as { instance: { flows: Array<{ webhookUrl?: string }> } }).instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    // A few runs of each, succeeded and failed, to clone executions from.
    for (let i = 0; i < 4; i++) {
      await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: STRIPE_EVENT });
      await fetch(jiraHook, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ summary: `Seed issue ${i}`, priority: "High" }) });
    }
    return { stateFile, webhookPath: new URL(webhookUrl).pathname };
  } finally {
    await server.close();
  }
}

export async function seedScale(dir: string, sizes: ScaleSizes = FULL_SCALE, log: (line: string) => void = () => {}): Promise<ScaleSeed> {
  const started = performance.now();
  mkdirSync(join(dir, "small"), { recursive: true });
  const { stateFile, webhookPath } = await templates(dir);
  const smallStateFile = join(dir, "small", "platform.db");
  // Kept as the seed left it: each bench run starts its floor from this copy.
  copyFileSync(stateFile, `${smallStateFile}.seed`);
  copyFileSync(`${stateFile}.key`, `${smallStateFile}.seed.key`);

  const backend = new SqliteBackend(stateFile, { secrets: loadSecretKeys(`${stateFile}.key`).box });
  try {
    const instances: InstanceRecord[] = [];
    for (const { kind, record } of backend.loadRecords()) if (kind === "instances") instances.push(record as InstanceRecord);
    const byIntegration = new Map(instances.map((i) => [i.integrationId, i]));
    const template = [byIntegration.get("stripe")!, byIntegration.get("jira")!];
    const runs = new Map(
      template.map((t) => [t.id, backend.executions.page({ organizationId: t.organizationId, instanceId: t.id }, { limit: 50 })] as const),
    );
    for (const t of template) if (!runs.get(t.id)?.length) throw new Error(`no template executions for ${t.integrationId}`);

    const rnd = random(18);
    const now = Date.now();
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
    let batch: RecordWrite[] = [];
    const flush = async (force = false) => {
      if (batch.length >= 5000 || (force && batch.length > 0)) {
        await backend.write(batch);
        batch = [];
      }
    };

    const customers: CustomerRecord[] = [];
    for (let c = 0; c < sizes.customers; c++) {
      const id = `customer-${String(c).padStart(5, "0")}`;
      const record: CustomerRecord = { id: newId("cus"), organizationId: "demo", externalId: id, name: `Customer ${String(c).padStart(5, "0")}`, createdAt: now - Math.floor(rnd() * 365 * DAY) };
      customers.push(record);
      batch.push({ kind: "customers", id: record.id, record });
      await flush();
    }
    log(`  ${customers.length} customers`);

    const seeded: InstanceRecord[] = [];
    for (let n = 0; n < sizes.instances; n++) {
      const customer = customers[n % customers.length]!;
      const base = template[n % 2]!;
      const createdAt = customer.createdAt + Math.floor(rnd() * (now - customer.createdAt));
      const roll = rnd();
      const status = roll < 0.8 ? "deployed" : roll < 0.95 ? "paused" : "draft";
      const labels = [...new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => pick(LABELS)))];
      const environment = pick(ENVIRONMENTS);
      const record: InstanceRecord = {
        ...structuredClone(base),
        id: newId("ins"),
        customerId: customer.id,
        name: `${base.name} ${environment}`,
        description: `${customer.name}'s ${environment.toLowerCase()} ${base.integrationId} sync`,
        labels,
        status,
        webhookTokens: status === "draft" ? {} : Object.fromEntries(Object.keys(base.webhookTokens).map((flow) => [flow, newSecretToken()])),
        createdAt,
        updatedAt: createdAt,
        ...(status === "draft" ? {} : { deployedAt: createdAt }),
      };
      if (status === "draft") delete record.deployedAt;
      seeded.push(record);
      batch.push({ kind: "instances", id: record.id, record });
      await flush();
    }
    await flush(true);
    log(`  ${seeded.length} instances`);

    // Executions: spread evenly over the deployed and paused instances, started in the last week
    // (inside the default retention of 30 days), a tenth of them failed.
    const running = seeded.filter((i) => i.status !== "draft");
    let written = 0;
    for (let e = 0; e < sizes.executions; e++) {
      const instance = running[e % running.length]!;
      const base = pick(runs.get(template[instance.integrationId === "stripe" ? 0 : 1]!.id)!);
      const startedAt = now - Math.floor(rnd() * 7 * DAY);
      const failed = rnd() < 0.1;
      const execution: StoredExecution = {
        ...base,
        id: newTimeId("exe", startedAt),
        instanceId: instance.id,
        customerId: instance.customerId,
        startedAt: new Date(startedAt).toISOString(),
        endedAt: new Date(startedAt + (base.durationMs ?? 3)).toISOString(),
        ...(failed ? { status: "failed" as const, error: "The vendor answered 503 Service Unavailable" } : {}),
      };
      backend.executions.add(execution);
      if (++written % 20_000 === 0) {
        await backend.write([]);
        if (written % 200_000 === 0) log(`  ${written} executions`);
      }
    }
    await backend.write([]);
    log(`  ${written} executions`);
    const sample = seeded[Math.floor(seeded.length / 3)]!;
    return {
      stateFile,
      smallStateFile,
      webhookPath,
      sizes,
      samples: { customerId: sample.customerId, label: "vip", nameWord: "Support desk", descriptionWord: "customer 04242's" },
      seedMs: performance.now() - started,
    };
  } finally {
    await backend.close();
  }
}

/** Bytes of the database and its WAL. */
export function stateBytes(stateFile: string): number {
  let total = 0;
  for (const file of [stateFile, `${stateFile}-wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // no WAL after a clean close
    }
  }
  return total;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [dir, c, i, e] = process.argv.slice(2);
  if (!dir) throw new Error("usage: npx tsx bench/seed-scale.ts <dir> [customers instances executions]");
  const sizes = c ? { customers: Number(c), instances: Number(i), executions: Number(e) } : FULL_SCALE;
  const seed = await seedScale(dir, sizes, console.log);
  console.log(`seeded ${seed.stateFile} in ${(seed.seedMs / 1000).toFixed(1)} s: ${(stateBytes(seed.stateFile) / 1e6).toFixed(0)} MB`);
}
