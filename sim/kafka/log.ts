// One replica's log on one broker's disk: record batches stamped with the leader epoch they were
// written in, the log end offset, the high watermark and the epoch cache (core/…/UnifiedLog.scala,
// LocalLog.scala). Batches are stored as parallel typed arrays, not objects, because the log is the hot
// data of every run. It also models the page cache: an append is durable only once the OS wrote it
// back (spec.pageCacheWritebackUs after the append) or an fsync covered it (log.flush.*).
// The log is cut into segments (LogSegment): a new one is rolled on append when the active one would
// pass segment.bytes or its first batch is segment.ms older than the new one (UnifiedLog.maybeRoll);
// retention (retention.ts) deletes whole segments from the front and moves the log start offset.
// Deleting a prefix moves the surviving batches to the front of the same columns (copyWithin), so the
// memory of a long run stays one flat buffer, sized by what the log holds now.

import type { RecordBatch } from './protocol.ts';
import { EpochCache } from './epoch-cache.ts';
import { columns, type F64, type I16, type I32 } from '../engine/columns.ts';

/** Offsets are kept in 32 bits: a run appends far fewer records than this to one partition. */
const MAX_OFFSET = 0x7fffffff;

/** When a segment is rolled (LogConfig segment.bytes, segment.ms; segment.jitter.ms is 0 by default). */
export interface RollPolicy {
  bytes: number;
  ms: number;
}

/** LogConfig.DEFAULT_SEGMENT_BYTES (1 GiB) and DEFAULT_SEGMENT_MS (7 days). */
export const DEFAULT_ROLL: RollPolicy = { bytes: 1073741824, ms: 604800000 };

/** Kafka's clocks and record timestamps count milliseconds. */
export function msOf(us: number): number {
  return Math.floor(us / 1000);
}

export class ReplicaLog {
  // one entry per batch, sorted by base offset, contiguous: base[i] + count[i] === base[i + 1]; typed
  // columns in one buffer (46 bytes a batch), of which the first `batchCount` entries are the log
  baseOffsets: I32 = new Int32Array(0);
  counts: I32 = new Int32Array(0);
  epochs: I32 = new Int32Array(0);
  baseSequences: I32 = new Int32Array(0);
  sizes: I32 = new Int32Array(0);
  /** Producer ids are longs in Kafka: kept exact as doubles. */
  producerIds: F64 = new Float64Array(0);
  /** When the batch reached the page cache (µs): it is on disk after the write-back delay. */
  appendTimesUs: F64 = new Float64Array(0);
  /** The batch's maxTimestamp (µs): its last record's CreateTime, the producer's clock at send(). */
  timestampsUs: F64 = new Float64Array(0);
  /** A short in Kafka's record batch header. */
  producerEpochs: I16 = new Int16Array(0);
  batchCount = 0;

  /**
   * The segments, oldest first (a few per log: plain arrays). Their batches are the columns' (segment
   * i holds [segmentBases[i], segmentBases[i + 1])); segmentBytes is LogSegment.size,
   * segmentMaxTimestampsUs its largestTimestamp (−1: empty), segmentFirstTimestampsUs its
   * rollingBasedTimestamp (the first batch's maxTimestamp; −1: empty).
   */
  readonly segmentBases: number[] = [0];
  readonly segmentBytes: number[] = [0];
  readonly segmentMaxTimestampsUs: number[] = [-1];
  readonly segmentFirstTimestampsUs: number[] = [-1];

  /** The first offset a reader may read; it only moves forward, but for a truncation below it. */
  logStartOffset = 0;
  logEndOffset = 0;
  highWatermark = 0;
  readonly epochCache = new EpochCache();

  /** Everything below this offset has been fsynced (UnifiedLog.recoveryPoint). */
  recoveryPoint = 0;
  /** Records appended since the last fsync (log.flush.interval.messages counts these). */
  unflushedMessages = 0;
  lastFlushTimeUs = 0;
  /** The HW last written to replication-offset-checkpoint (replica.high.watermark.checkpoint.interval.ms). */
  checkpointedHighWatermark = 0;

  /** Appends a batch at the log end and returns its base offset; `leaderEpoch` stamps it. */
  append(batch: RecordBatch, leaderEpoch: number, nowUs: number, roll: RollPolicy = DEFAULT_ROLL): number {
    const base = this.logEndOffset;
    const ts = batch.maxTimestampUs ?? nowUs;
    this.maybeRoll(base, batch.sizeBytes, ts, roll, nowUs);
    this.pushBatch(base, batch.count, leaderEpoch, batch.producerId, batch.producerEpoch ?? 0, batch.baseSequence, batch.sizeBytes, nowUs, ts);
    return base;
  }

  /** A follower's append of a batch fetched from the leader: offsets and epoch are the leader's. */
  appendAsFollower(batch: RecordBatch, nowUs: number, roll: RollPolicy = DEFAULT_ROLL): void {
    if (batch.baseOffset !== this.logEndOffset) {
      throw new Error(`follower append at ${batch.baseOffset} but log end offset is ${this.logEndOffset}`);
    }
    const ts = batch.maxTimestampUs ?? nowUs;
    this.maybeRoll(batch.baseOffset, batch.sizeBytes, ts, roll, nowUs);
    this.pushBatch(batch.baseOffset, batch.count, batch.leaderEpoch, batch.producerId, batch.producerEpoch ?? 0, batch.baseSequence, batch.sizeBytes, nowUs, ts);
  }

  /**
   * UnifiedLog.maybeRoll / LogSegment.shouldRoll: a new segment at `base` when the active one would
   * pass segment.bytes with `size` more, or (if not empty) the batch's timestamp is more than
   * segment.ms after the segment's first batch's. An empty active segment is never rolled (Kafka
   * would recreate it at the same offset). UnifiedLog.roll then fsyncs everything below the new
   * segment (its scheduled "flush-log" task, flushUptoOffsetExclusive): a rolled segment survives a
   * power loss whatever log.flush.* says.
   */
  private maybeRoll(base: number, size: number, tsUs: number, roll: RollPolicy, nowUs: number): void {
    const a = this.segmentBases.length - 1;
    const bytes = this.segmentBytes[a];
    if (bytes === 0) return;
    const first = this.segmentFirstTimestampsUs[a];
    if (bytes > roll.bytes - size || msOf(tsUs) - msOf(first) > roll.ms) {
      this.addSegment(base);
      this.flushUpTo(base, nowUs);
    }
  }

  /** UnifiedLog.flushUptoOffsetExclusive / LocalLog.markFlushed: `offset` becomes the recovery point. */
  private flushUpTo(offset: number, nowUs: number): void {
    if (offset <= this.recoveryPoint) return;
    this.recoveryPoint = offset;
    this.unflushedMessages = this.logEndOffset - offset;
    this.lastFlushTimeUs = nowUs;
  }

  private addSegment(base: number): void {
    this.segmentBases.push(base);
    this.segmentBytes.push(0);
    this.segmentMaxTimestampsUs.push(-1);
    this.segmentFirstTimestampsUs.push(-1);
  }

  /** LogSegment.size summed: the bytes on disk, deleted-but-not-yet-removed segments included (UnifiedLog.size). */
  sizeInBytes(): number {
    let n = 0;
    for (const b of this.segmentBytes) n += b;
    return n;
  }

  private pushBatch(base: number, count: number, epoch: number, pid: number, pepoch: number, seq: number, size: number, nowUs: number, tsUs: number): void {
    // UnifiedLog.append: a batch of a newer epoch starts that epoch in the cache
    if (epoch > this.epochCache.latestEpoch()) this.epochCache.assign(epoch, base);
    if (base + count > MAX_OFFSET) throw new Error(`log end offset past ${MAX_OFFSET}: the model keeps offsets in 32 bits`);
    if (this.batchCount === this.baseOffsets.length) this.grow(Math.max(8, Math.ceil(this.batchCount * 1.5)));
    const i = this.batchCount++;
    this.baseOffsets[i] = base;
    this.counts[i] = count;
    this.epochs[i] = epoch;
    this.producerIds[i] = pid;
    this.producerEpochs[i] = pepoch;
    this.baseSequences[i] = seq;
    this.sizes[i] = size;
    this.appendTimesUs[i] = nowUs;
    this.timestampsUs[i] = tsUs;
    this.logEndOffset = base + count;
    this.unflushedMessages += count;
    const a = this.segmentBases.length - 1;
    this.segmentBytes[a] += size;
    if (tsUs > this.segmentMaxTimestampsUs[a]) this.segmentMaxTimestampsUs[a] = tsUs;
    if (this.segmentFirstTimestampsUs[a] < 0) this.segmentFirstTimestampsUs[a] = tsUs;
  }

  /** Index of the batch holding `offset`, or −1 if it is outside the log. */
  batchIndexOf(offset: number): number {
    if (offset < this.logStartOffset || offset >= this.logEndOffset) return -1;
    let lo = 0;
    let hi = this.batchCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.baseOffsets[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The leader epoch of the record at `offset`, or −1. */
  epochAt(offset: number): number {
    const i = this.batchIndexOf(offset);
    return i < 0 ? -1 : this.epochs[i];
  }

  /**
   * Batches from `fromOffset` (a batch that straddles it is cut) up to `maxOffset` (exclusive),
   * stopping once `maxBytes` is reached; at least one batch is returned if any is readable, as Kafka
   * always returns the first batch even when it is larger than the limit.
   */
  read(fromOffset: number, maxOffset: number, maxBytes: number): RecordBatch[] {
    const out: RecordBatch[] = [];
    let i = this.batchIndexOf(fromOffset);
    if (i < 0) return out;
    let bytes = 0;
    for (; i < this.batchCount; i++) {
      let base = this.baseOffsets[i];
      if (base >= maxOffset) break;
      let count = this.counts[i];
      let seq = this.baseSequences[i];
      const skip = base < fromOffset ? fromOffset - base : 0;
      base += skip;
      seq += skip;
      count -= skip;
      if (base + count > maxOffset) count = maxOffset - base;
      const size = this.sizes[i];
      if (out.length > 0 && bytes + size > maxBytes) break;
      bytes += size;
      out.push({
        baseOffset: base, count, leaderEpoch: this.epochs[i], producerId: this.producerIds[i], producerEpoch: this.producerEpochs[i],
        baseSequence: seq, sizeBytes: size, maxTimestampUs: this.timestampsUs[i],
      });
    }
    return out;
  }

  /**
   * Removes every record at or above `offset` (UnifiedLog.truncateTo) and returns how many went.
   * The epoch cache forgets epochs starting there, and the HW is clamped to the new end.
   */
  truncateTo(offset: number): number {
    if (offset >= this.logEndOffset) {
      // UnifiedLog.truncateTo: the epoch cache is truncated even then, since a replica that led an
      // epoch without appending to it holds an entry at its log end that the leader does not know
      this.epochCache.truncateFromEnd(this.logEndOffset);
      return 0;
    }
    const removed = this.logEndOffset - Math.max(offset, this.logStartOffset);
    let n = this.batchCount;
    while (n > 0 && this.baseOffsets[n - 1] >= offset) n--;
    this.batchCount = n;
    if (n > 0) {
      const last = n - 1;
      const end = this.baseOffsets[last] + this.counts[last];
      if (end > offset) this.counts[last] = offset - this.baseOffsets[last];
    }
    this.logEndOffset = offset;
    // UnifiedLog.truncateTo: below the log start, the log starts again at the target
    if (offset < this.logStartOffset) this.logStartOffset = offset;
    this.truncateSegments(offset);
    this.epochCache.truncateFromEnd(offset);
    if (this.highWatermark > offset) this.highWatermark = offset;
    if (this.recoveryPoint > offset) this.recoveryPoint = offset;
    if (this.checkpointedHighWatermark > offset) this.checkpointedHighWatermark = offset;
    this.unflushedMessages = Math.min(this.unflushedMessages, this.logEndOffset - this.recoveryPoint);
    return removed;
  }

  /**
   * LocalLog.truncateTo: segments starting above `offset` go, the one holding it keeps what is below
   * it (its size and timestamps recomputed); below the first segment, one empty segment at `offset`.
   */
  private truncateSegments(offset: number): void {
    let n = this.segmentBases.length;
    while (n > 1 && this.segmentBases[n - 1] > offset) n--;
    this.segmentBases.length = n;
    this.segmentBytes.length = n;
    this.segmentMaxTimestampsUs.length = n;
    this.segmentFirstTimestampsUs.length = n;
    if (this.segmentBases[0] > offset) this.segmentBases[0] = offset;
    const a = n - 1;
    let bytes = 0;
    let max = -1;
    let first = -1;
    for (let i = this.batchCount - 1; i >= 0 && this.baseOffsets[i] >= this.segmentBases[a]; i--) {
      bytes += this.sizes[i];
      if (this.timestampsUs[i] > max) max = this.timestampsUs[i];
      first = this.timestampsUs[i];
    }
    this.segmentBytes[a] = bytes;
    this.segmentMaxTimestampsUs[a] = max;
    this.segmentFirstTimestampsUs[a] = first;
  }

  /**
   * UnifiedLog.maybeIncrementLogStartOffset: the log start moves forward (never past the HW); the
   * epoch cache forgets what lies below it. Returns whether it moved.
   */
  maybeIncrementLogStartOffset(offset: number): boolean {
    if (offset <= this.logStartOffset || offset > this.highWatermark) return false;
    this.logStartOffset = offset;
    this.epochCache.truncateFromStart(offset);
    return true;
  }

  /**
   * LocalLog.removeAndDeleteSegments: the first `count` segments leave the disk (a new empty active
   * segment at the log end first if every segment goes, as UnifiedLog.deleteSegments rolls). Their
   * batches leave the columns: the rest move to the front, so the buffer keeps its size.
   */
  removeSegments(count: number): void {
    if (count <= 0) return;
    if (count >= this.segmentBases.length) this.addSegment(this.logEndOffset);
    const newBase = this.segmentBases[count];
    this.segmentBases.splice(0, count);
    this.segmentBytes.splice(0, count);
    this.segmentMaxTimestampsUs.splice(0, count);
    this.segmentFirstTimestampsUs.splice(0, count);
    let k = 0;
    while (k < this.batchCount && this.baseOffsets[k] < newBase) k++;
    if (k === 0) return;
    const n = this.batchCount;
    for (const c of [this.producerIds, this.appendTimesUs, this.timestampsUs, this.baseOffsets, this.counts, this.epochs, this.baseSequences, this.sizes, this.producerEpochs]) {
      c.copyWithin(0, k, n);
    }
    this.batchCount = n - k;
  }

  /**
   * UnifiedLog.truncateFullyAndStartAt: every record goes and the log starts empty at `offset` (a
   * follower whose log end fell below the leader's log start). Returns how many records went.
   */
  truncateFullyAndStartAt(offset: number): number {
    const removed = this.logEndOffset - this.logStartOffset;
    this.batchCount = 0;
    this.segmentBases.length = 1;
    this.segmentBytes.length = 1;
    this.segmentMaxTimestampsUs.length = 1;
    this.segmentFirstTimestampsUs.length = 1;
    this.segmentBases[0] = offset;
    this.segmentBytes[0] = 0;
    this.segmentMaxTimestampsUs[0] = -1;
    this.segmentFirstTimestampsUs[0] = -1;
    this.epochCache.clear();
    this.logStartOffset = offset;
    this.logEndOffset = offset;
    this.highWatermark = offset;
    this.recoveryPoint = offset;
    this.checkpointedHighWatermark = offset;
    this.unflushedMessages = 0;
    return removed;
  }

  /** Moves the columns into one buffer of `capacity` batches (grown by half again, as ArrayList does). */
  private grow(capacity: number): void {
    // widest first, so every view in the shared buffer starts aligned
    const c = columns(capacity, [Float64Array, Float64Array, Float64Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int16Array]);
    const n = this.batchCount;
    c[0].set(this.producerIds.subarray(0, n));
    c[1].set(this.appendTimesUs.subarray(0, n));
    c[2].set(this.timestampsUs.subarray(0, n));
    c[3].set(this.baseOffsets.subarray(0, n));
    c[4].set(this.counts.subarray(0, n));
    c[5].set(this.epochs.subarray(0, n));
    c[6].set(this.baseSequences.subarray(0, n));
    c[7].set(this.sizes.subarray(0, n));
    c[8].set(this.producerEpochs.subarray(0, n));
    [this.producerIds, this.appendTimesUs, this.timestampsUs] = c as [F64, F64, F64];
    [, , , this.baseOffsets, this.counts, this.epochs, this.baseSequences, this.sizes] = c as I32[];
    this.producerEpochs = c[8] as I16;
  }

  /** UnifiedLog.updateHighWatermark: the HW is clamped to [logStartOffset, logEndOffset]. */
  setHighWatermark(hw: number): void {
    this.highWatermark = hw < this.logStartOffset ? this.logStartOffset : hw > this.logEndOffset ? this.logEndOffset : hw;
  }

  /** UnifiedLog.maybeUpdateHighWatermark: move forward only (followers, from the leader's HW). */
  maybeIncreaseHighWatermark(hw: number): boolean {
    const clamped = hw > this.logEndOffset ? this.logEndOffset : hw;
    if (clamped <= this.highWatermark) return false;
    this.highWatermark = clamped;
    return true;
  }

  /** An fsync of the whole log (UnifiedLog.flush). */
  flush(nowUs: number): void {
    this.recoveryPoint = this.logEndOffset;
    this.unflushedMessages = 0;
    this.lastFlushTimeUs = nowUs;
  }

  /**
   * The end of what is on disk at `nowUs`: everything fsynced, plus the batches the OS has written
   * back (appended at least `writebackUs` ago; write-back follows append order).
   */
  durableEndOffset(nowUs: number, writebackUs: number): number {
    const cutoff = nowUs - writebackUs;
    let lo = 0;
    let hi = this.batchCount; // first batch appended after the cutoff
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.appendTimesUs[mid] <= cutoff) lo = mid + 1;
      else hi = mid;
    }
    const written = lo === 0 ? this.segmentBases[0] : this.baseOffsets[lo - 1] + this.counts[lo - 1];
    return Math.max(written, this.recoveryPoint);
  }

  /** Power loss: what the page cache held and the disk did not is gone (log recovery truncates). */
  loseUnflushed(nowUs: number, writebackUs: number): number {
    const durable = this.durableEndOffset(nowUs, writebackUs);
    const lost = this.logEndOffset - durable;
    this.truncateTo(durable);
    return lost;
  }

  /** The broker restarts: the HW is read back from its checkpoint (possibly stale), within the log. */
  recoverAfterRestart(): void {
    // UnifiedLog.updateHighWatermark clamps to [logStartOffset, logEndOffset]: a checkpoint older than a deletion is below the start
    this.highWatermark = Math.max(this.logStartOffset, Math.min(this.checkpointedHighWatermark, this.logEndOffset));
    this.unflushedMessages = this.logEndOffset - this.recoveryPoint;
  }

  checkpointHighWatermark(): void {
    this.checkpointedHighWatermark = this.highWatermark;
  }
}
