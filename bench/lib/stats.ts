/** The q-quantile (0..1) of `values` by the nearest-rank method; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Summary figures of a sample. */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    n,
    min: n === 0 ? Number.NaN : min,
    p50: quantile(values, 0.5),
    p99: quantile(values, 0.99),
    max: n === 0 ? Number.NaN : max,
    mean: n === 0 ? Number.NaN : sum / n,
  };
}

/** Milliseconds since an arbitrary origin on the machine-wide monotonic clock (same in every process). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * How long until `fraction` of `total` things were done, from the latencies of those that
 * were (the others never were): Infinity when too few were done at all.
 */
export function timeUntilFraction(
  latencies: readonly number[],
  total: number,
  fraction: number,
): number {
  const needed = Math.max(1, Math.ceil(total * fraction));
  if (latencies.length < needed) return Number.POSITIVE_INFINITY;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[needed - 1] ?? Number.POSITIVE_INFINITY;
}
