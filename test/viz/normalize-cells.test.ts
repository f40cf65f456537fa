// The trace → viz event mapping, and what each offset cell shows.
import { describe, it, expect } from 'vitest';
import { normalizeTrace } from '../../viz/run/normalize.ts';
import { cellInfo, LostIndex, windowStart } from '../../viz/views/partitions.ts';
import { applyEvent, initialState } from '../../viz/lib/view-state.ts';
import { story, topo } from './fixtures.ts';
import type { LostRecord } from '../../viz/lib/run-data.ts';

describe('normalising the trace', () => {
  it('turns messages into flights and controller changes into partition state and elections', () => {
    const { events, flights } = normalizeTrace([
      { t: 0, type: 'partition-change', partition: 'orders-0', leader: 1, epoch: 0, partitionEpoch: 0, isr: [1, 2, 3], replicas: [1, 2, 3] },
      { t: 10, type: 'msg', k: 'produce', f: 'checkout', to: 1, d: 1010 },
      { t: 20, type: 'msg-dropped', k: 'fetch', f: 2, to: 1, s: 5, why: 'cut' },
      { t: 9_000_000, type: 'broker-fenced', broker: 1, reason: 'session-timeout' },
      { t: 9_000_000, type: 'partition-change', partition: 'orders-0', leader: 2, epoch: 1, partitionEpoch: 1, isr: [2, 3] },
      { t: 9_000_000, type: 'leader-elected', partition: 'orders-0', leader: 2, epoch: 1, clean: true, previous: 1 },
      { t: 9_000_000, type: 'isr-shrink', partition: 'orders-0', isr: [2, 3], removed: [1] },
      { t: 9_500_000, type: 'something-new', x: 1 },
    ]);
    expect(flights).toEqual([
      { from: 'checkout', to: '1', sentUs: 10, deliverUs: 1010, kind: 'produce', index: 0 },
      { from: '2', to: '1', sentUs: 5, deliverUs: 20, kind: 'fetch', dropped: true, index: 1 },
    ]);
    expect(events.map((e) => e.type)).toEqual(['partition-state', 'broker', 'partition-state', 'leader', 'isr', 'other']);
    const s = initialState({ ...topo, brokers: [1, 2, 3], partitions: [{ name: 'orders-0', topic: 'orders', index: 0, replicas: [1, 2, 3] }] });
    for (const e of events) applyEvent(s, e);
    expect(s.partitions['orders-0']).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2, 3] });
    expect(s.brokers[1].fenced).toBe(true);
    expect(s.counts.elections).toBe(1);
  });
});

describe('offset cells', () => {
  const s = initialState(topo);
  for (const e of story) if (e.tUs <= 9_000_000) applyEvent(s, e);
  const p = s.partitions['orders-0'];
  const lostRec: LostRecord = { producer: 'checkout', sequence: 1, partition: 'orders-0', offset: 1, epoch: 0, lostUs: 5_000_000, story: [] };

  it('a record below the leader HW with the leader\'s epoch is committed; a diverged one is not', () => {
    const none = new LostIndex([]);
    // Leader 2 (epoch 1) has offsets 0 (e0) and 1 (e1); its HW is still 0 in the fixture.
    expect(cellInfo(p, p.logs[2], 0, none, 9_000_000).state).toBe('uncommitted');
    p.logs[2].hw = 2;
    expect(cellInfo(p, p.logs[2], 0, none, 9_000_000)).toMatchObject({ state: 'committed', epoch: 0, acked: true });
    expect(cellInfo(p, p.logs[1], 1, none, 9_000_000)).toMatchObject({ state: 'committed', epoch: 1 });
    expect(cellInfo(p, p.logs[1], 2, none, 9_000_000).state).toBe('empty');
  });

  it('a lost record shows as lost from the moment it left the leader\'s log', () => {
    const lost = new LostIndex([lostRec]);
    expect(lost.at('orders-0', 1, 0, 4_000_000)).toBeUndefined();
    expect(lost.at('orders-0', 1, 0, 5_000_000)).toBe(lostRec);
    expect(lost.at('orders-0', 1, 1, 5_000_000)).toBeUndefined();
    expect(lost.countAt(9_000_000)).toBe(1);
  });

  it('the window follows the head in quarter pages, or centres on a selected record', () => {
    expect(windowStart(10, 40)).toBe(0);
    expect(windowStart(200, 40)).toBe(170);
    expect(windowStart(203, 40)).toBe(180); // the head stays between 55 % and 80 % of the window
    expect(windowStart(211, 40)).toBe(180);
    expect(windowStart(213, 40)).toBe(190);
    expect(windowStart(500, 40, 100)).toBe(80);
  });
});
