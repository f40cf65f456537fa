// The controller's decisions as pure rules (PartitionChangeBuilder) and its AlterPartition validation
// (ReplicationControlManager.validateAlterPartitionData), exercised through messages.
import { describe, it, expect } from 'vitest';
import { electLeader, isrWithout, partitionChange } from '../../sim/kafka/election.ts';
import type { PartitionRegistration } from '../../sim/kafka/metadata-image.ts';
import { SEC, MS } from '../../sim/engine/index.ts';
import { build } from './support/sim.ts';
import type { AlterPartitionResponse } from '../../sim/kafka/protocol.ts';

const reg = (over: Partial<PartitionRegistration> = {}): PartitionRegistration => ({
  type: 'partition', topic: 't', partition: 0, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1,
  leaderEpoch: 4, partitionEpoch: 9, leaderRecoveryState: 'RECOVERED', ...over,
});

describe('elections (PartitionChangeBuilder)', () => {
  const alive = (...ids: number[]) => (b: number) => ids.includes(b);
  it('ONLINE keeps a valid leader, else takes the first ISR member in assignment order', () => {
    expect(electLeader(reg(), [1, 2, 3], alive(1, 2, 3), 'ONLINE').leader).toBe(1);
    expect(electLeader(reg({ replicas: [3, 1, 2] }), [2, 3], alive(2, 3), 'ONLINE').leader).toBe(3);
  });
  it('UNCLEAN falls back to the first live replica and resets the ISR to it', () => {
    expect(electLeader(reg({ isr: [1] }), [1], alive(3, 2), 'UNCLEAN')).toEqual({ leader: 2, isr: [2], unclean: true });
    expect(electLeader(reg({ isr: [1] }), [1], alive(3, 2), 'ONLINE')).toEqual({ leader: -1, isr: [1], unclean: false });
  });
  it('PREFERRED moves to replicas[0] only if it is in the ISR and live', () => {
    expect(electLeader(reg({ leader: 2 }), [1, 2, 3], alive(1, 2, 3), 'PREFERRED').leader).toBe(1);
    expect(electLeader(reg({ leader: 2 }), [2, 3], alive(1, 2, 3), 'PREFERRED').leader).toBe(2);
  });
  it('the ISR is never emptied, and only a leader change bumps the leader epoch', () => {
    expect(isrWithout([1], 1)).toEqual([1]);
    expect(isrWithout([1, 2], 1)).toEqual([2]);
    expect(partitionChange(reg(), [1, 2], 1)).toMatchObject({ leaderEpoch: 4, partitionEpoch: 10 });
    expect(partitionChange(reg(), [2, 3], 2)).toMatchObject({ leaderEpoch: 5, partitionEpoch: 10 });
    expect(partitionChange(reg(), [1, 2, 3], 1)).toBeUndefined();
  });
});

describe('AlterPartition validation', () => {
  function alter(partitionEpoch: number, leaderEpoch: number, isr: number[], from = 1, brokerEpochs: Record<number, number> = {}) {
    const { sim } = build();
    sim.runUntil(1 * SEC);
    let answer: AlterPartitionResponse | undefined;
    sim.network.attach('fake-leader', (m) => { answer = m.body as AlterPartitionResponse; });
    const reg1 = sim.controller.image.brokers.get(from)!;
    sim.network.context('fake-leader').send('controller', {
      kind: 'alter-partition', correlationId: 1, brokerId: from, brokerEpoch: reg1.epoch,
      partitions: [{ topic: 'orders', partition: 0, leaderEpoch, partitionEpoch, newIsrWithEpochs: isr.map((b) => ({ brokerId: b, brokerEpoch: brokerEpochs[b] ?? sim.controller.image.brokers.get(b)!.epoch })) }],
    });
    sim.runUntil(sim.now + 10 * MS);
    return { answer: answer!, sim };
  }
  it('accepts a valid shrink and bumps only the partition epoch', () => {
    const { answer, sim } = alter(0, 0, [1, 2]);
    expect(answer.partitions[0]).toMatchObject({ error: 'NONE', isr: [1, 2], leaderEpoch: 0, partitionEpoch: 1 });
    const changes = sim.trace.events.filter((e) => e.type === 'isr-shrink');
    expect(changes[0]).toMatchObject({ partition: 'orders-0', isr: [1, 2], removed: [3] });
    // broker 3 is still caught up, so the real leader adds it back at its next fetch
    expect(sim.partition('orders-0')!.isr).toEqual([1, 2, 3]);
  });
  it('FENCED_LEADER_EPOCH for a stale leader epoch, INVALID_UPDATE_VERSION for a stale partition epoch', () => {
    expect(alter(0, 7, [1, 2]).answer.partitions[0].error).toBe('FENCED_LEADER_EPOCH');
    expect(alter(5, 0, [1, 2]).answer.partitions[0].error).toBe('INVALID_UPDATE_VERSION');
  });
  it('INELIGIBLE_REPLICA for a member at a stale broker epoch, NOT_LEADER_OR_FOLLOWER from a non-leader', () => {
    expect(alter(0, 0, [1, 2, 3], 1, { 3: 999 }).answer.partitions[0].error).toBe('INELIGIBLE_REPLICA');
    expect(alter(0, 0, [2, 3], 2).answer.partitions[0].error).toBe('NOT_LEADER_OR_FOLLOWER');
  });
});
