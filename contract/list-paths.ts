/**
 * The paths the marketplace list needs: the public embed config, the session and the catalog.
 * The frame's first route imports only these (api-paths.ts has every path), so the endpoints of
 * the lazy screens stay in their chunks.
 */
export const API_PREFIX = "/api/v1";

export const listPaths = {
  embedConfig: (org: string) => `${API_PREFIX}/embed/${encodeURIComponent(org)}`,
  session: () => `${API_PREFIX}/session`,
  integrations: () => `${API_PREFIX}/integrations`,
} as const;
