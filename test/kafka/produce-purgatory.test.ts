// The produce purgatory (DelayedProduce) answering acks=all requests when their leader steps down:
// NOT_LEADER_OR_FOLLOWER, and, as every NOT_LEADER_OR_FOLLOWER of a ProduceResponse v10+, with the
// new leader as the broker's metadata knows it (KafkaApis.handleProduceRequest's callback fills
// currentLeader, KIP-951), so a 3.7+ producer retries to it without waiting for a metadata refresh.
import { describe, expect, it } from 'vitest';
import { parseScenario, formatError } from '../../src/scenario/index.ts';
import { startScenario } from '../../src/scenario/run.ts';
import { SEC } from '../../sim/engine/index.ts';

// follower 3 dies at 5 s but stays in the ISR for now, so acks=all requests wait at leader 1; at 7 s
// broker 1 is shut down (controlled): leadership moves to broker 2 and broker 1's waiting requests
// are answered NOT_LEADER_OR_FOLLOWER
const SCENARIO = `name: purgatory-leader-change
duration: 9s
cluster: { brokers: 3 }
network: { latency: 2ms }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]], config: { min.insync.replicas: 2 } }
producers:
  - { id: p, topic: orders, rate: 100/s, start: 1s }
timeline:
  - { at: 5s, crash: 3 }
  - { at: 7s, shutdown: 1 }
`;

describe('acks=all requests waiting at a leader that steps down', () => {
  it('are answered NOT_LEADER_OR_FOLLOWER naming the new leader, which the producer takes at once', () => {
    const parsed = parseScenario(SCENARIO, 'p.yaml');
    if (!parsed.ok) throw new Error(parsed.errors.map(formatError).join('\n'));
    const { sim } = startScenario(parsed.scenario, parsed.spec, { keepTrace: true });
    sim.runUntil(9 * SEC);
    const refused = sim.trace.events.filter((e) => e.type === 'produce-failed' && e.code === 'NOT_LEADER_OR_FOLLOWER');
    expect(refused.length).toBe(5); // the five requests in flight, all parked in the purgatory
    const t = refused[0].t;
    expect(refused.every((e) => e.t === t)).toBe(true);
    // the answers themselves named broker 2 (epoch 1): the producer's metadata changed with them,
    // not a metadata round trip later
    const learnt = sim.trace.events.find((e) => e.type === 'metadata-refreshed' && e.client === 'p' && e.t >= t);
    expect(learnt).toMatchObject({ t, source: 'produce-response', partitions: [[0, 2, 1]] });
  });
});
