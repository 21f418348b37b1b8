/**
 * What one durable commit's `fdatasync` costs this machine in CPU, by how many pages it syncs:
 * `npx tsx bench/fdatasync-cost.ts`. The SQLite writer (mock-server/persistence/sqlite-writer.js)
 * ends every batch with an `fdatasync` of the WAL; on this machine (a Firecracker VM, ext4 on a
 * virtio disk) the calling thread is charged for the call — the writeback of each dirty page and
 * the device flush — not only for its wait. This writes what a commit writes (WAL frames: a
 * 24-byte header and a 4 KiB page each, two `pwrite`s per frame as SQLite does, appended to a file
 * already grown, as the WAL restarted in place is), then calls `fdatasync`, and reads the process's
 * CPU time (`process.cpuUsage()`: getrusage, brought up to date at each call; this process has one
 * busy thread) around each part — not /proc/…/schedstat, which a running thread's own reading
 * leaves stale until its next tick or context switch. The page counts alternate, so a slow spell
 * of the machine lands on all of them.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./stats.ts";

const PAGE = 4096;
const FRAME = 24 + PAGE;
/** Dirty WAL pages per commit to measure: none, and around a 25-webhook batch's ~48. */
const PAGES = [0, 12, 24, 48, 96];
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const COMMITS = Number(process.env.COMMITS ?? 50);
/** Frames in the file: it is written once in full first, so commits overwrite allocated blocks. */
const FILE_FRAMES = 8192;

/** The process's CPU time so far (user + system), in µs. */
function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

const dir = mkdtempSync(join(tmpdir(), "emporium-fdatasync-"));
const fd = openSync(join(dir, "wal"), "w+");
const frame = Buffer.alloc(FRAME, 0x5a);
const samples = new Map(PAGES.map((pages) => [pages, { write: [] as number[], sync: [] as number[], wall: [] as number[] }]));
try {
  for (let i = 0; i < FILE_FRAMES; i++) writeSync(fd, frame, 0, FRAME, i * FRAME);
  fdatasyncSync(fd);
  let at = 0;
  const load = loadavg()[0];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? PAGES : [...PAGES].reverse();
    for (const pages of order) {
      const s = samples.get(pages)!;
      for (let commit = 0; commit < COMMITS; commit++) {
        const t0 = cpuUs();
        for (let i = 0; i < pages; i++) {
          writeSync(fd, frame, 0, 24, at);
          writeSync(fd, frame, 24, PAGE, at + 24);
          at = (at + FRAME) % (FILE_FRAMES * FRAME);
        }
        const t1 = cpuUs();
        const wall = performance.now();
        fdatasyncSync(fd);
        s.wall.push((performance.now() - wall) * 1000);
        s.sync.push(cpuUs() - t1);
        s.write.push(t1 - t0);
      }
    }
  }
  console.log(`per commit, medians of ${ROUNDS * COMMITS}; load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
  for (const [pages, s] of samples) {
    console.log(
      `${String(pages).padStart(3)} pages: pwrite CPU ${median(s.write).toFixed(0).padStart(4)} µs, fdatasync CPU ${median(s.sync).toFixed(0).padStart(5)} µs, fdatasync wall ${median(s.wall).toFixed(0).padStart(5)} µs`,
    );
  }
} finally {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
}
