// The producer's RecordAccumulator (clients/…/producer/internals/RecordAccumulator.java): a queue of
// batches per partition, which batches are ready to send (batchReady), and which go into the next
// ProduceRequest to each broker (drain). Rules kept:
// - a record joins the partition's last batch if it fits in batch.size, else a new batch opens;
// - a batch is sendable when it is full (or another batch waits behind it), when it has waited
//   linger.ms (the retry backoff instead, for a retry), when buffer.memory is exhausted, or on close;
// - drain takes at most one batch per partition per request, starting from a rotating index so no
//   partition starves; a retry in backoff stays; for an idempotent producer a retried batch waits
//   until it is the first sequence still outstanding (shouldStopDrainBatchesForPartition);
// - a retry goes back to the front of its queue: in sequence order with idempotence, else first;
// - batches older than delivery.timeout.ms expire in the queue (expiredBatches).
// max.request.size is not a scenario setting: a request takes one batch per partition, as it would
// whenever batches are far below 1 MiB.

import type { MetadataCache } from './metadata-cache.ts';
import { NO_LEADER } from '../protocol.ts';
import type { Partitioner } from './partitioner.ts';
import {
  type ProducerBatch, newBatch, hasRoomFor, isFull, waitedTimeUs, hasReachedDeliveryTimeout,
} from './producer-batch.ts';

export interface AccumulatorConfig {
  topic: string;
  batchSize: number;
  lingerUs: number;
  deliveryTimeoutUs: number;
  bufferMemory: number;
  /** A TransactionManager exists (enable.idempotence): retries are queued in sequence order. */
  idempotent: boolean;
  /** partitioner.availability.timeout.ms in µs; 0 = off. */
  availabilityTimeoutUs: number;
  /** Keep each record's send() time in its batch (the metrics part's produce latency); off by default. */
  keepSendTimes?: boolean;
}

export interface AppendResult {
  batch: ProducerBatch;
  newBatchCreated: boolean;
  /** The batch is sendable because of size (RecordAppendResult.batchIsFull). */
  batchIsFull: boolean;
}

export interface ReadyCheck {
  readyNodes: number[];
  /** µs until a batch not yet ready becomes ready (linger or backoff), or MAX_SAFE_INTEGER. */
  nextReadyCheckDelayUs: number;
  unknownLeader: boolean;
}

/** Per-broker readiness times for partitioner.availability.timeout.ms (RecordAccumulator.NodeLatencyStats). */
interface NodeLatencyStats {
  readyTimeUs: number;
  drainTimeUs: number;
}

const NONE: readonly number[] = [];

export class RecordAccumulator {
  /** Batches waiting to be sent, per partition, oldest first. */
  readonly deques: ProducerBatch[][] = [];
  private readonly nextSequence: number[] = [];
  /** Bytes held by batches not yet completed (buffer.memory accounting). */
  bufferedBytes = 0;
  private readonly drainIndex = new Map<number, number>();
  private readonly nodeStats = new Map<number, NodeLatencyStats>();
  /** Set by close(): everything is sendable at once. */
  closing = false;
  /** ready()'s answer and scratch arrays, reused: valid until the next call. */
  private readonly readyCheck: ReadyCheck = { readyNodes: [], nextReadyCheckDelayUs: Number.MAX_SAFE_INTEGER, unknownLeader: false };
  private readonly queueSizes: number[] = [];
  private readonly partitionIds: number[] = [];

  constructor(
    private readonly cfg: AccumulatorConfig,
    private readonly partitioner: Partitioner,
  ) {}

  deque(partition: number): ProducerBatch[] {
    let dq = this.deques[partition];
    if (dq === undefined) {
      dq = [];
      this.deques[partition] = dq;
      this.nextSequence[partition] ??= 0;
    }
    return dq;
  }

  /** Would a record of `bytes` open a new batch on `partition`? (tryAppend failing; KIP-480 abortOnNewBatch) */
  wouldCreateBatch(partition: number, bytes: number): boolean {
    const dq = this.deques[partition];
    const last = dq === undefined || dq.length === 0 ? undefined : dq[dq.length - 1];
    return last === undefined || !hasRoomFor(last, bytes, this.cfg.batchSize);
  }

  /** buffer.memory: room for `bytes` more (BufferPool.allocate would not block). */
  hasMemoryFor(bytes: number): boolean {
    return this.bufferedBytes + bytes <= this.cfg.bufferMemory;
  }

  /** RecordAccumulator.append of one record. */
  /** `sendUs`: when send() was called for the record (earlier than now if it blocked); kept only with keepSendTimes. */
  append(partition: number, bytes: number, producerId: number, nowUs: number, sendUs = nowUs): AppendResult {
    const dq = this.deque(partition);
    let batch = dq.length === 0 ? undefined : dq[dq.length - 1];
    let newBatchCreated = false;
    if (batch === undefined || !hasRoomFor(batch, bytes, this.cfg.batchSize)) {
      if (batch !== undefined) batch.closed = true; // closeForRecordAppends
      batch = newBatch(this.cfg.topic, partition, producerId, this.nextSequence[partition], nowUs);
      if (this.cfg.keepSendTimes === true) batch.sendTimesUs = [];
      dq.push(batch);
      newBatchCreated = true;
    }
    batch.recordCount++;
    batch.sizeBytes += bytes;
    batch.lastRecordUs = nowUs;
    if (batch.sendTimesUs !== undefined) batch.sendTimesUs.push(sendUs);
    this.nextSequence[partition]++;
    this.bufferedBytes += bytes;
    return { batch, newBatchCreated, batchIsFull: dq.length > 1 || isFull(batch, this.cfg.batchSize) };
  }

  /** RecordAccumulator.allBatchesFull: only the last batch can be incomplete. */
  allBatchesFull(partition: number): boolean {
    const dq = this.deques[partition];
    return dq === undefined || dq.length === 0 || isFull(dq[dq.length - 1], this.cfg.batchSize);
  }

  /**
   * RecordAccumulator.ready: the brokers that lead a partition with a sendable batch. `isMuted`
   * holds back partitions with a batch in flight when order must be kept (max.in.flight = 1).
   * The answer is reused by the next call: read it before asking again.
   */
  ready(metadata: MetadataCache, nowUs: number, isMuted: (p: number) => boolean, backoffOf: (b: ProducerBatch) => number): ReadyCheck {
    // the sender reads the answer before it asks again, so one answer and its arrays are reused (no garbage per run)
    const out = this.readyCheck;
    const readyNodes = out.readyNodes;
    // (a length is set only when it changes: setting it is a call into the runtime)
    if (readyNodes.length !== 0) readyNodes.length = 0;
    let next = Number.MAX_SAFE_INTEGER;
    let unknownLeader = false;
    const exhausted = !this.hasMemoryFor(0);
    const queueSizes = this.queueSizes;
    const partitionIds = this.partitionIds;
    let withLeader = 0;
    let queued = 0;
    for (let p = 0; p < this.deques.length; p++) {
      const dq = this.deques[p];
      if (dq === undefined) continue;
      queued++;
      const leader = metadata.leaderFor(this.cfg.topic, p);
      if (leader !== NO_LEADER && this.isAvailable(leader)) {
        queueSizes[withLeader] = dq.length;
        partitionIds[withLeader] = p;
        withLeader++;
      }
      if (dq.length === 0) continue;
      if (leader === NO_LEADER) {
        unknownLeader = true;
        continue;
      }
      if (readyNodes.includes(leader) || isMuted(p)) continue;
      const batch = dq[0];
      const waited = waitedTimeUs(batch, nowUs);
      const backingOff = batch.attempts > 0 && waited < backoffOf(batch);
      const timeToWait = backingOff ? backoffOf(batch) : this.cfg.lingerUs;
      const full = dq.length > 1 || isFull(batch, this.cfg.batchSize);
      const sendable = full || waited >= timeToWait || exhausted || this.closing;
      if (sendable && !backingOff) readyNodes.push(leader);
      else next = Math.min(next, Math.max(timeToWait - waited, 0));
    }
    if (queueSizes.length !== withLeader) {
      queueSizes.length = withLeader;
      partitionIds.length = withLeader;
    }
    // RecordAccumulator.partitionReady: adaptive partitioning starts only once every partition has a
    // queue, since a partition missing from the table could never be picked
    if (queued >= metadata.partitionCount(this.cfg.topic)) this.partitioner.updateLoadStats(queueSizes, partitionIds, queued);
    else this.partitioner.updateLoadStats(NONE, NONE, 0);
    // ascending node ids (insertion sort: a handful of brokers, and no comparator closure per run)
    for (let i = 1; i < readyNodes.length; i++) {
      const x = readyNodes[i];
      let j = i - 1;
      while (j >= 0 && readyNodes[j] > x) {
        readyNodes[j + 1] = readyNodes[j];
        j--;
      }
      readyNodes[j + 1] = x;
    }
    out.nextReadyCheckDelayUs = next;
    out.unknownLeader = unknownLeader;
    return out;
  }

  /** RecordAccumulator.updateNodeLatencyStats: a node had ready batches; `canDrain` if it took them. */
  updateNodeLatencyStats(node: number, nowUs: number, canDrain: boolean): void {
    if (this.cfg.availabilityTimeoutUs === 0) return;
    let s = this.nodeStats.get(node);
    if (s === undefined) {
      s = { readyTimeUs: nowUs, drainTimeUs: nowUs };
      this.nodeStats.set(node, s);
    }
    s.readyTimeUs = nowUs;
    if (canDrain) s.drainTimeUs = nowUs;
  }

  /** partitioner.availability.timeout.ms: a leader that has not taken data for that long is skipped. */
  private isAvailable(node: number): boolean {
    if (this.cfg.availabilityTimeoutUs === 0) return true;
    const s = this.nodeStats.get(node);
    return s === undefined || s.readyTimeUs - s.drainTimeUs <= this.cfg.availabilityTimeoutUs;
  }

  /**
   * RecordAccumulator.drainBatchesForOneNode: at most one batch per partition led by `node`.
   * `canSend` vetoes a partition's head batch (muted, or a retry that must wait for its turn).
   */
  drain(metadata: MetadataCache, node: number, nowUs: number, canSend: (b: ProducerBatch) => boolean, backoffOf: (b: ProducerBatch) => number): ProducerBatch[] {
    const parts: number[] = [];
    for (let p = 0; p < this.deques.length; p++) {
      if (metadata.leaderFor(this.cfg.topic, p) === node) parts.push(p);
    }
    const out: ProducerBatch[] = [];
    if (parts.length === 0) return out;
    const start = (this.drainIndex.get(node) ?? 0) % parts.length;
    let index = start;
    do {
      const p = parts[index];
      index = (index + 1) % parts.length;
      const dq = this.deques[p];
      if (dq === undefined || dq.length === 0) continue;
      const first = dq[0];
      const backingOff = first.attempts > 0 && waitedTimeUs(first, nowUs) < backoffOf(first);
      if (backingOff || !canSend(first)) continue;
      dq.shift();
      first.closed = true;
      out.push(first);
    } while (index !== start);
    this.drainIndex.set(node, index);
    return out;
  }

  /**
   * Sender.reenqueueBatch → RecordAccumulator.reenqueue: a retry goes back to the front. With
   * idempotence, in sequence order (insertInSequenceOrder); without, simply first (addFirst), so
   * batches failed together go out again newest first: the reordering max.in.flight > 1 allows.
   */
  reenqueue(batch: ProducerBatch, nowUs: number): void {
    // ProducerBatch.reenqueued: lastAttemptMs = now, so the retry backoff counts from the failure
    // (the answer, or the request timing out), not from the send
    batch.lastAttemptUs = nowUs;
    const dq = this.deque(batch.partition);
    if (!this.cfg.idempotent) {
      dq.unshift(batch);
      return;
    }
    let i = 0;
    while (i < dq.length && dq[i].attempts > 0 && dq[i].baseSequence < batch.baseSequence) i++;
    dq.splice(i, 0, batch);
  }

  /** RecordAccumulator.expiredBatches: from each queue's head, the batches past delivery.timeout.ms. */
  expiredBatches(nowUs: number): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const dq of this.deques) {
      if (dq === undefined) continue;
      while (dq.length > 0 && hasReachedDeliveryTimeout(dq[0], this.cfg.deliveryTimeoutUs, nowUs)) {
        const b = dq.shift() as ProducerBatch;
        b.closed = true;
        out.push(b);
      }
    }
    return out;
  }

  /** The earliest time a queued batch reaches its delivery timeout, or MAX_SAFE_INTEGER. */
  nextExpiryUs(): number {
    let t = Number.MAX_SAFE_INTEGER;
    for (const dq of this.deques) {
      if (dq !== undefined && dq.length > 0) t = Math.min(t, dq[0].createdUs + this.cfg.deliveryTimeoutUs);
    }
    return t;
  }

  /** A batch completed (acked, failed or expired): its memory returns to the pool. */
  deallocate(batch: ProducerBatch): void {
    this.bufferedBytes -= batch.sizeBytes;
  }

  /** Every batch still queued, for a crash or abort (KafkaProducer.close with timeout 0). */
  drainAll(): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const dq of this.deques) if (dq !== undefined) out.push(...dq.splice(0));
    return out;
  }

  /** Resets a partition's sequence stream (a new producer id starts at 0). */
  resetSequence(partition: number, next: number): void {
    this.nextSequence[partition] = next;
  }

  hasQueued(): boolean {
    for (const dq of this.deques) if (dq !== undefined && dq.length > 0) return true;
    return false;
  }
}
