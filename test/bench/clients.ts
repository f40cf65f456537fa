// The clients' benchmark (issue 4): three producers at 10,000 records/s in total (random keys over 6
// partitions, RF 3, acks=all, idempotent — the defaults) and one consumer group of three on a
// 3-broker cluster. Reports model events per second, simulated seconds per wall second and per CPU
// second (steadier on a shared machine), trace size, and memory: heap after the run and the heap
// growth per simulated second, measured at two run lengths so what grows with the run shows apart
// from what does not. Variants as model.ts: as the CLI runs (trace hashed, invariants checked), and
// as a sweep would (no trace, no checks). Run `npx tsx test/bench/clients.ts [seconds]`;
// clients.bench.ts runs it under `npm run bench`.
import { assembleSimulation, type Simulation } from '../../sim/kafka/index.ts';
import { standardParts } from '../../src/scenario/standard-parts.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { MS, SEC } from '../../sim/engine/index.ts';

export function benchSpec(seconds: number): ClusterSpec {
  const producer = (id: string, ratePerSec: number) => ({
    id, topic: 'orders', ratePerSec, keys: { kind: 'random' as const, count: 1000 }, startUs: 0,
    partitioner: 'uniform-sticky' as const, recordSizeBytes: 100, config: {},
  });
  const consumer = (id: string) => ({ id, group: 'billing', topics: ['orders'], startUs: 0, config: { 'auto.offset.reset': 'earliest' } });
  return {
    name: 'clients-bench', seed: 1, durationUs: seconds * SEC, brokers: [1, 2, 3], controller: 'kraft',
    replicationProtocol: 'leader-epoch', pageCacheWritebackUs: 30 * SEC, brokerConfig: {},
    network: { latency: { minUs: 1 * MS, maxUs: 2 * MS } },
    topics: [{ name: 'orders', partitions: 6, replicationFactor: 3, config: {} }],
    producers: [producer('checkout', 3334), producer('refunds', 3333), producer('payments', 3333)],
    consumers: [consumer('billing-1'), consumer('billing-2'), consumer('billing-3')],
    timeline: [],
  };
}

export interface Variant {
  label: string;
  trace: boolean;
  checkInvariants: boolean;
}

export const VARIANTS: Variant[] = [
  { label: 'trace + invariants (CLI)', trace: true, checkInvariants: true },
  { label: 'trace, no invariants', trace: true, checkInvariants: false },
  { label: 'no trace, no checks (sweep)', trace: false, checkInvariants: false },
];

export interface BenchResult {
  seconds: number;
  wallMs: number;
  /** CPU time of this process (user + system, all threads). */
  cpuMs: number;
  events: number;
  traceLines: number;
  /** Heap used after the run (after a GC when --expose-gc is on). */
  heapMB: number;
  peakRssMB: number;
  records: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function runClientsBench(seconds: number, v: Variant = VARIANTS[0]): BenchResult {
  gc();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const sim: Simulation = assembleSimulation(benchSpec(seconds), standardParts({ checkInvariants: v.checkInvariants }), { keepTrace: false, trace: v.trace });
  let peakRss = process.memoryUsage().rss;
  for (let t = 1; t <= seconds; t++) {
    sim.runUntil(t * SEC);
    if (t % 5 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  gc();
  const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  let records = 0;
  for (const b of sim.brokerNodes.values()) for (const log of b.disk.values()) records += log.logEndOffset;
  const result = {
    seconds, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, events: sim.scheduler.executed,
    traceLines: v.trace ? sim.trace.count : 0, heapMB, peakRssMB: Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20, records,
  };
  void sim; // keep the simulation alive until the heap was measured
  return result;
}

export function formatResult(v: Variant, r: BenchResult): string {
  const wallS = r.wallMs / 1000;
  const cpuS = r.cpuMs / 1000;
  return [
    v.label.padEnd(28),
    `${String(r.seconds).padStart(3)} s sim`,
    `${(r.events / 1e6).toFixed(2)}M events`,
    `${(r.events / wallS / 1e3).toFixed(0).padStart(4)}k events/s wall (${(r.events / cpuS / 1e3).toFixed(0)}k per CPU s)`,
    `${(r.seconds / wallS).toFixed(1).padStart(5)} sim s/wall s (${(r.seconds / cpuS).toFixed(1)} per CPU s)`,
    `trace ${r.traceLines} lines`,
    `heap ${r.heapMB.toFixed(0)} MB, peak RSS ${r.peakRssMB.toFixed(0)} MB`,
  ].join(' | ');
}

function main(): void {
  const seconds = process.argv.length > 2 ? Number(process.argv[2]) : 60;
  runClientsBench(3, VARIANTS[2]); // warm-up
  for (const v of VARIANTS) console.log(formatResult(v, runClientsBench(seconds, v)));
  // memory against run length: the same workload for half as long
  const v = VARIANTS[1];
  const half = runClientsBench(seconds / 2, v);
  const full = runClientsBench(seconds, v);
  const perSec = (full.heapMB - half.heapMB) / (seconds / 2);
  const replicaRecords = full.records - half.records;
  console.log(`heap growth ${perSec.toFixed(2)} MB per simulated second with ${replicaRecords / (seconds / 2)} replica records/s ` +
    `(${((perSec * 2 ** 20) / (replicaRecords / (seconds / 2))).toFixed(0)} bytes per replica record: logs, ledger, checker)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
