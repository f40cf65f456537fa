// What a shard file must hold for its merge to be the sweep one machine would have run: exactly one
// outcome for every (cell, seed) of its slice, each with the fields a run reports. A file edited by
// hand, cut short, concatenated or copied between shards would otherwise merge into a report whose
// counts and intervals look right and are not (a run missing, a seed counted twice).

import type { RunOutcome } from './outcome.ts';

/** The slice of a sweep a shard ran, as its file states it. */
export interface ShardSlice {
  /** 1-based index of count. */
  shard: { index: number; count: number };
  seeds: { first: number; count: number };
  cells: number;
}

const COUNTS = ['acked', 'lost', 'duplicates', 'unavailable'] as const;

/** Why `outcomes` are not exactly the runs of the slice, or undefined when they are. */
export function shardContentsProblem(slice: ShardSlice, outcomes: readonly unknown[]): string | undefined {
  const { shard, seeds, cells } = slice;
  const seen = new Set<string>();
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i] as Partial<RunOutcome> | null;
    const where = `outcomes[${i}]`;
    if (o === null || typeof o !== 'object') return `${where} is not a run`;
    if (!Number.isInteger(o.cell) || o.cell! < 0 || o.cell! >= cells) return `${where}: cell ${JSON.stringify(o.cell)} is not one of the sweep's ${cells} cell(s)`;
    const seed = o.seed!;
    const offset = Number.isSafeInteger(seed) ? seed - seeds.first : -1;
    if (offset < 0 || offset >= seeds.count) return `${where}: seed ${JSON.stringify(o.seed)} is not one of the sweep's seeds (${seeds.first}–${seeds.first + seeds.count - 1})`;
    if (offset % shard.count !== shard.index - 1) return `${where}: seed ${seed} belongs to shard ${(offset % shard.count) + 1}/${shard.count}, not to this shard ${shard.index}/${shard.count}`;
    const key = `${o.cell}:${seed}`;
    if (seen.has(key)) return `${where}: the run of cell ${o.cell! + 1} at seed ${seed} is there twice`;
    seen.add(key);
    const bad = fieldProblem(o);
    if (bad) return `${where} (cell ${o.cell! + 1}, seed ${seed}): ${bad}`;
  }
  // every seed of the slice, in every cell
  const perCell = Math.floor((seeds.count - shard.index) / shard.count) + 1;
  const expected = shard.index <= seeds.count ? perCell * cells : 0;
  if (seen.size !== expected) return `${expected - seen.size} of its ${expected} runs are missing (it holds ${seen.size})`;
  return undefined;
}

function fieldProblem(o: Partial<RunOutcome>): string | undefined {
  for (const k of COUNTS) if (!isCount(o[k])) return `${k} is ${JSON.stringify(o[k])}, not a count`;
  if (!(typeof o.leaderlessMs === 'number' && o.leaderlessMs >= 0 && Number.isFinite(o.leaderlessMs))) return `leaderlessMs is ${JSON.stringify(o.leaderlessMs)}, not a time`;
  if (o.errors === null || typeof o.errors !== 'object' || Object.values(o.errors).some((n) => !isCount(n))) return 'errors is not a count per error code';
  if (!Array.isArray(o.failed) || o.failed.some((p) => typeof p !== 'string')) return 'failed is not a list of expectation paths';
  if (o.broken !== undefined && typeof o.broken !== 'string') return 'broken is not a message';
  return undefined;
}

function isCount(x: unknown): boolean {
  return Number.isSafeInteger(x) && (x as number) >= 0;
}
