// A hashed timing wheel for far-off timers, in front of the scheduler's heap (the idea of Kafka's own
// TimingWheel, server-common/.../util/timer/TimingWheel.java, and of Varghese & Lauck's wheels).
//
// Most far-off timers of a Kafka run are cancelled long before they are due: a request's timeout
// when its response comes back, a parked fetch's max wait when data arrives. In the heap each
// would cost a push and, once cancelled, a stale entry that deepens every later pop until it
// surfaces. Here a timer is appended to the bucket of its time, O(1), and a cancelled one is
// simply skipped when its bucket comes due, so it never reaches the heap.
//
// The wheel never decides order: a bucket is handed to the heap whole, each entry with its own
// (time, seq), before the clock can reach the bucket's first microsecond, so events still run in
// exactly (time, seq) order. Entries are (slot, time, seq) triples in one number array per bucket,
// kept and reused, so steady state allocates nothing.

/** Width of a bucket: 2^15 µs ≈ 33 ms. */
const BUCKET_BITS = 15;
export const BUCKET_US = 2 ** BUCKET_BITS;
/** Buckets in the ring: with 4096, timers up to about 134 s ahead fit. */
const BUCKET_COUNT = 4096;

export class TimerWheel {
  /** Entries held, live or cancelled. */
  size = 0;
  private readonly buckets: number[][] = Array.from({ length: BUCKET_COUNT }, () => []);
  /** Index (time / BUCKET_US) of the earliest non-empty bucket; Infinity when empty. */
  private earliest = Number.POSITIVE_INFINITY;
  /**
   * First microsecond of the earliest non-empty bucket (earliest × BUCKET_US); Infinity when the wheel
   * is empty. Kept beside `earliest` because the scheduler reads it before every event; only the wheel sets it.
   */
  nextStartUs = Number.POSITIVE_INFINITY;

  /**
   * Takes (slot, time, seq) if `time` falls in a bucket that starts after the clock's bucket ends and
   * within the ring's reach; false otherwise (the caller puts it in the heap). Buckets that start after
   * the clock are never due yet, which keeps two bucket indices from sharing a ring position.
   */
  offer(clock: number, slot: number, time: number, seq: number): boolean {
    const index = Math.floor(time / BUCKET_US);
    const clockIndex = Math.floor(clock / BUCKET_US);
    if (index <= clockIndex + 1 || index >= clockIndex + BUCKET_COUNT) return false;
    this.buckets[index & (BUCKET_COUNT - 1)].push(slot, time, seq);
    this.size++;
    if (index < this.earliest) this.setEarliest(index);
    return true;
  }


  /**
   * Empties the earliest bucket, calling `take(slot, time, seq)` for each entry in insertion order,
   * and finds the next non-empty bucket.
   */
  drainEarliest(take: (slot: number, time: number, seq: number) => void): void {
    const index = this.earliest;
    if (index === Number.POSITIVE_INFINITY) return;
    const bucket = this.buckets[index & (BUCKET_COUNT - 1)];
    const n = bucket.length;
    for (let i = 0; i < n; i += 3) take(bucket[i], bucket[i + 1], bucket[i + 2]);
    bucket.length = 0;
    this.size -= n / 3;
    this.setEarliest(Number.POSITIVE_INFINITY);
    if (this.size === 0) return;
    // every entry lies within the ring's reach of the drained bucket, so one lap finds the next
    for (let i = 1; i < BUCKET_COUNT; i++) {
      if (this.buckets[(index + i) & (BUCKET_COUNT - 1)].length > 0) {
        this.setEarliest(index + i);
        return;
      }
    }
  }

  private setEarliest(index: number): void {
    this.earliest = index;
    this.nextStartUs = index * BUCKET_US;
  }

  /** Drops every entry whose slot fails `keep` (mass cancellation must not hoard memory). */
  retain(keep: (slot: number) => boolean): void {
    for (const bucket of this.buckets) {
      let kept = 0;
      for (let i = 0; i < bucket.length; i += 3) {
        if (!keep(bucket[i])) continue;
        bucket[kept] = bucket[i];
        bucket[kept + 1] = bucket[i + 1];
        bucket[kept + 2] = bucket[i + 2];
        kept += 3;
      }
      this.size -= (bucket.length - kept) / 3;
      bucket.length = kept;
    }
    if (this.size === 0) this.setEarliest(Number.POSITIVE_INFINITY);
  }
}
