// Log retention (UnifiedLog.deleteOldSegments, run on every log of a broker by LogManager.cleanupLogs
// every log.retention.check.interval.ms, the first time log.initial.task.delay.ms = 30 s after the
// log manager starts): whole segments are deleted from the front of a log, oldest first, while a rule
// holds for them — first those wholly below the log start offset (a follower's, moved by its leader),
// then while the log is larger than retention.bytes, then those whose newest record is older than
// retention.ms — never a segment reaching past the high watermark, never an empty last segment. The
// log start offset moves to the first segment kept. Followers run the same check on their own logs,
// and take their leader's log start from every fetch response (ReplicaFetcherThread.processPartitionData).

import type { ReplicaLog } from './log.ts';
import { msOf } from './log.ts';
import type { LogPolicy } from './effective-config.ts';
import type { ClusterSpec } from './spec.ts';

/** LogManager: ServerLogConfigs.LOG_INITIAL_TASK_DELAY_MS_DEFAULT, an internal config. */
export const RETENTION_INITIAL_DELAY_MS = 30_000;

export type RetentionReason = 'retention-ms' | 'retention-bytes' | 'log-start-offset';

/** What one rule deleted: `segments` segments, the log start offset moving `from` → `to` (equal: it did not move). */
export interface SegmentDeletion {
  reason: RetentionReason;
  segments: number;
  from: number;
  to: number;
}

/**
 * UnifiedLog.deleteOldSegments with cleanup.policy=delete: the three rules in Kafka's order.
 * `beforeStartMoves(to)` is called before the log start moves to `to`, while the records below it can
 * still be read (the ledger hears which records went).
 */
export function deleteOldSegments(
  log: ReplicaLog, policy: LogPolicy, nowUs: number, beforeStartMoves?: (to: number, reason: RetentionReason, segments: number) => void,
): SegmentDeletion[] {
  const out: SegmentDeletion[] = [];
  const run = (reason: RetentionReason, predicate: (i: number) => boolean): void => {
    const from = log.logStartOffset;
    const n = deletableSegments(log, predicate);
    if (n === 0) return;
    deleteSegments(log, n, (to) => beforeStartMoves?.(to, reason, n));
    out.push({ reason, segments: n, from, to: log.logStartOffset });
  };
  // deleteLogStartOffsetBreachedSegments: the next segment starts at or below the log start
  run('log-start-offset', (i) => i + 1 < log.segmentBases.length && log.segmentBases[i + 1] <= log.logStartOffset);
  // deleteRetentionSizeBreachedSegments
  const retentionBytes = policy.retentionBytes;
  const size = log.sizeInBytes();
  if (retentionBytes >= 0 && size >= retentionBytes) {
    let diff = size - retentionBytes;
    run('retention-bytes', (i) => {
      const segmentSize = log.segmentBytes[i];
      if (diff - segmentSize < 0) return false;
      diff -= segmentSize;
      return true;
    });
  }
  // deleteRetentionMsBreachedSegments: startMs - segment.largestTimestamp > retentionMs
  const retentionMs = policy.retentionMs;
  if (retentionMs >= 0) {
    const startMs = msOf(nowUs);
    run('retention-ms', (i) => startMs - timestampMs(log.segmentMaxTimestampsUs[i]) > retentionMs);
  }
  return out;
}

/** RecordBatch.NO_TIMESTAMP (−1) for an empty segment. */
function timestampMs(us: number): number {
  return us < 0 ? -1 : msOf(us);
}

/**
 * UnifiedLog.deletableSegments: how many segments, from the oldest, the predicate allows, stopping at
 * the first it refuses, at a segment reaching past the high watermark (its upper bound is the next
 * segment's base, or the log end), or at an empty last segment. The predicate is asked only of a
 * segment below the high watermark, as Kafka's `&&` does (the size rule counts down as it is asked).
 */
function deletableSegments(log: ReplicaLog, predicate: (i: number) => boolean): number {
  const n = log.segmentBases.length;
  let i = 0;
  for (; i < n; i++) {
    const last = i === n - 1;
    const upperBound = last ? log.logEndOffset : log.segmentBases[i + 1];
    const isLastSegmentAndEmpty = last && log.segmentBytes[i] === 0;
    if (!(log.highWatermark >= upperBound && predicate(i)) || isLastSegmentAndEmpty) break;
  }
  return i;
}

/**
 * UnifiedLog.deleteSegments: the log start moves to the segment after the last deleted (a new empty
 * active segment at the log end when every segment goes), then the segments leave the disk.
 */
function deleteSegments(log: ReplicaLog, count: number, beforeStartMoves?: (to: number) => void): void {
  const newStart = count < log.segmentBases.length ? log.segmentBases[count] : log.logEndOffset;
  if (newStart > log.logStartOffset) beforeStartMoves?.(newStart);
  log.maybeIncrementLogStartOffset(newStart);
  log.removeSegments(count);
}

/** The configs retention and segment rolling read: the topic's and their broker synonyms. */
const RETENTION_CONFIGS: ReadonlySet<string> = new Set([
  'retention.ms', 'retention.bytes', 'segment.bytes', 'segment.ms', 'log.retention.ms', 'log.retention.minutes', 'log.retention.hours',
  'log.retention.bytes', 'log.retention.check.interval.ms', 'log.segment.bytes', 'log.roll.ms', 'log.roll.hours',
]);

/** Kafka's defaults (7-day segments, 7-day retention) cannot delete anything in a run shorter than two weeks. */
const DEFAULTS_DELETE_AFTER_US = 2 * 604_800_000_000;

/**
 * Whether any log of the run could lose a segment: a retention or segment config is set (in the
 * brokers', a topic's, or an alter-config step's), or the run is long enough for Kafka's defaults.
 * Otherwise the brokers leave the retention check out: it would find nothing to delete, and its timer
 * would only reorder the run's same-instant events.
 */
export function retentionMayDelete(spec: ClusterSpec): boolean {
  if (spec.durationUs >= DEFAULTS_DELETE_AFTER_US) return true;
  const sets = (m: Readonly<Record<string, unknown>> | undefined): boolean => m !== undefined && Object.keys(m).some((k) => RETENTION_CONFIGS.has(k));
  if (sets(spec.brokerConfig) || spec.topics.some((t) => sets(t.config))) return true;
  return spec.timeline.some((s) => s.action?.type === 'alter-config' && (sets(s.action.set) || s.action.delete.some((k) => RETENTION_CONFIGS.has(k))));
}
