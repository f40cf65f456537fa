// Every column of the sweep's CSV is explained in the README's table of what the columns mean, so a
// column added to the CSV without a word on what it counts fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/experiments/aggregate.ts';
import { formatCsv } from '../../src/experiments/format.ts';
import { REPO } from '../cli/support.ts';

describe('the sweep CSV', () => {
  it('has every column explained in the README', () => {
    const report = aggregate({
      scenario: 's', file: 's.yaml', scenarioHash: 'h', seeds: { first: 1, count: 1 }, axes: [{ key: 'producer.p.acks', values: ['1'] }],
      cells: [{ index: 0, label: 'producer.p.acks=1', settings: [{ key: 'producer.p.acks', value: '1' }] }], expectations: [], metrics: true,
    }, [{ cell: 0, seed: 1, acked: 1, lost: 0, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 0, failed: [], produceLatencyP50Ms: 1, produceLatencyP99Ms: 2, underMinIsrSeconds: 0 }]);
    const columns = formatCsv(report).split('\r\n')[0].split(',').filter((c) => c !== 'producer.p.acks');
    expect(columns.length).toBeGreaterThan(20);
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| CSV column | per cell |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').filter((l) => l.startsWith('| `'));
    const documented = new Set(rows.flatMap((r) => [...r.split(' | ')[0].matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1])));
    expect(columns.filter((c) => !documented.has(c))).toEqual([]);
  });
});
