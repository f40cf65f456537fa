// The library's lessons do not hang on one seed: a reader who changes it (`--seed`, the page's seed
// box, a sweep) must see the same outcome, so every scenario's expectations hold at several seeds.
// A scenario whose outcome genuinely depends on a race says so in its description, on a line of its
// own: "Pinned to seed N because …" (N is its `seed:`), and is held only at that seed, which the
// replay test (library.test.ts) runs. Each run here is without a trace and without per-event
// invariants (the replay test has both), and skips the file's own seed, which the replay test covers.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { REPO } from '../cli/support.ts';

const SEEDS = [1, 2, 3, 42];
const LIBRARY = join(REPO, 'scenarios', 'library');

/** The seed a description pins its scenario to, with the reason; undefined when it is not pinned. */
export function pinOf(description: string | undefined): { seed: number; because: string } | undefined {
  const m = /^\s*Pinned to seed (\d+) because (.*\S.*)$/m.exec(description ?? '');
  return m ? { seed: Number(m[1]), because: m[2].trim() } : undefined;
}

const library = readdirSync(LIBRARY)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => {
    const rel = `scenarios/library/${f}`;
    const r = parseScenario(readFileSync(join(LIBRARY, f), 'utf8'), rel);
    if (!r.ok) throw new Error(`${rel} does not parse`);
    return { rel, scenario: r.scenario as Scenario, spec: r.spec as ClusterSpec };
  });

describe('pinning a library scenario to its seed', () => {
  it('is a description line "Pinned to seed N because …"', () => {
    expect(pinOf('Some lesson.\n\nPinned to seed 7 because the crash must land between two fetches.\n')).toEqual({
      seed: 7, because: 'the crash must land between two fetches.',
    });
    expect(pinOf('A lesson that mentions being pinned to seed 7 in passing.')).toBeUndefined();
    expect(pinOf('Pinned to seed 7 because')).toBeUndefined();
  });

  it('names the scenario\'s own seed', () => {
    for (const { rel, scenario, spec } of library) {
      const pin = pinOf(scenario.description);
      if (pin) expect(pin.seed, `${rel}: its description pins seed ${pin.seed}, its seed: is ${spec.seed}`).toBe(spec.seed);
    }
  });
});

describe(`every library scenario holds at seeds ${SEEDS.join(', ')}, unless pinned`, () => {
  for (const { rel, scenario, spec } of library) {
    const pin = pinOf(scenario.description);
    it.skipIf(pin !== undefined)(`${scenario.name}`, () => {
      const failed: string[] = [];
      for (const seed of SEEDS.filter((s) => s !== spec.seed)) {
        const r = runScenario(scenario, spec, { seed, trace: false, checkInvariants: false });
        for (const x of r.expectations.filter((e) => !e.ok)) failed.push(`seed ${seed}, line ${x.line}: ${x.check}: expected ${x.expected}, got ${x.actual}`);
      }
      expect(
        failed,
        `${rel} holds only at some seeds: make its timings and expectations hold whatever the draws, ` +
          `or, if the outcome is a genuine race, explain it in the description on a line "Pinned to seed ${spec.seed} because …"`,
      ).toEqual([]);
    });
  }
});
