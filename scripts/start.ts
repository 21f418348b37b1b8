/**
 * `npm start`: builds the SDK and the frame, then runs the whole demo locally:
 * - the mock platform (REST API, webhooks, mock OAuth provider) serving the frame, on 127.0.0.1:4100;
 * - the demo host app with its JWT-signing backend, on localhost:4000 (another site).
 * State persists in .data/platform.db (SQLite; secrets sealed with the key in .data/platform.db.key),
 * so a restart loses nothing. A .data/platform.json of an earlier version is imported once.
 *
 * The URLs and the curl line are the last lines it prints, so they are what a newcomer sees: the
 * build's per-file report (stdout) is kept back and shown only if the build fails, while its
 * warnings (stderr) still reach the terminal.
 *
 * Environment: HOST_PORT, PLATFORM_PORT, EMPORIUM_SKIP_BUILD=1 (use dist/ as it is),
 * EMPORIUM_STATE_FILE (default .data/platform.db; .ci/run points it at a temporary file).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import { DEMO_ORG_API_KEY, seedVersions, startPlatformServer, stopOnSignals } from "../mock-server/index.ts";
import { startHostServer } from "../examples/demo-backend/server.ts";
import { seedDemo } from "./seed-demo.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";

const hostPort = Number(process.env.HOST_PORT ?? 4000);
const platformPort = Number(process.env.PLATFORM_PORT ?? 4100);
const stateFile = process.env.EMPORIUM_STATE_FILE || ".data/platform.db";
// The state of an earlier version (one JSON file) moves into the database on first start.
if (!process.env.EMPORIUM_STATE_FILE && existsSync(".data/platform.json") && !existsSync(stateFile)) renameSync(".data/platform.json", stateFile);
const hostOrigin = `http://localhost:${hostPort}`;
const platformOrigin = `http://127.0.0.1:${platformPort}`;

if (!process.env.EMPORIUM_SKIP_BUILD) {
  console.log("Building the SDK, the marketplace frame and the examples…");
  const build = spawnSync("npm", ["run", "--silent", "build"], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0) {
    process.stdout.write(build.stdout ?? "");
    console.error(`The build failed (${build.error?.message ?? `exit code ${build.status ?? build.signal}`}); nothing was started.`);
    process.exit(1);
  }
}

mkdirSync(dirname(stateFile), { recursive: true });
const platform = await startPlatformServer({
  host: "127.0.0.1",
  port: platformPort,
  stateFile,
  frameDir: "dist/frame",
  allowedOrigins: [hostOrigin],
  // The demo page's scenario switch (slow network, flaky, token expiry, failing deploys, OAuth denial).
  scenarioApi: true,
  // Local development: the demo backend's notification inbox listens on localhost (N2 refuses that elsewhere).
  developmentMode: true,
});
const host = await startHostServer({ port: hostPort, host: "localhost", platformOrigin });
const webhook = await seedDemo(platformOrigin);
// The demo backend receives the platform's signed notifications (the org console shows them).
await host.notifications.ensureEndpoint();
// Jira instances of version 1 for both demo customers, then Slack 2 and Jira 2 published: the
// marketplace shows "Update available" and the org console's Versions view has a bulk upgrade to run.
await seedVersions({ platformUrl: platformOrigin, orgApiKey: process.env.EMPORIUM_ORG_API_KEY ?? DEMO_ORG_API_KEY, tokens: [await signDemoToken("acme-corp"), await signDemoToken("globex")] });

// The URLs and the curl line come last: nothing is printed after them until someone uses the demo.
console.log(`
Emporium demo is running (Ctrl+C stops; state in ${stateFile}).
Acme Corp has a deployed ${webhook.integration} instance: the curl below invokes its webhook;
then open the instance in the marketplace to see the execution and its logs.

  Host app (the SaaS page embedding the marketplace)   ${host.url}/
  React host example (emporium/react)                  ${host.url}/react-host/
  Custom UI on the headless client (no iframe)         ${host.url}/custom-ui/
  Organization console (staff view, org API key)       ${host.url}/org-console/
  Marketplace frame + mock platform API                ${platformOrigin}/frame/  ·  ${platformOrigin}/api/v1

Opening a host page signs you in as the demo user (development only): the token endpoint and the
console's /api/org/* proxy refuse any request without that session. The sign-in is
POST ${host.url}/api/demo/sign-in (examples/demo-backend/session.ts); EMPORIUM_DEMO_AUTO_SIGN_IN=0 turns the automatic one off.

  curl -sS -X POST '${webhook.url}' -H 'Content-Type: application/json' -d '${webhook.samplePayload}'`);

// As the platform's own stop: exit code 1 and one line when a change could not be stored.
stopOnSignals(async () => {
  await host.close();
  await platform.close();
});
