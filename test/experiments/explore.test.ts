// `kafkasim explore` against the Kafka model: it finds the acknowledged-data loss that acks=1 with
// unclean election allows and writes a minimal scenario that validates and replays the loss; it finds
// nothing in the durable configuration (acks=all, min.insync.replicas=2, no unclean election) when
// it may not take away unflushed data; the same seed and budget write the same bytes; a padded
// unclean-election schedule shrinks to the partition and the crash that lose the records; bad flags
// exit 2 naming the flag.
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exploreCommand } from '../../src/cli/explore.ts';
import { UsageError } from '../../src/cli/args.ts';
import { BadScenario } from '../../src/cli/load.ts';
import type { Out } from '../../src/cli/io.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { initialWorkload, loadBase } from '../../src/experiments/explore/document.ts';
import { uncleanWorkload } from './unclean-workload.ts';
import { shrinkFailing } from '../../src/experiments/explore/explore.ts';
import { drawSchedule, scheduleRng } from '../../src/experiments/explore/nemesis.ts';
import { FAULT_KINDS, wellFormed, type Fault } from '../../src/experiments/explore/schedule.ts';
import { firstFailure, runTrial } from '../../src/experiments/explore/trial.ts';
import { judgedExpectations } from '../../src/experiments/explore/judged.ts';

const REPO = join(import.meta.dirname, '..', '..');
const ACKS_1 = join(REPO, 'scenarios/explore/acks-1-unclean.yaml');
const DURABLE = join(REPO, 'scenarios/explore/durable.yaml');
const SAFE_FAULTS = 'crash,shutdown,pause,partition,cut,slow,isolate';
const S = 1_000_000;

function captured(): Out & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), color: false };
}

async function explore(...argv: string[]) {
  const o = captured();
  const code = await exploreCommand.run(argv, o);
  return { code, stdout: o.stdout.join('\n'), stderr: o.stderr.join('\n') };
}

function tmp(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'kafkasim-explore-')), name);
}

describe('the nemesis', () => {
  const base = loadBase(readFileSync(DURABLE, 'utf8'), DURABLE);
  if (!base.ok) throw new Error('durable.yaml does not validate');
  const w = initialWorkload(base.base.scenario);
  const target = { brokers: [1, 2, 3], clients: ['checkout'], durationUs: w.durationUs };

  it('draws the same schedule from the same seed, and only well-formed schedules of the allowed kinds', () => {
    expect(drawSchedule(scheduleRng(7, 3), target, FAULT_KINDS)).toEqual(drawSchedule(scheduleRng(7, 3), target, FAULT_KINDS));
    for (let i = 1; i <= 200; i++) {
      const { faults } = drawSchedule(scheduleRng(1, i), target, ['crash', 'partition', 'slow']);
      expect(faults.length).toBeGreaterThan(0);
      expect(wellFormed(faults, w.durationUs)).toBe(true);
      for (const f of faults) expect(['crash', 'partition', 'slow']).toContain(f.kind);
    }
  });
});

describe('shrinking a padded unclean-election schedule', () => {
  it('keeps only the partition that isolates leader 1 and the crash of broker 1', () => {
    // the library's unclean-election workload, its own timeline and expectations removed: lost: 0 applies
    const base = uncleanWorkload();
    const faults: Fault[] = [
      { kind: 'isolate', node: 'controller', atUs: 2 * S, forUs: 0.1 * S },
      { kind: 'partition', groups: [[1], [2, 3]], atUs: 5 * S, forUs: 60 * S },
      { kind: 'pause', node: 3, atUs: 20 * S, forUs: 1 * S },
      { kind: 'slow', node: 'controller', latencyUs: 0.02 * S, atUs: 30 * S, forUs: 5 * S },
      { kind: 'crash', brokers: [1], atUs: 60 * S, forUs: 15 * S },
      { kind: 'cut', from: 2, to: 3, atUs: 80 * S, forUs: 0.1 * S },
    ];
    const candidate = { faults, workload: initialWorkload(base.scenario) };
    const padded = runTrial(base, candidate, 1, { checkInvariants: true });
    if (padded.kind !== 'ran') throw new Error(padded.kind);
    const failure = firstFailure(padded.result);
    expect(failure).toMatchObject({ check: 'lost', expected: '0' });

    const { minimal, runs } = shrinkFailing(base, { schedule: 1, runSeed: 1, candidate, path: failure!.path }, 40);
    expect(runs).toBeLessThanOrEqual(40);
    expect(minimal.faults.map((f) => f.kind)).toEqual(['partition', 'crash']);
    expect(minimal.faults[0]).toMatchObject({ groups: [[1], [2, 3]] });
    expect(minimal.faults[1]).toMatchObject({ brokers: [1] });
  });
});

describe('which expectations the search judges', () => {
  const judged = (text: string) => {
    const loaded = loadBase(text, 'judged.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const j = judgedExpectations(loaded.base, { checkInvariants: true });
    if (j.kind !== 'judged') throw new Error(j.kind);
    return j.judged;
  };

  it('sets aside expectations that describe the file\'s own timeline (they fail with no fault at all)', () => {
    const j = judged(readFileSync(join(REPO, 'scenarios/library/min-isr-2-acks-all-no-loss.yaml'), 'utf8'));
    expect(j.setAside.map((e) => e.path)).toEqual(['expect[0]', 'expect[1]', 'expect[2]', 'expect[3]']);
    expect([...j.paths]).toContain('expect[5]'); // lost: 0
    expect(j.addedDefault).toBe(false);
  });

  it('judges "no acknowledged record lost" when every expectation was set aside', () => {
    const j = judged(`${readFileSync(ACKS_1, 'utf8')}expect:\n  - lost: { min: 1 }\n`);
    expect(j.setAside.map((e) => e.path)).toEqual(['expect[0]']);
    expect([...j.paths]).toEqual(['expect[1]']);
    expect(j.addedDefault).toBe(true);
  });
});

describe('kafkasim explore', () => {
  it('finds acknowledged-data loss with acks=1 and unclean election, and writes a file that replays it', async () => {
    const out = tmp('found.yaml');
    const r = await explore(ACKS_1, '--budget', '20', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FOUND schedule \d+ of 20 broke lost at end \(expected 0\), run seed \d+/m);
    expect(r.stdout).toContain(`replay: npx kafkasim run ${out}`);
    const text = readFileSync(out, 'utf8');
    expect(Object.keys(parseYamlKeys(text))).toEqual(['name', 'title', 'description', 'seed', 'duration', 'cluster', 'topics', 'producers', 'timeline', 'expect']);
    const parsed = parseScenario(text, out);
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
    expect(parsed.scenario.expect[0]).toMatchObject({ check: 'lost', bound: { min: expect.any(Number) } });
    const replay = runScenario(parsed.scenario, parsed.spec);
    expect(replay.passed).toBe(true);
    expect(replay.sim.ledgerSummary().lost).toBeGreaterThan(0);
    // every fault step says what it does, in words
    for (const step of parsed.scenario.timeline) expect(step.note ?? '').not.toBe('');
    expect(text).toMatch(/description: \|\n {2}Found by `kafkasim explore` on `explore-acks-1-unclean` \(explore seed 1\): schedule \d+/);
  });

  it('writes byte-identical files for the same seed and budget', async () => {
    const a = tmp('a.yaml');
    const b = tmp('b.yaml');
    expect((await explore(ACKS_1, '--budget', '10', '--seed', '1', '--out', a, '--shrink-runs', '40')).code).toBe(1);
    expect((await explore(ACKS_1, '--budget', '10', '--seed', '1', '--out', b, '--shrink-runs', '40')).code).toBe(1);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it('finds nothing with acks=all, min.insync.replicas=2 and no unclean election when no unflushed data can be lost', async () => {
    const out = tmp('none.yaml');
    const r = await explore(DURABLE, '--budget', '60', '--faults', SAFE_FAULTS, '--out', out);
    expect(r.stdout).not.toContain('FOUND');
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).toContain('nothing found in 60 schedules of durable.yaml (explore seed 1); no file written');
    expect(r.stdout).toMatch(/^ {2}\d+ faults: crash \d+, shutdown \d+, pause \d+, partition \d+, cut \d+, slow \d+, isolate \d+$/m);
    expect(r.stdout).toMatch(/^ {2}nodes touched: 1, 2, 3, controller/m);
    expect(r.stderr).toContain('explore: 50% (30/60 schedules)');
  });

  it('refuses bad flags and files, naming the flag (exit 2)', async () => {
    await expect(explore(ACKS_1, '--budget', '10', '--faults', 'crash,meteor')).rejects.toThrow(/--faults: unknown fault kind 'meteor'/);
    await expect(explore(ACKS_1, '--budget', '10', '--faults', 'crahs')).rejects.toThrow(/did you mean "crash"/);
    for (const bad of ['0', '-3', 'ten', '1.5']) {
      await expect(explore(ACKS_1, `--budget=${bad}`)).rejects.toThrow(new RegExp(`--budget expects a positive whole number, got '${bad.replace('.', '\\.')}'`));
    }
    await expect(explore(ACKS_1)).rejects.toThrow(/--budget N is required/);
    await expect(explore(ACKS_1, '--budget', '5', '--shrink-runs', 'many')).rejects.toThrow(/--shrink-runs/);
    await expect(explore('no/such/file.yaml', '--budget', '5')).rejects.toThrow(UsageError);
    await expect(explore(join(REPO, 'scenarios/scenario.schema.json'), '--budget', '5')).rejects.toThrow(BadScenario);
  });
});

/** The top-level keys of a YAML document, in order (enough YAML for this test). */
function parseYamlKeys(text: string): Record<string, true> {
  const keys: Record<string, true> = {};
  for (const m of text.matchAll(/^([a-z][\w.-]*):/gm)) keys[m[1]] = true;
  return keys;
}
