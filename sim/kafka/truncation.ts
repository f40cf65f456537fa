// The one place a replica log is truncated (UnifiedLog.truncateTo), so that every truncation keeps
// the partition's producer state in step, is traced, and is reported to the observers (the ledger's
// loss explanations). Who truncates: a follower on a diverging epoch or OFFSET_OUT_OF_RANGE
// (fetcher.ts), a pre-0.11 follower to its own HW (replica-manager.ts), a machine that lost power
// or its disk (broker.ts).

import type { BrokerServices } from './broker-services.ts';
import type { TruncationReason } from './cluster.ts';
import type { ReplicaLog } from './log.ts';
import type { Partition } from './partition.ts';
import { UNKNOWN } from './protocol.ts';

/**
 * Truncates partition `idx`'s log to `offset` and returns how many records went. `p` is the
 * partition as the running process holds it, if it does (not while the broker is down).
 */
export function truncateLog(b: BrokerServices, idx: number, log: ReplicaLog, p: Partition | undefined, offset: number, reason: TruncationReason): number {
  const oldEnd = log.logEndOffset;
  if (offset >= oldEnd) return log.truncateTo(offset);
  const cluster = b.cluster;
  const hwBefore = log.highWatermark;
  // below the log start nothing can be read: those records left with their segments (log-start.ts)
  const removed = cluster.onTruncated !== undefined ? log.read(Math.max(offset, log.logStartOffset), oldEnd, Number.POSITIVE_INFINITY) : [];
  const n = log.truncateTo(offset);
  p?.rebuildProducerState();
  cluster.emit({ t: b.now, type: 'truncated', broker: b.id, partition: cluster.names.names[idx], from: oldEnd, to: offset, records: n, reason });
  cluster.onTruncated?.(b.id, idx, offset, oldEnd, removed, reason);
  if (log.highWatermark !== hwBefore) cluster.onHighWatermark?.(b.id, idx, log.highWatermark, p?.isLeader ?? false, p?.leaderEpoch ?? UNKNOWN);
  return n;
}
