// The produce path on a broker (ReplicaManager.appendRecords → Partition.appendRecordsToLeader →
// DelayedProduce): NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS before append under acks=all, the
// idempotent producer's duplicate and sequence checks (ProducerStateManager), the append stamped with
// the leader epoch, the log.flush.* policy, and the produce purgatory where acks=all waits for the
// HW (NONE, NOT_ENOUGH_REPLICAS_AFTER_APPEND, NOT_LEADER_OR_FOLLOWER or REQUEST_TIMED_OUT).

import type { EventId, TraceEvent } from '../engine/index.ts';
import type { Broker } from './broker.ts';
import type { Envelope } from './network.ts';
import type { Partition } from './partition.ts';
import type { ErrorCode, ProducePartitionResponse, ProduceRequest, RecordBatch } from './protocol.ts';
import { NO_LEADER } from './protocol.ts';
import { msToUs } from './effective-config.ts';
import { effectiveMinIsr, maybeIncrementLeaderHW } from './leader.ts';
import { wakeParkedFetches } from './fetch-serve.ts';

interface DelayedPart {
  idx: number;
  /** lastOffset + 1 of the batch: the HW it waits for. */
  requiredOffset: number;
  done: boolean;
}

/** An acks=all request in the produce purgatory. */
export interface DelayedProduce {
  msg: Envelope<ProduceRequest>;
  results: ProducePartitionResponse[];
  /** Index in `results` → the wait of that partition. */
  waits: Map<number, DelayedPart>;
  pending: number;
  timer: EventId;
}

export function handleProduce(b: Broker, msg: Envelope<ProduceRequest>): void {
  const req = msg.body;
  const results: ProducePartitionResponse[] = [];
  const waits = new Map<number, DelayedPart>();
  req.partitions.forEach((item, i) => {
    const r = appendToLeader(b, item.topic, item.partition, item.records, req.acks);
    results.push(r.response);
    if (req.acks === -1 && r.response.error === 'NONE' && r.partition !== undefined && r.partition.log.highWatermark < r.requiredOffset) {
      waits.set(i, { idx: r.partition.idx, requiredOffset: r.requiredOffset, done: false });
    }
  });
  if (req.acks === 0) {
    // KafkaApis: no response to acks=0; a failed one closes the connection, so the client refreshes metadata
    if (results.some((r) => r.error !== 'NONE')) b.ctx.reply(msg, { kind: 'disconnect', correlationId: req.correlationId });
    return;
  }
  if (waits.size === 0) return reply(b, msg, results);
  const d: DelayedProduce = { msg, results, waits, pending: waits.size, timer: 0 };
  for (const w of waits.values()) {
    let list = b.delayedProduces.get(w.idx);
    if (!list) {
      list = [];
      b.delayedProduces.set(w.idx, list);
    }
    list.push(d);
  }
  d.timer = b.ctx.after(msToUs(req.timeoutMs), () => expire(b, d));
}

function reply(b: Broker, msg: Envelope<ProduceRequest>, partitions: ProducePartitionResponse[]): void {
  b.ctx.reply(msg, { kind: 'produce-response', correlationId: msg.body.correlationId, partitions });
}

interface AppendResult {
  response: ProducePartitionResponse;
  partition?: Partition;
  requiredOffset: number;
}

/** Partition.appendRecordsToLeader, with the checks that come before it. */
function appendToLeader(b: Broker, topic: string, partition: number, batch: RecordBatch, acks: number): AppendResult {
  const topicImage = b.image.topics.get(topic);
  if (!topicImage || topicImage.partitions[partition] === undefined) return refused(b, topic, partition, 'UNKNOWN_TOPIC_OR_PARTITION');
  const idx = topicImage.partitions[partition];
  const p = b.partitions.get(idx);
  if (!p || !p.isLeader) return refused(b, topic, partition, 'NOT_LEADER_OR_FOLLOWER', true);
  // Partition.appendRecordsToLeader: acks=all needs the committed ISR at min.insync.replicas first
  if (acks === -1 && p.isr.length < effectiveMinIsr(b, p)) return refused(b, topic, partition, 'NOT_ENOUGH_REPLICAS');
  if (batch.idempotent) {
    const check = checkSequence(p, batch);
    if (check.duplicateOffset >= 0) {
      return { response: { topic, partition, error: 'NONE', baseOffset: check.duplicateOffset }, partition: p, requiredOffset: check.duplicateOffset + batch.count };
    }
    if (check.error !== 'NONE') return refused(b, topic, partition, check.error);
  }
  const log = p.log;
  const now = b.now;
  const baseOffset = log.append(batch, p.leaderEpoch, now);
  p.rememberBatch(batch.producerId, batch.producerEpoch ?? 0, batch.baseSequence, batch.baseSequence + batch.count - 1, baseOffset);
  const cluster = b.cluster;
  const append: TraceEvent = { t: now, type: 'append', b: b.id, p: p.name, o: baseOffset, n: batch.count, e: p.leaderEpoch, pid: batch.producerId, seq: batch.baseSequence };
  // the producer epoch only once bumped (KIP-360), so the common line stays short
  if ((batch.producerEpoch ?? 0) > 0) append.pe = batch.producerEpoch;
  cluster.trace.record(append);
  if (cluster.onAppended !== undefined) {
    cluster.onAppended(b.id, idx, { ...batch, baseOffset, leaderEpoch: p.leaderEpoch }, true, log);
  }
  maybeFlush(b, p);
  wakeParkedFetches(b, idx, 'data');
  maybeIncrementLeaderHW(b, p);
  return { response: { topic, partition, error: 'NONE', baseOffset }, partition: p, requiredOffset: baseOffset + batch.count };
}

function refused(b: Broker, topic: string, partition: number, error: ErrorCode, withLeader = false): AppendResult {
  return {
    response: { topic, partition, error, baseOffset: -1, currentLeader: withLeader ? currentLeader(b, topic, partition) : undefined },
    requiredOffset: -1,
  };
}

/**
 * ProducerStateManager / ProducerAppendInfo.checkSequence: a batch equal to one of the producer's
 * last five is a duplicate (acknowledged again with its original offset, not appended); otherwise its
 * first sequence must follow the last one. An older producer epoch is fenced. A producer the broker
 * has no state for is accepted at any sequence, and so is the first batch of a new epoch: Kafka
 * requires sequence 0 there, because its producer restarts the partition's sequences when it bumps
 * the epoch (KIP-360); this model's producer keeps numbering (producer.ts bumpEpoch), so the new
 * epoch starts the stream afresh wherever it starts.
 */
function checkSequence(p: Partition, batch: RecordBatch): { error: ErrorCode; duplicateOffset: number } {
  const e = p.producers.get(batch.producerId);
  if (!e) return { error: 'NONE', duplicateOffset: -1 };
  const epoch = batch.producerEpoch ?? 0;
  if (epoch < e.producerEpoch) return { error: 'INVALID_PRODUCER_EPOCH', duplicateOffset: -1 };
  if (epoch > e.producerEpoch) return { error: 'NONE', duplicateOffset: -1 };
  const last = batch.baseSequence + batch.count - 1;
  for (let i = 0; i < e.firstSeqs.length; i++) {
    if (e.firstSeqs[i] === batch.baseSequence && e.lastSeqs[i] === last) return { error: 'NONE', duplicateOffset: e.offsets[i] };
  }
  const expected = e.lastSeqs[e.lastSeqs.length - 1] + 1;
  if (batch.baseSequence !== expected) return { error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', duplicateOffset: -1 };
  return { error: 'NONE', duplicateOffset: -1 };
}

/** KIP-951: the leader as this broker's metadata cache knows it, sent with NOT_LEADER_OR_FOLLOWER. */
function currentLeader(b: Broker, topic: string, partition: number): { leaderId: number; leaderEpoch: number } | undefined {
  const idx = b.image.topics.get(topic)?.partitions[partition];
  const reg = idx === undefined ? undefined : b.image.partition(idx);
  if (!reg || reg.leader === NO_LEADER) return undefined;
  return { leaderId: reg.leader, leaderEpoch: reg.leaderEpoch };
}

/** UnifiedLog.append: fsync once flush.messages records are unflushed (default: never). */
export function maybeFlush(b: Broker, p: Partition): void {
  const log = p.log;
  if (log.unflushedMessages >= b.topicSettings(p.topic).flush.messages) log.flush(b.now);
}

/**
 * Partition.checkEnoughReplicasReachOffset for every request waiting on `p`: done once the HW
 * passes the batch (NONE, or NOT_ENOUGH_REPLICAS_AFTER_APPEND if the maximal ISR has fallen below
 * min ISR meanwhile) or once this broker is no longer the leader.
 */
export function completeDelayedProduces(b: Broker, p: Partition): void {
  const list = b.delayedProduces.get(p.idx);
  if (!list || list.length === 0) return;
  const hw = p.log.highWatermark;
  let minIsr = -1;
  for (const d of [...list]) {
    for (const [i, w] of d.waits) {
      if (w.done || w.idx !== p.idx) continue;
      let error: ErrorCode | undefined;
      if (!p.isLeader || b.partitions.get(p.idx) !== p) error = 'NOT_LEADER_OR_FOLLOWER';
      else if (hw >= w.requiredOffset) {
        if (minIsr < 0) minIsr = effectiveMinIsr(b, p);
        error = p.maximalIsr().length >= minIsr ? 'NONE' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
      }
      if (error === undefined) continue;
      w.done = true;
      d.pending--;
      if (error !== 'NONE') d.results[i] = { ...d.results[i], error, baseOffset: -1 };
    }
    if (d.pending === 0) finish(b, d);
  }
}

function expire(b: Broker, d: DelayedProduce): void {
  d.timer = 0;
  for (const [i, w] of d.waits) {
    if (w.done) continue;
    w.done = true;
    d.results[i] = { ...d.results[i], error: 'REQUEST_TIMED_OUT', baseOffset: -1 };
  }
  d.pending = 0;
  finish(b, d);
}

function finish(b: Broker, d: DelayedProduce): void {
  b.ctx.cancel(d.timer);
  for (const w of d.waits.values()) {
    const list = b.delayedProduces.get(w.idx);
    if (!list) continue;
    const at = list.indexOf(d);
    if (at >= 0) list.splice(at, 1);
  }
  reply(b, d.msg, d.results);
}
