// The engine benchmark as one table (run with `tsx test/bench/run.ts`): raw typed-array heap
// push+pop, the Scheduler with empty self-rescheduling handlers, their ratio, and SimJS on the
// 1e3 loop. Samples of the workloads being compared alternate, and each ratio is the median of
// per-round ratios, so that other load on the machine hits both sides of a ratio alike. The ratio
// of the best samples is shown too: other load only ever slows a sample down.
import { loadavg } from 'node:os';
import { engineLoop, loadSimJs, rate, rawHeap, simJsLoop, type Workload } from './workloads.ts';

// optional arguments pick the sizes, e.g. `tsx test/bench/run.ts 1e6`
const SIZES = process.argv.length > 2 && import.meta.url === `file://${process.argv[1]}` ? process.argv.slice(2).map(Number) : [1_000, 100_000, 1_000_000];
const SAMPLES = 5;
const WARMUP = 2;
const EVENTS_PER_SAMPLE = 1_000_000;

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** Events/s samples of a baseline and a contender, taken in alternation after a warm-up. */
export interface Comparison {
  base: number;
  other: number;
  /** median of the per-round ratios other/base */
  ratio: number;
  /** best other sample over best base sample */
  bestRatio: number;
}

export function compare(baseline: Workload, contender: Workload): Comparison {
  const base: number[] = [];
  const other: number[] = [];
  for (let round = 0; round < WARMUP + SAMPLES; round++) {
    const b = rate(baseline, EVENTS_PER_SAMPLE);
    const c = rate(contender, EVENTS_PER_SAMPLE);
    if (round < WARMUP) continue;
    base.push(b);
    other.push(c);
  }
  return {
    base: median(base),
    other: median(other),
    ratio: median(other.map((c, i) => c / base[i])),
    bestRatio: Math.max(...other) / Math.max(...base),
  };
}

const millions = (x: number): string => `${(x / 1e6).toFixed(2)}M`;
const percent = (x: number): string => `${(x * 100).toFixed(0)}%`;
const column = (text: string, width: number): string => text.padStart(width);

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  console.log(`engine benchmark: events per second, median of ${SAMPLES} samples of ~${EVENTS_PER_SAMPLE.toExponential(0)} events`);
  console.log('steady state: each event pops one entry and pushes one later; delays uniform in 1µs..1s');
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other load makes figures noisy)\n`);
  console.log(`${column('pending', 9)}${column('raw heap', 12)}${column('engine', 10)}${column('engine/raw', 12)}${column('best/best', 11)}`);
  for (const size of SIZES) {
    const { base, other, ratio, bestRatio } = compare(rawHeap(size), engineLoop(size));
    const cells = [column(millions(base), 12), column(millions(other), 10), column(percent(ratio), 12), column(percent(bestRatio), 11)];
    console.log(`${column(size.toExponential(0), 9)}${cells.join('')}`);
  }
  const simjs = await loadSimJs();
  const { base, other, ratio, bestRatio } = compare(simJsLoop(simjs, 1_000), engineLoop(1_000));
  console.log(`\n1e3 self-rescheduling loop: SimJS ${millions(base)}/s, engine ${millions(other)}/s, ` +
    `engine/SimJS ${ratio.toFixed(2)}x (best/best ${bestRatio.toFixed(2)}x)`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`\ntotal ${seconds.toFixed(1)}s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
