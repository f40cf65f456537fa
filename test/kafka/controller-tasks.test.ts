// The controller's self-rescheduling tasks: the preferred-leader rebalance and (KRaft) the unclean
// election of leaderless partitions. KRaft (QuorumController.maybeScheduleNextBalancePartitionLeaders,
// maybeScheduleNextElectUncleanLeaders): after every controller write, a task not already scheduled
// is scheduled interval later if there is work for it (a partition not led by its preferred replica;
// a partition without a leader), so the first check comes an interval after the imbalance appeared,
// not on a grid from the controller's start. ZooKeeper (KafkaController): the first check 5 s after
// the controller started, then an interval after each check.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { build, events, runUntilTrue } from './support/sim.ts';
import { topic } from './support/cluster.ts';

describe('auto leader rebalance (KRaft)', () => {
  it('runs leader.imbalance.check.interval.seconds after the election that left the partition imbalanced', () => {
    const { sim } = build({ brokerConfig: { 'leader.imbalance.check.interval.seconds': 30 } });
    sim.runUntil(1 * SEC);
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 20 * SEC);
    const imbalancedAt = events(sim, 'leader-elected')[0].t;
    sim.broker(1).restart();
    // broker 1 is back in the ISR long before; the check is due 30 s after the fencing election
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.includes(1), 25 * SEC);
    sim.runUntil(imbalancedAt + 30 * SEC - 1 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    sim.runUntil(imbalancedAt + 30 * SEC + 10 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(1);
    expect(events(sim, 'leader-elected').at(-1)).toMatchObject({ reason: 'auto-rebalance', leader: 1, t: imbalancedAt + 30 * SEC });
  });

  it('a check that cannot move the leader (the preferred replica is not in the ISR) comes again an interval later', () => {
    const { sim } = build({ brokerConfig: { 'leader.imbalance.check.interval.seconds': 30 } });
    sim.runUntil(1 * SEC);
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 20 * SEC);
    const imbalancedAt = events(sim, 'leader-elected')[0].t;
    // broker 1 stays down through the first check, then returns
    sim.runUntil(imbalancedAt + 35 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    sim.broker(1).restart();
    sim.runUntil(imbalancedAt + 60 * SEC - 1 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    sim.runUntil(imbalancedAt + 60 * SEC + 10 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(1);
  });
});

describe('auto leader rebalance (ZooKeeper)', () => {
  it('checks 5 s after the controller starts, then every leader.imbalance.check.interval.seconds after each check', () => {
    const { sim } = build({ controller: 'zookeeper', brokerConfig: { 'leader.imbalance.check.interval.seconds': 30 } });
    sim.runUntil(1 * SEC);
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 25 * SEC);
    sim.broker(1).restart();
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.includes(1), 30 * SEC);
    // checks at 5 s, 35 s, 65 s: broker 1 is back in the ISR before 30 s, and leads again at 35 s
    sim.runUntil(35 * SEC - 1 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    sim.runUntil(35 * SEC + 10 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(1);
    expect(events(sim, 'leader-elected').at(-1)).toMatchObject({ reason: 'auto-rebalance', leader: 1, t: 35 * SEC });
  });
});

describe('enabling unclean.leader.election.enable on a leaderless partition', () => {
  /** orders-0 on [1, 2], broker 2 out of the ISR and broker 1 (the last ISR member) dead: no leader. */
  function leaderless(controller: 'kraft' | 'zookeeper') {
    const { sim } = build({ controller, topics: [topic('orders', [[1, 2]])] });
    sim.broker(2).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.length === 1, 30 * SEC);
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === null, 60 * SEC);
    const leaderlessAt = events(sim, 'leader-none')[0].t;
    sim.broker(2).restart();
    sim.runUntil(sim.now + 5 * SEC);
    expect(sim.partition('orders-0')!.leader).toBeNull();
    return { sim, leaderlessAt };
  }
  const enable = (sim: ReturnType<typeof build>['sim']) =>
    sim.parts.actions['alter-config']!(sim, { type: 'alter-config', topic: 'orders', set: { 'unclean.leader.election.enable': true }, delete: [] }, { atUs: sim.now });

  it('KRaft: the election waits for the periodic unclean check, unclean.leader.election.interval.ms after the partition lost its leader', () => {
    const { sim, leaderlessAt } = leaderless('kraft');
    enable(sim);
    sim.runUntil(sim.now + 1 * SEC);
    // no ConfigurationControlManager hook elects at once: ReplicationControlManager.maybeElectUncleanLeaders does, later
    expect(sim.partition('orders-0')!.leader).toBeNull();
    sim.runUntil(leaderlessAt + 300 * SEC - 1 * MS);
    expect(sim.partition('orders-0')!.leader).toBeNull();
    sim.runUntil(leaderlessAt + 300 * SEC + 10 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    expect(events(sim, 'unclean-election')[0].t).toBe(leaderlessAt + 300 * SEC);
  });

  it('ZooKeeper: TopicConfigHandler makes the controller elect at once (enableTopicUncleanLeaderElection)', () => {
    const { sim } = leaderless('zookeeper');
    const at = sim.now;
    enable(sim);
    sim.runUntil(sim.now + 100 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    expect(events(sim, 'unclean-election')[0].t).toBe(at);
  });
});
