/**
 * How the bench prints: every figure next to the floor measured in the same run, and the ratio
 * against the target. A bare time is never printed alone — it says more about the machine than
 * about the product.
 */
export interface Row {
  /** What was measured, e.g. "requests/s". */
  metric: string;
  product: number;
  floor: number;
  unit: string;
  /** "higher": product/floor should be ≥ target (throughput); "lower": ≤ target (time). */
  better: "higher" | "lower";
  /** Target ratio product/floor, when the issue sets one. */
  targetRatio?: number;
  /** Absolute target on the product figure, when the issue sets one (e.g. p95 ≤ 16 ms). */
  targetAbsolute?: number;
  samples?: string;
}

export interface Section {
  title: string;
  product: string;
  floor: string;
  rows: Row[];
  notes?: string[];
}

const fmt = (value: number, unit: string) => {
  if (!Number.isFinite(value)) return "n/a";
  const digits = unit === "req/s" ? 0 : value < 10 ? 2 : 1;
  return `${value.toFixed(digits)} ${unit}`;
};

/** The verdict of a row: the ratio target and, where set, the absolute one. */
export function verdict(row: Row): string {
  const ratio = row.product / row.floor;
  const parts: string[] = [];
  if (row.targetRatio !== undefined) {
    const ok = row.better === "higher" ? ratio >= row.targetRatio : ratio <= row.targetRatio;
    parts.push(`${ok ? "ok" : "BELOW TARGET"} (${row.better === "higher" ? "≥" : "≤"} ${row.targetRatio}×)`);
  }
  if (row.targetAbsolute !== undefined) {
    const ok = row.product <= row.targetAbsolute;
    parts.push(`${ok ? "ok" : "OVER"} (≤ ${row.targetAbsolute} ${row.unit})`);
  }
  return parts.join(", ");
}

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  return cells.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

export function printSection(section: Section): void {
  console.log(`\n## ${section.title}`);
  console.log(`   product: ${section.product}`);
  console.log(`   floor:   ${section.floor}`);
  const cells = [["metric", "product", "floor", "ratio", "target", "samples"]];
  for (const row of section.rows) {
    cells.push([
      row.metric,
      fmt(row.product, row.unit),
      fmt(row.floor, row.unit),
      `${(row.product / row.floor).toFixed(2)}×`,
      verdict(row),
      row.samples ?? "",
    ]);
  }
  console.log(
    pad(cells)
      .split("\n")
      .map((l) => `   ${l}`)
      .join("\n"),
  );
  for (const note of section.notes ?? []) console.log(`   note: ${note}`);
}
