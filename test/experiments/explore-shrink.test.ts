// The shrinker over pure predicates, no Kafka: delta debugging finds the two faults that matter
// among eight, the binary searches reach a known earliest start and shortest duration, a crash of
// several brokers narrows to the one that matters, and the workload shrinks as far as the failure
// allows but never so short that the cluster has no time to settle after the last fault.
import { describe, it, expect } from 'vitest';
import { ddmin } from '../../src/experiments/explore/ddmin.ts';
import { earlierAndShorter, shrink, smallestFailing, type Candidate, type Oracle } from '../../src/experiments/explore/shrink.ts';
import { wellFormed, type Fault } from '../../src/experiments/explore/schedule.ts';

const S = 1_000_000;

/** An oracle over a pure predicate that counts its calls. */
function oracleOf(fails: (c: Candidate) => boolean, durationCheck = true): Oracle & { calls: number } {
  const o = {
    calls: 0,
    fails(c: Candidate) {
      o.calls++;
      if (durationCheck && !wellFormed(c.faults, c.workload.durationUs)) return false;
      return fails(c);
    },
    exhausted: () => false,
  };
  return o;
}

const workload = { durationUs: 90 * S, producers: [{ id: 'checkout', ratePerSec: 100 }], consumers: ['billing-1', 'billing-2'] };

/** Eight faults on different nodes and times; only the partition of leader 1 and its crash matter. */
const padded: Fault[] = [
  { kind: 'isolate', node: 'controller', atUs: 2 * S, forUs: 0.1 * S },
  { kind: 'partition', groups: [[1], [2, 3]], atUs: 5 * S, forUs: 60 * S },
  { kind: 'pause', node: 3, atUs: 20 * S, forUs: 1 * S },
  { kind: 'slow', node: 'controller', latencyUs: 0.02 * S, atUs: 30 * S, forUs: 5 * S },
  { kind: 'shutdown', brokers: [2], atUs: 40 * S, forUs: 6 * S },
  { kind: 'crash', brokers: [1, 3], atUs: 60 * S, forUs: 15 * S },
  { kind: 'disk-loss', brokers: [2], atUs: 70 * S, forUs: 0 },
  { kind: 'cut', from: 2, to: 3, atUs: 80 * S, forUs: 0.1 * S },
];

const hasPartitionOf1 = (c: Candidate) => c.faults.some((f) => f.kind === 'partition' && f.groups.some((g) => g.length === 1 && g[0] === 1));
const crashes1 = (c: Candidate) => c.faults.some((f) => f.kind === 'crash' && f.brokers.includes(1));

describe('ddmin', () => {
  it('finds the two items that fail only together among eight', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    let calls = 0;
    const fails = (xs: string[]) => {
      calls++;
      return xs.includes('c') && xs.includes('g');
    };
    expect(ddmin(items, fails)).toEqual(['c', 'g']);
    expect(calls).toBeLessThan(30);
  });

  it('keeps a single culprit, and the empty list when nothing is needed to fail', () => {
    expect(ddmin([1, 2, 3, 4, 5], (xs) => xs.includes(4))).toEqual([4]);
    expect(ddmin([1, 2, 3], () => true, { tryEmpty: true })).toEqual([]);
    expect(ddmin([1, 2, 3], () => true)).toHaveLength(1);
  });
});

describe('binary search toward smaller values', () => {
  it('reaches the smallest failing value on the grid', () => {
    expect(smallestFailing(0, 60 * S, 0.1 * S, (v) => v >= 3.7 * S)).toBe(3.7 * S);
    expect(smallestFailing(0, 60 * S, 0.1 * S, () => true)).toBe(0);
    expect(smallestFailing(1, 1000, 1, (r) => r >= 7)).toBe(7);
  });

  it('moves a fault to its earliest failing start and shortest failing duration', () => {
    const c: Candidate = { faults: [{ kind: 'crash', brokers: [1], atUs: 20 * S, forUs: 30 * S }], workload };
    const o = oracleOf((x) => x.faults[0].atUs >= 3 * S && x.faults[0].forUs >= 2 * S);
    const [f] = earlierAndShorter(c, o).faults;
    expect(f).toMatchObject({ atUs: 3 * S, forUs: 2 * S });
    expect(o.calls).toBeLessThan(25);
  });
});

describe('shrink', () => {
  it('reduces a padded schedule to the partition and the crash that matter, with fewer nodes and a smaller workload', () => {
    const o = oracleOf((c) => hasPartitionOf1(c) && crashes1(c) && c.workload.producers[0].ratePerSec >= 10);
    const minimal = shrink({ faults: padded, workload }, o, { settleUs: 20 * S });
    expect(minimal.faults.map((f) => f.kind)).toEqual(['partition', 'crash']);
    const [partition, crash] = minimal.faults;
    expect(crash).toMatchObject({ kind: 'crash', brokers: [1] });
    // the other side may lose members down to one: it only has to exist
    expect(partition).toMatchObject({ kind: 'partition', groups: [[1], [2]] });
    expect(minimal.workload.producers[0].ratePerSec).toBe(10);
    expect(minimal.workload.consumers).toEqual([]);
    // earliest and shortest: both at 0 s for 100 ms, the run as short as the settle time allows
    expect(partition).toMatchObject({ atUs: 0, forUs: 0.1 * S });
    expect(crash).toMatchObject({ atUs: 0, forUs: 0.1 * S });
    expect(minimal.workload.durationUs).toBe(21 * S);
  });

  it('never breaks the story rules: a broker is not crashed again while down', () => {
    const faults: Fault[] = [
      { kind: 'crash', brokers: [1], atUs: 10 * S, forUs: 5 * S },
      { kind: 'crash', brokers: [1], atUs: 30 * S, forUs: 5 * S },
    ];
    const o = oracleOf((c) => c.faults.length === 2);
    const minimal = shrink({ faults, workload }, o, { settleUs: 20 * S });
    expect(wellFormed(minimal.faults, minimal.workload.durationUs)).toBe(true);
    expect(minimal.faults[0].atUs + minimal.faults[0].forUs).toBeLessThan(minimal.faults[1].atUs);
  });

  it('stops when the oracle says its budget is spent', () => {
    let calls = 0;
    const o: Oracle = { fails: () => (calls++, true), exhausted: () => calls >= 5 };
    shrink({ faults: padded, workload }, o, { settleUs: 20 * S });
    expect(calls).toBeLessThanOrEqual(8);
  });
});

describe('shrinking that has not settled', () => {
  // fails while a fault's duration (in seconds) and the producer's rate stay within 1 of each other:
  // each shortening allows a lower rate and each lower rate a shorter fault, two steps a round, so
  // three rounds (10 s/10/s → 4 s/4/s) still change it and a fourth would too
  it('says so when its rounds run out while it is still getting smaller', () => {
    const fault: Fault = { kind: 'pause', node: 1, atUs: 0, forUs: 10 * S };
    const o = oracleOf((c) => Math.abs(c.faults[0]?.forUs / S - c.workload.producers[0].ratePerSec) <= 1 && c.faults.length === 1 && c.faults[0].atUs === 0);
    let settled: boolean | undefined;
    const small = shrink({ faults: [fault], workload: { ...workload, producers: [{ id: 'checkout', ratePerSec: 10 }] } }, o, { settleUs: 20 * S, onSettled: (s) => (settled = s) });
    expect(settled).toBe(false);
    expect(small.faults[0].forUs).toBeGreaterThan(1 * S);
    // and one that reaches a fixpoint says that
    shrink({ faults: padded, workload }, oracleOf((c) => hasPartitionOf1(c) && crashes1(c)), { settleUs: 20 * S, onSettled: (s) => (settled = s) });
    expect(settled).toBe(true);
  });
});
