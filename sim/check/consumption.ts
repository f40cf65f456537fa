// What each consumer group saw, checked against what producers were told (the ledger's
// "consumed (by which group)"), with anomalies named as Jepsen's Kafka workload names them
// (jepsen.tests.kafka), per group:
// - lost write: an acknowledged record the group never consumed, although it consumed a later
//   offset of the same partition (a record truncated away, or one skipped over, is lost to the group);
// - duplicate: one record (producer id, sequence) consumed at more than one offset — the log holds
//   it twice, as a retry without idempotence writes it;
// - skip: a consumer's position jumped forward past offsets it had not read (an out-of-range reset
//   to latest), within one assignment of the partition;
// - nonmonotonic: a consumer's position went back to offsets it had read (a reset after log
//   truncation, or to earliest), within one assignment.
// Re-reading what was consumed but not yet committed after a rebalance is at-least-once delivery,
// not an anomaly: a new assignment starts a new session. Everything is kept per batch and computed
// when asked, so a long run costs memory per batch, not per record.

import type { Simulation } from '../kafka/index.ts';
import type { BatchRef, ClientObserver, ConsumedBatch } from '../kafka/client-observer.ts';
import { columns, type F64, type I32 } from '../engine/columns.ts';

export interface PositionAnomaly {
  t: number;
  consumer: string;
  partition: string;
  from: number;
  to: number;
  reason: string;
}

export interface LostWrite {
  partition: string;
  offset: number;
  producerId: number;
  sequence: number;
}

export interface GroupAnomalies {
  group: string;
  consumed: number;
  lostWrites: number;
  duplicates: number;
  skips: PositionAnomaly[];
  nonmonotonic: PositionAnomaly[];
  /** The first few lost writes, for messages. */
  lostExamples: LostWrite[];
}

/** Batches as parallel typed arrays, as ReplicaLog keeps them: 20 bytes a batch. */
class Batches {
  length = 0;
  producerIds: F64 = new Float64Array(0);
  baseOffsets: I32 = new Int32Array(0);
  counts: I32 = new Int32Array(0);
  baseSequences: I32 = new Int32Array(0);

  push(baseOffset: number, count: number, producerId: number, baseSequence: number): void {
    if (this.length === this.baseOffsets.length) this.grow(Math.max(8, Math.ceil(this.length * 1.5)));
    const i = this.length++;
    this.baseOffsets[i] = baseOffset;
    this.counts[i] = count;
    this.producerIds[i] = producerId;
    this.baseSequences[i] = baseSequence;
  }

  private grow(capacity: number): void {
    const c = columns(capacity, [Float64Array, Int32Array, Int32Array, Int32Array]);
    const n = this.length;
    c[0].set(this.producerIds.subarray(0, n));
    c[1].set(this.baseOffsets.subarray(0, n));
    c[2].set(this.counts.subarray(0, n));
    c[3].set(this.baseSequences.subarray(0, n));
    this.producerIds = c[0] as F64;
    [, this.baseOffsets, this.counts, this.baseSequences] = c as I32[];
  }
}

interface GroupLog {
  consumed: Map<string, Batches>;
  skips: PositionAnomaly[];
  nonmonotonic: PositionAnomaly[];
}

function batchesIn<K>(m: Map<K, Batches>, key: K): Batches {
  let b = m.get(key);
  if (b === undefined) {
    b = new Batches();
    m.set(key, b);
  }
  return b;
}

export class ConsumptionChecker implements ClientObserver {
  private readonly acked = new Map<string, Batches>();
  private readonly groups = new Map<string, GroupLog>();
  /** consumer + partition → where its position is, within its current assignment. */
  private readonly sessions = new Map<string, number>();

  constructor(private readonly sim: Simulation) {}

  batchAcked(ref: BatchRef, _broker: number, baseOffset: number): void {
    if (baseOffset < 0) return; // acks=0: the offset is unknown
    batchesIn(this.acked, `${ref.topic}-${ref.partition}`).push(baseOffset, ref.count, ref.producerId, ref.baseSequence);
  }

  consumed(group: string, consumer: string, topic: string, partition: number, batches: readonly ConsumedBatch[], nowUs: number): void {
    if (batches.length === 0) return;
    const key = `${topic}-${partition}`;
    const g = this.group(group);
    const list = batchesIn(g.consumed, key);
    for (const b of batches) list.push(b.baseOffset, b.count, b.producerId, b.baseSequence);
    this.moved(g, consumer, key, batches[0].baseOffset, 'poll', nowUs);
    const last = batches[batches.length - 1];
    this.sessions.set(`${consumer}\u0000${key}`, last.baseOffset + last.count);
  }

  positionChanged(group: string, consumer: string, topic: string, partition: number, offset: number, reason: string, nowUs: number): void {
    const key = `${topic}-${partition}`;
    this.moved(this.group(group), consumer, key, offset, reason, nowUs);
    this.sessions.set(`${consumer}\u0000${key}`, offset);
  }

  assignmentChanged(_group: string, consumer: string, partitions: readonly { topic: string; partition: number }[]): void {
    const keep = new Set(partitions.map((tp) => `${consumer}\u0000${tp.topic}-${tp.partition}`));
    for (const k of [...this.sessions.keys()]) if (k.startsWith(`${consumer}\u0000`) && !keep.has(k)) this.sessions.delete(k);
    // a partition kept across the change (cooperative) keeps its session; a newly assigned one starts fresh
    for (const k of keep) if (!this.sessions.has(k)) this.sessions.set(k, -1);
  }

  /** A position moved to `offset`: forward past unread offsets is a skip, backwards is nonmonotonic. */
  private moved(g: GroupLog, consumer: string, key: string, offset: number, reason: string, nowUs: number): void {
    const at = this.sessions.get(`${consumer}\u0000${key}`);
    if (at === undefined || at < 0 || offset === at) return;
    const a: PositionAnomaly = { t: nowUs, consumer, partition: key, from: at, to: offset, reason };
    if (offset > at) g.skips.push(a);
    else g.nonmonotonic.push(a);
  }

  private group(group: string): GroupLog {
    let g = this.groups.get(group);
    if (g === undefined) {
      g = { consumed: new Map(), skips: [], nonmonotonic: [] };
      this.groups.set(group, g);
    }
    return g;
  }

  /** Groups that consumed anything, sorted. */
  groupIds(): string[] {
    return [...this.groups.keys()].sort();
  }

  anomalies(group: string): GroupAnomalies {
    const g = this.groups.get(group) ?? { consumed: new Map<string, Batches>(), skips: [], nonmonotonic: [] };
    const out: GroupAnomalies = { group, consumed: 0, lostWrites: 0, duplicates: 0, skips: g.skips, nonmonotonic: g.nonmonotonic, lostExamples: [] };
    const empty = new Batches();
    for (const key of [...new Set([...g.consumed.keys(), ...this.acked.keys()])].sort()) {
      const seen = new Map<number, Map<number, number[]>>(); // producerId → sequence → offsets
      let maxEnd = -1;
      const c = g.consumed.get(key) ?? empty;
      for (let j = 0; j < c.length; j++) {
        maxEnd = Math.max(maxEnd, c.baseOffsets[j] + c.counts[j]);
        for (let i = 0; i < c.counts[j]; i++) {
          const offsets = seenOffsets(seen, c.producerIds[j], c.baseSequences[j] + i);
          if (!offsets.includes(c.baseOffsets[j] + i)) offsets.push(c.baseOffsets[j] + i);
        }
      }
      for (const bySeq of seen.values()) {
        for (const offsets of bySeq.values()) {
          out.consumed++;
          if (offsets.length > 1) out.duplicates += offsets.length - 1;
        }
      }
      const a = this.acked.get(key) ?? empty;
      for (let j = 0; j < a.length; j++) {
        for (let i = 0; i < a.counts[j]; i++) {
          const offset = a.baseOffsets[j] + i;
          const sequence = a.baseSequences[j] + i;
          if (offset >= maxEnd || seen.get(a.producerIds[j])?.has(sequence)) continue;
          out.lostWrites++;
          if (out.lostExamples.length < 10) out.lostExamples.push({ partition: key, offset, producerId: a.producerIds[j], sequence });
        }
      }
    }
    return out;
  }
}

function seenOffsets(seen: Map<number, Map<number, number[]>>, pid: number, seq: number): number[] {
  let bySeq = seen.get(pid);
  if (bySeq === undefined) {
    bySeq = new Map();
    seen.set(pid, bySeq);
  }
  let offsets = bySeq.get(seq);
  if (offsets === undefined) {
    offsets = [];
    bySeq.set(seq, offsets);
  }
  return offsets;
}
