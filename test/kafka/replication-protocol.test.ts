// replication.protocol: leader-epoch (KIP-101, the default) against high-watermark (before 0.11, a
// follower truncates to its own HW). KIP-101's scenario 2: both replicas lose power; the one that
// comes back first had not flushed the last record and takes a new one at that offset; the other
// kept it on disk. With HW truncation the logs diverge for good; with leader epochs the returning
// replica finds the divergence and truncates.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { build, events, logOf, runUntilTrue } from './support/sim.ts';
import { topic } from './support/cluster.ts';

function kip101(protocol: 'leader-epoch' | 'high-watermark') {
  const { sim, client } = build({ protocol, brokers: [1, 2], topics: [topic('orders', [[1, 2]])], pageCacheWritebackUs: 30 * SEC });
  // broker 1 (the leader, A) fsyncs every message; broker 2 (B) relies on the page cache
  sim.controller.alterConfig('broker', '1', { 'log.flush.interval.messages': 1 }, []);
  client.produce(1, 'orders-0'); // m1
  sim.runUntil(40 * SEC);
  client.produce(1, 'orders-0'); // m2: replicated and committed, on B only in the page cache
  sim.runUntil(50 * SEC);
  expect(logOf(sim, 1, 'orders-0')).toMatchObject({ leo: 2, hw: 2 });
  expect(logOf(sim, 2, 'orders-0')).toMatchObject({ leo: 2, hw: 2 });
  sim.broker(1).crash('power-loss');
  sim.runUntil(51 * SEC);
  sim.broker(2).crash('power-loss');
  runUntilTrue(sim, () => sim.partition('orders-0')!.leader === null, 80 * SEC);
  expect(sim.partition('orders-0')!.isr).toEqual([2]);
  // B returns first and is the last ISR member: it leads with m1 only and takes m3 at offset 1
  sim.broker(2).restart();
  runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 100 * SEC);
  sim.runUntil(sim.now + 10 * MS);
  const m3 = client.produce(2, 'orders-0', { acks: 1 });
  sim.runUntil(sim.now + 10 * MS);
  expect(m3.baseOffset).toBe(1);
  sim.broker(1).restart();
  sim.runUntil(sim.now + 30 * SEC);
  return sim;
}

describe('replication.protocol', () => {
  it('high-watermark: the returning replica keeps m2 where the leader has m3, and rejoins the ISR diverged', () => {
    const sim = kip101('high-watermark');
    const a = logOf(sim, 1, 'orders-0');
    const b = logOf(sim, 2, 'orders-0');
    expect(a.leo).toBe(2);
    expect(b.leo).toBe(2);
    expect(a.epochs[1]).not.toBe(b.epochs[1]);
    expect(sim.partition('orders-0')!.isr).toEqual([2, 1]);
    expect(events(sim, 'truncated', { broker: 1 })).toHaveLength(0);
  });

  it('leader-epoch: the returning replica sees the diverging epoch, truncates m2 and copies m3', () => {
    const sim = kip101('leader-epoch');
    expect(logOf(sim, 1, 'orders-0')).toEqual(logOf(sim, 2, 'orders-0'));
    expect(events(sim, 'truncated', { broker: 1 })[0]).toMatchObject({ from: 2, to: 1, reason: 'diverging-epoch' });
  });

  it('high-watermark: a follower truncates to its own (possibly stale) HW whenever it becomes a follower', () => {
    const { sim, client } = build({ protocol: 'high-watermark', brokerConfig: { 'replica.high.watermark.checkpoint.interval.ms': 60000 } });
    client.produce(1, 'orders-0', { count: 10 });
    sim.runUntil(5 * SEC);
    expect(logOf(sim, 3, 'orders-0')).toMatchObject({ leo: 10, hw: 10 });
    // the HW checkpoint is older than the records: after a restart broker 3's HW is 0 again
    sim.broker(3).crash('crash');
    sim.runUntil(6 * SEC);
    sim.broker(3).restart();
    runUntilTrue(sim, () => events(sim, 'truncated', { broker: 3 }).length > 0, 30 * SEC);
    expect(events(sim, 'truncated', { broker: 3 })[0]).toMatchObject({ from: 10, to: 0, reason: 'high-watermark' });
    runUntilTrue(sim, () => logOf(sim, 3, 'orders-0').leo === 10, 60 * SEC);
  });
});
