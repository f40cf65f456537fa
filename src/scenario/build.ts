// Validated Scenario → ClusterSpec, the plain-data input of the simulation (sim/kafka/spec.ts). The
// scenario is already checked and normalised, so this is only a change of shape: the cluster section
// is flattened and the timeline is put in time order (stable, so equal times keep file order; a
// `between` step by its window's start). Each step keeps its index in the file, which names its
// random stream.

import type { ClusterSpec, TimelineStep } from '../../sim/kafka/spec.ts';
import type { Scenario, ScenarioStep } from './types.ts';

export function buildClusterSpec(scenario: Scenario): ClusterSpec {
  const { cluster } = scenario;
  return {
    name: scenario.name,
    seed: scenario.seed,
    durationUs: scenario.durationUs,
    brokers: [...cluster.brokers],
    controller: cluster.controller,
    replicationProtocol: cluster.replicationProtocol,
    pageCacheWritebackUs: cluster.pageCacheWritebackUs,
    brokerConfig: { ...cluster.config },
    network: { latency: { ...scenario.network.latency } },
    topics: scenario.topics.map((t) => ({ ...t, config: { ...t.config } })),
    producers: scenario.producers.map((p) => ({ ...p, config: { ...p.config } })),
    consumers: scenario.consumers.map((c) => ({ ...c, topics: [...c.topics], config: { ...c.config } })),
    timeline: inTimeOrder(scenario.timeline.map(toTimelineStep)),
  };
}

function inTimeOrder(steps: TimelineStep[]): TimelineStep[] {
  return [...steps].sort((a, b) => a.atUs - b.atUs || a.index! - b.index!);
}

function toTimelineStep(step: ScenarioStep, index: number): TimelineStep {
  const out: TimelineStep = { atUs: step.atUs, index, source: { ...step.source } };
  if (step.between !== undefined) out.between = { ...step.between };
  if (step.note !== undefined) out.note = step.note;
  if (step.action !== undefined) out.action = step.action;
  return out;
}
