// Once a schedule fails, stderr names it and its run seed before shrinking starts. When shrinking
// spends every run --shrink-runs allows with candidates still untried, explore does not
// call what it has "minimal": the terminal says it may shrink further and the file's description says
// the schedule may not be minimal. With runs to spare (or none needed) it says "minimal" as before.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exploreCommand } from '../../src/cli/explore.ts';
import type { Out } from '../../src/cli/io.ts';
import { initialWorkload } from '../../src/experiments/explore/document.ts';
import { uncleanWorkload } from './unclean-workload.ts';
import { shrinkFailing } from '../../src/experiments/explore/explore.ts';
import type { Fault } from '../../src/experiments/explore/schedule.ts';
import { firstFailure, runTrial } from '../../src/experiments/explore/trial.ts';

const REPO = join(import.meta.dirname, '..', '..');
const S = 1_000_000;

describe('shrinking cut short by --shrink-runs', () => {
  // the library's unclean-election workload without its timeline (lost: 0 is judged), and a schedule
  // of a partition isolating leader 1 and the crash of broker 1, padded with two faults that do not matter
  const base = uncleanWorkload();
  const faults: Fault[] = [
    { kind: 'isolate', node: 'controller', atUs: 2 * S, forUs: 0.1 * S },
    { kind: 'partition', groups: [[1], [2, 3]], atUs: 5 * S, forUs: 60 * S },
    { kind: 'crash', brokers: [1], atUs: 60 * S, forUs: 15 * S },
    { kind: 'cut', from: 2, to: 3, atUs: 80 * S, forUs: 0.1 * S },
  ];
  const candidate = { faults, workload: initialWorkload(base.scenario) };
  const padded = runTrial(base, candidate, 1, { checkInvariants: false });
  if (padded.kind !== 'ran') throw new Error(padded.kind);
  const path = firstFailure(padded.result)!.path;

  it('reports that it ran out when a candidate was left untried', () => {
    // 2 runs: delta debugging's first halves alone; the schedule cannot be minimal yet (4 faults, 2 matter)
    const short = shrinkFailing(base, { schedule: 1, runSeed: 1, candidate, path }, 2, { checkInvariants: false });
    expect(short.runs).toBe(2);
    expect(short.cutShort).toBe(true);
    expect(short.minimal.faults.length).toBeGreaterThan(2);
  });

  it('the terminal and the file say "may shrink further", not "minimal"', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kafkasim-cut-short-')), 'found.yaml');
    const lines: string[] = [];
    const errs: string[] = [];
    const o: Out = { out: (l) => lines.push(l), err: (l) => errs.push(l), color: false };
    const code = await exploreCommand.run([join(REPO, 'scenarios/explore/acks-1-unclean.yaml'), '--budget', '20', '--shrink-runs', '1', '--out', out], o);
    expect(code).toBe(1);
    const stdout = lines.join('\n');
    expect(stdout).toContain('shrunk in 1 runs, all that --shrink-runs allowed (it may shrink further with more)');
    expect(stdout).toMatch(/^ {2}smaller: /m);
    expect(stdout).not.toMatch(/^ {2}minimal: /m);
    expect(readFileSync(out, 'utf8').replace(/\n {2}/g, ' ')).toContain('so this schedule may not be minimal');
    // the failing schedule and its seed are on stderr before shrinking starts (a Ctrl-C while shrinking keeps them)
    const found = /^FOUND schedule (\d+) of 20 broke lost at end \(expected 0\), run seed (\d+)$/m.exec(stdout)!;
    expect(errs.find((l) => l.startsWith('explore: schedule '))).toMatch(new RegExp(`^explore: schedule ${found[1]} \\(run seed ${found[2]}\\) broke lost at end: .+; shrinking it \\(at most 1 runs\\)$`));
  });

  it('--shrink-runs 0 is not called minimal either', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kafkasim-cut-short-')), 'found.yaml');
    const lines: string[] = [];
    const errs: string[] = [];
    const o: Out = { out: (l) => lines.push(l), err: (l) => errs.push(l), color: false };
    expect(await exploreCommand.run([join(REPO, 'scenarios/explore/acks-1-unclean.yaml'), '--budget', '20', '--shrink-runs', '0', '--out', out], o)).toBe(1);
    expect(lines.join('\n')).toMatch(/^ {2}not shrunk \(--shrink-runs 0\): /m);
    expect(lines.join('\n')).toMatch(/^ {2}smaller: /m);
    expect(errs.join('\n')).toContain('not shrinking it (--shrink-runs 0)');
    expect(readFileSync(out, 'utf8').replace(/\n {2}/g, ' ')).toContain('so this schedule may not be minimal');
  });
});
