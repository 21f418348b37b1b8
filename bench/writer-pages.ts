/**
 * Where the writer's WAL goes: `npx tsx bench/writer-pages.ts [checkout]` runs the platform on a
 * state file in-process (the webhook entry the HTTP server calls, 25 callers, one Stripe
 * instance past the 10,000-run retention cap), then copies the WAL of a steady stretch of
 * batches and names the b-tree (table or index, from SQLite's `dbstat`) of every page each
 * commit wrote: which b-trees a webhook's ~9 KB of WAL belong to.
 */
import Database from "libsql";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { webhookCallers } from "./webhook-callers.ts";

const root = resolve(process.argv[2] ?? join(import.meta.dirname, ".."));
const CALLERS = 25;
const dir = mkdtempSync(join(tmpdir(), "emporium-writer-pages-"));
const stateFile = join(dir, "platform.db");
const { server, store, run } = await webhookCallers(root, stateFile, CALLERS);
try {
  await run(Number(process.env.WARMUP ?? 11_000));
  // Start the measured stretch on an empty WAL.
  const side = new Database(stateFile);
  side.pragma("busy_timeout = 10000");
  side.pragma("wal_checkpoint(TRUNCATE)");
  side.close();
  const writes0 = store.durableWrites;
  const calls = Number(process.env.CALLS ?? 2000);
  await run(calls);
  const writes = store.durableWrites - writes0;
  copyFileSync(`${stateFile}-wal`, join(dir, "copy.db-wal"));
  copyFileSync(stateFile, join(dir, "copy.db"));
  const wal = readFileSync(join(dir, "copy.db-wal"));
  const pageSize = wal.readUInt32BE(8);
  const frames: Array<{ page: number; commit: boolean }> = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) frames.push({ page: wal.readUInt32BE(at), commit: wal.readUInt32BE(at + 4) !== 0 });
  const copy = new Database(join(dir, "copy.db"), { readonly: true });
  const owner = new Map<number, string>();
  for (const row of copy.prepare("SELECT name, pageno, pagetype FROM dbstat").raw().iterate() as IterableIterator<[string, number, string]>) owner.set(row[1], `${row[0]} (${row[2]})`);
  const free = new Set<number>();
  const count = new Map<string, number>();
  let commits = 0;
  for (const f of frames) {
    const name = owner.get(f.page) ?? "free list / gone";
    if (!owner.has(f.page)) free.add(f.page);
    count.set(name, (count.get(name) ?? 0) + 1);
    if (f.commit) commits++;
  }
  console.log(`page size ${pageSize}; ${calls} calls, ${writes} durable writes (${(calls / writes).toFixed(1)} per write), ${commits} commits, ${frames.length} frames: ${(frames.length / commits).toFixed(1)} pages per commit, ${(frames.length / calls).toFixed(2)} pages (${((frames.length * (pageSize + 24)) / calls / 1024).toFixed(2)} KiB) per call`);
  for (const [name, n] of [...count].sort((a, b) => b[1] - a[1])) console.log(`${name.padEnd(48)} ${(n / commits).toFixed(1).padStart(6)} pages per commit`);
  const sizes = copy.prepare("SELECT name, COUNT(*) AS pages, SUM(payload) AS payload FROM dbstat GROUP BY name ORDER BY pages DESC").all();
  console.log(sizes);
  const avg = copy.prepare("SELECT AVG(LENGTH(data)), COUNT(*) FROM executions").raw().get();
  console.log("execution data bytes (avg), rows", avg);
  console.log("sample data", (copy.prepare("SELECT data FROM executions LIMIT 1").raw().get() as [string])[0]);
  const rec = copy.prepare("SELECT kind, COUNT(*), AVG(LENGTH(data)) FROM records GROUP BY kind").raw().all();
  console.log("records", rec);
  copy.close();
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
