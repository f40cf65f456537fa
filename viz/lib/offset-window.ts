// Which offsets a partition card shows (issue 13, point 2). A log of 1,200 records does not fit in
// 40 cells, and the story is rarely at the log's end alone: at an unclean election the new leader's
// log ends at 100 while the old leader's runs to 1216; a truncation of two records sits where two
// logs part. So the window is a few spans of consecutive offsets around what matters now (every
// replica's LEO and HW, where the replicas' logs diverge, what was truncated, a consumer group's
// position and committed offset, a selected record), with a compressed gap between spans where the
// offsets are uninteresting. A pure function of the view state, unit-tested (test/viz/offset-window).

import { epochAt, type PartitionView, type ReplicaView } from './view-state.ts';

/** Offsets [from, to) drawn side by side, one cell each. */
export interface Span {
  from: number;
  to: number;
}

export interface OffsetWindow {
  spans: Span[];
  /** Cells in all (spans and gaps), the card's width in cells. */
  cells: number;
  /** Cells a gap between two spans takes. */
  gapCells: number;
}

/** Something worth seeing: offsets [from, to) (a point when to = from), by importance (0 first). */
export interface Interest {
  from: number;
  to: number;
  priority: number;
  why: string;
}

export const GAP_CELLS = 2;

/** Where the logs part: the first offset at which `r` and `ref` hold records of different leader epochs,
 *  or `ref`'s end when `r` runs past it (records the reference does not have). Undefined: `r` is a prefix of `ref`. */
export function divergence(r: ReplicaView, ref: ReplicaView): number | undefined {
  const common = Math.min(r.leo, ref.leo);
  const from = Math.max(r.logStart, ref.logStart);
  const bounds = new Set<number>([from]);
  for (const s of r.segments) bounds.add(s.start);
  for (const s of ref.segments) bounds.add(s.start);
  const sorted = [...bounds].filter((b) => b >= from && b < common).sort((a, b) => a - b);
  for (const b of sorted) if (epochAt(r, b) !== epochAt(ref, b)) return b;
  return r.leo > ref.leo ? ref.leo : undefined;
}

export interface InterestOptions {
  tUs: number;
  /** Consumer groups' committed offsets and positions on this partition. */
  consumers?: { group: string; committed?: number; position?: number }[];
  /** A selected lost record's offset. */
  focus?: number;
  /** Truncations newer than this are the story; older ones are history (default 30 s). */
  recentUs?: number;
}

/** What matters in a partition's logs now, most important first. */
export function interests(p: PartitionView, o: InterestOptions): Interest[] {
  const out: Interest[] = [];
  const logs = Object.values(p.logs);
  if (logs.length === 0) return out;
  const head = Math.max(...logs.map((r) => r.leo));
  out.push({ from: head, to: head, priority: 0, why: 'the newest log end' });
  if (o.focus !== undefined) out.push({ from: o.focus, to: o.focus + 1, priority: 0, why: 'the selected record' });
  const leader = p.leader === null ? undefined : p.logs[p.leader];
  // The reference log: the leader's, or while there is none the longest (the one most likely to lose records' company).
  const ref = leader ?? logs.reduce((a, b) => (b.leo > a.leo ? b : a));
  if (leader) {
    out.push({ from: leader.leo, to: leader.leo, priority: 1, why: `the leader's log end (broker ${leader.broker})` });
    out.push({ from: leader.hw, to: leader.hw, priority: 1, why: "the leader's HW" });
  }
  for (const r of logs) {
    if (r === ref) continue;
    const d = divergence(r, ref);
    if (d === undefined) continue;
    out.push({ from: d, to: Math.max(d, r.leo), priority: 1, why: `broker ${r.broker} diverges from broker ${ref.broker}` });
  }
  const recent = o.recentUs ?? 30_000_000;
  for (const r of logs) {
    const last = r.ghosts[r.ghosts.length - 1];
    if (last) out.push({ from: last.from, to: last.to, priority: o.tUs - last.tUs <= recent ? 1 : 3, why: `truncated on broker ${r.broker}` });
  }
  for (const r of logs) {
    if (r === leader) continue;
    out.push({ from: r.leo, to: r.leo, priority: 2, why: `broker ${r.broker}'s log end` });
    out.push({ from: r.hw, to: r.hw, priority: 2, why: `broker ${r.broker}'s HW` });
  }
  // where retention's deleted prefix ends: the reference log's start
  if (ref.logStart > 0) out.push({ from: ref.logStart, to: ref.logStart, priority: 2, why: `the log start (retention deleted below it)` });
  for (const c of o.consumers ?? []) {
    if (c.position !== undefined) out.push({ from: c.position, to: c.position, priority: 2, why: `group ${c.group}'s position` });
    if (c.committed !== undefined) out.push({ from: c.committed, to: c.committed, priority: 2, why: `group ${c.group}'s committed offset` });
  }
  return out;
}

/** Context around a point: a few offsets before it (the records it follows), a couple after. */
const BEFORE = 3;
const AFTER = 2;

function wanted(list: readonly Interest[], cells: number): Span[] {
  const spans: Span[] = [];
  // A long range shows its two ends (where it starts and where it stops), not its middle.
  const endLen = Math.max(3, Math.floor(cells / 8));
  for (const i of list) {
    if (i.to - i.from > 2 * endLen + GAP_CELLS + 2) {
      spans.push({ from: i.from - BEFORE, to: i.from + endLen });
      spans.push({ from: i.to - endLen, to: i.to + AFTER });
    } else spans.push({ from: i.from - BEFORE, to: Math.max(i.to, i.from + 1) + AFTER });
  }
  return merge(spans.map((s) => ({ from: Math.max(0, s.from), to: Math.max(1, s.to) })));
}

/** Sorted, and joined where a gap between two would save little (a break for a handful of offsets only distracts). */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to + GAP_CELLS + 5) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

function width(spans: readonly Span[]): number {
  return spans.reduce((n, s) => n + (s.to - s.from), 0) + GAP_CELLS * Math.max(0, spans.length - 1);
}

/**
 * The spans to draw in `cells` cells. The newest log end keeps some empty cells after it (the log
 * grows into them), rounded to quarter-window pages so the cells do not slide one by one while
 * playing; the room left over goes to history before the newest span (and before the others).
 * The least important interests are dropped until what is left fits.
 */
export function offsetWindow(list: readonly Interest[], cells: number): OffsetWindow {
  const n = Math.max(4, Math.floor(cells));
  if (list.length === 0) return { spans: [{ from: 0, to: n }], cells: n, gapCells: GAP_CELLS };
  const head = Math.max(...list.filter((i) => i.priority === 0 && i.why === 'the newest log end').map((i) => i.from), 0);
  const page = Math.max(1, Math.floor(n / 4));
  const future = Math.max(1, Math.ceil(n * 0.15));
  const headEnd = Math.ceil((head + future) / page) * page;
  let keep = [...list];
  let spans: Span[] = [];
  for (;;) {
    spans = wanted(keep, n);
    const last = spans[spans.length - 1];
    if (last && last.to < headEnd && head >= last.from) last.to = headEnd;
    spans = merge(spans);
    if (width(spans) <= n) break;
    const worst = Math.max(...keep.map((i) => i.priority));
    if (worst === 0 || keep.length <= 1) {
      // Only what must be seen is left and it still does not fit: the spans around the newest end win.
      spans = squeeze(spans, n);
      break;
    }
    keep = keep.filter((i) => i.priority < worst);
  }
  // Room left over: history before each span, the newest first, as far as the span before it.
  let spare = n - width(spans);
  for (let k = spans.length - 1; k >= 0 && spare > 0; k--) {
    const prevEnd = k > 0 ? spans[k - 1].to : 0;
    const room = spans[k].from - prevEnd;
    const take = Math.min(spare, room);
    spans[k].from -= take;
    spare -= take;
    if (k > 0 && spans[k].from <= spans[k - 1].to + GAP_CELLS) {
      // touching the span before: one span, and the gap's cells are free again
      spans[k - 1].to = spans[k].to;
      spans.splice(k, 1);
      spare = n - width(spans);
    }
  }
  if (spare > 0) spans[spans.length - 1].to += spare;
  return { spans, cells: n, gapCells: GAP_CELLS };
}

/** Too much even for the most important: keep the spans from the newest backwards, trimming the oldest. */
function squeeze(spans: Span[], n: number): Span[] {
  const out: Span[] = [];
  let left = n;
  for (let k = spans.length - 1; k >= 0 && left > 0; k--) {
    const s = spans[k];
    const room = left - (out.length ? GAP_CELLS : 0);
    if (room <= 0) break;
    out.unshift({ from: Math.max(s.from, s.to - room), to: s.to });
    left -= out[0].to - out[0].from + (out.length > 1 ? GAP_CELLS : 0);
  }
  return out;
}

/** The cell position (0-based, fractional at gaps) of the left edge of `offset`'s cell. */
export function cellOf(w: OffsetWindow, offset: number): { x: number; inGap: boolean } {
  let x = 0;
  for (let k = 0; k < w.spans.length; k++) {
    const s = w.spans[k];
    if (offset < s.from) return k === 0 ? { x: 0, inGap: true } : { x: x - w.gapCells / 2, inGap: true };
    if (offset <= s.to) return { x: x + offset - s.from, inGap: false };
    x += s.to - s.from + w.gapCells;
  }
  return { x: x - w.gapCells, inGap: true };
}

/** Is the offset's cell drawn? */
export function shown(w: OffsetWindow, offset: number): boolean {
  return w.spans.some((s) => offset >= s.from && offset < s.to);
}

/** Every drawn offset with its cell index. */
export function* cellsOf(w: OffsetWindow): Generator<[offset: number, cell: number]> {
  let x = 0;
  for (const s of w.spans) {
    for (let o = s.from; o < s.to; o++) yield [o, x + o - s.from];
    x += s.to - s.from + w.gapCells;
  }
}

/** The gaps: hidden offsets [from, to) and the cell where each gap starts. */
export function gapsOf(w: OffsetWindow): { from: number; to: number; cell: number }[] {
  const out: { from: number; to: number; cell: number }[] = [];
  let x = 0;
  for (let k = 0; k < w.spans.length; k++) {
    x += w.spans[k].to - w.spans[k].from;
    if (k + 1 < w.spans.length) {
      out.push({ from: w.spans[k].to, to: w.spans[k + 1].from, cell: x });
      x += w.gapCells;
    }
  }
  return out;
}
