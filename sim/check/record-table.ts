// The ledger's records of one producer id in one partition (sim/kafka/ledger-port.ts), as typed arrays indexed
// by sequence: Kafka's sequences are per partition and contiguous from 0, so a long busy run costs
// under forty-five bytes per record, with no object, string or map per record. Times after creation are
// kept as microseconds since it (a 32-bit delay; the rare one past 35 minutes is kept aside). The
// columns share one buffer, grown by half again.

import { carry, columns, type F64, type I32, type I8, type U16 } from '../engine/columns.ts';

/** −1 in a time or offset: "not yet". */
export const NOT_YET = -1;

/** acks as one byte: 0, 1, or −1 for all. */
export type AcksCode = 0 | 1 | -1;

/** The delay that means "see `late`". */
const LATE = 0x7fffffff;

/** A time after the record's creation, per sequence: µs since createdAt, or −1. */
class DelayColumn {
  delays = new Int32Array(0);
  /** Exact times of the delays too long for 32 bits. */
  private late?: Map<number, number>;

  get(seq: number, createdAt: number): number {
    const d = this.delays[seq];
    return d === NOT_YET ? NOT_YET : d === LATE ? this.late!.get(seq)! : createdAt + d;
  }

  set(seq: number, createdAt: number, t: number): void {
    const d = t - createdAt;
    if (d >= 0 && d < LATE) {
      this.delays[seq] = d;
      return;
    }
    this.delays[seq] = LATE;
    (this.late ??= new Map()).set(seq, t);
  }

  isSet(seq: number): boolean {
    return this.delays[seq] !== NOT_YET;
  }

  /** Moves the delays into a bigger column. */
  moveTo(column: I32): void {
    carry(this.delays, column, NOT_YET);
    this.delays = column;
  }
}

export class RecordTable {
  producer?: string;
  /** acks of the batches sent under this producer id (batchSent tells it; fixed per producer). */
  acks: AcksCode = -1;
  /** One past the highest sequence seen, created or only appended by a broker. */
  size = 0;
  private createdAt = new Float64Array(0);
  private readonly sentAt = new DelayColumn();
  private readonly ackedAt = new DelayColumn();
  private readonly failedAt = new DelayColumn();
  ackOffset = new Int32Array(0);
  ackBroker = new Int32Array(0);
  ackAcks = new Int8Array(0);
  /** Index of the error code in the ledger's list of codes (0: none). */
  failCode = new Uint16Array(0);
  /** Bit g: consumer group g of the ledger's list received the record (groups past 32 in `moreGroups`). */
  consumedBy = new Int32Array(0);
  moreGroups?: Map<number, string[]>;
  /** Bit s: the broker in replica slot s of the partition holds the record in its log now. */
  holders = new Int32Array(0);
  /** Bit s: retention deleted the record from slot s's log (its log start passed it): gone, not lost. */
  deletedFrom = new Int32Array(0);

  constructor(
    readonly pidx: number,
    readonly producerId: number,
  ) {}

  has(seq: number): boolean {
    return seq < this.size && this.createdAt[seq] >= 0;
  }

  created(seq: number): number {
    return this.createdAt[seq];
  }

  sent(seq: number): number {
    return this.sentAt.get(seq, this.createdAt[seq]);
  }

  acked(seq: number): number {
    return this.ackedAt.get(seq, this.createdAt[seq]);
  }

  failed(seq: number): number {
    return this.failedAt.get(seq, this.createdAt[seq]);
  }

  isSent(seq: number): boolean {
    return this.sentAt.isSet(seq);
  }

  isAcked(seq: number): boolean {
    return this.ackedAt.isSet(seq);
  }

  isFailed(seq: number): boolean {
    return this.failedAt.isSet(seq);
  }

  markCreated(seq: number, t: number): void {
    this.createdAt[seq] = t;
  }

  markSent(seq: number, t: number): void {
    this.sentAt.set(seq, this.createdAt[seq], t);
  }

  markAcked(seq: number, t: number): void {
    this.ackedAt.set(seq, this.createdAt[seq], t);
  }

  markFailed(seq: number, t: number): void {
    this.failedAt.set(seq, this.createdAt[seq], t);
  }

  /** Makes room for sequences up to `last`, growing by half again. */
  reserve(last: number): void {
    if (last < this.size) return;
    this.size = last + 1;
    if (last < this.createdAt.length) return;
    let n = Math.max(64, this.createdAt.length);
    while (n <= last) n = Math.ceil(n * 1.5);
    this.grow(n);
  }

  private grow(n: number): void {
    const c = columns(n, [Float64Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Uint16Array, Int8Array]);
    carry(this.createdAt, c[0], NOT_YET);
    this.createdAt = c[0] as F64;
    this.sentAt.moveTo(c[1] as I32);
    this.ackedAt.moveTo(c[2] as I32);
    this.failedAt.moveTo(c[3] as I32);
    carry(this.ackOffset, c[4], NOT_YET);
    this.ackOffset = c[4] as I32;
    carry(this.ackBroker, c[5], NOT_YET);
    this.ackBroker = c[5] as I32;
    carry(this.consumedBy, c[6], 0);
    this.consumedBy = c[6] as I32;
    carry(this.holders, c[7], 0);
    this.holders = c[7] as I32;
    carry(this.deletedFrom, c[8], 0);
    this.deletedFrom = c[8] as I32;
    carry(this.failCode, c[9], 0);
    this.failCode = c[9] as U16;
    carry(this.ackAcks, c[10], 0);
    this.ackAcks = c[10] as I8;
  }

  /** Sequences of the records created, ascending. */
  *sequences(): Generator<number> {
    for (let seq = 0; seq < this.size; seq++) if (this.createdAt[seq] >= 0) yield seq;
  }

  acksOf(seq: number): number | string {
    const a = this.ackAcks[seq];
    return a === -1 ? 'all' : a;
  }
}
