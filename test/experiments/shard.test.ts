// Which slice of a sweep a machine runs: --shard I/N, or the index handed out by the batch system.
import { describe, expect, it } from 'vitest';
import { parseShard, shardSeeds } from '../../src/experiments/shard.ts';

describe('--shard', () => {
  it('I/N as given', () => {
    expect(parseShard('2/4', {})).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('5/4', {})).toThrow(/1\.\.N of N/);
    expect(() => parseShard('0/4', {})).toThrow(/1\.\.N of N/);
    expect(() => parseShard('2', {})).toThrow(/give the count too/);
    expect(() => parseShard('two/4', {})).toThrow(/expected I\/N/);
  });

  it('auto/N: a Kubernetes Indexed Job numbers its pods from 0 in JOB_COMPLETION_INDEX', () => {
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 });
    expect(() => parseShard('auto/4', { JOB_COMPLETION_INDEX: '4' })).toThrow(/JOB_COMPLETION_INDEX=4/);
    expect(() => parseShard('auto/4', {})).toThrow(/JOB_COMPLETION_INDEX is not set/);
  });

  it('auto: a Slurm job array gives the task id, its first id and the count', () => {
    const env = { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '4' };
    expect(parseShard('auto', env)).toEqual({ index: 3, count: 4 });
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2' })).toEqual({ index: 1, count: 2 });
    expect(() => parseShard('auto', {})).toThrow(/SLURM_ARRAY_TASK_ID/);
  });

  it('the shards of a seed list cover it exactly once', () => {
    const seeds = Array.from({ length: 11 }, (_, i) => i + 1);
    const parts = [1, 2, 3].map((index) => shardSeeds(seeds, { index, count: 3 }));
    expect(parts.flat().sort((a, b) => a - b)).toEqual(seeds);
    expect(parts[0]).toEqual([1, 4, 7, 10]);
  });
});
