// A broker: a network node with a disk of replica logs and, in memory, its metadata cache, its
// partitions, its follower fetchers and its purgatories (core/…/server/BrokerServer.scala,
// ReplicaManager.scala, BrokerLifecycleManager.java). This module is the node's shell: message
// dispatch, process lifecycle (start, crash, power loss, disk loss, pause, controlled shutdown), the
// periodic tasks, and the broker's conversation with the controller (registration, heartbeats or ZK
// session pings, the metadata long poll). Replication state has one owner, the process's
// ReplicaManager (replica-manager.ts); the disk of replica logs is the broker's and outlives it.

import type { EventId } from '../engine/index.ts';
import type { BrokerServices, BrokerTopicCounts, TopicSettings } from './broker-services.ts';
import type { Cluster } from './cluster.ts';
import { CONTROLLER } from './controller.ts';
import { brokerBoolean, brokerNumber, flushPolicy, logPolicy, msToUs, topicNumber } from './effective-config.ts';
import { configValue, type ConfigValue } from './config.ts';
import { handleMetadataRequest } from './fetch-serve.ts';
import { flushDirtyLogs } from './flush.ts';
import { cleanupLogs } from './log-start.ts';
import { RETENTION_INITIAL_DELAY_MS, retentionMayDelete } from './retention.ts';
import { checkpointHighWatermarks } from './high-watermark.ts';
import type { ReplicaLog } from './log.ts';
import { MetadataImage } from './metadata-image.ts';
import type { DownKind, Envelope, NodeContext } from './network.ts';
import type { Partition } from './partition.ts';
import { every } from './periodic.ts';
import { lifecycleRequestTimeoutUs, lifecycleResendBackoffUs } from './lifecycle-backoff.ts';
import type {
  AlterPartitionResponse,
  BrokerHeartbeatResponse,
  BrokerRegistrationResponse,
  ControlledShutdownResponse,
  AnyMessage,
  FetchRequest,
  FetchResponse,
  ListOffsetsRequest,
  MetadataFetchResponse,
  MetadataRecord,
  MetadataRequest,
  OffsetsForLeaderEpochRequest,
  ProduceRequest,
  ZkSessionResponse,
} from './protocol.ts';
import { ReplicaManager } from './replica-manager.ts';
import { ReplicationQuota, throttledPartitions } from './replication-quota.ts';
import { truncateLog } from './truncation.ts';
import type { EventOf } from './trace-events.ts';

/** KafkaRaftClient.MAX_FETCH_WAIT_MS: how long a broker's metadata fetch waits for a new record. */
export const METADATA_FETCH_MAX_WAIT_MS = 500;

export type BrokerStatus = 'running' | 'crashed' | 'paused' | 'stopped';
export type { TopicSettings } from './broker-services.ts';

export type CrashKind = 'crash' | 'power-loss' | 'disk-loss';

/**
 * A request kind served by brokers beyond the built-in ones (the group coordinator, OffsetCommit…).
 * `started`/`stopped` let the extension keep per-process state that dies with the broker.
 */
export interface BrokerExtension {
  kinds: readonly string[];
  handle(broker: Broker, msg: Envelope, ctx: NodeContext): void;
  started?(broker: Broker): void;
  stopped?(broker: Broker): void;
}

/** The first heartbeat after a pending controlled-shutdown answer comes 50 ms later. */
const CONTROLLED_SHUTDOWN_FIRST_RETRY_US = 50_000;
/** BrokerLifecycleManager: while STARTING, the next heartbeat comes 10 ms after each answer. */
const STARTING_HEARTBEAT_US = 10_000;

export class Broker implements BrokerServices {
  status: BrokerStatus = 'running';
  shuttingDown = false;
  /** A fresh id per process start; the controller tells restarts apart by it. */
  incarnationId = 0;
  /** Assigned at registration (KRaft: the offset of the RegisterBrokerRecord). */
  brokerEpoch = -1;
  /** The broker's metadata cache. */
  image: MetadataImage;
  /** Set once the metadata cache reached the broker's own registration (initial catch-up). */
  caughtUp = false;
  /**
   * KRaft BrokerLifecycleManager's state from registration to unfencing: STARTING (heartbeats with
   * wantFence every 10 ms until the controller answers isCaughtUp), RECOVERY (ready to unfence: log
   * recovery takes no simulated time), RUNNING once a heartbeat answer says it is unfenced.
   */
  private lifecycle: 'starting' | 'recovery' | 'running' = 'running';
  /** Replica logs by partition index: the disk, which survives a process crash. */
  readonly disk = new Map<number, ReplicaLog>();
  /** The process's replication state: partitions, fetchers, purgatories; a new one per process start. */
  replicaManager: ReplicaManager;
  /** BrokerTopicStats since the first start (metrics only). */
  readonly topicCounts: BrokerTopicCounts = { messagesIn: 0, bytesIn: 0, failedProduceRequests: 0 };
  private nextCorrelationId = 1;
  private metadataFetchTimer: EventId = 0;
  private metadataFetchInFlight = 0;
  /** BrokerLifecycleManager.failedAttempts: registration attempts failed since the last success. */
  private registrationFailures = 0;
  private shutdownRetries = 0;
  private sawPendingShutdown = false;
  readonly ctx: NodeContext;

  constructor(
    readonly cluster: Cluster,
    readonly id: number,
  ) {
    this.image = new MetadataImage(cluster.names);
    this.ctx = cluster.network.attach(id, (msg) => this.handle(msg));
    if ((cluster.spec.controllers ?? 1) > 1) this.knownController = 'controller-1';
    this.replicaManager = new ReplicaManager(this, this.disk);
  }

  /** The partitions the running process holds, by partition index (read-only use). */
  get partitions(): ReadonlyMap<number, Partition> {
    return this.replicaManager.partitions;
  }

  get now(): number {
    return this.cluster.scheduler.now;
  }

  get staticConfig() {
    return this.cluster.spec.brokerConfig;
  }

  // Effective configs, cached until the metadata cache sees a config record (or the process restarts).
  private readonly numbers = new Map<string, number>();
  private readonly topicSettingsCache = new Map<string, TopicSettings>();

  num(name: string): number {
    let v = this.numbers.get(name);
    if (v === undefined) {
      v = brokerNumber(name, this.image, this.id, this.staticConfig);
      this.numbers.set(name, v);
    }
    return v;
  }

  value(name: string): ConfigValue | null {
    const [own, cluster] = this.image.dynamicBrokerLayers(this.id);
    return configValue('broker', name, own, cluster, this.staticConfig);
  }

  bool(name: string): boolean {
    return brokerBoolean(name, this.image, this.id, this.staticConfig);
  }

  /** The topic-level settings the replication path reads on every request. */
  topicSettings(topic: string): TopicSettings {
    let t = this.topicSettingsCache.get(topic);
    if (t === undefined) {
      t = {
        minInsyncReplicas: topicNumber('min.insync.replicas', this.image, topic, this.id, this.staticConfig),
        flush: flushPolicy(this.image, topic, this.id, this.staticConfig),
        log: logPolicy(this.image, topic, this.id, this.staticConfig),
      };
      const config = this.image.topics.get(topic)?.config;
      const throttled = throttledPartitions(config?.['follower.replication.throttled.replicas'], this.id);
      if (throttled === 'all' || throttled.size > 0) t.followerThrottled = throttled;
      const leading = throttledPartitions(config?.['leader.replication.throttled.replicas'], this.id);
      if (leading === 'all' || leading.size > 0) t.leaderThrottled = leading;
      this.topicSettingsCache.set(topic, t);
    }
    return t;
  }

  private configChanged(): void {
    this.numbers.clear();
    this.topicSettingsCache.clear();
  }

  correlationId(): number {
    return this.nextCorrelationId++;
  }

  private quota: ReplicationQuota | undefined;

  leaderQuota(): ReplicationQuota {
    return (this.quota ??= new ReplicationQuota(this.num('replication.quota.window.num'), this.num('replication.quota.window.size.seconds') * 1_000_000));
  }

  /** The quorum's leader as this broker knows it (quorum mode); `controller` with the single controller. */
  private knownController: string = CONTROLLER;

  controllerNode(): string {
    return this.knownController;
  }

  private get quorumSize(): number {
    return this.cluster.spec.controllers ?? 1;
  }

  /**
   * Quorum mode: the broker looks for the leader again (KafkaRaftClient as an observer): the voter a
   * NOT_LEADER_OR_FOLLOWER answer names, else a random voter other than the one that failed it.
   */
  private rediscoverController(hint: number): void {
    if (hint > 0) {
      this.knownController = `controller-${hint}`;
      return;
    }
    const others: string[] = [];
    for (let v = 1; v <= this.quorumSize; v++) if (`controller-${v}` !== this.knownController) others.push(`controller-${v}`);
    this.knownController = this.ctx.rng(`broker:${this.id}:quorum`).pick(others);
  }

  send(to: number | string, body: AnyMessage, quiet = false): void {
    this.ctx.send(to, body, { quiet });
  }

  // -- dispatch -----------------------------------------------------------------------------------

  private handle(msg: Envelope): void {
    const kind = msg.body.kind;
    switch (kind) {
      case 'fetch':
        // followers fetch from the start; consumers are served once the metadata has caught up
        if (!this.caughtUp && (msg.body as FetchRequest).replicaId < 0) return;
        return this.replicaManager.handleFetch(msg as Envelope<FetchRequest>);
      case 'fetch-response':
        return this.replicaManager.onFetchResponse(msg as Envelope<FetchResponse>);
      case 'produce':
        if (!this.caughtUp) return;
        return this.replicaManager.handleProduce(msg as Envelope<ProduceRequest>);
      case 'metadata':
        if (!this.caughtUp) return;
        return handleMetadataRequest(this, msg as Envelope<MetadataRequest>);
      case 'list-offsets':
        if (!this.caughtUp) return;
        return this.replicaManager.handleListOffsets(msg as Envelope<ListOffsetsRequest>);
      case 'offsets-for-leader-epoch':
        if (!this.caughtUp) return;
        return this.replicaManager.handleOffsetsForLeaderEpoch(msg as Envelope<OffsetsForLeaderEpochRequest>);
      case 'metadata-fetch-response':
        return this.onMetadataFetchResponse(msg as Envelope<MetadataFetchResponse>);
      case 'alter-partition-response':
        return this.replicaManager.onAlterPartitionResponse(msg as Envelope<AlterPartitionResponse>);
      case 'broker-heartbeat-response':
        return this.onHeartbeatResponse(msg as Envelope<BrokerHeartbeatResponse>);
      case 'broker-registration-response':
        return this.onRegistrationResponse(msg as Envelope<BrokerRegistrationResponse>);
      case 'zk-session-response':
        return this.onZkSessionResponse(msg as Envelope<ZkSessionResponse>);
      case 'controlled-shutdown-response':
        return this.onZkControlledShutdownResponse(msg as Envelope<ControlledShutdownResponse>);
      case 'disconnect':
        // a peer's process died: a follower fetching from it fails at once (the controller hears of
        // a dead broker only through missing heartbeats or ZK session expiry, never from a socket)
        if (typeof msg.from === 'number') this.replicaManager.onConnectionLost(msg.from);
        else this.controllerConnectionLost(msg.from);
        return;
      case 'connection-refused':
        if (typeof msg.from === 'number') this.replicaManager.onConnectionLost(msg.from, msg.body.correlationId ?? -1);
        else this.controllerConnectionLost(msg.from);
        return;
      default: {
        const ext = this.cluster.brokerExtension(kind);
        if (ext && this.caughtUp) ext.handle(this, msg, this.ctx);
      }
    }
  }

  // -- lifecycle ----------------------------------------------------------------------------------

  /** The cluster at t=0: the broker is registered and has the controller's initial metadata. */
  bootstrap(records: readonly MetadataRecord[]): void {
    const reg = records.find((r) => r.type === 'register-broker' && r.brokerId === this.id);
    this.brokerEpoch = reg && reg.type === 'register-broker' ? reg.brokerEpoch : -1;
    this.caughtUp = true;
    const delta = this.image.apply(records, 0);
    this.configChanged();
    this.replicaManager.applyDelta(delta.partitions, true);
    this.startTasks(true);
  }

  /** A hard kill (SIGKILL): memory is gone; the page cache survives unless the machine lost power. */
  crash(kind: CrashKind): void {
    if (this.status === 'crashed' || this.status === 'stopped') {
      if (kind === 'disk-loss') this.loseDisk();
      if (kind === 'power-loss') this.cluster.network.powerOff(this.id);
      return;
    }
    // the machine's OS resets the process's connections, unless the machine itself went down
    this.stopProcess(kind === 'power-loss' ? 'power-loss' : 'crash');
    this.status = 'crashed';
    this.cluster.emit({ t: this.now, type: 'broker-crashed', broker: this.id, kind });
    if (kind === 'power-loss') this.losePageCache();
    if (kind === 'disk-loss') {
      this.loseDisk();
      this.restart();
    }
  }

  /** Starts a crashed or stopped broker: it registers, catches up with metadata, then serves. */
  restart(): void {
    if (this.status === 'running' || this.status === 'paused') return;
    this.cluster.network.up(this.id);
    // BrokerServer / KafkaServer.startup open the listener's port only at the end of startup
    // (SocketServer.enableRequestProcessing, Acceptor.start): until then connections are refused
    this.cluster.network.setListening(this.id, false);
    this.status = 'running';
    this.shuttingDown = false;
    this.incarnationId++;
    this.brokerEpoch = -1;
    this.caughtUp = false;
    this.lifecycle = 'starting';
    this.image = new MetadataImage(this.cluster.names);
    this.configChanged();
    // log recovery: each replica comes back with its log and the HW of its last checkpoint
    const logs: [string, number, number][] = [];
    for (const idx of [...this.disk.keys()].sort((a, b) => a - b)) {
      const log = this.disk.get(idx)!;
      log.recoverAfterRestart();
      logs.push([this.cluster.names.names[idx], log.logEndOffset, log.highWatermark]);
      this.cluster.onHighWatermark?.(this.id, idx, log.highWatermark, false, -1);
    }
    this.cluster.emit({ t: this.now, type: 'broker-restarted', broker: this.id, incarnation: this.incarnationId, logs });
    this.registrationFailures = 0;
    this.register();
    this.startTasks(false);
  }

  /** A GC pause or SIGSTOP: the process neither handles messages nor runs timers until resumed. */
  pause(forUs: number): void {
    if (this.status !== 'running') return;
    this.status = 'paused';
    this.cluster.network.pause(this.id);
    this.cluster.emit({ t: this.now, type: 'broker-paused', broker: this.id, forUs });
    this.cluster.scheduler.after(forUs, () => this.resume());
  }

  private resume(): void {
    if (this.status !== 'paused') return;
    this.status = 'running';
    this.cluster.emit({ t: this.now, type: 'broker-resumed', broker: this.id });
    this.cluster.network.resume(this.id);
  }

  /**
   * Controlled shutdown. KRaft: heartbeat with wantShutDown until the controller answers
   * shouldShutDown. ZK: ControlledShutdownRequest, retried controlled.shutdown.max.retries times.
   */
  shutdown(): void {
    if (this.status !== 'running' || this.shuttingDown) return;
    this.shuttingDown = true;
    this.cluster.emit({ t: this.now, type: 'broker-shutdown', broker: this.id });
    if (this.cluster.spec.controller === 'kraft') {
      this.sawPendingShutdown = false;
      this.sendHeartbeat();
      // BrokerServer.shutdown waits at most 5 minutes for the controller's go-ahead
      this.ctx.after(300_000_000, () => this.stop());
      return;
    }
    if (!this.bool('controlled.shutdown.enable')) return this.stop();
    this.shutdownRetries = 0;
    this.sendZkControlledShutdown();
  }

  /**
   * ZooKeeper mode: /brokers/ids/<id> still belongs to the previous process's session (a crash or
   * power loss less than zookeeper.session.timeout.ms ago), so KafkaZkClient.registerBroker fails with
   * NodeExistsException (the KAFKA-7165 workaround re-creates the node only for the same client's
   * own expired session) and KafkaServer.startup is fatal: the process shuts down and exits, and
   * stays down until restarted. (A KRaft broker retries its registration instead.)
   */
  private startupFailed(): void {
    if (this.status !== 'running' || this.brokerEpoch >= 0) return;
    for (const log of this.disk.values()) log.flush(this.now);
    checkpointHighWatermarks(this.disk.values());
    this.stopProcess('crash');
    this.status = 'stopped';
    this.cluster.emit({ t: this.now, type: 'broker-stopped', broker: this.id, reason: 'node-exists' });
  }

  /** The process exits cleanly: logs are flushed and the HW checkpointed (LogManager.shutdown). */
  private stop(): void {
    if (this.status !== 'running') return;
    for (const log of this.disk.values()) log.flush(this.now);
    checkpointHighWatermarks(this.disk.values());
    if (this.cluster.spec.controller === 'zookeeper') {
      this.send(CONTROLLER, { kind: 'zk-session', correlationId: this.correlationId(), brokerId: this.id, incarnationId: this.incarnationId, op: 'close' });
    }
    this.stopProcess('crash');
    this.status = 'stopped';
    this.cluster.emit({ t: this.now, type: 'broker-stopped', broker: this.id });
  }

  private stopProcess(how: DownKind): void {
    for (const ext of this.cluster.brokerExtensions()) ext.stopped?.(this);
    this.cluster.network.down(this.id, how);
    this.metadataFetchTimer = 0;
    this.metadataFetchInFlight = 0;
    this.replicaManager.shutdown();
    this.replicaManager = new ReplicaManager(this, this.disk);
  }

  /** Power loss: each log keeps only what reached the disk (written back or fsynced). */
  private losePageCache(): void {
    const writebackUs = this.cluster.spec.pageCacheWritebackUs;
    for (const idx of [...this.disk.keys()].sort((a, b) => a - b)) {
      const log = this.disk.get(idx)!;
      truncateLog(this, idx, log, undefined, log.durableEndOffset(this.now, writebackUs), 'power-loss');
    }
  }

  private loseDisk(): void {
    for (const idx of [...this.disk.keys()].sort((a, b) => a - b)) {
      truncateLog(this, idx, this.disk.get(idx)!, undefined, 0, 'disk-loss');
    }
    this.disk.clear();
    this.cluster.emit({ t: this.now, type: 'disk-lost', broker: this.id });
  }

  // -- periodic tasks -------------------------------------------------------------------------------

  private startTasks(atBootstrap: boolean): void {
    const ctx = this.ctx;
    // ReplicaManager: isr-expiration every replica.lag.time.max.ms / 2
    every(ctx, msToUs(this.num('replica.lag.time.max.ms')) / 2, () => this.replicaManager.maybeShrinkIsr());
    every(ctx, msToUs(this.num('replica.high.watermark.checkpoint.interval.ms')), () => checkpointHighWatermarks(this.disk.values()));
    every(ctx, msToUs(this.num('log.flush.scheduler.interval.ms')), () => flushDirtyLogs(this, this.disk));
    if (retentionMayDelete(this.cluster.spec)) {
      every(ctx, msToUs(this.num('log.retention.check.interval.ms')), () => cleanupLogs(this, this.disk), msToUs(RETENTION_INITIAL_DELAY_MS));
    }
    const rng = ctx.rng(`broker:${this.id}`);
    if (this.cluster.spec.controller === 'kraft') {
      const hb = msToUs(this.num('broker.heartbeat.interval.ms'));
      if (atBootstrap) every(ctx, hb, () => this.sendHeartbeat(), 1 + rng.int(hb));
    } else {
      // the ZooKeeper client pings a third of the session timeout after its last request
      const ping = Math.floor(msToUs(this.num('zookeeper.session.timeout.ms')) / 3);
      every(ctx, ping, () => this.sendZkPing(), atBootstrap ? 1 + rng.int(ping) : ping);
    }
    this.fetchMetadata();
    for (const ext of this.cluster.brokerExtensions()) ext.started?.(this);
  }

  // -- the metadata long poll ------------------------------------------------------------------------

  /** Quorum mode: the known leader's process died; the metadata fetch looks for the leader at once. */
  private controllerConnectionLost(from: unknown): void {
    if (this.quorumSize <= 1 || from !== this.knownController || this.status !== 'running') return;
    this.rediscoverController(-1);
    this.fetchMetadata();
  }

  private fetchMetadata(): void {
    const correlationId = this.correlationId();
    this.metadataFetchInFlight = correlationId;
    // KafkaRaftClient.MAX_FETCH_WAIT_MS: an observer's fetch waits at most 500 ms for a new record,
    // whatever the configs (metadata.max.idle.interval.ms is the controller's no-op record interval)
    const maxWaitMs = METADATA_FETCH_MAX_WAIT_MS;
    this.send(this.controllerNode(), { kind: 'metadata-fetch', correlationId, brokerId: this.id, fetchOffset: this.image.offset + 1, maxWaitMs }, true);
    this.ctx.cancel(this.metadataFetchTimer);
    // no answer within the wait plus the request timeout: ask again
    this.metadataFetchTimer = this.ctx.after(msToUs(maxWaitMs + this.num('controller.quorum.request.timeout.ms')), () => {
      this.metadataFetchTimer = 0;
      // the request timed out: its connection is closed, and the next request opens a new one
      this.ctx.closeConnection(this.controllerNode());
      // quorum mode: the leader it asked is gone or cut off; another voter may know the new one
      if (this.quorumSize > 1) this.rediscoverController(-1);
      this.fetchMetadata();
    });
  }

  private onMetadataFetchResponse(msg: Envelope<MetadataFetchResponse>): void {
    const resp = msg.body;
    if (resp.correlationId !== this.metadataFetchInFlight) return;
    this.traceRoundTrip(msg, 'metadata-fetch');
    if (resp.error === 'NOT_LEADER_OR_FOLLOWER') {
      // a voter that does not lead: ask the leader it names at once, else another voter after
      // controller.quorum.retry.backoff.ms
      const hint = resp.leaderId ?? -1;
      const named = hint > 0 && `controller-${hint}` !== msg.from;
      this.rediscoverController(named ? hint : -1);
      this.metadataFetchInFlight = 0;
      this.ctx.cancel(this.metadataFetchTimer);
      this.metadataFetchTimer = 0;
      if (named) this.fetchMetadata();
      else {
        this.metadataFetchTimer = this.ctx.after(msToUs(this.num('controller.quorum.retry.backoff.ms')), () => {
          this.metadataFetchTimer = 0;
          this.fetchMetadata();
        });
      }
      return;
    }
    if (resp.records.length > 0) this.applyMetadata(resp.records, resp.baseOffset);
    if (this.quorumSize > 1) this.replicaManager.controllerFound();
    if (this.status === 'running') this.fetchMetadata();
  }

  /** Applies records to the metadata cache and acts on what changed (BrokerMetadataPublisher). */
  applyMetadata(records: readonly MetadataRecord[], baseOffset: number): void {
    const delta = this.image.apply(records, baseOffset);
    if (delta.configs) this.configChanged();
    if (!this.caughtUp) {
      // the broker acts on metadata only once it has caught up to its own registration
      if (this.brokerEpoch < 0 || this.image.offset < this.brokerEpoch) return;
      this.caughtUp = true;
      this.cluster.emit({ t: this.now, type: 'broker-caught-up', broker: this.id, offset: this.image.offset });
      this.replicaManager.applyDelta(this.image.partitionIndexes(), false);
      return;
    }
    if (delta.partitions.length > 0) this.replicaManager.applyDelta(delta.partitions, false);
  }

  /** One line for a quiet request/response pair, at the moment the response arrives. */
  traceRoundTrip(msg: Envelope, kind: string, extra?: Pick<EventOf<'rt'>, 'u' | 'stale'>): void {
    if (!this.cluster.wants('rt')) return this.cluster.skipped('rt');
    const e: EventOf<'rt'> = { t: this.now, type: 'rt', k: kind, f: this.id, to: msg.from, s: msg.requestSentAt, a: msg.requestDeliverAt, r: msg.sentAt };
    // the extra fields set one by one rather than spread: this runs once per fetch round trip
    if (extra !== undefined) {
      if (extra.u !== undefined) e.u = extra.u;
      if (extra.stale !== undefined) e.stale = extra.stale;
    }
    this.cluster.record(e);
  }

  // -- registration, heartbeats, ZK sessions ------------------------------------------------------

  private register(): void {
    const correlationId = this.correlationId();
    if (this.cluster.spec.controller === 'kraft') {
      this.send(this.controllerNode(), { kind: 'broker-registration', correlationId, brokerId: this.id, incarnationId: this.incarnationId });
    } else {
      this.send(CONTROLLER, { kind: 'zk-session', correlationId, brokerId: this.id, incarnationId: this.incarnationId, op: 'open' });
    }
    // unanswered, the attempt fails when the lifecycle channel gives up on it
    this.onRegistrationTimer(lifecycleRequestTimeoutUs(this.sessionTimeoutUs()), () => this.registrationFailed());
  }

  private sessionTimeoutUs(): number {
    return msToUs(this.num('broker.session.timeout.ms'));
  }

  /** BrokerLifecycleManager.scheduleNextCommunicationAfterFailure: try again after the backoff (lifecycle-backoff.ts). */
  private registrationFailed(): void {
    const delayUs = lifecycleResendBackoffUs(this.registrationFailures++, this.sessionTimeoutUs(), this.ctx.rng(`broker:${this.id}:lifecycle`));
    this.onRegistrationTimer(delayUs, () => this.register());
  }

  private onRegistrationTimer(delayUs: number, fn: () => void): void {
    this.ctx.cancel(this.registrationTimer);
    this.registrationTimer = this.ctx.after(delayUs, () => {
      this.registrationTimer = 0;
      if (this.brokerEpoch < 0) fn();
    });
  }

  private registrationTimer: EventId = 0;

  private registered(brokerEpoch: number): void {
    if (this.brokerEpoch >= 0) return;
    this.brokerEpoch = brokerEpoch;
    this.ctx.cancel(this.registrationTimer);
    this.registrationTimer = 0;
    // ZooKeeper mode: KafkaServer.startup enables request processing once the broker is registered
    if (this.cluster.spec.controller !== 'kraft') this.cluster.network.setListening(this.id, true);
    if (this.cluster.spec.controller === 'kraft') {
      // heartbeats start at once and go on every broker.heartbeat.interval.ms
      this.sendHeartbeat();
      every(this.ctx, msToUs(this.num('broker.heartbeat.interval.ms')), () => this.sendHeartbeat());
    }
    // the records up to the registration may already be here
    this.applyMetadata([], this.image.offset + 1);
  }

  private onRegistrationResponse(msg: Envelope<BrokerRegistrationResponse>): void {
    if (msg.body.error !== 'NONE') return this.registrationFailed();
    this.registrationFailures = 0;
    this.registered(msg.body.brokerEpoch);
  }

  private sendHeartbeat(): void {
    if (this.brokerEpoch < 0) return;
    this.send(this.controllerNode(), {
      kind: 'broker-heartbeat', correlationId: this.correlationId(), brokerId: this.id, brokerEpoch: this.brokerEpoch,
      currentMetadataOffset: this.image.offset, wantFence: this.lifecycle === 'starting', wantShutDown: this.shuttingDown,
    }, true);
  }

  private onHeartbeatResponse(msg: Envelope<BrokerHeartbeatResponse>): void {
    const resp = msg.body;
    this.traceRoundTrip(msg, 'heartbeat');
    // a quorum voter that is not the active controller: the next heartbeat goes where the metadata fetch found it
    if (resp.error === 'NOT_CONTROLLER') return;
    if (resp.error === 'NONE' && this.lifecycle !== 'running' && !this.shuttingDown) return this.startingHeartbeatAnswered(resp);
    if (!this.shuttingDown) return;
    if (resp.shouldShutDown) return this.stop();
    // BrokerLifecycleManager: the first pending answer brings the next heartbeat forward to 50 ms
    if (!this.sawPendingShutdown) {
      this.sawPendingShutdown = true;
      this.ctx.after(CONTROLLED_SHUTDOWN_FIRST_RETRY_US, () => this.sendHeartbeat());
    }
  }

  /**
   * BrokerLifecycleManager's STARTING and RECOVERY answers: caught up, the broker is ready to unfence
   * at once (BrokerServer.startup → setReadyToUnfence, which heartbeats immediately); not yet, it asks
   * again 10 ms later; unfenced, it is RUNNING and heartbeats every broker.heartbeat.interval.ms.
   */
  private startingHeartbeatAnswered(resp: BrokerHeartbeatResponse): void {
    if (this.lifecycle === 'starting') {
      if (!resp.isCaughtUp) {
        this.ctx.after(STARTING_HEARTBEAT_US, () => this.sendHeartbeat());
        return;
      }
      this.lifecycle = 'recovery';
      this.sendHeartbeat();
      return;
    }
    if (!resp.isFenced) {
      // KRaft BrokerServer.startup waits for the initial unfence, then enables request processing
      this.lifecycle = 'running';
      this.cluster.network.setListening(this.id, true);
    }
  }

  private sendZkPing(): void {
    if (this.brokerEpoch < 0) return;
    this.send(CONTROLLER, { kind: 'zk-session', correlationId: this.correlationId(), brokerId: this.id, incarnationId: this.incarnationId, op: 'ping' }, true);
  }

  private onZkSessionResponse(msg: Envelope<ZkSessionResponse>): void {
    const resp = msg.body;
    if (msg.quiet) this.traceRoundTrip(msg, 'zk-ping');
    if (resp.error === 'NONE') {
      if (this.brokerEpoch < 0) this.registered(resp.brokerEpoch);
      return;
    }
    if (resp.error === 'DUPLICATE_BROKER_REGISTRATION') return this.startupFailed();
    // the session expired while this process lived on (it was cut off): open a new one
    if (resp.error === 'STALE_BROKER_EPOCH' && this.brokerEpoch >= 0) {
      this.brokerEpoch = -1;
      this.registrationFailures = 0;
      this.register();
    }
  }

  private shutdownRequest = 0;

  private sendZkControlledShutdown(): void {
    const correlationId = this.correlationId();
    this.shutdownRequest = correlationId;
    this.send(CONTROLLER, { kind: 'controlled-shutdown', correlationId, brokerId: this.id, brokerEpoch: this.brokerEpoch });
    // no answer within the socket timeout counts as a failed attempt
    this.ctx.after(msToUs(this.num('controller.socket.timeout.ms')), () => {
      if (this.shutdownRequest === correlationId) this.retryZkControlledShutdown();
    });
  }

  private onZkControlledShutdownResponse(msg: Envelope<ControlledShutdownResponse>): void {
    if (msg.body.correlationId !== this.shutdownRequest) return;
    if (msg.body.error === 'NONE' && msg.body.remainingPartitions.length === 0) return this.stop();
    this.retryZkControlledShutdown();
  }

  /** KafkaServer.controlledShutdown: retry up to controlled.shutdown.max.retries, then stop anyway. */
  private retryZkControlledShutdown(): void {
    this.shutdownRequest = 0;
    if (this.status !== 'running') return;
    this.shutdownRetries++;
    if (this.shutdownRetries > this.num('controlled.shutdown.max.retries')) return this.stop();
    this.ctx.after(msToUs(this.num('controlled.shutdown.retry.backoff.ms')), () => this.sendZkControlledShutdown());
  }
}
