// Layout is a pure function of what exists, and messages are placed by their send and deliver times.
import { describe, it, expect } from 'vitest';
import { layoutCluster, pointOnLink, gridFor } from '../../viz/lib/layout.ts';
import { FlightIndex, type Flight } from '../../viz/lib/in-flight.ts';

describe('cluster layout', () => {
  const l = layoutCluster({ brokers: [1, 2, 3], producers: ['checkout'], consumers: ['billing-1'], width: 800, height: 500 });

  it('places every node inside the view, without overlaps', () => {
    for (const n of l.nodes) {
      expect(n.x - n.r).toBeGreaterThanOrEqual(0);
      expect(n.x + n.r).toBeLessThanOrEqual(800);
      expect(n.y - n.r).toBeGreaterThanOrEqual(0);
      expect(n.y + n.r).toBeLessThanOrEqual(500);
    }
    for (const a of l.nodes) for (const b of l.nodes) if (a !== b) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThan(a.r + b.r);
  });

  it('puts producers left of the brokers and consumers right of them, the controller on top', () => {
    const b = l.byKey.get('1')!;
    expect(l.byKey.get('checkout')!.x).toBeLessThan(b.x);
    expect(l.byKey.get('billing-1')!.x).toBeGreaterThan(l.byKey.get('2')!.x);
    expect(l.byKey.get('controller')!.y).toBeLessThan(Math.min(...[1, 2, 3].map((i) => l.byKey.get(String(i))!.y)));
  });

  it('keeps a client box wider than its column inside the view (large type, a narrow run)', () => {
    const w = (id: string) => id.length * 16 + 26;
    const narrow = layoutCluster({ brokers: [1, 2, 3], producers: ['checkout'], consumers: ['billing-1'], width: 430, height: 500, clientWidth: w });
    const p = narrow.byKey.get('checkout')!;
    const c = narrow.byKey.get('billing-1')!;
    expect(p.x - w('checkout') / 2).toBeGreaterThanOrEqual(0);
    expect(c.x + w('billing-1') / 2).toBeLessThanOrEqual(430);
    // unchanged when the column is wide enough
    expect(layoutCluster({ brokers: [1, 2, 3], producers: ['checkout'], consumers: ['billing-1'], width: 800, height: 500, clientWidth: () => 60 }).nodes).toEqual(l.nodes);
  });

  it('is the same for the same input (no layout jumps)', () => {
    expect(layoutCluster({ brokers: [1, 2, 3], producers: ['checkout'], consumers: ['billing-1'], width: 800, height: 500 })).toEqual(l);
  });

  it('no three brokers of a ring are collinear', () => {
    const r = layoutCluster({ brokers: [1, 2, 3, 4, 5, 6], producers: [], consumers: [], width: 800, height: 600 });
    const bs = r.nodes.filter((n) => n.kind === 'broker');
    for (let i = 0; i < bs.length; i++)
      for (let j = i + 1; j < bs.length; j++)
        for (let k = j + 1; k < bs.length; k++) {
          const [a, b, c] = [bs[i], bs[j], bs[k]];
          const area = Math.abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y));
          expect(area).toBeGreaterThan(100);
        }
  });

  it('draws the two directions of a link as two lanes, from rim to rim', () => {
    const a = l.byKey.get('1')!;
    const b = l.byKey.get('2')!;
    const start = pointOnLink(a, b, 0, 0);
    expect(Math.hypot(start.x - a.x, start.y - a.y)).toBeCloseTo(a.r);
    const there = pointOnLink(a, b, 0.5);
    const back = pointOnLink(b, a, 0.5);
    expect(Math.hypot(there.x - back.x, there.y - back.y)).toBeCloseTo(12);
  });

  it('fits an overview grid of 1,000 cells into the space', () => {
    const g = gridFor(1000, 1000, 400);
    expect(g.cols * g.rows).toBeGreaterThanOrEqual(1000);
    expect(g.cols * g.cell).toBeLessThanOrEqual(1000);
    expect(g.rows * g.cell).toBeLessThanOrEqual(400);
  });
});

describe('messages in flight', () => {
  const flights: Flight[] = [
    { from: 'checkout', to: '1', sentUs: 0, deliverUs: 1000, kind: 'produce', index: 0 },
    { from: '1', to: 'checkout', sentUs: 1500, deliverUs: 2500, kind: 'produce-response', index: 1 },
    { from: '2', to: '3', sentUs: 5000, deliverUs: 40_005_000, kind: 'fetch', index: 2 },
  ];
  const idx = new FlightIndex(flights, 1000);

  it('finds messages between send and delivery, with their progress', () => {
    expect(idx.at(500).map((f) => [f.flight.index, f.progress])).toEqual([[0, 0.5]]);
    expect(idx.at(1000)).toEqual([]);
    expect(idx.at(2000).map((f) => f.flight.index)).toEqual([1]);
  });

  it('keeps a message on a very slow link in flight for its whole trip', () => {
    expect(idx.at(20_005_000).map((f) => f.progress)).toEqual([0.5]);
    expect(idx.countsByLink(20_005_000).get('2→3')).toBe(1);
  });
});

describe('a short stage (presentation mode at 1024×768)', () => {
  // the zone lesson's stage: six brokers, two producers, no consumers, 620 × 170 px
  const r = layoutCluster({ brokers: [1, 2, 3, 4, 5, 6], producers: ['checkout', 'batch-job'], consumers: [], width: 620, height: 170, clientWidth: () => 110 });
  const bs = r.nodes.filter((n) => n.kind === 'broker');
  const ctrl = r.nodes.find((n) => n.kind === 'controller')!;

  it('keeps the brokers apart, with room for a "★ leads N" line between neighbours', () => {
    for (let i = 0; i < bs.length; i++)
      for (let j = i + 1; j < bs.length; j++) {
        const [a, b] = [bs[i], bs[j]];
        // side by side: a label's width apart; one above the other: the upper one's line (its baseline
        // r + 16 under the centre, as cluster.ts draws it) above the lower one's rim
        const apart = Math.abs(a.x - b.x) >= 2 * a.r + 40 || Math.abs(a.y - b.y) >= 2 * a.r + 20;
        expect(apart, `brokers ${a.key} (${a.x.toFixed(0)}, ${a.y.toFixed(0)}) and ${b.key} (${b.x.toFixed(0)}, ${b.y.toFixed(0)})`).toBe(true);
      }
  });

  it('starts the ring below the controller box, and keeps it on the stage', () => {
    for (const b of bs) {
      expect(b.y - b.r, `broker ${b.key}`).toBeGreaterThan(ctrl.y + ctrl.r);
      expect(b.y + b.r + 16, `broker ${b.key}'s line`).toBeLessThanOrEqual(170);
    }
  });

  it('draws the controller under the brokers (its node comes first)', () => {
    expect(r.nodes.findIndex((n) => n.kind === 'controller')).toBeLessThan(r.nodes.findIndex((n) => n.kind === 'broker'));
  });
});
