/**
 * CPU time (user + system, µs) of this process's main thread (the event loop: its task id is the
 * process id) from /proc, so a bench can tell the event loop's share from the writer thread's and
 * V8's helpers' (the rest of `process.cpuUsage()`). Clock ticks (10 ms; USER_HZ is 100 on Linux)
 * are coarse, but a measured phase spans seconds. Undefined where there is no /proc.
 */
import { readFileSync } from "node:fs";

export function mainThreadCpuUs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at state: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}
