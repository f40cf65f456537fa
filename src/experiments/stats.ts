// The statistics of a sweep, all exactly specified so a report is the same on every machine: the
// Wilson score interval for a proportion, nearest-rank percentiles, and a mean rounded for printing.
// Browser-safe (no Node built-ins): the page's "How often?" panel uses the same interval.

/** z for a two-sided 95% interval, as reports and the page's "How often?" panel state it. */
export const Z95 = 1.96;

export interface Interval {
  lo: number;
  hi: number;
  /** Wilson's center (not k/n: it is pulled towards 1/2). */
  center: number;
  halfWidth: number;
}

/**
 * The Wilson score interval for k successes in n trials (Wilson 1927): center ± half-width, where
 *   center = (p + z²/2n) / (1 + z²/n),  half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n),  p = k/n.
 * Unlike p ± z·√(p(1−p)/n) it stays inside [0, 1] and is honest at k = 0, the case a loss sweep
 * most often sees ("0 of 1000 runs lost data" is not "a probability of exactly 0").
 * Pure arithmetic (+ − × ÷ √), shared by the sweep and the browser's panel.
 */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (!(n > 0)) return { lo: 0, hi: 1, center: 0.5, halfWidth: 0.5 };
  if (k < 0 || k > n) throw new RangeError(`wilson: k=${k} outside 0..${n}`);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At k = 0 and k = n the bounds are 0 and 1 exactly (the formula gives them up to rounding).
  const lo = k === 0 ? 0 : Math.max(0, center - halfWidth);
  const hi = k === n ? 1 : Math.min(1, center + halfWidth);
  return { lo, hi, center, halfWidth };
}

/** The Wilson interval's bounds. */
export function wilson(k: number, n: number, z = Z95): [number, number] {
  const { lo, hi } = wilsonInterval(k, n, z);
  return [lo, hi];
}

/** Nearest-rank percentile (q in (0, 1]) of ascending values; 0 for none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Rounds for output (reports print at most `digits` decimals, so the bytes do not depend on float noise). */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * A share or a mean rounded for output: 4 decimals, except that one too small for them keeps 2
 * significant digits (1 run of 30,000 is 0.000033, not 0: a report must not print a loss as none).
 */
export function roundProbability(x: number): number {
  const r = round(x);
  return r === 0 && x > 0 ? Number(x.toPrecision(2)) : r;
}

export interface Distribution {
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return { mean: roundProbability(mean(sorted)), p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : 0 };
}
