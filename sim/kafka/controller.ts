// The controller: one logical network node named 'controller' standing for the KRaft quorum's active
// controller (metadata/…/controller/QuorumController.java, ReplicationControlManager.java,
// ClusterControlManager.java, BrokerHeartbeatManager.java) or, with `controller: zookeeper`, for
// ZooKeeper plus the ZK-era controller (core/…/controller/KafkaController.scala). It owns the
// metadata log; brokers learn every change by fetching that log (KRaft observers long-poll it; the ZK
// controller's LeaderAndIsr/UpdateMetadata pushes are modelled by the same long poll;
// the modes differ in timeouts and in who notices what).
//
// What it decides: broker liveness (heartbeats and the session timeout, or ZK sessions), fencing
// (remove from every ISR, move leaderships), clean and unclean elections, AlterPartition, controlled
// shutdown, preferred-leader election and auto rebalance, dynamic configs and added partitions.

import type { EventId } from '../engine/index.ts';
import type { ConfigMap, ConfigValue } from './config.ts';
import type { Cluster } from './cluster.ts';
import { MetadataImage, type PartitionRegistration } from './metadata-image.ts';
import type { Envelope, NodeContext } from './network.ts';
import { electLeader, isrWithout, partitionChange, sameMembers, shrinkBumpsLeaderEpoch, type ElectionType } from './election.ts';
import { assignReplicasRackAware, assignReplicasRackUnaware, PlacementError } from './placement.ts';
import { placeStriped } from './striped-replica-placer.ts';
import { zkSessionExpiryUs } from './zk-session.ts';
import { rackOfBroker } from './spec.ts';
import { brokerBoolean, brokerNumber, msToUs, topicBoolean } from './effective-config.ts';
import { DeferredControllerTask, MAX_ELECTIONS_PER_RUN } from './deferred-task.ts';
import { completedReassignment, isReassigning, reassignmentReplicas, withoutReassignment, zkReassignmentLeaderEpoch, zkReassignmentReplicas } from './reassignment.ts';
import { NO_LEADER } from './protocol.ts';
import { behavioursOf, CURRENT_VERSION, type VersionBehaviours } from './versions.ts';
import type { KafkaTraceEvent } from './trace-events.ts';
import type {
  AnyMessage,
  AlterPartitionRequest,
  BrokerHeartbeatRequest,
  BrokerRegistrationRequest,
  ControlledShutdownRequest,
  ErrorCode,
  MetadataFetchRequest,
  MetadataRecord,
  ZkSessionRequest,
} from './protocol.ts';

export const CONTROLLER = 'controller';

/** KafkaController.onControllerFailover: the first auto-rebalance check, 5 s after the controller starts. */
const ZK_FIRST_REBALANCE_CHECK_US = 5_000_000;

/** Why a broker was fenced, as traced. */
type FenceReason = 'session-timeout' | 'zk-session-expired' | 'controlled-shutdown' | 're-registration' | 'zk-session-closed';

/**
 * Where an active controller of a quorum writes (controller-quorum.ts): the Raft log of the node it
 * runs on. Its records count once a majority of the voters has them (committed); until then no
 * broker sees them, and nothing that depends on them is answered or traced.
 */
export interface MetadataLogPort {
  /** The node's log: every record appended so far, committed or not. */
  readonly records: MetadataRecord[];
  /** Appends records in the leader's epoch. */
  append(records: MetadataRecord[]): void;
  /** Runs `fn` once every record appended so far is committed (at once if it is). */
  whenCommitted(fn: () => void): void;
}

interface ParkedFetch {
  msg: Envelope<MetadataFetchRequest>;
  timer: EventId;
}

export class Controller {
  readonly log: MetadataRecord[];
  readonly image: MetadataImage;
  readonly ctx: NodeContext;
  readonly mode: 'kraft' | 'zookeeper';
  /** Last heartbeat (KRaft) or ZK ping, µs. */
  private readonly lastContactUs = new Map<number, number>();
  /** The offset of the record that put a broker into controlled shutdown. */
  private readonly controlledShutdownOffset = new Map<number, number>();
  /** The metadata offset each broker reported in its last heartbeat (BrokerHeartbeatState.metadataOffset). */
  private readonly reportedOffset = new Map<number, number>();
  private parked: ParkedFetch[] = [];
  private sessionTimer: EventId = 0;
  private sessionTimerAt = -1;
  private readonly staticConfig: ConfigMap;
  /** Why each partition in the next commit changed, for the trace. */
  private readonly pendingReasons = new Map<number, { reason: string; unclean: boolean }>();

  /** Set once a quorum controller stopped being active: its timers do nothing from then on. */
  private stopped = false;
  private readonly port: MetadataLogPort | undefined;
  /** What the cluster's Kafka version does (versions.ts): KRaft's auto rebalance and unclean config came late. */
  private readonly behaviours: VersionBehaviours;

  /**
   * The single logical controller (`controllers: 1`) attaches itself as the node `controller`; a
   * quorum's active controller runs on its node's context and writes to that node's Raft log.
   */
  constructor(private readonly cluster: Cluster, host?: { ctx: NodeContext; log: MetadataLogPort }) {
    this.mode = cluster.spec.controller;
    this.staticConfig = cluster.spec.brokerConfig;
    this.behaviours = behavioursOf(cluster.spec.kafkaVersion ?? CURRENT_VERSION);
    this.image = new MetadataImage(cluster.names);
    if (host) {
      this.ctx = host.ctx;
      this.port = host.log;
      this.log = host.log.records;
    } else {
      this.log = [];
      this.ctx = cluster.network.attach(CONTROLLER, (msg) => this.handle(msg));
    }
    // maybeBalancePartitionLeaders, armed while auto.leader.rebalance.enable (leaderImbalanceCheckIntervalNs)
    this.balanceTask = new DeferredControllerTask(
      this.ctx,
      () => (this.bool('auto.leader.rebalance.enable') && this.behaviours.kraftAutoLeaderRebalance ? this.num('leader.imbalance.check.interval.seconds') * 1_000_000 : undefined),
      () => this.image.partitionIndexes().some((idx) => {
        const p = this.image.partition(idx)!;
        return p.leader !== p.replicas[0];
      }),
      () => this.autoRebalance(),
    );
    // maybeElectUncleanLeaders, unclean.leader.election.interval.ms after a partition lost its leader
    this.uncleanTask = new DeferredControllerTask(
      this.ctx,
      () => (this.behaviours.kraftUncleanElectionConfig ? msToUs(this.num('unclean.leader.election.interval.ms')) : undefined),
      () => this.image.partitionIndexes().some((idx) => this.image.partition(idx)!.leader === NO_LEADER),
      () => this.electLeaderless('periodic-unclean', true),
    );
  }

  /** KRaft's self-scheduling tasks (deferred-task.ts). */
  private readonly balanceTask: DeferredControllerTask;
  private readonly uncleanTask: DeferredControllerTask;

  /** A named event, traced once what it reports is committed (at once for the single controller). */
  private emit(e: KafkaTraceEvent): void {
    if (this.port === undefined) return this.cluster.emit(e);
    this.port.whenCommitted(() => this.cluster.emit({ ...e, t: this.ctx.now } as KafkaTraceEvent));
  }

  /** An answer, sent once the records it depends on are committed (KRaft answers at commit). */
  private reply(msg: Envelope, body: AnyMessage): void {
    if (this.port === undefined) return this.ctx.reply(msg, body);
    this.port.whenCommitted(() => this.ctx.reply(msg, body));
  }

  /**
   * QuorumController claiming leadership (handleLeaderChange → claim): the image is the node's log
   * replayed, and ClusterControlManager.activate starts every registered broker's session afresh
   * (BrokerHeartbeatManager.register touches each one now), so a broker silent since before the
   * failover is fenced broker.session.timeout.ms after this moment, not after its last heartbeat.
   */
  activate(): void {
    this.image.apply(this.log, 0);
    for (const id of this.brokerIds()) this.lastContactUs.set(id, this.ctx.now);
    this.scheduleSessionCheck();
    this.schedulePeriodicTasks();
  }

  /** QuorumController renounce: this controller is no longer active; its timers stop acting. */
  stop(): void {
    this.stopped = true;
    this.ctx.cancel(this.sessionTimer);
    this.sessionTimer = 0;
    this.balanceTask.cancel();
    this.uncleanTask.cancel();
  }

  /** Requests from brokers to an active quorum controller (controller-quorum.ts routes them here). */
  handleRequest(msg: Envelope): void {
    if (!this.stopped) this.handle(msg);
  }

  // -- bootstrap --------------------------------------------------------------------------------

  /** The cluster as it stands at t=0: every broker registered and unfenced, every topic created. */
  bootstrap(): void {
    const spec = this.cluster.spec;
    const records: MetadataRecord[] = [];
    for (const id of spec.brokers) {
      records.push({ type: 'register-broker', brokerId: id, brokerEpoch: this.log.length + records.length, incarnationId: 0, fenced: false });
      this.lastContactUs.set(id, 0);
    }
    this.commit(records);
    for (const t of spec.topics) {
      const count = t.partitions ?? this.num('num.partitions');
      const rf = t.replicationFactor ?? this.num('default.replication.factor');
      const assignment = t.replicas ?? this.place(count, rf);
      const topicRecords: MetadataRecord[] = [{ type: 'topic', name: t.name }];
      for (const key of Object.keys(t.config).sort()) {
        topicRecords.push({ type: 'config', resource: 'topic', name: t.name, key, value: scalar(t.config[key]) });
      }
      assignment.forEach((replicas, partition) => {
        topicRecords.push({
          type: 'partition', topic: t.name, partition, replicas: [...replicas], isr: [...replicas], leader: replicas[0],
          leaderEpoch: 0, partitionEpoch: 0, leaderRecoveryState: 'RECOVERED',
        });
      });
      this.commit(topicRecords);
    }
    this.scheduleSessionCheck();
    this.schedulePeriodicTasks();
  }

  /**
   * Replicas for `count` new partitions from `firstPartition` on. Without racks, AdminUtils'
   * rack-unaware placement (the simulator's placement in both modes). With racks: KRaft's
   * StripedReplicaPlacer over the registered brokers (fenced ones last in their rack), ZooKeeper's
   * AdminUtils rack-aware assignment (adding partitions starts where partition 0 does).
   */
  private place(count: number, rf: number, firstPartition = 0, fixedStartIndex = -1): number[][] {
    const rng = this.cluster.streams.stream('placement');
    const spec = this.cluster.spec;
    const brokers = this.brokerIds();
    if (spec.racks === undefined) return assignReplicasRackUnaware(brokers, count, rf, rng, firstPartition, fixedStartIndex);
    const racks = rackOfBroker(spec);
    if (spec.controller === 'zookeeper') return assignReplicasRackAware(racks, count, rf, rng, firstPartition, fixedStartIndex);
    return placeStriped(brokers.map((id) => ({ id, rack: racks.get(id)!, fenced: !this.image.isUnfenced(id) })), count, rf, rng);
  }

  // -- message dispatch ---------------------------------------------------------------------------

  private handle(msg: Envelope): void {
    switch (msg.body.kind) {
      case 'metadata-fetch':
        return this.onMetadataFetch(msg as Envelope<MetadataFetchRequest>);
      case 'broker-heartbeat':
        return this.onHeartbeat(msg as Envelope<BrokerHeartbeatRequest>);
      case 'broker-registration':
        return this.onRegistration(msg as Envelope<BrokerRegistrationRequest>);
      case 'alter-partition':
        return this.onAlterPartition(msg as Envelope<AlterPartitionRequest>);
      case 'zk-session':
        return this.onZkSession(msg as Envelope<ZkSessionRequest>);
      case 'controlled-shutdown':
        return this.onZkControlledShutdown(msg as Envelope<ControlledShutdownRequest>);
      default:
        return;
    }
  }

  // -- the metadata log -------------------------------------------------------------------------

  /**
   * Appends records to the metadata log, applies them to the controller's image, traces what they
   * mean and completes parked metadata fetches (a new record completes a Raft fetch at once).
   * The single logical controller commits immediately; quorum replication is not modelled.
   */
  private commit(records: MetadataRecord[]): void {
    if (records.length === 0) return;
    for (const r of records) {
      const before = r.type === 'partition' ? this.image.partition(this.cluster.names.index(r.topic, r.partition)) : undefined;
      if (this.port) this.port.append([r]);
      else this.log.push(r);
      this.image.apply([r], this.log.length - 1);
      this.traceRecord(r, before);
    }
    this.maybeScheduleTasks();
    // a quorum's leader answers the brokers' metadata fetches itself, from what is committed
    if (this.port) return;
    // the records of one controller operation form one batch: parked fetches are answered once
    // the current event is over, so they carry all of it
    if (this.parked.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      this.ctx.after(0, () => this.answerParked());
    }
  }

  private flushScheduled = false;

  private answerParked(): void {
    this.flushScheduled = false;
    const waiting = this.parked;
    this.parked = [];
    for (const p of waiting) {
      this.ctx.cancel(p.timer);
      this.answerFetch(p.msg);
    }
  }

  private onMetadataFetch(msg: Envelope<MetadataFetchRequest>): void {
    if (msg.body.fetchOffset < this.log.length) return this.answerFetch(msg);
    // KafkaRaftClient: the fetch waits up to its maxWaitMs for a new record
    const parked: ParkedFetch = { msg, timer: 0 };
    parked.timer = this.ctx.after(msToUs(msg.body.maxWaitMs), () => {
      this.parked = this.parked.filter((p) => p !== parked);
      this.answerFetch(msg);
    });
    this.parked.push(parked);
  }

  private answerFetch(msg: Envelope<MetadataFetchRequest>): void {
    const from = Math.max(0, msg.body.fetchOffset);
    this.reply(msg, {
      kind: 'metadata-fetch-response', correlationId: msg.body.correlationId, error: 'NONE',
      baseOffset: from, records: this.log.slice(from),
    });
  }

  // -- broker liveness: KRaft --------------------------------------------------------------------

  private onRegistration(msg: Envelope<BrokerRegistrationRequest>): void {
    const { brokerId, incarnationId, correlationId } = msg.body;
    const reply = (error: ErrorCode, brokerEpoch = -1): void =>
      this.reply(msg, { kind: 'broker-registration-response', correlationId, error, brokerEpoch });
    const existing = this.image.brokers.get(brokerId);
    // ClusterControlManager.registerBroker: a live session of another incarnation blocks the id
    if (existing && existing.incarnationId !== incarnationId && this.hasValidSession(brokerId)) {
      return reply('DUPLICATE_BROKER_REGISTRATION');
    }
    if (existing && existing.incarnationId === incarnationId) return reply('NONE', existing.epoch);
    // a previous incarnation still unfenced shut down uncleanly: fence it first (handleBrokerUncleanShutdown)
    if (existing && !existing.fenced) this.fenceBroker(brokerId, 're-registration');
    const brokerEpoch = this.log.length;
    this.commit([{ type: 'register-broker', brokerId, brokerEpoch, incarnationId, fenced: this.mode === 'kraft' }]);
    this.lastContactUs.set(brokerId, this.ctx.now);
    this.reportedOffset.delete(brokerId);
    this.emit({ t: this.ctx.now, type: 'broker-registered', broker: brokerId, epoch: brokerEpoch });
    this.scheduleSessionCheck();
    reply('NONE', brokerEpoch);
  }

  private onHeartbeat(msg: Envelope<BrokerHeartbeatRequest>): void {
    const { brokerId, brokerEpoch, currentMetadataOffset, wantFence, wantShutDown, correlationId } = msg.body;
    const reg = this.image.brokers.get(brokerId);
    const reply = (error: ErrorCode, isFenced: boolean, shouldShutDown: boolean): void =>
      this.reply(msg, {
        kind: 'broker-heartbeat-response', correlationId, error, isFenced, shouldShutDown,
        isCaughtUp: reg !== undefined && currentMetadataOffset >= reg.epoch,
      });
    if (!reg || reg.epoch !== brokerEpoch) return reply('STALE_BROKER_EPOCH', true, false);
    this.lastContactUs.set(brokerId, this.ctx.now);
    this.scheduleSessionCheck();
    // BrokerHeartbeatManager.calculateNextBrokerState, then touch (the offset this heartbeat reports)
    const report = (): void => {
      this.reportedOffset.set(brokerId, currentMetadataOffset);
    };
    if (wantShutDown) {
      report();
      if (reg.fenced) return reply('NONE', true, true);
      // UNFENCED: SHUTDOWN_NOW if it leads nothing, else CONTROLLED_SHUTDOWN; CONTROLLED_SHUTDOWN:
      // SHUTDOWN_NOW once it leads nothing and every active broker has reported, in its own
      // heartbeats, a metadata offset at least the one that put it into controlled shutdown
      const done = !this.leadsAnything(brokerId)
        && (!reg.inControlledShutdown || (this.controlledShutdownOffset.get(brokerId) ?? 0) <= this.lowestActiveOffset());
      if (done) {
        this.fenceBroker(brokerId, 'controlled-shutdown');
        return reply('NONE', true, true);
      }
      if (!reg.inControlledShutdown) this.enterControlledShutdown(brokerId);
      return reply('NONE', this.image.brokers.get(brokerId)!.fenced, false);
    }
    report();
    // a registered broker is unfenced once it asks (no wantFence: it is ready, BrokerLifecycleManager
    // RECOVERY) and has caught up to its own registration record
    if (reg.fenced && !wantFence && currentMetadataOffset >= reg.epoch) this.unfenceBroker(brokerId);
    reply('NONE', this.image.brokers.get(brokerId)!.fenced, false);
  }

  /**
   * BrokerHeartbeatManager.lowestActiveOffset: the lowest metadata offset the active brokers (unfenced,
   * not shutting down) reported in their last heartbeats; −1 for one not heard from since it registered
   * or this controller became active; none active: no bound.
   */
  private lowestActiveOffset(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const id of this.brokerIds()) {
      const reg = this.image.brokers.get(id)!;
      if (reg.fenced || reg.inControlledShutdown) continue;
      lowest = Math.min(lowest, this.reportedOffset.get(id) ?? -1);
    }
    return lowest;
  }

  private hasValidSession(brokerId: number): boolean {
    const last = this.lastContactUs.get(brokerId);
    const reg = this.image.brokers.get(brokerId);
    if (last === undefined || !reg || reg.fenced) return false;
    return this.ctx.now < this.sessionExpiryUs(last);
  }

  /**
   * The first µs at which a session last renewed at `last` has expired: KRaft, just after
   * broker.session.timeout.ms (BrokerHeartbeatManager); ZooKeeper, on the server's next tick after
   * zookeeper.session.timeout.ms (zk-session.ts).
   */
  private sessionExpiryUs(last: number): number {
    if (this.mode === 'kraft') return last + this.sessionTimeoutUs() + 1;
    return zkSessionExpiryUs(last, this.num('zookeeper.session.timeout.ms'));
  }

  private sessionTimeoutUs(): number {
    return msToUs(this.mode === 'kraft' ? this.num('broker.session.timeout.ms') : this.num('zookeeper.session.timeout.ms'));
  }

  /**
   * Schedules the stale-broker check for the earliest session deadline (QuorumController
   * rescheduleMaybeFenceStaleBrokers); each run fences one stale broker and looks again at once.
   */
  private scheduleSessionCheck(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const id of this.brokerIds()) {
      const reg = this.image.brokers.get(id)!;
      if (reg.fenced) continue;
      const deadline = this.sessionExpiryUs(this.lastContactUs.get(id) ?? 0);
      if (deadline < next) next = deadline;
    }
    if (next === Number.POSITIVE_INFINITY) return;
    if (this.sessionTimer !== 0 && this.sessionTimerAt === next) return;
    this.ctx.cancel(this.sessionTimer);
    this.sessionTimerAt = Math.max(next, this.ctx.now);
    this.sessionTimer = this.ctx.at(this.sessionTimerAt, () => {
      this.sessionTimer = 0;
      if (this.stopped) return;
      this.fenceOneStaleBroker();
    });
  }

  private fenceOneStaleBroker(): void {
    const now = this.ctx.now;
    let stale = -1;
    let oldest = Number.POSITIVE_INFINITY;
    for (const id of this.brokerIds()) {
      const reg = this.image.brokers.get(id)!;
      const last = this.lastContactUs.get(id) ?? 0;
      if (!reg.fenced && now >= this.sessionExpiryUs(last) && last < oldest) {
        stale = id;
        oldest = last;
      }
    }
    if (stale >= 0) this.fenceBroker(stale, this.mode === 'kraft' ? 'session-timeout' : 'zk-session-expired');
    this.scheduleSessionCheck();
  }

  // -- broker liveness: ZooKeeper ------------------------------------------------------------------

  private onZkSession(msg: Envelope<ZkSessionRequest>): void {
    const { brokerId, incarnationId, op, correlationId } = msg.body;
    const reg = this.image.brokers.get(brokerId);
    const reply = (error: ErrorCode, brokerEpoch = -1): void =>
      this.reply(msg, { kind: 'zk-session-response', correlationId, error, brokerEpoch });
    if (op === 'open') {
      // the ephemeral /brokers/ids/<id> of a previous session exists until that session expires
      if (reg && reg.incarnationId !== incarnationId && this.hasValidSession(brokerId)) return reply('DUPLICATE_BROKER_REGISTRATION');
      if (reg && reg.incarnationId === incarnationId && !reg.fenced) return reply('NONE', reg.epoch);
      if (reg && !reg.fenced) this.fenceBroker(brokerId, 'zk-session-expired');
      const brokerEpoch = this.log.length;
      this.commit([{ type: 'register-broker', brokerId, brokerEpoch, incarnationId, fenced: false }]);
      this.lastContactUs.set(brokerId, this.ctx.now);
      this.emit({ t: this.ctx.now, type: 'broker-registered', broker: brokerId, epoch: brokerEpoch });
      this.onBrokerStartup();
      this.scheduleSessionCheck();
      return reply('NONE', brokerEpoch);
    }
    if (!reg || reg.incarnationId !== incarnationId || reg.fenced) return reply('STALE_BROKER_EPOCH');
    if (op === 'ping') {
      this.lastContactUs.set(brokerId, this.ctx.now);
      this.scheduleSessionCheck();
      return reply('NONE', reg.epoch);
    }
    // close: a clean shutdown deletes the ephemeral node at once (KafkaController.onBrokerFailure)
    this.fenceBroker(brokerId, 'zk-session-closed');
    reply('NONE', reg.epoch);
  }

  /** ZK KafkaController.doControlledShutdown: move leaderships, drop from ISRs, report what is left. */
  private onZkControlledShutdown(msg: Envelope<ControlledShutdownRequest>): void {
    const { brokerId, brokerEpoch, correlationId } = msg.body;
    const reg = this.image.brokers.get(brokerId);
    if (!reg || reg.epoch !== brokerEpoch) {
      return this.reply(msg, { kind: 'controlled-shutdown-response', correlationId, error: 'STALE_BROKER_EPOCH', remainingPartitions: [] });
    }
    if (!reg.inControlledShutdown) this.enterControlledShutdown(brokerId);
    const remaining = this.ledPartitions(brokerId).map((idx) => ({ topic: this.cluster.names.topics[idx], partition: this.cluster.names.partitions[idx] }));
    this.reply(msg, { kind: 'controlled-shutdown-response', correlationId, error: 'NONE', remainingPartitions: remaining });
  }

  /** ZK onBrokerStartup → triggerOnlinePartitionStateChange: every offline partition gets another election. */
  private onBrokerStartup(): void {
    this.electLeaderless('broker-startup');
  }

  // -- fencing, unfencing, controlled shutdown ---------------------------------------------------

  /**
   * ReplicationControlManager.handleBrokerFenced (ZK: onBrokerFailure): the broker leaves every ISR
   * it is in (unless it is the last member) and every leadership it holds moves.
   */
  fenceBroker(brokerId: number, reason: FenceReason): void {
    const reg = this.image.brokers.get(brokerId);
    if (!reg || reg.fenced) return;
    this.commit([{ type: 'broker-change', brokerId, brokerEpoch: reg.epoch, fenced: true }]);
    this.emit({ t: this.ctx.now, type: 'broker-fenced', broker: brokerId, reason });
    this.removeFromIsrsAndElect(brokerId, `broker-${reason}`);
    this.scheduleSessionCheck();
  }

  /**
   * handleBrokerUnfenced: the broker is usable again; every leaderless partition tries an election
   * (brokersToIsrs.partitionsWithNoLeader, not only the broker's own: an unclean one may now be due).
   */
  private unfenceBroker(brokerId: number): void {
    const reg = this.image.brokers.get(brokerId)!;
    this.commit([{ type: 'broker-change', brokerId, brokerEpoch: reg.epoch, fenced: false }]);
    this.emit({ t: this.ctx.now, type: 'broker-unfenced', broker: brokerId });
    this.electLeaderless('broker-unfenced');
  }

  /** handleBrokerInControlledShutdown: leaderships move first, then the broker may stop. */
  private enterControlledShutdown(brokerId: number): void {
    const reg = this.image.brokers.get(brokerId)!;
    this.commit([{ type: 'broker-change', brokerId, brokerEpoch: reg.epoch, inControlledShutdown: true }]);
    this.emit({ t: this.ctx.now, type: 'broker-controlled-shutdown', broker: brokerId });
    this.removeFromIsrsAndElect(brokerId, 'controlled-shutdown');
    this.controlledShutdownOffset.set(brokerId, this.log.length - 1);
  }

  /** generateLeaderAndIsrUpdates: for each partition the broker is in the ISR of, or leads. */
  private removeFromIsrsAndElect(brokerId: number, reason: string): void {
    const changes: MetadataRecord[] = [];
    for (const idx of this.image.partitionIndexes()) {
      const p = this.image.partition(idx)!;
      if (!p.isr.includes(brokerId) && p.leader !== brokerId) continue;
      const targetIsr = isrWithout(p.isr, brokerId);
      const next = this.elect(p, targetIsr, this.uncleanAllowed(p.topic) ? 'UNCLEAN' : 'ONLINE', reason);
      if (next) changes.push(next);
    }
    this.commit(changes);
  }

  /** Elections for every leaderless partition (only those whose topic allows unclean ones, if `onlyUnclean`). */
  private electLeaderless(reason: string, onlyUnclean = false): number {
    const changes: MetadataRecord[] = [];
    for (const idx of this.image.partitionIndexes()) {
      const p = this.image.partition(idx)!;
      if (p.leader !== NO_LEADER) continue;
      const unclean = this.uncleanAllowed(p.topic);
      if (onlyUnclean && !unclean) continue;
      const next = this.elect(p, p.isr, unclean ? 'UNCLEAN' : 'ONLINE', reason);
      if (next) changes.push(next);
    }
    this.commit(changes);
    return changes.length;
  }

  /** Runs an election and returns the changed registration (undefined if nothing changed). */
  private elect(p: PartitionRegistration, targetIsr: number[], type: ElectionType, reason: string): PartitionRegistration | undefined {
    if (isReassigning(p)) return this.change(p, p, targetIsr, type, reason);
    const r = electLeader(p, targetIsr, (b) => this.image.isActive(b), type);
    const recovery = r.unclean ? 'RECOVERING' : p.leaderRecoveryState;
    const next = partitionChange(p, r.isr, r.leader, recovery, shrinkBumpsLeaderEpoch(this.mode, 'controller', this.cluster.spec.isrShrinkBumpsLeaderEpoch === true));
    if (next) this.pendingReasons.set(this.cluster.names.index(p.topic, p.partition), { reason, unclean: r.unclean });
    return next;
  }

  /**
   * PartitionChangeBuilder.build for a partition with a reassignment: `staged` is `p` with the
   * reassignment's replicas (p itself when it is under way). The reassignment completes if the
   * target ISR holds every target replica (completeReassignmentIfNeeded), then the election runs on
   * the resulting replicas and ISR, and the leader epoch is bumped when replicas left
   * (triggerLeaderEpochBumpForReplicaReassignmentIfNeeded).
   */
  private change(
    p: PartitionRegistration, staged: PartitionRegistration, targetIsr: number[], type: ElectionType, reason: string,
    recovery?: PartitionRegistration['leaderRecoveryState'],
  ): PartitionRegistration | undefined {
    const done = completedReassignment(staged, targetIsr);
    const base = done ? { ...withoutReassignment(staged), replicas: done.replicas } : staged;
    const r = electLeader(base, done ? done.isr : targetIsr, (b) => this.image.isActive(b), type);
    const leaderChanged = r.leader !== p.leader;
    const replicasLeft = p.replicas.some((b) => !base.replicas.includes(b));
    // an ISR shrink bumps it too where partitionChange's rule says so (KRaft before 3.6, the ZK controller's own)
    const shrank = p.isr.some((b) => !r.isr.includes(b))
      && shrinkBumpsLeaderEpoch(this.mode, reason === 'alter-partition' ? 'alter-partition' : 'controller', this.cluster.spec.isrShrinkBumpsLeaderEpoch === true);
    const next: PartitionRegistration = {
      ...base, isr: r.isr, leader: r.leader,
      leaderEpoch: leaderChanged || (replicasLeft && this.mode === 'kraft') || shrank ? p.leaderEpoch + 1 : p.leaderEpoch,
      partitionEpoch: p.partitionEpoch + 1,
      leaderRecoveryState: recovery ?? (r.unclean ? 'RECOVERING' : p.leaderRecoveryState),
    };
    if (this.mode === 'zookeeper') next.leaderEpoch = zkReassignmentLeaderEpoch(p, next, targetIsr, reason === 'reassignment') ?? next.leaderEpoch;
    const same = !leaderChanged && sameMembers(next.isr, p.isr) && sameMembers(next.replicas, p.replicas)
      && next.leaderRecoveryState === p.leaderRecoveryState && isReassigning(next) === isReassigning(p);
    if (same) return undefined;
    this.pendingReasons.set(this.cluster.names.index(p.topic, p.partition), { reason, unclean: r.unclean });
    return next;
  }

  /**
   * kafka-reassign-partitions --execute (ReplicationControlManager.changePartitionReassignment): the
   * target's new replicas are added at once; the rest waits for them to join the ISR.
   */
  reassign(idx: number, target: number[]): { error: ErrorCode; message?: string } {
    const p = this.image.partition(idx);
    if (!p) return { error: 'UNKNOWN_TOPIC_OR_PARTITION', message: `partition ${this.cluster.names.names[idx] ?? idx} does not exist` };
    const missing = target.find((b) => !this.image.brokers.has(b));
    if (missing !== undefined) {
      return { error: 'INVALID_REPLICA_ASSIGNMENT', message: `The manual partition assignment includes broker ${missing}, but no such broker is registered.` };
    }
    const rr = this.mode === 'zookeeper' ? zkReassignmentReplicas(p, target) : reassignmentReplicas(p.replicas, target);
    const staged: PartitionRegistration = {
      ...withoutReassignment(p), replicas: rr.replicas,
      ...(rr.adding.length > 0 ? { addingReplicas: rr.adding } : {}),
      ...(rr.removing.length > 0 ? { removingReplicas: rr.removing } : {}),
    };
    const next = this.change(p, staged, p.isr, 'ONLINE', 'reassignment');
    this.commit(next ? [next] : []);
    return { error: 'NONE' };
  }

  /** unclean.leader.election.enable of the topic; a KRaft controller before 3.9 never reads it (KAFKA-12670). */
  private uncleanAllowed(topic: string): boolean {
    if (this.mode === 'kraft' && !this.behaviours.kraftUncleanElectionConfig) return false;
    return topicBoolean('unclean.leader.election.enable', this.image, topic, -1, this.staticConfig);
  }

  private leadsAnything(brokerId: number): boolean {
    return this.ledPartitions(brokerId).length > 0;
  }

  private ledPartitions(brokerId: number): number[] {
    return this.image.partitionIndexes().filter((idx) => this.image.partition(idx)!.leader === brokerId);
  }

  // -- AlterPartition ------------------------------------------------------------------------------

  /** ReplicationControlManager.alterPartition with validateAlterPartitionData. */
  private onAlterPartition(msg: Envelope<AlterPartitionRequest>): void {
    const req = msg.body;
    const reg = this.image.brokers.get(req.brokerId);
    if (!reg || reg.epoch !== req.brokerEpoch) {
      return this.reply(msg, { kind: 'alter-partition-response', correlationId: req.correlationId, error: 'STALE_BROKER_EPOCH', partitions: [] });
    }
    const changes: MetadataRecord[] = [];
    const partitions = req.partitions.map((item) => {
      const idx = this.cluster.names.find(item.topic, item.partition);
      const p = idx < 0 ? undefined : this.image.partition(idx);
      const answer = (error: ErrorCode, q: PartitionRegistration | undefined = p) => ({
        topic: item.topic, partition: item.partition, error,
        leaderId: q?.leader ?? NO_LEADER, leaderEpoch: q?.leaderEpoch ?? -1, isr: q ? [...q.isr] : [], partitionEpoch: q?.partitionEpoch ?? -1,
      });
      if (!p) return answer('UNKNOWN_TOPIC_OR_PARTITION');
      if (p.leader !== req.brokerId) return answer('NOT_LEADER_OR_FOLLOWER');
      if (item.leaderEpoch !== p.leaderEpoch) return answer('FENCED_LEADER_EPOCH');
      if (item.partitionEpoch !== p.partitionEpoch) return answer('INVALID_UPDATE_VERSION');
      const newIsr = item.newIsrWithEpochs.map((m) => m.brokerId);
      if (!newIsr.includes(p.leader) || newIsr.some((b) => !p.replicas.includes(b))) return answer('INVALID_REQUEST');
      // KIP-841/KIP-903: every member must be active and at the broker epoch the leader saw
      const ineligible = item.newIsrWithEpochs.some((m) => {
        if (m.brokerId === req.brokerId) return false;
        const b = this.image.brokers.get(m.brokerId);
        return !b || b.fenced || b.inControlledShutdown || (m.brokerEpoch !== -1 && m.brokerEpoch !== b.epoch);
      });
      if (ineligible) return answer('INELIGIBLE_REPLICA');
      const next = isReassigning(p)
        ? this.change(p, p, newIsr, 'ONLINE', 'alter-partition', 'RECOVERED')
        : partitionChange(p, newIsr, p.leader, 'RECOVERED', shrinkBumpsLeaderEpoch(this.mode, 'alter-partition', this.cluster.spec.isrShrinkBumpsLeaderEpoch === true));
      if (!next) return answer('NONE');
      if (!isReassigning(p)) this.pendingReasons.set(idx, { reason: 'alter-partition', unclean: false });
      changes.push(next);
      return answer('NONE', next);
    });
    this.commit(changes);
    this.reply(msg, { kind: 'alter-partition-response', correlationId: req.correlationId, error: 'NONE', partitions });
  }

  // -- administrative operations (kafka-leader-election, kafka-configs, kafka-topics) ----------------

  /** kafka-leader-election.sh: PREFERRED or UNCLEAN elections for the named partitions. */
  electLeaders(partitions: number[], type: 'preferred' | 'unclean'): { partition: string; error: ErrorCode }[] {
    const changes: MetadataRecord[] = [];
    const results = partitions.map((idx) => {
      const p = this.image.partition(idx);
      const partition = this.cluster.names.names[idx];
      if (!p) return { partition, error: 'UNKNOWN_TOPIC_OR_PARTITION' as ErrorCode };
      if (type === 'preferred' && p.leader === p.replicas[0]) return { partition, error: 'ELECTION_NOT_NEEDED' as ErrorCode };
      if (type === 'unclean' && p.leader !== NO_LEADER) return { partition, error: 'ELECTION_NOT_NEEDED' as ErrorCode };
      const next = this.elect(p, p.isr, type === 'preferred' ? 'PREFERRED' : 'UNCLEAN', `elect-leaders-${type}`);
      if (!next || next.leader === p.leader) {
        return { partition, error: (type === 'preferred' ? 'PREFERRED_LEADER_NOT_AVAILABLE' : 'ELIGIBLE_LEADERS_NOT_AVAILABLE') as ErrorCode };
      }
      changes.push(next);
      return { partition, error: 'NONE' as ErrorCode };
    });
    this.commit(changes);
    return results;
  }

  /** kafka-configs --alter: ConfigRecords; enabling unclean election triggers one at once. */
  alterConfig(resource: 'topic' | 'broker', name: string, set: ConfigMap, remove: string[]): void {
    const records: MetadataRecord[] = [];
    for (const key of Object.keys(set).sort()) records.push({ type: 'config', resource, name, key, value: scalar(set[key]) });
    for (const key of [...remove].sort()) records.push({ type: 'config', resource, name, key, value: null });
    this.commit(records);
    if (set['unclean.leader.election.enable'] === true && this.mode === 'zookeeper') {
      // ZK: TopicConfigHandler → KafkaController.enableTopicUncleanLeaderElection. KRaft has no such
      // hook: the periodic maybeElectUncleanLeaders (deferred-task.ts) elects at its next run
      this.electLeaderless('unclean-enabled', true);
    }
    this.scheduleSessionCheck();
  }

  /** kafka-topics --alter --partitions: grow a topic; shrinking is InvalidPartitionsException. */
  addPartitions(topic: string, count: number): { error: ErrorCode; message?: string } {
    const t = this.image.topics.get(topic);
    if (!t) return { error: 'UNKNOWN_TOPIC_OR_PARTITION', message: `topic ${topic} does not exist` };
    const current = t.partitions.length;
    if (count < current) return { error: 'INVALID_PARTITIONS', message: `Topic currently has ${current} partitions, which is higher than the requested ${count}.` };
    if (count === current) return { error: 'INVALID_PARTITIONS', message: `Topic already has ${current} partitions.` };
    const first = this.image.partition(t.partitions[0])!;
    const brokers = this.brokerIds();
    let assignment: number[][];
    try {
      assignment = this.place(count - current, first.replicas.length, current, brokers.indexOf(first.replicas[0]));
    } catch (e) {
      if (e instanceof PlacementError) return { error: e.code, message: e.message };
      throw e;
    }
    const records: MetadataRecord[] = assignment.map((replicas, i) => {
      const isr = replicas.filter((b) => this.image.isActive(b));
      return {
        type: 'partition', topic, partition: current + i, replicas, isr: isr.length > 0 ? isr : [...replicas],
        leader: isr.length > 0 ? isr[0] : NO_LEADER, leaderEpoch: 0, partitionEpoch: 0, leaderRecoveryState: 'RECOVERED',
      };
    });
    this.commit(records);
    return { error: 'NONE' };
  }

  // -- periodic tasks -----------------------------------------------------------------------------

  /**
   * KRaft: the rebalance and unclean-election tasks schedule themselves after every write
   * (deferred-task.ts). ZooKeeper: the rebalance runs 5 s after the controller starts, then
   * leader.imbalance.check.interval.seconds after each run (KafkaController.onControllerFailover,
   * processAutoPreferredReplicaLeaderElection); unclean elections happen at events, not periodically.
   */
  private schedulePeriodicTasks(): void {
    if (this.mode === 'kraft') {
      this.maybeScheduleTasks();
      return;
    }
    const check = (): void => {
      if (this.stopped) return;
      this.autoRebalance();
      this.ctx.after(this.num('leader.imbalance.check.interval.seconds') * 1_000_000, check);
    };
    this.ctx.after(ZK_FIRST_REBALANCE_CHECK_US, check);
  }

  /** QuorumController: what ControllerWriteEvent.run does after every write. */
  private maybeScheduleTasks(): void {
    if (this.mode !== 'kraft' || this.stopped) return;
    this.balanceTask.maybeSchedule();
    this.uncleanTask.maybeSchedule();
  }

  /**
   * auto.leader.rebalance.enable. KRaft (maybeBalancePartitionLeaders): every partition not led by
   * replicas[0] gets a PREFERRED election, up to 1000 per pass. ZK (checkAndTriggerAutoLeaderRebalance):
   * per preferred broker, only when its share of partitions led elsewhere exceeds
   * leader.imbalance.per.broker.percentage.
   */
  private autoRebalance(): number {
    if (!this.bool('auto.leader.rebalance.enable')) return 0;
    let candidates = this.image.partitionIndexes().filter((idx) => {
      const p = this.image.partition(idx)!;
      return p.leader !== p.replicas[0] && p.isr.includes(p.replicas[0]) && this.image.isActive(p.replicas[0]);
    });
    if (this.mode === 'zookeeper') {
      const pct = this.num('leader.imbalance.per.broker.percentage');
      candidates = candidates.filter((idx) => {
        const preferred = this.image.partition(idx)!.replicas[0];
        const all = this.image.partitionIndexes().filter((j) => this.image.partition(j)!.replicas[0] === preferred);
        const notLed = all.filter((j) => this.image.partition(j)!.leader !== preferred);
        return notLed.length * 100 > pct * all.length;
      });
    }
    if (candidates.length === 0) return 0;
    const changes: MetadataRecord[] = [];
    for (const idx of candidates.slice(0, MAX_ELECTIONS_PER_RUN)) {
      const next = this.elect(this.image.partition(idx)!, this.image.partition(idx)!.isr, 'PREFERRED', 'auto-rebalance');
      if (next) changes.push(next);
    }
    this.commit(changes);
    return changes.length;
  }

  // -- tracing --------------------------------------------------------------------------------------

  /** One partition-change line per committed change (the controller's truth), plus the named events. */
  private traceRecord(r: MetadataRecord, before: PartitionRegistration | undefined): void {
    if (r.type !== 'partition') return;
    const now = this.ctx.now;
    const idx = this.cluster.names.index(r.topic, r.partition);
    const partition = this.cluster.names.names[idx];
    const why = this.pendingReasons.get(idx);
    this.pendingReasons.delete(idx);
    const leader = r.leader === NO_LEADER ? null : r.leader;
    const replicasChanged = !before || !sameMembers(before.replicas, r.replicas);
    this.emit({
      t: now, type: 'partition-change', partition, leader, epoch: r.leaderEpoch, partitionEpoch: r.partitionEpoch,
      isr: r.isr, replicas: replicasChanged ? r.replicas : undefined, reason: why?.reason,
      ...(r.addingReplicas ? { adding: r.addingReplicas } : {}), ...(r.removingReplicas ? { removing: r.removingReplicas } : {}),
    });
    if (!before) return;
    if (isReassigning(r) && !isReassigning(before)) {
      this.emit({ t: now, type: 'reassignment-started', partition, replicas: r.replicas.filter((b) => !r.removingReplicas?.includes(b)), adding: r.addingReplicas ?? [], removing: r.removingReplicas ?? [] });
    }
    if (!isReassigning(r) && isReassigning(before)) this.emit({ t: now, type: 'reassignment-completed', partition, replicas: r.replicas, removed: before.removingReplicas ?? [] });
    if (why?.reason === 'reassignment' && !isReassigning(r) && !isReassigning(before)) {
      // a target the ISR already satisfies (fewer replicas, or the same ones reordered) completes in
      // the change that starts it (ReplicationControlManager.changePartitionReassignment, steps 1-2 skipped)
      const removed = before.replicas.filter((b) => !r.replicas.includes(b));
      this.emit({ t: now, type: 'reassignment-started', partition, replicas: r.replicas, adding: [], removing: removed });
      this.emit({ t: now, type: 'reassignment-completed', partition, replicas: r.replicas, removed });
    }
    if (r.leader !== before.leader) {
      if (r.leader === NO_LEADER) {
        this.emit({ t: now, type: 'leader-none', partition, epoch: r.leaderEpoch, isr: r.isr, previous: before.leader });
      } else {
        const clean = why?.unclean !== true;
        this.emit({
          t: now, type: 'leader-elected', partition, leader: r.leader, epoch: r.leaderEpoch, clean,
          previous: before.leader === NO_LEADER ? null : before.leader, reason: why?.reason,
        });
        if (!clean) this.emit({ t: now, type: 'unclean-election', partition, leader: r.leader, epoch: r.leaderEpoch });
      }
    }
    const removed = before.isr.filter((b) => !r.isr.includes(b));
    const added = r.isr.filter((b) => !before.isr.includes(b));
    if (removed.length > 0 && !sameMembers(before.isr, r.isr)) {
      this.emit({ t: now, type: 'isr-shrink', partition, isr: r.isr, removed, reason: why?.reason });
    }
    if (added.length > 0) this.emit({ t: now, type: 'isr-expand', partition, isr: r.isr, added, reason: why?.reason });
  }

  // -- config of the controller itself ---------------------------------------------------------------

  private num(name: string): number {
    return brokerNumber(name, this.image, -1, this.staticConfig);
  }

  private bool(name: string): boolean {
    return brokerBoolean(name, this.image, -1, this.staticConfig);
  }

  private brokerIds(): number[] {
    return [...this.image.brokers.keys()].sort((a, b) => a - b);
  }
}

function scalar(v: ConfigValue): number | boolean | string {
  return Array.isArray(v) ? v.join(',') : v;
}
