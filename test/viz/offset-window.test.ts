// The log strips follow the story (issue 13, point 2): the offsets a partition card shows are spans
// around what matters now, with compressed gaps between. Checked on the library's own lessons, folded
// from the page's own runs: at the unclean election the new leader's log end and the range the old
// leader will lose are both in the window; after broker 1 truncates, the truncated range's ends are;
// in acks=1 the two records broker 1 truncates at its return are.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { simulate } from '../../viz/run/simulate.ts';
import { CheckpointedFold } from '../../viz/lib/checkpoints.ts';
import { viewFold, type ViewState } from '../../viz/lib/view-state.ts';
import { cellOf, cellsOf, divergence, gapsOf, interests, offsetWindow, shown, type OffsetWindow } from '../../viz/lib/offset-window.ts';
import type { RunData } from '../../viz/lib/run-data.ts';

const repo = resolve(__dirname, '../..');
const lib = (n: string) => ({ text: readFileSync(resolve(repo, `scenarios/library/${n}.yaml`), 'utf8'), fileName: `${n}.yaml` });

function cellsUsed(w: OffsetWindow): number {
  return w.spans.reduce((n, s) => n + s.to - s.from, 0) + w.gapCells * (w.spans.length - 1);
}

function windowAt(data: RunData, tUs: number, cells: number, partition = 'orders-0'): { s: ViewState; w: OffsetWindow } {
  const fold = new CheckpointedFold(data.events, (e) => e.tUs, viewFold(data.topology));
  const s = fold.stateAt(tUs);
  const p = s.partitions[partition];
  return { s, w: offsetWindow(interests(p, { tUs }), cells) };
}

describe('the offset window', () => {
  it('is the log end and some history when nothing else matters', () => {
    const w = offsetWindow([{ from: 50, to: 50, priority: 0, why: 'the newest log end' }], 40);
    expect(w.spans).toHaveLength(1);
    expect(cellsUsed(w)).toBe(40);
    expect(shown(w, 49)).toBe(true);
    expect(w.spans[0].to).toBeGreaterThan(50); // room for the log to grow into
  });
  it('an empty log shows offsets from 0', () => {
    expect(offsetWindow([], 30).spans).toEqual([{ from: 0, to: 30 }]);
  });
  it('far-apart points get spans with a gap between, and the cells add up to the width', () => {
    const w = offsetWindow(
      [
        { from: 1216, to: 1216, priority: 0, why: 'the newest log end' },
        { from: 100, to: 100, priority: 1, why: "the leader's log end" },
      ],
      30,
    );
    expect(w.spans.length).toBe(2);
    expect(shown(w, 99)).toBe(true);
    expect(shown(w, 1215)).toBe(true);
    expect(cellsUsed(w)).toBe(30);
    expect(gapsOf(w)).toHaveLength(1);
    expect(gapsOf(w)[0].from).toBeGreaterThan(100);
    expect(gapsOf(w)[0].to).toBeLessThan(1216);
    // cells are numbered left to right without holes except the gap
    const cells = [...cellsOf(w)];
    expect(cells.length).toBe(30 - w.gapCells);
    expect(cellOf(w, 100).inGap).toBe(false);
    expect(cellOf(w, 600).inGap).toBe(true);
  });
  it('drops the least important when everything does not fit', () => {
    const w = offsetWindow(
      [
        { from: 5000, to: 5000, priority: 0, why: 'the newest log end' },
        { from: 3000, to: 3000, priority: 1, why: 'x' },
        { from: 1000, to: 1000, priority: 2, why: 'y' },
        { from: 10, to: 10, priority: 2, why: 'z' },
      ],
      16,
    );
    expect(cellsUsed(w)).toBeLessThanOrEqual(16);
    expect(shown(w, 4999)).toBe(true);
    expect(shown(w, 2999)).toBe(true);
    expect(shown(w, 999)).toBe(false);
  });
  it('divergence: the first offset where two logs hold records of different epochs, or where one runs past the other', () => {
    const r = (leo: number, segs: [number, number][]) => ({ broker: 0, leo, hw: 0, logStart: 0, segments: segs.map(([epoch, start]) => ({ epoch, start })), ghosts: [] });
    expect(divergence(r(10, [[0, 0]]), r(12, [[0, 0]]))).toBeUndefined();
    expect(divergence(r(12, [[0, 0]]), r(10, [[0, 0]]))).toBe(10);
    expect(divergence(r(12, [[0, 0], [1, 8]]), r(12, [[0, 0], [2, 9]]))).toBe(8);
  });
});

describe('the window follows the story in the library lessons', () => {
  it('the unclean election: the new leader\'s log end and the records the old leader alone has', async () => {
    const data = await simulate(lib('unclean-election-loses-acked-writes'));
    const ELECTION_US = 68_763_440;
    for (const cells of [24, 32, 60]) {
      const { s, w } = windowAt(data, ELECTION_US, cells);
      const p = s.partitions['orders-0'];
      expect(p.leader).toBe(2);
      const b1 = p.logs[1];
      const b2 = p.logs[2];
      expect(b1.leo).toBeGreaterThan(b2.leo + 500); // the story: broker 1 ran far ahead alone
      expect(shown(w, b2.leo - 1), `${cells} cells: the new leader's last record`).toBe(true);
      expect(shown(w, b2.leo), `${cells} cells: the first record only broker 1 has`).toBe(true);
      expect(shown(w, b1.leo - 1), `${cells} cells: broker 1's last record`).toBe(true);
      expect(cellOf(w, b2.hw).inGap, 'the new leader\'s HW').toBe(false);
      expect(cellsUsed(w)).toBeLessThanOrEqual(cells);
    }
    // After broker 1 returns (75 s) and truncates: the truncated range's two ends are in the window.
    const { s, w } = windowAt(data, 80_000_000, 32);
    const ghost = s.partitions['orders-0'].logs[1].ghosts.at(-1)!;
    expect(ghost.to - ghost.from).toBeGreaterThan(500);
    expect(shown(w, ghost.from)).toBe(true);
    expect(shown(w, ghost.to - 1)).toBe(true);
  });

  it('acks=1: the two records broker 1 truncates when it returns are in the window', async () => {
    const data = await simulate(lib('acks-1-leader-crash'));
    const trunc = data.events.find((e) => e.type === 'truncate' && e.broker === 1);
    expect(trunc).toBeDefined();
    const { s, w } = windowAt(data, trunc!.tUs + 1, 30);
    const ghost = s.partitions['orders-0'].logs[1].ghosts.at(-1)!;
    for (let o = ghost.from; o < ghost.to; o++) expect(shown(w, o), `truncated offset ${o}`).toBe(true);
    // and the same, a moment later, when the producers have moved the leader's end on
    const later = windowAt(data, trunc!.tUs + 5_000_000, 30);
    for (let o = ghost.from; o < ghost.to; o++) expect(shown(later.w, o)).toBe(true);
  });
});
