/**
 * For the demo backend's own tests: a platform server on a free port, the demo backend in front
 * of it, a signed-in staff member's session cookie, and the demo customer acme-corp (a customer
 * exists once one of its users has signed in).
 */
import { startPlatformServer } from "../../mock-server/index.ts";
import { paths } from "../../contract/api.ts";
import { startHostServer } from "./server.ts";
import { signDemoToken } from "./token.ts";

export async function startDemoStack(options: { developmentMode?: boolean } = {}) {
  const platform = await startPlatformServer({ port: 0, ...options });
  const host = await startHostServer({ port: 0, platformOrigin: platform.url });
  const signIn = await fetch(`${host.url}/api/demo/sign-in`, { method: "POST", headers: { Origin: host.url, "Content-Type": "application/json" }, body: "{}" });
  const staff = { Cookie: signIn.headers.get("set-cookie")!.split(";")[0]! };
  const session = await fetch(platform.url + paths.session(), { method: "POST", headers: { Authorization: `Bearer ${await signDemoToken("acme-corp")}` } });
  if (session.status !== 200) throw new Error(`the demo customer's first session answered ${session.status}`);
  return {
    platform,
    host,
    staff,
    async close() {
      await host.close();
      await platform.close();
    },
  };
}
