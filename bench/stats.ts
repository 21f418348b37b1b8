/** Order statistics for the bench: nearest-rank percentiles over raw samples (no averaging of tails). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/**
 * Median and spread of paired ratios (each product run over the floor run of its own pair), as
 * text: the median, the interquartile range, and the medians of the first and second half of the
 * runs, which tell a drift of the machine during the run from noise around a stable figure.
 */
export function ratioSpread(ratios: readonly number[]): string {
  const x = (v: number) => `${v.toFixed(2)}×`;
  const half = Math.floor(ratios.length / 2);
  return `median ${x(median(ratios))}, IQR ${x(percentile(ratios, 25))}–${x(percentile(ratios, 75))}, halves ${x(median(ratios.slice(0, half)))} / ${x(median(ratios.slice(half)))}`;
}
