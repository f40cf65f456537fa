// Retention and segments (issue 18 part 4): segments rolled by segment.bytes and segment.ms
// (UnifiedLog.maybeRoll, LogSegment.shouldRoll), whole segments deleted by retention.bytes and
// retention.ms below the high watermark (UnifiedLog.deleteOldSegments / deletableSegments /
// deleteSegments), the log start offset moving with them, at the retention check
// (LogManager.cleanupLogs: first after 30 s, then every log.retention.check.interval.ms), followers
// taking the leader's log start, and consumers overtaken by it (OFFSET_OUT_OF_RANGE, auto.offset.reset).
import { describe, it, expect } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import { ReplicaLog, type RollPolicy } from '../../sim/kafka/log.ts';
import { EpochCache } from '../../sim/kafka/epoch-cache.ts';
import { deleteOldSegments } from '../../sim/kafka/retention.ts';
import type { LogPolicy } from '../../sim/kafka/effective-config.ts';
import type { RecordBatch } from '../../sim/kafka/protocol.ts';
import type { Simulation } from '../../sim/kafka/index.ts';
import { story, at, stepUntil } from './clients/story.ts';
import { producerSpec, consumerSpec } from './clients/helpers.ts';
import { topic } from './support/cluster.ts';
import { build } from './support/sim.ts';

const MS = 1000;
const batch = (seq: number, tsMs: number, size = 100): RecordBatch => ({
  baseOffset: -1, count: 1, leaderEpoch: -1, producerId: 1, baseSequence: seq, sizeBytes: size, maxTimestampUs: tsMs * MS,
});
const NEVER: RollPolicy = { bytes: 1073741824, ms: 604800000 };
const policy = (over: Partial<LogPolicy>): LogPolicy => ({ retentionMs: -1, retentionBytes: -1, segment: NEVER, ...over });

/** A log of `n` one-record batches of 100 bytes at timestamps `ts(i)` ms, rolled by `roll`, HW at `hw` (default: the end). */
function logOf(n: number, roll: RollPolicy, ts: (i: number) => number = () => 0, hw = n): ReplicaLog {
  const log = new ReplicaLog();
  for (let i = 0; i < n; i++) log.append(batch(i, ts(i)), 0, ts(i) * MS, roll);
  log.setHighWatermark(hw);
  return log;
}

describe('segments (UnifiedLog.maybeRoll)', () => {
  it('rolls when the active segment would pass segment.bytes: size > segment.bytes - batch size', () => {
    // segment.bytes 250, batches of 100: the third batch finds 200 > 250 - 100, so two batches a segment
    const log = logOf(10, { bytes: 250, ms: NEVER.ms });
    expect(log.segmentBases).toEqual([0, 2, 4, 6, 8]);
    expect(log.segmentBytes).toEqual([200, 200, 200, 200, 200]);
    expect(log.sizeInBytes()).toBe(1000);
  });

  it('rolls when a batch is more than segment.ms newer than the segment\'s first batch (not at exactly segment.ms)', () => {
    // timestamps 0, 500, 1000, 1500, 2000 ms, segment.ms 1000: 1000 − 0 is not > 1000; 1500 − 0 is
    const log = logOf(5, { bytes: NEVER.bytes, ms: 1000 }, (i) => i * 500);
    expect(log.segmentBases).toEqual([0, 3]);
    expect(log.segmentMaxTimestampsUs).toEqual([1000 * MS, 2000 * MS]);
  });
});

describe('a batch larger than segment.bytes (UnifiedLog.append)', () => {
  it('is refused with RECORD_LIST_TOO_LARGE, nothing appended; one that fits is appended', () => {
    // TestClient batches are 100 bytes a record: 3 records = 300 > segment.bytes 250 (RecordBatchTooLargeException); 2 = 200 fit
    const { sim, client } = build({ topics: [topic('orders', [[1, 2, 3]], { 'segment.bytes': 250 })] });
    sim.runUntil(1 * SEC);
    const big = client.produce(1, 'orders-0', { count: 3 });
    sim.runUntil(2 * SEC);
    expect(big).toMatchObject({ done: true, error: 'RECORD_LIST_TOO_LARGE', baseOffset: -1 });
    const fits = client.produce(1, 'orders-0', { count: 2 });
    sim.runUntil(3 * SEC);
    expect(fits).toMatchObject({ done: true, error: 'NONE', baseOffset: 0 });
    expect(sim.broker(1).disk.get(0)!.logEndOffset).toBe(2);
  });
});

describe('retention (UnifiedLog.deleteOldSegments)', () => {
  it('retention.bytes deletes the oldest segments while the log stays at least retention.bytes', () => {
    // size 1000, retention.bytes 450: diff 550 → 350 (segment 0) → 150 (segment 1); 150 − 200 < 0 stops
    const log = logOf(10, { bytes: 250, ms: NEVER.ms });
    const d = deleteOldSegments(log, policy({ retentionBytes: 450 }), 0);
    expect(d).toEqual([{ reason: 'retention-bytes', segments: 2, from: 0, to: 4 }]);
    expect(log.logStartOffset).toBe(4);
    expect(log.segmentBases).toEqual([4, 6, 8]);
    // the deleted batches left the columns; what is below the log start cannot be read
    expect(log.batchCount).toBe(6);
    expect(log.read(3, 10, 1e9)).toEqual([]);
    expect(log.read(4, 5, 1e9).map((b) => b.baseSequence)).toEqual([4]);
  });

  it('never deletes a segment reaching past the high watermark', () => {
    // HW 3: segment 0 ends at 2 ≤ 3, segment 1 ends at 4 > 3
    const log = logOf(10, { bytes: 250, ms: NEVER.ms }, () => 0, 3);
    deleteOldSegments(log, policy({ retentionBytes: 0 }), 0);
    expect(log.logStartOffset).toBe(2);
  });

  it('retention.ms deletes segments whose newest record is more than retention.ms old at the check', () => {
    // segments [0, 3) newest 1000 ms and [3, 5) newest 2000 ms; retention.ms 1000
    const at2000 = logOf(5, { bytes: NEVER.bytes, ms: 1000 }, (i) => i * 500);
    expect(deleteOldSegments(at2000, policy({ retentionMs: 1000 }), 2000 * MS)).toEqual([]); // 2000 − 1000 is not > 1000
    const at2001 = logOf(5, { bytes: NEVER.bytes, ms: 1000 }, (i) => i * 500);
    expect(deleteOldSegments(at2001, policy({ retentionMs: 1000 }), 2001 * MS)).toEqual([{ reason: 'retention-ms', segments: 1, from: 0, to: 3 }]);
  });

  it('deletes the active segment too once all of it is old and committed, rolling an empty one at the log end', () => {
    const log = logOf(5, { bytes: 250, ms: NEVER.ms });
    deleteOldSegments(log, policy({ retentionMs: 0 }), 10 * SEC);
    expect([log.logStartOffset, log.logEndOffset, log.batchCount]).toEqual([5, 5, 0]);
    expect(log.segmentBases).toEqual([5]);
    expect(log.append(batch(5, 20000), 0, 20 * SEC)).toBe(5);
    expect(log.read(5, 6, 1e9).map((b) => b.baseSequence)).toEqual([5]);
  });

  it('keeps memory flat: the columns of a log under retention do not grow with the records it ever held', () => {
    // retention.bytes 1000 with 200-byte segments keeps about 5–6 segments (12 batches) plus what arrives between checks
    const log = new ReplicaLog();
    for (let i = 0; i < 20000; i++) {
      log.append(batch(i, i), 0, i * MS, { bytes: 250, ms: NEVER.ms });
      log.setHighWatermark(log.logEndOffset);
      if (i % 50 === 49) deleteOldSegments(log, policy({ retentionBytes: 1000 }), i * MS);
    }
    expect(log.logStartOffset).toBeGreaterThan(19900);
    expect(log.baseOffsets.length).toBeLessThan(100);
  });

  it('a restart clamps an HW checkpointed before a deletion to the log start (UnifiedLog.updateHighWatermark)', () => {
    const log = logOf(10, { bytes: 250, ms: NEVER.ms }, () => 0, 2);
    log.checkpointHighWatermark(); // HW 2 on disk
    log.setHighWatermark(10);
    deleteOldSegments(log, policy({ retentionBytes: 450 }), 0); // log start 4, as above
    log.recoverAfterRestart();
    expect([log.logStartOffset, log.highWatermark]).toEqual([4, 4]);
  });

  it('the epoch cache forgets epochs wholly below the new log start (LeaderEpochFileCache.truncateFromStart)', () => {
    const c = new EpochCache();
    c.assign(0, 0);
    c.assign(1, 10);
    c.assign(3, 20);
    c.truncateFromStart(15);
    // epoch 0 ended at 10; epoch 1 still covers 15–19, now starting at the log start
    expect(c.entries()).toEqual([[1, 15], [3, 20]]);
  });
});

// -- the retention check in a running cluster --------------------------------------------------------

/**
 * 10 records a second from t = 0 (record k sent at k × 100 ms, so its CreateTime is k × 100 ms), topic
 * retention.ms 60 s in 10-second segments, the brokers checking every 30 s (first at 30 s).
 * Segments: a batch rolls a new segment when it is more than 10 000 ms newer than the segment's first
 * record, so segment k holds offsets [101k, 101k + 101), its newest record at (101k + 100) × 100 ms.
 * A check at T deletes the segments whose newest record is older than T − 60 s.
 */
const RETENTION = { 'retention.ms': 60000, 'segment.ms': 10000 };
const CHECK = { 'log.retention.check.interval.ms': 30000 };

function logStart(sim: Simulation, broker: number): number {
  return sim.broker(broker).disk.get(sim.cluster.names.find('orders', 0))!.logStartOffset;
}

describe('the retention check (LogManager.cleanupLogs)', () => {
  it('moves the log start at 90 s and 120 s as the segments age out, on the leader and the followers', () => {
    const { sim } = story({
      brokerConfig: CHECK, durationUs: 130 * SEC, topics: [topic('orders', [[1, 2, 3]], RETENTION)],
      producers: [producerSpec({ ratePerSec: 10 })],
    });
    // 30 s and 60 s: no segment's newest record is older than 60 s yet (−30 s, 0 s)
    sim.runUntil(60 * SEC + 1);
    expect(logStart(sim, 1)).toBe(0);
    // 90 s: older than 30 s are segments 0 (newest 10.0 s) and 1 (20.1 s); segment 2's newest is 30.2 s
    sim.runUntil(90 * SEC + 1);
    expect([1, 2, 3].map((b) => logStart(sim, b))).toEqual([202, 202, 202]);
    // 120 s: older than 60 s are segments 2–4 (newest 50.4 s); segment 5's newest is 60.5 s
    sim.runUntil(120 * SEC + 1);
    expect([1, 2, 3].map((b) => logStart(sim, b))).toEqual([505, 505, 505]);
    const leader = sim.trace.events.filter((e) => e.type === 'log-start-advanced' && e.broker === 1);
    expect(leader.map((e) => [e.t, e.from, e.to, e.segments, e.reason])).toEqual([
      [90 * SEC, 0, 202, 2, 'retention-ms'],
      [120 * SEC, 202, 505, 3, 'retention-ms'],
    ]);
    // retention deleted them: acknowledged, gone, not lost
    sim.run();
    expect(sim.ledgerSummary()).toMatchObject({ lost: 0, deleted: 505 });
  });

  it('without retention settings nothing is deleted and no check runs', () => {
    const { sim } = story({ durationUs: 100 * SEC, producers: [producerSpec({ ratePerSec: 10 })] });
    sim.run();
    expect(logStart(sim, 1)).toBe(0);
    expect(sim.ledgerSummary().deleted).toBe(0);
    expect(sim.trace.events.some((e) => e.type === 'log-start-advanced')).toBe(false);
  });

  it('a follower away while retention passed its log end starts its log again at the leader\'s log start', () => {
    const { sim } = story({
      brokerConfig: CHECK, durationUs: 145 * SEC, topics: [topic('orders', [[1, 2, 3]], RETENTION)],
      producers: [producerSpec({ ratePerSec: 10 })],
      timeline: [at(5 * SEC, { type: 'crash', nodes: [3] }), at(130 * SEC, { type: 'restart', nodes: [3] })],
    });
    sim.run();
    // broker 3 holds about offsets 0–50; the leader's log start since its 120 s check is far above
    // (AbstractFetcherThread.fetchOffsetAndTruncate: leader start > its end → truncateFullyAndStartAt(leader start)).
    // While broker 3 was still in the ISR, acks=all waited for it and records gathered into bigger
    // batches, so the segments (rolled per batch) differ from the one-record-a-batch run above.
    const leaderStart = sim.trace.events.filter((e) => e.type === 'log-start-advanced' && e.broker === 1 && e.t <= 130 * SEC).at(-1)!.to as number;
    expect(leaderStart).toBeGreaterThan(400);
    const again = sim.trace.events.filter((e) => e.type === 'log-start-advanced' && e.broker === 3);
    expect(again.map((e) => [e.from, e.to, e.reason])).toEqual([[0, leaderStart, 'out-of-range']]);
    const log = sim.broker(3).disk.get(sim.cluster.names.find('orders', 0))!;
    expect(log.logStartOffset).toBe(leaderStart);
    expect(log.logEndOffset).toBeGreaterThan(1400); // caught up from there
    expect(sim.ledgerSummary().lost).toBe(0);
  });
});

describe('a consumer overtaken by retention (OFFSET_OUT_OF_RANGE)', () => {
  /** Consumer `c` reads from the start, dies at 20 s and returns at 150 s, after the 150 s check moved the log start to 808. */
  function overtaken(reset: 'earliest' | 'latest' | 'none') {
    const s = story({
      brokerConfig: CHECK, durationUs: 170 * SEC, topics: [topic('orders', [[1, 2, 3]], RETENTION)],
      producers: [producerSpec({ ratePerSec: 10 })],
      consumers: [consumerSpec({ id: 'c', group: 'g', config: { 'auto.offset.reset': reset === 'none' ? 'earliest' : reset } })],
      timeline: [at(20 * SEC, { type: 'crash', nodes: ['c'] }), at(150 * SEC, { type: 'restart', nodes: ['c'] })],
    });
    return s;
  }

  it('earliest: jumps to the log start (808 after the 150 s check: segment 7 ends at 80.7 s, segment 8 at 90.8 s); the gap is counted as skipped', () => {
    const { sim } = overtaken('earliest');
    sim.run();
    const resets = sim.trace.events.filter((e) => e.type === 'offset-reset' && e.reason === 'out-of-range');
    expect(resets).toHaveLength(1);
    const r = resets[0];
    // the committed offset (where it resumed) was deleted: ListOffsets(EARLIEST) answers the log start
    expect(r.to).toBe(808);
    expect(Number(r.from)).toBeGreaterThan(100);
    expect(Number(r.from)).toBeLessThan(808);
    expect(sim.ledgerSummary({ group: 'g' }).outOfRangeSkipped).toBe(808 - Number(r.from));
    expect(sim.ledgerSummary().lost).toBe(0);
  });

  it('latest: jumps to the log end, skipping the records still in the log as well', () => {
    const { sim } = overtaken('latest');
    // the consumer's reset looks up the log end at its leader: it is whatever the HW is then
    let leoAtReset = -1;
    stepUntil(sim, () => {
      const r = sim.trace.events.find((e) => e.type === 'offset-reset' && e.reason === 'out-of-range');
      if (r) leoAtReset = Number(r.to);
      return r !== undefined;
    }, 170 * SEC);
    expect(leoAtReset).toBeGreaterThan(1500); // about 10 records a second for 150 s
    const r = sim.trace.events.find((e) => e.type === 'offset-reset' && e.reason === 'out-of-range')!;
    expect(sim.ledgerSummary({ group: 'g' }).outOfRangeSkipped).toBe(leoAtReset - Number(r.from));
  });

  it('none: poll() throws OffsetOutOfRangeException and the consumer stops reading', () => {
    // the group needs a committed offset first, or `none` fails at once (NoOffsetForPartitionException):
    // it reads with earliest, then the restarted process runs with none
    const { sim } = story({
      brokerConfig: CHECK, durationUs: 170 * SEC, topics: [topic('orders', [[1, 2, 3]], RETENTION)],
      producers: [producerSpec({ ratePerSec: 10 })],
      consumers: [consumerSpec({ id: 'c', group: 'g', config: { 'auto.offset.reset': 'none' } })],
      timeline: [
        at(0, { type: 'reset-offsets', group: 'g', topic: 'orders', to: 'earliest' }),
        at(20 * SEC, { type: 'crash', nodes: ['c'] }), at(150 * SEC, { type: 'restart', nodes: ['c'] }),
      ],
    });
    sim.run();
    const errors = sim.trace.events.filter((e) => e.type === 'consumer-error');
    expect(errors.map((e) => e.error)).toEqual(['OffsetOutOfRangeException']);
    expect(errors[0].t).toBeGreaterThan(150 * SEC);
    expect(sim.trace.events.some((e) => e.type === 'offset-reset' && e.reason === 'out-of-range')).toBe(false);
    expect(sim.ledgerSummary({ group: 'g' }).outOfRangeSkipped).toBe(0);
  });
});
