// The ledger's records of one producer id in one partition (design.md §4), as typed arrays indexed
// by sequence: Kafka's sequences are per partition and contiguous from 0, so a long busy run costs
// about fifty bytes per record, with no object, string or map per record.

/** −1 in a time or offset column: "not yet". */
export const NOT_YET = -1;

/** acks as one byte: 0, 1, or −1 for all. */
export type AcksCode = 0 | 1 | -1;

export class RecordTable {
  producer?: string;
  /** acks of the batches sent under this producer id (batchSent tells it; fixed per producer). */
  acks: AcksCode = -1;
  /** One past the highest sequence seen, created or only appended by a broker. */
  size = 0;
  createdAt = new Float64Array(0);
  sentAt = new Float64Array(0);
  ackedAt = new Float64Array(0);
  failedAt = new Float64Array(0);
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

  constructor(
    readonly pidx: number,
    readonly producerId: number,
  ) {}

  has(seq: number): boolean {
    return seq < this.size && this.createdAt[seq] >= 0;
  }

  isAcked(seq: number): boolean {
    return this.ackedAt[seq] >= 0;
  }

  isFailed(seq: number): boolean {
    return this.failedAt[seq] >= 0;
  }

  /** Makes room for sequences up to `last`, growing by doubling. */
  reserve(last: number): void {
    if (last < this.size) return;
    this.size = last + 1;
    if (last < this.createdAt.length) return;
    let n = Math.max(16, this.createdAt.length * 2);
    while (n <= last) n *= 2;
    this.createdAt = grown(this.createdAt, n, NOT_YET);
    this.sentAt = grown(this.sentAt, n, NOT_YET);
    this.ackedAt = grown(this.ackedAt, n, NOT_YET);
    this.failedAt = grown(this.failedAt, n, NOT_YET);
    this.ackOffset = grown(this.ackOffset, n, NOT_YET);
    this.ackBroker = grown(this.ackBroker, n, NOT_YET);
    this.ackAcks = grown(this.ackAcks, n, 0);
    this.failCode = grown(this.failCode, n, 0);
    this.consumedBy = grown(this.consumedBy, n, 0);
    this.holders = grown(this.holders, n, 0);
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

type Column = Float64Array | Int32Array | Int8Array | Uint16Array;

function grown<T extends Column>(a: T, n: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  b.fill(fill, a.length);
  return b;
}
