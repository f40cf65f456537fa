// The simulation facade: builds a cluster from a ClusterSpec (engine, network, controller, brokers),
// takes the parts it is assembled from (parts.ts: faults, ledger and invariant checks, clients,
// observers; assemble-simulation.ts installs them), schedules the scenario's timeline (drawing
// `between` moments at the start and resolving broker choices as each step runs), runs it, and
// answers pure-read queries for the CLI, the expectations and the front end. The queries read the
// controller's committed metadata (what `kafka-topics --describe` prints) and each broker's own logs;
// they never change the run.

import { RandomStreams, Scheduler, TraceRecorder, type TraceEvent } from '../engine/index.ts';
import type { HashFactory, TraceSink } from '../engine/trace.ts';
import { Broker } from './broker.ts';
import { Cluster } from './cluster.ts';
import type { ConfigMap } from './config.ts';
import type { ProducerErrorReason } from './client-observer.ts';
import { Controller } from './controller.ts';
import type { MetadataImage } from './metadata-image.ts';
import { ControllerQuorum } from './controller-quorum.ts';
import type { LedgerFilter, LedgerPort, LedgerSummary, LostRecord } from './ledger-port.ts';
import { Network } from './network.ts';
import { InstalledParts, type ActionHandler, type SimulationPart } from './parts.ts';
import { NO_LEADER } from './protocol.ts';
import { isReassigning } from './reassignment.ts';
import { brokerChoiceOf, parsePartitionName, timelineStream, withChosenBrokers, type Action, type BrokerChoice, type ClusterSpec, type TimelineStep } from './spec.ts';

export interface SimulationOptions {
  /** Maximum events of the run (the engine's default if unset). */
  eventLimit?: number;
  /** Keep every trace event in memory (default true). */
  keepTrace?: boolean;
  /** Receives each trace line, and its event, as it is recorded (keepTrace: false and a sink stream a long run). */
  traceSink?: TraceSink;
  /**
   * false: no trace at all (no JSONL, no hash; event counts still work). For sweeps and exploration,
   * where serialising and hashing every event would be most of the cost. Default true.
   */
  trace?: boolean;
  /** The trace's SHA-256 implementation (default: @noble/hashes, which runs everywhere). */
  traceHash?: HashFactory;
}

export interface ReplicaView {
  broker: number;
  logEndOffset: number;
  highWatermark: number;
  /** The broker's process state; a crashed broker's log is what its disk holds. */
  state: BrokerView['state'];
}

export interface PartitionView {
  name: string;
  topic: string;
  partition: number;
  /** The controller's committed metadata. */
  leader: number | null;
  leaderEpoch: number;
  partitionEpoch: number;
  replicas: number[];
  isr: number[];
  leaderRecoveryState: 'RECOVERED' | 'RECOVERING';
  /** A reassignment in progress (KIP-455): the replicas it adds and will remove (absent when none). */
  adding?: number[];
  removing?: number[];
  /** The leader's HW, null without a leader. */
  highWatermark: number | null;
  /** The leader's log start offset (what ListOffsets EARLIEST answers), null without a leader. */
  logStartOffset: number | null;
  /** Per assigned broker, in assignment order. */
  brokers: ReplicaView[];
}

export interface TopicView {
  name: string;
  partitionCount: number;
  replicationFactor: number;
  /** Topic configs set on the topic (scenario or alter-config), i.e. the non-default ones. */
  configs: ConfigMap;
  partitions: PartitionView[];
}

/** A controller quorum as kafka-metadata-quorum describe --status reports it (QuorumInfo). */
export interface QuorumView {
  /** The voter id (N of controller-N) of the active controller, or null while none is active. */
  leaderId: number | null;
  /** The newest quorum epoch a running voter is in. */
  leaderEpoch: number;
  /** The active controller's high watermark (committed metadata records), else the highest a voter knows. */
  highWatermark: number;
  /** While there is no active controller: since when (the active one crashed, was cut off, resigned…). */
  noActiveSinceUs?: number;
  voters: { id: number; node: string; state: 'down' | 'unattached' | 'voted' | 'candidate' | 'leader' | 'follower' | 'resigned'; active: boolean; epoch: number; logEndOffset: number; highWatermark: number }[];
}

export interface BrokerView {
  id: number;
  state: 'running' | 'crashed' | 'paused' | 'stopped';
  /** As the controller's metadata has it (ZooKeeper mode: not registered). */
  fenced: boolean;
  inControlledShutdown: boolean;
  brokerEpoch: number;
}

export interface EventFilter {
  partition?: string;
  broker?: number;
  /** The consumer group the event is about (its `group` field). */
  group?: string;
  /** The client the event is about (its `client` field): a consumer or a producer id. */
  client?: string;
  /** Its `reason` field (offset resets, truncations, ISR changes, …). */
  reason?: string;
}

/** What a watch saw of the events that match it: how many, and when the first and the last were. */
export interface EventWatch {
  count: number;
  /** −1 until one matched. */
  firstUs: number;
  lastUs: number;
}

interface Watch extends EventWatch {
  filter: EventFilter;
}

function matchesFilter(e: TraceEvent, f: EventFilter): boolean {
  return (f.partition === undefined || e.partition === f.partition) && (f.broker === undefined || e.broker === f.broker)
    && (f.group === undefined || e.group === f.group) && (f.client === undefined || e.client === f.client)
    && (f.reason === undefined || e.reason === f.reason);
}

/** The count of one event type (an object, so counting is one map lookup and an increment). */
interface TypeTally {
  total: number;
}

/**
 * A TraceRecorder that also counts events by type and feeds the watches an expectation asked for
 * before the run (any filter, with the first and last time), for expectations. It sees every event,
 * with or without a trace. Counts by partition or broker are a watch's: a tally of every event by both
 * would cost every run for questions nearly none asks.
 */
class TallyingTrace extends TraceRecorder {
  readonly tallies = new Map<string, TypeTally>();
  /** Event type → the watches on it. */
  readonly watches = new Map<string, Watch[]>();
  private tallied = 0;

  constructor(
    private readonly enabled: boolean,
    opts: { keep: boolean; sink?: TraceSink; hash?: HashFactory },
  ) {
    super(enabled ? opts : { keep: false });
  }

  override get count(): number {
    return this.tallied;
  }

  override hash(): string {
    if (!this.enabled) throw new Error('this simulation was created with trace: false, so it has no trace hash');
    return super.hash();
  }

  /** Without a trace, an event is read only by its type's count and any watch on its type. */
  override wants(type: string): boolean {
    return this.enabled || this.watches.has(type);
  }

  override skipped(type: string): void {
    this.tallied++;
    const tally = this.tallies.get(type);
    if (tally === undefined) this.tallies.set(type, { total: 1 });
    else tally.total++;
  }

  override record(e: TraceEvent): void {
    this.tallied++;
    if (this.enabled) super.record(e);
    const tally = this.tallies.get(e.type);
    if (tally === undefined) this.tallies.set(e.type, { total: 1 });
    else tally.total++;
    const watches = this.watches.get(e.type);
    if (watches === undefined) return;
    for (const w of watches) {
      if (!matchesFilter(e, w.filter)) continue;
      if (w.count++ === 0) w.firstUs = e.t;
      w.lastUs = e.t;
    }
  }
}

/** A choice as the trace shows it: `{choice: 'any-of', among: [1, 2, 3]}`, `{choice: 'leader-of', partition: 'orders-0'}`. */
function describeChoice(c: BrokerChoice): Record<string, unknown> {
  if (c.choose === 'any-of') return { choice: c.choose, among: c.brokers };
  if (c.choose === 'leader-of') return { choice: c.choose, partition: c.partition };
  return { choice: c.choose };
}

export class Simulation {
  readonly scheduler: Scheduler;
  readonly streams: RandomStreams;
  readonly trace: TraceRecorder;
  readonly network: Network;
  readonly cluster: Cluster;
  /** The single logical controller (`controllers: 1`), or undefined with a quorum. */
  private readonly single: Controller | undefined;
  /** The controller quorum (`controllers` > 1), or undefined. */
  readonly quorum: ControllerQuorum | undefined;
  /** The broker nodes by id (ascending). */
  readonly brokerNodes = new Map<number, Broker>();
  /** What this simulation was assembled from: its observers, actions, node faults, checks, ledger, groups. */
  readonly parts = new InstalledParts();
  private started = false;
  private ended = false;
  private readonly errors = new Map<string, Map<string, number>>();
  /** Producer → code and reason → error answers (batches) and the records they concerned. */
  private readonly errorRecords = new Map<string, Map<string, { code: string; reason: ProducerErrorReason | undefined; batches: number; records: number }>>();
  private readonly tally: TallyingTrace;

  constructor(
    readonly spec: ClusterSpec,
    readonly options: SimulationOptions = {},
  ) {
    this.scheduler = new Scheduler({ eventLimit: options.eventLimit, label: `scenario ${spec.name}, seed ${spec.seed}` });
    this.streams = new RandomStreams(spec.seed);
    this.tally = new TallyingTrace(options.trace ?? true, { keep: options.keepTrace ?? true, sink: options.traceSink, hash: options.traceHash });
    this.trace = this.tally;
    this.network = new Network(this.scheduler, this.streams, this.trace, spec.network);
    this.cluster = new Cluster(spec, this.scheduler, this.streams, this.trace, this.network, options.trace ?? true);
    if ((spec.controllers ?? 1) > 1) this.quorum = new ControllerQuorum(this.cluster, spec.controllers!);
    else this.single = new Controller(this.cluster);
    for (const id of [...spec.brokers].sort((a, b) => a - b)) this.brokerNodes.set(id, new Broker(this.cluster, id));
  }

  /**
   * The controller whose metadata the queries and the operator's tools see: the single one, or the
   * quorum's active controller (the last active one while there is none).
   */
  get controller(): Controller {
    return this.single ?? this.quorum!.controller;
  }

  /**
   * The committed metadata the queries read (what `kafka-topics --describe` prints): the single
   * controller's image, or a quorum's records up to its high watermark (not what an active
   * controller has appended and a majority does not hold yet).
   */
  get metadata(): MetadataImage {
    return this.single ? this.single.image : this.quorum!.committed;
  }

  /** The checks part's ledger (every record's life), or one that says it is missing. */
  get ledger(): LedgerPort {
    return this.parts.ledger;
  }

  /**
   * Adds one part (assembleSimulation does this, before start). Its observers watch the model from
   * now on, after those of earlier parts, so the order of installation is the order they are called in.
   */
  install(part: SimulationPart): void {
    if (this.started) throw new Error('a part is installed before the simulation starts');
    this.parts.add(part);
    for (const o of part.observers ?? []) this.cluster.observe(o);
    for (const ext of part.brokerExtensions ?? []) this.cluster.addBrokerExtension(ext);
    const afterEach = this.parts.afterEachEvent;
    if (afterEach.length === 1) this.scheduler.afterEach = afterEach[0];
    else if (afterEach.length > 1) this.scheduler.afterEach = () => afterEach.forEach((check) => check());
  }

  /** Starts the cluster at t=0 and schedules the timeline (assembleSimulation does this, once). */
  start(): void {
    if (this.started) throw new Error('the simulation has started already');
    this.started = true;
    const quorum = this.quorum?.nodes.map((n) => n.name);
    this.cluster.emit({
      t: 0, type: 'cluster-started', brokers: this.spec.brokers, controller: this.spec.controller, protocol: this.spec.replicationProtocol,
      ...(quorum ? { controllers: quorum } : {}),
    });
    const controller = this.quorum ? this.quorum.bootstrap() : this.single!;
    if (!this.quorum) controller.bootstrap();
    for (const b of this.brokerNodes.values()) b.bootstrap(controller.log);
    this.scheduleTimeline();
  }

  private scheduleTimeline(): void {
    const missing = this.spec.timeline.filter((s) => s.action && this.parts.actions[s.action.type] === undefined).map((s) => s.action!.type);
    if (missing.length > 0) {
      throw new Error(
        `no handler for timeline action(s) ${[...new Set(missing)].join(', ')}: assemble the simulation with the faults part ` +
          '(sim/faults: brokers and network) and the clients part (sim/kafka/clients)',
      );
    }
    // A `between` moment is drawn now, from the step's own stream, so no other stream moves (determinism: test/architecture.test.ts).
    this.spec.timeline.forEach((step, i) => {
      const index = step.index ?? i;
      const atUs = step.between ? this.streams.stream(timelineStream(index)).between(step.between.minUs, step.between.maxUs) : step.atUs;
      this.scheduler.at(atUs, () => this.runStep(step, index));
    });
  }

  private runStep(step: TimelineStep, index: number): void {
    const action = step.action;
    if (step.note !== undefined) this.cluster.emit({ t: this.now, type: 'note', text: step.note, action: action?.type });
    const choice = brokerChoiceOf(action);
    if (step.between === undefined && choice === undefined) {
      if (action) this.act(action, step);
      return;
    }
    // What was drawn or chosen is traced, so a run's story says which broker went down and when.
    const drawn = { t: this.now, step: index, action: action?.type, ...(step.between ? { between: [step.between.minUs, step.between.maxUs] } : {}) };
    const chosen = choice && this.chooseBrokers(choice, index);
    if (typeof chosen === 'string') {
      this.cluster.emit({ ...drawn, type: 'step-skipped', ...describeChoice(choice!), reason: chosen });
      return;
    }
    this.cluster.emit({ ...drawn, type: 'step-resolved', ...(choice ? { ...describeChoice(choice), brokers: chosen } : {}) });
    if (action) this.act(chosen ? withChosenBrokers(action, chosen) : action, step);
  }

  private act(action: Action, step: TimelineStep): void {
    // each handler is typed for its own action; this one is the handler of action.type
    (this.parts.actions[action.type] as ActionHandler)(this, action, step);
  }

  /** The brokers a choice names now (ascending), or why it names none. */
  private chooseBrokers(choice: BrokerChoice, index: number): number[] | string {
    switch (choice.choose) {
      case 'any-of':
        return [this.streams.stream(timelineStream(index)).pick(choice.brokers)];
      case 'leader-of': {
        const p = this.partition(choice.partition);
        if (!p) return `${choice.partition} does not exist`;
        return p.leader === null ? `${choice.partition} has no leader` : [p.leader];
      }
      case 'crashed': {
        const down = [...this.brokerNodes.values()].filter((b) => b.status === 'crashed' || b.status === 'stopped').map((b) => b.id);
        return down.length > 0 ? down : 'no broker is crashed or stopped';
      }
    }
  }

  get now(): number {
    return this.scheduler.now;
  }

  runUntil(tUs: number): void {
    if (tUs > this.scheduler.now) this.scheduler.runUntil(tUs);
  }

  /** Runs to the scenario's duration, then the end-of-run checks, then (once) what the parts write at the end. */
  run(): void {
    this.runUntil(this.spec.durationUs);
    for (const check of this.parts.endOfRunChecks) check();
    if (this.ended) return;
    this.ended = true;
    for (const write of this.parts.atEnd) write();
  }

  broker(id: number): Broker {
    const b = this.brokerNodes.get(id);
    if (!b) throw new Error(`no broker ${id} (brokers are ${[...this.brokerNodes.keys()].join(', ')})`);
    return b;
  }

  // -- queries ------------------------------------------------------------------------------------

  topics(): TopicView[] {
    const image = this.metadata;
    return [...image.topics.keys()].sort().map((name) => {
      const t = image.topics.get(name)!;
      const partitions = t.partitions.map((idx) => this.partitionView(idx));
      // TopicCommand.getReplicationFactor: during a reassignment, the replicas less the ones being added
      const first = partitions[0];
      const replicationFactor = first ? first.replicas.length - (first.adding?.length ?? 0) : 0;
      return { name, partitionCount: partitions.length, replicationFactor, configs: { ...t.config }, partitions };
    });
  }

  /** One partition by its Kafka name ("orders-0"), or undefined. */
  partition(name: string): PartitionView | undefined {
    const p = parsePartitionName(name);
    if (!p) return undefined;
    const idx = this.metadata.topics.get(p.topic)?.partitions[p.partition];
    return idx === undefined ? undefined : this.partitionView(idx);
  }

  private partitionView(idx: number): PartitionView {
    const reg = this.metadata.partition(idx)!;
    const brokers = reg.replicas.map((id) => {
      const b = this.brokerNodes.get(id);
      const log = b?.disk.get(idx);
      return { broker: id, logEndOffset: log?.logEndOffset ?? 0, highWatermark: log?.highWatermark ?? 0, state: b?.status ?? 'stopped' };
    });
    const leaderLog = reg.leader === NO_LEADER ? undefined : this.brokerNodes.get(reg.leader)?.disk.get(idx);
    return {
      name: this.cluster.names.names[idx], topic: reg.topic, partition: reg.partition,
      leader: reg.leader === NO_LEADER ? null : reg.leader, leaderEpoch: reg.leaderEpoch, partitionEpoch: reg.partitionEpoch,
      replicas: [...reg.replicas], isr: [...reg.isr], leaderRecoveryState: reg.leaderRecoveryState,
      ...(isReassigning(reg) ? { adding: [...(reg.addingReplicas ?? [])], removing: [...(reg.removingReplicas ?? [])] } : {}),
      highWatermark: leaderLog ? leaderLog.highWatermark : null, logStartOffset: leaderLog ? leaderLog.logStartOffset : null, brokers,
    };
  }

  /** The controller quorum (`controllers` > 1), or undefined with the single controller. */
  quorumView(): QuorumView | undefined {
    const q = this.quorum;
    if (!q) return undefined;
    const active = q.activeNode();
    const voters = q.nodes.map((n) => ({
      id: n.id, node: n.name, state: q.isDown(n.name) ? 'down' as const : n.role, active: n === active, epoch: n.epoch,
      logEndOffset: n.records.length, highWatermark: n.highWatermark,
    }));
    const up = voters.filter((v) => v.state !== 'down');
    return {
      leaderId: active ? active.id : null,
      leaderEpoch: Math.max(0, ...up.map((v) => v.epoch)),
      highWatermark: active ? active.highWatermark : Math.max(0, ...voters.map((v) => v.highWatermark)),
      ...(q.noActiveControllerSinceUs !== undefined ? { noActiveSinceUs: q.noActiveControllerSinceUs } : {}),
      voters,
    };
  }

  brokers(): BrokerView[] {
    return [...this.brokerNodes.values()].map((b) => {
      const reg = this.metadata.brokers.get(b.id);
      return { id: b.id, state: b.status, fenced: reg?.fenced ?? true, inControlledShutdown: reg?.inControlledShutdown ?? false, brokerEpoch: reg?.epoch ?? -1 };
    });
  }

  ledgerSummary(filter?: LedgerFilter): LedgerSummary {
    return this.ledger.summary(filter);
  }

  lostRecords(filter?: LedgerFilter): LostRecord[] {
    return this.ledger.lostRecords(filter);
  }

  /** How many trace events of a type, optionally for one partition and/or broker. */
  /**
   * Watches events of `type` that match `filter` from now on: the returned object's count, first and
   * last times stay current as the run goes. Expectations set theirs up before the run starts.
   */
  watchEvents(type: string, filter: EventFilter = {}): EventWatch {
    const w: Watch = { filter, count: 0, firstUs: -1, lastUs: -1 };
    let list = this.tally.watches.get(type);
    if (list === undefined) this.tally.watches.set(type, (list = []));
    list.push(w);
    return w;
  }

  /** Events of a type so far (by partition, broker or anything else: watchEvents, set up before the run). */
  eventCount(type: string): number {
    return this.tally.tallies.get(type)?.total ?? 0;
  }

  /** Trace event counts by type, sorted by type. */
  eventCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of [...this.tally.tallies.keys()].sort()) out[k] = this.tally.tallies.get(k)!.total;
    return out;
  }

  /** For the clients: count a producer error by Kafka error code, with its records and which timeout it was. */
  recordProducerError(producer: string, code: string, records = 1, reason?: ProducerErrorReason): void {
    let m = this.errors.get(producer);
    if (!m) {
      m = new Map();
      this.errors.set(producer, m);
    }
    m.set(code, (m.get(code) ?? 0) + 1);
    let d = this.errorRecords.get(producer);
    if (!d) this.errorRecords.set(producer, (d = new Map()));
    const key = `${code} ${reason ?? ''}`;
    const c = d.get(key) ?? { code, reason, batches: 0, records: 0 };
    c.batches++;
    c.records += records;
    d.set(key, c);
  }

  /** Producer error answers (batches) and the records they concerned, over the producers, codes and reasons asked for. */
  producerErrorCount(filter: { producer?: string; code?: string; reason?: ProducerErrorReason } = {}): { batches: number; records: number } {
    const out = { batches: 0, records: 0 };
    for (const [producer, d] of this.errorRecords) {
      if (filter.producer !== undefined && producer !== filter.producer) continue;
      for (const c of d.values()) {
        if ((filter.code !== undefined && c.code !== filter.code) || (filter.reason !== undefined && c.reason !== filter.reason)) continue;
        out.batches += c.batches;
        out.records += c.records;
      }
    }
    return out;
  }

  /** Producer errors by producer, then code. */
  producerErrors(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const p of [...this.errors.keys()].sort()) {
      const m = this.errors.get(p)!;
      out[p] = {};
      for (const code of [...m.keys()].sort()) out[p][code] = m.get(code)!;
    }
    return out;
  }
}
