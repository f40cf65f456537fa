// A run that breaks the simulator is no finding about Kafka: explore stops at once, exits 3, names
// the schedule and its run seed, and writes the scenario of that run so it can be replayed. The
// simulator is made to fail on purpose here: runScenario throws on its third run, which is schedule 2
// (the first run is the baseline with no fault at all, see judged.ts).
import { describe, it, expect, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

vi.mock('../../src/scenario/run.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/scenario/run.ts')>();
  let runs = 0;
  return {
    ...real,
    runScenario: (...args: Parameters<typeof real.runScenario>) => {
      if (++runs === 3) {
        const reason = Object.assign(new Error('high watermark 12 above log end offset 10 on broker 2'), { name: 'InvariantViolation' });
        throw new real.SimulationFailure(args[0].name, args[1].seed, reason);
      }
      return real.runScenario(...args);
    },
  };
});

const { exploreCommand } = await import('../../src/cli/explore.ts');
const { parseScenario } = await import('../../src/scenario/index.ts');

describe('kafkasim explore when a run breaks the simulator', () => {
  it('stops, exits 3 with the schedule and seed, and writes the scenario of that run', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kafkasim-explore-')), 'broken.yaml');
    const stdout: string[] = [];
    const stderr: string[] = [];
    const file = join(import.meta.dirname, '..', '..', 'scenarios/explore/durable.yaml');
    const code = await exploreCommand.run([file, '--budget', '10', '--faults', 'crash', '--out', out], {
      out: (l) => stdout.push(l), err: (l) => stderr.push(l), color: false,
    });
    expect(code).toBe(3);
    expect(stdout[0]).toMatch(/^BROKEN schedule 2 \(run seed (\d+)\) broke the simulator itself/);
    const seed = Number(/run seed (\d+)/.exec(stdout[0])![1]);
    expect(stderr.join('\n')).toContain(`simulator invariant violated in scenario explore-durable, seed ${seed}: high watermark 12 above log end offset 10`);
    expect(stdout).toContain(`replay: npx kafkasim run ${out}`);
    expect(existsSync(out)).toBe(true);
    const parsed = parseScenario(readFileSync(out, 'utf8'), out);
    expect(parsed.ok && parsed.scenario.seed).toBe(seed);
  });
});
