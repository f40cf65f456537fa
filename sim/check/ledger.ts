// The ledger of every record's life (design.md §4): created → sent → appended (broker, offset,
// epoch) → replicated → committed → acknowledged / failed → truncated (where, when, why) → consumed.
// The clients report creation, sending, acknowledgement, failure and consumption (as a
// ClientObserver, or through the record* calls); the model reports appends, truncations and HW moves
// (as a ModelObserver). At the end it says what was produced, acked, lost (acked and not in the
// current leader's log), duplicated and unavailable, and explains each lost record by the chain of
// events that lost it. A record's identity is (partition, producerId, sequence).

import type { TraceEvent } from '../engine/index.ts';
import { formatTime } from '../engine/index.ts';
import type {
  AckInfo,
  ExplanationStep,
  LedgerFilter,
  LedgerPort,
  LedgerSummary,
  LostRecord,
  ModelObserver,
  RecordBatch,
  ReplicaLog,
  Simulation,
  TruncationReason,
} from '../kafka/index.ts';
import type { BatchRef, ConsumedBatch } from '../kafka/clients/observer.ts';

/**
 * The records of one producer id in one partition, as parallel arrays indexed by sequence (Kafka's
 * sequences are per partition and contiguous from 0), so a long busy run costs tens of bytes per
 * record rather than an object and a string key each. −1 means "not yet".
 */
class RecordTable {
  producer?: string;
  readonly createdAt: number[] = [];
  readonly sentAt: number[] = [];
  readonly ackedAt: number[] = [];
  readonly ackOffset: number[] = [];
  readonly ackBroker: number[] = [];
  /** acks of the acknowledged batch: 0, 1 or −1 (all). */
  readonly ackAcks: number[] = [];
  readonly failedAt: number[] = [];
  readonly failCode = new Map<number, string>();
  readonly consumedBy = new Map<number, string[]>();

  constructor(
    readonly pidx: number,
    readonly producerId: number,
  ) {}

  has(seq: number): boolean {
    return (this.createdAt[seq] ?? -1) >= 0;
  }

  create(seq: number, now: number): void {
    for (const a of [this.createdAt, this.sentAt, this.ackedAt, this.ackOffset, this.ackBroker, this.ackAcks, this.failedAt]) {
      while (a.length <= seq) a.push(-1);
    }
    this.createdAt[seq] = now;
  }

  /** Sequences of the records created, ascending. */
  *sequences(): Generator<number> {
    for (let seq = 0; seq < this.createdAt.length; seq++) if (this.createdAt[seq] >= 0) yield seq;
  }

  isAcked(seq: number): boolean {
    return this.ackedAt[seq] >= 0;
  }
}

/** One record, read out of its table for an explanation. */
interface RecordView {
  pidx: number;
  producerId: number;
  sequence: number;
  producer?: string;
  createdAt: number;
  ackedAt: number;
  ack: { broker: number; offset: number };
  acks: number | string;
}

/** What happened to a partition's replicas, kept per batch for the life cycle and explanations. */
interface PartitionJournal {
  appends: { t: number; broker: number; baseOffset: number; count: number; epoch: number; producerId: number; baseSequence: number; leader: boolean }[];
  truncations: { t: number; broker: number; from: number; to: number; reason: TruncationReason; removed: RecordBatch[] }[];
  elections: { t: number; leader: number; epoch: number; clean: boolean }[];
}

export class Ledger implements LedgerPort, ModelObserver {
  /** Partition index → producer id → its records. */
  private readonly tables = new Map<number, Map<number, RecordTable>>();
  private readonly journals = new Map<number, PartitionJournal>();
  /** Broker life events (crash, power loss, restart, shutdown) for explanations. */
  private readonly brokerEvents: { t: number; broker: number; kind: ExplanationStep['kind'] }[] = [];
  /** Per producer and partition: the acks setting of its batches (from batchSent). */
  private readonly acksOf = new Map<string, number>();

  constructor(private readonly sim: Simulation) {}

  // -- the clients' calls ---------------------------------------------------------------------------

  recordCreated(topic: string, partition: number, producerId: number, sequence: number, producer?: string): void {
    const t = this.table(this.sim.cluster.names.index(topic, partition), producerId);
    if (producer !== undefined) t.producer = producer;
    if (!t.has(sequence)) t.create(sequence, this.sim.now);
  }

  recordSent(topic: string, partition: number, producerId: number, baseSequence: number, count: number, _broker: number): void {
    const t = this.existing(topic, partition, producerId);
    if (!t) return;
    const now = this.sim.now;
    for (let seq = baseSequence; seq < baseSequence + count; seq++) if (t.has(seq) && t.sentAt[seq] < 0) t.sentAt[seq] = now;
  }

  recordAcked(topic: string, partition: number, producerId: number, baseSequence: number, count: number, ack: AckInfo): void {
    const t = this.existing(topic, partition, producerId);
    if (!t) return;
    const now = this.sim.now;
    const acks = ack.acks === 'all' ? -1 : ack.acks;
    for (let i = 0; i < count; i++) {
      const seq = baseSequence + i;
      if (!t.has(seq) || t.ackedAt[seq] >= 0) continue;
      t.ackedAt[seq] = now;
      t.ackAcks[seq] = acks;
      t.ackBroker[seq] = ack.broker;
      t.ackOffset[seq] = ack.baseOffset < 0 ? -1 : ack.baseOffset + i;
    }
  }

  recordFailed(topic: string, partition: number, producerId: number, baseSequence: number, count: number, code: string): void {
    const t = this.existing(topic, partition, producerId);
    if (!t) return;
    const now = this.sim.now;
    for (let seq = baseSequence; seq < baseSequence + count; seq++) {
      if (!t.has(seq) || t.ackedAt[seq] >= 0 || t.failedAt[seq] >= 0) continue;
      t.failedAt[seq] = now;
      t.failCode.set(seq, code);
    }
  }

  recordConsumed(group: string, topic: string, partition: number, producerId: number, sequence: number, _offset: number): void {
    const t = this.existing(topic, partition, producerId);
    if (!t || !t.has(sequence)) return;
    const groups = t.consumedBy.get(sequence);
    if (!groups) t.consumedBy.set(sequence, [group]);
    else if (!groups.includes(group)) groups.push(group);
  }

  private table(pidx: number, producerId: number): RecordTable {
    let byProducer = this.tables.get(pidx);
    if (!byProducer) {
      byProducer = new Map();
      this.tables.set(pidx, byProducer);
    }
    let t = byProducer.get(producerId);
    if (!t) {
      t = new RecordTable(pidx, producerId);
      byProducer.set(producerId, t);
    }
    return t;
  }

  private existing(topic: string, partition: number, producerId: number): RecordTable | undefined {
    return this.tables.get(this.sim.cluster.names.find(topic, partition))?.get(producerId);
  }

  // -- the same, as the clients' ClientObserver ---------------------------------------------------------

  recordsCreated(ref: BatchRef): void {
    for (let i = 0; i < ref.count; i++) this.recordCreated(ref.topic, ref.partition, ref.producerId, ref.baseSequence + i, ref.producer);
  }

  batchSent(ref: BatchRef, broker: number, _attempt: number, acks: number): void {
    this.acksOf.set(`${ref.producer}\u0000${ref.topic}`, acks);
    this.recordSent(ref.topic, ref.partition, ref.producerId, ref.baseSequence, ref.count, broker);
  }

  batchAcked(ref: BatchRef, broker: number, baseOffset: number): void {
    const acks = (this.acksOf.get(`${ref.producer}\u0000${ref.topic}`) ?? -1) as AckInfo['acks'];
    this.recordAcked(ref.topic, ref.partition, ref.producerId, ref.baseSequence, ref.count, { broker, baseOffset, acks });
  }

  batchFailed(ref: BatchRef, _broker: number, code: string, final: boolean): void {
    if (final) this.recordFailed(ref.topic, ref.partition, ref.producerId, ref.baseSequence, ref.count, code);
  }

  batchAbandoned(ref: BatchRef): void {
    this.recordFailed(ref.topic, ref.partition, ref.producerId, ref.baseSequence, ref.count, 'PRODUCER_CRASHED');
  }

  consumed(group: string, _consumer: string, topic: string, partition: number, batches: readonly ConsumedBatch[]): void {
    for (const b of batches) {
      for (let i = 0; i < b.count; i++) this.recordConsumed(group, topic, partition, b.producerId, b.baseSequence + i, b.baseOffset + i);
    }
  }

  // -- the model's reports ---------------------------------------------------------------------------------

  appended(broker: number, pidx: number, batch: RecordBatch, asLeader: boolean): void {
    this.journal(pidx).appends.push({
      t: this.sim.now, broker, baseOffset: batch.baseOffset, count: batch.count, epoch: batch.leaderEpoch,
      producerId: batch.producerId, baseSequence: batch.baseSequence, leader: asLeader,
    });
  }

  truncated(broker: number, pidx: number, newEnd: number, oldEnd: number, removed: RecordBatch[], reason: TruncationReason): void {
    this.journal(pidx).truncations.push({ t: this.sim.now, broker, from: newEnd, to: oldEnd, reason, removed });
  }

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'leader-elected': {
        const m = /^(.+)-(\d+)$/.exec(e.partition as string);
        if (!m) return;
        const pidx = this.sim.cluster.names.index(m[1], Number(m[2]));
        this.journal(pidx).elections.push({ t: e.t, leader: e.leader as number, epoch: e.epoch as number, clean: e.clean as boolean });
        return;
      }
      case 'broker-crashed':
        this.brokerEvents.push({ t: e.t, broker: e.broker as number, kind: e.kind === 'crash' ? 'crashed' : (e.kind as ExplanationStep['kind']) });
        return;
      case 'broker-restarted':
        this.brokerEvents.push({ t: e.t, broker: e.broker as number, kind: 'restarted' });
        return;
      case 'broker-stopped':
        this.brokerEvents.push({ t: e.t, broker: e.broker as number, kind: 'shutdown' });
        return;
    }
  }

  private journal(pidx: number): PartitionJournal {
    let j = this.journals.get(pidx);
    if (!j) {
      j = { appends: [], truncations: [], elections: [] };
      this.journals.set(pidx, j);
    }
    return j;
  }

  // -- results ------------------------------------------------------------------------------------------

  summary(filter?: LedgerFilter): LedgerSummary {
    const final = this.finalLogs();
    const s: LedgerSummary = { produced: 0, sent: 0, acked: 0, failed: 0, lost: 0, duplicates: 0, unavailable: 0, consumed: 0 };
    for (const t of this.sortedTables()) {
      if (!this.matches(t.pidx, filter)) continue;
      const f = final.get(t.pidx);
      for (const seq of t.sequences()) {
        s.produced++;
        if (t.sentAt[seq] >= 0) s.sent++;
        if (t.consumedBy.has(seq)) s.consumed++;
        if (!t.isAcked(seq)) {
          if (t.failedAt[seq] >= 0) s.failed++;
          continue;
        }
        s.acked++;
        if (!f) s.unavailable++;
        else if (!f.present.has(idKey(t.producerId, seq))) s.lost++;
      }
    }
    for (const [pidx, f] of final) if (this.matches(pidx, filter)) s.duplicates += f.duplicates;
    return s;
  }

  lostRecords(filter?: LedgerFilter): LostRecord[] {
    const final = this.finalLogs();
    const out: LostRecord[] = [];
    for (const t of this.sortedTables()) {
      const f = final.get(t.pidx);
      if (!f || !this.matches(t.pidx, filter)) continue;
      for (const seq of t.sequences()) {
        if (!t.isAcked(seq) || f.present.has(idKey(t.producerId, seq))) continue;
        const r = view(t, seq);
        const explanation = this.explain(r);
        out.push({
          partition: this.sim.cluster.names.names[t.pidx], producerId: t.producerId, sequence: seq, producer: t.producer,
          ack: { t: r.ackedAt, broker: r.ack.broker, offset: r.ack.offset, acks: r.acks },
          explanation, text: explanation.map((x) => x.text).join('; '),
        });
      }
    }
    return out;
  }

  /** The life of one record, for the CLI and the front end. */
  lifecycle(topic: string, partition: number, producerId: number, sequence: number): Record<string, unknown> | undefined {
    const t = this.existing(topic, partition, producerId);
    if (!t || !t.has(sequence)) return undefined;
    const j = this.journal(t.pidx);
    const holds = (a: { producerId: number; baseSequence: number; count: number }): boolean =>
      a.producerId === producerId && sequence >= a.baseSequence && sequence < a.baseSequence + a.count;
    const at = (x: number): number | undefined => (x >= 0 ? x : undefined);
    return {
      created: t.createdAt[sequence], sent: at(t.sentAt[sequence]), acked: at(t.ackedAt[sequence]),
      failed: t.failCode.has(sequence) ? { t: t.failedAt[sequence], code: t.failCode.get(sequence) } : undefined,
      appended: j.appends.filter(holds).map((a) => ({ t: a.t, broker: a.broker, offset: a.baseOffset + sequence - a.baseSequence, epoch: a.epoch })),
      truncated: j.truncations.filter((x) => x.removed.some(holds)).map((x) => ({ t: x.t, broker: x.broker, reason: x.reason })),
      consumedBy: t.consumedBy.get(sequence) ?? [],
    };
  }

  /** For each partition with a leader: which identities its log holds, and how many extra copies. */
  private finalLogs(): Map<number, { present: Set<string>; duplicates: number }> {
    const out = new Map<number, { present: Set<string>; duplicates: number }>();
    const image = this.sim.controller.image;
    for (const pidx of image.partitionIndexes()) {
      const reg = image.partition(pidx)!;
      if (reg.leader < 0) continue;
      const log = this.sim.brokerNodes.get(reg.leader)?.disk.get(pidx);
      const present = new Set<string>();
      let duplicates = 0;
      if (log) {
        for (let i = 0; i < log.batchCount; i++) {
          for (let k = 0; k < log.counts[i]; k++) {
            const id = idKey(log.producerIds[i], log.baseSequences[i] + k);
            if (present.has(id)) duplicates++;
            else present.add(id);
          }
        }
      }
      out.set(pidx, { present, duplicates });
    }
    return out;
  }

  /** "acked by leader 1 with acks=1 at 10.004s; broker 1 crashed at …; broker 2 elected …; broker 1 truncated …". */
  private explain(r: RecordView): ExplanationStep[] {
    const steps: ExplanationStep[] = [];
    const ackedAt = r.ackedAt;
    const ackBroker = r.ack.broker;
    const where = r.ack.offset >= 0 ? ` at offset ${r.ack.offset}` : '';
    steps.push({ t: ackedAt, kind: 'acked', broker: ackBroker, text: `acked by leader ${ackBroker}${where} with acks=${String(r.acks)} at ${formatTime(ackedAt)}` });
    const j = this.journal(r.pidx);
    const holds = (b: { producerId: number; baseSequence: number; count: number }): boolean =>
      b.producerId === r.producerId && r.sequence >= b.baseSequence && r.sequence < b.baseSequence + b.count;
    const holders = new Set(j.appends.filter(holds).map((a) => a.broker));
    for (const e of this.brokerEvents) {
      if (e.t < r.createdAt || !holders.has(e.broker) || e.kind === 'restarted') continue;
      const verb = e.kind === 'crashed' ? 'crashed' : e.kind === 'power-loss' ? 'lost power' : e.kind === 'disk-loss' ? 'lost its disk' : 'shut down';
      steps.push({ t: e.t, kind: e.kind, broker: e.broker, text: `broker ${e.broker} ${verb} at ${formatTime(e.t)}` });
    }
    for (const el of j.elections) {
      if (el.t < ackedAt) continue;
      steps.push({
        t: el.t, kind: 'elected', broker: el.leader,
        text: `broker ${el.leader} elected ${el.clean ? '' : 'uncleanly '}at ${formatTime(el.t)}, epoch ${el.epoch}${el.clean && !holders.has(el.leader) ? ' without the record' : ''}`,
      });
    }
    for (const t of j.truncations) {
      if (!t.removed.some(holds)) continue;
      const span = t.to - t.from === 1 ? `offset ${t.from}` : `offsets ${t.from}–${t.to - 1}`;
      steps.push({ t: t.t, kind: 'truncated', broker: t.broker, text: `broker ${t.broker} truncated ${span} at ${formatTime(t.t)} (${t.reason})` });
    }
    // the acknowledgement anchors the story; what followed is told in time order
    const [acked, ...rest] = steps;
    return [acked, ...rest.sort((a, b) => a.t - b.t)];
  }

  private sortedTables(): RecordTable[] {
    const out: RecordTable[] = [];
    for (const pidx of [...this.tables.keys()].sort((a, b) => a - b)) {
      const byProducer = this.tables.get(pidx)!;
      for (const id of [...byProducer.keys()].sort((a, b) => a - b)) out.push(byProducer.get(id)!);
    }
    return out;
  }

  private matches(pidx: number, filter?: LedgerFilter): boolean {
    if (!filter) return true;
    if (filter.partition !== undefined && this.sim.cluster.names.names[pidx] !== filter.partition) return false;
    if (filter.topic !== undefined && this.sim.cluster.names.topics[pidx] !== filter.topic) return false;
    return true;
  }
}

function view(t: RecordTable, seq: number): RecordView {
  const acks = t.ackAcks[seq];
  return {
    pidx: t.pidx, producerId: t.producerId, sequence: seq, producer: t.producer, createdAt: t.createdAt[seq], ackedAt: t.ackedAt[seq],
    ack: { broker: t.ackBroker[seq], offset: t.ackOffset[seq] }, acks: acks === -1 ? 'all' : acks,
  };
}

function idKey(producerId: number, sequence: number): string {
  return `${producerId}:${sequence}`;
}
