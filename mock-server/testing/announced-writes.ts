/**
 * A domain test's closing check: once the platform is idle and committed, every record written
 * was announced to the store (so it would survive a restart), then the platform is disposed.
 */
import { expect } from "vitest";
import type { MemoryBackend } from "../domain/memory-backend.ts";
import type { Platform } from "../domain/platform.ts";

export async function expectWritesAnnouncedAndDispose(platform: Platform, backend: MemoryBackend): Promise<void> {
  await platform.idle();
  await platform.commit();
  expect(backend.verify(platform.snapshot())).toEqual([]);
  platform.dispose();
}
