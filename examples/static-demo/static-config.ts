/**
 * The static build's settings, read from `emporium-static.json` next to index.html so a
 * deployer edits a file instead of rebuilding: the host origins allowed to embed the demo
 * organization, and whether the platform runs in its local development mode (notification
 * endpoints on http and private addresses, for a receiver on localhost; default off). It comes
 * from this document's own origin (as trusted as the code); never from the URL or the parent
 * page, which could otherwise allow themselves.
 */
import * as z from "zod/mini";

export const STATIC_CONFIG_FILE = "emporium-static.json";

const origin = z.string().check(
  z.refine((value) => {
    try {
      const url = new URL(value);
      return /^https?:$/.test(url.protocol) && url.origin === value;
    } catch {
      return false;
    }
  }, "an exact origin such as https://app.example.com"),
);

export const staticConfig = z.object({ allowedOrigins: z.array(origin).check(z.minLength(1)), developmentMode: z.optional(z.boolean()) });
export type StaticConfig = z.infer<typeof staticConfig>;

/** Fetches and validates the config; throws an Error that names what is wrong. */
export async function loadStaticConfig(base: string, fetcher: typeof fetch = fetch): Promise<StaticConfig> {
  const response = await fetcher(new URL(STATIC_CONFIG_FILE, new URL(base, location.href)), { cache: "no-store" });
  if (!response.ok) throw new Error(`${STATIC_CONFIG_FILE}: HTTP ${response.status}`);
  const parsed = staticConfig.safeParse(await response.json());
  if (!parsed.success) throw new Error(`${STATIC_CONFIG_FILE}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);
  return parsed.data;
}
