// A loss-probability bound kept on the share of runs while the 95% Wilson interval crosses it: the
// cell keeps its verdict and the report says what the runs do not show. With k = 0 losses in n runs
// the interval's upper end is z²/(n + z²) (the Wilson formula at p = 0), so it is at most p from
// n = z²(1 − p)/p on: 381 runs for 1% (380.3), 73 for 5% (72.99), with z = 1.96.
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/experiments/aggregate.ts';
import { lossCaveat, runsToShowBelow } from '../../src/experiments/caveats.ts';
import { formatTable } from '../../src/experiments/format.ts';
import { wilson } from '../../src/experiments/stats.ts';

describe('runs needed to show a bound', () => {
  it('is the first n whose interval, with no loss, ends at or below the bound', () => {
    expect(runsToShowBelow(0.01)).toBe(381);
    expect(wilson(0, 381)[1]).toBeLessThanOrEqual(0.01);
    expect(wilson(0, 380)[1]).toBeGreaterThan(0.01);
    expect(runsToShowBelow(0.05)).toBe(73);
    expect(wilson(0, 73)[1]).toBeLessThanOrEqual(0.05);
    expect(wilson(0, 72)[1]).toBeGreaterThan(0.05);
    expect(runsToShowBelow(0)).toBeUndefined();
  });
});

describe('the caveat', () => {
  it('0 of 50 runs keeps max 0.01 but does not show it: the interval reaches 7.1% (3.8416 / 53.8416)', () => {
    expect(lossCaveat('expect[0]', { max: 0.01 }, 0, 0, 50)).toBe(
      'expect[0] loss-probability held on the share of runs (0 of 50, 0.0%), but its 95% interval reaches 7.1%, above 0.01: 381 runs without a loss would show it');
  });

  it('says nothing once the runs show the bound, or when the cell broke it (that is a problem already)', () => {
    expect(lossCaveat('expect[0]', { max: 0.01 }, 0, 0, 381)).toBeUndefined();
    expect(lossCaveat('expect[0]', { max: 0.01 }, 0.02, 1, 50)).toBeUndefined();
    expect(lossCaveat('expect[0]', { is: 0 }, 0, 0, 50)).toBeUndefined();
  });

  it('with losses, and with max 0 (no number of runs shows exactly 0)', () => {
    expect(lossCaveat('expect[1]', { max: 0.1 }, 0.06, 3, 50)).toMatch(/\(3 of 50, 6\.0%\), but its 95% interval reaches 16\.2%, above 0\.1: more runs would narrow it$/);
    expect(lossCaveat('expect[0]', { max: 0 }, 0, 0, 1000)).toBe('expect[0] loss-probability held on the share of runs (0 of 1000, 0.0%), but no number of runs shows a probability of exactly 0: these 1000 bound it below 0.4% (95% interval)');
    expect(lossCaveat('expect[0]', { min: 0.5 }, 0.6, 6, 10)).toMatch(/starts at 31\.3%, below 0\.5/);
  });

  it('reaches the report: the cell stays ok and the table says what its runs do not show', () => {
    const report = aggregate({
      scenario: 's', file: 's.yaml', scenarioHash: 'h', seeds: { first: 1, count: 50 }, axes: [], expectations: [],
      cells: [{ index: 0, label: 'as written', settings: [] }], lossProbability: { path: 'expect[0]', bound: { max: 0.01 } },
    }, Array.from({ length: 50 }, (_, i) => ({ cell: 0, seed: i + 1, acked: 5, lost: 0, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 0, failed: [] })));
    expect(report.cells[0].ok).toBe(true);
    expect(report.cells[0].caveats).toHaveLength(1);
    const table = formatTable(report);
    expect(table).toContain('kept, but not shown by these runs:');
    expect(table.find((l) => l.startsWith('  cell 1: expect[0]'))).toContain('381 runs without a loss would show it');
  });
});
