/**
 * Options of the real HTTP server: scenarios set at start (option / CLI flag) and through the
 * endpoint in demo/test mode only; the demo organization's API key. (A separate file:
 * setupServer in scenario.test.ts would intercept these requests.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import * as z from "zod/mini";
import { paths } from "../../contract/api.ts";
import { scenarioPath, scenarioState } from "../../contract/scenario.ts";
import { startPlatformServer } from "./http-server.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { DEMO_ORG_API_KEY } from "../fixtures/demo-org.ts";

let org: TestOrganization;
beforeAll(async () => {
  org = await createTestOrganization({ id: "scenario-http-org" });
});

describe("scenarios on the HTTP server", () => {
  it("starts with a scenario from the server option; the endpoint is off unless scenarioApi is set", async () => {
    const server = await startPlatformServer({ port: 0, organizations: [org.registration], scenario: { scenario: "flaky", failEvery: 2 } });
    try {
      const token = await org.signToken();
      const get = () => fetch(server.url + paths.integrations(), { headers: { Authorization: `Bearer ${token}` } });
      expect([(await get()).status, (await get()).status]).toEqual([200, 503]);
      expect((await fetch(`${server.url}${scenarioPath()}?scenario=none`, { method: "PUT" })).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("serves PUT /api/v1/_scenario?scenario=… in demo/test mode", async () => {
    const server = await startPlatformServer({ port: 0, organizations: [org.registration], scenarioApi: true });
    try {
      const put = await fetch(`${server.url}${scenarioPath()}?scenario=oauth-denies`, { method: "PUT" });
      expect(z.parse(scenarioState, await put.json()).scenario).toBe("oauth-denies");
      expect(server.platform.rehearsal.oauthDenies).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("refuses an unknown start-up scenario, naming it", async () => {
    await expect(startPlatformServer({ port: 0, scenario: "chaos" as "none" })).rejects.toThrow(/chaos/);
  });
});

describe("the CLI", () => {
  it("--scenario and --scenario-api: starts flaky, then switches through the endpoint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emporium-scenario-cli-"));
    const orgFile = join(dir, "org.json");
    writeFileSync(orgFile, JSON.stringify(org.registration));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "mock-server/transports/http-server.ts", "--port", "0", "--state-file", join(dir, "state.json"), "--frame-dir", join(dir, "none"), "--organization", orgFile, "--scenario", "flaky", "--scenario-api"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.once("exit", (code) => reject(new Error(`server exited early (${code})`)));
        createInterface({ input: child.stdout! }).once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
      });
      const state = z.parse(scenarioState, await (await fetch(url + scenarioPath())).json());
      expect(state).toMatchObject({ scenario: "flaky", failEvery: 3 });
      const token = await org.signToken();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(url + paths.integrations(), { headers: { Authorization: `Bearer ${token}` } })).status);
      expect(statuses).toEqual([200, 200, 503]);
      expect(z.parse(scenarioState, await (await fetch(`${url}${scenarioPath()}?scenario=none`, { method: "PUT" })).json()).scenario).toBe("none");
    } finally {
      child.removeAllListeners("exit");
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("the demo organization's API key on the HTTP server", () => {
  it("is replaced by the demoOrgApiKey option (EMPORIUM_ORG_API_KEY): the default one stops working", async () => {
    const key = "org_custom_demo_key_for_this_test_123";
    const server = await startPlatformServer({ port: 0, demoOrgApiKey: key });
    try {
      const customers = (k: string) => fetch(`${server.url}/api/v1/org/customers`, { headers: { Authorization: `Bearer ${k}` } });
      expect((await customers(key)).status).toBe(200);
      expect((await customers(DEMO_ORG_API_KEY)).status).toBe(401);
    } finally {
      await server.close();
    }
    await expect(startPlatformServer({ port: 0, demoOrgApiKey: "not-an-org-key" })).rejects.toThrow(/org_/);
  });
});
