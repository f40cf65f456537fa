// What the clients tell the rest of the simulation about records, besides the trace: the ledger
// (sim/check) implements this to follow every record from send() to acknowledgement and
// consumption, and the consumption checker to see what each group read. It is part of the core model,
// not of clients/, because the ledger's port (ledger-port.ts) and the assembly (parts.ts) speak it
// and the core never imports clients/. Calls are per batch, never per record (but for onSend, once
// per send()), so a busy run stays cheap. A record's identity is (producerId, topic, partition,
// sequence): sequences are per partition, as Kafka's are.

/**
 * Which of Kafka's TimeoutExceptions a REQUEST_TIMED_OUT is: delivery.timeout.ms gave up on the batch,
 * request.timeout.ms ran out on an attempt (the client's or the broker's), or send() waited
 * max.block.ms for metadata or memory.
 */
export type ProducerErrorReason = 'delivery-timeout' | 'request-timeout' | 'max-block';

export interface BatchRef {
  producer: string;
  producerId: number;
  topic: string;
  partition: number;
  baseSequence: number;
  count: number;
  /** When send() was called for each record, when the metrics part asked the producers to keep them (InstalledParts.keepSendTimes). */
  sendTimesUs?: readonly number[];
}

export interface ConsumedBatch {
  baseOffset: number;
  count: number;
  producerId: number;
  baseSequence: number;
  leaderEpoch: number;
}

export interface ClientObserver {
  /**
   * The application called KafkaProducer.send() for one record of `topic` (where
   * ProducerInterceptor.onSend would see it): the ledger counts it as produced from now on, before
   * it has a partition, a batch or an identity. The one call per record, not per batch.
   */
  onSend?(producer: string, topic: string, nowUs: number): void;
  /** send() failed for that record before it reached a batch (max.block.ms): ProducerInterceptors.onSendError. */
  onSendError?(producer: string, topic: string, code: string, nowUs: number): void;
  /** Records [baseSequence, baseSequence + count) were created by send() between firstUs and lastUs. */
  recordsCreated?(ref: BatchRef, firstUs: number, lastUs: number, nowUs: number): void;
  /** An attempt to send the batch to `broker` (attempt 1 is the first send). */
  batchSent?(ref: BatchRef, broker: number, attempt: number, acks: number, nowUs: number): void;
  /** The producer got a success: the records are at baseOffset… (−1 with acks=0: offset unknown). */
  batchAcked?(ref: BatchRef, broker: number, baseOffset: number, nowUs: number): void;
  /** An error for the batch; `final` when the producer gives up (the callback gets the exception). */
  batchFailed?(ref: BatchRef, broker: number, code: string, final: boolean, nowUs: number): void;
  /** The producer process died with these records unacknowledged (never sent, or in flight). */
  batchAbandoned?(ref: BatchRef, nowUs: number): void;
  /** A consumer of `group` returned these records from poll(). */
  consumed?(group: string, consumer: string, topic: string, partition: number, batches: readonly ConsumedBatch[], nowUs: number): void;
  /**
   * The application finished processing offsets [from, to) of a partition that its poll() returned,
   * in `generation` (the consumer's group generation then; −1 outside any). A consumer without
   * `processing:` processes what it receives the instant it receives it.
   */
  processed?(group: string, consumer: string, topic: string, partition: number, from: number, to: number, generation: number, nowUs: number): void;
  /** The consumer's commit of these offsets succeeded (`why`: auto, sync, before-processing, …). */
  offsetsCommitted?(group: string, consumer: string, offsets: readonly { topic: string; partition: number; offset: number }[], why: string, nowUs: number): void;
  /** A consumer's position moved other than by consuming (reset, seek, new assignment). */
  positionChanged?(group: string, consumer: string, topic: string, partition: number, offset: number, reason: string, nowUs: number): void;
  /** A consumer's assignment changed (a rebalance completed for it, or it lost its partitions). */
  assignmentChanged?(group: string, consumer: string, partitions: readonly { topic: string; partition: number }[], generation: number, nowUs: number): void;
}

/**
 * One ClientObserver that forwards every call to each of `observers`, in order. It reads the array
 * at call time, so an observer added to it later is heard too.
 */
export function fanOutClientObservers(observers: readonly ClientObserver[]): ClientObserver {
  return {
    onSend(producer, topic, nowUs) {
      for (const o of observers) o.onSend?.(producer, topic, nowUs);
    },
    onSendError(producer, topic, code, nowUs) {
      for (const o of observers) o.onSendError?.(producer, topic, code, nowUs);
    },
    recordsCreated(ref, firstUs, lastUs, nowUs) {
      for (const o of observers) o.recordsCreated?.(ref, firstUs, lastUs, nowUs);
    },
    batchSent(ref, broker, attempt, acks, nowUs) {
      for (const o of observers) o.batchSent?.(ref, broker, attempt, acks, nowUs);
    },
    batchAcked(ref, broker, baseOffset, nowUs) {
      for (const o of observers) o.batchAcked?.(ref, broker, baseOffset, nowUs);
    },
    batchFailed(ref, broker, code, final, nowUs) {
      for (const o of observers) o.batchFailed?.(ref, broker, code, final, nowUs);
    },
    batchAbandoned(ref, nowUs) {
      for (const o of observers) o.batchAbandoned?.(ref, nowUs);
    },
    consumed(group, consumer, topic, partition, batches, nowUs) {
      for (const o of observers) o.consumed?.(group, consumer, topic, partition, batches, nowUs);
    },
    processed(group, consumer, topic, partition, from, to, generation, nowUs) {
      for (const o of observers) o.processed?.(group, consumer, topic, partition, from, to, generation, nowUs);
    },
    offsetsCommitted(group, consumer, offsets, why, nowUs) {
      for (const o of observers) o.offsetsCommitted?.(group, consumer, offsets, why, nowUs);
    },
    positionChanged(group, consumer, topic, partition, offset, reason, nowUs) {
      for (const o of observers) o.positionChanged?.(group, consumer, topic, partition, offset, reason, nowUs);
    },
    assignmentChanged(group, consumer, partitions, generation, nowUs) {
      for (const o of observers) o.assignmentChanged?.(group, consumer, partitions, generation, nowUs);
    },
  };
}
