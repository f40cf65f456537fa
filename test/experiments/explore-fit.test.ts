// Faults must end by the horizon, three quarters of a short run (horizonUs: a quarter, at most 20 s,
// is left for their consequences), and a controlled shutdown lasts at least 5 s (minForUs). In a 4 s
// run the horizon is 3 s: no shutdown fits. --faults shutdown alone would draw empty schedules and
// report "nothing found"; it is a usage error instead, and a kind that does not fit among others is named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { exploreCommand } from '../../src/cli/explore.ts';
import type { Out } from '../../src/cli/io.ts';

const SHORT = `name: short
duration: 4s
cluster: { brokers: 3 }
topics: [{ name: orders, partitions: 1, replication.factor: 3 }]
producers: [{ id: p, topic: orders, rate: 10/s, config: { acks: all } }]
`;

describe('explore --faults that cannot fit in the run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkasim-fit-'));
  const file = join(dir, 'short.yaml');
  writeFileSync(file, SHORT);
  const run = async (...argv: string[]) => {
    const err: string[] = [];
    const o: Out = { out: () => {}, err: (l) => err.push(l), color: false };
    const code = await exploreCommand.run([file, '--budget', '2', '--out', join(dir, 'found.yaml'), ...argv], o);
    return { code, stderr: err.join('\n') };
  };

  it('only kinds that cannot fit: exit 2 saying why', async () => {
    await expect(run('--faults', 'shutdown')).rejects.toThrow(UsageError);
    await expect(run('--faults', 'shutdown')).rejects.toThrow(/--faults shutdown: no such fault fits: faults must end by 3s of short's 4s .*a shutdown lasts at least 5s/);
  });

  it('one kind among others: a note, and the others are drawn', async () => {
    const r = await run('--faults', 'shutdown,pause');
    expect(r.stderr).toContain('note: shutdown cannot be drawn: faults must end by 3s');
    expect(r.stderr).toContain('faults shutdown,pause');
  });
});
