// A random small cluster under load with a random schedule of faults, all drawn from one seed: the
// randomized invariant test runs hundreds of these; `npx tsx` a script calling randomizedRun(seed)
// replays one.
import { RandomStreams, SEC, MS, type Rng } from '../../../sim/engine/index.ts';
import { assembleSimulation, type Action, type ClusterSpec, type TimelineStep, type TopicSpec } from '../../../sim/kafka/index.ts';
import { clusterParts } from '../../kafka/support/sim.ts';
import { LoadClient } from '../../kafka/support/test-client.ts';

export function randomSpec(seed: number): ClusterSpec {
  const rng = new RandomStreams(seed).stream('schedule');
  const n = rng.between(2, 5);
  const brokers = Array.from({ length: n }, (_, i) => i + 1);
  const topics: TopicSpec[] = [];
  for (let t = 0; t < rng.between(1, 2); t++) {
    topics.push({
      name: `t${t}`, partitions: rng.between(1, 3), replicationFactor: rng.between(1, Math.min(3, n)),
      config: rng.int(3) === 0 ? { 'min.insync.replicas': 2 } : {},
    });
  }
  const minLat = rng.between(200, 2000);
  return {
    name: `random-${seed}`, seed, durationUs: 20 * SEC, brokers,
    controller: rng.int(4) === 0 ? 'zookeeper' : 'kraft',
    replicationProtocol: rng.int(6) === 0 ? 'high-watermark' : 'leader-epoch',
    pageCacheWritebackUs: rng.pick([1, 3, 30]) * SEC,
    brokerConfig: {
      'unclean.leader.election.enable': rng.int(3) === 0,
      'replica.lag.time.max.ms': rng.pick([2000, 10000, 30000]),
      'leader.imbalance.check.interval.seconds': rng.pick([5, 300]),
      ...(rng.int(4) === 0 ? { 'log.flush.interval.messages': 1 } : {}),
    },
    network: { latency: { minUs: minLat, maxUs: minLat + rng.between(0, 5000) } },
    topics, producers: [], consumers: [],
    timeline: randomTimeline(rng, brokers, topics),
  };
}

function randomTimeline(rng: Rng, brokers: number[], topics: TopicSpec[]): TimelineStep[] {
  const steps: TimelineStep[] = [];
  const some = (): number[] => rng.shuffle([...brokers]).slice(0, rng.between(1, brokers.length));
  const node = (): number | string => (rng.int(8) === 0 ? 'controller' : rng.pick(brokers));
  const count = rng.between(2, 8);
  for (let i = 0; i < count; i++) {
    const atUs = rng.between(0, 8000) * MS;
    let action: Action;
    switch (rng.int(15)) {
      case 0: case 13: case 14: action = { type: 'crash', nodes: [rng.pick(brokers)] }; break;
      case 1: action = { type: 'power-loss', brokers: some() }; break;
      case 2: action = { type: 'shutdown', brokers: some() }; break;
      case 3: action = { type: 'disk-loss', brokers: [rng.pick(brokers)] }; break;
      case 4: action = { type: 'pause', node: rng.pick(brokers), forUs: rng.between(100, 12000) * MS }; break;
      case 5: action = { type: 'isolate', node: node() }; break;
      case 6: action = { type: 'partition', groups: [some(), ['controller']] }; break;
      case 7: action = { type: 'cut', from: node(), to: node() }; break;
      case 8: action = { type: 'slow', node: rng.pick(brokers), latencyUs: rng.between(1, 2000) * MS }; break;
      case 9: action = { type: 'elect-leaders', partitions: 'all', electionType: rng.pick(['preferred', 'unclean'] as const) }; break;
      case 10: action = { type: 'alter-config', topic: rng.pick(topics).name, set: { 'unclean.leader.election.enable': true }, delete: [] }; break;
      default: action = { type: 'heal', node: 'all' };
    }
    steps.push({ atUs, action });
  }
  // everything comes back, so the end state is a working cluster
  steps.push({ atUs: 10 * SEC, action: { type: 'heal', node: 'all' } });
  steps.push({ atUs: 10 * SEC, action: { type: 'restart', nodes: brokers } });
  return steps.sort((a, b) => a.atUs - b.atUs);
}

export function randomizedRun(seed: number): { events: number; lost: number } {
  const spec = randomSpec(seed);
  const sim = assembleSimulation(spec, clusterParts(), { eventLimit: 3_000_000, trace: false });
  const partitions = spec.topics.flatMap((t) => Array.from({ length: t.partitions! }, (_, i) => `${t.name}-${i}`));
  const rng = new RandomStreams(seed).stream('load');
  new LoadClient(sim, partitions, rng.pick([50, 200]), { acks: rng.pick([0, 1, -1] as const), requestTimeoutMs: rng.pick([500, 2000]) });
  sim.run();
  return { events: sim.scheduler.executed, lost: sim.ledgerSummary().lost };
}

