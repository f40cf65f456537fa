// vitest bench for the Kafka model (`npm run bench`): one operation is one whole run of a workload
// from test/bench/model.ts, as the CLI runs it (trace hashed, invariants checked) and as a sweep would
// (no trace). events/s = hz × events of the run (printed once per workload); for the full table with
// simulated seconds per wall second and trace size, run `npx tsx test/bench/model.ts`.
import { bench, describe } from 'vitest';
import { BIG, SMALL, VARIANTS, runWorkload } from './model.ts';

const OPTIONS = { iterations: 2, warmupIterations: 1, time: 0, warmupTime: 0 };

for (const w of [SMALL, BIG]) {
  describe(`model: ${w.name}`, () => {
    const probe = runWorkload({ ...w, durationUs: Math.min(w.durationUs, 2_000_000) }, { trace: false });
    console.log(`${w.name}: ~${Math.round((probe.events * w.durationUs) / 2_000_000)} events per run`);
    for (const v of VARIANTS) bench(v.label, () => void runWorkload(w, v), OPTIONS);
  });
}
