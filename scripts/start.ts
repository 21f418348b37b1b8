/**
 * `npm start`: builds the SDK and the frame, then runs the whole demo locally:
 * - the mock platform (REST API, webhooks, mock OAuth provider) serving the frame, on 127.0.0.1:4100;
 * - the demo host app with its JWT-signing backend, on localhost:4000 (another site).
 * State persists in .data/platform.json, so a restart loses nothing.
 */
import { execSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { startPlatformServer } from "../mock-server/index.ts";
import { startHostServer } from "../examples/demo-backend/server.ts";
import { seedDemo } from "./seed-demo.ts";

const hostPort = Number(process.env.HOST_PORT ?? 4000);
const platformPort = Number(process.env.PLATFORM_PORT ?? 4100);
const hostOrigin = `http://localhost:${hostPort}`;
const platformOrigin = `http://127.0.0.1:${platformPort}`;

if (!process.env.EMPORIUM_SKIP_BUILD) {
  console.log("building the SDK and the marketplace frame…");
  execSync("npm run --silent build", { stdio: "inherit" });
}

mkdirSync(".data", { recursive: true });
const platform = await startPlatformServer({
  host: "127.0.0.1",
  port: platformPort,
  stateFile: ".data/platform.json",
  frameDir: "dist/frame",
  allowedOrigins: [hostOrigin],
  // The demo page's scenario switch (slow network, flaky, token expiry, failing deploys, OAuth denial).
  scenarioApi: true,
});
const host = await startHostServer({ port: hostPort, host: "localhost", platformOrigin });
const webhook = await seedDemo(platformOrigin);

console.log(`
Emporium demo is running.

  Host app (the SaaS page embedding the marketplace)   ${host.url}/
  React host example (useMarketplace hook)             ${host.url}/react-host/
  Custom UI on the headless client (no iframe)         ${host.url}/custom-ui/
  Organization console (staff view, org API key)       ${host.url}/org-console/
  Marketplace frame + mock platform API                ${platformOrigin}/frame/  ·  ${platformOrigin}/api/v1
  Platform state file                                  .data/platform.json

Invoke a webhook of a deployed instance (${webhook.integration}, customer Acme Corp):

  curl -sS -X POST '${webhook.url}' -H 'Content-Type: application/json' -d '${webhook.samplePayload}'

Then open the instance in the marketplace to see the execution and its logs. Ctrl+C stops.
`);

const stop = async () => {
  await host.close();
  await platform.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
