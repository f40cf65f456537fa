// acks and min.insync.replicas (Partition.appendRecordsToLeader, KAFKA-15583): NOT_ENOUGH_REPLICAS before append, the HW frozen
// under min ISR (3.7+) with acks=1 writes accepted but invisible, REQUEST_TIMED_OUT from the purgatory,
// and acks=all with ISR = {leader} behaving like acks=1.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { build, runUntilTrue } from './support/sim.ts';
import { topic } from './support/cluster.ts';

const minIsr2 = [topic('orders', [[1, 2, 3]], { 'min.insync.replicas': 2 })];

describe('acks and min.insync.replicas', () => {
  it('under min ISR the HW freezes: acks=1 is accepted but invisible, acks=all gets NOT_ENOUGH_REPLICAS', () => {
    const { sim, client } = build({ topics: minIsr2 });
    client.produce(1, 'orders-0', { count: 2 });
    sim.runUntil(1 * SEC);
    sim.broker(2).crash('crash');
    sim.broker(3).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.length === 1, 20 * SEC);
    expect(sim.partition('orders-0')!.isr).toEqual([1]);
    sim.runUntil(sim.now + 10 * MS);

    const one = client.produce(1, 'orders-0', { count: 3, acks: 1 });
    const all = client.produce(1, 'orders-0', { count: 1, acks: -1 });
    sim.runUntil(sim.now + 1 * SEC);
    expect(one.error).toBe('NONE');
    expect(one.baseOffset).toBe(2);
    expect(all.error).toBe('NOT_ENOUGH_REPLICAS');
    const p = sim.partition('orders-0')!;
    expect(p.brokers[0].logEndOffset).toBe(5);
    expect(p.highWatermark).toBe(2);
    const fetched = client.fetch(1, 'orders-0', 2);
    sim.runUntil(sim.now + 100 * MS);
    expect(fetched.response!.partitions[0].records).toEqual([]);
    expect(fetched.response!.partitions[0].highWatermark).toBe(2);

    // broker 2 returns, catches up, rejoins: the ISR reaches min ISR and the HW moves past the writes
    sim.broker(2).restart();
    const back = runUntilTrue(sim, () => sim.partition('orders-0')!.highWatermark === 5, sim.now + 30 * SEC);
    expect(back).toBeDefined();
    expect(sim.partition('orders-0')!.isr).toEqual([1, 2]);
  });

  it('acks=all waits in the purgatory and times out with REQUEST_TIMED_OUT; the record is committed later anyway', () => {
    const { sim, client } = build();
    sim.runUntil(1 * SEC);
    sim.network.partition([[1], [3]]);
    sim.runUntil(2 * SEC);
    const h = client.produce(1, 'orders-0', { acks: -1, timeoutMs: 1000 });
    sim.runUntil(2 * SEC + 999 * MS);
    expect(h.done).toBe(false);
    sim.runUntil(3 * SEC + 10 * MS);
    expect(h.error).toBe('REQUEST_TIMED_OUT');
    expect(h.doneAt! - h.sentAt).toBeGreaterThanOrEqual(1000 * MS);
    // broker 3 stays in the ISR: it was caught up when cut off and the partition is now idle, but the
    // leader's log end moved past it, so the isr-expiration check drops it and the HW moves
    runUntilTrue(sim, () => sim.partition('orders-0')!.highWatermark === 1, 60 * SEC);
    expect(sim.partition('orders-0')!.isr).toEqual([1, 2]);
  });

  it('acks=all with ISR = {leader} and min ISR 1 is acknowledged like acks=1', () => {
    const { sim, client } = build();
    sim.broker(2).crash('crash');
    sim.broker(3).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.length === 1, 20 * SEC);
    sim.runUntil(sim.now + 10 * MS);
    const h = client.produce(1, 'orders-0', { acks: -1 });
    sim.runUntil(sim.now + 100 * MS);
    expect(h.error).toBe('NONE');
    expect(h.doneAt! - h.sentAt).toBeLessThanOrEqual(2 * MS);
  });

  it('a produce to a follower gets NOT_LEADER_OR_FOLLOWER with the current leader (KIP-951)', () => {
    const { sim, client } = build();
    const h = client.produce(2, 'orders-0');
    sim.runUntil(10 * MS);
    expect(h.error).toBe('NOT_LEADER_OR_FOLLOWER');
  });

  it('an idempotent retry of an appended batch is acknowledged with its first offset, not appended twice', () => {
    const { sim, client } = build();
    const a = client.produce(1, 'orders-0', { count: 2, idempotent: true });
    sim.runUntil(100 * MS);
    // resend the same batch (same producer id and sequences)
    const ctx = client.ctx;
    let answer: unknown;
    sim.network.attach('retry', (m) => { answer = m.body; });
    sim.network.context('retry').send(1, {
      kind: 'produce', correlationId: 1, acks: -1, timeoutMs: 30000,
      partitions: [{ topic: 'orders', partition: 0, records: { baseOffset: -1, count: 2, leaderEpoch: -1, producerId: 1, baseSequence: 0, sizeBytes: 200, idempotent: true } }],
    });
    sim.runUntil(200 * MS);
    expect(a.baseOffset).toBe(0);
    expect(answer).toMatchObject({ partitions: [{ error: 'NONE', baseOffset: 0 }] });
    expect(sim.partition('orders-0')!.brokers[0].logEndOffset).toBe(2);
    expect(ctx.name).toBe('tester');
  });
});
