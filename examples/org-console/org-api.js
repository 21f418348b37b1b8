// The console's client of the organization API. Every call goes to this page's own backend at
// /api/org/…, which forwards it to the platform with the organization API key added server-side
// (examples/demo-backend/org-api-proxy.ts): the key never reaches the browser.

/** A refused call: the platform's `{ error: { code, message, fields?, page? } }`, kept whole. */
export class OrgApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `The organization API answered ${status}.`);
    this.status = status;
    this.code = body?.error?.code ?? "UNKNOWN";
    this.fields = body?.error?.fields;
    this.page = body?.error?.page;
  }
}

export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`/api/org${path}`, init);
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new OrgApiError(res.status, data);
  return data;
}

export const describeError = (error) => (error instanceof OrgApiError ? `${error.message} (${error.code})` : String(error?.message ?? error));

let catalog;
/** The organization's integrations (each with its latest `version`), loaded once per page. */
export function integrations() {
  catalog ??= api("/integrations").then(
    (d) => d.integrations,
    (error) => {
      catalog = undefined; // a failed load may be retried
      throw error;
    },
  );
  return catalog;
}

export async function customers() {
  return (await api("/customers")).customers;
}
