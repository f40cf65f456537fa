// "How often?": one scenario over many seeds. The arithmetic of the panel, kept pure so it is tested
// in Node: the Wilson interval of the share of runs that lost acknowledged records, the bins of the
// lost-records histogram, and a collector that files each run's outcome under its seed, so the
// histogram is the same whatever order the workers finish in (and however many there are).

/** What one run of the sweep reports (the ledger at the end, and the scenario's verdict). */
export interface RunOutcome {
  seed: number;
  /** Acknowledged records not in the final leader's log. */
  lost: number;
  acked: number;
  duplicates: number;
  /** Acked records of partitions with no leader at the end. */
  unavailable: number;
  /** Every expectation of the scenario held. */
  passed: boolean;
  /** The simulator could not finish the run (event limit): the run is left out of the histogram. */
  error?: string;
}

// One Wilson interval for the CLI's sweep and this panel (pure arithmetic, browser-safe).
import { wilsonInterval as wilson, type Interval } from '../../src/experiments/stats.ts';
export { Z95, wilsonInterval as wilson, type Interval } from '../../src/experiments/stats.ts';

/** A histogram bin: runs that lost between lo and hi acknowledged records, both included. */
export interface Bin {
  lo: number;
  hi: number;
  label: string;
}

/** At most this many bins above the "lost nothing" one. */
export const MAX_LOSS_BINS = 8;

/**
 * The bins for runs that lost at most `maxLost` records: "0" on its own (the runs that lost
 * nothing, the answer to "how often"), then equal ranges 1–w, w+1–2w, … whose width w is 1, 2 or 5
 * times a power of ten, the smallest that needs at most MAX_LOSS_BINS bins to reach maxLost.
 */
export function lossBins(maxLost: number, maxBins = MAX_LOSS_BINS): Bin[] {
  const bins: Bin[] = [{ lo: 0, hi: 0, label: '0' }];
  if (!(maxLost >= 1)) return bins;
  const width = niceWidth(Math.ceil(maxLost / maxBins));
  for (let lo = 1; lo <= maxLost; lo += width) {
    const hi = lo + width - 1;
    bins.push({ lo, hi, label: width === 1 ? fmtInt(lo) : `${fmtInt(lo)}–${fmtInt(hi)}` });
  }
  return bins;
}

/** The smallest of 1, 2, 5, 10, 20, 50, … that is at least x. */
export function niceWidth(x: number): number {
  let p = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (m * p >= x) return m * p;
    p *= 10;
  }
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en');
}

export interface BinCount extends Bin {
  count: number;
  /** The lowest seed that landed in this bin (what clicking the bar opens). */
  lowestSeed?: number;
}

/** How many runs fell in each bin, and the lowest seed of each. Runs that errored are not counted. */
export function histogram(outcomes: readonly RunOutcome[], bins: readonly Bin[]): BinCount[] {
  const out: BinCount[] = bins.map((b) => ({ ...b, count: 0 }));
  for (const o of outcomes) {
    if (o.error !== undefined) continue;
    const i = binIndex(bins, o.lost);
    if (i < 0) continue;
    const b = out[i];
    b.count++;
    if (b.lowestSeed === undefined || o.seed < b.lowestSeed) b.lowestSeed = o.seed;
  }
  return out;
}

export function binIndex(bins: readonly Bin[], lost: number): number {
  let lo = 0;
  let hi = bins.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lost < bins[mid].lo) hi = mid - 1;
    else if (lost > bins[mid].hi) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export interface SeriesSummary {
  /** Runs that finished (errors left out). */
  n: number;
  /** Runs that lost at least one acknowledged record. */
  withLoss: number;
  share: number;
  interval: Interval;
  passed: number;
  errors: number;
  withDuplicates: number;
  withUnavailable: number;
  maxLost: number;
  totalLost: number;
}

export function summarize(outcomes: readonly RunOutcome[]): SeriesSummary {
  let n = 0;
  let withLoss = 0;
  let passed = 0;
  let errors = 0;
  let withDuplicates = 0;
  let withUnavailable = 0;
  let maxLost = 0;
  let totalLost = 0;
  for (const o of outcomes) {
    if (o.error !== undefined) {
      errors++;
      continue;
    }
    n++;
    if (o.lost > 0) withLoss++;
    if (o.passed) passed++;
    if (o.duplicates > 0) withDuplicates++;
    if (o.unavailable > 0) withUnavailable++;
    if (o.lost > maxLost) maxLost = o.lost;
    totalLost += o.lost;
  }
  return { n, withLoss, share: n ? withLoss / n : 0, interval: wilson(withLoss, n), passed, errors, withDuplicates, withUnavailable, maxLost, totalLost };
}

/** Histograms of several series (the what-if pair) on shared bins, so their bars line up. */
export function sharedHistograms(series: readonly (readonly RunOutcome[])[]): { bins: Bin[]; counts: BinCount[][] } {
  let max = 0;
  for (const s of series) for (const o of s) if (o.error === undefined && o.lost > max) max = o.lost;
  const bins = lossBins(max);
  return { bins, counts: series.map((s) => histogram(s, bins)) };
}

/** The seeds of a sweep: 1..n, or n seeds from the current one. */
export function sweepSeeds(n: number, from = 1): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}

/**
 * Outcomes filed by seed as they arrive, in any order; `ordered()` lists those received so far in
 * seed order. Everything drawn is computed from that list, never from the order of arrival.
 */
export class SeedResults {
  private readonly slots: (RunOutcome | undefined)[];
  private readonly index = new Map<number, number>();
  private received = 0;

  constructor(readonly seeds: readonly number[]) {
    this.slots = new Array(seeds.length).fill(undefined);
    seeds.forEach((s, i) => this.index.set(s, i));
  }

  set(o: RunOutcome): void {
    const i = this.index.get(o.seed);
    if (i === undefined) throw new RangeError(`seed ${o.seed} is not part of this sweep`);
    if (this.slots[i] === undefined) this.received++;
    this.slots[i] = o;
  }

  get count(): number {
    return this.received;
  }

  get complete(): boolean {
    return this.received === this.slots.length;
  }

  ordered(): RunOutcome[] {
    return this.slots.filter((o): o is RunOutcome => o !== undefined);
  }
}

/** A share as people read it: "37%", "4.5%", "0%", "100%" (one decimal below 10% or when n > 200). */
export function formatShare(x: number, n = 0): string {
  const pct = x * 100;
  if (pct === 0 || pct === 100) return `${pct}%`;
  const digits = pct < 10 || n > 200 ? 1 : 0;
  return `${trim(pct.toFixed(digits))}%`;
}

/** An interval of shares, one decimal: "55.6–85.8%", "0–11.4%". */
export function formatInterval(iv: { lo: number; hi: number }): string {
  return `${formatShare(iv.lo, 1000).replace('%', '')}–${formatShare(iv.hi, 1000)}`;
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
