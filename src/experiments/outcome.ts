// One run of a sweep: a cell's scenario at one seed, reduced to the numbers a sweep aggregates. The
// run has no trace and no per-event invariant checks (a sweep's cost is its runs), and the same
// (cell, seed) gives the same outcome in any process or worker: nothing here depends on order.

import { LeaderlessTime } from '../../sim/check/leaderless.ts';
import { runScenario, SimulationFailure } from '../scenario/run.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';

export interface RunOutcome {
  cell: number;
  seed: number;
  acked: number;
  lost: number;
  duplicates: number;
  unavailable: number;
  /** Producer errors by Kafka error code, all producers together, codes sorted. */
  errors: Record<string, number>;
  /** The worst partition's time without a leader, in milliseconds (fractional: µs precision). */
  leaderlessMs: number;
  /** Paths (`expect[2]`) of the scenario's expectations this run broke. */
  failed: string[];
  /** The simulator broke one of its own invariants or hit its event limit: the message (a bug). */
  broken?: string;
  /** With the sweep's metrics: send() to acknowledgement over the run, ms (NaN: none acknowledged). */
  produceLatencyP50Ms?: number;
  produceLatencyP99Ms?: number;
  /** With the sweep's metrics: simulated seconds with UnderMinIsrPartitionCount > 0. */
  underMinIsrSeconds?: number;
}

export function runOutcome(cell: number, scenario: Scenario, spec: ClusterSpec, seed: number, opts: { metrics?: boolean } = {}): RunOutcome {
  let leaderless: LeaderlessTime | undefined;
  try {
    const r = runScenario(scenario, spec, {
      seed, trace: false, keepTrace: false, checkInvariants: false, observers: [(sim) => (leaderless = new LeaderlessTime(() => sim.now))],
      // the metrics part costs about half again a run, so a sweep records it only when asked (--metrics)
      ...(opts.metrics ? { metrics: true } : {}),
    });
    const m = opts.metrics ? r.sim.parts.metrics?.summary() : undefined;
    const s = r.sim.ledgerSummary();
    const errors: Record<string, number> = {};
    const byProducer = r.sim.producerErrors();
    for (const p of Object.keys(byProducer)) for (const code of Object.keys(byProducer[p])) errors[code] = (errors[code] ?? 0) + byProducer[p][code];
    return {
      cell, seed, acked: s.acked, lost: s.lost, duplicates: s.duplicates, unavailable: s.unavailable,
      errors: sortKeys(errors), leaderlessMs: (leaderless?.worst() ?? 0) / 1000,
      failed: r.expectations.filter((e) => !e.ok).map((e) => e.path),
      ...(m ? { produceLatencyP50Ms: m.produceLatencyP50Ms, produceLatencyP99Ms: m.produceLatencyP99Ms, underMinIsrSeconds: m.underMinIsrSeconds } : {}),
    };
  } catch (err) {
    if (!(err instanceof SimulationFailure)) throw err;
    return { cell, seed, acked: 0, lost: 0, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 0, failed: [], broken: err.message };
  }
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}
