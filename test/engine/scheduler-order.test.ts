// Property tests of the scheduler's one promise: events run in (time, seq) order, where seq is
// the order of scheduling. The real Scheduler is driven side by side with a deliberately naive
// reference (scan everything for the smallest key) through random programs of at / after /
// cancel / runUntil, including events that schedule and cancel others while they run.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Scheduler } from '../../sim/engine/scheduler.ts';

/** What the driver needs from a scheduler; both implementations provide it. */
interface SchedulerLike {
  readonly now: number;
  readonly pending: number;
  at(time: number, fn: () => void): number;
  after(delay: number, fn: () => void): number;
  timeout(time: number, fn: () => void): number;
  cancel(id: number): boolean;
  runUntil(time: number): void;
}

interface RefEvent {
  time: number;
  seq: number;
  fn: () => void;
  state: 'pending' | 'cancelled' | 'done';
}

/** O(n) per step, obviously correct: run the pending event with the smallest (time, seq). */
class ReferenceScheduler implements SchedulerLike {
  now = 0;
  private readonly events: RefEvent[] = [];

  get pending(): number {
    return this.events.filter((e) => e.state === 'pending').length;
  }

  at(time: number, fn: () => void): number {
    this.events.push({ time, seq: this.events.length, fn, state: 'pending' });
    return this.events.length - 1;
  }

  after(delay: number, fn: () => void): number {
    return this.at(this.now + delay, fn);
  }

  /** A timeout is an ordinary event; only where it waits differs in the real scheduler. */
  timeout(time: number, fn: () => void): number {
    return this.at(time, fn);
  }

  cancel(id: number): boolean {
    const e = this.events[id];
    if (e.state !== 'pending') return false;
    e.state = 'cancelled';
    return true;
  }

  runUntil(time: number): void {
    for (;;) {
      let best: RefEvent | undefined;
      for (const e of this.events) {
        if (e.state !== 'pending' || e.time > time) continue;
        if (best === undefined || e.time < best.time || (e.time === best.time && e.seq < best.seq)) best = e;
      }
      if (best === undefined) break;
      best.state = 'done';
      this.now = best.time;
      best.fn();
    }
    this.now = time;
  }
}

type Action =
  | { kind: 'at'; offset: number; children: number }
  | { kind: 'after'; delay: number; children: number }
  | { kind: 'timeout'; delay: number; children: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'advance'; by: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('at' as const), offset: fc.integer({ min: 0, max: 12 }), children: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('after' as const), delay: fc.integer({ min: 0, max: 12 }), children: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), by: fc.integer({ min: 0, max: 8 }) }),
);

/**
 * Plays a tape of actions against a scheduler and returns a log of what happened. Actions are
 * consumed from one cursor in execution order, so a handler's children are the next actions on
 * the tape when it runs: if two schedulers ever disagree on order, their logs diverge.
 */
function play(s: SchedulerLike, tape: readonly Action[], endBy = 10_000): string[] {
  const log: string[] = [];
  const ids: number[] = [];
  let cursor = 0;
  const perform = (count: number, topLevel: boolean): void => {
    for (let i = 0; i < count && cursor < tape.length; i++) {
      const a = tape[cursor++];
      if (a.kind === 'cancel') {
        if (ids.length > 0) log.push(`cancel #${a.pick % ids.length} -> ${s.cancel(ids[a.pick % ids.length])}`);
      } else if (a.kind === 'advance') {
        // runUntil is a top-level operation; inside a handler the action is skipped
        if (topLevel) s.runUntil(s.now + a.by);
        if (topLevel) log.push(`advanced to ${s.now}, pending ${s.pending}`);
      } else {
        const name = ids.length;
        const handler = (): void => {
          log.push(`run #${name} at ${s.now}`);
          perform(a.children, false);
        };
        ids.push(a.kind === 'at' ? s.at(s.now + a.offset, handler) : a.kind === 'timeout' ? s.timeout(s.now + a.delay, handler) : s.after(a.delay, handler));
      }
    }
  };
  while (cursor < tape.length) perform(1, true);
  s.runUntil(s.now + endBy);
  log.push(`end at ${s.now}, pending ${s.pending}`);
  return log;
}

describe('Scheduler order (property)', () => {
  it('matches the naive reference on random programs with nested scheduling and cancels', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 120 }), (tape) => {
        expect(play(new Scheduler(), tape)).toEqual(play(new ReferenceScheduler(), tape));
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('matches the reference when most events are for the current time (the now-lane against heap events of the same time)', () => {
    // delays of 0 go to the scheduler's now-lane, 1 and 2 to its heap; as a heap event of time t
    // queued before a zero-delay event made at t must run first, the mix tests the lane's tie rule
    const zeroHeavy: fc.Arbitrary<Action> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('after' as const), delay: fc.constantFrom(0, 0, 0, 1, 2), children: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), by: fc.integer({ min: 0, max: 2 }) }) },
    );
    fc.assert(
      fc.property(fc.array(zeroHeavy, { maxLength: 150 }), (tape) => {
        expect(play(new Scheduler(), tape)).toEqual(play(new ReferenceScheduler(), tape));
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('matches the reference when timeouts are far off (the timing wheel), on its bucket edges and beyond its reach', () => {
    // the wheel takes timeouts more than two 32,768 µs buckets ahead and up to ~134 s; these delays sit
    // on both sides of each of those edges, and repeat so that far events tie with each other and
    // with near ones; advances land the clock inside buckets, on their edges and past whole laps
    const B = 32_768;
    // a few bucket multiples plus a few µs, so that far events crowd into the same buckets as each
    // other and as the near events the clock is at when those buckets come due
    const nearEdge = (k: number): fc.Arbitrary<number> => fc.integer({ min: -2, max: 2 }).map((j) => Math.max(0, k * B + j));
    const delay = fc.oneof(
      fc.constantFrom(0, 1, 2),
      nearEdge(1),
      nearEdge(2),
      nearEdge(3),
      nearEdge(4095),
      nearEdge(4096),
      fc.integer({ min: 0, max: 5 * B }),
      fc.constantFrom(500_000, 30_000_000, 200_000_000),
    );
    const far: fc.Arbitrary<Action> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('timeout' as const), delay, children: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('after' as const), delay, children: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), by: fc.oneof(fc.constantFrom(0, 1, 2), nearEdge(1), nearEdge(2), fc.integer({ min: 0, max: 40_000_000 })) }) },
    );
    fc.assert(
      fc.property(fc.array(far, { maxLength: 150 }), (tape) => {
        expect(play(new Scheduler(), tape, 1_000_000_000)).toEqual(play(new ReferenceScheduler(), tape, 1_000_000_000));
      }),
      { seed: 11, numRuns: 600 },
    );
  });

  it('keeps far-off timeouts in order through a mass cancellation in the timing wheel, and peekTime sees them', () => {
    const s = new Scheduler();
    // enough cancels (6 in 7 of 320,000) that the wheel compacts itself (past 2^18 cancelled entries)
    const n = 320_000;
    // 0.1 s to 100 s ahead, scrambled, so every one waits in the wheel
    const time = (i: number): number => 100_000 + ((i * 7919) % 1000) * 99_900;
    const ran: number[] = [];
    const ids = Array.from({ length: n }, (_, i) => s.timeout(time(i), () => ran.push(i)));
    const survivors: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 7 === 3) survivors.push(i);
      else if (!s.cancel(ids[i])) throw new Error(`timeout ${i} was not pending`);
    }
    expect(s.pending).toBe(survivors.length);
    // ids of cancelled timeouts stay dead after the compaction dropped them, and live ones still cancel
    expect(s.cancel(ids[0])).toBe(false);
    expect(s.cancel(ids[3])).toBe(true);
    survivors.shift();
    const first = [...survivors].sort((a, b) => time(a) - time(b) || a - b);
    expect(s.peekTime()).toBe(time(first[0]));
    s.runUntil(200_000_000);
    expect(ran).toEqual(first);
    expect(s.pending).toBe(0);
  });

  it('runs the non-cancelled events in a stable sort by time (ties in scheduling order)', () => {
    const program = fc.record({
      times: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 200 }),
      cancels: fc.array(fc.nat(), { maxLength: 60 }),
    });
    fc.assert(
      fc.property(program, ({ times, cancels }) => {
        const s = new Scheduler();
        const ran: number[] = [];
        const ids = times.map((t, i) => s.at(t, () => ran.push(i)));
        const cancelled = new Set<number>();
        for (const c of cancels) {
          if (ids.length === 0) break;
          const i = c % ids.length;
          expect(s.cancel(ids[i])).toBe(!cancelled.has(i));
          cancelled.add(i);
        }
        expect(s.pending).toBe(times.length - cancelled.size);
        s.runUntil(1000);
        const expected = times
          .map((t, i) => ({ t, i }))
          .filter(({ i }) => !cancelled.has(i))
          .sort((a, b) => a.t - b.t) // Array.prototype.sort is stable: equal times keep insertion order
          .map(({ i }) => i);
        expect(ran).toEqual(expected);
        expect(s.pending).toBe(0);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps the order through a mass cancellation that compacts the queue', () => {
    const s = new Scheduler();
    const n = 5000;
    const time = (i: number): number => (i * 7919) % 1000;
    const ran: number[] = [];
    const ids = Array.from({ length: n }, (_, i) => s.at(time(i), () => ran.push(i)));
    const survivors: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 5 === 0) survivors.push(i);
      else expect(s.cancel(ids[i])).toBe(true);
    }
    expect(s.pending).toBe(survivors.length);
    // ids of cancelled events stay dead after the compaction dropped them, and live ones still cancel
    expect(s.cancel(ids[1])).toBe(false);
    expect(s.cancel(ids[0])).toBe(true);
    survivors.shift();
    const late = s.at(2000, () => ran.push(-1));
    s.runUntil(3000);
    const expected = [...survivors].sort((a, b) => time(a) - time(b) || a - b);
    expect(ran).toEqual([...expected, -1]);
    expect(s.cancel(late)).toBe(false);
    expect(s.pending).toBe(0);
  });
});
