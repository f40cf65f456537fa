// Splitting a sweep across machines and putting it back together. A shard is a slice of the sweep's
// runs (every N-th seed, so each shard sees every cell); its file holds the sweep's definition and
// its raw outcomes, never a wall-clock time or a host name, so merging the shards' files gives
// exactly the report one machine would have made. The batch systems people already run hand out
// the shard index: a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, 0-based, count given) or a Slurm
// job array (SLURM_ARRAY_TASK_ID/_MIN/_COUNT); GitHub Actions passes it from a matrix.

import { aggregate, type SweepDefinition, type SweepReport } from './aggregate.ts';
import type { RunOutcome } from './outcome.ts';
import { SetKeyError } from './set-keys.ts';
import { shardContentsProblem } from './shard-contents.ts';

export interface Shard {
  /** 1..count */
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

/**
 * `--shard I/N`, `--shard auto/N` (index from a Kubernetes Indexed Job) or `--shard auto` (index and
 * count from a Slurm job array). Throws SetKeyError (a usage error) naming what is wrong.
 */
export function parseShard(text: string, env: Record<string, string | undefined>): Shard {
  const m = /^(\d+|auto)(?:\/(\d+))?$/.exec(text.trim());
  if (!m) throw new SetKeyError(`--shard ${text}: expected I/N (e.g. 2/4), auto/N (Kubernetes Indexed Job) or auto (Slurm job array)`);
  if (m[1] !== 'auto') {
    if (m[2] === undefined) throw new SetKeyError(`--shard ${text}: give the count too, e.g. --shard ${m[1]}/4`);
    return checked(Number(m[1]), Number(m[2]), `--shard ${text}`);
  }
  if (m[2] !== undefined) {
    const k8s = env.JOB_COMPLETION_INDEX;
    if (k8s === undefined || !/^\d+$/.test(k8s)) throw new SetKeyError(`--shard ${text}: JOB_COMPLETION_INDEX is not set (a Kubernetes Indexed Job sets it); use --shard I/N elsewhere`);
    return checked(Number(k8s) + 1, Number(m[2]), `--shard ${text} with JOB_COMPLETION_INDEX=${k8s}`);
  }
  const id = env.SLURM_ARRAY_TASK_ID;
  const count = env.SLURM_ARRAY_TASK_COUNT;
  if (id === undefined || count === undefined) {
    throw new SetKeyError(`--shard auto: SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set (a Slurm job array sets them); for a Kubernetes Indexed Job use --shard auto/N`);
  }
  const min = env.SLURM_ARRAY_TASK_MIN ?? '0';
  return checked(Number(id) - Number(min) + 1, Number(count), `--shard auto with SLURM_ARRAY_TASK_ID=${id}, SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_COUNT=${count}`);
}

function checked(index: number, count: number, what: string): Shard {
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 1 || index > count) {
    throw new SetKeyError(`${what}: the shard must be 1..N of N ≥ 1 (got ${index} of ${count})`);
  }
  return { index, count };
}

/** The seeds a shard runs: every count-th seed from its own position. */
export function shardSeeds(seeds: readonly number[], shard: Shard): number[] {
  return seeds.filter((_, i) => i % shard.count === shard.index - 1);
}

/** What `sweep --shard` writes and `merge` reads. */
export interface ShardFile {
  kafkasimShard: 1;
  shard: Shard;
  definition: SweepDefinition;
  outcomes: RunOutcome[];
}

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

/** Checks that the files are the shards 1..N of one sweep, each once and each with exactly the runs of its slice, and aggregates them. */
export function mergeShards(files: readonly { name: string; content: unknown }[]): SweepReport {
  if (files.length === 0) throw new MergeError('merge: name the shard files');
  const shards = files.map(({ name, content }) => asShard(name, content));
  const first = shards[0];
  const def = JSON.stringify(first.file.definition);
  const count = first.file.shard.count;
  const seen = new Map<number, string>();
  for (const { name, file } of shards) {
    if (JSON.stringify(file.definition) !== def) throw new MergeError(`merge: ${name} is a shard of a different sweep than ${first.name}: ${difference(first.file.definition, file.definition)}`);
    if (file.shard.count !== count) throw new MergeError(`merge: ${name} is shard ${file.shard.index}/${file.shard.count}, ${first.name} is one of ${count}`);
    const dup = seen.get(file.shard.index);
    if (dup !== undefined) throw new MergeError(`merge: ${name} and ${dup} are both shard ${file.shard.index}/${count}`);
    seen.set(file.shard.index, name);
    const wrong = shardContentsProblem({ shard: file.shard, seeds: file.definition.seeds, cells: file.definition.cells.length }, file.outcomes);
    if (wrong) throw new MergeError(`merge: ${name} is not what sweep --shard ${file.shard.index}/${file.shard.count} writes: ${wrong}`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new MergeError(`merge: shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing; the report would not be the whole sweep`);
  return aggregate(first.file.definition, shards.flatMap((s) => s.file.outcomes));
}

function asShard(name: string, content: unknown): { name: string; file: ShardFile } {
  const f = content as Partial<ShardFile> | null;
  const sliceOk = (x: Partial<ShardFile>) => {
    const { index, count } = x.shard ?? ({} as Partial<Shard>);
    const seeds = x.definition?.seeds;
    return Number.isInteger(index) && Number.isInteger(count) && index! >= 1 && index! <= count! && Array.isArray(x.definition?.cells) &&
      seeds !== undefined && Number.isSafeInteger(seeds.first) && Number.isSafeInteger(seeds.count) && seeds.first >= 0 && seeds.count >= 1;
  };
  if (f === null || typeof f !== 'object' || f.kafkasimShard !== 1 || !f.shard || !f.definition || !Array.isArray(f.outcomes) || !sliceOk(f)) {
    throw new MergeError(`merge: ${name} is not a shard file (write one with kafkasim sweep --shard I/N --out ${name})`);
  }
  return { name, file: f as ShardFile };
}

/** What differs between two sweeps' definitions, in the words of the flags and files that set it. */
function difference(a: SweepDefinition, b: SweepDefinition): string {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const seeds = (d: SweepDefinition) => `${d.seeds.first}–${d.seeds.first + d.seeds.count - 1}`;
  if (a.scenarioHash !== b.scenarioHash || a.scenario !== b.scenario || a.file !== b.file) {
    return `the scenario differs (${a.file}, SHA-256 ${a.scenarioHash.slice(0, 12)}… against ${b.file}, ${b.scenarioHash.slice(0, 12)}…)`;
  }
  if (!same(a.seeds, b.seeds)) return `--seeds differs (seeds ${seeds(a)} against ${seeds(b)})`;
  if (!same(a.axes, b.axes) || !same(a.cells, b.cells)) return 'the --set keys or values differ';
  if (a.metrics !== b.metrics) return `one ran with --metrics, the other without`;
  return 'their definitions differ';
}
