/**
 * A noun of the platform's domain built on others (instances, logs, runs, the dashboard): the
 * platform's context and the services it reads, given once when the platform is put together
 * (platform.ts). Read-only to the service itself.
 */
import type { PlatformContext } from "./context.ts";

export abstract class DomainService<Parts> {
  protected readonly ctx: PlatformContext;
  protected readonly parts: Parts;

  constructor(ctx: PlatformContext, parts: Parts) {
    this.ctx = ctx;
    this.parts = parts;
  }
}
