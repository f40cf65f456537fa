// What a consumer holds for each partition it is assigned (clients/…/consumer/internals/
// SubscriptionState.java): the position (the next offset to return from poll) with the leader epoch
// of the last record consumed, and the fetch state — INITIALIZING until the committed offset is
// known, AWAIT_RESET while auto.offset.reset looks up earliest or latest, AWAIT_VALIDATION while the
// position is checked against a new leader's log (KIP-320), FETCHING otherwise. Positions are kept
// in partition order so every loop over them is ordered.

import type { OffsetResetReason } from '../trace-events.ts';
import type { TopicPartitionRef } from '../protocol.ts';
import { compareTopicPartitions, tpKey } from './group-protocol.ts';

export type FetchState = 'INITIALIZING' | 'AWAIT_RESET' | 'AWAIT_VALIDATION' | 'FETCHING' | 'FAILED';

export interface PartitionState extends TopicPartitionRef {
  key: string;
  state: FetchState;
  position: number;
  /** Leader epoch of the last consumed record (FetchPosition.offsetEpoch), −1 if unknown. */
  offsetEpoch: number;
  /** The leader epoch the position was last validated against (FetchPosition.currentLeader). */
  currentLeaderEpoch: number;
  /** The HW from the last fetch response (records-lag = HW − position). */
  highWatermark: number;
  /** Why the partition is in AWAIT_RESET, for the trace. */
  /** Why the position is being reset (read once a reset was asked for). */
  resetReason: OffsetResetReason;
  /** KIP-392: the replica the leader said to fetch from (−1: the leader), until `preferredReadReplicaUntilUs`. */
  preferredReadReplica: number;
  preferredReadReplicaUntilUs: number;
}

export class SubscriptionState {
  private readonly byKey = new Map<string, PartitionState>();
  /** In TopicPartition order. */
  assigned: PartitionState[] = [];

  /** Replaces the assignment; partitions kept keep their positions (cooperative), new ones start INITIALIZING. */
  assign(partitions: readonly TopicPartitionRef[]): { added: TopicPartitionRef[]; removed: TopicPartitionRef[] } {
    const next = new Map<string, PartitionState>();
    const added: TopicPartitionRef[] = [];
    for (const tp of [...partitions].sort(compareTopicPartitions)) {
      const key = tpKey(tp.topic, tp.partition);
      const old = this.byKey.get(key);
      if (old !== undefined) next.set(key, old);
      else {
        next.set(key, {
          topic: tp.topic, partition: tp.partition, key, state: 'INITIALIZING', position: -1, offsetEpoch: -1,
          currentLeaderEpoch: -1, highWatermark: -1, resetReason: 'no-committed-offset', preferredReadReplica: -1, preferredReadReplicaUntilUs: 0,
        });
        added.push({ topic: tp.topic, partition: tp.partition });
      }
    }
    const removed = this.assigned.filter((p) => !next.has(p.key)).map((p) => ({ topic: p.topic, partition: p.partition }));
    this.byKey.clear();
    for (const [k, v] of next) this.byKey.set(k, v);
    this.assigned = [...next.values()];
    return { added, removed };
  }

  get(topic: string, partition: number): PartitionState | undefined {
    return this.byKey.get(tpKey(topic, partition));
  }

  partitions(): TopicPartitionRef[] {
    return this.assigned.map((p) => ({ topic: p.topic, partition: p.partition }));
  }

  /** SubscriptionState.allConsumed: the positions worth committing. */
  allConsumed(): { topic: string; partition: number; offset: number; leaderEpoch: number }[] {
    return this.assigned
      .filter((p) => p.state === 'FETCHING' || p.state === 'AWAIT_VALIDATION')
      .map((p) => ({ topic: p.topic, partition: p.partition, offset: p.position, leaderEpoch: p.offsetEpoch }));
  }

  inState(state: FetchState): PartitionState[] {
    return this.assigned.filter((p) => p.state === state);
  }

  /** SubscriptionState.seekUnvalidated / seek: a new position, fetching from there. */
  seek(p: PartitionState, offset: number, offsetEpoch: number, currentLeaderEpoch: number): void {
    p.position = offset;
    p.offsetEpoch = offsetEpoch;
    p.currentLeaderEpoch = currentLeaderEpoch;
    p.state = 'FETCHING';
  }

  requestReset(p: PartitionState, reason: OffsetResetReason): void {
    p.state = 'AWAIT_RESET';
    p.resetReason = reason;
  }
}
