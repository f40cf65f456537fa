// __consumer_offsets leaderships (the group coordinators) come back to their preferred replicas on the
// controller's auto.leader.rebalance schedule: ZooKeeper checks 5 s after the start and then every
// leader.imbalance.check.interval.seconds (KafkaController.onControllerFailover); KRaft an interval after
// a leadership left its preferred replica (QuorumController.maybeScheduleNextBalancePartitionLeaders),
// from 3.2 only (KAFKA-13682). Here the interval is 30 s and the coordinator's broker shuts down at 7 s.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../../sim/engine/index.ts';
import type { KafkaVersion } from '../../../sim/kafka/versions.ts';
import { spec } from '../support/cluster.ts';
import { assembleStory } from './story.ts';

function coordinatorMoves(controller: 'kraft' | 'zookeeper', kafkaVersion?: KafkaVersion) {
  const s = { ...spec({ controller, brokerConfig: { 'leader.imbalance.check.interval.seconds': 30 }, durationUs: 90 * SEC }), ...(kafkaVersion ? { kafkaVersion } : {}) };
  const { sim, clients } = assembleStory(s, { keepTrace: false });
  const topic = clients.offsetsTopic;
  const home = topic.coordinatorFor('billing');
  sim.runUntil(7 * SEC);
  sim.broker(home).shutdown();
  sim.runUntil(10 * SEC);
  sim.broker(home).restart();
  const at = (t: number) => {
    sim.runUntil(t);
    return topic.coordinatorFor('billing');
  };
  return { home, at };
}

describe('the group coordinator after its broker came back (auto.leader.rebalance.enable)', () => {
  it('KRaft: back an interval after it moved away (7 s + 30 s), not on a grid from the start', () => {
    const { home, at } = coordinatorMoves('kraft');
    expect(at(30 * SEC + 1 * MS)).not.toBe(home);
    expect(at(36.9 * SEC)).not.toBe(home);
    expect(at(37.1 * SEC)).toBe(home);
  });

  it('ZooKeeper: back at the check 5 s + 30 s after the start', () => {
    const { home, at } = coordinatorMoves('zookeeper', '3.9');
    expect(at(34.9 * SEC)).not.toBe(home);
    expect(at(35.1 * SEC)).toBe(home);
  });

  it('KRaft before 3.2: no automatic rebalance, it stays away', () => {
    const { home, at } = coordinatorMoves('kraft', '3.1');
    expect(at(89 * SEC)).not.toBe(home);
  });
});
