/**
 * A value built on its first use and kept: how the contract defines the schemas that sit on the
 * frame's boot path (api-marketplace.ts, protocol.ts). Building a zod schema runs zod's
 * constructors for every field and check; done at import, it was ~40 % of the frame entry's
 * module evaluation, all of it before the catalog request could leave (docs/performance.md,
 * "Schemas built on first use"). Behind `onFirstUse` the entry's evaluation builds none: `frameInit`
 * is built when the host's `init()` answer is checked, the list's schema when the client first
 * asks for the catalog, the session's only once the list is drawn.
 *
 * Every caller gets the one instance (the OpenAPI generator names components by identity), and
 * each schema is still written once, here in the contract, for the frame, the headless client
 * and the platform alike. Marked free of side effects, so a bundle drops an accessor it never calls.
 */
export const onFirstUse = /* @__NO_SIDE_EFFECTS__ */ <T>(build: () => T): (() => T) => {
  let built: T | undefined;
  return () => (built ??= build());
};
