/**
 * Review over HTTP on a state file: webhooks sent together with one whose run cannot be stored
 * (a value whose JSON throws, as past V8's string limit; testing/poisoned-webhooks.ts). Whatever
 * write each lands in, the refused one is never answered 2xx, every webhook answered 200 is found
 * after a restart, an answer that is not 200 is 503 SERVICE_UNAVAILABLE with Retry-After: 1, and
 * the webhooks after them are answered 200 and kept.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { poisonedWebhooks, type PoisonedWebhooks } from "../testing/poisoned-webhooks.ts";

let platform: PoisonedWebhooks | undefined;
const dir = mkdtempSync(join(tmpdir(), "emporium-review8-"));
afterEach(async () => {
  await platform?.server.close();
  platform = undefined;
  rmSync(dir, { recursive: true, force: true });
});

it("review8: a run that cannot be stored among webhooks sent together: never 2xx, every 200 kept across a restart, the rest 503 with Retry-After, later webhooks 200", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "review8-org");
  const together = ["a", "b", "poison", "c", "d", "e"];
  const answers = await Promise.all(together.map(platform.post));
  const status = Object.fromEntries(together.map((summary, i) => [summary, answers[i].status]));
  expect(status.poison).toBe(503);
  for (const answer of answers) {
    if (answer.status === 200) continue;
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  }
  const later = await Promise.all(["f", "g"].map(platform.post));
  expect(later.map((answer) => answer.status)).toEqual([200, 200]);
  const acknowledged = [...together.filter((summary) => status[summary] === 200), "f", "g"];

  await platform.restart();
  const kept = platform.summaries();
  expect(kept).not.toContain("poison");
  expect(kept).toEqual(expect.arrayContaining(acknowledged));
});
