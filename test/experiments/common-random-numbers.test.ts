// Common random numbers: every cell of a sweep runs the same seeds, and the failure's timing and
// target come from the steps' own random streams, so acks=1 and acks=all meet the same crash at the
// same moment and only the config differs between them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCells, parseSetFlag } from '../../src/experiments/set-keys.ts';
import { runOutcome } from '../../src/experiments/outcome.ts';
import { runScenario } from '../../src/scenario/run.ts';
import type { TraceEvent } from '../../sim/engine/index.ts';

const FILE = join(import.meta.dirname, '../../scenarios/experiments/leader-crash-any-moment.yaml');
// shortened (the crash still falls between 10 s and 20 s) to keep the test quick
const SHORTER = ['duration=24s', 'producer.checkout.stop=22s', 'timeline.1.at=23s'];
const cells = buildCells(readFileSync(FILE, 'utf8'), FILE, ['producer.checkout.acks=1,all', 'topic.orders.min.insync.replicas=1,2', ...SHORTER].map(parseSetFlag));

/** When the leader crashed, which broker, and when the controller elected another. */
function failure(cell: number, seed: number): string {
  const seen: string[] = [];
  const watch = () => ({
    event(e: TraceEvent) {
      if (['step-resolved', 'broker-crashed', 'broker-fenced', 'leader-elected'].includes(e.type)) {
        seen.push(`${e.t} ${e.type} ${JSON.stringify(e.brokers ?? e.broker ?? e.leader)}`);
      }
    },
  });
  runScenario(cells[cell].scenario, cells[cell].spec, { seed, trace: false, checkInvariants: false, observers: [watch] });
  return seen.join('\n');
}

describe('a sweep compares cells under the same failures', () => {
  it('each seed crashes the same leader at the same moment, and it is fenced and replaced at the same moment, in every cell', () => {
    const seen = new Set<string>();
    for (const seed of [1, 2, 3, 4]) {
      const base = failure(0, seed);
      expect(base).toContain('broker-crashed');
      for (const cell of [1, 2, 3]) expect(failure(cell, seed)).toBe(base);
      seen.add(base.split('\n')[0]);
    }
    // and the moment does vary from seed to seed: a family of failures, not one
    expect(seen.size).toBe(4);
  });

  it('so the difference in loss comes from the config: acks=1 loses in some runs, acks=all in none', () => {
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);
    const lost = (cell: number) => seeds.map((s) => runOutcome(cell, cells[cell].scenario, cells[cell].spec, s));
    const acks1 = lost(0);
    const acksAll = lost(3);
    expect(acks1.filter((o) => o.lost > 0).length).toBeGreaterThan(0);
    expect(acksAll.every((o) => o.lost === 0)).toBe(true);
    // the same time without a leader, seed by seed: the failure was the same
    expect(acksAll.map((o) => o.leaderlessMs)).toEqual(acks1.map((o) => o.leaderlessMs));
  });
});
