/**
 * The HTTP server's persistence: the snapshot in one JSON file, replaced atomically (write a
 * temp file, fsync it, rename it over the old one, fsync the directory), so a crash or a kill at
 * any moment leaves either the old or the new complete file, never a partial one.
 *
 * Two kinds of write:
 * - `flush()` (a change the client is told about: deploy, config, pause…) writes now and
 *   resolves once that state is on disk;
 * - `markDirty()` alone (webhook executions, scheduled runs) is coalesced: at most one
 *   background write per `intervalMs`. A snapshot is the whole state, so writing it after every
 *   execution under load would cost O(state) per request; coalescing keeps it O(state) per
 *   interval, whatever the request rate.
 * The file I/O (write, fsync, rename) runs off the event loop; only serialising is on it.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

export interface StateFile {
  /** The stored snapshot (parsed JSON), or undefined when there is none yet. */
  load(): unknown;
  /** Marks the state dirty; a background write follows within `intervalMs`. */
  markDirty(): void;
  /** Writes now; resolves once everything marked dirty so far is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface StateFileOptions {
  /** Least time between two background writes (default 200 ms). */
  intervalMs?: number;
}

export function createStateFile(path: string, serialise: () => string, options: StateFileOptions = {}): StateFile {
  const intervalMs = options.intervalMs ?? 200;
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  let dirtyVersion = 0;
  let writtenVersion = 0;
  /** A flush waits for this version: the drain keeps writing until it is on disk. */
  let urgentVersion = 0;
  let lastWriteStart = -Infinity;
  let writing: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;
  let closed = false;

  const writeNow = async () => {
    const version = dirtyVersion;
    lastWriteStart = performance.now();
    const bytes = Buffer.from(serialise(), "utf8");
    const temp = join(dir, `.${basename(path)}.${process.pid}.${++sequence}.tmp`);
    const file = await open(temp, "w", 0o600);
    try {
      let offset = 0;
      while (offset < bytes.length) offset += (await file.write(bytes, offset)).bytesWritten;
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    try {
      const dirHandle = await open(dir, "r");
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    } catch {
      // Some file systems cannot fsync a directory; the rename is still atomic.
    }
    writtenVersion = version;
  };

  const scheduleBackground = () => {
    if (timer || writing || closed || writtenVersion >= dirtyVersion) return;
    const wait = Math.max(0, lastWriteStart + intervalMs - performance.now());
    timer = setTimeout(() => {
      timer = undefined;
      void startWrite().catch((e) => console.error("[emporium platform] state write failed", e));
    }, wait);
  };

  const drain = async (): Promise<void> => {
    do {
      // Yield once so changes made in the same tick join this write.
      await new Promise((resolve) => setImmediate(resolve));
      await writeNow();
    } while (writtenVersion < urgentVersion);
  };

  const startWrite = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    writing ??= drain().finally(() => {
      writing = undefined;
      scheduleBackground();
    });
    return writing;
  };

  return {
    load() {
      for (const entry of readdirSync(dir)) {
        // Temp files of a write that was killed: never the live state, safe to drop.
        if (entry.startsWith(`.${basename(path)}.`) && entry.endsWith(".tmp")) rmSync(join(dir, entry), { force: true });
      }
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new StateFileError(`${path} is not valid JSON (${(error as Error).message}); refusing to start over it. Move it away to start fresh.`);
      }
    },
    markDirty() {
      dirtyVersion += 1;
      scheduleBackground();
    },
    async flush() {
      const target = dirtyVersion;
      urgentVersion = Math.max(urgentVersion, target);
      while (writtenVersion < target) await startWrite();
    },
    async close() {
      await this.flush();
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
