// Benchmark of experiments: runs per second of a library scenario on one worker and on every core
// (the scaling ratio), and the wall time of a 1,000-seed × 4-cell sweep of
// unclean-election-loses-acked-writes (target: under 60 s on a 2-core machine). Measured in one run,
// through the same runner the CLI uses. `npx tsx test/bench/sweep.ts [seeds]`.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { startRuns } from '../../src/experiments/runner.ts';
import { planSweep } from '../../src/experiments/sweep.ts';
import { parseSetFlag } from '../../src/experiments/set-keys.ts';
import { WHOLE } from '../../src/experiments/shard.ts';

const FILE = join(import.meta.dirname, '../../scenarios/library/unclean-election-loses-acked-writes.yaml');
const AXES = ['producer.checkout.acks=1,all', 'topic.orders.min.insync.replicas=1,2'].map(parseSetFlag);

export async function timeSweep(seeds: number, workers: number): Promise<{ runs: number; seconds: number }> {
  const plan = planSweep(readFileSync(FILE, 'utf8'), FILE, AXES, { first: 1, count: seeds }, WHOLE);
  const t0 = process.hrtime.bigint();
  const { outcomes } = await startRuns(plan.job, plan.tasks, { workers }).done;
  return { runs: outcomes.length, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

export async function main(): Promise<void> {
  const cores = availableParallelism();
  const warm = Number(process.argv[2] ?? 1000);
  console.log(`sweep benchmark: unclean-election-loses-acked-writes, 4 cells (acks 1|all × min.insync.replicas 1|2), ${cores} core(s)`);
  await timeSweep(20, 1); // warm this thread's JIT, so one worker is not measured cold
  const one = await timeSweep(50, 1);
  const all = await timeSweep(50 * cores, cores);
  const r1 = one.runs / one.seconds;
  const rAll = all.runs / all.seconds;
  console.log(`  1 worker : ${one.runs} runs in ${one.seconds.toFixed(2)} s = ${r1.toFixed(1)} runs/s`);
  console.log(`  ${cores} workers: ${all.runs} runs in ${all.seconds.toFixed(2)} s = ${rAll.toFixed(1)} runs/s (scaling ${(rAll / r1).toFixed(2)}× on ${cores} cores, ideal ${cores}×)`);
  const big = await timeSweep(warm, cores);
  const simSeconds = big.runs * 90;
  console.log(`  ${warm} seeds × 4 cells = ${big.runs} runs on ${cores} workers: ${big.seconds.toFixed(1)} s wall (target < 60 s), ` +
    `${(simSeconds / big.seconds).toFixed(0)} simulated s per wall s in all`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
