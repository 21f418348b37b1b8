/**
 * Review of the writer's crash edges (issue 18): a process SIGKILLed in the middle of the schema
 * 2 → 3 migration, and right after a batch was answered while the checkpoint that now runs after
 * the answer copies the WAL (RESTART). A child process opens the state file with the real
 * SqliteBackend and kills itself at the exact point; the test reopens the file and checks that
 * nothing answered is lost, nothing is doubled, and the file is sound.
 */
import Database from "libsql";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteBackend } from "./sqlite-backend.ts";
import { createSecretBox } from "./secret-box.ts";
import { writeSchema2StateFile } from "./schema2-state-file.ts";

const BACKEND = fileURLToPath(new URL("./sqlite-backend.ts", import.meta.url));
const BOX = fileURLToPath(new URL("./secret-box.ts", import.meta.url));
/** The same libsql module the backend loads (the child's script lives outside the repository). */
const LIBSQL = pathToFileURL(createRequire(import.meta.url).resolve("libsql")).href;
const KEY_FILL = 5;

let dir: string;
/** The store each test reopens after the kill: closed, and the directory removed, after it. */
let reopened: SqliteBackend | undefined;
afterEach(async () => {
  const store = reopened;
  reopened = undefined;
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `body` (an ES module, with SqliteBackend, createSecretBox, Database, path and box in scope) in a child; answers its stdout lines and how it ended. */
function child(path: string, body: string): Promise<{ lines: string[]; signal: NodeJS.Signals | null; code: number | null }> {
  const source = `
    import Database from ${JSON.stringify(LIBSQL)};
    import { SqliteBackend } from ${JSON.stringify(BACKEND)};
    import { createSecretBox } from ${JSON.stringify(BOX)};
    const path = ${JSON.stringify(path)};
    const box = createSecretBox(Buffer.alloc(32, ${KEY_FILL}));
    ${body}
  `;
  // A file, not `-e`: the writer thread inherits the process's flags, and `--input-type` is refused there.
  const script = join(dir, "child.mjs");
  writeFileSync(script, source);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.once("error", reject);
    proc.once("close", (code, signal) => resolve({ lines: out.split("\n").filter(Boolean), signal, code }));
  });
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("PRAGMA integrity_check").raw().get() as [string])[0];
  } finally {
    db.close();
  }
}

const open = (path: string) => (reopened = new SqliteBackend(path, { secrets: createSecretBox(Buffer.alloc(32, KEY_FILL)) }));

describe("review: SIGKILL at the writer's edges", () => {
  it("P1 SIGKILL in the middle of the schema 2 → 3 migration (after the copy and the old table's drop, before the commit): the reopened file migrates once, every record there once", async () => {
    dir = mkdtempSync(join(tmpdir(), "emporium-review-crash-"));
    const path = join(dir, "state.db");
    writeSchema2StateFile(path, 2000, 500);

    // The migration's statements run one by one; once the old table is dropped (uncommitted), the process dies.
    const { signal, lines } = await child(
      path,
      `
      const exec = Database.prototype.exec;
      Database.prototype.exec = function (sql) {
        if (!sql.includes("records_3")) return exec.call(this, sql);
        const statements = sql.split(";").map((s) => s.trim()).filter(Boolean);
        for (const statement of statements) {
          exec.call(this, statement);
          if (statement.startsWith("DROP TABLE records")) {
            console.log("dropped, uncommitted");
            process.kill(process.pid, "SIGKILL");
          }
        }
      };
      new SqliteBackend(path, { secrets: box });
      console.log("not killed");
      `,
    );
    expect(lines).toEqual(["dropped, uncommitted"]);
    expect(signal).toBe("SIGKILL");

    const b = open(path);
    expect(integrity(path)).toBe("ok");
    const ids = [...b.loadRecords()].map((r) => r.id);
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
    expect(ids[0]).toBe("cus_0000");
    const check = new Database(path, { readonly: true });
    try {
      expect((check.prepare("SELECT value FROM meta WHERE key = 'schema'").raw().get() as [string])[0]).toBe("3");
      expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'records%'").raw().all()).toEqual([["records"]]);
    } finally {
      check.close();
    }
    // And it works as a schema-3 store: a replace stays one row.
    await b.write([{ kind: "customers", id: "cus_0001", record: { id: "cus_0001", organizationId: "org_1", externalId: "cus_0001", name: "renamed", createdAt: 0 } }]);
    expect([...b.loadRecords()].filter((r) => r.id === "cus_0001").map((r) => (r.record as { name: string }).name)).toEqual(["renamed"]);
  });

  it("P1 SIGKILL right after a batch is answered, while the checkpoint that runs after the answer copies the WAL: every answered batch is there after a restart", async () => {
    dir = mkdtempSync(join(tmpdir(), "emporium-review-crash-"));
    const path = join(dir, "state.db");
    // checkpointBytes 1: every batch's answer is followed by a checkpoint (RESTART) on the writer
    // thread. Each batch writes new records and replaces and deletes earlier ones; the process
    // dies on the main thread the moment the 25th answer arrives.
    const { signal, lines } = await child(
      path,
      `
      const b = new SqliteBackend(path, { secrets: box, checkpointBytes: 1 });
      [...b.loadRecords()];
      const record = (id, name) => ({ kind: "customers", id, record: { id, organizationId: "org_1", externalId: id, name, createdAt: 0 } });
      for (let batch = 1; ; batch++) {
        const writes = [];
        for (let i = 0; i < 40; i++) writes.push(record("cus_" + batch + "_" + i, "x".repeat(2000)));
        if (batch > 1) writes.push(record("cus_" + (batch - 1) + "_0", "replaced in " + batch), { kind: "customers", id: "cus_" + (batch - 1) + "_1", record: undefined });
        b.executions.add({ id: "exe_" + String(batch).padStart(5, "0"), instanceId: "ins_a", flowId: "f", flowName: "F", trigger: "webhook", status: "succeeded", startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, batch)).toISOString(), logs: [], stepResults: {}, organizationId: "org_1", customerId: "cus_1" });
        await b.write(writes);
        console.log("answered " + batch);
        if (batch === 25) process.kill(process.pid, "SIGKILL");
      }
      `,
    );
    expect(signal).toBe("SIGKILL");
    expect(lines.at(-1)).toBe("answered 25");

    const b = open(path);
    expect(integrity(path)).toBe("ok");
    const records = new Map([...b.loadRecords()].map((r) => [r.id, (r.record as { name: string }).name]));
    for (let batch = 1; batch <= 25; batch++) {
      for (let i = 0; i < 40; i++) {
        const id = `cus_${batch}_${i}`;
        if (batch < 25 && i === 1) expect(records.has(id)).toBe(false);
        else if (batch < 25 && i === 0) expect(records.get(id)).toBe(`replaced in ${batch + 1}`);
        else expect(records.get(id)).toBe("x".repeat(2000));
      }
    }
    expect(records.size).toBe(25 * 40 - 24);
    expect(b.executions.countOf("ins_a")).toBe(25);
  });
});
