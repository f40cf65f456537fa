// A Kafka consumer in a group (KafkaConsumer, AbstractFetch/Fetcher, OffsetFetcher,
// OffsetsForLeaderEpochUtils). Without `processing:` its application polls without pause and handles
// each record instantly: whatever a fetch returns is consumed (and reported to the ledger) as it
// arrives. With it, fetched records wait in a buffer for the application's next poll(), which takes
// at most max.poll.records and processes them in simulated time (consumer-application.ts).
//
// The poll loop, run whenever something changes: group membership (consumer-coordinator.ts); a
// position for every assigned partition — the committed offset (OffsetFetch), else auto.offset.reset
// (ListOffsets earliest or latest; `none` is an error, NoOffsetForPartitionException); KIP-320
// validation of a position against a new leader (OffsetsForLeaderEpoch: a log truncated below the
// position resets it to where the logs diverge, traced); then one Fetch per leader broker, reading up
// to the HW only (FetchIsolation.HIGH_WATERMARK), waiting fetch.max.wait.ms at the broker when there
// is nothing new. OFFSET_OUT_OF_RANGE resets the position per auto.offset.reset (traced); errors that
// mean stale metadata refresh it.
//
// Trace: `consumed` {client, broker, parts: [[partition, from, to], …]} per fetch that returned
// records, `rt` {k: fetch} for an empty one, `offset-reset`, `assignment` and the coordinator's
// `rebalance` and `offset-committed`.

import type { OffsetResetReason } from '../trace-events.ts';
import type { Envelope, NodeContext } from '../network.ts';
import type { FetchPartitionResponse, FetchResponse, ListOffsetsResponse, MetadataResponse, TopicPartitionRef } from '../protocol.ts';
import { CONNECTION_NOTICES, CONSUMER_REPLICA_ID, EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, NO_LEADER } from '../protocol.ts';
import type { ConsumerSpec } from '../spec.ts';
import { ExponentialBackoff } from './backoff.ts';
import { consumerSettings, FETCH_MAX_BYTES, type ConsumerSettings } from './consumer-config.ts';
import { ConsumerCoordinator, type CoordinatorHost } from './consumer-coordinator.ts';
import { isInvalidMetadata } from './errors.ts';
import type { CommittedOffset } from './group-protocol.ts';
import type { OffsetsForLeaderEpochResponse } from '../protocol.ts';
import { MetadataCache } from './metadata-cache.ts';
import { NetworkClient } from './network-client.ts';
import type { ClientObserver, ConsumedBatch } from '../client-observer.ts';
import { SubscriptionState, type PartitionState } from './subscription-state.ts';
import { ConsumerApplication } from './consumer-application.ts';
import { autoCommitEnabled } from './commit-mode.ts';

export interface ConsumerDeps {
  ctx: NodeContext;
  bootstrap: number[];
  observer?: ClientObserver;
}

const NEVER = Number.MAX_SAFE_INTEGER;

export class KafkaConsumer implements CoordinatorHost {
  readonly settings: ConsumerSettings;
  readonly subscriptions = new SubscriptionState();
  readonly metadata: MetadataCache;
  readonly coordinator: ConsumerCoordinator;
  readonly ctx: NodeContext;
  private readonly client: NetworkClient;
  private metadataInFlight = false;
  /** Brokers with a Fetch in flight (one per broker, AbstractFetch.nodesWithPendingFetchRequests). */
  private readonly fetching = new Set<number>();
  /** A broker whose last fetch failed is asked again only after retry.backoff.ms. */
  private readonly fetchNotBeforeUs = new Map<number, number>();
  /** Partitions with a ListOffsets or OffsetsForLeaderEpoch in flight. */
  private readonly lookingUp = new Set<string>();
  /** A partition whose lookup failed is looked up again only after retry.backoff.ms. */
  private readonly lookupNotBeforeUs = new Map<string, number>();
  private wakeUs = NEVER;
  private wakeTimer = 0;
  private running = false;
  private closed = false;
  private closing = false;
  /** Records returned to the application so far. */
  consumedCount = 0;
  /** The application that takes time over its records (`processing:`); undefined: instant. */
  readonly app: ConsumerApplication | undefined;

  constructor(
    readonly spec: ConsumerSpec,
    private readonly deps: ConsumerDeps,
  ) {
    this.ctx = deps.ctx;
    this.settings = consumerSettings(spec.config);
    // the commit mode decides enable.auto.commit (the validator refuses a config that disagrees)
    if (spec.application !== undefined) this.settings.enableAutoCommit = autoCommitEnabled(spec.application.commit);
    const backoff = new ExponentialBackoff(this.settings.retryBackoffUs, this.settings.retryBackoffMaxUs, this.ctx.rng(`consumer:${spec.id}:backoff`));
    this.metadata = new MetadataCache(deps.bootstrap, spec.topics, this.settings.metadataMaxAgeUs, backoff);
    this.client = new NetworkClient(this.ctx, this.settings.connection, this.ctx.rng(`consumer:${spec.id}:connections`), {
      onDisconnect: () => this.metadata.requestUpdate(false),
      onReady: () => this.wake(this.ctx.now),
    }, 0, 2);
    this.coordinator = new ConsumerCoordinator(this);
    this.app = spec.application === undefined ? undefined : new ConsumerApplication({
      ctx: this.ctx, clientId: spec.id, groupId: spec.group, settings: this.settings, subscriptions: this.subscriptions,
      coordinator: this.coordinator, observer: deps.observer,
      wake: (at) => this.wake(at),
      closeNow: () => this.closeNow(),
      countConsumed: (n) => {
        this.consumedCount += n;
      },
    }, spec.application);
  }

  /** Closed or closing: it will not poll again (a new KafkaConsumer is needed). */
  get stopped(): boolean {
    return this.closed || this.closing;
  }

  get clientId(): string {
    return this.spec.id;
  }

  get groupId(): string {
    return this.spec.group;
  }

  get topics(): readonly string[] {
    return this.spec.topics;
  }

  /** The application starts polling. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.metadata.requestUpdate(true);
    this.wake(this.ctx.now);
  }

  /** KafkaConsumer.close(): commit, leave the group, stop (after the batch in hand, if the application is processing). */
  close(): void {
    if (!this.running || this.closed) return;
    this.closing = true;
    if (this.app?.requestStop()) return;
    this.closeNow();
  }

  private closeNow(): void {
    if (!this.running || this.closed) return;
    this.running = false;
    this.coordinator.close(() => {
      this.closed = true;
      this.ctx.trace({ t: this.ctx.now, type: 'consumer-closed', client: this.spec.id, group: this.spec.group });
    });
  }

  handle(msg: Envelope): void {
    if (this.closed) return;
    // a broker's OS reset or refused a connection: both the fetch and the coordinator connections hear
    if (CONNECTION_NOTICES.has(msg.body.kind)) {
      this.coordinator.handleNotice(msg);
      this.client.handleNotice(msg);
      return;
    }
    if (this.coordinator.handleResponse(msg)) return;
    this.client.handleResponse(msg);
  }

  wake(atUs: number): void {
    if (this.closed || atUs >= this.wakeUs) return;
    this.ctx.cancel(this.wakeTimer);
    this.wakeUs = atUs;
    this.wakeTimer = this.ctx.at(Math.max(atUs, this.ctx.now), this.pollFn);
  }

  pickNode(): number {
    const rng = this.ctx.rng(`consumer:${this.spec.id}:nodes`);
    const node = this.client.leastLoadedNode(this.metadata.brokers, rng);
    if (!this.metadata.maybeRebootstrap(this.ctx.now, node < 0)) return node;
    this.ctx.trace({ t: this.ctx.now, type: 'client-rebootstrap', client: this.spec.id, brokers: this.metadata.brokers });
    return this.client.leastLoadedNode(this.metadata.brokers, rng);
  }

  // -- the poll loop -------------------------------------------------------------------------------

  private readonly pollFn = (): void => this.poll();

  /** KafkaConsumer.poll, run on every change rather than in a loop. */
  private poll(): void {
    this.wakeUs = NEVER;
    this.wakeTimer = 0;
    if (!this.running) return;
    // the application thread is processing or blocked in commitSync: nothing runs until it polls again
    if (this.app?.busy) return;
    const now = this.ctx.now;
    let next = this.coordinator.poll(now);
    next = Math.min(next, this.maybeUpdateMetadata(now));
    const updateRequested = this.metadata.updateIsRequested;
    this.updateFetchPositions();
    // poll() returns buffered records, and sends the next fetches before returning them (pipelining)
    this.app?.poll(now, !this.coordinator.joinPreparing);
    this.sendFetches();
    // a partition without a leader asked for new metadata: the loop comes back when it may be sent
    // (NetworkClient.poll's timeout is bounded by Metadata.timeToNextUpdate)
    if (!updateRequested && this.metadata.updateIsRequested) next = Math.min(next, this.maybeUpdateMetadata(now));
    this.wake(next);
  }

  /**
   * The process ran again after a pause (GC, SIGSTOP). The application polls without pause while it
   * runs, so only a pause longer than max.poll.interval.ms expires the poll timer; the heartbeat
   * thread then leaves the group, and the next poll rejoins.
   */
  resumedAfter(pausedUs: number): void {
    // an application busy with its records has its own poll timer (consumer-application.ts), deferred by the pause
    if (pausedUs > this.settings.maxPollIntervalUs && this.app?.busy !== true) this.coordinator.leaveOnPollTimeout();
    this.wake(this.ctx.now);
  }

  /** KafkaConsumer.updateFetchPositions: committed offsets, resets and validations. */
  private updateFetchPositions(): void {
    const initializing = this.subscriptions.inState('INITIALIZING');
    if (initializing.length > 0) {
      this.coordinator.fetchCommitted(initializing.map((p) => ({ topic: p.topic, partition: p.partition })), (offsets) => this.applyCommitted(offsets));
    }
    for (const p of this.subscriptions.inState('AWAIT_RESET')) this.resetOffset(p);
    for (const p of this.subscriptions.inState('AWAIT_VALIDATION')) this.validatePosition(p);
  }

  /** ConsumerCoordinator.refreshCommittedOffsets: the committed offset, or a reset. */
  private applyCommitted(offsets: CommittedOffset[] | undefined): void {
    if (offsets !== undefined) {
      for (const o of offsets) {
        const p = this.subscriptions.get(o.topic, o.partition);
        if (p === undefined || p.state !== 'INITIALIZING') continue;
        if (o.offset < 0) {
          this.requestReset(p, 'no-committed-offset');
          continue;
        }
        this.subscriptions.seek(p, o.offset, o.leaderEpoch, -1);
        // SubscriptionState.seekUnvalidated: a committed position with an epoch is validated first
        if (o.leaderEpoch >= 0) p.state = 'AWAIT_VALIDATION';
        this.observe('positionChanged', p, o.offset, 'committed');
      }
    }
    this.wake(this.ctx.now);
  }

  private requestReset(p: PartitionState, reason: OffsetResetReason): void {
    if (this.settings.autoOffsetReset === 'none') {
      // NoOffsetForPartitionException / OffsetOutOfRangeException reach the application
      p.state = 'FAILED';
      this.ctx.trace({ t: this.ctx.now, type: 'consumer-error', client: this.spec.id, group: this.spec.group, partition: p.key, error: reason === 'no-committed-offset' ? 'NoOffsetForPartitionException' : 'OffsetOutOfRangeException', offset: p.position });
      return;
    }
    this.subscriptions.requestReset(p, reason);
  }

  /** OffsetFetcher.resetPositionsIfNeeded: ListOffsets(earliest | latest) at the leader. */
  private resetOffset(p: PartitionState): void {
    if (this.lookingUp.has(p.key) || (this.lookupNotBeforeUs.get(p.key) ?? 0) > this.ctx.now) return;
    const leader = this.metadata.leaderFor(p.topic, p.partition);
    if (leader === NO_LEADER || !this.client.isReady(leader)) {
      this.metadata.requestUpdate(false);
      if (leader !== NO_LEADER) this.wake(this.client.readyAtUs(leader));
      return;
    }
    const strategy = this.settings.autoOffsetReset;
    this.lookingUp.add(p.key);
    this.client.send({
      node: leader,
      body: {
        kind: 'list-offsets', replicaId: CONSUMER_REPLICA_ID, isolationLevel: 'read_uncommitted',
        partitions: [{ topic: p.topic, partition: p.partition, timestamp: strategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP, currentLeaderEpoch: this.metadata.leaderEpochFor(p.topic, p.partition) }],
      },
      timeoutUs: this.settings.requestTimeoutUs,
      onResponse: (r: ListOffsetsResponse) => {
        this.lookingUp.delete(p.key);
        const lp = r.partitions[0];
        if (this.subscriptions.get(p.topic, p.partition) !== p || p.state !== 'AWAIT_RESET') return;
        if (lp === undefined || lp.error !== 'NONE') {
          if (lp === undefined || isInvalidMetadata(lp.error)) this.metadata.requestUpdate(false);
          this.lookupFailed(p);
          return;
        }
        const from = p.position;
        this.subscriptions.seek(p, lp.offset, -1, lp.leaderEpoch);
        this.ctx.trace({ t: this.ctx.now, type: 'offset-reset', client: this.spec.id, group: this.spec.group, partition: p.key, from, to: lp.offset, strategy, reason: p.resetReason });
        this.observe('positionChanged', p, lp.offset, `reset-${strategy}`);
        // records jumped over: deleted by retention before this consumer read them, or (latest) left unread
        if (p.resetReason === 'out-of-range' && from >= 0 && lp.offset > from) {
          this.deps.observer?.skipped?.(this.spec.group, this.spec.id, p.topic, p.partition, from, lp.offset, this.ctx.now);
        }
        this.wake(this.ctx.now);
      },
      onFailure: () => {
        this.lookingUp.delete(p.key);
        this.wake(this.ctx.now);
      },
    });
  }

  private lookupFailed(p: PartitionState): void {
    const at = this.ctx.now + this.settings.retryBackoffUs;
    this.lookupNotBeforeUs.set(p.key, at);
    this.wake(at);
  }

  /** KIP-320: does the leader's log still hold our position's epoch up to the position? */
  private validatePosition(p: PartitionState): void {
    if (this.lookingUp.has(p.key) || (this.lookupNotBeforeUs.get(p.key) ?? 0) > this.ctx.now) return;
    const leader = this.metadata.leaderFor(p.topic, p.partition);
    if (leader === NO_LEADER || !this.client.isReady(leader)) {
      this.metadata.requestUpdate(false);
      if (leader !== NO_LEADER) this.wake(this.client.readyAtUs(leader));
      return;
    }
    if (p.offsetEpoch < 0) {
      p.state = 'FETCHING';
      return;
    }
    const currentLeaderEpoch = this.metadata.leaderEpochFor(p.topic, p.partition);
    this.lookingUp.add(p.key);
    this.client.send({
      node: leader,
      body: { kind: 'offsets-for-leader-epoch', partitions: [{ topic: p.topic, partition: p.partition, currentLeaderEpoch, leaderEpoch: p.offsetEpoch }] },
      timeoutUs: this.settings.requestTimeoutUs,
      onResponse: (r: OffsetsForLeaderEpochResponse) => {
        this.lookingUp.delete(p.key);
        if (this.subscriptions.get(p.topic, p.partition) !== p || p.state !== 'AWAIT_VALIDATION') return;
        this.completeValidation(p, r.partitions[0], currentLeaderEpoch);
        this.wake(this.ctx.now);
      },
      onFailure: () => {
        this.lookingUp.delete(p.key);
        this.wake(this.ctx.now);
      },
    });
  }

  /** SubscriptionState.maybeCompleteValidation. */
  private completeValidation(p: PartitionState, r: OffsetsForLeaderEpochResponse['partitions'][number] | undefined, currentLeaderEpoch: number): void {
    if (r === undefined || r.error !== 'NONE') {
      if (r === undefined || isInvalidMetadata(r.error)) this.metadata.requestUpdate(false);
      this.lookupFailed(p);
      return;
    }
    p.currentLeaderEpoch = currentLeaderEpoch;
    if (r.endOffset < 0) {
      // the leader knows no such epoch: the position cannot be trusted
      this.requestReset(p, 'unknown-leader-epoch');
      return;
    }
    if (r.endOffset < p.position) {
      if (this.settings.autoOffsetReset === 'none') {
        p.state = 'FAILED';
        this.ctx.trace({ t: this.ctx.now, type: 'consumer-error', client: this.spec.id, group: this.spec.group, partition: p.key, error: 'LogTruncationException', offset: p.position, divergentOffset: r.endOffset });
        return;
      }
      // "Truncation detected … resetting offset to the first offset known to diverge"
      const from = p.position;
      this.subscriptions.seek(p, r.endOffset, r.leaderEpoch, currentLeaderEpoch);
      this.ctx.trace({ t: this.ctx.now, type: 'offset-reset', client: this.spec.id, group: this.spec.group, partition: p.key, from, to: r.endOffset, reason: 'log-truncation' });
      this.observe('positionChanged', p, r.endOffset, 'truncation');
      return;
    }
    p.state = 'FETCHING';
  }

  // -- fetching ------------------------------------------------------------------------------------

  /** AbstractFetch.prepareFetchRequests: one Fetch per leader broker with no fetch in flight. */
  private sendFetches(): void {
    // made on the first partition to fetch: most polls find every leader's fetch still in flight
    let byNode: Map<number, PartitionState[]> | undefined;
    for (const p of this.subscriptions.assigned) {
      if (p.state !== 'FETCHING') continue;
      // records of it still wait for the application's poll(): not fetched again until then
      if (this.app?.buffer.has(p.key)) continue;
      const leader = this.metadata.leaderFor(p.topic, p.partition);
      if (leader === NO_LEADER) {
        this.metadata.requestUpdate(false);
        continue;
      }
      const node = this.readReplica(p, leader);
      if (this.fetching.has(node)) continue;
      if (!this.client.isReady(node)) {
        // AbstractFetch.prepareFetchRequests skips a node only while it is in reconnect backoff: the
        // next poll fetches again (and the refused connection asks for new metadata)
        this.wake(this.client.readyAtUs(node));
        continue;
      }
      if ((this.fetchNotBeforeUs.get(node) ?? 0) > this.ctx.now) continue;
      byNode ??= new Map();
      let list = byNode.get(node);
      if (list === undefined) {
        list = [];
        byNode.set(node, list);
      }
      list.push(p);
    }
    if (byNode === undefined) return;
    for (const node of [...byNode.keys()].sort((a, b) => a - b)) this.sendFetch(node, byNode.get(node) as PartitionState[]);
  }

  /**
   * AbstractFetch.selectReadReplica: the replica the leader named (KIP-392) until it expires after
   * metadata.max.age.ms, else the leader.
   */
  private readReplica(p: PartitionState, leader: number): number {
    if (p.preferredReadReplica < 0) return leader;
    if (p.preferredReadReplicaUntilUs > this.ctx.now) return p.preferredReadReplica;
    this.clearPreferredReadReplica(p);
    return leader;
  }

  /** SubscriptionState.clearPreferredReadReplica: back to the leader; true if there was one. */
  private clearPreferredReadReplica(p: PartitionState): boolean {
    if (p.preferredReadReplica < 0) return false;
    p.preferredReadReplica = -1;
    this.ctx.trace({ t: this.ctx.now, type: 'preferred-read-replica', client: this.spec.id, group: this.spec.group, partition: p.key, broker: null });
    return true;
  }

  private sendFetch(node: number, parts: PartitionState[]): void {
    const s = this.settings;
    const positions = parts.map((p) => p.position);
    this.fetching.add(node);
    this.client.send({
      node,
      body: {
        kind: 'fetch', replicaId: CONSUMER_REPLICA_ID, replicaEpoch: -1, maxWaitMs: s.fetchMaxWaitMs, minBytes: s.fetchMinBytes,
        maxBytes: FETCH_MAX_BYTES, isolation: 'HIGH_WATERMARK',
        ...(s.clientRack !== '' ? { rackId: s.clientRack } : {}),
        partitions: parts.map((p) => ({
          topic: p.topic, partition: p.partition, fetchOffset: p.position,
          currentLeaderEpoch: this.metadata.leaderEpochFor(p.topic, p.partition), lastFetchedEpoch: -1, partitionMaxBytes: s.maxPartitionFetchBytes,
        })),
      },
      timeoutUs: s.requestTimeoutUs,
      quiet: true,
      onResponse: (r: FetchResponse, msg: Envelope) => {
        this.fetching.delete(node);
        this.handleFetchResponse(node, r, msg, parts, positions);
        if (r.error !== 'NONE' || r.partitions.some((p) => p.error !== 'NONE')) {
          const at = this.ctx.now + this.settings.retryBackoffUs;
          this.fetchNotBeforeUs.set(node, at);
          this.wake(at);
        }
        this.wake(this.ctx.now);
      },
      onFailure: () => {
        this.fetching.delete(node);
        // AbstractFetch.handleFetchFailure → requestMetadataUpdate: the partitions go back to their leader
        for (const p of parts) if (p.preferredReadReplica === node) this.clearPreferredReadReplica(p);
        this.wake(this.ctx.now);
      },
    });
  }

  private handleFetchResponse(node: number, r: FetchResponse, msg: Envelope, parts: PartitionState[], positions: number[]): void {
    const consumed: [string, number, number][] = [];
    parts.forEach((p, i) => {
      const pr = r.partitions.find((x) => x.topic === p.topic && x.partition === p.partition);
      // the partition was revoked, or its position moved, while the fetch was out: drop the data
      if (pr === undefined || this.subscriptions.get(p.topic, p.partition) !== p || p.state !== 'FETCHING' || p.position !== positions[i]) return;
      const range = this.handleFetchedPartition(p, pr);
      if (range !== undefined) consumed.push([p.key, range[0], range[1]]);
    });
    const type = consumed.length > 0 ? 'consumed' : 'rt';
    if (!this.ctx.wants(type)) return this.ctx.skipped(type);
    if (consumed.length > 0) {
      this.ctx.trace({ t: this.ctx.now, type: 'consumed', client: this.spec.id, broker: node, parts: consumed, s: msg.requestSentAt, a: msg.requestDeliverAt, r: msg.sentAt });
    } else {
      this.ctx.trace({ t: this.ctx.now, type: 'rt', k: 'fetch', f: this.spec.id, to: node, s: msg.requestSentAt, a: msg.requestDeliverAt, r: msg.sentAt });
    }
  }

  /** AbstractFetch.initializeCompletedFetch for one partition; returns [from, to) consumed. */
  private handleFetchedPartition(p: PartitionState, pr: FetchPartitionResponse): [number, number] | undefined {
    if (pr.error === 'NONE') {
      if (pr.highWatermark >= 0) p.highWatermark = pr.highWatermark;
      if (pr.preferredReadReplica !== undefined) {
        // KIP-392: fetch from this replica until metadata.max.age.ms passes (SubscriptionState.updatePreferredReadReplica)
        if (pr.preferredReadReplica !== p.preferredReadReplica) {
          this.ctx.trace({ t: this.ctx.now, type: 'preferred-read-replica', client: this.spec.id, group: this.spec.group, partition: p.key, broker: pr.preferredReadReplica });
        }
        p.preferredReadReplica = pr.preferredReadReplica;
        p.preferredReadReplicaUntilUs = this.ctx.now + this.settings.metadataMaxAgeUs;
        return undefined;
      }
      return this.consume(p, pr);
    }
    // an error from the preferred replica sends the partition back to its leader; out of range there is retried at the leader, not reset
    if (this.clearPreferredReadReplica(p) && pr.error === 'OFFSET_OUT_OF_RANGE') return undefined;
    if (pr.error === 'OFFSET_OUT_OF_RANGE') {
      // Fetcher.handleOffsetOutOfRange: reset per auto.offset.reset (none: the application sees the exception)
      this.requestReset(p, 'out-of-range');
      return undefined;
    }
    if (pr.currentLeader !== undefined && pr.currentLeader.leaderId !== NO_LEADER) {
      // AbstractFetch: metadata.updatePartitionLeadership, then the position is validated against the new leader
      const change = this.metadata.updateLeader(p.topic, p.partition, pr.currentLeader.leaderId, pr.currentLeader.leaderEpoch);
      if (change !== undefined) {
        this.ctx.trace({ t: this.ctx.now, type: 'metadata-refreshed', client: this.spec.id, source: 'fetch-response', partitions: [[p.key, change.leaderId, change.leaderEpoch]] });
        this.maybeValidatePositionForCurrentLeader(p, change.leaderEpoch);
      }
    }
    // FetchCollector.handleInitializeErrors: UNKNOWN_LEADER_EPOCH (the broker is behind the client's
    // metadata) is only logged and the fetch retried; the others send for new metadata
    if (pr.error !== 'UNKNOWN_LEADER_EPOCH' && (isInvalidMetadata(pr.error) || pr.error === 'OFFSET_NOT_AVAILABLE')) this.metadata.requestUpdate(false);
    return undefined;
  }

  /**
   * Instant application: its poll() gets the records at once: positions move, the ledger hears of them
   * (and of their processing). An application that takes time finds them in its buffer at its next poll().
   */
  private consume(p: PartitionState, pr: FetchPartitionResponse): [number, number] | undefined {
    const batches: ConsumedBatch[] = [];
    const from = p.position;
    let position = p.position;
    let epoch = p.offsetEpoch;
    for (const b of pr.records) {
      const end = b.baseOffset + b.count;
      if (end <= position) continue;
      const skip = position > b.baseOffset ? position - b.baseOffset : 0;
      batches.push({ baseOffset: b.baseOffset + skip, count: b.count - skip, producerId: b.producerId, baseSequence: b.baseSequence + skip, leaderEpoch: b.leaderEpoch });
      position = end;
      epoch = b.leaderEpoch;
    }
    if (batches.length === 0) return undefined;
    if (this.app !== undefined) {
      this.app.buffer.add({ key: p.key, topic: p.topic, partition: p.partition, fetchOffset: from, batches });
      return undefined;
    }
    // poll() is blocked in the commit before a rebalance: the records wait in the fetch buffer, which
    // the revocation then clears (FetchBuffer.retainAll); they are fetched again from the position
    if (this.coordinator.joinPreparing) return undefined;
    p.position = position;
    p.offsetEpoch = epoch;
    let n = 0;
    for (const b of batches) n += b.count;
    this.consumedCount += n;
    const observer = this.deps.observer;
    observer?.consumed?.(this.spec.group, this.spec.id, p.topic, p.partition, batches, this.ctx.now);
    observer?.processed?.(this.spec.group, this.spec.id, p.topic, p.partition, from, position, this.coordinator.generation, this.ctx.now);
    return [from, p.position];
  }

  // -- metadata ------------------------------------------------------------------------------------

  private maybeUpdateMetadata(now: number): number {
    if (this.metadataInFlight) return NEVER;
    const wait = this.metadata.timeToNextUpdate(now);
    if (wait > 0) return now + wait;
    const node = this.pickNode();
    if (node < 0) return now + this.settings.retryBackoffUs;
    this.metadataInFlight = true;
    this.client.send({
      node, body: { kind: 'metadata', topics: [...this.metadata.topicNames] }, timeoutUs: this.settings.requestTimeoutUs,
      onResponse: (resp: MetadataResponse) => {
        this.metadataInFlight = false;
        this.onMetadata(resp);
      },
      onFailure: () => {
        this.metadataInFlight = false;
        this.metadata.failedUpdate(this.ctx.now);
        this.wake(this.ctx.now);
      },
    });
    return NEVER;
  }

  private onMetadata(resp: MetadataResponse): void {
    const changes = this.metadata.update(resp, this.ctx.now);
    if (changes.length > 0) {
      this.ctx.trace({
        t: this.ctx.now, type: 'metadata-refreshed', client: this.spec.id, source: 'metadata',
        partitions: changes.map((c) => [`${c.topic}-${c.partition}`, c.leaderId, c.leaderEpoch]),
      });
    }
    for (const c of changes) {
      const p = this.subscriptions.get(c.topic, c.partition);
      if (p !== undefined) this.maybeValidatePositionForCurrentLeader(p, c.leaderEpoch);
    }
    this.coordinator.metadataUpdated();
    this.wake(this.ctx.now);
  }

  /** SubscriptionState.maybeValidatePositionForCurrentLeader: a new leader epoch means validating again. */
  private maybeValidatePositionForCurrentLeader(p: PartitionState, leaderEpoch: number): void {
    if (p.state !== 'FETCHING' || leaderEpoch <= p.currentLeaderEpoch) return;
    if (p.currentLeaderEpoch >= 0 && p.offsetEpoch >= 0) p.state = 'AWAIT_VALIDATION';
    else p.currentLeaderEpoch = leaderEpoch;
  }

  // -- the coordinator's callbacks --------------------------------------------------------------------

  assignmentChanged(added: TopicPartitionRef[], removed: TopicPartitionRef[], how: 'assigned' | 'revoked' | 'lost'): void {
    const keep = this.subscriptions.partitions().filter((tp) => !removed.some((r) => r.topic === tp.topic && r.partition === tp.partition));
    this.subscriptions.assign([...keep, ...added]);
    this.app?.buffer.retain(new Set(this.subscriptions.assigned.map((p) => p.key)));
    if (removed.length > 0) {
      this.ctx.trace({ t: this.ctx.now, type: `partitions-${how === 'assigned' ? 'revoked' : how}`, client: this.spec.id, group: this.spec.group, partitions: removed.map((tp) => `${tp.topic}-${tp.partition}`) });
    }
    this.deps.observer?.assignmentChanged?.(this.spec.group, this.spec.id, this.subscriptions.partitions(), this.coordinator.generation, this.ctx.now);
    this.wake(this.ctx.now);
  }

  private observe(_what: 'positionChanged', p: PartitionState, offset: number, reason: string): void {
    this.deps.observer?.positionChanged?.(this.spec.group, this.spec.id, p.topic, p.partition, offset, reason, this.ctx.now);
  }

  /** poll() threw a fatal exception: the application stops (it neither commits nor leaves). */
  fatal(error: string): void {
    this.ctx.trace({ t: this.ctx.now, type: 'consumer-error', client: this.spec.id, group: this.spec.group, error });
    this.running = false;
    this.closed = true;
  }

  /** The process died: nothing is committed or left; the coordinator finds out by the session timeout. */
  crash(): void {
    this.app?.crashed();
    this.running = false;
    this.closed = true;
  }

  /** CoordinatorHost: the application is processing or blocked in commitSync. */
  applicationBusy(): boolean {
    return this.app?.busy === true;
  }

  /** CoordinatorHost: an OffsetCommit succeeded. */
  offsetsCommitted(offsets: readonly { topic: string; partition: number; offset: number }[], why: string): void {
    this.deps.observer?.offsetsCommitted?.(this.spec.group, this.spec.id, offsets, why, this.ctx.now);
  }
}
