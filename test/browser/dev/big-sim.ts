// Development aid: how long the page's simulate() takes on the 30 × 1,000 cluster with producers.
import { simulate } from '../../../viz/run/simulate.ts';
import { bigClusterScenario } from '../scenarios.ts';
import { CheckpointedFold } from '../../../viz/lib/checkpoints.ts';
import { viewFold } from '../../../viz/lib/view-state.ts';

const t0 = performance.now();
const d = await simulate({ text: bigClusterScenario(), fileName: 'big.yaml' }, (t, e) => process.stdout.write(`\r${Math.round((100 * t) / e)}%`), () => performance.now());
const t1 = performance.now();
const counts: Record<string, number> = {};
for (const e of d.events) counts[e.type] = (counts[e.type] ?? 0) + 1;
console.log(`\nsimulate ${Math.round(t1 - t0)} ms, trace ${d.traceEvents}, events ${d.events.length}, flights ${d.flights.length} sampled=${d.flightsSampled}`, JSON.stringify(counts));
const f = new CheckpointedFold(d.events, (e) => e.tUs, viewFold(d.topology), Math.max(64, Math.ceil(d.events.length / 60)));
const t2 = performance.now();
console.log(`fold build ${Math.round(t2 - t1)} ms, checkpoints ${f.checkpointCount}, every ${f.every}`);
for (const t of [5e6, 25e6, 1e6, 15e6]) {
  const a = performance.now();
  f.stateAt(t);
  console.log(`seek ${t / 1e6} s: ${(performance.now() - a).toFixed(1)} ms`);
}
console.log('heap MB', Math.round(process.memoryUsage().heapUsed / 1e6));
