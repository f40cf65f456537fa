// The sweep's terminal table: numbers right-aligned under their headers, the keys' values (1, all,
// {min: 1ms, max: 5ms}) left-aligned as the HTML report's table has them, every key alike; and a
// sweep with no --set names its one cell "as written", once in parentheses.
import { describe, expect, it } from 'vitest';
import { aggregate, defineSweep, type SweepDefinition } from '../../src/experiments/aggregate.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { formatTable } from '../../src/experiments/format.ts';
import type { RunOutcome } from '../../src/experiments/outcome.ts';
import { cellLabel } from '../../src/experiments/set-keys.ts';

const run = (cell: number, seed: number, lost: number): RunOutcome => ({ cell, seed, acked: 10, lost, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 0, failed: [] });

function definition(axes: { key: string; values: string[] }[]): SweepDefinition {
  const combos: string[][] = [[]];
  for (const a of axes) combos.splice(0, combos.length, ...combos.flatMap((c) => a.values.map((v) => [...c, v])));
  return {
    scenario: 's', file: 's.yaml', scenarioHash: 'h', seeds: { first: 1, count: 1 }, axes,
    cells: combos.map((vs, index) => {
      const settings = vs.map((value, i) => ({ key: axes[i].key, value }));
      return { index, label: cellLabel(settings), settings };
    }),
    expectations: [], lossProbability: { path: 'expect[0]', bound: { max: 0 } },
  };
}

/** The text of column `i` in each line, by the header's column starts. */
function column(lines: string[], name: string): string[] {
  const header = lines[0];
  const start = header.indexOf(name);
  return lines.slice(1).map((l) => l.slice(start, start + name.length));
}

describe('the sweep table', () => {
  it('left-aligns every key column and right-aligns the runs', () => {
    const def = definition([{ key: 'producer.checkout.acks', values: ['1', 'all'] }, { key: 'topic.orders.min.insync.replicas', values: ['1', '2'] }]);
    const table = formatTable(aggregate(def, [0, 1, 2, 3].map((c) => run(c, 1, 0)))).slice(2, 7);
    expect(column(table, 'producer.checkout.acks').map((s) => s.trimEnd())).toEqual(['1', '1', 'all', 'all']);
    // before the fix the last key's values stood at the right end of their column, unlike the first key's
    expect(column(table, 'topic.orders.min.insync.replicas').map((s) => s.trimEnd())).toEqual(['1', '2', '1', '2']);
    expect(column(table, 'runs')).toEqual(['   1', '   1', '   1', '   1']);
  });

  it('names the one cell of a sweep without --set "as written", in one pair of parentheses', () => {
    const lines = formatTable(aggregate(definition([]), [run(0, 1, 3)]));
    expect(lines).toContain('  cell 1 (as written):');
    expect(lines.join('\n')).not.toContain('((');
  });
});

describe('the sweep table with --metrics', () => {
  it('prints a latency of seconds in seconds: 16244.736 ms reads 16.2s, 9.04 ms reads 9ms', () => {
    const def = { ...definition([]), metrics: true as const };
    const table = formatTable(aggregate(def, [{ ...run(0, 1, 0), produceLatencyP50Ms: 9.04, produceLatencyP99Ms: 16244.736, underMinIsrSeconds: 0 }]));
    const header = table[2];
    const row = table[3];
    const at = (name: string) => row.slice(header.indexOf(name)).trim().split(/ +/)[0];
    expect(at('latency p50')).toBe('9ms');
    expect(row).toContain('16.2s');
    expect(row).not.toContain('16244');
  });
});

describe("an expectation's label in the report", () => {
  it('says what the file expects, not only what it checks', () => {
    const text = `name: s
duration: 10s
cluster: { brokers: 3 }
topics: [{ name: orders, partitions: 1, replication.factor: 3 }]
producers: [{ id: p, topic: orders, rate: 10/s }]
expect:
  - lost: 0
  - leader: { partition: orders-0, is: 2 }
  - at: 5s
    duplicates: { max: 3 }
`;
    const parsed = parseScenario(text, 's.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const def = defineSweep(parsed.scenario, 's.yaml', text, [], { first: 1, count: 1 }, [{ index: 0, settings: [], scenario: parsed.scenario, spec: parsed.spec, text }]);
    expect(def.expectations.map((e) => e.label)).toEqual(['lost = 0 (line 7)', 'leader orders-0 is 2 (line 8)', 'duplicates ≤ 3 at 5s (line 9)']);
  });
});
