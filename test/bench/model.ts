// Benchmarks of the Kafka model: model events per second and simulated seconds per wall second for
// (1) 3 brokers, 6 partitions, RF 3 under a steady 300 records/s (acks=all) for 60 s, and
// (2) 30 brokers × 1,000 partitions, RF 3, 1,000 records/s for 30 s. Each run records the full
// trace (hashed, as the CLI does) and counts its JSONL bytes.
// Run `npx tsx test/bench/model.ts` for the table; `npm run bench` runs model.bench.ts.
import { checks } from '../../sim/check/index.ts';
import { SEC, MS } from '../../sim/engine/index.ts';
import { faults } from '../../sim/faults/index.ts';
import { assembleSimulation, type ClusterSpec } from '../../sim/kafka/index.ts';
import { LoadClient } from '../kafka/support/test-client.ts';

export interface ModelWorkload {
  name: string;
  brokers: number;
  partitions: number;
  ratePerSec: number;
  durationUs: number;
}

export const SMALL: ModelWorkload = { name: '3 brokers, 6 partitions, RF 3, 300 rec/s, 60 s', brokers: 3, partitions: 6, ratePerSec: 300, durationUs: 60 * SEC };
export const BIG: ModelWorkload = { name: '30 brokers, 1000 partitions, RF 3, 1000 rec/s, 30 s', brokers: 30, partitions: 1000, ratePerSec: 1000, durationUs: 30 * SEC };

export function workloadSpec(w: ModelWorkload): ClusterSpec {
  const brokers = Array.from({ length: w.brokers }, (_, i) => i + 1);
  return {
    name: w.name, seed: 1, durationUs: w.durationUs, brokers, controller: 'kraft', replicationProtocol: 'leader-epoch',
    pageCacheWritebackUs: 30 * SEC, brokerConfig: {}, network: { latency: { minUs: 500, maxUs: 1500 } },
    topics: [{ name: 'orders', partitions: w.partitions, replicationFactor: 3, config: {} }],
    producers: [], consumers: [], timeline: [],
  };
}

export interface ModelResult {
  wallMs: number;
  events: number;
  traceLines: number;
  traceBytes: number;
  acked: number;
}

/** Builds and runs one workload; `checkInvariants` as the CLI would (on). */
export function runWorkload(w: ModelWorkload, opts: { checkInvariants?: boolean; trace?: boolean } = {}): ModelResult {
  let traceBytes = 0;
  const spec = workloadSpec(w);
  const t0 = performance.now();
  const trace = opts.trace ?? true;
  const sim = assembleSimulation(spec, { faults, checks: checks({ invariants: opts.checkInvariants ?? true }) }, {
    keepTrace: false, trace,
    traceSink: trace ? (line) => { traceBytes += line.length + 1; } : undefined,
  });
  const partitions = Array.from({ length: w.partitions }, (_, i) => `orders-${i}`);
  const load = new LoadClient(sim, partitions, w.ratePerSec, { acks: -1 });
  sim.run();
  if (trace) sim.trace.hash();
  const wallMs = performance.now() - t0;
  return { wallMs, events: sim.scheduler.executed, traceLines: sim.trace.count, traceBytes, acked: load.acked };
}

/** The variants measured: as the CLI runs (trace hashed, invariants checked), and as a sweep would. */
export const VARIANTS = [
  { label: 'trace + invariants', trace: true, checkInvariants: true },
  { label: 'no trace, invariants', trace: false, checkInvariants: true },
  { label: 'no trace, no checks', trace: false, checkInvariants: false },
];

function main(): void {
  const rows: string[][] = [['workload', 'variant', 'wall ms', 'events', 'events/s', 'sim s / wall s', 'trace lines', 'trace MB', 'acked']];
  for (const w of [SMALL, BIG]) {
    runWorkload(w === BIG ? { ...w, durationUs: 2 * SEC } : { ...w, durationUs: 5 * SEC }); // warm-up
    for (const v of VARIANTS) {
      const r = runWorkload(w, v);
      rows.push([
        w.name, v.label, r.wallMs.toFixed(0), String(r.events), (r.events / (r.wallMs / 1000)).toFixed(0),
        (w.durationUs / SEC / (r.wallMs / 1000)).toFixed(1), v.trace ? String(r.traceLines) : '-', v.trace ? (r.traceBytes / 1e6).toFixed(2) : '-', String(r.acked),
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  void MS;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
