// The console's client of the organization API. Every call goes to this page's own backend at
// /api/org/…, which forwards it to the platform with the organization API key added server-side
// (examples/demo-backend/org-api-proxy.ts): the key never reaches the browser.

import { t } from "./i18n.js";

/** A refused call: the platform's `{ error: { code, message, fields?, page? } }`, kept whole. */
export class OrgApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? t("error.status", { status }));
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

/**
 * A refusal in the viewer's words: the platform's own message (its detail, in the platform's
 * language) with the code; a network failure (fetch rejects with a TypeError) says so.
 */
export const describeError = (error) =>
  error instanceof OrgApiError ? t("error.api", { message: error.message, code: error.code }) : error instanceof TypeError ? t("error.network") : String(error?.message ?? error);

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
