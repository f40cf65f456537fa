// The one place a replica's log start offset moves forward, so that every move is traced and
// reported to the observers (the ledger counts the acknowledged records that left a log this way as
// deleted, not lost). Who moves it: the broker's retention check (LogManager.cleanupLogs →
// UnifiedLog.deleteOldSegments, retention.ts), a follower taking its leader's log start from a fetch
// response (ReplicaFetcherThread.processPartitionData → maybeIncrementLogStartOffset), and a follower
// whose log ends below its leader's start (AbstractFetcherThread.fetchOffsetAndTruncate →
// truncateFullyAndStartAt).

import type { BrokerServices } from './broker-services.ts';
import type { LogStartReason } from './cluster.ts';
import type { ReplicaLog } from './log.ts';
import type { Partition } from './partition.ts';
import type { RecordBatch } from './protocol.ts';
import { deleteOldSegments } from './retention.ts';

/** LogManager.cleanupLogs: the retention check of every log on the broker's disk, in partition order. */
export function cleanupLogs(b: BrokerServices, disk: ReadonlyMap<number, ReplicaLog>): void {
  for (const idx of [...disk.keys()].sort((x, y) => x - y)) {
    const log = disk.get(idx)!;
    const policy = b.topicSettings(b.cluster.names.topics[idx]).log;
    deleteOldSegments(log, policy, b.now, (to, reason, segments) => announce(b, idx, log, to, reason, segments));
  }
}

/** ReplicaFetcherThread.processPartitionData: the follower's log start follows the leader's. */
export function followLeaderLogStart(b: BrokerServices, p: Partition, leaderLogStart: number): void {
  const log = p.log;
  if (leaderLogStart <= log.logStartOffset || leaderLogStart > log.highWatermark) return;
  announce(b, p.idx, log, leaderLogStart, 'log-start-offset', 0);
  log.maybeIncrementLogStartOffset(leaderLogStart);
}

/**
 * AbstractFetcherThread.fetchOffsetAndTruncate: the follower's log ends below the leader's log start
 * (it was away while retention deleted what it lacks): every record goes and the log starts empty at
 * the leader's start.
 */
export function truncateFullyAndStartAt(b: BrokerServices, p: Partition, offset: number): void {
  const log = p.log;
  const from = log.logStartOffset;
  const removed = b.cluster.onLogStartAdvanced !== undefined ? log.read(from, log.logEndOffset, Number.POSITIVE_INFINITY) : [];
  const records = log.truncateFullyAndStartAt(offset);
  p.rebuildProducerState();
  b.cluster.emit({ t: b.now, type: 'log-start-advanced', broker: b.id, partition: p.name, from, to: offset, records, segments: 0, reason: 'out-of-range' });
  b.cluster.onLogStartAdvanced?.(b.id, p.idx, from, offset, removed, 'out-of-range');
  b.cluster.onHighWatermark?.(b.id, p.idx, log.highWatermark, false, p.leaderEpoch);
}

/** Traces and reports a move of the log start to `to`, before it happens (the records below can still be read). */
function announce(b: BrokerServices, idx: number, log: ReplicaLog, to: number, reason: LogStartReason, segments: number): void {
  const from = log.logStartOffset;
  const records = Math.min(to, log.logEndOffset) - from;
  const removed: RecordBatch[] = b.cluster.onLogStartAdvanced !== undefined ? log.read(from, to, Number.POSITIVE_INFINITY) : [];
  b.cluster.emit({ t: b.now, type: 'log-start-advanced', broker: b.id, partition: b.cluster.names.names[idx], from, to, records, segments, reason });
  b.cluster.onLogStartAdvanced?.(b.id, idx, from, to, removed, reason);
}
