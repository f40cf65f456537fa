// One ProducerBatch (clients/…/producer/internals/ProducerBatch.java): the records a producer
// gathered for one partition, sent and retried as a unit. Records are counted, not stored: each has
// a size (ProducerSpec.recordSizeBytes) and an identity (producerId, baseSequence + i).

export interface ProducerBatch {
  readonly topic: string;
  readonly partition: number;
  producerId: number;
  /**
   * The idempotent producer's epoch the batch goes out under: set at its first send, moved to the new
   * epoch when a bump rewrites the partition's outstanding batches (KIP-360); −1 before.
   */
  producerEpoch: number;
  /** The epoch of the attempt in flight or last answered (an answer to an older one is stale). */
  attemptProducerEpoch: number;
  /** Sequence of the first record in the partition's stream (assigned when the batch opens). */
  baseSequence: number;
  recordCount: number;
  sizeBytes: number;
  readonly createdUs: number;
  /** When the first and last records were created (send() called), for the ledger. */
  firstRecordUs: number;
  lastRecordUs: number;
  /** When send() was called for each record, in order; only kept for the metrics part (InstalledParts.keepSendTimes). */
  sendTimesUs?: number[];
  /** Times sent so far. */
  attempts: number;
  /** ProducerBatch.lastAttemptMs: creation, then when it was last queued again for a retry. */
  lastAttemptUs: number;
  /** Backoff drawn for the retry in progress (retry.backoff.ms growing to retry.backoff.max.ms). */
  retryBackoffUs: number;
  /** The leader epoch the batch was last sent under (KIP-951: a newer one in the metadata skips the retry backoff). */
  attemptLeaderEpoch: number;
  /** No more records may join (MemoryRecordsBuilder closed for appends). */
  closed: boolean;
  /** ProducerBatch.inRetry: it failed once and was queued again (Sender.reenqueueBatch). */
  inRetry: boolean;
  /** Its records were reported to the ledger (they have their identity). */
  announced: boolean;
  inFlight: boolean;
  done: boolean;
}

export function newBatch(topic: string, partition: number, producerId: number, baseSequence: number, nowUs: number): ProducerBatch {
  return {
    topic, partition, producerId, producerEpoch: -1, attemptProducerEpoch: -1, baseSequence, recordCount: 0, sizeBytes: 0, createdUs: nowUs,
    firstRecordUs: nowUs, lastRecordUs: nowUs, attempts: 0, lastAttemptUs: nowUs, retryBackoffUs: 0,
    attemptLeaderEpoch: -1, closed: false, inRetry: false, announced: false, inFlight: false, done: false,
  };
}

/**
 * MemoryRecordsBuilder.hasRoomFor: a record fits if the batch is empty (a batch always takes its
 * first record, even one larger than batch.size) or it stays within batch.size.
 */
export function hasRoomFor(batch: ProducerBatch, bytes: number, batchSize: number): boolean {
  return !batch.closed && (batch.recordCount === 0 || batch.sizeBytes + bytes <= batchSize);
}

/** MemoryRecordsBuilder.isFull: closed, or written up to the limit. */
export function isFull(batch: ProducerBatch, batchSize: number): boolean {
  return batch.closed || (batch.recordCount > 0 && batch.sizeBytes >= batchSize);
}

/** ProducerBatch.waitedTimeMs: since creation, or since the last attempt for a retry. */
export function waitedTimeUs(batch: ProducerBatch, nowUs: number): number {
  return nowUs - (batch.attempts > 0 ? batch.lastAttemptUs : batch.createdUs);
}

/** ProducerBatch.hasReachedDeliveryTimeout. */
export function hasReachedDeliveryTimeout(batch: ProducerBatch, deliveryTimeoutUs: number, nowUs: number): boolean {
  return nowUs - batch.createdUs >= deliveryTimeoutUs;
}
