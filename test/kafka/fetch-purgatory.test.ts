// The leader's fetch purgatory (DelayedFetch, ReplicaManager.fetchMessages): a fetch with nothing to
// return waits up to its maxWaitMs, and an append completes every parked follower fetch of that
// partition at once (DelayedOperationPurgatory.checkAndComplete), whatever else completing one of
// them sets off.
import { describe, it, expect } from 'vitest';
import { MS, SEC } from '../../sim/engine/index.ts';
import { build, logOf } from './support/sim.ts';
import { topic } from './support/cluster.ts';

describe('the fetch purgatory', () => {
  it('an append answers every parked follower fetch, also when answering one moves another HW that completes a consumer fetch', () => {
    // broker 1 leads orders-0 (followers 2, 3) and audit-0 (followers 2, 4); broker 2's fetch carries both
    const { sim, client } = build({
      brokers: [1, 2, 3, 4],
      brokerConfig: { 'replica.fetch.wait.max.ms': 10000 },
      topics: [topic('orders', [[1, 2, 3]]), topic('audit', [[1, 2, 4]], { 'min.insync.replicas': 3 })],
    });
    // broker 3's fetches arrive last, so they park after broker 2's
    sim.network.slowLink(1, 3, 5 * MS);
    sim.runUntil(100 * MS);
    // audit-0's ISR drops to [1, 2], under its min.insync.replicas: its HW freezes (KAFKA-15583)
    sim.broker(4).shutdown();
    sim.runUntil(11_900 * MS);
    expect(sim.partition('audit-0')!.isr).toEqual([1, 2]);
    client.produce(1, 'audit-0', { acks: 1 });
    sim.runUntil(12 * SEC);
    expect(logOf(sim, 2, 'audit-0')).toMatchObject({ leo: 1, hw: 0 });
    // a consumer waits at the leader for audit-0's HW to pass 0; then both followers park again
    const consumer = client.fetch(1, 'audit-0', 0, 10000);
    sim.runUntil(12_100 * MS);
    client.produce(1, 'orders-0', { acks: 1 });
    sim.runUntil(12_200 * MS);
    // the leader learns it may move audit-0's HW, and will at the next read of audit-0: broker 2's fetch
    sim.controller.alterConfig('topic', 'audit', { 'min.insync.replicas': 1 }, []);
    sim.runUntil(12_300 * MS);
    expect(consumer.response).toBeUndefined();
    // this append wakes broker 2's fetch, whose read of audit-0 completes the consumer's, and broker 3's
    client.produce(1, 'orders-0', { acks: 1 });
    sim.runUntil(12_400 * MS);
    expect(consumer.response?.partitions[0].records).toHaveLength(1);
    expect(logOf(sim, 2, 'orders-0').leo).toBe(2);
    // broker 3 got the record at once, not after its fetch's 10 s wait
    expect(logOf(sim, 3, 'orders-0').leo).toBe(2);
  });
});
