import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStateFile } from "./state-file.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "emporium-state-file-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("state file", () => {
  it("D9 a write replaces the file whole: a reader that opened it before still reads the complete previous version", async () => {
    const path = join(dir, "platform.json");
    let state: { version: number; pad: string } = { version: 1, pad: "x".repeat(100_000) };
    const file = createStateFile(path, () => JSON.stringify(state));
    file.markDirty();
    await file.flush();
    const reader = await open(path, "r");
    try {
      state = { version: 2, pad: "y" };
      file.markDirty();
      await file.flush();
      // Rewriting in place would truncate what this reader (or a crash) sees mid-write.
      expect(JSON.parse(await reader.readFile("utf8"))).toEqual({ version: 1, pad: "x".repeat(100_000) });
    } finally {
      await reader.close();
    }
    expect(file.load()).toEqual(state);
    expect(readdirSync(dir)).toEqual(["platform.json"]);
    await file.close();
  });

  it("D9 a temp file left by a killed write is dropped at load and never read as the state", async () => {
    const path = join(dir, "platform.json");
    writeFileSync(path, JSON.stringify({ version: 1 }));
    writeFileSync(join(dir, ".platform.json.4242.7.tmp"), '{"version":2,"trunc');
    const file = createStateFile(path, () => "{}");
    expect(file.load()).toEqual({ version: 1 });
    expect(readdirSync(dir)).toEqual(["platform.json"]);
    await file.close();
  });
});
