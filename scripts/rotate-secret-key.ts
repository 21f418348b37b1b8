/**
 * `npx tsx scripts/rotate-secret-key.ts [.data/platform.db.key]`: rotates the key the platform
 * seals secrets with (docs/operations.md). Writes a new random primary key into the key file and
 * keeps the old one as "previous"; the next start of the platform re-seals every record with the
 * new key and then drops the old one. With EMPORIUM_SECRET_KEY set, rotate in the environment
 * instead (the new key there, the old one in EMPORIUM_SECRET_KEYS_PREVIOUS).
 */
import { existsSync } from "node:fs";
import { rotateKeyFile } from "../mock-server/index.ts";

const keyFile = process.argv[2] ?? ".data/platform.db.key";
if (process.env.EMPORIUM_SECRET_KEY) {
  console.error("EMPORIUM_SECRET_KEY is set: the platform takes its key from the environment. Put the new key there and the old one in EMPORIUM_SECRET_KEYS_PREVIOUS.");
  process.exit(2);
}
if (!existsSync(keyFile)) {
  console.error(`${keyFile} does not exist; the platform creates it on its first start.`);
  process.exit(2);
}
const keyId = rotateKeyFile(keyFile);
console.log(`New primary key ${keyId} in ${keyFile}. Restart the platform: it re-seals every secret with it and then drops the old key.`);
