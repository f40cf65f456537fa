// One partition as one broker holds it in memory (core/…/cluster/Partition.scala, Replica.scala):
// the role this broker believes it has, the leader epoch and ISR it last learnt, and, on a leader,
// what it knows of each follower from their fetches. The log itself lives on the broker's disk
// (log.ts) and outlives this object across a crash. The rules over this state have files of their
// own: the high watermark (high-watermark.ts), the ISR and "caught up" (isr.ts), AlterPartition
// (alter-partition.ts).

import type { ReplicaLog } from './log.ts';
import type { PartitionRegistration } from './metadata-image.ts';
import { NO_LEADER, UNKNOWN } from './protocol.ts';

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
  /** Follower only: the lag its last fetch response showed, max(0, leader HW − own log end) (AbstractFetcherThread's FetcherLagMetrics.lag; metrics only). */
  fetcherLag = 0;
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
 * Partition.localLogWithEpochOrThrow for a request that names the leader epoch it believes in
 * (Fetch, ListOffsets, OffsetsForLeaderEpoch, KIP-320): older than this leader's is fenced, newer is
 * unknown to it yet; −1 skips the check. undefined when the request may proceed.
 */
export function leaderEpochError(p: Partition, currentLeaderEpoch: number): 'FENCED_LEADER_EPOCH' | 'UNKNOWN_LEADER_EPOCH' | undefined {
  if (currentLeaderEpoch >= 0 && currentLeaderEpoch < p.leaderEpoch) return 'FENCED_LEADER_EPOCH';
  if (currentLeaderEpoch > p.leaderEpoch) return 'UNKNOWN_LEADER_EPOCH';
  return undefined;
}
