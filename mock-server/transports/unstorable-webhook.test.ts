/**
 * Over HTTP on a state file: a webhook whose execution cannot be stored (its JSON throws, as past
 * V8's string limit) is answered 503 SERVICE_UNAVAILABLE, never 2xx, and the webhooks after it are
 * answered 200 and kept across a restart. Before, the half-built batch poisoned the write path:
 * every later request was answered 503 until the server restarted. The failure is injected the way
 * production meets it: a value of the run whose serialisation (JSON.stringify, through its
 * `toJSON`) throws; everything from the store to the writer thread and the answer is the real path
 * (poisoned-webhooks.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { poisonedWebhooks, type PoisonedWebhooks } from "./poisoned-webhooks.ts";

let platform: PoisonedWebhooks | undefined;
const dir = mkdtempSync(join(tmpdir(), "emporium-unstorable-"));
afterEach(async () => {
  await platform?.server.close();
  platform = undefined;
  rmSync(dir, { recursive: true, force: true });
});

it("a webhook whose run cannot be stored is answered 503; the webhooks after it are answered 200 and kept across a restart", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "unstorable-org");
  const refused = await platform.post("poison");
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  const after = await Promise.all(["one", "two", "three"].map((summary) => platform!.post(summary)));
  expect(after.map((answer) => answer.status)).toEqual([200, 200, 200]);
  expect(platform.summaries()).toEqual(["one", "three", "two"]);

  await platform.restart();
  expect(platform.summaries()).toEqual(["one", "three", "two"]);
});
