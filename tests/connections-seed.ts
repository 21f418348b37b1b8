/**
 * A demo customer with connections, made through the REST APIs as a customer and the host
 * organization make them: the customer's own Jira connection used by two Jira instances (which
 * the organization deploys for them), an unused Zendesk key, and a Stripe key the organization
 * provides (its secret is `PROVIDED_SECRET`, which must never reach the frame or the host page:
 * S4). Used by tests/connections.test.ts and the screenshots.
 */
import { DEMO_ORG_API_KEY } from "../mock-server/index.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import type { DemoCustomerId } from "../examples/demo-backend/token.ts";
import type { Stack } from "./harness.ts";

export const PROVIDED_SECRET = "sk_live_provided_S4CR3T_9F2Q";
export const JIRA_INSTANCES = ["Jira · Ops board", "Jira · Support desk"] as const;

export interface ConnectionsSeed {
  token: string;
  customerId: string;
  jira: { id: string };
  instances: { id: string; name: string }[];
  provided: { id: string };
}

async function ok(answer: Response, what: string): Promise<any> {
  if (!answer.ok) throw new Error(`${what} answered ${answer.status}: ${await answer.text()}`);
  return answer.json();
}

export async function seedConnections(stack: Stack, customer: DemoCustomerId = "acme-corp"): Promise<ConnectionsSeed> {
  const api = stack.platformUrl + "/api/v1";
  const token = await signDemoToken(customer);
  const asCustomer = (path: string, body?: unknown) =>
    fetch(api + path, { method: body ? "POST" : "GET", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const asOrg = (path: string, body: unknown) =>
    fetch(`${api}/org${path}`, { method: "POST", headers: { Authorization: `Bearer ${DEMO_ORG_API_KEY}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const session = await ok(await fetch(api + "/session", { method: "POST", headers: { Authorization: `Bearer ${token}` } }), "the session");
  const customerId: string = session.customer.id;
  const jira = await ok(
    await asCustomer("/connections", { app: "Jira", name: "Ops Jira", credentials: { kind: "basic", username: `ops@${customer}.example`, password: "token-4321" } }),
    "adding the Jira connection",
  );
  await ok(await asCustomer("/connections", { app: "Zendesk", name: "Helpdesk key", credentials: { kind: "api-key", apiKey: "zd_live_helpdesk_1234" } }), "adding the Zendesk connection");
  const instances = [];
  for (const [i, name] of JIRA_INSTANCES.entries()) {
    const values = { site: `${customer}.atlassian.net`, jiraConnection: { connectionId: jira.id }, projectKey: i ? "SUP" : "OPS" };
    const { instance } = await ok(await asOrg(`/customers/${customerId}/instances`, { integrationId: "jira", name, values }), `deploying ${name}`);
    instances.push({ id: instance.id as string, name });
  }
  const provided = await ok(
    await asOrg(`/customers/${customerId}/connections`, { app: "Stripe", name: "Billing (provided)", credentials: { kind: "api-key", apiKey: PROVIDED_SECRET } }),
    "providing the Stripe connection",
  );
  return { token, customerId, jira, instances, provided };
}
