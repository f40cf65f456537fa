// One run in 30,000 that lost data: its share, 1/30000 = 0.0000333, rounds to 0 at the report's 4
// decimals. The verdict on `loss-probability: { max: 0 }` compares the exact share, so the cell
// fails; the report prints the share with 2 significant digits and the table '<0.1%', never 0.
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/experiments/aggregate.ts';
import { formatCsv, formatTable } from '../../src/experiments/format.ts';
import { roundProbability } from '../../src/experiments/stats.ts';

const RUNS = 30_000;

describe('a rare loss', () => {
  const report = aggregate({
    scenario: 's', file: 's.yaml', scenarioHash: 'h', seeds: { first: 1, count: RUNS }, axes: [], expectations: [],
    cells: [{ index: 0, label: 'as written', settings: [] }], lossProbability: { path: 'expect[0]', bound: { max: 0 } },
  }, Array.from({ length: RUNS }, (_, i) => ({ cell: 0, seed: i + 1, acked: 5, lost: i === 17 ? 1 : 0, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 0, failed: [] })));
  const cell = report.cells[0];

  it('breaks max: 0', () => {
    expect(cell.lossRuns).toBe(1);
    expect(cell.ok).toBe(false);
    expect(cell.problems[0]).toMatch(/^expect\[0\] loss-probability ≤ 0: was 0\.000033 \(1 of 30000 runs/);
  });

  it('is never printed as 0', () => {
    expect(cell.lossProbability).toBe(0.000033);
    expect(cell.lossInterval[0]).toBeGreaterThan(0);
    const row = formatTable(report)[3];
    expect(row).toContain('<0.1% (1)');
    expect(formatCsv(report).split('\r\n')[1].split(',').slice(1, 4)).toEqual(['30000', '1', '0.000033']);
  });

  it('gives the mean of a rare count 2 significant digits too: 1 record lost in 30,000 runs is a mean of 0.000033', () => {
    expect(cell.lost.mean).toBe(0.000033);
    expect(cell.lost.max).toBe(1);
  });

  it('rounds as before where 4 decimals hold the share', () => {
    expect(roundProbability(11 / 24)).toBe(0.4583);
    expect(roundProbability(0)).toBe(0);
    expect(roundProbability(1 / 3000)).toBe(0.0003);
  });
});
