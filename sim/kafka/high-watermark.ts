// The high watermark: the offset below which records are committed, visible to consumers, and
// acknowledged to acks=all producers. The leader moves it (Partition.maybeIncrementLeaderHW, with
// the 3.7 rule that it freezes under min ISR, KAFKA-15583); a follower takes the leader's from each
// fetch response, clamped to its own log end (ReplicaFetcherThread.processPartitionData); each
// broker writes it to disk every replica.high.watermark.checkpoint.interval.ms and reads it back on
// restart (log.ts recoverAfterRestart), so after a crash it may be stale.
//
// Who waits for it to move (the produce and fetch purgatories) is the replica manager's business:
// these functions say whether it moved, and the caller completes what was waiting.

import type { BrokerServices } from './broker-services.ts';
import { isCaughtUp, isIsrEligible, lagTimeUs } from './isr.ts';
import type { ReplicaLog } from './log.ts';
import type { Partition } from './partition.ts';

/**
 * min(min.insync.replicas, replication factor) (Partition.effectiveMinIsr, 3.7). Before 3.7 (the
 * KAFKA-15583 commit that brought it, with the HW freeze) Partition compared the ISR with
 * min.insync.replicas itself, so one above the replication factor refused every acks=all write.
 */
export function effectiveMinIsr(b: BrokerServices, p: Partition): number {
  const minIsr = b.topicSettings(p.topic).minInsyncReplicas;
  return b.cluster.spec.hwFreezesUnderMinIsr === false ? minIsr : Math.min(minIsr, p.replicas.length);
}

/**
 * Partition.maybeIncrementLeaderHW: the HW is the lowest log end offset among the leader and the
 * followers in the maximal ISR (or caught up and eligible to join it); it only moves forward, and (from
 * 3.7) not at all while the ISR is smaller than the effective min ISR. True if it moved.
 */
export function maybeIncrementLeaderHW(b: BrokerServices, p: Partition): boolean {
  if (!p.isLeader) return false;
  // KAFKA-15583 (3.7): not under min ISR; before, the HW ignored min.insync.replicas
  if (b.cluster.spec.hwFreezesUnderMinIsr !== false && p.isr.length < effectiveMinIsr(b, p)) return false;
  const log = p.log;
  const leo = log.logEndOffset;
  let newHw = leo;
  const maximal = p.maximalIsr();
  const now = b.now;
  let lagUs = -1;
  for (const f of p.followers) {
    let counts = maximal.includes(f.brokerId);
    if (!counts) {
      if (lagUs < 0) lagUs = lagTimeUs(b);
      counts = isCaughtUp(f, leo, now, lagUs) && isIsrEligible(b, f);
    }
    if (counts && f.logEndOffset < newHw) newHw = f.logEndOffset;
  }
  if (newHw <= log.highWatermark) return false;
  log.setHighWatermark(newHw);
  if (!b.cluster.wants('hw-advanced')) b.cluster.skipped('hw-advanced');
  else b.cluster.record({ t: now, type: 'hw-advanced', broker: b.id, partition: p.name, hw: log.highWatermark });
  b.cluster.onHighWatermark?.(b.id, p.idx, log.highWatermark, true, p.leaderEpoch);
  return true;
}

/**
 * ReplicaFetcherThread.processPartitionData → UnifiedLog.maybeUpdateHighWatermark: a follower's HW is
 * the leader's from the fetch response, clamped to its own log end, and only moves forward.
 */
export function maybeUpdateFollowerHW(b: BrokerServices, p: Partition, leaderHighWatermark: number): boolean {
  const log = p.log;
  if (!log.maybeIncreaseHighWatermark(leaderHighWatermark)) return false;
  b.cluster.onHighWatermark?.(b.id, p.idx, log.highWatermark, false, p.leaderEpoch);
  return true;
}

/** ReplicaManager.checkpointHighWatermarks: the replication-offset-checkpoint file of every log. */
export function checkpointHighWatermarks(logs: Iterable<ReplicaLog>): void {
  for (const log of logs) log.checkpointHighWatermark();
}
