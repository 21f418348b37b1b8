/**
 * CPU time (user + system, µs) of this process's main thread (the event loop: its task id is the
 * process id) from /proc, so a bench can tell the event loop's share from the writer thread's and
 * V8's helpers' (the rest of `process.cpuUsage()`). Clock ticks (10 ms; USER_HZ is 100 on Linux)
 * are coarse, but a measured phase spans seconds. Undefined where there is no /proc.
 */
import { readdirSync, readFileSync } from "node:fs";

export function mainThreadCpuUs(): number | undefined {
  return taskCpuUs(process.pid);
}

function taskCpuUs(task: number | string): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${task}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at state: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}

/** CPU time (µs) of each of this process's threads, by task id (empty where there is no /proc). */
export function threadCpuUs(): Map<string, number> {
  const out = new Map<string, number>();
  let tasks: string[] = [];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return out;
  }
  for (const task of tasks) {
    const us = taskCpuUs(task);
    if (us !== undefined) out.set(task, us);
  }
  return out;
}

/**
 * The CPU (µs) the busiest thread other than the main one spent between two `threadCpuUs()`
 * readings: in the platform that is the SQLite writer thread (V8's GC and compiler helpers each
 * spend far less).
 */
export function busiestOtherThreadUs(before: Map<string, number>, after: Map<string, number>): number {
  let most = 0;
  for (const [task, us] of after) if (task !== String(process.pid)) most = Math.max(most, us - (before.get(task) ?? 0));
  return most;
}
