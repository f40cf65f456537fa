// One partition as one broker holds it in memory (core/…/cluster/Partition.scala, Replica.scala):
// the role this broker believes it has, the leader epoch and ISR it last learnt, and, on a leader,
// what it knows of each follower from their fetches. The log itself lives on the broker's disk
// (log.ts) and outlives this object across a crash. Also here: the rules that only need this state,
// "caught up" and the follower fetch-state update.

import type { ReplicaLog } from './log.ts';
import type { PartitionRegistration } from './metadata-image.ts';
import { NO_LEADER, UNKNOWN } from './protocol.ts';
import { NEVER_HAPPENED_US } from './never.ts';

/** What the leader knows of one follower (Replica.ReplicaState); times in µs (Kafka keeps ms). */
export interface FollowerState {
  brokerId: number;
  /** The follower's log end offset: the offset of its last fetch; −1 unknown. */
  logEndOffset: number;
  /** The leader's log end offset at the follower's previous fetch. */
  lastFetchLeaderLogEndOffset: number;
  lastFetchTimeUs: number;
  /** Kafka's lastCaughtUpTimeMs, in µs. */
  lastCaughtUpTimeUs: number;
  /** The follower's broker epoch from its fetches (KIP-903); −1 unknown. */
  brokerEpoch: number;
}

/** An AlterPartition sent and not yet answered (at most one per partition, KIP-497). */
export interface PendingIsrChange {
  isr: number[];
  /** Expansions make the maximal ISR the proposed one; shrinks keep the old, larger one. */
  expand: boolean;
  correlationId: number;
  leaderRecoveryState: PartitionRegistration['leaderRecoveryState'];
}

/** The last batches of one idempotent producer (ProducerStateManager keeps five). */
export interface ProducerEntry {
  producerEpoch: number;
  firstSeqs: number[];
  lastSeqs: number[];
  offsets: number[];
}

export const PRODUCER_BATCHES_KEPT = 5;

export class Partition {
  replicas: number[] = [];
  leader = NO_LEADER;
  leaderEpoch = UNKNOWN;
  partitionEpoch = UNKNOWN;
  /** The committed ISR as this broker last learnt it (metadata or an AlterPartition response). */
  isr: number[] = [];
  leaderRecoveryState: PartitionRegistration['leaderRecoveryState'] = 'RECOVERED';
  isLeader = false;
  /** Leader only: the log end offset when it became leader in this epoch. */
  leaderEpochStartOffset = 0;
  /** Leader only: one entry per other replica, in assignment order. */
  followers: FollowerState[] = [];
  pendingIsr: PendingIsrChange | null = null;
  /** Idempotent producers' recent batches, by producer id (rebuilt from the log on load). */
  readonly producers = new Map<number, ProducerEntry>();

  constructor(
    readonly idx: number,
    readonly topic: string,
    readonly partition: number,
    readonly name: string,
    readonly log: ReplicaLog,
  ) {
    this.rebuildProducerState();
  }

  /** KIP-497 maximalIsr: the committed ISR, or the proposed one while an expansion is pending. */
  maximalIsr(): number[] {
    return this.pendingIsr !== null && this.pendingIsr.expand ? this.pendingIsr.isr : this.isr;
  }

  follower(brokerId: number): FollowerState | undefined {
    for (const f of this.followers) if (f.brokerId === brokerId) return f;
    return undefined;
  }

  /** ProducerStateManager, as rebuilt from the log after loading or truncating it. */
  rebuildProducerState(): void {
    this.producers.clear();
    const log = this.log;
    for (let i = 0; i < log.batchCount; i++) {
      this.rememberBatch(log.producerIds[i], log.producerEpochs[i], log.baseSequences[i], log.baseSequences[i] + log.counts[i] - 1, log.baseOffsets[i]);
    }
  }

  rememberBatch(producerId: number, producerEpoch: number, firstSeq: number, lastSeq: number, offset: number): void {
    let e = this.producers.get(producerId);
    if (e === undefined || producerEpoch > e.producerEpoch) {
      e = { producerEpoch, firstSeqs: [], lastSeqs: [], offsets: [] };
      this.producers.set(producerId, e);
    }
    e.firstSeqs.push(firstSeq);
    e.lastSeqs.push(lastSeq);
    e.offsets.push(offset);
    if (e.firstSeqs.length > PRODUCER_BATCHES_KEPT) {
      e.firstSeqs.shift();
      e.lastSeqs.shift();
      e.offsets.shift();
    }
  }
}

/**
 * ReplicaState.isCaughtUp: at the leader's log end, or caught up within replica.lag.time.max.ms.
 * A follower at the log end of an idle partition is therefore never out of sync, however silent.
 */
export function isCaughtUp(f: FollowerState, leaderLogEndOffset: number, nowUs: number, lagUs: number): boolean {
  return f.logEndOffset === leaderLogEndOffset || nowUs - f.lastCaughtUpTimeUs <= lagUs;
}

/**
 * Replica.updateFetchStateOrThrow: a follower fetched at `fetchOffset` while the leader's log ended
 * at `leaderLogEndOffset`.
 */
export function updateFollowerFetchState(f: FollowerState, fetchOffset: number, leaderLogEndOffset: number, nowUs: number, brokerEpoch: number): void {
  if (fetchOffset >= leaderLogEndOffset) {
    f.lastCaughtUpTimeUs = Math.max(f.lastCaughtUpTimeUs, nowUs);
  } else if (fetchOffset >= f.lastFetchLeaderLogEndOffset) {
    f.lastCaughtUpTimeUs = Math.max(f.lastCaughtUpTimeUs, f.lastFetchTimeUs);
  }
  f.logEndOffset = fetchOffset;
  f.lastFetchLeaderLogEndOffset = Math.max(leaderLogEndOffset, f.lastFetchLeaderLogEndOffset);
  f.lastFetchTimeUs = nowUs;
  f.brokerEpoch = brokerEpoch;
}

/**
 * Replica.resetReplicaState on makeLeader: ISR members count as caught up now, others never (Kafka's
 * 0, the epoch; here NEVER_HAPPENED_US, since simulated time starts at 0); a newly elected (not
 * re-elected) leader forgets what it knew of followers' logs and fetches. The last fetch time is
 * "never" for a follower outside the ISR too, so its first fetch cannot make it caught up as of then.
 */
export function resetFollowerState(f: FollowerState, nowUs: number, leaderLogEndOffset: number, inIsr: boolean, isNewLeader: boolean): void {
  f.lastCaughtUpTimeUs = inIsr ? nowUs : NEVER_HAPPENED_US;
  if (isNewLeader) {
    f.logEndOffset = UNKNOWN;
    f.lastFetchLeaderLogEndOffset = UNKNOWN;
    f.lastFetchTimeUs = NEVER_HAPPENED_US;
    f.brokerEpoch = UNKNOWN;
  } else {
    f.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
    f.lastFetchTimeUs = inIsr ? nowUs : NEVER_HAPPENED_US;
  }
}
