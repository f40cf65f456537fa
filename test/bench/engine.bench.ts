// vitest bench for the engine: per pending-queue size, the bare typed-array heap (the physical
// limit) against the Scheduler with empty self-rescheduling handlers, plus SimJS on the 1e3 loop.
// One bench operation runs BATCH events, so events/s = hz * BATCH. For the side-by-side table
// with ratios, run `tsx test/bench/run.ts`.
import { bench, describe } from 'vitest';
import { engineLoop, loadSimJs, rawHeap, simJsLoop } from './workloads.ts';

const BATCH = 10_000;
const OPTIONS = { time: 1500, warmupTime: 300 };

const simjs = await loadSimJs();

for (const size of [1_000, 100_000, 1_000_000]) {
  describe(`${size.toExponential(0)} pending, ${BATCH} events per op`, () => {
    const raw = rawHeap(size);
    const engine = engineLoop(size);
    bench('raw heap push+pop', () => void raw.run(BATCH), OPTIONS);
    bench('engine (Scheduler)', () => void engine.run(BATCH), OPTIONS);
    if (size === 1_000) {
      const sim = simJsLoop(simjs, size);
      bench('SimJS', () => void sim.run(BATCH), OPTIONS);
    }
  });
}
