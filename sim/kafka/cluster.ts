// What every node of one simulation shares without it being Kafka state: the clock and queue, the
// random streams, the trace, the interned partition numbering, and the observers (ledger, invariant
// checks) that watch the model. Nothing here lets one node read another's state; that only travels
// in messages (network.ts).

import type { RandomStreams, Scheduler, TraceEvent, TraceRecorder } from '../engine/index.ts';
import type { Network } from './network.ts';
import type { ClusterSpec } from './spec.ts';
import type { RecordBatch } from './protocol.ts';
import type { ReplicaLog } from './log.ts';
import type { BrokerExtension } from './broker.ts';
import type { KafkaTraceEvent } from './trace-events.ts';

/** Interned numbering of partitions ("orders-0" ↔ 0, …): a naming table, not cluster knowledge. */
export class PartitionNames {
  private readonly byTopic = new Map<string, number[]>();
  readonly topics: string[] = [];
  readonly partitions: number[] = [];
  readonly names: string[] = [];

  /** The index of topic-partition, creating it on first use. */
  index(topic: string, partition: number): number {
    let list = this.byTopic.get(topic);
    if (list === undefined) {
      list = [];
      this.byTopic.set(topic, list);
    }
    let idx = list[partition];
    if (idx === undefined) {
      idx = this.names.length;
      list[partition] = idx;
      this.topics.push(topic);
      this.partitions.push(partition);
      this.names.push(`${topic}-${partition}`);
    }
    return idx;
  }

  /** The index if the partition was ever named, else −1. */
  find(topic: string, partition: number): number {
    return this.byTopic.get(topic)?.[partition] ?? -1;
  }

  get count(): number {
    return this.names.length;
  }
}

/** Why a replica's log was truncated, for the trace and the ledger's loss explanations. */
export type TruncationReason = 'diverging-epoch' | 'high-watermark' | 'offset-out-of-range' | 'power-loss' | 'disk-loss';

/** Why a replica's log start offset moved forward (log-start.ts). */
export type LogStartReason = 'retention-ms' | 'retention-bytes' | 'log-start-offset' | 'out-of-range';

/**
 * Hooks the model calls as state changes. sim/check's ledger and invariant checker implement them;
 * every hook is optional and a run without observers pays nothing.
 */
export interface ModelObserver {
  /** A batch reached `broker`'s log at `baseOffset` (as leader from a producer, or as follower). */
  appended?(broker: number, pidx: number, batch: RecordBatch, asLeader: boolean, log: ReplicaLog): void;
  /** Records [newEnd, oldEnd) left `broker`'s log; `removed` lists them. */
  truncated?(broker: number, pidx: number, newEnd: number, oldEnd: number, removed: RecordBatch[], reason: TruncationReason): void;
  /**
   * `broker`'s log start offset moved `from` → `to`: records [from, to) are no longer in its log
   * (retention deleted them, or a follower followed its leader's log start); `removed` lists them.
   */
  logStartAdvanced?(broker: number, pidx: number, from: number, to: number, removed: RecordBatch[], reason: LogStartReason): void;
  /** A replica's HW changed (forward, or down by truncation or restart). */
  highWatermark?(broker: number, pidx: number, hw: number, isLeader: boolean, leaderEpoch: number): void;
  /** `broker` became (or stopped being) the leader of `pidx` in `leaderEpoch`. */
  leadership?(broker: number, pidx: number, leaderEpoch: number, isLeader: boolean, log: ReplicaLog): void;
  /** A named trace event (not the per-message ones). */
  event?(e: TraceEvent): void;
}

export class Cluster {
  readonly names = new PartitionNames();
  private readonly observers: ModelObserver[] = [];
  // hot hooks resolved once, so the model calls at most one function per change
  onAppended: ModelObserver['appended'] = undefined;
  onTruncated: ModelObserver['truncated'] = undefined;
  onHighWatermark: ModelObserver['highWatermark'] = undefined;
  onLeadership: ModelObserver['leadership'] = undefined;
  onLogStartAdvanced: ModelObserver['logStartAdvanced'] = undefined;
  private onEvent: ModelObserver['event'] = undefined;

  constructor(
    readonly spec: ClusterSpec,
    readonly scheduler: Scheduler,
    readonly streams: RandomStreams,
    readonly trace: TraceRecorder,
    readonly network: Network,
    /**
     * False when the simulation keeps no trace (a sweep): events are still counted, so a busy event's
     * fields that only the trace's reader needs (a round trip's `u`) may be left out.
     */
    readonly traced = true,
  ) {}

  get now(): number {
    return this.scheduler.now;
  }

  private readonly extensions: BrokerExtension[] = [];
  private readonly extensionByKind = new Map<string, BrokerExtension>();

  /** Lets brokers serve more request kinds (the clients' group coordinator, …); Simulation.install calls it. */
  addBrokerExtension(ext: BrokerExtension): void {
    for (const k of ext.kinds) {
      if (this.extensionByKind.has(k)) throw new Error(`a broker extension already serves ${k}`);
      this.extensionByKind.set(k, ext);
    }
    this.extensions.push(ext);
  }

  brokerExtension(kind: string): BrokerExtension | undefined {
    return this.extensionByKind.get(kind);
  }

  brokerExtensions(): readonly BrokerExtension[] {
    return this.extensions;
  }

  /** Records a named trace event (one of the catalog's, trace-events.ts) and shows it to the observers. */
  emit(e: KafkaTraceEvent): void {
    this.trace.record(e);
    if (this.onEvent !== undefined) this.onEvent(e);
  }

  /** Records one of the busy events (an append, an HW move, a round trip) without showing it to the observers. */
  record(e: KafkaTraceEvent): void {
    this.trace.record(e);
  }

  /**
   * Whether anyone reads a busy event of this type (the trace, a watch). Without a trace, a sweep
   * would otherwise build a few events per record only to count them: the caller tells skipped().
   */
  wants(type: KafkaTraceEvent['type']): boolean {
    return this.trace.wants(type);
  }

  skipped(type: KafkaTraceEvent['type']): void {
    this.trace.skipped(type);
  }

  /** Adds a watcher of the model, called after the earlier ones; Simulation.install calls it. */
  observe(o: ModelObserver): void {
    this.observers.push(o);
    const all = this.observers;
    const fan = <K extends keyof ModelObserver>(k: K): ModelObserver[K] => {
      const hs = all.filter((x) => x[k] !== undefined);
      if (hs.length === 0) return undefined;
      if (hs.length === 1) return (hs[0][k] as (...a: unknown[]) => void).bind(hs[0]) as ModelObserver[K];
      return ((...args: unknown[]) => {
        for (const h of hs) (h[k] as (...a: unknown[]) => void).apply(h, args);
      }) as ModelObserver[K];
    };
    this.onAppended = fan('appended');
    this.onTruncated = fan('truncated');
    this.onHighWatermark = fan('highWatermark');
    this.onLeadership = fan('leadership');
    this.onLogStartAdvanced = fan('logStartAdvanced');
    this.onEvent = fan('event');
  }
}
