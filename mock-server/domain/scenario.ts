/**
 * The scenario switch (issue 4): rehearsing failures on the mock platform. Network-level
 * scenarios (latency, flaky answers, an expiring token) are applied by the handlers before a
 * request reaches the platform, so a failed request never did anything and a retry is safe;
 * platform-level ones flip the platform's rehearsal flags. State lives in memory only: a
 * restart comes back with the scenario the server was started with.
 */
import { SCENARIO_DEFAULTS, type ScenarioName, type ScenarioRequest, type ScenarioState } from "../../contract/scenario.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { iso, type Clock } from "./clock.ts";

/** The platform's switches that scenarios drive (see Platform.rehearsal). */
export interface RehearsalFlags {
  deployTriggersFail: boolean;
  oauthDenies: boolean;
  /** How the third-party apps answer data-source requests (data-sources.ts). */
  dataSource?: { mode: "slow" | "down" | "garbage" | "huge"; latencyMs: number };
}

/** What the handlers must do with one API request before it reaches the platform. */
export interface RequestEffect {
  delayMs: number;
  failure?: { code: typeof ApiErrorCode.ServiceUnavailable | typeof ApiErrorCode.ServerError; retryAfterSeconds: number };
}

export class ScenarioSwitch {
  #state: Omit<ScenarioState, "since" | "tokenExpired"> & { since: number } = { scenario: "none", ...SCENARIO_DEFAULTS, since: 0 };
  #requests = 0;
  #failures = 0;
  /** token-expires-now: armed until the next customer request; then that token stays expired. */
  #armed = false;
  #expiredTokens = new Set<string>();
  readonly #flags: RehearsalFlags;
  readonly #clock: Clock;
  /** What `connections-revoked` does to the stored connections (set by the platform). */
  onRevoke: (app?: string) => void = () => undefined;

  constructor(flags: RehearsalFlags, clock: Clock) {
    this.#flags = flags;
    this.#clock = clock;
    this.#state.since = clock.now();
  }

  get name(): ScenarioName {
    return this.#state.scenario;
  }

  state(): ScenarioState {
    const { since, ...rest } = this.#state;
    return { ...rest, since: iso(since), tokenExpired: this.#state.scenario === "token-expires-now" && !this.#armed };
  }

  /** Switches to a scenario (resetting every other one and the flaky counter). */
  set(request: ScenarioRequest): ScenarioState {
    this.#state = {
      scenario: request.scenario,
      latencyMs: request.latencyMs ?? SCENARIO_DEFAULTS.latencyMs,
      failEvery: request.failEvery ?? SCENARIO_DEFAULTS.failEvery,
      retryAfterSeconds: request.retryAfterSeconds ?? SCENARIO_DEFAULTS.retryAfterSeconds,
      since: this.#clock.now(),
    };
    this.#requests = 0;
    this.#failures = 0;
    this.#armed = request.scenario === "token-expires-now";
    this.#expiredTokens.clear();
    this.#flags.deployTriggersFail = request.scenario === "deploy-triggers-fail";
    this.#flags.oauthDenies = request.scenario === "oauth-denies";
    const dataSourceMode = /^data-source-(slow|down|garbage|huge)$/.exec(request.scenario)?.[1] as NonNullable<RehearsalFlags["dataSource"]>["mode"] | undefined;
    if (dataSourceMode) this.#flags.dataSource = { mode: dataSourceMode, latencyMs: this.#state.latencyMs };
    else delete this.#flags.dataSource;
    if (request.scenario === "connections-revoked") this.onRevoke(request.app);
    return this.state();
  }

  /** Called once per API request (the scenario endpoint excluded). */
  beforeRequest(): RequestEffect {
    const { scenario, latencyMs, failEvery, retryAfterSeconds } = this.#state;
    if (scenario === "slow-network") return { delayMs: latencyMs };
    if (scenario === "flaky") {
      this.#requests += 1;
      if (this.#requests % failEvery === 0) {
        this.#failures += 1;
        const code = this.#failures % 2 === 1 ? ApiErrorCode.ServiceUnavailable : ApiErrorCode.ServerError;
        return { delayMs: 0, failure: { code, retryAfterSeconds } };
      }
    }
    return { delayMs: 0 };
  }

  /** Called with the bearer token of every customer-API request, before it is verified. */
  checkToken(token: string): void {
    if (this.#state.scenario !== "token-expires-now") return;
    if (this.#armed) {
      this.#armed = false;
      this.#expiredTokens.add(token);
    }
    if (this.#expiredTokens.has(token)) {
      throw new PlatformError(ApiErrorCode.TokenExpired, "The token has expired (scenario token-expires-now); ask the host for a new one.");
    }
  }
}
