/**
 * For tests that count the zod schemas a piece of code builds (the frame's first route and the
 * headless entry build none at import): zod/mini with every schema factory counted into `built`.
 *
 * @example
 * const built = vi.hoisted(() => ({ count: 0 }));
 * vi.mock("zod/mini", async (original) => (await import("../../tests/count-zod-schemas.ts")).countingZod(await original(), built));
 */
export function countingZod(z: Record<string, unknown>, built: { count: number }): Record<string, unknown> {
  const isSchema = (v: unknown) => (v as { _zod?: { traits?: Set<string> } } | null)?._zod?.traits?.has("ZodMiniType") === true;
  return Object.fromEntries(
    Object.entries(z).map(([name, value]) => [
      name,
      typeof value === "function" && /^[a-z]/.test(name)
        ? (...args: unknown[]) => {
            const made = (value as (...a: unknown[]) => unknown)(...args);
            if (isSchema(made)) built.count++;
            return made;
          }
        : value,
    ]),
  );
}
