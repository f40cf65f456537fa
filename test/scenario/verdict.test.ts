// The expectation checks of docs/scenario-format.md against a hand-made observer: each check passes and fails
// where it should, and runWithExpectations checks each at its own time.
import { describe, it, expect } from 'vitest';
import { evaluate, runWithExpectations, withinBound, type Observer } from '../../src/scenario/verdict.ts';
import { isOverRuns, type Expectation, type RunExpectation } from '../../src/scenario/types.ts';

const at = { source: { line: 3, column: 5 }, path: 'expect[0]' };

function observer(over: Partial<Observer> = {}): Observer {
  return {
    partition: (name) =>
      name === 'orders-0' ? { leader: 2, isr: [3, 2], replicas: [2, 3, 1], hw: 120, leo: (b) => (b === 1 ? 125 : 120), epoch: 3, partitionEpoch: 7 }
        : name === 'orders-1' ? { leader: null, isr: [1], replicas: [1, 2, 3], hw: null, leo: () => 0, epoch: 1, partitionEpoch: 2 } : undefined,
    records: (kind, f) => (kind === 'lost' ? (f.partition === 'orders-1' ? 0 : 5) : kind === 'acked' ? 100 : kind === 'consumed' ? (f.group === 'billing' ? 90 : 0) : 0),
    events: (type, f) =>
      type === 'unclean-election' && (f.partition === undefined || f.partition === 'orders-0') ? { count: 1, firstUs: 68_763_440, lastUs: 68_763_440 }
        : type === 'isr-expand' && f.client === undefined ? { count: 2, firstUs: 21_000_000, lastUs: 26_000_000 }
          : { count: 0, firstUs: -1, lastUs: -1 },
    producerErrors: (f) => (f.code === 'NOT_ENOUGH_REPLICAS' ? (f.records ? 12 : 3) : f.reason === 'delivery-timeout' ? 2 : 0),
    position: (c, p) => (c === 'billing-1' && p === 'orders-0' ? 118 : undefined),
    metric: (name) => (name === 'UnderMinIsrPartitionCount' ? { series: [{ t: [0, 10_000_000, 14_500_000], v: [0, 1, 0] }], nowUs: 30_000_000 } : { series: [], nowUs: 30_000_000 }),
    lag: (g) => (g === 'billing' ? 7 : undefined),
    committed: (g, p) => (g === 'billing' && p === 'orders-0' ? 113 : undefined),
    processing: (kind, f) => (f.group === 'billing' || f.group === undefined ? (kind === 'skipped' ? 4 : 40) : 0),
    ...over,
  };
}

const cases: [string, RunExpectation, boolean, string][] = [
  ['leader is', { ...at, check: 'leader', partition: 'orders-0', is: 2 }, true, '2'],
  ['leader wrong', { ...at, check: 'leader', partition: 'orders-0', is: 1 }, false, '2'],
  ['leader none', { ...at, check: 'leader', partition: 'orders-1', is: 'none' }, true, 'none'],
  ['isr as a set', { ...at, check: 'isr', partition: 'orders-0', is: [2, 3] }, true, '[2, 3]'],
  ['isr differs', { ...at, check: 'isr', partition: 'orders-0', is: [1, 2, 3] }, false, '[2, 3]'],
  // replicas keep their assignment order: the same brokers in another order are another assignment
  ['replicas in order', { ...at, check: 'replicas', partition: 'orders-0', is: [2, 3, 1] }, true, '[2, 3, 1]'],
  ['replicas in another order', { ...at, check: 'replicas', partition: 'orders-0', is: [1, 2, 3] }, false, '[2, 3, 1]'],
  ['hw', { ...at, check: 'hw', partition: 'orders-0', bound: { is: 120 } }, true, '120'],
  ['hw without leader fails and says so', { ...at, check: 'hw', partition: 'orders-1', bound: { min: 0 } }, false, 'no leader, so no high watermark'],
  ['leo', { ...at, check: 'leo', partition: 'orders-0', broker: 1, bound: { min: 121 } }, true, '125'],
  ['lost min', { ...at, check: 'lost', bound: { min: 1 } }, true, '5'],
  ['lost 0 fails', { ...at, check: 'lost', bound: { is: 0 } }, false, '5'],
  ['lost filtered', { ...at, check: 'lost', partition: 'orders-1', bound: { is: 0 } }, true, '0'],
  ['duplicates-processed of a group', { ...at, check: 'duplicates-processed', group: 'billing', bound: { is: 40 } }, true, '40'],
  ['duplicates-processed of another group', { ...at, check: 'duplicates-processed', group: 'audit', bound: { min: 1 } }, false, '0'],
  ['skipped max 0 fails', { ...at, check: 'skipped', bound: { is: 0 } }, false, '4'],
  ['event', { ...at, check: 'event', type: 'unclean-election', partition: 'orders-0', bound: { min: 1 } }, true, '1'],
  ['event first in its window', { ...at, check: 'event', type: 'isr-expand', bound: { min: 1 }, first: { minUs: 20_000_000, maxUs: 25_000_000 } }, true, '2 (first at 21s, last at 26s)'],
  ['event last too late', { ...at, check: 'event', type: 'isr-expand', bound: { min: 1 }, last: { maxUs: 25_000_000 } }, false, '2 (first at 21s, last at 26s)'],
  ['event one, timed', { ...at, check: 'event', type: 'unclean-election', bound: { is: 1 }, first: { minUs: 60_000_000 } }, true, '1 (at 68.76344s)'],
  ['event never happened has no first', { ...at, check: 'event', type: 'offset-reset', consumer: 'billing-1', bound: { min: 0 }, first: { maxUs: 5_000_000 } }, false, '0'],
  ['errors', { ...at, check: 'errors', producer: 'checkout', code: 'NOT_ENOUGH_REPLICAS', bound: { min: 1 } }, true, '3'],
  ['lag max', { ...at, check: 'lag', group: 'billing', bound: { max: 0 } }, false, '7'],
  ['lag missing', { ...at, check: 'lag', group: 'other', bound: { max: 0 } }, false, '- (no committed offset)'],
  ['committed', { ...at, check: 'committed', group: 'billing', partition: 'orders-0', bound: { is: 113 } }, true, '113'],
  ['epoch', { ...at, check: 'epoch', partition: 'orders-0', bound: { is: 3 } }, true, '3'],
  ['epoch differs', { ...at, check: 'epoch', partition: 'orders-1', bound: { min: 2 } }, false, '1'],
  ['partition-epoch', { ...at, check: 'partition-epoch', partition: 'orders-0', bound: { is: 7 } }, true, '7'],
  ['errors per record', { ...at, check: 'errors', code: 'NOT_ENOUGH_REPLICAS', records: true, bound: { is: 12 } }, true, '12'],
  ['errors by reason', { ...at, check: 'errors', reason: 'delivery-timeout', bound: { max: 0 } }, false, '2'],
  ['consumed by a group', { ...at, check: 'consumed', group: 'billing', bound: { min: 90 } }, true, '90'],
  ['consumed by another group', { ...at, check: 'consumed', group: 'audit', bound: { min: 1 } }, false, '0'],
  ['metric at a time', { ...at, atUs: 12_000_000, check: 'metric', name: 'UnderMinIsrPartitionCount', bound: { is: 1 } }, true, '1'],
  ['metric over the run', { ...at, check: 'metric', name: 'UnderMinIsrPartitionCount', bound: { max: 0 } }, false, 'peak 1 at 10s, lowest 0'],
  ['metric never recorded', { ...at, check: 'metric', name: 'MaxLag', bound: { max: 0 } }, false, 'no such series recorded'],
  ['alert-seconds', { ...at, check: 'alert-seconds', metric: 'UnderMinIsrPartitionCount', above: 0, bound: { max: 5 } }, true, '4.5'],
  ['position', { ...at, check: 'position', consumer: 'billing-1', partition: 'orders-0', bound: { is: 118 } }, true, '118'],
  ['no position', { ...at, check: 'position', consumer: 'billing-2', partition: 'orders-0', bound: { min: 0 } }, false, 'none (not assigned, or no valid position yet)'],
  ['unknown partition', { ...at, check: 'leader', partition: 'orders-9', is: 1 }, false, 'no such partition'],
];

describe('evaluate', () => {
  it.each(cases)('%s', (_name, e, ok, actual) => {
    const r = evaluate(e, observer());
    expect(r.ok).toBe(ok);
    expect(r.actual).toBe(actual);
    expect(r.line).toBe(3);
  });

  it('bounds: is, min, max, both', () => {
    expect(withinBound({ is: 3 }, 3)).toBe(true);
    expect(withinBound({ min: 3 }, 2)).toBe(false);
    expect(withinBound({ max: 3 }, 4)).toBe(false);
    expect(withinBound({ min: 1, max: 3 }, 3)).toBe(true);
  });
});

describe('runWithExpectations', () => {
  it('checks each expectation at its own time, in time order, and runs to the end', () => {
    const times: number[] = [];
    let now = 0;
    const es: Expectation[] = [
      { ...at, check: 'lost', bound: { is: 0 } }, // at the end
      { ...at, atUs: 5_000_000, check: 'leader', partition: 'orders-0', is: 2 },
      { ...at, atUs: 1_000_000, check: 'leader', partition: 'orders-0', is: 2 },
    ];
    const results = runWithExpectations(es, 9_000_000, (t) => { times.push(t); now = t; }, () => observer({ records: () => (now === 9_000_000 ? 0 : 4) }));
    expect(times).toEqual([1_000_000, 5_000_000, 9_000_000, 9_000_000]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(results[1].atUs).toBe(5_000_000);
  });

  it('skips loss-probability, a statement over many runs: one run neither checks nor fails it', () => {
    const lossProbability: Expectation = { ...at, path: 'expect[0]', check: 'loss-probability', bound: { max: 0 } };
    const lost: Expectation = { ...at, path: 'expect[1]', check: 'lost', bound: { min: 1 } };
    const results = runWithExpectations([lossProbability, lost], 9_000_000, () => {}, () => observer());
    expect(results.map((r) => [r.path, r.ok])).toEqual([['expect[1]', true]]);
    expect(isOverRuns(lossProbability) && lossProbability.bound).toEqual({ max: 0 });
    expect(isOverRuns(lost)).toBe(false);
  });
});
