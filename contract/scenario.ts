/**
 * Scenarios: a switch on the mock platform that rehearses failures (issue 4). Only the mock
 * platform in demo/test mode exposes it; a real backend does not. The host page and the frame
 * URL can never set it: it is set on the platform itself (its own endpoint, a server option or
 * a CLI flag).
 */
import * as z from "zod/mini";
import { API_PREFIX } from "./api.ts";

export const SCENARIO_NAMES = [
  "none",
  "slow-network",
  "flaky",
  "token-expires-now",
  "deploy-triggers-fail",
  "oauth-denies",
  "data-source-slow",
  "data-source-down",
  "data-source-garbage",
  "data-source-huge",
  "connections-revoked",
] as const;
export const scenarioName = z.enum(SCENARIO_NAMES);
export type ScenarioName = z.infer<typeof scenarioName>;

/** GET: the active scenario; PUT (`scenarioRequest`, or `?scenario=<name>`): switch it. */
export const scenarioPath = () => `${API_PREFIX}/_scenario`;

/** Header every API response carries while a scenario other than "none" is active. */
export const SCENARIO_HEADER = "Emporium-Scenario";

export const SCENARIO_DEFAULTS = { latencyMs: 800, failEvery: 3, retryAfterSeconds: 1 } as const;

/**
 * Switch the scenario. Options only matter for their scenario:
 * - `slow-network`: `latencyMs` added before every API response (default 800).
 * - `flaky`: every `failEvery`-th API request (default 3) fails before it reaches the platform,
 *   alternately 503 SERVICE_UNAVAILABLE and 500 SERVER_ERROR, both with `Retry-After:
 *   retryAfterSeconds` (default 1). Deterministic: counting restarts when the scenario is set.
 * - `token-expires-now`: the token of the next customer-API request expires: that request,
 *   and every later one with the same token, answers 401 TOKEN_EXPIRED; a new token works.
 *   Set it again to expire the next token.
 * - `deploy-triggers-fail`: every deploy-trigger flow fails (the deploy itself still succeeds).
 * - `oauth-denies`: the mock OAuth provider denies every authorization.
 * - `data-source-slow`: the third-party apps answer data-source requests after `latencyMs`
 *   (default 800); past the platform's data-source deadline (10 s) that is 504 DATA_SOURCE_TIMEOUT.
 * - `data-source-down`: the apps answer data-source requests with 503 (502 DATA_SOURCE_FAILED).
 * - `data-source-garbage`: the apps answer data-source requests with an HTML error page instead
 *   of JSON records (502 DATA_SOURCE_FAILED).
 * - `data-source-huge`: the apps answer every data source with 5,000 more records than the
 *   account holds (the platform sends the first 1,000 with `truncated: true`; a search narrows
 *   them). The data-source scenarios apply to listing options and to a save's check of a newly
 *   chosen value (which an app that cannot answer does not block); flows are not affected.
 * - `connections-revoked`: the mock apps (or only `app`) revoke every API key, password and OAuth
 *   token they issued so far, as if each expired and could not be refreshed: every connection
 *   and the instances using it need a reconnect. Credentials given afterwards work. The
 *   revocation is stored; switching the scenario off does not undo it.
 */
export const scenarioRequest = z.object({
  scenario: scenarioName,
  latencyMs: z.optional(z.int().check(z.gte(0), z.lte(30_000))),
  failEvery: z.optional(z.int().check(z.gte(2), z.lte(100))),
  retryAfterSeconds: z.optional(z.int().check(z.gte(0), z.lte(120))),
  /** `connections-revoked`: only this app's connections. */
  app: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});
export type ScenarioRequest = z.infer<typeof scenarioRequest>;

export const scenarioState = z.object({
  scenario: scenarioName,
  latencyMs: z.number(),
  failEvery: z.number(),
  retryAfterSeconds: z.number(),
  /** token-expires-now: false until the next customer request has had its token expired. */
  tokenExpired: z.boolean(),
  /** When the scenario was set (ISO time). */
  since: z.string(),
});
export type ScenarioState = z.infer<typeof scenarioState>;
