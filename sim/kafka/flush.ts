// When a log is fsynced (the log.flush.* policy, LogConfig): after flush.messages unflushed records
// (UnifiedLog.append), and by the flusher every log.flush.scheduler.interval.ms for a log whose oldest
// unflushed data is older than flush.ms (LogManager.flushDirtyLogs). Kafka's defaults never fsync:
// durability rests on the page cache and replication (log.ts models what a power loss keeps).

import type { BrokerServices } from './broker-services.ts';
import { msToUs } from './effective-config.ts';
import type { ReplicaLog } from './log.ts';
import type { Partition } from './partition.ts';

/** UnifiedLog.append: fsync once flush.messages records are unflushed (default: never). */
export function maybeFlush(b: BrokerServices, p: Partition): void {
  const log = p.log;
  if (log.unflushedMessages >= b.topicSettings(p.topic).flush.messages) log.flush(b.now);
}

/** LogManager.flushDirtyLogs: fsync the logs whose oldest unflushed data is older than flush.ms. */
export function flushDirtyLogs(b: BrokerServices, disk: ReadonlyMap<number, ReplicaLog>): void {
  for (const idx of [...disk.keys()].sort((x, y) => x - y)) {
    const log = disk.get(idx)!;
    if (log.unflushedMessages === 0) continue;
    const topic = b.cluster.names.topics[idx];
    if (b.now - log.lastFlushTimeUs >= msToUs(b.topicSettings(topic).flush.ms)) log.flush(b.now);
  }
}
