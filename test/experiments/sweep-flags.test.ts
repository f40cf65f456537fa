// Sweep flags and notes, on tiny scenarios: more --workers than cores, a shard of one, too many
// runs, a scenario without faults.
// More --workers than cores is allowed (the results are the same) but cannot run faster and costs a
// model's memory per worker: sweep says so on stderr, once, and runs as asked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/support.ts';

const TINY = `name: tiny
duration: 1s
cluster: { brokers: 1 }
topics: [{ name: t, partitions: 1, replication.factor: 1 }]
producers: [{ id: p, topic: t, rate: 10/s }]
`;

describe('sweep --workers', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kafkasim-workers-')), 'tiny.yaml');
  writeFileSync(file, TINY);
  const cores = availableParallelism();

  it('more than the cores: a note on stderr, and the sweep runs on them', async () => {
    // four runs per worker's batch, so every one of the cores + 1 workers gets work
    const r = await cli('sweep', file, '--seeds', String(4 * (cores + 1)), '--workers', String(cores + 1));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`note: --workers ${cores + 1} on ${cores} core(s): workers beyond the cores do not run faster`);
    expect(r.stderr).toContain(`on ${cores + 1} worker(s)`);
  }, 120_000);

  it('no more than the cores: no note', async () => {
    const r = await cli('sweep', file, '--seeds', '2', '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('note: --workers');
  });
});

describe('sweep --shard 1/1', () => {
  // a Kubernetes Indexed Job of one pod (--shard auto/1), or a Slurm array of one task
  it('writes a shard file that merge takes, into the table one machine prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-shard-one-'));
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, TINY);
    const whole = await cli('sweep', file, '--seeds', '3', '--workers', '1');
    const shard = await cli('sweep', file, '--seeds', '3', '--workers', '1', '--shard', '1/1', '--out', join(dir, 'shard-1.json'));
    expect(shard.code).toBe(0);
    expect(shard.stdout).toContain('shard 1/1 of tiny: 3 runs written to');
    const merged = await cli('merge', join(dir, 'shard-1.json'));
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
  });
});

describe('sweep --seeds beyond what a report can hold', () => {
  // 2 cells × 1,500,000 seeds = 3,000,000 runs: more than the 2,000,000 whose numbers fit a shard file
  // (about 143 bytes a run in one string, capped by V8 at 2^29 − 24 characters) and memory
  it('is refused before any run, naming --seeds and the count', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafkasim-huge-')), 'tiny.yaml');
    writeFileSync(file, TINY);
    const r = await cli('sweep', file, '--set', 'producer.p.acks=1,all', '--seeds', '1500000', '--workers', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seeds: 2 cell(s) × 1500000 seeds is 3000000 runs, more than the 2000000 one sweep can report');
  });
});

describe('sweep of a scenario without faults', () => {
  it('notes that its runs see a healthy cluster; a scenario with a crash gets no note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-faultless-'));
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, TINY);
    const r = await cli('sweep', file, '--seeds', '1', '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("note: tiny's timeline has no fault (crash, shutdown, power-loss, disk-loss, pause, partition, cut, slow, isolate)");
    const crash = join(dir, 'crash.yaml');
    writeFileSync(crash, `${TINY.replace('brokers: 1', 'brokers: 2')}timeline:\n  - { at: 500ms, crash: 2 }\n`);
    const c = await cli('sweep', crash, '--seeds', '1', '--workers', '1');
    expect(c.code).toBe(0);
    expect(c.stderr).not.toContain('has no fault');
  });
});

describe('sweep: the workers it says it runs on', () => {
  it('are the ones the runner starts: 5 runs in batches of 4 need 2, whatever --workers asks', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafkasim-workers-')), 'tiny.yaml');
    writeFileSync(file, TINY);
    const r = await cli('sweep', file, '--seeds', '5', '--workers', '4');
    expect(r.stderr).toContain('= 5 runs on 2 worker(s)');
    expect(r.stderr).not.toContain('on 4 worker(s)');
  });
});
