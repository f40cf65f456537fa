// A sweep's plan: the cells of a config grid, the seeds every cell runs (the same seeds, so with the
// named random streams each cell sees the same failure timings: common random numbers), and the
// slice of (cell, seed) runs this machine does when the sweep is sharded.

import { defineSweep, seedList, type SweepDefinition } from './aggregate.ts';
import type { RunTask, SweepJob } from './runner.ts';
import { buildCells, SetKeyError, type Axis } from './set-keys.ts';
import { shardSeeds, type Shard } from './shard.ts';
import { FAULT_KINDS } from './explore/schedule.ts';

export interface SweepPlan {
  definition: SweepDefinition;
  job: SweepJob;
  /** Seed-major, so a sweep stopped early has covered every cell about equally. */
  tasks: RunTask[];
  shard: Shard;
  /** No cell's timeline has a fault (crash, pause, partition, …): every run sees a healthy cluster. */
  faultless: boolean;
}

/**
 * At most this many runs in one sweep, all shards together: the report keeps every run's numbers (in
 * memory, in merge, and as each cell's per-seed samples), and a shard file holds about 143 bytes a
 * run in one JSON string, which V8 caps at 2^29 − 24 characters: 4,000,000 runs took 875 MB and
 * could not be written (RangeError: Invalid string length) after every run had been made.
 */
export const MAX_RUNS = 2_000_000;

export function planSweep(text: string, fileName: string, axes: Axis[], seeds: { first: number; count: number }, shard: Shard, opts: { metrics?: boolean } = {}): SweepPlan {
  const cells = buildCells(text, fileName, axes);
  if (cells.length * seeds.count > MAX_RUNS) {
    throw new SetKeyError(`--seeds: ${cells.length} cell(s) × ${seeds.count} seeds is ${cells.length * seeds.count} runs, more than the ${MAX_RUNS} one sweep can report (every run's numbers are kept); sweep fewer seeds or fewer cells`);
  }
  const definition = defineSweep(cells[0].scenario, fileName, text, axes, seeds, cells);
  if (opts.metrics) definition.metrics = true;
  const tasks: RunTask[] = [];
  for (const seed of shardSeeds(seedList(seeds), shard)) for (const c of cells) tasks.push({ cell: c.index, seed });
  const faults = new Set<string>(FAULT_KINDS);
  const faultless = cells.every((c) => c.scenario.timeline.every((s) => s.action === undefined || !faults.has(s.action.type)));
  return { faultless, definition, job: { text, fileName, cells: cells.map((c) => c.settings), ...(opts.metrics ? { metrics: true } : {}) }, tasks, shard };
}

