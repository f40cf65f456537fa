// The pure fold from trace events to what the viewer sees, and seeking through checkpoints.
import { describe, it, expect } from 'vitest';
import { CheckpointedFold, SNAPSHOT_PARTITION_BUDGET, snapshotInterval } from '../../viz/lib/checkpoints.ts';
import { applyEvent, epochAt, initialState, isCut, leaderlessUsAt, staleBeliefs, viewFold, addRange, inRanges, type ViewState } from '../../viz/lib/view-state.ts';
import type { VizEvent } from '../../viz/lib/events.ts';
import { story, topo } from './fixtures.ts';

function foldUpTo(tUs: number): ViewState {
  const s = initialState(topo);
  for (const e of story) if (e.tUs <= tUs) applyEvent(s, e);
  return s;
}

describe('view state at time t', () => {
  it('starts with every broker up and no leader', () => {
    const s = initialState(topo);
    expect(s.brokers[1].status).toBe('up');
    expect(s.partitions['orders-0'].leader).toBeNull();
  });

  it('while both brokers are in sync, the leader and ISR are the first election', () => {
    const p = foldUpTo(500_000).partitions['orders-0'];
    expect(p.leader).toBe(1);
    expect(p.isr).toEqual([1, 2]);
    expect(p.logs[1].leo).toBe(1);
    expect(p.logs[1].hw).toBe(1);
  });

  it('a shut-down follower leaves the ISR and a record is acked by the leader alone', () => {
    const s = foldUpTo(2_500_000);
    expect(s.brokers[2].status).toBe('shutdown');
    expect(s.partitions['orders-0'].isr).toEqual([1]);
    expect(s.counts.acked).toBe(2);
    expect(s.caption?.text).toBe('Broker 2 shuts down.');
  });

  it('an unclean election elects the lagging replica, and the old leader truncates on return', () => {
    const s = foldUpTo(9_000_000);
    const p = s.partitions['orders-0'];
    expect(p.leader).toBe(2);
    expect(p.leaderEpoch).toBe(1);
    expect(p.uncleanElections).toBe(1);
    expect(s.counts.uncleanElections).toBe(1);
    expect(p.logs[1].ghosts).toEqual([{ from: 1, to: 2, epochs: [{ epoch: 0, start: 1 }], tUs: 8_000_000 }]);
    expect(epochAt(p.logs[1], 1)).toBe(1);
    expect(epochAt(p.logs[1], 0)).toBe(0);
    expect(epochAt(p.logs[1], 2)).toBeUndefined();
    expect(isCut(s.net, '1', '2')).toBe(true);
    expect(isCut(s.net, '2', '1')).toBe(false);
  });

  it('counts the time without a leader, including the stretch in progress', () => {
    expect(leaderlessUsAt(foldUpTo(4_005_000).partitions['orders-0'], 4_005_000)).toBe(1_000_000);
    expect(leaderlessUsAt(foldUpTo(6_000_000).partitions['orders-0'], 6_000_000)).toBe(2_000_000 - 5000);
  });

  it('a producer whose cached leader is no longer the leader holds a stale belief', () => {
    const s = foldUpTo(5_500_000);
    expect(staleBeliefs(s.producers.checkout, s)).toEqual(['orders-0']);
    expect(staleBeliefs(foldUpTo(100_000).producers.checkout, foldUpTo(100_000))).toEqual([]);
  });

  it('heal all clears every network fault', () => {
    expect(isCut(foldUpTo(10_000_000).net, '1', '2')).toBe(false);
  });
});

describe('checkpointed seeking', () => {
  it('gives the same state as a fold from the start, forwards and backwards, for every time', () => {
    const cp = new CheckpointedFold<ViewState, VizEvent>(story, (e) => e.tUs, viewFold(topo), 3);
    expect(cp.checkpointCount).toBe(Math.ceil(story.length / 3));
    const times = [0, 9_000_000, 1_000_000, 22_000, 10_000_000, 3_000_000, 8_000_000, 8_000_000, 21_000, 60_000_000];
    for (const t of times) {
      const got = cp.snapshotAt(t);
      const want = foldUpTo(t);
      want.tUs = t;
      expect(got).toEqual(want);
    }
  });

  it('rejects events out of time order', () => {
    const bad = [story[5], story[0]];
    expect(() => new CheckpointedFold(bad, (e) => e.tUs, viewFold(topo))).toThrow(/out of time order/);
  });

  it('takes fewer snapshots of a bigger cluster: their partition copies stay within a budget (a 10,000-partition run copied 600,000 partitions, 2 s of main thread)', () => {
    const copies = (events: number, partitions: number) => Math.ceil(events / snapshotInterval(events, partitions)) * partitions;
    // small clusters and the 1,000-partition overview keep what they had: 400 and 60 snapshots
    expect(Math.ceil(100_000 / snapshotInterval(100_000, 6))).toBe(400);
    expect(Math.ceil(100_000 / snapshotInterval(100_000, 1000))).toBe(60);
    expect(copies(20_000, 10_000)).toBeLessThanOrEqual(SNAPSHOT_PARTITION_BUDGET);
    for (const partitions of [101, 1000, 2500, 10_000, 17_000]) {
      for (const events of [20_000, 200_000, 2_000_000]) expect(copies(events, partitions)).toBeLessThanOrEqual(Math.max(SNAPSHOT_PARTITION_BUDGET, 4 * partitions));
    }
    // never fewer than 4 snapshots (a seek replays at most a quarter of the run), never under 64 events apart
    expect(Math.ceil(2_000_000 / snapshotInterval(2_000_000, 100_000))).toBe(4);
    expect(snapshotInterval(100, 10_000)).toBe(64);
  });
});

describe('offset ranges', () => {
  it('merges adjacent and overlapping ranges, in any order', () => {
    const r: [number, number][] = [];
    addRange(r, 0, 5);
    addRange(r, 5, 7);
    addRange(r, 10, 12);
    addRange(r, 6, 11);
    expect(r).toEqual([[0, 12]]);
    addRange(r, 20, 21);
    expect(inRanges(r, 11)).toBe(true);
    expect(inRanges(r, 12)).toBe(false);
    expect(inRanges(r, 20)).toBe(true);
  });
});

import { buildSeries, faultIntervals, stripsOf } from '../../viz/lib/series.ts';

describe('charts and fault strips on one time axis', () => {
  it('samples ISR, HW, acked and leaderless partitions across the run', () => {
    const pts = buildSeries(story, topo, 10_000_000, 10);
    expect(pts).toHaveLength(11);
    expect(pts[0]).toMatchObject({ tUs: 0, minIsr: 2, leaderless: 0 });
    expect(pts[1]).toMatchObject({ tUs: 1_000_000, acked: 1, hw: 1 });
    expect(pts[3]).toMatchObject({ tUs: 3_000_000, minIsr: 1, acked: 2, hw: 2 });
    expect(pts[4]).toMatchObject({ leaderless: 1, hw: 0 });
    expect(pts[5].leaderless).toBe(0);
  });

  it('gives one strip per fault subject with its intervals', () => {
    const f = faultIntervals(story, topo);
    expect(stripsOf(f)).toEqual(['broker 1', 'broker 2', 'link 1→2', 'orders-0 leader']);
    expect(f.find((x) => x.strip === 'broker 2')).toMatchObject({ kind: 'shutdown', fromUs: 1_000_000, toUs: 4_000_000 });
    expect(f.find((x) => x.strip === 'link 1→2')).toMatchObject({ kind: 'cut', fromUs: 9_000_000, toUs: 10_000_000 });
    expect(f.find((x) => x.kind === 'leaderless')).toMatchObject({ fromUs: 3_005_000, toUs: 5_000_000 });
  });
});
