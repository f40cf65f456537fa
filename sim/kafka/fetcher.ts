// A follower's replica fetchers (core/…/server/AbstractFetcherThread.scala, ReplicaFetcherThread):
// one per source broker, batching every partition it follows from that leader into one Fetch
// request, as Kafka's fetcher thread does. Each response is applied partition by partition: append
// what arrived, take the leader's HW (clamped to the own log end), truncate on a diverging epoch
// (KIP-101/KAFKA-10554) or on OFFSET_OUT_OF_RANGE, back off replica.fetch.backoff.ms after errors;
// an unanswered fetch fails after the broker's request.timeout.ms, one whose connection the leader's OS
// reset (its process died) fails when the notice arrives. The next fetch goes out at once, also after
// an empty answer: AbstractFetcherThread.maybeFetch waits replica.fetch.backoff.ms only when no
// partition is ready to fetch, and processFetchRequest delays partitions only on errors. What paces an
// idle follower is the leader parking its fetch (DelayedFetch); with replica.fetch.wait.max.ms=0
// ReplicaManager.fetchMessages answers at once, and the follower fetches once per round trip, as
// Kafka does (test/kafka/fetcher.test.ts).

import type { EventId } from '../engine/index.ts';
import type { BrokerServices } from './broker-services.ts';
import { msToUs } from './effective-config.ts';
import { maybeFlush } from './flush.ts';
import { maybeUpdateFollowerHW } from './high-watermark.ts';
import type { Envelope } from './network.ts';
import type { Partition } from './partition.ts';
import { UNKNOWN, type FetchPartition, type FetchPartitionResponse, type FetchResponse } from './protocol.ts';
import { isThrottled, ReplicationQuota } from './replication-quota.ts';
import { truncateLog } from './truncation.ts';
import { followLeaderLogStart, truncateFullyAndStartAt } from './log-start.ts';

interface Fetcher {
  leaderId: number;
  /** Partition index → earliest time it may be fetched again (after an error), µs. */
  partitions: Map<number, number>;
  /** Correlation id of the fetch in flight, 0 if none. */
  inFlight: number;
  /** What the fetch in flight asked for, to recognise stale answers. */
  sent: FetchPartition[];
  timeoutTimer: EventId;
  wakeTimer: EventId;
  wakeAt: number;
  /** The fetcher's timer callbacks, made once per fetcher rather than per fetch. */
  wake: () => void;
  /** Called with the correlation id of the fetch that went unanswered. */
  timedOut: (correlationId: number) => void;
}

/**
 * One change in a fetch round-trip trace line: [partition, log end offset, HW] after the response
 * was applied, then `epoch, startOffset` for each leader epoch the records appended begin that the
 * follower's log did not end in (rare: after an election), so a reader of the trace knows every
 * replica's log, epochs included, without the model. The records themselves are the leader's (its
 * `append` lines): a follower only ever copies the leader's log, contiguously from its own log end.
 */
type Update = [string, number, number, ...number[]];

/** The fetchers of one broker process (ReplicaFetcherManager): one per source broker. */
export class ReplicaFetcherManager {
  /** Fetchers by leader id (num.replica.fetchers = 1: one per source broker). */
  private readonly fetchers = new Map<number, Fetcher>();

  constructor(
    private readonly b: BrokerServices,
    /** The broker's partitions (as follower, what the fetchers fill). */
    private readonly partitions: ReadonlyMap<number, Partition>,
    /**
     * A follower's HW moved: consumer fetches parked here (KIP-392, reading from this follower) may
     * complete (ReplicaFetcherThread: completeDelayedFetchRequests after a response).
     */
    private readonly onFollowerHighWatermark?: (idx: number) => void,
  ) {}

  /** Start (or move) fetching `p` from `leaderId`. */
  addPartition(p: Partition, leaderId: number): void {
    for (const [id, f] of this.fetchers) {
      if (id !== leaderId && f.partitions.has(p.idx)) this.removeFromFetcher(f, p.idx);
    }
    let f = this.fetchers.get(leaderId);
    if (!f) {
      f = this.newFetcher(leaderId);
      this.fetchers.set(leaderId, f);
    }
    f.partitions.set(p.idx, 0);
    if (f.inFlight === 0) this.schedule(f, 0);
  }

  private newFetcher(leaderId: number): Fetcher {
    const f: Fetcher = {
      leaderId, partitions: new Map(), inFlight: 0, sent: [], timeoutTimer: 0, wakeTimer: 0, wakeAt: -1,
      wake: () => {
        f.wakeTimer = 0;
        this.sendFetch(f);
      },
      timedOut: (correlationId) => this.fetchTimedOut(f, correlationId),
    };
    return f;
  }

  /** AbstractFetcherManager's MaxLag: the largest FetcherLagMetrics.lag over every partition fetched (0 with none). */
  maxLag(): number {
    let max = 0;
    for (const f of this.fetchers.values()) {
      for (const idx of f.partitions.keys()) {
        const lag = this.partitions.get(idx)?.fetcherLag ?? 0;
        if (lag > max) max = lag;
      }
    }
    return max;
  }

  /** Stop fetching partition `idx`. */
  removePartition(idx: number): void {
    for (const f of [...this.fetchers.values()]) if (f.partitions.has(idx)) this.removeFromFetcher(f, idx);
  }

  private removeFromFetcher(f: Fetcher, idx: number): void {
    f.partitions.delete(idx);
    if (f.partitions.size > 0) return;
    // an idle fetcher thread is shut down (AbstractFetcherManager.shutdownIdleFetcherThreads), and its
    // connection to the leader closed with it (ReplicaFetcherThread's leader endpoint)
    this.b.ctx.cancel(f.timeoutTimer);
    this.b.ctx.cancel(f.wakeTimer);
    this.fetchers.delete(f.leaderId);
    this.b.ctx.closeConnection(f.leaderId);
  }

  private schedule(f: Fetcher, delayUs: number): void {
    const b = this.b;
    const at = b.now + delayUs;
    if (f.wakeTimer !== 0 && f.wakeAt <= at) return;
    b.ctx.cancel(f.wakeTimer);
    f.wakeAt = at;
    f.wakeTimer = b.ctx.at(at, f.wake);
  }

  private sendFetch(f: Fetcher): void {
    const b = this.b;
    if (f.inFlight !== 0 || this.fetchers.get(f.leaderId) !== f) return;
    const now = b.now;
    const leaderEpochMode = b.cluster.spec.replicationProtocol === 'leader-epoch';
    const maxBytes = b.num('replica.fetch.max.bytes');
    const parts: FetchPartition[] = [];
    let earliest = Number.POSITIVE_INFINITY;
    let throttledOut = false;
    for (const [idx, readyAt] of f.partitions) {
      if (readyAt > now) {
        if (readyAt < earliest) earliest = readyAt;
        continue;
      }
      const p = this.partitions.get(idx);
      if (!p) continue;
      if (this.shouldFollowerThrottle(p)) {
        throttledOut = true;
        continue;
      }
      parts.push({
        topic: p.topic, partition: p.partition, fetchOffset: p.log.logEndOffset, currentLeaderEpoch: p.leaderEpoch,
        lastFetchedEpoch: leaderEpochMode ? p.log.epochCache.latestEpoch() : UNKNOWN, partitionMaxBytes: maxBytes,
      });
    }
    if (parts.length === 0) {
      // AbstractFetcherThread.maybeFetch: nothing to fetch waits replica.fetch.backoff.ms
      if (throttledOut) this.schedule(f, Math.min(msToUs(b.num('replica.fetch.backoff.ms')), earliest - now));
      else if (earliest !== Number.POSITIVE_INFINITY) this.schedule(f, earliest - now);
      return;
    }
    const correlationId = b.correlationId();
    f.inFlight = correlationId;
    f.sent = parts;
    b.send(f.leaderId, {
      kind: 'fetch', correlationId, replicaId: b.id, replicaEpoch: b.brokerEpoch,
      maxWaitMs: b.num('replica.fetch.wait.max.ms'), minBytes: b.num('replica.fetch.min.bytes'),
      maxBytes: b.num('replica.fetch.response.max.bytes'), isolation: 'LOG_END', partitions: parts,
    }, true);
    f.timeoutTimer = b.ctx.timeoutAfter(fetchTimeoutUs(b), f.timedOut, correlationId);
  }

  private quota: ReplicationQuota | undefined;

  /**
   * ReplicaFetcherThread.shouldFollowerThrottle: a replica not caught up (its lag to the leader's HW
   * above 0), listed in follower.replication.throttled.replicas, while the quota is exceeded.
   */
  private shouldFollowerThrottle(p: Partition): boolean {
    const set = this.b.topicSettings(p.topic).followerThrottled;
    if (set === undefined || !isThrottled(set, p.partition) || p.fetcherLag <= 0) return false;
    return this.followerQuota().exceeded(this.b.now, this.b.num('follower.replication.throttled.rate'));
  }

  private followerQuota(): ReplicationQuota {
    return (this.quota ??= new ReplicationQuota(this.b.num('replication.quota.window.num'), this.b.num('replication.quota.window.size.seconds') * 1_000_000));
  }

  /** The fetch `correlationId` went unanswered for request.timeout.ms. */
  private fetchTimedOut(f: Fetcher, correlationId: number): void {
    const b = this.b;
    if (f.inFlight !== correlationId) return;
    f.inFlight = 0;
    f.timeoutTimer = 0;
    b.cluster.record({ t: b.now, type: 'fetch-timeout', broker: b.id, leader: f.leaderId });
    // NetworkClient closes the connection of a timed-out request; the next fetch opens a new one
    b.ctx.closeConnection(f.leaderId);
    this.schedule(f, msToUs(b.num('replica.fetch.backoff.ms')));
  }

  /**
   * The leader's process died: its OS reset our connection (`disconnect`), or refused the fetch we sent
   * since (`connection-refused`, for that fetch only). The blocking send fails with an IOException
   * ("Connection to N was disconnected before the response was read"), so AbstractFetcherThread.
   * processFetchRequest marks every partition of the fetcher as failed and handlePartitionsWithErrors
   * delays them replica.fetch.backoff.ms; the next attempt reconnects, to be refused again until the
   * metadata names another leader.
   */
  onConnectionLost(leaderId: number, refusedCorrelationId?: number): void {
    const b = this.b;
    const f = this.fetchers.get(leaderId);
    if (!f || f.inFlight === 0) return;
    if (refusedCorrelationId !== undefined && refusedCorrelationId !== f.inFlight) return;
    f.inFlight = 0;
    b.ctx.cancel(f.timeoutTimer);
    f.timeoutTimer = 0;
    const backoffUs = msToUs(b.num('replica.fetch.backoff.ms'));
    for (const idx of f.partitions.keys()) f.partitions.set(idx, b.now + backoffUs);
    this.schedule(f, backoffUs);
  }

  onFetchResponse(msg: Envelope<FetchResponse>): void {
    const b = this.b;
    const f = this.fetchers.get(msg.from as number);
    const resp = msg.body;
    if (!f || f.inFlight !== resp.correlationId) {
      b.traceRoundTrip(msg, 'fetch', { stale: true });
      return;
    }
    f.inFlight = 0;
    b.ctx.cancel(f.timeoutTimer);
    f.timeoutTimer = 0;
    const backoffUs = msToUs(b.num('replica.fetch.backoff.ms'));
    let updates: Update[] | undefined;
    let hwMoved: number[] | undefined;
    // the round trip's `u` is for the trace's reader only: not made when there is no trace
    const traced = b.cluster.traced;
    const prs = resp.partitions;
    for (let i = 0; i < prs.length; i++) {
      const pr = prs[i];
      const sent = f.sent[i];
      const idx = b.cluster.names.find(pr.topic, pr.partition);
      const p = this.partitions.get(idx);
      // AbstractFetcherThread.processFetchRequest: only if the fetch state did not move meanwhile
      if (!p || !f.partitions.has(idx) || p.isLeader || p.leader !== f.leaderId) continue;
      if (p.log.logEndOffset !== sent.fetchOffset || p.leaderEpoch !== sent.currentLeaderEpoch) continue;
      const hwBefore = p.log.highWatermark;
      const u = this.applyPartitionResponse(f, p, pr, backoffUs, traced);
      if (u) (updates ??= []).push(u);
      if (p.log.highWatermark > hwBefore && this.onFollowerHighWatermark !== undefined) (hwMoved ??= []).push(p.idx);
    }
    b.traceRoundTrip(msg, 'fetch', updates !== undefined ? { u: updates } : undefined);
    if (hwMoved !== undefined) for (const idx of hwMoved) this.onFollowerHighWatermark!(idx);
    this.schedule(f, 0);
  }

  private applyPartitionResponse(f: Fetcher, p: Partition, pr: FetchPartitionResponse, backoffUs: number, traced: boolean): Update | undefined {
    const b = this.b;
    const log = p.log;
    switch (pr.error) {
      case 'NONE':
        break;
      case 'OFFSET_OUT_OF_RANGE':
        // ReplicaFetcherThread.handleOffsetOutOfRange: the leader's log is shorter; truncate to its end
        if (pr.logEndOffset !== undefined && pr.logEndOffset < log.logEndOffset) {
          truncateLog(b, p.idx, log, p, pr.logEndOffset, 'offset-out-of-range');
        } else if (pr.logStartOffset > log.logEndOffset) {
          // fetchOffsetAndTruncate: retention deleted past this log's end at the leader; start again there
          truncateFullyAndStartAt(b, p, pr.logStartOffset);
        } else f.partitions.set(p.idx, b.now + backoffUs);
        return undefined;
      case 'FENCED_LEADER_EPOCH':
        // onPartitionFenced: stop fetching until metadata brings the newer epoch
        this.removeFromFetcher(f, p.idx);
        return undefined;
      default:
        f.partitions.set(p.idx, b.now + backoffUs);
        return undefined;
    }
    if (pr.divergingEpoch !== undefined) {
      this.truncateOnDivergence(p, pr.divergingEpoch.epoch, pr.divergingEpoch.endOffset);
      return undefined;
    }
    const now = b.now;
    const cluster = b.cluster;
    const leoBefore = log.logEndOffset;
    let lastEpoch = leoBefore > log.logStartOffset ? log.epochAt(leoBefore - 1) : -1;
    let epochStarts: number[] | undefined;
    const roll = pr.records.length > 0 ? b.topicSettings(p.topic).log.segment : undefined;
    // ReplicaFetcherThread.processPartitionData: a throttled partition's bytes count against the quota
    const set = pr.records.length > 0 ? b.topicSettings(p.topic).followerThrottled : undefined;
    const throttled = set !== undefined && isThrottled(set, p.partition);
    for (const batch of pr.records) {
      const end = batch.baseOffset + batch.count;
      if (end <= log.logEndOffset) continue;
      if (batch.baseOffset !== log.logEndOffset) break;
      if (batch.leaderEpoch !== lastEpoch) {
        (epochStarts ??= []).push(batch.leaderEpoch, batch.baseOffset);
        lastEpoch = batch.leaderEpoch;
      }
      log.appendAsFollower(batch, now, roll);
      if (throttled) this.followerQuota().record(batch.sizeBytes, now);
      p.rememberBatch(batch.producerId, batch.producerEpoch ?? 0, batch.baseSequence, batch.baseSequence + batch.count - 1, batch.baseOffset);
      cluster.onAppended?.(b.id, p.idx, batch, false, log);
    }
    if (log.logEndOffset !== leoBefore) maybeFlush(b, p);
    const hwMoved = maybeUpdateFollowerHW(b, p, pr.highWatermark);
    if (pr.logStartOffset > log.logStartOffset) followLeaderLogStart(b, p, pr.logStartOffset);
    // AbstractFetcherThread.processFetchRequest: lag = max(0, the response's HW − the next fetch offset)
    p.fetcherLag = Math.max(0, pr.highWatermark - log.logEndOffset);
    if (!traced || (!hwMoved && log.logEndOffset === leoBefore)) return undefined;
    return epochStarts === undefined ? [p.name, log.logEndOffset, log.highWatermark] : [p.name, log.logEndOffset, log.highWatermark, ...epochStarts];
  }

  /**
   * AbstractFetcherThread.getOffsetTruncationState: truncate to the end of the largest common epoch.
   * If this replica does not know the leader's epoch, truncate to the end of its own largest epoch
   * below it and let the next fetch diverge again.
   */
  private truncateOnDivergence(p: Partition, leaderEpoch: number, leaderEndOffset: number): void {
    const log = p.log;
    const leo = log.logEndOffset;
    let target: number;
    if (leaderEndOffset === UNKNOWN) target = log.highWatermark;
    else {
      const own = log.epochCache.endOffsetFor(leaderEpoch, leo);
      if (own.epoch === UNKNOWN) target = Math.min(leaderEndOffset, leo);
      else if (own.epoch !== leaderEpoch) target = Math.min(own.endOffset, leo);
      else target = Math.min(own.endOffset, leaderEndOffset, leo);
    }
    truncateLog(this.b, p.idx, log, p, target, 'diverging-epoch');
  }
}

/**
 * How long a fetch may go unanswered: the broker's request.timeout.ms (BrokerBlockingSender builds its
 * NetworkClient with it; replica.socket.timeout.ms only bounds connection setup there), but at least a
 * millisecond. Kafka's clocks count milliseconds and a request expires only once more than its timeout
 * has passed (InFlightRequests.hasExpiredRequest: timeSinceSend > requestTimeoutMs), so even a zero
 * timeout fails a fetch no earlier than the next millisecond; at the same instant, with
 * replica.fetch.backoff.ms=0, fetch, timeout and retry would loop without simulated time passing (fuzz
 * seed 7677).
 */
function fetchTimeoutUs(b: BrokerServices): number {
  return Math.max(msToUs(b.num('request.timeout.ms')), MIN_FETCH_TIMEOUT_US);
}

const MIN_FETCH_TIMEOUT_US = 1000;
