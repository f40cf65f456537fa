// vitest bench for the clients (`npm run bench`): one operation is a whole 20 s run of the clients
// workload of test/bench/clients.ts — three producers at 10,000 records/s in total and a consumer
// group of three on 3 brokers — in each variant. events/s = hz × events per run (printed once);
// for simulated seconds per wall second, per CPU second and memory, run `npx tsx test/bench/clients.ts`.
import { bench, describe } from 'vitest';
import { VARIANTS, formatResult, runClientsBench } from './clients.ts';

const SECONDS = 20;
const OPTIONS = { iterations: 2, warmupIterations: 1, time: 0, warmupTime: 0 };

describe(`clients: 3 producers × 10,000 rec/s total, 1 group of 3, 3 brokers, ${SECONDS} s`, () => {
  const probe = runClientsBench(2, VARIANTS[2]);
  console.log(`~${Math.round((probe.events * SECONDS) / 2)} events per ${SECONDS} s run`);
  for (const v of VARIANTS) {
    bench(v.label, () => {
      const r = runClientsBench(SECONDS, v);
      console.log(formatResult(v, r));
    }, OPTIONS);
  }
});
