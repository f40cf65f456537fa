// The discrete-event scheduler: a clock and a queue of (time, function, argument) events, run one
// at a time in (time, seq) order, where seq counts insertions so that ties run first in, first out.
//
// This is the hot path of every run, so it is written to allocate nothing per event:
// - each pending event lives in a numbered slot; its function, argument and generation sit side
//   by side in one plain array (one cache miss, not three), and slots are recycled through a free stack;
// - the heap holds only (time, seq, slot) in typed arrays;
// - cancel() just clears the slot's function (lazy cancellation); the stale heap entry is dropped
//   when it reaches the top, or all at once if stale entries ever outnumber live ones;
// - an EventId is generation * SLOT_SPACE + slot, so cancel() finds the slot in O(1) and an id
//   left over from a slot's previous use can never cancel the event now living there.
// - an event for the current time (a zero-delay wake, a node answering at once) skips the heap: it
//   goes to a first-in, first-out lane of its own, since everything in it shares the clock's time
//   and comes out in seq order anyway; the next event is the lane's head or the heap's top, whichever
//   has the smaller (time, seq), so the order is exactly the heap's (a third of a Kafka run's events).
// - a timeout (timeout(): an event its owner expects to cancel, a request's or a parked request's)
//   more than two wheel buckets (~66 ms) ahead waits in a timing wheel (timer-wheel.ts), as Kafka
//   keeps its own timeouts in one, and enters the heap, with its own (time, seq), just before the
//   clock can reach its bucket; one cancelled before never touches the heap. Other events go
//   straight to the heap: the wheel would only add a step to an event that is going to run.
// Repeating timers (every) get negative ids of their own; each occurrence is an ordinary event.
import { Heap } from './heap.ts';
import { BUCKET_US, TimerWheel } from './timer-wheel.ts';
import type { Rng } from './random.ts';
import { formatTime } from './time.ts';

/** Opaque, unique per scheduled event (and per repeating timer); never 0. */
export type EventId = number;

export interface SchedulerOptions {
  /** Maximum number of events a run may execute; default 50_000_000. */
  eventLimit?: number;
  /** Names the run in errors, e.g. "scenario foo, seed 7". */
  label?: string;
}

export interface EveryOptions<A> {
  /** Time of the first run; default now + one period. */
  firstAt?: number;
  /** Each period is interval + rng.int(jitterUs + 1). */
  jitterUs?: number;
  /** Required when jitterUs > 0. */
  rng?: Rng;
  arg?: A;
}

/** Hitting the event limit is an error, not a quiet stop: a run that never settles is a bug. */
export class EventLimitExceeded extends Error {
  override name = 'EventLimitExceeded';
  constructor(
    readonly label: string,
    readonly limit: number,
    readonly time: number,
  ) {
    super(`${label}: event limit of ${limit} events exceeded at simulated time ${formatTime(time)}`);
  }
}

type Handler = (arg: any) => void;

/** A repeating timer, known by the id of its next occurrence. */
interface Repeat {
  next: EventId;
}

const SLOT_SPACE = 2 ** 24; // at most ~16.7M events pending at once
const MAX_GENERATION = 2 ** 29 - 1; // keeps ids below 2**53, so they stay exact integers
const DEFAULT_EVENT_LIMIT = 50_000_000;
const COMPACT_MIN_STALE = 1024;
/**
 * The wheel is compacted only past this many cancelled timeouts: they are its usual content (a
 * reference run keeps ~40,000 cancelled request deadlines in it, all dropped when their bucket comes
 * due), so a low bar would rescan its 4096 buckets every thousand cancels; this bounds the memory
 * (24 bytes each) without that.
 */
const WHEEL_COMPACT_MIN_STALE = 1 << 18;
/** Where a pending slot waits (the `where` byte per slot), so cancel() knows which count it joins. */
const IN_HEAP = 0;
const IN_NOW_LANE = 1;
const IN_WHEEL = 2;
/** An event at least this far ahead is offered to the wheel: it lies two buckets on at least. */
const WHEEL_FROM_US = 2 * BUCKET_US;

export class Scheduler {
  /** Hook run after every event (invariant checks); leave undefined for zero overhead. */
  afterEach: (() => void) | undefined = undefined;

  readonly eventLimit: number;
  readonly label: string;

  private clock = 0;
  private executedCount = 0;
  private seq = 0;
  private stale = 0;
  private running = false;
  private readonly heap = new Heap(1024);
  /** Cancelled entries still in the now-lane (the rest of `stale` is in the heap). */
  private nowStale = 0;
  // the now-lane: a ring of (slot, seq) for events at the clock's time, in seq order
  private nowSlots = new Int32Array(256);
  private nowSeqs = new Float64Array(256);
  private nowHead = 0;
  private nowCount = 0;
  /** Per slot: IN_HEAP, IN_NOW_LANE or IN_WHEEL while its event waits. */
  private where = new Uint8Array(1024);
  private readonly wheel = new TimerWheel();
  /** Cancelled entries still in the wheel. */
  private wheelStale = 0;
  /** Bound once: moves a bucket's entries into the heap, dropping the cancelled ones. */
  private readonly takeFromWheel = (slot: number, time: number, seq: number): void => {
    this.where[slot] = IN_HEAP;
    if (this.entries[slot * 3] === undefined) {
      this.wheelStale--;
      this.release(slot);
      return;
    }
    this.heap.push(slot, time, seq);
  };

  // slot i is entries[3i..3i+2] = [handler or undefined, argument, generation], adjacent so that
  // running an event costs one cache miss for its slot, not three
  private readonly entries: unknown[] = [];
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;
  private slotCount = 0;

  private readonly repeats = new Map<EventId, Repeat>();
  private repeatCount = 0;

  constructor(opts: SchedulerOptions = {}) {
    const limit = opts.eventLimit ?? DEFAULT_EVENT_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new RangeError(`eventLimit must be a non-negative integer, got ${String(limit)}`);
    }
    this.eventLimit = limit;
    this.label = opts.label ?? 'simulation';
  }

  /** Current simulated time, µs. */
  get now(): number {
    return this.clock;
  }

  get executed(): number {
    return this.executedCount;
  }

  /** Events queued and not cancelled (a repeating timer counts once). */
  get pending(): number {
    // the heap and the now-lane hold every pending event plus the cancelled entries not yet dropped
    return this.heap.length + this.nowCount + this.wheel.size - this.stale - this.nowStale - this.wheelStale;
  }

  at<A>(time: number, fn: (arg: A) => void, arg?: A): EventId {
    if (!Number.isSafeInteger(time) || time < this.clock) throw this.badTime('at', time);
    return this.schedule(time, fn, arg);
  }

  after<A>(delayUs: number, fn: (arg: A) => void, arg?: A): EventId {
    if (!Number.isSafeInteger(delayUs) || delayUs < 0) throw this.badDelay('after', delayUs);
    return this.schedule(this.clock + delayUs, fn, arg);
  }

  /**
   * at(), for a timeout: an event its owner expects to cancel before it runs (a request's deadline).
   * It runs exactly as at() would, in (time, seq) order; it only waits elsewhere until it is near.
   */
  timeout<A>(time: number, fn: (arg: A) => void, arg?: A): EventId {
    if (!Number.isSafeInteger(time) || time < this.clock) throw this.badTime('timeout', time);
    return this.schedule(time, fn, arg, true);
  }

  /**
   * Runs fn every period until cancel(id). The next occurrence is queued before fn runs, so fn
   * may cancel its own timer, and a throwing fn does not silently stop the timer.
   */
  every<A>(intervalUs: number, fn: (arg: A) => void, opts: EveryOptions<A> = {}): EventId {
    const jitterUs = opts.jitterUs ?? 0;
    if (!Number.isSafeInteger(intervalUs) || intervalUs < 1) throw this.badDelay('every', intervalUs);
    if (!Number.isSafeInteger(jitterUs) || jitterUs < 0) throw this.badDelay('every (jitterUs)', jitterUs);
    if (jitterUs > 0 && opts.rng === undefined) {
      throw new RangeError(`${this.label}: every() with jitterUs needs an rng, so the jitter is seeded`);
    }
    const rng = opts.rng;
    const arg = opts.arg as A;
    const period = (): number => (jitterUs === 0 ? intervalUs : intervalUs + (rng as Rng).int(jitterUs + 1));
    // one closure per timer, made here, so each occurrence allocates nothing
    const fire = (): void => {
      repeat.next = this.schedule(this.clock + period(), fire, undefined);
      fn(arg);
    };
    const repeat: Repeat = { next: 0 };
    repeat.next = this.at(opts.firstAt ?? this.clock + period(), fire);
    const id = -++this.repeatCount;
    this.repeats.set(id, repeat);
    return id;
  }

  /** True if the event (or repeating timer) was pending; running or finished events return false. */
  cancel(id: EventId): boolean {
    if (id < 0) return this.cancelRepeat(id);
    if (!Number.isSafeInteger(id)) return false;
    const slot = id % SLOT_SPACE;
    const generation = (id - slot) / SLOT_SPACE;
    const at = slot * 3;
    if (slot >= this.slotCount || this.entries[at + 2] !== generation) return false;
    if (this.entries[at] === undefined) return false;
    this.entries[at] = undefined;
    this.entries[at + 1] = undefined;
    const where = this.where[slot];
    if (where === IN_NOW_LANE) {
      this.nowStale++;
      return true;
    }
    if (where === IN_WHEEL) {
      this.wheelStale++;
      if (this.wheelStale > WHEEL_COMPACT_MIN_STALE && this.wheelStale * 2 > this.wheel.size) this.compactWheel();
      return true;
    }
    this.stale++;
    if (this.stale > COMPACT_MIN_STALE && this.stale * 2 > this.heap.length) this.compact();
    return true;
  }

  /** Runs the next event; false if there is none. */
  step(): boolean {
    this.enter();
    try {
      return this.runNext(Number.POSITIVE_INFINITY);
    } finally {
      this.running = false;
    }
  }

  /** Runs every event with time <= `time`, including ones scheduled meanwhile; then now = time. */
  runUntil(time: number): void {
    if (!Number.isSafeInteger(time) || time < this.clock) throw this.badTime('runUntil', time);
    this.enter();
    try {
      while (this.runNext(time));
      this.clock = time;
    } finally {
      this.running = false;
    }
  }

  /** Time of the next event that will run, or undefined if none is pending. */
  peekTime(): number | undefined {
    this.dropStaleTop();
    if (this.nowCount > 0 && this.dropStaleNow()) return this.clock;
    if (this.wheel.size > 0) this.settleWheel();
    return this.heap.length > 0 ? this.heap.topTime() : undefined;
  }

  /** Pops and runs the earliest event if its time is <= limit. */
  private runNext(limit: number): boolean {
    const heap = this.heap;
    this.dropStaleTop();
    let slot: number;
    let time: number;
    // the now-lane's head runs first unless the heap holds an event of the same time queued before it
    if (this.nowCount > 0 && this.dropStaleNow() && (heap.length === 0 || heap.topTime() > this.clock || heap.topSeq() > this.nowSeqs[this.nowHead])) {
      time = this.clock;
      if (time > limit) return false;
      if (this.executedCount >= this.eventLimit) throw new EventLimitExceeded(this.label, this.eventLimit, time);
      slot = this.nowSlots[this.nowHead];
      this.where[slot] = IN_HEAP;
      this.nowHead = (this.nowHead + 1) & (this.nowSlots.length - 1);
      this.nowCount--;
    } else {
      if (this.wheel.size > 0) this.settleWheel();
      if (heap.length === 0) return false;
      time = heap.topTime();
      if (time > limit) return false;
      if (this.executedCount >= this.eventLimit) {
        throw new EventLimitExceeded(this.label, this.eventLimit, time);
      }
      slot = heap.pop();
      // Dropping cancelled entries now as well as before the next event also reads the next
      // event's slot, so its cache miss (a large share of the cost at 1e5+ pending) overlaps with
      // running this one.
      this.dropStaleTop();
    }
    const entries = this.entries;
    const at = slot * 3;
    const fn = entries[at] as Handler;
    const arg = entries[at + 1];
    entries[at] = undefined;
    entries[at + 1] = undefined;
    this.release(slot);
    this.executedCount++;
    this.clock = time;
    fn(arg);
    if (this.afterEach !== undefined) this.afterEach();
    return true;
  }

  private schedule(time: number, fn: Handler, arg: unknown, timeout = false): EventId {
    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount] : this.newSlot();
    const at = slot * 3;
    this.entries[at] = fn;
    this.entries[at + 1] = arg;
    const seq = this.seq++;
    if (time === this.clock) this.pushNow(slot, seq);
    else if (!timeout || time - this.clock < WHEEL_FROM_US || !this.wheel.offer(this.clock, slot, time, seq)) this.heap.push(slot, time, seq);
    else this.markWhere(slot, IN_WHEEL);
    return (this.entries[at + 2] as number) * SLOT_SPACE + slot;
  }

  /** Queues an event for the clock's time in the now-lane. */
  private pushNow(slot: number, seq: number): void {
    if (this.nowCount === this.nowSlots.length) this.growNow();
    const mask = this.nowSlots.length - 1;
    const tail = (this.nowHead + this.nowCount) & mask;
    this.nowSlots[tail] = slot;
    this.nowSeqs[tail] = seq;
    this.nowCount++;
    this.markWhere(slot, IN_NOW_LANE);
  }

  private markWhere(slot: number, where: number): void {
    if (slot >= this.where.length) this.where = grownBytes(this.where, slot);
    this.where[slot] = where;
  }

  /**
   * Hands the wheel's buckets to the heap while the earliest starts no later than the heap's top, so
   * nothing in the wheel can be due before the event about to run (and buckets stay after the clock).
   */
  private settleWheel(): void {
    const heap = this.heap;
    while (this.wheel.size > 0 && (heap.length === 0 || heap.topTime() >= this.wheel.nextStartUs)) {
      this.wheel.drainEarliest(this.takeFromWheel);
      this.dropStaleTop();
    }
  }

  private compactWheel(): void {
    this.wheel.retain((slot) => {
      if (this.entries[slot * 3] !== undefined) return true;
      this.where[slot] = IN_HEAP;
      this.release(slot);
      return false;
    });
    this.wheelStale = 0;
  }

  /** Drops cancelled entries off the now-lane's head; true if a live event is left in it. */
  private dropStaleNow(): boolean {
    if (this.nowStale === 0) return this.nowCount > 0;
    while (this.nowCount > 0) {
      const slot = this.nowSlots[this.nowHead];
      if (this.entries[slot * 3] !== undefined) return true;
      this.where[slot] = IN_HEAP;
      this.nowHead = (this.nowHead + 1) & (this.nowSlots.length - 1);
      this.nowCount--;
      this.nowStale--;
      this.release(slot);
    }
    return false;
  }

  private growNow(): void {
    const n = this.nowSlots.length;
    const slots = new Int32Array(n * 2);
    const seqs = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const j = (this.nowHead + i) & (n - 1);
      slots[i] = this.nowSlots[j];
      seqs[i] = this.nowSeqs[j];
    }
    this.nowSlots = slots;
    this.nowSeqs = seqs;
    this.nowHead = 0;
  }

  /** Pops cancelled entries off the top so the top is a live event (or the heap is empty). */
  private dropStaleTop(): void {
    const heap = this.heap;
    while (heap.length > 0 && this.entries[heap.topId() * 3] === undefined) {
      this.release(heap.pop());
      this.stale--;
    }
  }

  /** Rebuilds the heap without cancelled entries, so mass cancellation cannot hoard memory. */
  private compact(): void {
    this.heap.retain((slot) => {
      if (this.entries[slot * 3] !== undefined) return true;
      this.release(slot);
      return false;
    });
    this.stale = 0;
  }

  /** A slot whose event ran or was dropped; the new generation invalidates its old id. */
  private release(slot: number): void {
    const generation = (this.entries[slot * 3 + 2] as number) + 1;
    this.entries[slot * 3 + 2] = generation;
    // a slot reused 2**29 times is retired rather than let its ids outgrow exact integers
    if (generation >= MAX_GENERATION) return;
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grown(this.freeSlots);
    this.freeSlots[this.freeCount++] = slot;
  }

  private newSlot(): number {
    if (this.slotCount >= SLOT_SPACE) throw new RangeError(`${this.label}: more than ${SLOT_SPACE} events pending`);
    const slot = this.slotCount++;
    // generations start at 1 so that no id is 0, a value callers may use to mean "no timer"
    this.entries.push(undefined, undefined, 1);
    return slot;
  }

  private cancelRepeat(id: EventId): boolean {
    const repeat = this.repeats.get(id);
    if (repeat === undefined) return false;
    this.repeats.delete(id);
    this.cancel(repeat.next);
    return true;
  }

  private enter(): void {
    if (this.running) throw new Error(`${this.label}: step()/runUntil() called from inside an event`);
    this.running = true;
  }

  private badTime(what: string, time: number): RangeError {
    const why = Number.isSafeInteger(time) ? `is before now (${formatTime(this.clock)})` : 'is not an integer µs';
    return new RangeError(`${this.label}: ${what}(${String(time)}) ${why}`);
  }

  private badDelay(what: string, delay: number): RangeError {
    return new RangeError(`${this.label}: ${what}(${String(delay)}): need a non-negative integer µs (positive for an interval)`);
  }
}

function grownBytes(xs: Uint8Array<ArrayBuffer>, atLeast: number): Uint8Array<ArrayBuffer> {
  const bigger = new Uint8Array(Math.max(xs.length * 2, atLeast + 1));
  bigger.set(xs);
  return bigger;
}

function grown(xs: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(xs.length * 2);
  bigger.set(xs);
  return bigger;
}
