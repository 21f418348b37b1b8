/**
 * A state file as schema 2 wrote it (records keyed by kind and id: sqlite-backend.ts migrates it
 * to schema 3 at open), holding `count` customers `cus_0000`…, made by SQL alone so that a big one
 * costs no JavaScript. For the review tests of the migration.
 */
import Database from "libsql";
import { EXECUTIONS_SCHEMA } from "./sqlite-executions.ts";

export function writeSchema2StateFile(path: string, count: number, nameChars = 8): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  const id = "printf('cus_%04d', i)";
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('schema', '2');
    CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
    ${EXECUTIONS_SCHEMA}
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
    INSERT INTO records (kind, id, data)
      SELECT 'customers', ${id}, json_object('id', ${id}, 'organizationId', 'org_1', 'externalId', ${id}, 'name', printf('%0${nameChars}d', i), 'createdAt', 0) FROM n;
  `);
  db.close();
}
