/**
 * The platform's promises that an operator may tune, in one place, each with its documented
 * default (docs/operations.md): how long execution history is kept, how fast one instance's
 * webhooks may be called, and how long a customer token may live. Checked once at start
 * (`resolvePolicy`), so a typo fails the start naming what was expected.
 */

export interface RetentionPolicy {
  /** Executions older than this many days are removed (default 30). */
  maxAgeDays: number;
  /** Each instance keeps at most its newest this-many executions (default 10,000). */
  maxPerInstance: number;
}

export interface WebhookRateLimit {
  /** Calls per second one instance's webhooks accept on average (default 100). */
  perSecond: number;
  /** Calls accepted at once after a quiet spell (default 200). */
  burst: number;
}

export interface PlatformPolicy {
  retention: RetentionPolicy;
  /** null: no limit (benchmarks of the bare platform only). */
  webhookRateLimit: WebhookRateLimit | null;
  /** Longest accepted exp − iat of a customer token, unless the organization sets its own (default 3600). */
  maxTokenLifetimeSeconds: number;
}

export const DEFAULT_POLICY: PlatformPolicy = {
  retention: { maxAgeDays: 30, maxPerInstance: 10_000 },
  webhookRateLimit: { perSecond: 100, burst: 200 },
  maxTokenLifetimeSeconds: 3600,
};

export type PolicyOptions = {
  retention?: Partial<RetentionPolicy>;
  webhookRateLimit?: Partial<WebhookRateLimit> | null;
  maxTokenLifetimeSeconds?: number;
};

function positive(value: number, name: string, max: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new TypeError(`${name} must be a number above 0 and at most ${max}; got ${String(value)}.`);
  return value;
}

/** The defaults with `options` applied; throws a TypeError naming a value out of range. */
export function resolvePolicy(options: PolicyOptions = {}): PlatformPolicy {
  const retention = { ...DEFAULT_POLICY.retention, ...options.retention };
  const limit = options.webhookRateLimit === null ? null : { ...DEFAULT_POLICY.webhookRateLimit!, ...options.webhookRateLimit };
  return {
    retention: {
      maxAgeDays: positive(retention.maxAgeDays, "retention.maxAgeDays", 36_500),
      maxPerInstance: Math.floor(positive(retention.maxPerInstance, "retention.maxPerInstance", 100_000_000)),
    },
    webhookRateLimit: limit && { perSecond: positive(limit.perSecond, "webhookRateLimit.perSecond", 1_000_000), burst: Math.floor(positive(limit.burst, "webhookRateLimit.burst", 10_000_000)) },
    maxTokenLifetimeSeconds: Math.floor(positive(options.maxTokenLifetimeSeconds ?? DEFAULT_POLICY.maxTokenLifetimeSeconds, "maxTokenLifetimeSeconds", 366 * 24 * 3600)),
  };
}
