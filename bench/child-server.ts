/**
 * Starts a bench server process and waits for its `{ ready, url }` line. The process is killed
 * with SIGTERM on `stop()` (and SIGKILL if it lingers), so a `--cpu-prof` run can write its
 * profile on the way out.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface ChildServer {
  url: string;
  pid: number;
  /**
   * The server's own counters, asked with SIGUSR1 and answered as one `{ stats }` line: its CPU
   * time so far (`cpuUs`, user + system), and whatever else it counts (`writes`: durable writes).
   */
  stats(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startChildServer(
  script: string,
  args: string[],
  nodeFlags: string[] = [],
  env: Record<string, string> = {},
  /** How long the start may take (the scale bench's platform loads a large state first). */
  readyTimeoutMs = 20_000,
): Promise<ChildServer> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, "--import", "tsx", file, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const lines = createInterface({ input: child.stdout! });
  const stats = () =>
    new Promise<Record<string, number>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} did not answer SIGUSR1 with its stats`)), 10_000);
      const onLine = (line: string) => {
        if (!line.startsWith('{"stats"')) return;
        clearTimeout(timer);
        lines.off("line", onLine);
        resolve((JSON.parse(line) as { stats: Record<string, number> }).stats);
      };
      lines.on("line", onLine);
      child.kill("SIGUSR1");
    });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} did not start within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
      child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
      lines.on("line", (line) => {
        try {
          const msg = JSON.parse(line) as { ready?: boolean; url?: string };
          if (msg.ready && msg.url) {
            clearTimeout(timer);
            resolve(msg.url);
          }
        } catch {
          // not our line
        }
      });
    });
    return { url, pid: child.pid!, stats, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
