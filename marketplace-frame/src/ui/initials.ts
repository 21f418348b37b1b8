/**
 * The letters an integration shows when it has no usable icon: the first letter of its first two
 * words ("Google Sheets" → "GS"). A module of its own so the TTI floor page (bench/pages) draws
 * exactly what the frame draws without loading the frame's components.
 */
export const initials = (name: string): string =>
  name
    .split(/[\s-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("") || "?";
