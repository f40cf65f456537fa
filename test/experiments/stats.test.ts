// The statistics a sweep reports: the Wilson interval against published values, nearest-rank percentiles.
import { describe, expect, it } from 'vitest';
import { distribution, percentile, wilson } from '../../src/experiments/stats.ts';

const close = (got: [number, number], want: [number, number]) => {
  expect(got[0]).toBeCloseTo(want[0], 4);
  expect(got[1]).toBeCloseTo(want[1], 4);
};

describe('the 95% Wilson score interval', () => {
  it('matches published values (Newcombe 1998, Table I; Brown, Cai & DasGupta 2001)', () => {
    close(wilson(0, 10), [0, 0.2775]);
    close(wilson(5, 10), [0.2366, 0.7634]);
    close(wilson(10, 10), [0.7225, 1]);
    close(wilson(81, 263), [0.2553, 0.3662]); // Newcombe's example 81/263
    close(wilson(15, 148), [0.0624, 0.1605]); // Newcombe's example 15/148
    close(wilson(0, 20), [0, 0.1611]);
    close(wilson(1, 29), [0.0061, 0.1718]);
  });

  it('stays inside [0, 1] and narrows as runs grow', () => {
    const [lo1, hi1] = wilson(1, 100);
    const [lo2, hi2] = wilson(10, 1000);
    expect(lo1).toBeGreaterThan(0);
    expect(hi2 - lo2).toBeLessThan(hi1 - lo1);
    expect(wilson(0, 0)).toEqual([0, 1]);
  });
});

describe('percentiles and distributions', () => {
  it('nearest rank: p50 of 1..10 is 5, p99 is 10, p50 of one value is that value', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 0.5)).toBe(5);
    expect(percentile(v, 0.99)).toBe(10);
    expect(percentile([7], 0.5)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('a distribution does not depend on the order of its values', () => {
    const a = distribution([5, 0, 0, 12, 3, 0, 100]);
    expect(a).toEqual(distribution([100, 3, 12, 0, 0, 5, 0]));
    expect(a).toEqual({ mean: 17.1429, p50: 3, p99: 100, max: 100 });
  });
});
