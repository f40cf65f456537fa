// The assignors the group leader runs: Kafka's documented results for range, round-robin, sticky
// balance and stickiness, and the cooperative hand-over in two steps.
import { describe, it, expect } from 'vitest';
import { rangeAssignor, roundRobinAssignor, stickyAssignor, cooperativeStickyAssignor, rebalanceProtocolOf, type AssignorMember } from '../../../sim/kafka/clients/assignors.ts';

const member = (memberId: string, topics: string[], owned: [string, number][] = [], generation = -1): AssignorMember => ({
  memberId, subscription: { topics, ownedPartitions: owned.map(([topic, partition]) => ({ topic, partition })), generation },
});
const show = (a: Map<string, { topic: string; partition: number }[]>): Record<string, string[]> =>
  Object.fromEntries([...a].map(([m, tps]) => [m, tps.map((tp) => `${tp.topic}-${tp.partition}`)]));

describe('assignors', () => {
  it('range: contiguous ranges per topic, the first members take the remainder (RangeAssignor javadoc)', () => {
    // the RangeAssignor javadoc example: C0, C1; t0 and t1 with 3 partitions each
    const parts = new Map([['t0', 3], ['t1', 3]]);
    const a = rangeAssignor.assign(parts, [member('C1', ['t0', 't1']), member('C0', ['t0', 't1'])]);
    expect(show(a)).toEqual({ C0: ['t0-0', 't0-1', 't1-0', 't1-1'], C1: ['t0-2', 't1-2'] });
  });

  it('round-robin: dealt in turn over all partitions (RoundRobinAssignor javadoc)', () => {
    const parts = new Map([['t0', 3], ['t1', 3]]);
    const a = roundRobinAssignor.assign(parts, [member('C0', ['t0', 't1']), member('C1', ['t0', 't1'])]);
    expect(show(a)).toEqual({ C0: ['t0-0', 't0-2', 't1-1'], C1: ['t0-1', 't1-0', 't1-2'] });
  });

  it('sticky: balanced, and keeps what members owned when one leaves', () => {
    const parts = new Map([['t', 6]]);
    const first = stickyAssignor.assign(parts, [member('a', ['t']), member('b', ['t']), member('c', ['t'])]);
    expect([...first.values()].map((x) => x.length)).toEqual([2, 2, 2]);
    const owned = (m: string): [string, number][] => (first.get(m) ?? []).map((tp) => [tp.topic, tp.partition]);
    // c leaves: a and b keep their two each and split c's
    const second = stickyAssignor.assign(parts, [member('a', ['t'], owned('a'), 1), member('b', ['t'], owned('b'), 1)]);
    for (const m of ['a', 'b']) for (const tp of first.get(m) ?? []) expect(second.get(m)).toContainEqual(tp);
    expect([...second.values()].map((x) => x.length)).toEqual([3, 3]);
  });

  it('cooperative-sticky: a new member gets nothing until the owner has revoked (two rebalances)', () => {
    const parts = new Map([['t', 4]]);
    const owned: [string, number][] = [['t', 0], ['t', 1], ['t', 2], ['t', 3]];
    const first = cooperativeStickyAssignor.assign(parts, [member('a', ['t'], owned, 1), member('b', ['t'])]);
    // a keeps 2, the 2 it must give up are withheld from b in this round
    expect(first.get('a')?.length).toBe(2);
    expect(first.get('b')).toEqual([]);
    const second = cooperativeStickyAssignor.assign(parts, [
      member('a', ['t'], (first.get('a') ?? []).map((tp) => [tp.topic, tp.partition]), 2),
      member('b', ['t'], [], 2),
    ]);
    expect(second.get('a')).toEqual(first.get('a'));
    expect(second.get('b')?.length).toBe(2);
  });

  it('cooperative-sticky: partitions of a member that left move at once', () => {
    const parts = new Map([['t', 4]]);
    const a = cooperativeStickyAssignor.assign(parts, [member('a', ['t'], [['t', 0], ['t', 1]], 3)]);
    expect(show(a)).toEqual({ a: ['t-0', 't-1', 't-2', 't-3'] });
  });

  it('uneven counts: exactly P % C members get one more', () => {
    const parts = new Map([['t', 7]]);
    const a = stickyAssignor.assign(parts, [member('a', ['t']), member('b', ['t']), member('c', ['t'])]);
    expect([...a.values()].map((x) => x.length).sort()).toEqual([2, 2, 3]);
    expect(new Set([...a.values()].flat().map((tp) => tp.partition)).size).toBe(7);
  });

  it('sticky with different subscriptions: only subscribed topics, balanced, sticky (StickyAssignor javadoc, Example 2)', () => {
    // AbstractStickyAssignor falls back to the general assignment when subscriptions differ
    const parts = new Map([['t0', 1], ['t1', 2], ['t2', 3]]);
    const first = stickyAssignor.assign(parts, [member('C0', ['t0']), member('C1', ['t0', 't1']), member('C2', ['t0', 't1', 't2'])]);
    expect(show(first)).toEqual({ C0: ['t0-0'], C1: ['t1-0', 't1-1'], C2: ['t2-0', 't2-1', 't2-2'] });
    // C0 is removed: "Sticky (preserves 5 partition assignments): C1 [t1p0, t1p1, t0p0], C2 [t2p0, t2p1, t2p2]"
    const owned = (m: string): [string, number][] => (first.get(m) ?? []).map((tp) => [tp.topic, tp.partition]);
    const second = stickyAssignor.assign(parts, [member('C1', ['t0', 't1'], owned('C1'), 1), member('C2', ['t0', 't1', 't2'], owned('C2'), 1)]);
    expect(show(second)).toEqual({ C1: ['t0-0', 't1-0', 't1-1'], C2: ['t2-0', 't2-1', 't2-2'] });
  });

  it('cooperative-sticky with different subscriptions never hands a member a topic it did not subscribe to', () => {
    const parts = new Map([['orders', 2], ['refunds', 4]]);
    const a = cooperativeStickyAssignor.assign(parts, [member('a', ['orders']), member('b', ['orders', 'refunds'])]);
    expect(show(a)).toEqual({ a: ['orders-0', 'orders-1'], b: ['refunds-0', 'refunds-1', 'refunds-2', 'refunds-3'] });
    // b owned everything: a's share of orders is withheld until b has revoked it (KIP-429), then moves
    const all: [string, number][] = [['orders', 0], ['orders', 1], ['refunds', 0], ['refunds', 1], ['refunds', 2], ['refunds', 3]];
    const first = cooperativeStickyAssignor.assign(parts, [member('a', ['orders'], [], 1), member('b', ['orders', 'refunds'], all, 1)]);
    expect(show(first)).toEqual({ a: [], b: ['refunds-0', 'refunds-1', 'refunds-2', 'refunds-3'] });
  });

  it('the default assignor list (range, cooperative-sticky) rebalances eagerly', () => {
    expect(rebalanceProtocolOf(['range', 'cooperative-sticky'])).toBe('EAGER');
    expect(rebalanceProtocolOf(['cooperative-sticky'])).toBe('COOPERATIVE');
  });
});
