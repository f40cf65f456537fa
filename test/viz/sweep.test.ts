// The work of a "How often?" worker: the scenario parsed once, each (side, seed) one cheap run whose
// ledger and verdict match a full run of the same seed.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prepareSweep } from '../../viz/run/sweep.ts';
import { InvalidScenario } from '../../viz/run/simulate.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';

const text = readFileSync(fileURLToPath(new URL('../../scenarios/library/acks-1-leader-crash.yaml', import.meta.url)), 'utf8');

describe('sweep runs', () => {
  it('match a full run (trace and invariant checks on) of the same seed, per side', () => {
    const sweep = prepareSweep({ text, fileName: 'acks-1-leader-crash.yaml', sides: [undefined, { acks: 'all' }] });
    const parsed = parseScenario(text, 'acks-1-leader-crash.yaml');
    if (!parsed.ok) throw new Error('invalid');
    for (const seed of [1, 2]) {
      const full = runScenario(parsed.scenario, parsed.spec, { seed });
      const s = full.sim.ledgerSummary();
      expect(sweep.run(0, seed)).toEqual({ seed, lost: s.lost, acked: s.acked, duplicates: s.duplicates, unavailable: s.unavailable, passed: full.passed });
    }
    const a = sweep.run(0, 1);
    const b = sweep.run(1, 1);
    expect(a.lost).toBeGreaterThan(0);
    expect(a.passed).toBe(true);
    expect(b.lost).toBe(0);
    expect(b.passed).toBe(false); // the scenario expects a loss
    expect(() => sweep.run(2, 1)).toThrow(RangeError);
  });

  it('refuses an invalid scenario with the parser\'s messages', () => {
    expect(() => prepareSweep({ text: text.replace(/^duration:.*$/m, 'duration: soon'), fileName: 'x.yaml', sides: [undefined] })).toThrow(InvalidScenario);
  });
});
