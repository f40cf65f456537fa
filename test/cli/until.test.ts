// run --until stops a run early: the expectations due later are not checked, and the command says how
// many rather than "all expectations held" (issue 14).
import { describe, expect, it } from 'vitest';
import { cli } from './support.ts';

const FILE = 'scenarios/library/leader-crash-kraft.yaml';

describe('run --until', () => {
  it('counts the expectations it did not check, in the story and in --json', async () => {
    const r = await cli('run', FILE, '--until', '20s');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('all expectations held');
    expect(r.stdout).toMatch(/^5 checked expectation\(s\) held; 8 not checked \(due after 20s, where --until stopped the run\)$/m);
    const j = JSON.parse((await cli('run', FILE, '--until', '20s', '--json')).stdout);
    expect([j.expectations.length, j.unchecked]).toEqual([5, 8]);
    const whole = JSON.parse((await cli('run', FILE, '--json')).stdout);
    expect([whole.expectations.length, whole.unchecked]).toEqual([13, 0]);
    expect((await cli('run', FILE)).stdout).toContain('all expectations held');
  });
});

describe('run --until after the end', () => {
  it('is a usage error naming the scenario\'s end, as describe --at is (it used to run to the end silently)', async () => {
    const r = await cli('run', FILE, '--until', '100h');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--until 100h is after the end of the scenario \(\d+(\.\d+)?s\): the run stops there anyway$/m);
  });
});
