// ISR stories (ReplicaManager.maybeShrinkIsr, Partition.maybeExpandIsr): the leader's isr-expiration check drops a follower that stopped
// catching up 30–45 s after it was last caught up; a caught-up follower of an idle partition is never
// dropped; a follower that returns joins again once it reaches the HW.
import { describe, it, expect } from 'vitest';
import { MS, SEC } from '../../sim/engine/index.ts';
import { build, events, runUntilTrue } from './support/sim.ts';
import { LoadClient } from './support/test-client.ts';

describe('ISR shrink and expand', () => {
  it('with defaults, a follower cut off from its leader leaves the ISR 30–45 s later, not before', () => {
    const { sim } = build();
    new LoadClient(sim, ['orders-0'], 50);
    sim.runUntil(5 * SEC);
    sim.network.partition([[1], [3]]);
    const cutAt = sim.now;
    const left = runUntilTrue(sim, () => !sim.partition('orders-0')!.isr.includes(3), 120 * SEC);
    expect(left).toBeDefined();
    expect(left! - cutAt).toBeGreaterThanOrEqual(30 * SEC);
    expect(left! - cutAt).toBeLessThanOrEqual(45 * SEC + 100_000);
    expect(sim.partition('orders-0')!.isr).toEqual([1, 2]);
    expect(events(sim, 'isr-shrink')).toHaveLength(1);
    expect(events(sim, 'isr-shrink')[0]).toMatchObject({ partition: 'orders-0', removed: [3], reason: 'alter-partition' });
  });

  it('a caught-up follower of an idle partition is never dropped, however long it is silent', () => {
    const { sim, client } = build();
    client.produce(1, 'orders-0', { count: 5 });
    sim.runUntil(5 * SEC);
    expect(sim.partition('orders-0')!.brokers.map((b) => b.logEndOffset)).toEqual([5, 5, 5]);
    sim.network.partition([[1], [3]]);
    sim.runUntil(300 * SEC);
    expect(sim.partition('orders-0')!.isr).toEqual([1, 2, 3]);
    expect(events(sim, 'isr-shrink')).toHaveLength(0);
  });

  it('a dropped follower rejoins once healed: it catches up to the HW and the epoch start', () => {
    const { sim } = build();
    new LoadClient(sim, ['orders-0'], 50);
    sim.runUntil(5 * SEC);
    sim.network.partition([[1], [3]]);
    runUntilTrue(sim, () => !sim.partition('orders-0')!.isr.includes(3), 120 * SEC);
    sim.network.heal('all');
    const healedAt = sim.now;
    const back = runUntilTrue(sim, () => sim.partition('orders-0')!.isr.includes(3), 200 * SEC);
    expect(back).toBeDefined();
    // the follower's fetcher backs off after its timed-out fetch, then catches up within a few fetches
    expect(back! - healedAt).toBeLessThan(35 * SEC);
    expect(events(sim, 'isr-expand')[0]).toMatchObject({ partition: 'orders-0', added: [3] });
    const p = sim.partition('orders-0')!;
    sim.runUntil(sim.now + 2 * SEC);
    expect(sim.partition('orders-0')!.brokers[2].logEndOffset).toBeGreaterThan(p.brokers[2].logEndOffset - 1);
  });

  it('a follower outside the ISR when a leader is elected counts as never caught up, even in the first 30 s of a run', () => {
    // Replica.resetReplicaState: a follower not in the ISR gets lastCaughtUpTimeMs = 0 and (new leader)
    // lastFetchTimeMs = 0, Kafka's epoch: never. Simulated time starts at 0, so here "never" must be
    // a time before the run, or such a follower would count as caught up for replica.lag.time.max.ms
    // and hold the HW at its log end.
    const { sim } = build({ brokerConfig: { 'replica.fetch.max.bytes': 1 } });
    new LoadClient(sim, ['orders-0'], 50, { acks: 1 });
    sim.runUntil(500 * MS);
    sim.broker(3).shutdown();
    sim.runUntil(1 * SEC);
    sim.broker(1).shutdown();
    expect(runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 5 * SEC)).toBeDefined();
    expect(sim.partition('orders-0')!.isr).toEqual([2]);
    // broker 3 comes back behind, on a slow link, fetching one batch per round trip: it lags for good
    sim.runUntil(4 * SEC);
    sim.network.slowNode(3, 100 * MS);
    sim.broker(3).restart();
    for (let t = 6; t <= 29; t++) {
      sim.runUntil(t * SEC);
      const p = sim.partition('orders-0')!;
      const [, leader, follower] = p.brokers;
      expect(follower.logEndOffset).toBeLessThan(leader.logEndOffset - 50);
      // ISR [2] meets min.insync.replicas=1: the HW follows the leader's log end, not the laggard's
      expect({ t, hw: p.highWatermark }).toEqual({ t, hw: leader.logEndOffset });
      expect(p.isr).toEqual([2]);
    }
  });
});

describe('a follower fetch completed from the purgatory (DelayedFetch.onComplete)', () => {
  it('does not update the follower state again: lastCaughtUpTime and lastFetchTime stay those of its arrival', () => {
    // Partition.fetchRecords(updateFetchState = !readFromPurgatory): a follower's fetch state is set when
    // its fetch arrives, not when the parked fetch is answered. So when the follower's next fetch finds
    // the leader's log grown again, Replica.updateFetchStateOrThrow credits it with being caught up at
    // the previous fetch's arrival (lastFetchTimeMs), not at the moment that fetch was completed.
    const { sim, client } = build({ latencyUs: 1 * MS });
    sim.runUntil(1 * SEC);
    // follower 2's fetch is parked at leader 1 (nothing to return): find when it arrived
    const arrived = () => {
      const idx = sim.cluster.names.find('orders', 0);
      return sim.broker(1).partitions.get(idx)!.follower(2)!;
    };
    const parkedArrival = arrived().lastFetchTimeUs;
    expect(parkedArrival).toBeLessThan(sim.now);
    client.produce(1, 'orders-0', { acks: 1 }); // arrives at 1.001 s: completes the parked fetch
    sim.runUntil(1 * SEC + 1500);
    client.produce(1, 'orders-0', { acks: 1 }); // arrives at 1.0025 s, before the follower's next fetch (1.003 s)
    sim.runUntil(1 * SEC + 3 * MS + 100);
    const f = arrived();
    // the next fetch (offset 1) arrived at 1.003 s with the leader at 2: caught up as of the parked fetch's arrival
    expect(f.logEndOffset).toBe(1);
    expect(f.lastFetchTimeUs).toBe(1 * SEC + 3 * MS);
    expect(f.lastCaughtUpTimeUs).toBe(parkedArrival);
  });
});
