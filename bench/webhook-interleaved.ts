/**
 * A/B of the webhook's cost without HTTP, both sides in ONE process: `npx tsx
 * bench/webhook-interleaved.ts <checkout A> <checkout B>` (e.g. this one and a `git worktree` of
 * main with node_modules linked) starts each checkout's platform (its own modules, its own state
 * file and writer thread; bench/webhook-callers.ts), then calls them in short alternating
 * slices (`SLICES` × `SLICE` calls each, 25 callers as in webhook-inprocess.ts). On a machine
 * whose load swings, a slow spell lands on both sides of a pair, so the paired ratio is steadier
 * than separate runs (in separate processes one side's event loop moved 65–99 µs between runs).
 * The event loop's CPU is read from /proc/<pid>/task/<pid>/schedstat (nanoseconds, not the 10 ms
 * ticks of /proc/…/stat), "all threads" from process.cpuUsage() — both writers count there, but
 * only the side being called works; "writer" is the busiest thread other than the event loop in
 * the slice (the called side's SQLite writer: the idle side's threads barely run), from each
 * thread's schedstat. Prints per side the median and minimum per call, and the median of the
 * per-slice ratios A/B.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./stats.ts";
import { webhookCallers } from "./webhook-callers.ts";

const CALLERS = Number(process.env.CALLERS ?? 25);
const SLICE = Number(process.env.SLICE ?? 2000);
const SLICES = Number(process.env.SLICES ?? 16);
const checkouts = process.argv.slice(2);
if (checkouts.length !== 2) throw new Error("usage: npx tsx bench/webhook-interleaved.ts <checkout A> <checkout B>");

/** The event loop's CPU so far, in ns (the main thread's task id is the process id). */
const mainNs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
/** Each thread's CPU so far, in ns, by task id. */
const threadsNs = () => new Map(readdirSync("/proc/self/task").map((task) => [task, Number(readFileSync(`/proc/self/task/${task}/schedstat`, "utf8").split(" ")[0])]));
/** The CPU (ns) of the busiest thread but the event loop between two `threadsNs()` readings. */
function busiestOtherNs(before: Map<string, number>, after: Map<string, number>): number {
  let most = 0;
  for (const [task, ns] of after) if (task !== String(process.pid)) most = Math.max(most, ns - (before.get(task) ?? 0));
  return most;
}

const dir = mkdtempSync(join(tmpdir(), "emporium-webhook-interleaved-"));
const sides: Array<{ checkout: string; caller: Awaited<ReturnType<typeof webhookCallers>>; main: number[]; all: number[]; writer: number[] }> = [];
try {
  for (const [i, checkout] of checkouts.entries()) {
    const caller = await webhookCallers(checkout, join(dir, `side-${i}.db`), CALLERS);
    sides.push({ checkout, caller, main: [], all: [], writer: [] });
  }
  for (const side of sides) await side.caller.run(3000);
  const load = loadavg()[0];
  for (let slice = 0; slice < SLICES; slice++) {
    // The order alternates, so neither side always runs right after the other's garbage.
    for (let k = 0; k < 2; k++) {
      const side = sides[(k + slice) % 2];
      const cpu0 = process.cpuUsage();
      const main0 = mainNs();
      const threads0 = threadsNs();
      await side.caller.run(SLICE);
      side.writer.push(busiestOtherNs(threads0, threadsNs()) / 1000 / SLICE);
      side.main.push((mainNs() - main0) / 1000 / SLICE);
      const cpu = process.cpuUsage(cpu0);
      side.all.push((cpu.user + cpu.system) / SLICE);
    }
  }
  for (const side of sides) {
    console.log(`${side.checkout}: event loop ${median(side.main).toFixed(1)} µs per call (min ${Math.min(...side.main).toFixed(1)}), all threads ${median(side.all).toFixed(1)} µs (min ${Math.min(...side.all).toFixed(1)}), writer ${median(side.writer).toFixed(1)} µs (min ${Math.min(...side.writer).toFixed(1)})`);
  }
  const ratios = sides[0].main.map((main, i) => main / sides[1].main[i]);
  const allRatios = sides[0].all.map((all, i) => all / sides[1].all[i]);
  const writerRatios = sides[0].writer.map((writer, i) => writer / sides[1].writer[i]);
  console.log(
    `A/B per slice: event loop ${median(ratios).toFixed(3)} (A lower in ${ratios.filter((r) => r < 1).length} of ${SLICES}), all threads ${median(allRatios).toFixed(3)}, writer ${median(writerRatios).toFixed(3)} (A lower in ${writerRatios.filter((r) => r < 1).length}); load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
  );
} finally {
  for (const side of sides) await side.caller.server.close();
  rmSync(dir, { recursive: true, force: true });
}
