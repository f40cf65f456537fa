// A Kafka producer (KafkaProducer + Sender + TransactionManager's idempotence), driven by its
// scenario load. The application thread calls send() for every record (load.ts); send() waits for
// metadata and buffer memory (max.block.ms), picks the partition (partitioner.ts) and appends to the
// accumulator. The sender, woken by appends, responses and timers, sends ready batches to each
// partition's leader *as the producer believes it* (metadata-cache.ts), at most
// max.in.flight.requests.per.connection requests per broker, and handles the answers the way
// Sender.completeBatch does. Nothing is read from the brokers except through messages.
//
// Trace events (compact: per batch or per metadata change, never per record):
// - metadata-refreshed {client, topic, partitions: [[partition, leader, epoch], …]} when a belief changes;
// - produce-acked {client, partition, broker, offset, n, attempt}; produce-failed {client, partition, broker, code, n, retry};
// - client-disconnect {client, broker, why} when a connection closed (reset, refused or timed out);
// - producer-epoch-bumped {client, producerId, epoch, partitions} (KIP-360, after a sequence error).

import type { Envelope, NodeContext } from '../network.ts';
import type { MetadataResponse, ProduceResponse, ProducePartitionResponse } from '../protocol.ts';
import { CONNECTION_NOTICES, NO_LEADER } from '../protocol.ts';
import type { ProducerSpec } from '../spec.ts';
import { RecordAccumulator } from './accumulator.ts';
import { ExponentialBackoff } from './backoff.ts';
import { LoadGenerator } from './load.ts';
import { MetadataCache, type LeaderChange } from './metadata-cache.ts';
import { NetworkClient, type FailureReason } from './network-client.ts';
import type { BatchRef, ClientObserver, ProducerErrorReason } from '../client-observer.ts';
import { Partitioner } from './partitioner.ts';
import type { ProducerBatch } from './producer-batch.ts';
import { hasReachedDeliveryTimeout } from './producer-batch.ts';
import { producerSettings, type ProducerSettings } from './producer-config.ts';
import { isInvalidMetadata, isRetriable } from './errors.ts';
import { INIT_PRODUCER_ID, type InitProducerIdResponse } from './producer-id.ts';

export interface ProducerDeps {
  ctx: NodeContext;
  /** Every broker of the scenario (bootstrap.servers). */
  bootstrap: number[];
  observer?: ClientObserver;
  /** An identity for a producer without idempotence (the ledger still tells its records apart). */
  localProducerId: () => number;
  /** Every error the producer sees, by Kafka error code (the facade's producer-error counters). */
  /** An error answer or a give-up: its Kafka error code, the records it concerned, and which timeout if one. */
  onError?: (code: string, records: number, reason: ProducerErrorReason | undefined) => void;
  /** Keep each record's send() time and report it with its batch (BatchRef.sendTimesUs), for the metrics part. */
  keepSendTimes?: boolean;
}

/** What the producer's callbacks saw, for queries and expectations. */
export interface ProducerStats {
  created: number;
  acked: number;
  failed: number;
  /** Error responses by Kafka error code, retried or final, one per batch. */
  errors: Map<string, number>;
}

const NEVER = Number.MAX_SAFE_INTEGER;

export class KafkaProducer {
  readonly settings: ProducerSettings;
  readonly stats: ProducerStats = { created: 0, acked: 0, failed: 0, errors: new Map() };
  readonly metadata: MetadataCache;
  private readonly client: NetworkClient;
  private readonly accumulator: RecordAccumulator;
  private readonly partitioner: Partitioner;
  private readonly load: LoadGenerator;
  private readonly retryBackoff: ExponentialBackoff;
  private readonly ctx: NodeContext;
  private readonly topic: string;

  private producerId = -1;
  /** The idempotent producer's epoch: from InitProducerId, bumped after a sequence error (KIP-360). */
  private producerEpoch = 0;
  /** Partitions whose sequence error asks for an epoch bump at the sender's next run. */
  private readonly epochBumpPartitions = new Set<number>();
  /**
   * TransactionManager.partitionsWithUnresolvedSequences: partition → the sequence after a batch that
   * expired by delivery.timeout.ms after it had been sent and retried, so the broker may or may not
   * hold it. No new batch goes to the partition until its batches in flight are answered; then it is
   * resolved (later batches were acked right after it) or the epoch is bumped (maybeResolveSequences).
   */
  private readonly unresolvedSequences = new Map<number, number>();
  /** Per partition: the last sequence acked (TxnPartitionEntry.lastAckedSequence), −1 if none. */
  private readonly lastAckedSequence: number[] = [];
  /** Per partition: one past the last sequence ever sent (TxnPartitionEntry.nextSequence, as drained). */
  private readonly sentSequenceEnd: number[] = [];
  private initPidInFlight = false;
  private initPidAttempts = 0;
  private initPidNotBeforeUs = 0;
  private metadataInFlight = false;
  /** Batches sent and awaiting their response, per partition, in sequence order. */
  private readonly inFlightBatches: ProducerBatch[][] = [];

  private loadRunning = false;
  private loadTimer = 0;
  /** send() is blocked (metadata or buffer memory) since this time, holding `blockedKey`. */
  private blockedSinceUs = -1;
  private blockedKey = -1;
  private blockTimer = 0;
  /** When send() was last called; −1 before the first. */
  private lastSendUs = -1;

  private wakeUs = NEVER;
  private wakeTimer = 0;
  private closed = false;

  constructor(
    readonly spec: ProducerSpec,
    private readonly deps: ProducerDeps,
  ) {
    this.ctx = deps.ctx;
    this.topic = spec.topic;
    this.settings = producerSettings(spec.config, spec.constantRetryBackoff === true);
    const s = this.settings;
    const streamBase = `producer:${spec.id}`;
    this.retryBackoff = new ExponentialBackoff(s.retryBackoffUs, s.retryBackoffMaxUs, this.ctx.rng(`${streamBase}:backoff`));
    this.metadata = new MetadataCache(deps.bootstrap, [spec.topic], s.metadataMaxAgeUs, this.retryBackoff);
    this.client = new NetworkClient(this.ctx, s.connection, this.ctx.rng(`${streamBase}:connections`), {
      onDisconnect: (node, reason) => this.onDisconnect(node, reason),
      onReady: () => this.wake(this.ctx.now),
    });
    this.load = new LoadGenerator(spec.ratePerSec, spec.keys, this.ctx.rng(`${streamBase}:keys`));
    this.partitioner = new Partitioner({
      kind: spec.partitioner, topic: spec.topic, batchSize: s.batchSize, adaptive: s.adaptivePartitioning,
      ignoreKeys: s.ignoreKeys, rng: this.ctx.rng(`${streamBase}:partitioner`),
    }, this.metadata, this.load.keyNames);
    this.accumulator = new RecordAccumulator({
      topic: spec.topic, batchSize: s.batchSize, lingerUs: s.lingerUs, deliveryTimeoutUs: s.deliveryTimeoutUs,
      bufferMemory: s.bufferMemory, idempotent: s.idempotent, availabilityTimeoutUs: s.availabilityTimeoutUs, keepSendTimes: deps.keepSendTimes,
    }, this.partitioner);
    if (!s.idempotent) this.producerId = deps.localProducerId();
  }

  get id(): string {
    return this.spec.id;
  }

  /** The partition null-key records stick to now (−1 before the first record). */
  get stickyPartition(): number {
    return this.partitioner.stickyPartition;
  }

  get currentProducerId(): number {
    return this.producerId;
  }

  // -- the application: load -------------------------------------------------------------------

  /** Schedules the load from spec.startUs (or now, if later) to spec.stopUs. */
  start(): void {
    const from = Math.max(this.spec.startUs, this.ctx.now);
    this.ctx.at(from, () => this.startLoad());
    if (this.spec.stopUs !== undefined && this.spec.stopUs >= from) this.ctx.at(this.spec.stopUs, () => this.stopLoad());
  }

  /** start-producer: the application resumes calling send(). */
  startLoad(): void {
    if (this.loadRunning || this.closed) return;
    if (this.spec.stopUs !== undefined && this.ctx.now >= this.spec.stopUs && this.ctx.now > this.spec.startUs) return;
    this.loadRunning = true;
    // ProducerMetadata drops a topic unused for metadata.max.idle.ms, so the next send() waits for it
    // again. (Simplification: the topic's metadata is first fetched when the process starts, not at
    // the first send(), so a producer starting late does not wait a round trip for it.)
    if (this.lastSendUs >= 0 && this.ctx.now - this.lastSendUs > this.settings.metadataMaxIdleUs) {
      this.metadata.topics.delete(this.topic);
    }
    this.load.restart(this.ctx.now);
    this.scheduleNextRecord();
  }

  /** stop-producer: the application stops calling send(); batches already queued still go out. */
  stopLoad(): void {
    this.loadRunning = false;
    this.ctx.cancel(this.loadTimer);
    this.loadTimer = 0;
  }

  get loadActive(): boolean {
    return this.loadRunning;
  }

  private scheduleNextRecord(): void {
    if (!this.loadRunning || this.blockedSinceUs >= 0) return;
    this.loadTimer = this.ctx.at(Math.max(this.load.nextDueUs(), this.ctx.now), this.onRecordDueFn);
  }

  private readonly onRecordDueFn = (): void => this.onRecordDue();
  private readonly runOnceFn = (): void => this.runOnce();

  private onRecordDue(): void {
    this.loadTimer = 0;
    if (!this.loadRunning) return;
    // late because the process was paused: the application carries on from now, without a burst
    this.load.resumeAfterBlock(this.ctx.now);
    this.send(this.load.take());
    this.scheduleNextRecord();
  }

  /** KafkaProducer.send → doSend for one record of spec.recordSizeBytes. */
  private send(key: number): void {
    const now = this.ctx.now;
    this.lastSendUs = now;
    this.stats.created++;
    // ProducerInterceptors.onSend: the record exists for the ledger from here, before it has a batch
    this.deps.observer?.onSend?.(this.spec.id, this.topic, now);
    if (!this.tryAppend(key)) this.block(key);
  }

  /** Appends if metadata and memory allow; false when send() would block. */
  private tryAppend(key: number): boolean {
    const size = this.spec.recordSizeBytes;
    const count = this.metadata.partitionCount(this.topic);
    // KafkaProducer.waitOnMetadata: the topic, and an explicit partition, must be known
    if (count === 0 || (this.spec.partition !== undefined && this.spec.partition >= count)) {
      this.metadata.requestUpdate(true);
      this.wake(this.ctx.now);
      return false;
    }
    if (!this.accumulator.hasMemoryFor(size)) return false;
    let partition = this.partitioner.partition(key, this.spec.partition);
    // KIP-480: a sticky record that would open a new batch makes the partitioner move on first
    if (this.partitioner.kind === 'sticky' && this.partitioner.isStickyRecord(key, this.spec.partition) && this.accumulator.wouldCreateBatch(partition, size)) {
      partition = this.partitioner.onNewBatch(partition);
    }
    const now = this.ctx.now;
    // a record held by a blocked send() was sent when the block began
    const result = this.accumulator.append(partition, size, this.producerId, now, this.blockedSinceUs >= 0 ? this.blockedSinceUs : now);
    if (this.partitioner.isStickyRecord(key, this.spec.partition)) {
      this.partitioner.afterStickyAppend(partition, size, this.accumulator.allBatchesFull(partition));
    }
    // KafkaProducer.doSend: wake the sender for a full batch or a new one (its linger timer starts)
    if (result.batchIsFull) this.wake(this.ctx.now);
    else if (result.newBatchCreated) this.wake(this.ctx.now + this.settings.lingerUs);
    return true;
  }

  /** send() blocks the application thread: no more records until metadata or memory arrive. */
  private block(key: number): void {
    this.blockedSinceUs = this.ctx.now;
    this.blockedKey = key;
    this.blockTimer = this.ctx.after(this.settings.maxBlockUs, () => this.blockTimedOut());
  }

  /** Retries a blocked send() after metadata arrived or memory was freed. */
  private maybeUnblock(): void {
    if (this.blockedSinceUs < 0) return;
    if (!this.tryAppend(this.blockedKey)) return;
    this.endBlock();
  }

  /** max.block.ms passed: send() throws TimeoutException for the held record. */
  private blockTimedOut(): void {
    this.blockTimer = 0;
    if (this.blockedSinceUs < 0) return;
    this.stats.failed++;
    this.countError('REQUEST_TIMED_OUT', 1, 'max-block');
    this.deps.observer?.onSendError?.(this.spec.id, this.topic, 'REQUEST_TIMED_OUT', this.ctx.now);
    this.ctx.trace({ t: this.ctx.now, type: 'produce-failed', client: this.spec.id, topic: this.topic, code: 'REQUEST_TIMED_OUT', n: 1, retry: false, why: 'max.block.ms' });
    this.endBlock();
  }

  private endBlock(): void {
    this.ctx.cancel(this.blockTimer);
    this.blockTimer = 0;
    this.blockedSinceUs = -1;
    this.blockedKey = -1;
    this.load.resumeAfterBlock(this.ctx.now);
    this.scheduleNextRecord();
  }

  // -- the sender ----------------------------------------------------------------------------------

  /** Asks the sender to run at `atUs` (the earliest request wins). */
  private wake(atUs: number): void {
    if (this.closed || atUs >= this.wakeUs) return;
    this.ctx.cancel(this.wakeTimer);
    this.wakeUs = atUs;
    this.wakeTimer = this.ctx.at(atUs, this.runOnceFn);
  }

  /** Sender.runOnce → sendProducerData. */
  private runOnce(): void {
    this.wakeUs = NEVER;
    this.wakeTimer = 0;
    if (this.closed) return;
    const now = this.ctx.now;
    let next: number;
    // Sender.runOnce: TransactionManager.maybeResolveSequences, then bumpIdempotentEpochAndResetIdIfNeeded
    if (this.unresolvedSequences.size > 0) this.maybeResolveSequences();
    if (this.epochBumpPartitions.size > 0) this.bumpEpoch();
    if (this.settings.idempotent && this.producerId < 0) {
      next = Math.min(this.maybeInitProducerId(now), this.accumulator.nextExpiryUs());
      this.expireBatches(now);
    } else {
      next = this.sendProducerData(now);
    }
    // a batch given up on with a sequence error asks for an epoch bump: at once, on the next run
    if (this.epochBumpPartitions.size > 0) next = now;
    // NetworkClient.poll → metadataUpdater.maybeUpdate, after the sender had its say
    this.wake(Math.min(next, this.maybeUpdateMetadata(now)));
  }

  private sendProducerData(now: number): number {
    const s = this.settings;
    const backoffOf = this.backoffOf;
    const result = this.accumulator.ready(this.metadata, now, this.isMuted, backoffOf);
    if (result.unknownLeader) {
      // Sender.sendProducerData: a partition without a known leader makes metadata stale
      this.metadata.requestUpdate(false);
    }
    const canSend = this.canSend;
    let next = NEVER;
    let sent = false;
    for (const node of result.readyNodes) {
      // Sender.sendProducerData: batches go only to a node whose connection is ready (not in reconnect
      // backoff, set up again after a disconnect; connected at all for acks=0); client.ready starts
      // the connection when it may, and the sender runs again when it is up
      if (!this.client.ready(node, s.acks === 0)) {
        this.accumulator.updateNodeLatencyStats(node, now, false);
        next = Math.min(next, this.client.readyAtUs(node));
        continue;
      }
      const canDrain = this.client.inFlightCount(node) < s.maxInFlight;
      this.accumulator.updateNodeLatencyStats(node, now, canDrain);
      if (!canDrain) continue;
      const batches = this.accumulator.drain(this.metadata, node, now, canSend, backoffOf);
      if (batches.length > 0) {
        this.sendProduceRequest(node, batches, now);
        sent = true;
      }
    }
    this.expireBatches(now);
    // Sender.sendProducerData: with a node ready, poll does not wait (pollTimeout = 0) and the sender
    // runs again at once, so a backlog goes out up to max.in.flight.requests.per.connection requests
    // at a time, and the batch that is now first in its queue gets its linger timer
    if (sent) next = now;
    if (result.nextReadyCheckDelayUs !== NEVER) next = Math.min(next, now + result.nextReadyCheckDelayUs);
    next = Math.min(next, this.accumulator.nextExpiryUs(), this.nextInFlightExpiryUs());
    return next;
  }

  // the sender's callbacks into the accumulator, made once
  private readonly backoffOf = (b: ProducerBatch): number => (this.leaderChangedForRetry(b) ? 0 : b.retryBackoffUs);

  /**
   * ProducerBatch.hasLeaderChangedForTheOngoingRetry (KIP-951, 3.7): the metadata names a newer leader
   * epoch than the one the failed attempt went to (learnt from a refresh or from the error answer),
   * so the retry does not wait for its backoff (RecordAccumulator.shouldBackoff).
   */
  private leaderChangedForRetry(b: ProducerBatch): boolean {
    return this.spec.leaderDiscovery === undefined && b.attempts > 0 && this.metadata.leaderEpochFor(b.topic, b.partition) > b.attemptLeaderEpoch;
  }
  /** guaranteeMessageOrder (max.in.flight = 1): a partition with a batch in flight is muted. */
  private readonly isMuted = (p: number): boolean => this.settings.maxInFlight === 1 && (this.inFlightBatches[p]?.length ?? 0) > 0;
  private readonly canSend = (b: ProducerBatch): boolean => this.mayDrain(b);

  /**
   * RecordAccumulator.shouldStopDrainBatchesForPartition for an idempotent producer: a retried batch
   * goes only when it is the first sequence still outstanding, so the broker sees sequences in order.
   */
  private mayDrain(batch: ProducerBatch): boolean {
    if (!this.settings.idempotent) return true;
    // a new batch waits while the partition still has batches out under an older epoch: one of them
    // retried after it would be fenced (INVALID_PRODUCER_EPOCH)
    // RecordAccumulator.shouldStopDrainBatchesForPartition: nor while the partition's sequence is unresolved
    if (batch.attempts === 0) return !this.hasStaleEpochOutstanding(batch.partition) && !this.unresolvedSequences.has(batch.partition);
    const inFlight = this.inFlightBatches[batch.partition];
    if (inFlight === undefined) return true;
    for (const b of inFlight) if (b !== batch && b.baseSequence < batch.baseSequence) return false;
    return true;
  }

  /** A batch of `partition` sent before and queued again for a retry (still in TxnPartitionEntry.inflightBatchesBySequence). */
  private hasQueuedRetry(partition: number): boolean {
    const dq = this.accumulator.deques[partition];
    if (dq === undefined) return false;
    for (const b of dq) if (b.attempts > 0 && !b.done) return true;
    return false;
  }

  /** TransactionManager.hasStaleProducerIdAndEpoch && hasInflightBatches for one partition. */
  private hasStaleEpochOutstanding(partition: number): boolean {
    const stale = (b: ProducerBatch): boolean => b.attempts > 0 && !b.done && b.producerEpoch !== this.producerEpoch;
    return (this.inFlightBatches[partition] ?? []).some(stale) || (this.accumulator.deques[partition] ?? []).some(stale);
  }

  private sendProduceRequest(node: number, batches: ProducerBatch[], now: number): void {
    const s = this.settings;
    const partitions = batches.map((b) => {
      if (b.producerId < 0) b.producerId = this.producerId;
      if (b.producerEpoch < 0) b.producerEpoch = this.producerEpoch;
      b.attemptProducerEpoch = b.producerEpoch;
      const end = b.baseSequence + b.recordCount;
      if (end > (this.sentSequenceEnd[b.partition] ?? 0)) this.sentSequenceEnd[b.partition] = end;
      this.announce(b, now);
      b.attempts++;
      b.attemptLeaderEpoch = this.metadata.leaderEpochFor(b.topic, b.partition);
      this.deps.observer?.batchSent?.(this.ref(b), node, b.attempts, s.acks, now);
      return {
        topic: b.topic, partition: b.partition,
        records: {
          baseOffset: -1, count: b.recordCount, leaderEpoch: -1, producerId: b.producerId,
          producerEpoch: s.idempotent ? b.producerEpoch : undefined,
          baseSequence: b.baseSequence, sizeBytes: b.sizeBytes, idempotent: s.idempotent, maxTimestampUs: b.lastRecordUs,
        },
      };
    });
    const body = { kind: 'produce' as const, acks: s.acks, timeoutMs: s.requestTimeoutMs, partitions };
    if (s.acks === 0) {
      // acks=0: nothing comes back; the batch completes as sent, with offset −1 (Sender, NetworkClient)
      this.client.sendOneWay(node, body);
      for (const b of batches) this.completeSuccess(b, node, -1, now);
      return;
    }
    for (const b of batches) this.addInFlight(b);
    // sent quietly: the answer traces the round trip in one line (`rt`, as the brokers' fetches do)
    this.client.send({
      node, body, timeoutUs: s.requestTimeoutUs, quiet: true,
      onResponse: (resp: ProduceResponse, msg: Envelope) => {
        if (!this.ctx.wants('rt')) this.ctx.skipped('rt');
        else this.ctx.trace({ t: this.ctx.now, type: 'rt', k: 'produce', f: this.spec.id, to: node, s: msg.requestSentAt, a: msg.requestDeliverAt, r: msg.sentAt });
        this.handleProduceResponse(node, batches, resp);
      },
      onFailure: (reason) => this.handleProduceFailure(node, batches, reason),
    });
  }

  private addInFlight(b: ProducerBatch): void {
    b.inFlight = true;
    let list = this.inFlightBatches[b.partition];
    if (list === undefined) {
      list = [];
      this.inFlightBatches[b.partition] = list;
    }
    list.push(b);
  }

  private removeInFlight(b: ProducerBatch): void {
    b.inFlight = false;
    const list = this.inFlightBatches[b.partition];
    if (list === undefined) return;
    const i = list.indexOf(b);
    if (i >= 0) list.splice(i, 1);
  }

  /** Sender.handleProduceResponse: one answer per partition of the request. */
  private handleProduceResponse(node: number, batches: ProducerBatch[], resp: ProduceResponse): void {
    const now = this.ctx.now;
    for (const b of batches) {
      const pr = resp.partitions.find((x) => x.topic === b.topic && x.partition === b.partition);
      this.completeBatch(b, node, pr ?? { topic: b.topic, partition: b.partition, error: 'UNKNOWN_SERVER_ERROR', baseOffset: -1 }, now);
    }
    this.wake(now);
  }

  /**
   * The connection closed before an answer (Sender.handleProduceResponse for a disconnected response):
   * REQUEST_TIMED_OUT if it timed out, else NETWORK_EXCEPTION; both are retried.
   */
  private handleProduceFailure(node: number, batches: ProducerBatch[], reason: FailureReason): void {
    const now = this.ctx.now;
    const error = reason === 'timeout' ? 'REQUEST_TIMED_OUT' : 'NETWORK_EXCEPTION';
    for (const b of batches) this.completeBatch(b, node, { topic: b.topic, partition: b.partition, error, baseOffset: -1 }, now);
    this.wake(now);
  }

  /** Sender.completeBatch. */
  private completeBatch(b: ProducerBatch, node: number, pr: ProducePartitionResponse, now: number): void {
    if (b.done) return; // expired by delivery.timeout.ms while in flight: the late answer is ignored
    this.removeInFlight(b);
    const error = pr.error;
    // DUPLICATE_SEQUENCE_NUMBER: the broker already has this batch; Sender treats it as success
    if (error === 'NONE' || error === 'DUPLICATE_SEQUENCE_NUMBER') {
      this.completeSuccess(b, node, pr.baseOffset, now);
      return;
    }
    // REQUEST_TIMED_OUT here is request.timeout.ms: the client's (Sender: "Disconnected from node N due to
    // timeout") or the broker's answer to an acks=all request that waited too long ("The request timed out.")
    this.countError(error, b.recordCount, error === 'REQUEST_TIMED_OUT' ? 'request-timeout' : undefined);
    if (isInvalidMetadata(error)) this.onInvalidMetadata(b, pr);
    if (this.canRetry(b, error, now)) {
      this.traceFailure(b, node, error, true);
      this.deps.observer?.batchFailed?.(this.ref(b), node, error, false, now);
      b.retryBackoffUs = this.retryBackoff.backoff(b.attempts - 1);
      b.inRetry = true;
      this.accumulator.reenqueue(b, now);
      this.wake(now + this.backoffOf(b));
      return;
    }
    this.failBatch(b, node, error, now);
  }

  /** Sender.canRetry (+ TransactionManager.canRetry for OUT_OF_ORDER_SEQUENCE_NUMBER). */
  private canRetry(b: ProducerBatch, error: string, now: number): boolean {
    if (hasReachedDeliveryTimeout(b, this.settings.deliveryTimeoutUs, now)) return false;
    if (b.attempts > this.settings.retries) return false;
    if (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER' && this.settings.idempotent) {
      // KIP-360 (2.5+), a producer without transactions retries every sequence error. If the batch was
      // rewritten for a new epoch since this attempt (sequenceHasBeenReset), or an earlier batch of the
      // partition is still outstanding (not isNextSequence), it is out of order only because of those.
      // Otherwise the broker has a gap it will never fill: bump the epoch, and the broker takes the
      // partition's stream afresh (requestEpochBumpForPartition).
      // With a sequence unresolved, only the batch right after it shows a real gap (isNextSequenceForUnresolvedPartition).
      const unresolved = this.unresolvedSequences.get(b.partition);
      const gap = unresolved !== undefined ? b.baseSequence === unresolved : b.attemptProducerEpoch === b.producerEpoch && !this.hasEarlierOutstanding(b);
      if (gap) this.epochBumpPartitions.add(b.partition);
      return true;
    }
    return isRetriable(error);
  }

  private hasEarlierOutstanding(b: ProducerBatch): boolean {
    const earlier = (x: ProducerBatch): boolean => !x.done && x.baseSequence < b.baseSequence;
    return (this.inFlightBatches[b.partition] ?? []).some(earlier) || (this.accumulator.deques[b.partition] ?? []).some(earlier);
  }

  /** NOT_LEADER_OR_FOLLOWER and friends: refresh metadata now; from 3.7 (KIP-951) the answer may name the new leader. */
  private onInvalidMetadata(b: ProducerBatch, pr: ProducePartitionResponse): void {
    this.metadata.requestUpdate(false);
    const leader = pr.currentLeader;
    if (leader === undefined || leader.leaderId === NO_LEADER || this.spec.leaderDiscovery !== undefined) return;
    const change = this.metadata.updateLeader(b.topic, b.partition, leader.leaderId, leader.leaderEpoch);
    if (change !== undefined) this.traceMetadata([change], 'produce-response');
  }

  private completeSuccess(b: ProducerBatch, node: number, baseOffset: number, now: number): void {
    this.finish(b);
    const last = b.baseSequence + b.recordCount - 1;
    if (last > (this.lastAckedSequence[b.partition] ?? -1)) this.lastAckedSequence[b.partition] = last;
    this.stats.acked += b.recordCount;
    this.deps.observer?.batchAcked?.(this.ref(b), node, baseOffset, now);
    if (!this.ctx.wants('produce-acked')) return this.ctx.skipped('produce-acked');
    this.ctx.trace({
      t: now, type: 'produce-acked', client: this.spec.id, partition: `${b.topic}-${b.partition}`, broker: node,
      offset: baseOffset, n: b.recordCount, attempt: b.attempts,
    });
  }

  private failBatch(b: ProducerBatch, node: number, error: string, now: number): void {
    // TransactionManager.handleFailedBatch: a sequence error that is given up on (delivery.timeout.ms,
    // retries) leaves a gap in the partition's stream; the epoch is bumped so the broker takes what
    // follows (KIP-360; before 2.5 the producer id was reset)
    if (this.settings.idempotent && (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER' || error === 'UNKNOWN_PRODUCER_ID')) {
      this.epochBumpPartitions.add(b.partition);
    }
    this.finish(b);
    this.stats.failed += b.recordCount;
    this.announce(b, now);
    this.traceFailure(b, node, error, false);
    this.deps.observer?.batchFailed?.(this.ref(b), node, error, true, now);
  }

  private finish(b: ProducerBatch): void {
    b.done = true;
    this.removeInFlight(b);
    this.accumulator.deallocate(b);
    this.maybeUnblock();
  }

  private traceFailure(b: ProducerBatch, node: number, code: string, retry: boolean): void {
    this.ctx.trace({
      t: this.ctx.now, type: 'produce-failed', client: this.spec.id, partition: `${b.topic}-${b.partition}`, broker: node,
      code, n: b.recordCount, attempt: b.attempts, retry,
    });
  }

  private countError(code: string, records: number, reason?: ProducerErrorReason): void {
    this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
    this.deps.onError?.(code, records, reason);
  }

  /** delivery.timeout.ms: queued batches (RecordAccumulator.expiredBatches) and in-flight ones. */
  private expireBatches(now: number): void {
    const expired = this.accumulator.expiredBatches(now);
    for (const list of this.inFlightBatches) {
      if (list === undefined) continue;
      for (const b of list) if (hasReachedDeliveryTimeout(b, this.settings.deliveryTimeoutUs, now)) expired.push(b);
    }
    for (const b of expired) {
      // Sender.sendProducerData: "Expiring N record(s) for topic-partition: X ms has passed since batch creation"
      this.countError('REQUEST_TIMED_OUT', b.recordCount, 'delivery-timeout');
      this.failBatch(b, this.metadata.leaderFor(b.topic, b.partition), 'REQUEST_TIMED_OUT', now);
      // Sender.sendProducerData: a retried batch may have reached the broker; until that is known, the
      // partition's sequence is unresolved
      if (this.settings.idempotent && b.inRetry) this.markSequenceUnresolved(b);
    }
  }

  private nextInFlightExpiryUs(): number {
    let t = NEVER;
    for (const list of this.inFlightBatches) {
      if (list !== undefined && list.length > 0) t = Math.min(t, list[0].createdUs + this.settings.deliveryTimeoutUs);
    }
    return t;
  }

  /** The records of a batch enter the ledger once it has its identity (first send, or failure). */
  private announce(b: ProducerBatch, now: number): void {
    if (b.announced) return;
    b.announced = true;
    this.deps.observer?.recordsCreated?.(this.ref(b), b.firstRecordUs, b.lastRecordUs, now);
  }

  private ref(b: ProducerBatch): BatchRef {
    return {
      producer: this.spec.id, producerId: b.producerId, topic: b.topic, partition: b.partition,
      baseSequence: b.baseSequence, count: b.recordCount, sendTimesUs: b.sendTimesUs,
    };
  }

  /** TransactionManager.markSequenceUnresolved. */
  private markSequenceUnresolved(b: ProducerBatch): void {
    const next = b.baseSequence + b.recordCount;
    this.unresolvedSequences.set(b.partition, Math.max(this.unresolvedSequences.get(b.partition) ?? next, next));
  }

  /**
   * TransactionManager.maybeResolveSequences (KIP-360): a partition with nothing left in flight is
   * resolved if its last acked sequence is the one just before its next (a later batch was acked, so
   * the broker took the expired one too); otherwise its epoch is bumped before it sends again.
   * "In flight" is the TransactionManager's (hasInflightBatches): every batch sent at least once and
   * not yet completed or failed, also one back in the queue for its retry.
   */
  private maybeResolveSequences(): void {
    for (const p of [...this.unresolvedSequences.keys()].sort((a, b) => a - b)) {
      if ((this.inFlightBatches[p]?.length ?? 0) > 0 || this.hasQueuedRetry(p)) continue;
      const next = this.sentSequenceEnd[p] ?? 0;
      if (next - (this.lastAckedSequence[p] ?? -1) !== 1) this.epochBumpPartitions.add(p);
      this.unresolvedSequences.delete(p);
    }
  }

  /**
   * TransactionManager.bumpIdempotentProducerEpoch (KIP-360): the same producer id under the next
   * epoch; the outstanding batches of the partitions that asked for it are rewritten to the new epoch
   * (startSequencesAtBeginning). Simplification: Kafka also restarts those partitions' sequences at 0
   * under the new epoch (every partition's, once its older batches are done) and the broker requires
   * it; here sequences continue, so a record keeps the identity (producer id, sequence) the ledger knows
   * it by, and the broker takes a new epoch's first batch at whatever sequence it starts (produce.ts).
   * (Kafka resets the producer id when the epoch would pass Short.MAX_VALUE; not modelled.)
   */
  private bumpEpoch(): void {
    const partitions = [...this.epochBumpPartitions].sort((a, b) => a - b);
    this.epochBumpPartitions.clear();
    if (!this.settings.idempotent || this.producerId < 0) return;
    this.producerEpoch++;
    for (const p of partitions) {
      for (const b of [...(this.inFlightBatches[p] ?? []), ...(this.accumulator.deques[p] ?? [])]) {
        if (b.attempts > 0 && !b.done) b.producerEpoch = this.producerEpoch;
      }
    }
    this.ctx.trace({
      t: this.ctx.now, type: 'producer-epoch-bumped', client: this.spec.id, producerId: this.producerId, producerEpoch: this.producerEpoch,
      partitions: partitions.map((p) => `${this.topic}-${p}`),
    });
  }

  // -- metadata and the producer id -------------------------------------------------------------

  /** NetworkClient.DefaultMetadataUpdater.maybeUpdate: returns when to look again. */
  private maybeUpdateMetadata(now: number): number {
    if (this.metadataInFlight) return NEVER;
    const wait = this.metadata.timeToNextUpdate(now);
    if (wait > 0) return now + wait;
    const node = this.pickNode();
    if (node < 0) return this.client.nextReconnectUs(this.knownBrokers());
    this.metadataInFlight = true;
    this.client.send({
      node, body: { kind: 'metadata', topics: [this.topic] }, timeoutUs: this.settings.requestTimeoutUs,
      onResponse: (resp: MetadataResponse) => this.handleMetadata(resp),
      onFailure: () => {
        this.metadataInFlight = false;
        this.metadata.failedUpdate(this.ctx.now);
        this.wake(this.ctx.now);
      },
    });
    return NEVER;
  }

  private handleMetadata(resp: MetadataResponse): void {
    this.metadataInFlight = false;
    const changes = this.metadata.update(resp, this.ctx.now);
    if (changes.length > 0) this.traceMetadata(changes, 'metadata');
    this.maybeUnblock();
    this.wake(this.ctx.now);
  }

  private traceMetadata(changes: LeaderChange[], source: string): void {
    this.ctx.trace({
      t: this.ctx.now, type: 'metadata-refreshed', client: this.spec.id, topic: this.topic, source,
      partitions: changes.map((c) => [c.partition, c.leaderId, c.leaderEpoch]),
    });
  }

  private knownBrokers(): number[] {
    return this.metadata.brokers.length > 0 ? this.metadata.brokers : this.deps.bootstrap;
  }

  private pickNode(): number {
    const rng = this.ctx.rng(`producer:${this.spec.id}:nodes`);
    const node = this.client.leastLoadedNode(this.knownBrokers(), rng);
    if (!this.metadata.maybeRebootstrap(this.ctx.now, node < 0)) return node;
    this.ctx.trace({ t: this.ctx.now, type: 'client-rebootstrap', client: this.spec.id, brokers: this.metadata.brokers });
    return this.client.leastLoadedNode(this.knownBrokers(), rng);
  }

  /** TransactionManager: an idempotent producer needs a producer id before its first batch. */
  private maybeInitProducerId(now: number): number {
    if (this.initPidInFlight) return NEVER;
    if (now < this.initPidNotBeforeUs) return this.initPidNotBeforeUs;
    const node = this.pickNode();
    if (node < 0) return this.client.nextReconnectUs(this.knownBrokers());
    this.initPidInFlight = true;
    this.client.send({
      node, body: { kind: INIT_PRODUCER_ID, transactionalId: null }, timeoutUs: this.settings.requestTimeoutUs,
      onResponse: (resp: InitProducerIdResponse) => this.handleInitProducerId(resp),
      onFailure: () => this.initProducerIdFailed(),
    });
    return NEVER;
  }

  private handleInitProducerId(resp: InitProducerIdResponse): void {
    this.initPidInFlight = false;
    if (resp.error !== 'NONE') return this.initProducerIdFailed();
    this.producerId = resp.producerId;
    this.producerEpoch = resp.producerEpoch;
    this.initPidAttempts = 0;
    this.ctx.trace({ t: this.ctx.now, type: 'producer-id', client: this.spec.id, producerId: resp.producerId });
    this.wake(this.ctx.now);
  }

  private initProducerIdFailed(): void {
    this.initPidInFlight = false;
    this.initPidNotBeforeUs = this.ctx.now + this.retryBackoff.backoff(this.initPidAttempts++);
    this.wake(this.initPidNotBeforeUs);
  }

  /** NetworkClient.handleServerDisconnect: metadata may be stale. */
  private onDisconnect(node: number, reason: FailureReason): void {
    this.metadata.requestUpdate(false);
    this.ctx.trace({ t: this.ctx.now, type: 'client-disconnect', client: this.spec.id, broker: node, why: reason });
    this.wake(this.ctx.now);
  }

  // -- the network and the process -------------------------------------------------------------

  /** Every message addressed to this producer. */
  handle(msg: Envelope): void {
    if (this.closed) return;
    // a broker's process died (its OS reset the connection or refused a new one), or KafkaApis closed
    // the connection after a failed acks=0 produce: NetworkClient.handleDisconnections
    if (CONNECTION_NOTICES.has(msg.body.kind)) {
      this.client.handleNotice(msg);
      return;
    }
    this.client.handleResponse(msg);
  }

  /** Starts the sender as soon as the process starts: it fetches metadata for its topic at once. */
  boot(): void {
    this.metadata.requestUpdate(true);
    this.wake(this.ctx.now);
  }

  /**
   * The process died: every record not yet acknowledged is gone with it (the ledger hears of them).
   * Timers already died with the network incarnation.
   */
  crash(): void {
    const now = this.ctx.now;
    this.closed = true;
    this.loadRunning = false;
    // the record a blocked send() held never reached a batch
    if (this.blockedSinceUs >= 0) this.deps.observer?.onSendError?.(this.spec.id, this.topic, 'PRODUCER_CRASHED', now);
    const lost: ProducerBatch[] = this.accumulator.drainAll();
    for (const list of this.inFlightBatches) if (list !== undefined) lost.push(...list.splice(0));
    for (const b of lost) {
      if (b.done) continue;
      b.done = true;
      this.announce(b, now);
      // never had an identity (nothing reached any broker): the records fail before they had one
      if (b.producerId < 0) this.deps.observer?.batchFailed?.(this.ref(b), -1, 'PRODUCER_CRASHED', true, now);
      else this.deps.observer?.batchAbandoned?.(this.ref(b), now);
    }
  }
}
