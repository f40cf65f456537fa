// Watches one run of a candidate the way a reader of the found file will: the cluster just before
// each step (for the captions), and at the end the facts the file's expectations state (what was
// lost, where, who leads, whether an election was unclean). Runs the simulation in pieces, as
// runScenario does for timed expectations, so it is the same run, event for event.

import { assembleSimulation, type Simulation } from '../../../sim/kafka/index.ts';
import { parseScenario } from '../../scenario/index.ts';
import { standardParts } from '../../scenario/standard-parts.ts';
import { scenarioText, type Base } from './document.ts';
import type { ClusterView } from './notes.ts';
import type { Candidate } from './shrink.ts';

export interface EndFacts {
  lost: number;
  /** Partitions with lost records, by name, and each one's leader at the end. */
  lossByPartition: { partition: string; lost: number; leader: number | null }[];
  uncleanElections: number;
}

export interface Observation {
  /** The cluster just before each of the requested moments. */
  before: Map<number, ClusterView>;
  end: EndFacts;
}

export function observe(base: Base, c: Candidate, runSeed: number, momentsUs: number[]): Observation {
  const text = scenarioText(base, c, { seed: runSeed, expect: [] });
  const parsed = parseScenario(text, base.fileName.replace(/\.json$/i, '.yaml'));
  if (!parsed.ok) throw new Error(`explore: the minimal scenario does not validate: ${parsed.errors.map((e) => e.message).join('; ')}`);
  // the full simulator, as runScenario assembles it
  const sim = assembleSimulation(parsed.spec, standardParts(), { trace: false });
  const clientKind = new Map<string, 'producer' | 'consumer'>([
    ...parsed.scenario.producers.map((p) => [p.id, 'producer'] as const),
    ...parsed.scenario.consumers.map((k) => [k.id, 'consumer'] as const),
  ]);
  const before = new Map<number, ClusterView>();
  for (const t of [...new Set(momentsUs)].sort((a, b) => a - b)) {
    // the step at t runs at t; the cluster before it is the cluster at t − 1 µs
    sim.runUntil(Math.max(0, t - 1));
    before.set(t, viewOf(sim, clientKind));
  }
  sim.run();
  return { before, end: endFacts(sim) };
}

function viewOf(sim: Simulation, clientKind: ClusterView['clientKind']): ClusterView {
  const partitions = sim.topics().flatMap((t) => t.partitions.map((p) => ({ name: p.name, leader: p.leader, isr: p.isr, replicas: p.replicas })));
  return { partitions, brokerState: new Map(sim.brokers().map((b) => [b.id, b.state])), clientKind };
}

function endFacts(sim: Simulation): EndFacts {
  const counts = new Map<string, number>();
  for (const r of sim.lostRecords()) counts.set(r.partition, (counts.get(r.partition) ?? 0) + 1);
  const lossByPartition = [...counts.keys()].sort().map((partition) => ({
    partition,
    lost: counts.get(partition)!,
    leader: sim.partition(partition)?.leader ?? null,
  }));
  return { lost: sim.ledgerSummary().lost, lossByPartition, uncleanElections: sim.eventCount('unclean-election') };
}
