// Leader election stories (PartitionChangeBuilder, KIP-106): clean election in assignment order, a leaderless
// partition when unclean election is off, how long a crash leaves a partition leaderless in KRaft and
// ZooKeeper mode against a controlled shutdown, restarted brokers rejoining, preferred-leader election
// and auto rebalance, and rack-unaware placement.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { build, clusterParts, events, runUntilTrue } from './support/sim.ts';
import { assembleSimulation } from '../../sim/kafka/index.ts';
import { spec, topic } from './support/cluster.ts';
import { LoadClient } from './support/test-client.ts';

describe('clean election', () => {
  it('picks the first live ISR member in assignment order', () => {
    const { sim } = build({ topics: [topic('orders', [[3, 1, 2]])] });
    sim.runUntil(1 * SEC);
    sim.broker(3).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader !== 3, 20 * SEC);
    expect(sim.partition('orders-0')).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1, 2] });
    expect(events(sim, 'leader-elected')[0]).toMatchObject({ partition: 'orders-0', leader: 1, epoch: 1, clean: true });
  });

  it('skips a replica that is not in the ISR even when it comes first', () => {
    const { sim } = build({ topics: [topic('orders', [[1, 2, 3]])] });
    new LoadClient(sim, ['orders-0'], 20);
    sim.runUntil(1 * SEC);
    sim.network.partition([[1], [2]]);
    runUntilTrue(sim, () => !sim.partition('orders-0')!.isr.includes(2), 60 * SEC);
    sim.network.heal('all');
    sim.broker(2).crash('crash');
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 3, sim.now + 20 * SEC);
    expect(sim.partition('orders-0')).toMatchObject({ leader: 3, isr: [3] });
  });

  it('without unclean election a partition whose last ISR member dies has no leader and keeps it in the ISR', () => {
    const { sim } = build({ topics: [topic('orders', [[1, 2]])] });
    sim.broker(2).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.length === 1, 20 * SEC);
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === null, sim.now + 20 * SEC);
    expect(sim.partition('orders-0')).toMatchObject({ leader: null, isr: [1] });
    // broker 2 comes back but is not in the ISR: no leader still
    sim.broker(2).restart();
    sim.runUntil(sim.now + 30 * SEC);
    expect(sim.partition('orders-0')).toMatchObject({ leader: null, isr: [1] });
    expect(events(sim, 'leader-none')).toHaveLength(1);
  });
});

/** Time from `from` until the controller names a leader other than `old`. */
function leaderlessGap(sim: ReturnType<typeof build>['sim'], old: number, limitUs: number): number | undefined {
  const from = sim.now;
  const at = runUntilTrue(sim, () => {
    const l = sim.partition('orders-0')!.leader;
    return l !== null && l !== old;
  }, limitUs);
  return at === undefined ? undefined : at - from;
}

describe('crash versus controlled shutdown', () => {
  it('KRaft: a crashed leader is replaced after about broker.session.timeout.ms (7–9 s with 2 s heartbeats)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { sim } = build({ seed });
      sim.runUntil(10 * SEC);
      sim.broker(1).crash('crash');
      const gap = leaderlessGap(sim, 1, 40 * SEC)!;
      expect(gap).toBeGreaterThanOrEqual(7 * SEC);
      expect(gap).toBeLessThanOrEqual(9 * SEC + 10 * MS);
    }
  });

  // the client pings every 6 s (a third of 18 s), and ZooKeeper expires the session on its next 3 s tick
  // after last ping + 18 s (zk-session.ts): 12–21 s after the crash
  it('ZooKeeper mode: a crashed leader is replaced after about zookeeper.session.timeout.ms (12–21 s)', () => {
    for (const seed of [1, 2, 3]) {
      const { sim } = build({ seed, controller: 'zookeeper' });
      sim.runUntil(10 * SEC);
      sim.broker(1).crash('crash');
      const gap = leaderlessGap(sim, 1, 60 * SEC)!;
      expect(gap).toBeGreaterThanOrEqual(12 * SEC);
      expect(gap).toBeLessThanOrEqual(21 * SEC + 10 * MS);
      expect(events(sim, 'broker-fenced')[0]).toMatchObject({ broker: 1, reason: 'zk-session-expired' });
      expect(events(sim, 'broker-fenced')[0].t % (3 * SEC)).toBe(0);
    }
  });

  for (const controller of ['kraft', 'zookeeper'] as const) {
    it(`${controller}: a controlled shutdown moves leadership first, leaving no gap beyond a metadata round trip`, () => {
      const { sim } = build({ controller, latencyUs: 1 * MS });
      sim.runUntil(10 * SEC);
      sim.broker(1).shutdown();
      const start = sim.now;
      const gap = leaderlessGap(sim, 1, 20 * SEC)!;
      expect(gap).toBeLessThanOrEqual(5 * MS);
      // the brokers' own view: broker 2 leads within a round trip of broker 1 giving up
      runUntilTrue(sim, () => sim.broker(1).status === 'stopped', 30 * SEC);
      sim.runUntil(sim.now + 10 * MS);
      // broker 1 stops leading when it learns the change, or when it stops (ZK answers the request first)
      const resigned = [...events(sim, 'become-follower', { broker: 1 }), ...events(sim, 'broker-stopped', { broker: 1 })]
        .filter((e) => e.t >= start).sort((a, b) => a.t - b.t)[0];
      const took = events(sim, 'become-leader', { broker: 2 }).find((e) => e.t >= start)!;
      expect(Math.abs(took.t - resigned.t)).toBeLessThanOrEqual(2 * MS);
      expect(events(sim, 'leader-none')).toHaveLength(0);
      expect(sim.partition('orders-0')).toMatchObject({ leader: 2, isr: [2, 3] });
      // ZK: the ControlledShutdown answer lets it stop; KRaft: the heartbeat after every active broker
      // reported the shutdown record, within a heartbeat interval (2 s) and the 50 ms first retry
      expect(events(sim, 'broker-stopped')[0].t - start).toBeLessThan(controller === 'kraft' ? 2100 * MS : 1 * SEC);
    });
  }
});

describe('restart, preferred leaders, rebalance', () => {
  it('a restarted broker registers, catches up, rejoins the ISR; preferred election gives it its leadership back', () => {
    const { sim } = build();
    new LoadClient(sim, ['orders-0'], 50);
    sim.runUntil(5 * SEC);
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 20 * SEC);
    sim.runUntil(20 * SEC);
    sim.broker(1).restart();
    const rejoined = runUntilTrue(sim, () => sim.partition('orders-0')!.isr.includes(1), 40 * SEC);
    expect(rejoined).toBeDefined();
    expect(rejoined! - 20 * SEC).toBeLessThan(3 * SEC);
    expect(events(sim, 'broker-unfenced', { broker: 1 })).toHaveLength(1);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    sim.parts.actions['elect-leaders']!(sim, { type: 'elect-leaders', partitions: ['orders-0'], electionType: 'preferred' }, { atUs: sim.now });
    sim.runUntil(sim.now + 100 * MS);
    expect(sim.partition('orders-0')).toMatchObject({ leader: 1, leaderEpoch: 2 });
    sim.runUntil(sim.now + 5 * SEC);
    expect(sim.ledgerSummary()).toMatchObject({ lost: 0 });
  });

  it('auto.leader.rebalance.enable moves leadership back at the next imbalance check', () => {
    const { sim } = build({ brokerConfig: { 'leader.imbalance.check.interval.seconds': 30 } });
    sim.runUntil(1 * SEC);
    sim.broker(1).crash('crash');
    sim.runUntil(12 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    sim.broker(1).restart();
    // KRaft checks 30 s after the election that left orders-0 off its preferred leader (controller-tasks.test.ts)
    const due = events(sim, 'leader-elected')[0].t + 30 * SEC;
    sim.runUntil(due - 1 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    expect(sim.partition('orders-0')!.isr).toContain(1);
    sim.runUntil(due + 1 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(1);
    expect(events(sim, 'leader-elected').at(-1)).toMatchObject({ reason: 'auto-rebalance', leader: 1 });
  });

  it('with auto rebalance off, leadership stays where the failure put it', () => {
    const { sim } = build({ brokerConfig: { 'leader.imbalance.check.interval.seconds': 30, 'auto.leader.rebalance.enable': false } });
    sim.broker(1).crash('crash');
    sim.runUntil(12 * SEC);
    sim.broker(1).restart();
    sim.runUntil(100 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(2);
  });
});

describe('rack-unaware placement', () => {
  it('spreads partitions and their leaders evenly and never puts two replicas on one broker', () => {
    const { sim } = build({ brokers: [1, 2, 3], topics: [{ name: 'events', partitions: 6, replicationFactor: 3, config: {} }] });
    const parts = sim.topics()[0].partitions;
    const leaders = new Map<number, number>();
    for (const p of parts) {
      expect(new Set(p.replicas).size).toBe(3);
      leaders.set(p.leader!, (leaders.get(p.leader!) ?? 0) + 1);
    }
    expect([...leaders.values()]).toEqual([2, 2, 2]);
  });
});

describe('leader epochs in ZooKeeper mode (ReplicaStateMachine, KafkaController.processAlterPartition)', () => {
  it('the controller removing a dead follower from the ISR bumps the leader epoch; the leader shrinking it does not', () => {
    // ZK: doRemoveReplicasFromIsr writes leaderAndIsr.newLeaderAndIsr(leader, isr), which is
    // leaderEpoch + 1, at any Kafka version (KAFKA-15021 changed only KRaft's PartitionChangeBuilder)
    const dead = build({ controller: 'zookeeper' }).sim;
    dead.runUntil(1 * SEC);
    dead.broker(3).crash('crash');
    runUntilTrue(dead, () => dead.partition('orders-0')!.isr.length === 2, 40 * SEC);
    expect(dead.partition('orders-0')).toMatchObject({ leader: 1, isr: [1, 2], leaderEpoch: 1 });
    // processAlterPartition keeps the leader epoch of the request: the lag shrink of a live follower
    // (it stops fetching; ZK still sees its session) leaves the epoch at 0, even before 3.6
    const lagging = assembleSimulation({ ...spec({ controller: 'zookeeper' }), isrShrinkBumpsLeaderEpoch: true }, clusterParts());
    new LoadClient(lagging, ['orders-0'], 20);
    lagging.runUntil(1 * SEC);
    lagging.network.cut(3, 1);
    runUntilTrue(lagging, () => lagging.partition('orders-0')!.isr.length === 2, 60 * SEC);
    expect(lagging.partition('orders-0')).toMatchObject({ leader: 1, isr: [1, 2], leaderEpoch: 0 });
    expect(events(lagging, 'isr-shrink')[0]).toMatchObject({ reason: 'alter-partition' });
  });
});
