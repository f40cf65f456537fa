// The scheduler's contract, one behaviour per test: ties, cancellation, repeating timers,
// runUntil's bounds, the event limit, and the errors that guard simulated time.
import { describe, it, expect } from 'vitest';
import { Scheduler, EventLimitExceeded, type EveryOptions } from '../../sim/engine/scheduler.ts';
import { RandomStreams } from '../../sim/engine/random.ts';
import { MS, SEC } from '../../sim/engine/time.ts';

const noop = (): void => {};

describe('Scheduler: order', () => {
  it('runs events at the same instant in the order they were scheduled', () => {
    const s = new Scheduler();
    const ran: string[] = [];
    s.at(5, (x: string) => ran.push(x), 'a');
    s.after(5, (x: string) => ran.push(x), 'b');
    s.at(3, () => {
      ran.push('c');
      // scheduled later than a and b, so runs after them at t=5
      s.after(2, () => ran.push('d'));
    });
    s.at(5, () => {
      ran.push('e');
      // "now" from inside an event goes behind everything already queued for now
      s.after(0, () => ran.push('f'));
    });
    s.runUntil(10);
    expect(ran).toEqual(['c', 'a', 'b', 'e', 'd', 'f']);
  });

  it('passes the argument and sets now before calling the handler', () => {
    const s = new Scheduler();
    const seen: [number, number][] = [];
    s.at(7 * MS, (n: number) => seen.push([s.now, n]), 42);
    s.runUntil(SEC);
    expect(seen).toEqual([[7000, 42]]);
  });

  it('gives every event a distinct, non-zero id', () => {
    const s = new Scheduler();
    const ids = new Set<number>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 100; i++) ids.add(s.after(i, noop));
      ids.add(s.every(10, noop));
      s.runUntil(s.now + 50);
    }
    expect(ids.size).toBe(303);
    expect(ids.has(0)).toBe(false);
  });
});

describe('Scheduler: cancel', () => {
  it('cancels a pending event, which then never runs', () => {
    const s = new Scheduler();
    let ran = false;
    const id = s.at(10, () => (ran = true));
    expect(s.pending).toBe(1);
    expect(s.cancel(id)).toBe(true);
    expect(s.pending).toBe(0);
    s.runUntil(100);
    expect(ran).toBe(false);
    expect(s.executed).toBe(0);
  });

  it('returns false for a second cancel, an event that already ran, and unknown ids', () => {
    const s = new Scheduler();
    const a = s.at(1, noop);
    const b = s.at(2, noop);
    expect(s.cancel(a)).toBe(true);
    expect(s.cancel(a)).toBe(false);
    s.runUntil(5);
    expect(s.cancel(b)).toBe(false);
    expect(s.cancel(12345)).toBe(false);
    expect(s.cancel(-99)).toBe(false);
    expect(s.cancel(0.5)).toBe(false);
  });

  it('treats 0 as "no timer": cancel(0) is a harmless no-op', () => {
    const s = new Scheduler();
    let ran = false;
    s.at(1, () => (ran = true));
    expect(s.cancel(0)).toBe(false);
    s.runUntil(2);
    expect(ran).toBe(true);
  });

  it('returns false when an event cancels itself while running', () => {
    const s = new Scheduler();
    let result: boolean | undefined;
    const id: number = s.at(1, () => (result = s.cancel(id)));
    s.runUntil(2);
    expect(result).toBe(false);
  });

  it('never lets an old id cancel the event that reuses its slot', () => {
    const s = new Scheduler();
    const old = s.at(1, noop);
    s.runUntil(1);
    let ran = false;
    const fresh = s.at(2, () => (ran = true));
    expect(s.cancel(old)).toBe(false);
    s.runUntil(3);
    expect(ran).toBe(true);
    expect(fresh).not.toBe(old);
  });

  it('an event can cancel a later one', () => {
    const s = new Scheduler();
    const ran: string[] = [];
    const later = s.at(5, () => ran.push('later'));
    s.at(4, () => ran.push(`cancel ${s.cancel(later)}`));
    s.runUntil(10);
    expect(ran).toEqual(['cancel true']);
  });

  it('peekTime skips cancelled events', () => {
    const s = new Scheduler();
    const a = s.at(3, noop);
    s.at(8, noop);
    expect(s.peekTime()).toBe(3);
    s.cancel(a);
    expect(s.peekTime()).toBe(8);
    s.runUntil(8);
    expect(s.peekTime()).toBeUndefined();
  });
});

describe('Scheduler: every', () => {
  function times(s: Scheduler, intervalUs: number, opts: EveryOptions<undefined> = {}, until = 100): number[] {
    const seen: number[] = [];
    s.every(intervalUs, () => seen.push(s.now), opts);
    s.runUntil(until);
    return seen;
  }

  it('repeats every interval from now, or from firstAt', () => {
    expect(times(new Scheduler(), 30)).toEqual([30, 60, 90]);
    expect(times(new Scheduler(), 30, { firstAt: 0 })).toEqual([0, 30, 60, 90]);
  });

  it('passes its argument each time', () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.every(10, (x: string) => seen.push(x), { arg: 'hb' });
    s.runUntil(25);
    expect(seen).toEqual(['hb', 'hb']);
  });

  it('stops when cancelled from outside, with one id valid across repetitions', () => {
    const s = new Scheduler();
    let count = 0;
    const id = s.every(10, () => count++);
    s.runUntil(35);
    expect(s.pending).toBe(1);
    expect(s.cancel(id)).toBe(true);
    expect(s.pending).toBe(0);
    expect(s.cancel(id)).toBe(false);
    s.runUntil(100);
    expect(count).toBe(3);
  });

  it('stops when its own handler cancels it', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    const id: number = s.every(10, () => {
      seen.push(s.now);
      if (seen.length === 2) expect(s.cancel(id)).toBe(true);
    });
    s.runUntil(100);
    expect(seen).toEqual([10, 20]);
    expect(s.pending).toBe(0);
  });

  it('draws jitter from its rng: each period in [interval, interval + jitter], reproducible by seed', () => {
    const run = (seed: number): number[] =>
      times(new Scheduler(), 100, { jitterUs: 50, rng: new RandomStreams(seed).stream('heartbeat') }, 100_000);
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
    const periods = a.map((t, i) => t - (i === 0 ? 0 : a[i - 1]));
    expect(Math.min(...periods)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...periods)).toBeLessThanOrEqual(150);
    expect(new Set(periods).size).toBeGreaterThan(10);
  });

  it('rejects a zero interval, a negative jitter, and jitter without an rng', () => {
    const s = new Scheduler();
    expect(() => s.every(0, noop)).toThrow(RangeError);
    expect(() => s.every(10, noop, { jitterUs: -1 })).toThrow(RangeError);
    expect(() => s.every(10, noop, { jitterUs: 5 })).toThrow(/rng/);
  });
});

describe('Scheduler: runUntil and step', () => {
  it('runs events at exactly t, not after, and leaves now at t', () => {
    const s = new Scheduler();
    const ran: number[] = [];
    for (const t of [10, 20, 20, 21]) s.at(t, () => ran.push(t));
    s.at(20, () => s.after(0, () => ran.push(-20)));
    s.runUntil(20);
    expect(ran).toEqual([10, 20, 20, -20]);
    expect(s.now).toBe(20);
    expect(s.pending).toBe(1);
    s.runUntil(50);
    expect(ran).toEqual([10, 20, 20, -20, 21]);
    expect(s.now).toBe(50);
  });

  it('advances an empty queue, and rejects going back in time', () => {
    const s = new Scheduler();
    s.runUntil(SEC);
    expect(s.now).toBe(SEC);
    s.runUntil(SEC);
    expect(() => s.runUntil(SEC - 1)).toThrow(RangeError);
    expect(() => s.runUntil(SEC + 0.5)).toThrow(RangeError);
  });

  it('step runs one event at a time and reports an empty queue', () => {
    const s = new Scheduler();
    s.at(4, noop);
    s.at(9, noop);
    expect(s.step()).toBe(true);
    expect([s.now, s.executed]).toEqual([4, 1]);
    expect(s.step()).toBe(true);
    expect(s.now).toBe(9);
    expect(s.step()).toBe(false);
    expect(s.executed).toBe(2);
  });

  it('refuses to be stepped from inside an event', () => {
    const s = new Scheduler({ label: 'nested' });
    s.at(1, () => s.step());
    expect(() => s.runUntil(5)).toThrow(/nested: step\(\)\/runUntil\(\) called from inside an event/);
  });

  it('stays usable after a handler throws', () => {
    const s = new Scheduler();
    const ran: number[] = [];
    s.at(1, () => {
      throw new Error('boom');
    });
    s.at(2, () => ran.push(2));
    expect(() => s.runUntil(5)).toThrow('boom');
    expect(s.now).toBe(1);
    s.runUntil(5);
    expect(ran).toEqual([2]);
  });

  it('calls afterEach after every event, at the event time', () => {
    const s = new Scheduler();
    const checks: [number, number][] = [];
    s.afterEach = () => checks.push([s.now, s.executed]);
    s.at(3, noop);
    s.at(3, noop);
    s.at(8, noop);
    s.runUntil(10);
    expect(checks).toEqual([[3, 1], [3, 2], [8, 3]]);
    s.afterEach = undefined;
    s.at(12, noop);
    s.runUntil(20);
    expect(checks).toHaveLength(3);
  });
});

describe('Scheduler: guards', () => {
  it('rejects times in the past and times that are not integer microseconds', () => {
    const s = new Scheduler({ label: 'scenario t, seed 1' });
    s.runUntil(100);
    expect(() => s.at(99, noop)).toThrow(/scenario t, seed 1: at\(99\) is before now \(0.0001s\)/);
    expect(() => s.at(100.5, noop)).toThrow(/not an integer/);
    expect(() => s.at(Number.NaN, noop)).toThrow(RangeError);
    expect(() => s.at(Number.POSITIVE_INFINITY, noop)).toThrow(RangeError);
    expect(() => s.after(-1, noop)).toThrow(RangeError);
    expect(() => s.after(0.25, noop)).toThrow(RangeError);
    expect(s.pending).toBe(0);
    s.at(100, noop); // now itself is fine
    expect(s.pending).toBe(1);
  });

  it('throws EventLimitExceeded naming the run, the limit and the time', () => {
    const s = new Scheduler({ eventLimit: 10, label: 'scenario foo, seed 7' });
    s.every(MS, noop);
    let error: unknown;
    try {
      s.runUntil(SEC);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventLimitExceeded);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('scenario foo, seed 7');
    expect(message).toContain('10');
    expect(message).toContain('0.011s');
    expect(s.executed).toBe(10);
  });

  it('counts only events that ran toward the limit, not cancelled ones', () => {
    const s = new Scheduler({ eventLimit: 2 });
    s.cancel(s.at(1, noop));
    s.cancel(s.at(2, noop));
    s.at(3, noop);
    s.at(4, noop);
    expect(() => s.runUntil(10)).not.toThrow();
    s.at(11, noop);
    expect(() => s.runUntil(20)).toThrow(EventLimitExceeded);
  });
});
