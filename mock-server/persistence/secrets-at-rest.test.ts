/**
 * Secrets at rest (checklist P7) on the server: a canary typed into connections (an API key, a
 * password) and the OAuth tokens the platform holds never appear in the database, its WAL, the
 * server's output or any API answer; they come back exactly after a restart; key rotation
 * re-seals everything under the new key; a missing key stops the start, naming it.
 */
import type { Snapshot } from "../domain/store.ts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { paths } from "../../contract/api.ts";
import { startPlatformServer, type PlatformServer } from "../transports/http-server.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { createSecretBox, keyIdOf, loadSecretKeys, rotateKeyFile } from "./secret-box.ts";

/** The credentials of the connection a draft's field refers to (typed credentials are kept in one of the customer's connections). */
function credentialsIn(snapshot: Snapshot, instanceId: string, key: string): unknown {
  const ref = snapshot.drafts[instanceId].values[key] as { connectionId: string };
  return snapshot.connections[ref.connectionId].credentials;
}

let dir: string;
let org: TestOrganization;
const canaryKey = `pat-canary-${randomBytes(12).toString("hex")}`;
const canaryPassword = `pw-canary-${randomBytes(12).toString("hex")}`;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "emporium-secrets-"));
  org = await createTestOrganization();
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Every byte the platform keeps on disk, except the key file itself. */
function onDisk(): string {
  return readdirSync(dir)
    .filter((f) => !f.endsWith(".key"))
    .map((f) => readFileSync(join(dir, f)).toString("latin1"))
    .join("\n");
}

async function typeCanaries(server: PlatformServer, answers: string[]) {
  const token = await org.signToken();
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(server.url + path, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } });
    const text = await response.text();
    answers.push(text);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const hubspot = (await call(paths.instances(), { method: "POST", body: JSON.stringify({ integrationId: "hubspot" }) })) as { id: string };
  await call(paths.instanceConfigPage(hubspot.id, "connect"), { method: "PUT", body: JSON.stringify({ values: { hubspotKey: { kind: "api-key", apiKey: canaryKey } } }) });
  await call(paths.connectionTest(hubspot.id, "hubspotKey"), { method: "POST", body: JSON.stringify({ value: { kind: "api-key", apiKey: canaryKey } }) });
  await call(paths.instanceConfigPage(hubspot.id, "deals"), { method: "PUT", body: JSON.stringify({ values: {} }) });
  await call(paths.instanceDeploy(hubspot.id), { method: "POST" });
  const jira = (await call(paths.instances(), { method: "POST", body: JSON.stringify({ integrationId: "jira" }) })) as { id: string };
  await call(paths.instanceConfigPage(jira.id, "connect"), { method: "PUT", body: JSON.stringify({ values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada", password: canaryPassword } } }) });
  await call(paths.instanceConfigPage(jira.id, "issues"), { method: "PUT", body: JSON.stringify({ values: { projectKey: "OPS" } }) });
  const deployed = (await call(paths.instanceDeploy(jira.id), { method: "POST" })) as { instance: { flows: Array<{ webhookUrl?: string }> } };
  const hook = deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
  answers.push(await (await fetch(server.url + new URL(hook).pathname, { method: "POST", body: JSON.stringify({ message: `uses ${canaryPassword.slice(0, 6)}` }) })).text());
  await call(paths.instanceExecutions(jira.id));
  await call(paths.instance(hubspot.id));
  // An OAuth grant: its tokens are secrets the platform made itself.
  const slack = (await call(paths.instances(), { method: "POST", body: JSON.stringify({ integrationId: "slack" }) })) as { id: string };
  const { state } = (await call(paths.oauthStart(slack.id, "slackConnection"), { method: "POST" })) as { state: string };
  const code = new URL(server.platform.connections.oauthDecide(state, true)!).searchParams.get("code");
  answers.push(await (await fetch(`${server.url}${paths.oauthCallback()}?state=${state}&code=${code}`)).text());
  return { hubspot: hubspot.id, jira: jira.id, hook: new URL(hook).pathname };
}

describe("secrets at rest", () => {
  it("P7 a canary secret typed into a connection is absent from the database, its WAL, the logs and every API answer", async () => {
    const lines: string[] = [];
    for (const level of ["error", "warn", "log", "info", "debug"] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const stateFile = join(dir, "platform.db");
    const answers: string[] = [];
    const server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    let ids: Awaited<ReturnType<typeof typeCanaries>>;
    let oauthTokens: string[];
    try {
      ids = await typeCanaries(server, answers);
      oauthTokens = Object.values(server.platform.snapshot().oauthGrants).flatMap((g) => [g.accessToken, g.refreshToken]);
      expect(oauthTokens).toHaveLength(2);
      // Read while the server runs: the WAL holds the newest writes.
      const disk = onDisk();
      expect(disk).toContain("enc:v1:");
      for (const secret of [canaryKey, canaryPassword, ...oauthTokens]) {
        expect(disk.includes(secret), "on disk").toBe(false);
        expect(answers.some((a) => a.includes(secret)), "in an API answer").toBe(false);
      }
    } finally {
      await server.close();
    }
    for (const secret of [canaryKey, canaryPassword, ...oauthTokens]) {
      expect(onDisk().includes(secret), "on disk after close").toBe(false);
      expect(lines.some((l) => l.includes(secret)), "in the log").toBe(false);
    }
    expect(statSync(`${stateFile}.key`).mode & 0o777).toBe(0o600);

    // A restart opens them again, exactly.
    const again = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    try {
      const snapshot = again.platform.snapshot();
      expect(credentialsIn(snapshot, ids.hubspot, "hubspotKey")).toEqual({ kind: "api-key", apiKey: canaryKey });
      expect(credentialsIn(snapshot, ids.jira, "jiraConnection")).toEqual({ kind: "basic", username: "ada", password: canaryPassword });
      expect(Object.values(again.platform.snapshot().oauthGrants).flatMap((g) => [g.accessToken, g.refreshToken])).toEqual(oauthTokens);
      expect((await fetch(again.url + ids.hook, { method: "POST", body: JSON.stringify({ message: "after restart" }) })).status).toBe(200);
    } finally {
      await again.close();
    }
  });

  it("key rotation: a new primary key re-seals every record at start, the old key is dropped, and the secrets still open", async () => {
    const stateFile = join(dir, "platform.db");
    const keyFile = `${stateFile}.key`;
    let server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    const ids = await typeCanaries(server, []);
    await server.close();
    const oldId = keyIdOf(Buffer.from((JSON.parse(readFileSync(keyFile, "utf8")) as { primary: string }).primary, "base64"));
    expect(onDisk()).toContain(`enc:v1:${oldId}:`);

    const newId = rotateKeyFile(keyFile);
    expect(newId).not.toBe(oldId);
    expect((JSON.parse(readFileSync(keyFile, "utf8")) as { previous: string[] }).previous).toHaveLength(1);
    server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    try {
      const disk = onDisk();
      expect(disk).toContain(`enc:v1:${newId}:`);
      expect(disk).not.toContain(`enc:v1:${oldId}:`);
      expect((JSON.parse(readFileSync(keyFile, "utf8")) as { previous: string[] }).previous).toEqual([]);
      expect(credentialsIn(server.platform.snapshot(), ids.hubspot, "hubspotKey")).toEqual({ kind: "api-key", apiKey: canaryKey });
    } finally {
      await server.close();
    }

    // Without the key that sealed them, the platform refuses to start rather than lose the secrets.
    writeFileSync(keyFile, JSON.stringify({ primary: randomBytes(32).toString("base64"), previous: [] }));
    await expect(startPlatformServer({ port: 0, stateFile, organizations: [org.registration] })).rejects.toThrow(new RegExp(`sealed with key ${newId}`));
  });

  it("takes the key from EMPORIUM_SECRET_KEY (and previous ones) instead of a key file, and refuses a key that is not 32 bytes", () => {
    const primary = randomBytes(32);
    const previous = randomBytes(32);
    const keys = loadSecretKeys(join(dir, "unused.key"), { EMPORIUM_SECRET_KEY: primary.toString("base64"), EMPORIUM_SECRET_KEYS_PREVIOUS: previous.toString("base64") });
    expect(keys.source).toBe("environment");
    expect(readdirSync(dir)).toEqual([]);
    const sealedBefore = createSecretBox(previous).seal("s3cret");
    expect(keys.box.open(sealedBefore)).toBe("s3cret");
    expect(keys.box.seal("s3cret")).toMatch(new RegExp(`^enc:v1:${keyIdOf(primary)}:`));
    expect(() => loadSecretKeys(join(dir, "x.key"), { EMPORIUM_SECRET_KEY: "too-short" })).toThrow(/32 random bytes in base64/);
    // A tampered value does not open.
    const sealed = keys.box.seal("s3cret");
    expect(() => keys.box.open(sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA"))).toThrow(/does not open/);
  });
});
