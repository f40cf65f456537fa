// The ledger of every record's life (sim/kafka/ledger-port.ts): created → sent → appended (broker, offset,
// epoch) → replicated → committed → acknowledged / failed → truncated (where, when, why) → consumed.
// The clients report sends, creation, sending, acknowledgement, failure and consumption (as a
// ClientObserver, or through the record* calls); the model reports appends, truncations and leader
// changes (as a ModelObserver). It says what was produced, acked, failed, still pending or in
// flight, lost (acked and not in the current leader's log), duplicated and unavailable, and explains
// each lost record by the chain of events that lost it. A record's identity is (partition,
// producerId, sequence).
//
// The counts are kept up to date as records live — per partition, with which replicas hold each
// record — so summary() costs a few additions per partition however often it is asked (the front
// end asks after many events). lostRecords() reads the final leader logs themselves.

import type { TraceEvent } from '../engine/index.ts';
import type {
  AckInfo,
  LedgerFilter,
  LedgerPort,
  LedgerSummary,
  LostRecord,
  ModelObserver,
  NodeName,
  RecordBatch,
  Simulation,
  TruncationReason,
} from '../kafka/index.ts';
import type { BatchRef, ConsumedBatch } from '../kafka/client-observer.ts';
import { ackEpoch, explain, lostAt, RecordIndex, type AckedRecord, type BrokerLifeEvent, type Fault } from './loss-story.ts';
import { LedgerLimitExceeded, MAX_LEDGER_RECORDS, PartitionLedger } from './partition-ledger.ts';
import { parsePartitionName } from '../kafka/spec.ts';
import type { AcksCode, RecordTable } from './record-table.ts';
import { ProcessingLedger } from './processing-ledger.ts';
import type { ProcessingAnomaly, ProcessingFilter, ProcessingSummary } from '../kafka/ledger-port.ts';

/**
 * What one producer's application handed to send(), for the records that never got an identity
 * (never sent): still in the accumulator or blocked in send() (pending), or failed before a batch
 * of theirs was sent. Counted per producer and topic: such a record may have no partition yet.
 */
class ProducerTally {
  /** send() calls. */
  sends = 0;
  /** Records that got an identity (producer id, sequence) in some partition. */
  identified = 0;
  /** Failed before they had an identity, counted in their partition (PartitionLedger.failedUnsent). */
  failedInPartitions = 0;
  /** send() itself failed (max.block.ms, or the process died while it blocked): the record never reached a batch. */
  failedInSend = 0;

  constructor(readonly topic: string) {}

  /** Handed to send() and, so far, neither given an identity nor failed. */
  get unsent(): number {
    return Math.max(0, this.sends - this.identified - this.failedInPartitions - this.failedInSend);
  }
}

export class Ledger implements LedgerPort, ModelObserver {
  /** By partition index: its records, counts and journal. */
  private readonly partitions: PartitionLedger[] = [];
  private readonly producers = new Map<string, ProducerTally>();
  /** Broker life events (crash, power loss, restart, shutdown) for explanations. */
  private readonly brokerEvents: BrokerLifeEvent[] = [];
  /** Network faults and pauses, for the explanation of a zombie leader's acknowledgements. */
  private readonly faults: Fault[] = [];
  /** Consumer groups and error codes, interned: a record keeps their index. */
  private readonly groups: string[] = [];
  private readonly codes: string[] = [''];
  /** What the groups' applications processed, more than once, or skipped. */
  private readonly processingLedger: ProcessingLedger;

  /** Records created so far, every partition: the run stops at recordLimit (MAX_LEDGER_RECORDS). */
  private records = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly recordLimit = MAX_LEDGER_RECORDS,
  ) {
    this.processingLedger = new ProcessingLedger(sim);
  }

  // -- the clients' calls ---------------------------------------------------------------------------

  recordCreated(topic: string, partition: number, producerId: number, sequence: number, producer?: string): void {
    this.create(this.sim.cluster.names.index(topic, partition), producerId, sequence, 1, producer);
  }

  recordSent(topic: string, partition: number, producerId: number, baseSequence: number, count: number, _broker: number): void {
    const t = this.existing(topic, partition, producerId);
    if (!t) return;
    const p = this.partition(t.pidx);
    const now = this.sim.now;
    for (let seq = baseSequence; seq < baseSequence + count; seq++) {
      if (!t.has(seq) || t.isSent(seq)) continue;
      t.markSent(seq, now);
      p.sent++;
    }
  }

  recordAcked(topic: string, partition: number, producerId: number, baseSequence: number, count: number, ack: AckInfo): void {
    const t = this.existing(topic, partition, producerId);
    if (!t) return;
    const p = this.partition(t.pidx);
    const now = this.sim.now;
    const acks: AcksCode = ack.acks === 'all' ? -1 : ack.acks;
    for (let i = 0; i < count; i++) {
      const seq = baseSequence + i;
      if (!t.has(seq) || t.isAcked(seq)) continue;
      t.markAcked(seq, now);
      t.ackAcks[seq] = acks;
      t.ackBroker[seq] = ack.broker;
      t.ackOffset[seq] = ack.baseOffset < 0 ? -1 : ack.baseOffset + i;
      this.countAck(p, t, seq);
    }
  }

  recordFailed(topic: string, partition: number, producerId: number, baseSequence: number, count: number, code: string): void {
    const t = this.existing(topic, partition, producerId);
    if (!t) return;
    const p = this.partition(t.pidx);
    const now = this.sim.now;
    const c = this.codeIndex(code);
    for (let seq = baseSequence; seq < baseSequence + count; seq++) {
      if (!t.has(seq) || t.isAcked(seq) || t.isFailed(seq)) continue;
      t.markFailed(seq, now);
      t.failCode[seq] = c;
      p.failed++;
    }
  }

  recordConsumed(group: string, topic: string, partition: number, producerId: number, sequence: number, _offset: number): void {
    const t = this.existing(topic, partition, producerId);
    if (t) this.consume(t, this.groupIndex(group), group, sequence, 1);
  }

  // -- the same, as the clients' ClientObserver ---------------------------------------------------------

  onSend(producer: string, topic: string): void {
    this.producerTally(producer, topic).sends++;
  }

  onSendError(producer: string, topic: string): void {
    this.producerTally(producer, topic).failedInSend++;
  }

  recordsCreated(ref: BatchRef): void {
    // a batch without a producer id is failing before it was ever sent: batchFailed counts it
    if (ref.producerId < 0) return;
    this.create(this.sim.cluster.names.index(ref.topic, ref.partition), ref.producerId, ref.baseSequence, ref.count, ref.producer);
  }

  batchSent(ref: BatchRef, broker: number, _attempt: number, acks: number): void {
    const t = this.existing(ref.topic, ref.partition, ref.producerId);
    if (t) t.acks = acks === 0 || acks === 1 ? acks : -1;
    this.recordSent(ref.topic, ref.partition, ref.producerId, ref.baseSequence, ref.count, broker);
  }

  batchAcked(ref: BatchRef, broker: number, baseOffset: number): void {
    const acks = this.existing(ref.topic, ref.partition, ref.producerId)?.acks ?? -1;
    this.recordAcked(ref.topic, ref.partition, ref.producerId, ref.baseSequence, ref.count, { broker, baseOffset, acks });
  }

  batchFailed(ref: BatchRef, _broker: number, code: string, final: boolean): void {
    if (!final) return;
    if (ref.producerId >= 0) return this.recordFailed(ref.topic, ref.partition, ref.producerId, ref.baseSequence, ref.count, code);
    this.partition(this.sim.cluster.names.index(ref.topic, ref.partition)).failedUnsent += ref.count;
    this.producerTally(ref.producer, ref.topic).failedInPartitions += ref.count;
  }

  batchAbandoned(ref: BatchRef): void {
    this.recordFailed(ref.topic, ref.partition, ref.producerId, ref.baseSequence, ref.count, 'PRODUCER_CRASHED');
  }

  /** A consumer's position jumped over [from, to) by an out-of-range reset: those offsets were never consumed by it. */
  skipped(group: string, _consumer: string, topic: string, partition: number, from: number, to: number): void {
    const pidx = this.sim.cluster.names.find(topic, partition);
    if (pidx < 0 || to <= from) return;
    const p = this.partition(pidx);
    const g = this.groupIndex(group);
    p.outOfRangeSkipped += to - from;
    p.outOfRangeSkippedByGroup[g] = (p.outOfRangeSkippedByGroup[g] ?? 0) + to - from;
  }

  processed(group: string, consumer: string, topic: string, partition: number, from: number, to: number, generation: number, nowUs: number): void {
    this.processingLedger.processed(group, consumer, topic, partition, from, to, generation, nowUs);
  }

  offsetsCommitted(group: string, consumer: string, offsets: readonly { topic: string; partition: number; offset: number }[], why: string, nowUs: number): void {
    this.processingLedger.offsetsCommitted(group, consumer, offsets, why, nowUs);
  }

  positionChanged(group: string, consumer: string, topic: string, partition: number, offset: number, reason: string, nowUs: number): void {
    this.processingLedger.positionChanged(group, consumer, topic, partition, offset, reason, nowUs);
  }

  processing(filter?: ProcessingFilter): ProcessingSummary {
    return this.processingLedger.summary(filter);
  }

  processingAnomalies(filter?: ProcessingFilter): ProcessingAnomaly[] {
    return this.processingLedger.anomalies(filter);
  }

  consumed(group: string, consumer: string, topic: string, partition: number, batches: readonly ConsumedBatch[], nowUs: number): void {
    this.processingLedger.consumed(group, consumer, topic, partition, batches, nowUs);
    const g = this.groupIndex(group);
    for (const b of batches) {
      const t = this.existing(topic, partition, b.producerId);
      if (t) this.consume(t, g, group, b.baseSequence, b.count);
    }
  }

  private create(pidx: number, producerId: number, baseSequence: number, count: number, producer?: string): void {
    const p = this.partition(pidx);
    const t = p.table(producerId);
    if (producer !== undefined) t.producer = producer;
    t.reserve(baseSequence + count - 1);
    const tally = t.producer === undefined ? undefined : this.producers.get(t.producer);
    const now = this.sim.now;
    for (let seq = baseSequence; seq < baseSequence + count; seq++) {
      if (t.has(seq)) continue;
      t.markCreated(seq, now);
      p.created++;
      if (tally) tally.identified++;
      this.records++;
    }
    if (this.records > this.recordLimit) {
      throw new LedgerLimitExceeded(
        `the ledger follows at most ${this.recordLimit} records (about 100 bytes of memory each), and the producers had created more by simulated time ${now / 1e6} s, before the run's end; it stopped there and nothing was judged (a shorter duration, a lower rate or fewer producers fits)`,
      );
    }
  }

  /** A record's first acknowledgement: the replicas holding it now hold one more acked record. */
  private countAck(p: PartitionLedger, t: RecordTable, seq: number): void {
    p.acked++;
    if (t.isFailed(seq)) p.failed--;
    for (let s = 0, bits = t.holders[seq]; bits !== 0; s++, bits >>>= 1) if (bits & 1) p.ackedHeld[s]++;
    for (let s = 0, bits = t.deletedFrom[seq]; bits !== 0; s++, bits >>>= 1) if (bits & 1) p.ackedDeleted[s]++;
  }

  private consume(t: RecordTable, g: number, group: string, baseSequence: number, count: number): void {
    const p = this.partition(t.pidx);
    for (let seq = baseSequence; seq < baseSequence + count; seq++) {
      if (!t.has(seq)) continue;
      if (!this.wasConsumed(t, seq)) p.consumed++;
      if (g < 32) {
        if ((t.consumedBy[seq] & (1 << g)) === 0) p.consumedByGroup[g] = (p.consumedByGroup[g] ?? 0) + 1;
        t.consumedBy[seq] |= 1 << g;
      } else if (addGroup(t, seq, group)) p.consumedByGroup[g] = (p.consumedByGroup[g] ?? 0) + 1;
    }
  }

  private wasConsumed(t: RecordTable, seq: number): boolean {
    return t.consumedBy[seq] !== 0 || t.moreGroups?.has(seq) === true;
  }

  private existing(topic: string, partition: number, producerId: number): RecordTable | undefined {
    const pidx = this.sim.cluster.names.find(topic, partition);
    return pidx < 0 ? undefined : this.partitions[pidx]?.tables.get(producerId);
  }

  private partition(pidx: number): PartitionLedger {
    return (this.partitions[pidx] ??= new PartitionLedger(pidx));
  }

  private producerTally(producer: string, topic: string): ProducerTally {
    let tally = this.producers.get(producer);
    if (!tally) {
      tally = new ProducerTally(topic);
      this.producers.set(producer, tally);
    }
    return tally;
  }

  private groupIndex(group: string): number {
    const g = this.groups.indexOf(group);
    return g >= 0 ? g : this.groups.push(group) - 1;
  }

  private codeIndex(code: string): number {
    const c = this.codes.indexOf(code);
    return c >= 0 ? c : this.codes.push(code) - 1;
  }

  // -- the model's reports ---------------------------------------------------------------------------------

  appended(broker: number, pidx: number, batch: RecordBatch, asLeader: boolean): void {
    const p = this.partition(pidx);
    p.appends.push(this.sim.now, broker, batch, asLeader);
    const s = p.slotOf(broker);
    const bit = 1 << s;
    const t = p.table(batch.producerId);
    t.reserve(batch.baseSequence + batch.count - 1);
    for (let seq = batch.baseSequence; seq < batch.baseSequence + batch.count; seq++) {
      if ((t.holders[seq] & bit) !== 0) {
        addCopy(p, s, t.producerId, seq, 1);
        continue;
      }
      t.holders[seq] |= bit;
      if ((t.deletedFrom[seq] & bit) !== 0) {
        // back in a log retention had deleted it from (the log started again below it)
        t.deletedFrom[seq] &= ~bit;
        if (t.has(seq) && t.isAcked(seq)) p.ackedDeleted[s]--;
      }
      if (t.has(seq) && t.isAcked(seq)) p.ackedHeld[s]++;
    }
  }

  truncated(broker: number, pidx: number, newEnd: number, oldEnd: number, removed: RecordBatch[], reason: TruncationReason): void {
    const p = this.partition(pidx);
    p.truncations.push({ ...p.place(this.sim.now), broker, from: newEnd, to: oldEnd, reason, removed });
    const s = p.slotOf(broker);
    for (const b of removed) {
      const t = p.table(b.producerId);
      for (let seq = b.baseSequence; seq < b.baseSequence + b.count; seq++) this.removeCopy(p, s, t, seq);
    }
  }

  /**
   * Records [from, to) left `broker`'s log by its log start moving (retention, or its leader's log
   * start): they are deleted, not lost, and are no longer counted as held.
   */
  logStartAdvanced(broker: number, pidx: number, _from: number, _to: number, removed: RecordBatch[]): void {
    const p = this.partition(pidx);
    const s = p.slotOf(broker);
    const bit = 1 << s;
    for (const b of removed) {
      const t = p.table(b.producerId);
      t.reserve(b.baseSequence + b.count - 1);
      for (let seq = b.baseSequence; seq < b.baseSequence + b.count; seq++) {
        if (addCopy(p, s, t.producerId, seq, -1)) continue;
        if ((t.holders[seq] & bit) === 0) continue;
        t.holders[seq] &= ~bit;
        t.deletedFrom[seq] |= bit;
        if (t.has(seq) && t.isAcked(seq)) {
          p.ackedHeld[s]--;
          p.ackedDeleted[s]++;
        }
      }
    }
  }

  /** One copy of the record left the log of the broker in slot `s`. */
  private removeCopy(p: PartitionLedger, s: number, t: RecordTable, seq: number): void {
    if (addCopy(p, s, t.producerId, seq, -1)) return;
    const bit = 1 << s;
    if (seq >= t.size || (t.holders[seq] & bit) === 0) return;
    t.holders[seq] &= ~bit;
    if (t.has(seq) && t.isAcked(seq)) p.ackedHeld[s]--;
  }

  event(e: TraceEvent): void {
    this.processingLedger.event(e);
    switch (e.type) {
      case 'partition-change':
        if (e.replicas !== undefined) this.leaderChange(e, 'created', e.leader === null ? -1 : (e.leader as number));
        return;
      case 'leader-elected':
        return this.leaderChange(e, 'elected', e.leader as number);
      case 'leader-none':
        return this.leaderChange(e, 'none', -1);
      case 'broker-crashed':
        this.brokerEvents.push({ t: e.t, broker: e.broker as number, kind: e.kind === 'crash' ? 'crashed' : (e.kind as BrokerLifeEvent['kind']) });
        return;
      case 'broker-restarted':
        this.brokerEvents.push({ t: e.t, broker: e.broker as number, kind: 'restarted' });
        return;
      case 'broker-stopped':
        this.brokerEvents.push({ t: e.t, broker: e.broker as number, kind: 'shutdown' });
        return;
      case 'broker-paused':
        this.faults.push({ t: e.t, kind: 'pause', broker: e.broker as number, forUs: e.forUs as number });
        return;
      case 'network-fault':
        return this.networkFault(e);
    }
  }

  private leaderChange(e: TraceEvent, kind: 'created' | 'elected' | 'none', leader: number): void {
    const p = this.partitionOf(e);
    p?.leaders.push({ ...p.place(e.t), kind, leader, epoch: e.epoch as number, clean: e.clean !== false });
  }

  private partitionOf(e: TraceEvent): PartitionLedger | undefined {
    const p = parsePartitionName(e.partition as string);
    return p ? this.partition(this.sim.cluster.names.index(p.topic, p.partition)) : undefined;
  }

  private networkFault(e: TraceEvent): void {
    const t = e.t;
    const node = e.node as NodeName | undefined;
    switch (e.action) {
      case 'partition':
        return void this.faults.push({ t, kind: 'partition', groups: e.groups as NodeName[][] });
      case 'isolate':
        return void this.faults.push({ t, kind: 'isolate', node: node! });
      case 'cut':
        return void this.faults.push({ t, kind: 'cut', from: e.from as NodeName, to: e.to as NodeName });
      case 'slow':
        return void this.faults.push({ t, kind: 'slow', node, link: e.link as NodeName[] | undefined, latencyUs: e.latencyUs as number });
      case 'heal':
        return void this.faults.push({ t, kind: 'heal', node: node === 'all' ? undefined : node });
    }
  }

  // -- results ------------------------------------------------------------------------------------------

  /**
   * The ledger's counts, kept up to date: produced = acked + failed + pending + inFlight. With a
   * partition filter, records that never got an identity are not counted (they may have no partition
   * yet), so pending is 0 there. With a group filter, consumed counts the records that group received
   * (each once, however often it read it); the other counts are the partitions', whatever the group.
   */
  summary(filter?: LedgerFilter): LedgerSummary {
    const s: LedgerSummary = {
      produced: 0, sent: 0, acked: 0, failed: 0, pending: 0, inFlight: 0, lost: 0, duplicates: 0, unavailable: 0, consumed: 0, deleted: 0, outOfRangeSkipped: 0,
    };
    const image = this.sim.controller.image;
    // a group filter narrows `consumed` to the records that group received (−1: a group that received none)
    const group = filter?.group === undefined ? undefined : this.groups.indexOf(filter.group);
    for (const p of this.partitions) {
      if (p === undefined || !this.matches(p.pidx, filter)) continue;
      s.produced += p.created + p.failedUnsent;
      s.sent += p.sent;
      s.acked += p.acked;
      s.failed += p.failed + p.failedUnsent;
      s.inFlight += p.created - p.acked - p.failed;
      s.consumed += group === undefined ? p.consumed : group < 0 ? 0 : (p.consumedByGroup[group] ?? 0);
      s.outOfRangeSkipped += group === undefined ? p.outOfRangeSkipped : group < 0 ? 0 : (p.outOfRangeSkippedByGroup[group] ?? 0);
      const leader = image.partition(p.pidx)?.leader ?? -1;
      if (leader < 0) {
        s.unavailable += p.acked;
        continue;
      }
      s.lost += p.ackedMissingFrom(leader);
      s.deleted += p.ackedDeletedFrom(leader);
      s.duplicates += p.extraCopiesIn(leader);
    }
    if (filter?.partition === undefined) this.addUnsent(s, filter?.topic);
    return s;
  }

  /** Records that never had an identity: pending, or failed before they got one. */
  private addUnsent(s: LedgerSummary, topic?: string): void {
    for (const tally of this.producers.values()) {
      if (topic !== undefined && tally.topic !== topic) continue;
      s.produced += tally.failedInSend + tally.unsent;
      s.failed += tally.failedInSend;
      s.pending += tally.unsent;
    }
  }

  /** Every acked record missing from its partition's current leader log, explained; read from the logs. */
  lostRecords(filter?: LedgerFilter): LostRecord[] {
    const out: LostRecord[] = [];
    for (const p of this.partitions) {
      if (p === undefined || !this.matches(p.pidx, filter)) continue;
      const leader = this.sim.controller.image.partition(p.pidx)?.leader ?? -1;
      if (leader < 0) continue;
      const present = this.presentIn(p.pidx, leader);
      const leaderBit = 1 << p.slots.indexOf(leader);
      let index: RecordIndex | undefined;
      for (const t of p.sortedTables()) {
        const held = present.get(t.producerId);
        for (const seq of t.sequences()) {
          if (!t.isAcked(seq) || (held !== undefined && seq < held.length && held[seq] === 1)) continue;
          if ((t.deletedFrom[seq] & leaderBit) !== 0) continue; // retention deleted it: gone, not lost
          index ??= new RecordIndex(p);
          out.push(this.lostRecord(t, seq, index));
        }
      }
    }
    return out;
  }

  private lostRecord(t: RecordTable, seq: number, index: RecordIndex): LostRecord {
    const p = this.partition(t.pidx);
    const r: AckedRecord = {
      producerId: t.producerId, sequence: seq, createdAt: t.created(seq), ackedAt: t.acked(seq),
      ackBroker: t.ackBroker[seq], ackOffset: t.ackOffset[seq], acks: t.acksOf(seq),
    };
    const epoch = ackEpoch(p.appends, index.appendsOf(t.producerId, seq), r);
    const explanation = explain(p, index, r, epoch, { brokerEvents: this.brokerEvents, faults: this.faults });
    return {
      partition: this.sim.cluster.names.names[t.pidx], producerId: t.producerId, sequence: seq, producer: t.producer,
      ack: { t: r.ackedAt, broker: r.ackBroker, offset: r.ackOffset, acks: r.acks, epoch },
      lostAt: lostAt(p, index, r),
      explanation, text: explanation.map((x) => x.text).join('; '),
    };
  }

  /** Producer id → which sequences the broker's log of the partition holds (1), read from the log. */
  private presentIn(pidx: number, broker: number): Map<number, Uint8Array> {
    const out = new Map<number, Uint8Array>();
    const log = this.sim.brokerNodes.get(broker)?.disk.get(pidx);
    if (!log) return out;
    for (let i = 0; i < log.batchCount; i++) {
      const pid = log.producerIds[i];
      const last = log.baseSequences[i] + log.counts[i];
      let held = out.get(pid);
      if (held === undefined || held.length < last) {
        const bigger = new Uint8Array(Math.max(last, (held?.length ?? 0) * 2));
        if (held) bigger.set(held);
        held = bigger;
        out.set(pid, held);
      }
      held.fill(1, log.baseSequences[i], last);
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

/** Counts an extra copy of a record in slot `s` (+1), or removes one (−1: false if it had none). */
function addCopy(p: PartitionLedger, s: number, producerId: number, seq: number, by: 1 | -1): boolean {
  const key = `${s} ${producerId} ${seq}`;
  const n = (p.copies.get(key) ?? 0) + by;
  if (n < 0) return false;
  if (n === 0) p.copies.delete(key);
  else p.copies.set(key, n);
  p.extraCopies[s] += by;
  return true;
}

/** Notes that a group past the 32 kept as bits received the record; false if it had already. */
function addGroup(t: RecordTable, seq: number, group: string): boolean {
  t.moreGroups ??= new Map();
  const list = t.moreGroups.get(seq);
  if (!list) t.moreGroups.set(seq, [group]);
  else if (!list.includes(group)) list.push(group);
  else return false;
  return true;
}
