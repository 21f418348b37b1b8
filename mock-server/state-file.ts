/**
 * The HTTP server's persistence: the snapshot in one JSON file, replaced atomically (write a
 * temp file, fsync it, rename it over the old one, fsync the directory), so a crash or a kill at
 * any moment leaves either the old or the new complete file, never a partial one. Writes are
 * serialised and coalesced: changes made while a write runs go into the next one.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

export interface StateFile {
  /** The stored snapshot (parsed JSON), or undefined when there is none yet. */
  load(): unknown;
  /** Marks the state dirty; a write follows within `debounceMs`. */
  markDirty(): void;
  /** Resolves once everything marked dirty so far is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createStateFile(path: string, serialise: () => string, options: { debounceMs?: number } = {}): StateFile {
  const debounceMs = options.debounceMs ?? 25;
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  let dirtyVersion = 0;
  let writtenVersion = 0;
  let writing: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;

  const writeNow = () => {
    const version = dirtyVersion;
    const text = serialise();
    const temp = join(dir, `.${basename(path)}.${process.pid}.${++sequence}.tmp`);
    const fd = openSync(temp, "w", 0o600);
    try {
      const bytes = Buffer.from(text, "utf8");
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    try {
      const dirFd = openSync(dir, "r");
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch {
      // Some file systems cannot fsync a directory; the rename is still atomic.
    }
    writtenVersion = version;
  };

  const drain = async (): Promise<void> => {
    while (writtenVersion < dirtyVersion) {
      // Yield once so changes made in the same tick join this write.
      await new Promise((resolve) => setImmediate(resolve));
      writeNow();
    }
  };

  const startWrite = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    writing ??= drain().finally(() => {
      writing = undefined;
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
      if (!timer && !writing) timer = setTimeout(() => void startWrite().catch((e) => console.error("[emporium platform] state write failed", e)), debounceMs);
    },
    async flush() {
      while (writtenVersion < dirtyVersion) await startWrite();
    },
    async close() {
      await this.flush();
      if (timer) clearTimeout(timer);
    },
  };
}
