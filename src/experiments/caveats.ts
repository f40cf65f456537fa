// What a cell's verdict on `loss-probability` does not show. The verdict compares the share of runs
// that lost data with the bound, as the scenario states it; but a share from few runs is uncertain,
// and "0 of 50 runs lost data" keeps `max: 0.01` while the 95% Wilson interval reaches 7.1%. Such a
// cell keeps its verdict (CI relies on it) and gets a caveat saying what the runs do not show and,
// where it helps, how many runs without a loss would.

import type { Bound } from '../scenario/index.ts';
import { wilson, Z95 } from './stats.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The fewest runs, all without a loss, whose Wilson upper bound is at most p: z²/(n + z²) ≤ p, so
 * n ≥ z²(1 − p)/p. Undefined for p ≤ 0 (no number of runs bounds a probability at exactly 0).
 */
export function runsToShowBelow(p: number, z = Z95): number | undefined {
  if (!(p > 0) || p >= 1) return undefined;
  return Math.ceil((z * z * (1 - p)) / p - 1e-9);
}

/**
 * A sentence when the cell kept the bound on its share of runs but its 95% interval crosses the
 * bound (so these runs do not show it), else undefined. `path` is the expectation's (`expect[0]`);
 * `share` is the share the verdict compared (lossRuns / runs, exact).
 */
export function lossCaveat(path: string, bound: Bound, share: number, lossRuns: number, runs: number): string | undefined {
  if ('is' in bound || runs === 0) return undefined;
  const [lo, hi] = wilson(lossRuns, runs);
  const keptMax = bound.max === undefined || share <= bound.max;
  const keptMin = bound.min === undefined || share >= bound.min;
  if (!keptMax || !keptMin) return undefined;
  const head = `${path} loss-probability held on the share of runs (${lossRuns} of ${runs}, ${pct(share)})`;
  if (bound.max === 0) return `${head}, but no number of runs shows a probability of exactly 0: these ${runs} bound it below ${pct(hi)} (95% interval)`;
  if (bound.max !== undefined && hi > bound.max) {
    const need = lossRuns === 0 ? runsToShowBelow(bound.max) : undefined;
    const more = need !== undefined ? `${need} runs without a loss would show it` : 'more runs would narrow it';
    return `${head}, but its 95% interval reaches ${pct(hi)}, above ${bound.max}: ${more}`;
  }
  if (bound.min !== undefined && lo < bound.min) return `${head}, but its 95% interval starts at ${pct(lo)}, below ${bound.min}: more runs would narrow it`;
  return undefined;
}
