// "How often?": the Wilson interval against published values, the histogram's bins, and results
// that arrive out of order (several workers) giving the same histogram as in order (one worker).
import { describe, it, expect } from 'vitest';
import { binIndex, formatInterval, formatShare, histogram, lossBins, niceWidth, SeedResults, sharedHistograms, summarize, sweepSeeds, wilson, type RunOutcome } from '../../viz/lib/how-often.ts';

const close = (got: number, want: number, digits = 4) => expect(got).toBeCloseTo(want, digits);

describe('wilson interval (z = 1.96)', () => {
  it('matches known values', () => {
    const cases: [number, number, number, number][] = [
      [0, 10, 0, 0.2775],
      [5, 10, 0.2366, 0.7634],
      [10, 10, 0.7225, 1],
      [1, 10, 0.0179, 0.4042],
      // Newcombe (1998), Statistics in Medicine 17:857, table II, method 3 (score, no continuity correction)
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [k, n, lo, hi] of cases) {
      const w = wilson(k, n);
      close(w.lo, lo);
      close(w.hi, hi);
      close(w.center - w.halfWidth, w.lo, 12);
      if (k < n) close(w.center + w.halfWidth, w.hi, 12);
    }
  });

  it('is exactly 0 at k = 0 and 1 at k = n, symmetric in k ↔ n − k, and centred off k/n', () => {
    expect(wilson(0, 10).lo).toBe(0);
    expect(wilson(10, 10).hi).toBe(1);
    close(wilson(0, 10).center, 0.13877, 5);
    close(wilson(0, 10).halfWidth, 0.13877, 5);
    for (const [k, n] of [[3, 30], [74, 200], [1, 7]]) {
      const a = wilson(k, n);
      const b = wilson(n - k, n);
      close(a.lo, 1 - b.hi, 12);
      close(a.hi, 1 - b.lo, 12);
    }
    expect(wilson(5, 10).center).toBe(0.5);
    expect(wilson(0, 0)).toMatchObject({ lo: 0, hi: 1 });
    expect(() => wilson(11, 10)).toThrow(RangeError);
  });

  it('narrows as n grows', () => {
    expect(wilson(20, 200).halfWidth).toBeLessThan(wilson(2, 20).halfWidth);
  });
});

describe('histogram bins', () => {
  it('puts 0 alone, then equal 1-2-5 ranges, at most 8 of them', () => {
    expect(lossBins(0).map((b) => b.label)).toEqual(['0']);
    expect(lossBins(1).map((b) => b.label)).toEqual(['0', '1']);
    expect(lossBins(6).map((b) => b.label)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(lossBins(8).map((b) => b.label)).toHaveLength(9);
    expect(lossBins(9).map((b) => b.label)).toEqual(['0', '1–2', '3–4', '5–6', '7–8', '9–10']);
    expect(lossBins(44).map((b) => b.label)).toEqual(['0', '1–10', '11–20', '21–30', '31–40', '41–50']);
    expect(lossBins(1100).map((b) => b.label)).toEqual(['0', '1–200', '201–400', '401–600', '601–800', '801–1,000', '1,001–1,200']);
    for (const max of [1, 2, 7, 9, 17, 40, 41, 99, 100, 101, 999, 12345]) {
      const bins = lossBins(max);
      expect(bins.length - 1).toBeLessThanOrEqual(8);
      // contiguous, covering 0..max, no gaps or overlaps
      expect(bins[0]).toMatchObject({ lo: 0, hi: 0 });
      for (let i = 1; i < bins.length; i++) expect(bins[i].lo).toBe(bins[i - 1].hi + 1);
      expect(bins.at(-1)!.hi).toBeGreaterThanOrEqual(max);
      expect(bins.at(-1)!.lo).toBeLessThanOrEqual(max);
      for (let v = 0; v <= Math.min(max, 300); v++) {
        const i = binIndex(bins, v);
        expect(bins[i].lo <= v && v <= bins[i].hi).toBe(true);
      }
    }
    expect(niceWidth(1)).toBe(1);
    expect(niceWidth(3)).toBe(5);
    expect(niceWidth(6)).toBe(10);
    expect(niceWidth(138)).toBe(200);
  });

  it('counts runs per bin, keeps the lowest seed of each, leaves errored runs out', () => {
    const o = (seed: number, lost: number, error?: string): RunOutcome => ({ seed, lost, acked: 100, duplicates: 0, unavailable: 0, passed: lost > 0, error });
    const runs = [o(4, 0), o(2, 3), o(9, 0), o(1, 12), o(3, 11), o(5, 0, 'event limit'), o(7, 20), o(6, 1)];
    const h = histogram(runs, lossBins(20));
    expect(h.map((b) => [b.label, b.count, b.lowestSeed])).toEqual([
      ['0', 2, 4],
      ['1–5', 2, 2],
      ['6–10', 0, undefined],
      ['11–15', 2, 1],
      ['16–20', 1, 7],
    ]);
    const s = summarize(runs);
    expect(s).toMatchObject({ n: 7, withLoss: 5, errors: 1, maxLost: 20, totalLost: 47, passed: 5 });
    expect(s.interval).toEqual(wilson(5, 7));
  });

  it('shares bins between the two sides of a what-if pair', () => {
    const o = (seed: number, lost: number): RunOutcome => ({ seed, lost, acked: 1, duplicates: 0, unavailable: 0, passed: true });
    const { bins, counts } = sharedHistograms([[o(1, 0), o(2, 30)], [o(1, 0), o(2, 0)]]);
    expect(bins.at(-1)!.hi).toBeGreaterThanOrEqual(30);
    expect(counts[0].map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(counts[1].map((b) => b.count)).toEqual([2, 0, 0, 0, 0, 0, 0]);
  });
});

describe('results gathered out of order', () => {
  // A deterministic shuffle (no Math.random in tests either).
  function shuffled<T>(xs: T[], seed: number): T[] {
    const a = [...xs];
    let s = seed >>> 0;
    for (let i = a.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const j = s % (i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  it('give the same histogram, lowest seeds and summary as in order', () => {
    const seeds = sweepSeeds(200, 7);
    expect(seeds[0]).toBe(7);
    expect(seeds.at(-1)).toBe(206);
    const outcomes = seeds.map((seed): RunOutcome => ({ seed, lost: (seed * 37) % 11 < 4 ? 0 : (seed * 13) % 47, acked: 5000, duplicates: seed % 5 === 0 ? 1 : 0, unavailable: 0, passed: seed % 3 === 0 }));
    const inOrder = new SeedResults(seeds);
    for (const o of outcomes) inOrder.set(o);
    const want = sharedHistograms([inOrder.ordered()]);
    for (const k of [1, 2, 3, 99]) {
      const r = new SeedResults(seeds);
      for (const o of shuffled(outcomes, k)) r.set(o);
      expect(r.complete).toBe(true);
      expect(r.ordered()).toEqual(inOrder.ordered());
      expect(sharedHistograms([r.ordered()])).toEqual(want);
      expect(summarize(r.ordered())).toEqual(summarize(inOrder.ordered()));
    }
    // Part-way, the seeds received so far, in seed order.
    const part = new SeedResults(seeds);
    for (const o of shuffled(outcomes, 5).slice(0, 50)) part.set(o);
    expect(part.count).toBe(50);
    expect(part.complete).toBe(false);
    expect(part.ordered().map((o) => o.seed)).toEqual([...part.ordered().map((o) => o.seed)].sort((a, b) => a - b));
    expect(() => part.set({ ...outcomes[0], seed: 1 })).toThrow(RangeError);
  });
});

describe('share text', () => {
  it('reads well', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(74 / 200)).toBe('37%');
    expect(formatShare(9 / 200)).toBe('4.5%');
    expect(formatShare(371 / 1000, 1000)).toBe('37.1%');
    expect(formatInterval(wilson(22, 30))).toBe('55.6–85.8%');
    expect(formatInterval(wilson(0, 30))).toBe('0–11.4%');
    expect(formatInterval(wilson(30, 30))).toBe('88.6–100%');
  });
});
