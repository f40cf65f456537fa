// The replica log and its epoch cache: appends stamped with epochs, truncation, the HW clamp,
// reads for fetches, the page-cache durability model, and Kafka's endOffsetFor answers.
import { describe, it, expect } from 'vitest';
import { ReplicaLog } from '../../sim/kafka/log.ts';
import { EpochCache } from '../../sim/kafka/epoch-cache.ts';
import type { RecordBatch } from '../../sim/kafka/protocol.ts';

const batch = (count: number, seq = 0, pid = 1): RecordBatch => ({
  baseOffset: -1, count, leaderEpoch: -1, producerId: pid, baseSequence: seq, sizeBytes: 100 * count,
});

describe('ReplicaLog', () => {
  it('appends batches at the log end, stamped with the leader epoch, and caches each epoch start', () => {
    const log = new ReplicaLog();
    expect(log.append(batch(3), 0, 10)).toBe(0);
    expect(log.append(batch(2, 3), 0, 20)).toBe(3);
    expect(log.append(batch(1, 5), 2, 30)).toBe(5);
    expect(log.logEndOffset).toBe(6);
    expect(log.epochAt(4)).toBe(0);
    expect(log.epochAt(5)).toBe(2);
    expect(log.epochCache.entries()).toEqual([[0, 0], [2, 5]]);
  });

  it('keeps every column of every batch as its typed columns grow, and reuses the room a truncation freed', () => {
    const log = new ReplicaLog();
    const pid = 2 ** 40 + 7; // producer ids are longs: exact beyond 32 bits
    for (let i = 0; i < 1000; i++) log.append({ ...batch(1 + (i % 3), i * 3, pid + i), producerEpoch: i % 7 }, Math.floor(i / 100), 1e12 + i);
    expect(log.batchCount).toBe(1000);
    const read = log.read(0, log.logEndOffset, Number.POSITIVE_INFINITY);
    expect(read).toHaveLength(1000);
    read.forEach((b, i) => {
      expect([b.count, b.producerId, b.baseSequence, b.producerEpoch, b.leaderEpoch, b.sizeBytes]).toEqual([1 + (i % 3), pid + i, i * 3, i % 7, Math.floor(i / 100), 100 * (1 + (i % 3))]);
    });
    expect(log.appendTimesUs[999]).toBe(1e12 + 999);
    log.truncateTo(read[500].baseOffset);
    log.append(batch(4, 0, 9), 20, 5);
    expect(log.batchCount).toBe(501);
    expect(log.read(read[500].baseOffset, log.logEndOffset, 1e9).map((b) => [b.count, b.producerId, b.leaderEpoch])).toEqual([[4, 9, 20]]);
  });

  it('truncates inside a batch, clamps the HW and forgets epochs that started beyond the cut', () => {
    const log = new ReplicaLog();
    log.append(batch(3), 0, 0);
    log.append(batch(3, 3), 1, 0);
    log.setHighWatermark(6);
    expect(log.truncateTo(4)).toBe(2);
    expect(log.logEndOffset).toBe(4);
    expect(log.highWatermark).toBe(4);
    expect([...log.counts.subarray(0, log.batchCount)]).toEqual([3, 1]);
    log.truncateTo(3);
    expect(log.epochCache.entries()).toEqual([[0, 0]]);
  });

  it('clamps the HW to the log end and only moves a follower HW forward', () => {
    const log = new ReplicaLog();
    log.append(batch(5), 0, 0);
    log.setHighWatermark(9);
    expect(log.highWatermark).toBe(5);
    expect(log.maybeIncreaseHighWatermark(3)).toBe(false);
    expect(log.highWatermark).toBe(5);
  });

  it('reads from the middle of a batch up to a limit offset, returning at least one batch', () => {
    const log = new ReplicaLog();
    log.append(batch(4, 10), 0, 0);
    log.append(batch(4, 14), 0, 0);
    const r = log.read(2, 6, 1);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ baseOffset: 2, count: 2, baseSequence: 12, leaderEpoch: 0 });
    expect(log.read(2, 6, 1e9).map((b) => [b.baseOffset, b.count])).toEqual([[2, 2], [4, 2]]);
    expect(log.read(8, 8, 1e9)).toEqual([]);
  });

  it('loses only what the OS had not written back or fsynced on power loss', () => {
    const log = new ReplicaLog();
    const writeback = 30_000_000;
    log.append(batch(2), 0, 0);
    log.append(batch(2), 0, 20_000_000);
    log.append(batch(2), 0, 40_000_000);
    expect(log.durableEndOffset(45_000_000, writeback)).toBe(2);
    log.flush(41_000_000);
    log.append(batch(2), 0, 42_000_000);
    expect(log.loseUnflushed(45_000_000, writeback)).toBe(2);
    expect(log.logEndOffset).toBe(6);
  });

  it('a segment roll fsyncs the log below the new segment (UnifiedLog.roll → flushUptoOffsetExclusive), so it survives power loss', () => {
    const log = new ReplicaLog();
    const writeback = 30_000_000;
    const roll = { bytes: 400, ms: 604800000 };
    // 100 bytes a record: two batches of 2 fill 400 bytes; the third would pass segment.bytes and rolls at offset 4
    log.append(batch(2), 0, 1_000_000, roll);
    log.append(batch(2), 0, 2_000_000, roll);
    expect(log.recoveryPoint).toBe(0);
    log.append(batch(2), 0, 3_000_000, roll);
    expect(log.segmentBases).toEqual([0, 4]);
    expect(log.recoveryPoint).toBe(4);
    expect(log.unflushedMessages).toBe(2);
    expect(log.lastFlushTimeUs).toBe(3_000_000);
    // at 10 s nothing is older than the 30 s write-back: only the fsynced segment is on disk
    expect(log.durableEndOffset(10_000_000, writeback)).toBe(4);
  });

  it('restarts with the checkpointed HW, which may be stale', () => {
    const log = new ReplicaLog();
    log.append(batch(10), 0, 0);
    log.setHighWatermark(4);
    log.checkpointHighWatermark();
    log.setHighWatermark(10);
    log.recoverAfterRestart();
    expect(log.highWatermark).toBe(4);
  });
});

describe('EpochCache.endOffsetFor (LeaderEpochFileCache)', () => {
  const cache = new EpochCache();
  cache.assign(1, 0);
  cache.assign(3, 100);
  cache.assign(5, 150);

  it('answers the log end for the latest epoch', () => {
    expect(cache.endOffsetFor(5, 170)).toEqual({ epoch: 5, endOffset: 170 });
  });
  it('answers the floor epoch and the start of the next one for an epoch it skipped', () => {
    expect(cache.endOffsetFor(4, 170)).toEqual({ epoch: 3, endOffset: 150 });
    expect(cache.endOffsetFor(3, 170)).toEqual({ epoch: 3, endOffset: 150 });
  });
  it('answers the first start offset for an epoch older than all, and unknown above all', () => {
    expect(cache.endOffsetFor(0, 170)).toEqual({ epoch: 0, endOffset: 0 });
    expect(cache.endOffsetFor(9, 170)).toEqual({ epoch: -1, endOffset: -1 });
  });
  it('ignores a stale assignment and drops conflicting entries', () => {
    const c = new EpochCache();
    c.assign(2, 10);
    c.assign(1, 20);
    expect(c.entries()).toEqual([[2, 10]]);
    c.assign(4, 5);
    expect(c.entries()).toEqual([[4, 5]]);
  });
});
