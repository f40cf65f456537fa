// What the ledger keeps per partition: the ledger's counts (ledger-port.ts) kept up to date as records live
// (so a summary costs a few additions per partition, however long the run), which replicas hold
// which acknowledged records, and the journal of what happened to the replicas — appends, truncations
// and leader changes, in the order they happened — for life cycles and loss explanations.

import type { RecordBatch, TruncationReason } from '../kafka/index.ts';
import { columns, type F64, type I32, type U8 } from '../engine/columns.ts';
import { RecordTable } from './record-table.ts';

/**
 * The brokers whose copies of one partition the ledger can follow: one bit each in a record's holders
 * (an Int32). The validator keeps replication factors and reassignments within it.
 */
export const MAX_LEDGER_REPLICAS = 32;

/**
 * The records the ledger follows in one run: each costs about 100 bytes of memory for the whole run
 * (its row in a RecordTable, its share of the journal and of the consumers' tables), so 50 million
 * take about 5 GB. A run that would create more (1,000,000/s for an hour) stops there, as at the
 * event limit, instead of growing until the process runs out of memory.
 */
export const MAX_LEDGER_RECORDS = 50_000_000;

/** A run that brought more brokers to one partition, or more records, than the ledger follows: it cannot be judged. */
export class LedgerLimitExceeded extends Error {
  override readonly name = 'LedgerLimitExceeded';
}

/** A range of one producer id's sequences, as batches carry them. */
export interface SequenceRange {
  producerId: number;
  baseSequence: number;
  count: number;
}

export function holds(r: SequenceRange, producerId: number, seq: number): boolean {
  return r.producerId === producerId && seq >= r.baseSequence && seq < r.baseSequence + r.count;
}

/** Entries per chunk of the journal (a power of two: an index splits into chunk and slot by shifts). */
const CHUNK_BITS = 13;
const CHUNK = 1 << CHUNK_BITS;
const SLOT = CHUNK - 1;

/** One chunk of the journal: parallel typed arrays in one buffer, 37 bytes per entry. */
interface JournalChunk {
  t: F64;
  producerId: F64;
  broker: I32;
  baseOffset: I32;
  count: I32;
  epoch: I32;
  baseSequence: I32;
  /** 1 when appended by the leader from a producer, 0 when fetched by a follower. */
  leader: U8;
}

function newChunk(): JournalChunk {
  const c = columns(CHUNK, [Float64Array, Float64Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Uint8Array]);
  const [t, producerId] = c as [F64, F64];
  const [, , broker, baseOffset, count, epoch, baseSequence] = c as I32[];
  return { t, producerId, broker, baseOffset, count, epoch, baseSequence, leader: c[7] as U8 };
}

/**
 * Every append to every replica, in order, 37 bytes each. Kept in fixed chunks rather than one array
 * grown by copying: a long run's journal never holds a second, larger copy of itself while it grows,
 * and has at most one chunk of room to spare.
 */
export class AppendJournal {
  length = 0;
  private readonly chunks: JournalChunk[] = [];

  push(t: number, broker: number, batch: RecordBatch, asLeader: boolean): void {
    const i = this.length++;
    if ((i & SLOT) === 0) this.chunks.push(newChunk());
    const c = this.chunks[i >>> CHUNK_BITS];
    const k = i & SLOT;
    c.t[k] = t;
    c.broker[k] = broker;
    c.baseOffset[k] = batch.baseOffset;
    c.count[k] = batch.count;
    c.epoch[k] = batch.leaderEpoch;
    c.producerId[k] = batch.producerId;
    c.baseSequence[k] = batch.baseSequence;
    c.leader[k] = asLeader ? 1 : 0;
  }

  timeOf(i: number): number {
    return this.chunks[i >>> CHUNK_BITS].t[i & SLOT];
  }

  brokerOf(i: number): number {
    return this.chunks[i >>> CHUNK_BITS].broker[i & SLOT];
  }

  baseOffsetOf(i: number): number {
    return this.chunks[i >>> CHUNK_BITS].baseOffset[i & SLOT];
  }

  epochOf(i: number): number {
    return this.chunks[i >>> CHUNK_BITS].epoch[i & SLOT];
  }

  producerIdOf(i: number): number {
    return this.chunks[i >>> CHUNK_BITS].producerId[i & SLOT];
  }

  baseSequenceOf(i: number): number {
    return this.chunks[i >>> CHUNK_BITS].baseSequence[i & SLOT];
  }

  /** Appended by the leader from a producer (not fetched by a follower). */
  byLeader(i: number): boolean {
    return this.chunks[i >>> CHUNK_BITS].leader[i & SLOT] === 1;
  }

  holds(i: number, producerId: number, seq: number): boolean {
    const c = this.chunks[i >>> CHUNK_BITS];
    const k = i & SLOT;
    return c.producerId[k] === producerId && seq >= c.baseSequence[k] && seq < c.baseSequence[k] + c.count[k];
  }
}

/**
 * A truncation or a leader change, placed among the appends: it happened after the first
 * `afterAppends` appends of the journal, and `n` orders it among the other such entries.
 */
interface Placed {
  t: number;
  afterAppends: number;
  n: number;
}

export interface Truncation extends Placed {
  broker: number;
  /** Records [from, to) left the broker's log. */
  from: number;
  to: number;
  reason: TruncationReason;
  removed: RecordBatch[];
}

/** The controller's leader of the partition from `t` on: at creation, an election, or none (−1). */
export interface LeaderChange extends Placed {
  kind: 'created' | 'elected' | 'none';
  leader: number;
  epoch: number;
  clean: boolean;
}

export class PartitionLedger {
  /** Producer id → its records in this partition. */
  readonly tables = new Map<number, RecordTable>();
  private last?: RecordTable;

  // the ledger's counts of the records with an identity in this partition
  created = 0;
  sent = 0;
  acked = 0;
  /** Failed and never acked. */
  failed = 0;
  consumed = 0;
  /** Per consumer group (the ledger's index): records of this partition the group received, each once. */
  readonly consumedByGroup: number[] = [];
  /** Records that failed before they had an identity here (delivery.timeout.ms before InitProducerId). */
  failedUnsent = 0;

  /** Replica slots: the brokers that ever appended to the partition, in order (a bit each in holders). */
  readonly slots: number[] = [];
  /** Per slot: acknowledged records its log holds now (each identity once). */
  readonly ackedHeld: number[] = [];
  /** Per slot: acknowledged records retention deleted from its log (each identity once): gone, not lost. */
  readonly ackedDeleted: number[] = [];
  /** Offsets consumers' positions jumped over by an out-of-range reset (auto.offset.reset), all groups; per group below. */
  outOfRangeSkipped = 0;
  readonly outOfRangeSkippedByGroup: number[] = [];
  /** Per slot: extra copies in its log (the same identity at more than one offset). */
  readonly extraCopies: number[] = [];
  /** "slot producerId sequence" → extra copies, for the few records a log holds twice. */
  readonly copies = new Map<string, number>();

  readonly appends = new AppendJournal();
  readonly truncations: Truncation[] = [];
  readonly leaders: LeaderChange[] = [];
  private placed = 0;

  constructor(readonly pidx: number) {}

  /** The records of `producerId` here, a table made on first use. */
  table(producerId: number): RecordTable {
    if (this.last?.producerId === producerId) return this.last;
    let t = this.tables.get(producerId);
    if (!t) {
      t = new RecordTable(this.pidx, producerId);
      this.tables.set(producerId, t);
    }
    this.last = t;
    return t;
  }

  /** The tables in producer id order. */
  sortedTables(): RecordTable[] {
    return [...this.tables.keys()].sort((a, b) => a - b).map((id) => this.tables.get(id)!);
  }

  /** The replica slot of `broker`, given one on its first append (at most MAX_LEDGER_REPLICAS per partition). */
  slotOf(broker: number): number {
    let s = this.slots.indexOf(broker);
    if (s >= 0) return s;
    s = this.slots.length;
    if (s === MAX_LEDGER_REPLICAS) throw new LedgerLimitExceeded(`the ledger follows at most ${MAX_LEDGER_REPLICAS} brokers per partition, and broker ${broker} would be number ${MAX_LEDGER_REPLICAS + 1} to hold this one (reassignments moved it across that many); kafkasim cannot follow this run`);
    this.slots.push(broker);
    this.ackedHeld.push(0);
    this.ackedDeleted.push(0);
    this.extraCopies.push(0);
    return s;
  }

  /** Where entries other than appends go: after the appends so far, in arrival order. */
  place(t: number): Placed {
    return { t, afterAppends: this.appends.length, n: this.placed++ };
  }

  /** Acknowledged records of the partition missing from `broker`'s log now, but for those retention deleted there. */
  ackedMissingFrom(broker: number): number {
    const s = this.slots.indexOf(broker);
    return this.acked - (s < 0 ? 0 : this.ackedHeld[s] + this.ackedDeleted[s]);
  }

  /** Acknowledged records retention deleted from `broker`'s log. */
  ackedDeletedFrom(broker: number): number {
    const s = this.slots.indexOf(broker);
    return s < 0 ? 0 : this.ackedDeleted[s];
  }

  extraCopiesIn(broker: number): number {
    const s = this.slots.indexOf(broker);
    return s < 0 ? 0 : this.extraCopies[s];
  }
}
