// The leader-epoch fence (KIP-320, Partition.localLogWithEpochOrThrow): a request that names the leader
// epoch it believes in is refused FENCED_LEADER_EPOCH when that epoch is older than the leader's and
// UNKNOWN_LEADER_EPOCH when newer; a broker that is not the leader says NOT_LEADER_OR_FOLLOWER. One
// rule for Fetch, ListOffsets and OffsetsForLeaderEpoch, which the broker answers itself (its
// ReplicaManager), with or without the clients in the simulation.
import { describe, it, expect } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import type { Envelope } from '../../sim/kafka/network.ts';
import { build } from './support/sim.ts';

type Answer = { error: string; [field: string]: unknown };
let probes = 0;

/** Sends one request of `kind` about orders-0 to `broker` and returns its partition answer, once it came. */
function ask(sim: ReturnType<typeof build>['sim'], broker: number, kind: string, fields: Record<string, unknown>): { answer?: Answer } {
  const out: { answer?: Answer } = {};
  const ctx = sim.network.attach(`probe-${++probes}`, (m: Envelope) => {
    out.answer = (m.body as unknown as { partitions: Answer[] }).partitions[0];
  });
  const partition = { topic: 'orders', partition: 0, ...fields };
  const body = kind === 'fetch'
    ? { kind, correlationId: 1, replicaId: -1, replicaEpoch: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolation: 'HIGH_WATERMARK', partitions: [{ fetchOffset: 0, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20, ...partition }] }
    : kind === 'list-offsets'
      ? { kind, correlationId: 1, replicaId: -1, isolationLevel: 'read_uncommitted', partitions: [{ timestamp: -1, ...partition }] }
      : { kind, correlationId: 1, partitions: [{ leaderEpoch: 0, ...partition }] };
  ctx.send(broker, body);
  return out;
}

describe('the leader-epoch fence', () => {
  for (const kind of ['fetch', 'list-offsets', 'offsets-for-leader-epoch']) {
    it(`${kind}: the leader's epoch passes, an older one is fenced, a newer one unknown, a follower is not the leader`, () => {
      const { sim, client } = build();
      client.produce(1, 'orders-0', { count: 3 });
      sim.runUntil(1 * SEC);
      // broker 1 leads orders-0 in epoch 0; move it to epoch 1 so that epoch 0 is old
      sim.broker(1).crash('crash');
      sim.runUntil(15 * SEC);
      sim.broker(1).restart();
      sim.runUntil(30 * SEC);
      const p = sim.partition('orders-0')!;
      expect(p).toMatchObject({ leader: 2, leaderEpoch: 1 });
      const current = ask(sim, 2, kind, { currentLeaderEpoch: 1 });
      const older = ask(sim, 2, kind, { currentLeaderEpoch: 0 });
      const newer = ask(sim, 2, kind, { currentLeaderEpoch: 2 });
      const unchecked = ask(sim, 2, kind, { currentLeaderEpoch: -1 });
      const follower = ask(sim, 3, kind, { currentLeaderEpoch: 1 });
      sim.runUntil(31 * SEC);
      expect(current.answer?.error).toBe('NONE');
      expect(older.answer?.error).toBe('FENCED_LEADER_EPOCH');
      expect(newer.answer?.error).toBe('UNKNOWN_LEADER_EPOCH');
      expect(unchecked.answer?.error).toBe('NONE');
      expect(follower.answer?.error).toBe('NOT_LEADER_OR_FOLLOWER');
    });
  }

  it('offsets-for-leader-epoch: where an epoch ends in the leader\'s log, from its epoch cache', () => {
    const { sim, client } = build();
    client.produce(1, 'orders-0', { count: 3 });
    sim.runUntil(1 * SEC);
    sim.broker(1).crash('crash');
    sim.runUntil(15 * SEC);
    // epoch 0 ended at offset 3 on the new leader, which starts epoch 1 there
    const epoch0 = ask(sim, 2, 'offsets-for-leader-epoch', { currentLeaderEpoch: 1, leaderEpoch: 0 });
    const epoch1 = ask(sim, 2, 'offsets-for-leader-epoch', { currentLeaderEpoch: 1, leaderEpoch: 1 });
    sim.runUntil(16 * SEC);
    expect(epoch0.answer).toMatchObject({ error: 'NONE', leaderEpoch: 0, endOffset: 3 });
    expect(epoch1.answer).toMatchObject({ error: 'NONE', leaderEpoch: 1, endOffset: 3 });
  });
});
