// Builds a simulation for a story test with the faults and checks (no clients: the tests drive load
// with TestClient), plus helpers to run until something holds and to read what the trace says.
import { checks } from '../../../sim/check/index.ts';
import { faults } from '../../../sim/faults/index.ts';
import { assembleSimulation, type Simulation, type SimulationParts } from '../../../sim/kafka/index.ts';
import type { TraceEvent } from '../../../sim/engine/index.ts';
import { parsePartitionName } from '../../../sim/kafka/spec.ts';
import { spec, type SpecOptions } from './cluster.ts';
import { TestClient } from './test-client.ts';

/** The parts of a test cluster: the timeline's faults and the checks (ledger, invariants), no clients. */
export function clusterParts(): SimulationParts {
  return { faults, checks: checks() };
}

export function build(o: SpecOptions = {}): { sim: Simulation; client: TestClient } {
  const sim = assembleSimulation(spec(o), clusterParts());
  return { sim, client: new TestClient(sim) };
}

/** Steps until `cond` holds or `limitUs` is reached; returns the time it first held, or undefined. */
export function runUntilTrue(sim: Simulation, cond: () => boolean, limitUs: number): number | undefined {
  while (sim.now <= limitUs) {
    if (cond()) return sim.now;
    const next = sim.scheduler.peekTime();
    if (next === undefined || next > limitUs) {
      sim.runUntil(limitUs);
      return cond() ? sim.now : undefined;
    }
    sim.scheduler.step();
  }
  return undefined;
}

export function events(sim: Simulation, type: string, where: Partial<Record<string, unknown>> = {}): TraceEvent[] {
  return sim.trace.events.filter((e) => e.type === type && Object.entries(where).every(([k, v]) => e[k] === v));
}

/** Each broker's view of the log of a partition: offsets → epoch, as [epoch, count] runs. */
export function logOf(sim: Simulation, broker: number, partition: string): { leo: number; hw: number; epochs: number[] } {
  const tp = parsePartitionName(partition)!;
  const idx = sim.cluster.names.find(tp.topic, tp.partition);
  const log = sim.broker(broker).disk.get(idx);
  if (!log) return { leo: 0, hw: 0, epochs: [] };
  const epochs: number[] = [];
  for (let i = 0; i < log.batchCount; i++) for (let k = 0; k < log.counts[i]; k++) epochs.push(log.epochs[i]);
  return { leo: log.logEndOffset, hw: log.highWatermark, epochs };
}
