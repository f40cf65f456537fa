// The produce path on a leader (ReplicaManager.appendToLocalLog → Partition.appendRecordsToLeader):
// NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS before the append under acks=all, RECORD_LIST_TOO_LARGE
// for a batch larger than segment.bytes, the idempotent
// producer's duplicate and sequence checks (ProducerStateManager), the append stamped with the leader
// epoch, and the log.flush.* policy. What the append makes completable (parked follower fetches, the
// HW, waiting acks=all requests) the replica manager completes afterwards; the wait for the HW is the
// produce purgatory (delayed-produce.ts).

import type { BrokerServices } from './broker-services.ts';
import { maybeFlush } from './flush.ts';
import { effectiveMinIsr } from './high-watermark.ts';
import type { Partition } from './partition.ts';
import { NO_LEADER, type ErrorCode, type ProducePartitionResponse, type RecordBatch } from './protocol.ts';

export interface AppendResult {
  response: ProducePartitionResponse;
  /** The partition the records are in (also for a duplicate batch); undefined when refused. */
  partition?: Partition;
  /** lastOffset + 1 of the batch: the HW an acks=all request waits for; −1 when refused. */
  requiredOffset: number;
  /** The batch was written now (not refused, not a duplicate). */
  appended: boolean;
}

/** Partition.appendRecordsToLeader, with the checks that come before it. */
export function appendToLeader(
  b: BrokerServices, partitions: ReadonlyMap<number, Partition>, topic: string, partition: number, batch: RecordBatch, acks: number,
): AppendResult {
  const topicImage = b.image.topics.get(topic);
  if (!topicImage || topicImage.partitions[partition] === undefined) return refused(b, topic, partition, 'UNKNOWN_TOPIC_OR_PARTITION');
  const idx = topicImage.partitions[partition];
  const p = partitions.get(idx);
  if (!p || !p.isLeader) return refused(b, topic, partition, 'NOT_LEADER_OR_FOLLOWER', true);
  // Partition.appendRecordsToLeader: acks=all needs the committed ISR at min.insync.replicas first
  if (acks === -1 && p.isr.length < effectiveMinIsr(b, p)) return refused(b, topic, partition, 'NOT_ENOUGH_REPLICAS');
  // UnifiedLog.append: a batch larger than segment.bytes can fit no segment (RecordBatchTooLargeException),
  // checked before the producer state; the producer fails it, it does not split it (only MESSAGE_TOO_LARGE is split)
  const roll = b.topicSettings(topic).log.segment;
  if (batch.sizeBytes > roll.bytes) return refused(b, topic, partition, 'RECORD_LIST_TOO_LARGE');
  if (batch.idempotent) {
    const check = checkSequence(p, batch);
    if (check.duplicateOffset >= 0) {
      const response = { topic, partition, error: 'NONE', baseOffset: check.duplicateOffset };
      return { response, partition: p, requiredOffset: check.duplicateOffset + batch.count, appended: false };
    }
    if (check.error !== 'NONE') return refused(b, topic, partition, check.error);
  }
  const log = p.log;
  const now = b.now;
  const baseOffset = log.append(batch, p.leaderEpoch, now, roll);
  p.rememberBatch(batch.producerId, batch.producerEpoch ?? 0, batch.baseSequence, batch.baseSequence + batch.count - 1, baseOffset);
  const cluster = b.cluster;
  // the producer epoch only once bumped (KIP-360), so the common line stays short
  if (!cluster.wants('append')) cluster.skipped('append');
  else cluster.record({
    t: now, type: 'append', broker: b.id, partition: p.name, offset: baseOffset, n: batch.count, epoch: p.leaderEpoch,
    producerId: batch.producerId, sequence: batch.baseSequence, producerEpoch: (batch.producerEpoch ?? 0) > 0 ? batch.producerEpoch : undefined,
  });
  if (cluster.onAppended !== undefined) {
    cluster.onAppended(b.id, idx, { ...batch, baseOffset, leaderEpoch: p.leaderEpoch }, true, log);
  }
  maybeFlush(b, p);
  return { response: { topic, partition, error: 'NONE', baseOffset }, partition: p, requiredOffset: baseOffset + batch.count, appended: true };
}

function refused(b: BrokerServices, topic: string, partition: number, error: ErrorCode, withLeader = false): AppendResult {
  return {
    response: { topic, partition, error, baseOffset: -1, currentLeader: withLeader ? currentLeader(b, topic, partition) : undefined },
    requiredOffset: -1,
    appended: false,
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
export function currentLeader(b: BrokerServices, topic: string, partition: number): { leaderId: number; leaderEpoch: number } | undefined {
  const idx = b.image.topics.get(topic)?.partitions[partition];
  const reg = idx === undefined ? undefined : b.image.partition(idx);
  if (!reg || reg.leader === NO_LEADER) return undefined;
  return { leaderId: reg.leader, leaderEpoch: reg.leaderEpoch };
}
