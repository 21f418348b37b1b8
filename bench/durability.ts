/**
 * The durability check at length (checklist P1; the test runs a short one): the real HTTP
 * platform in its own process takes a long burst of mixed writes, is killed with SIGKILL while
 * requests are in flight, restarts on the same state, and every write that was answered 2xx is
 * looked for. Printed as found vs acknowledged: anything under 1.00× is a broken promise.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestOrganization, runCrashBurst } from "../mock-server/index.ts";
import type { Section } from "./report.ts";

const ROUNDS = 3;
const BURST = { requests: 1800, concurrency: 32, killAfterAcknowledged: 900 };

export async function benchDurability(): Promise<Section> {
  const rows: Section["rows"] = [];
  const notes: string[] = [];
  let acknowledged = 0;
  let found = 0;
  const dir = mkdtempSync(join(tmpdir(), "emporium-bench-durability-"));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const organization = await createTestOrganization({ id: `durability-${round}` });
      const result = await runCrashBurst({ stateDir: join(dir, `round-${round}`), organization, ...BURST });
      const a = Object.values(result.acknowledged).reduce((s, n) => s + n, 0);
      const f = Object.values(result.found).reduce((s, n) => s + n, 0);
      acknowledged += a;
      found += f;
      notes.push(
        `round ${round + 1}: ${a} writes acknowledged before SIGKILL, ${f} found after the restart, ${result.cutOff} cut off by the kill (no answer); restart ${result.restartMs.toFixed(0)} ms; by kind ${JSON.stringify(result.acknowledged)}${result.missing.length ? `; MISSING: ${result.missing.slice(0, 5).join(", ")}` : ""}`,
      );
    }
    rows.push({ metric: "acknowledged writes found after SIGKILL + restart", product: found, floor: acknowledged, unit: "writes", better: "higher", targetRatio: 1 });
    return {
      title: "Durability: a 2xx is on disk (issue 18, P1)",
      product: `${ROUNDS} rounds of ${BURST.requests} mixed writes (webhook sync and respond-async, config saves, pauses, org label changes, org deploys), ${BURST.concurrency} concurrent, SIGKILL after ${BURST.killAfterAcknowledged} acknowledged`,
      floor: "every write the platform answered 2xx (the promise: all of them are found)",
      rows,
      notes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
