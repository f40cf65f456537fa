// What each consumer group's applications processed twice or skipped, as the page can tell it from the
// trace alone (the CLI's ledger keeps the same account, sim/check/processing-ledger.ts): a record is
// processed more than once from the moment its second processing ends; a record is skipped when the
// group's committed offset passes it and, by the end of the run, no member has processed it nor has it
// in hand. Both as sorted times per group, so a count at the playhead is a binary search.

import type { VizEvent } from './events.ts';

export interface GroupProcessing {
  group: string;
  /** When each record processed more than once was processed the second time (sorted µs). */
  duplicateTimes: number[];
  /** When the committed offset passed each record that was never processed (sorted µs). */
  skipTimes: number[];
}

interface Track {
  counts: Uint16Array;
  /** The group's first position here (−1: none yet). */
  first: number;
  commits: { tUs: number; offset: number }[];
}

/** Only for runs whose consumers take time (`processing:` traces `records-polled`); else empty. */
export function processingOf(events: readonly VizEvent[]): GroupProcessing[] {
  if (!events.some((e) => e.type === 'processing')) return [];
  const tracks = new Map<string, Map<string, Track>>();
  const dups = new Map<string, number[]>();
  const inHand = new Map<string, { group: string; parts: [string, number, number][] }>();
  const track = (group: string, partition: string): Track => {
    let g = tracks.get(group);
    if (g === undefined) tracks.set(group, (g = new Map()));
    let t = g.get(partition);
    if (t === undefined) g.set(partition, (t = { counts: new Uint16Array(0), first: -1, commits: [] }));
    return t;
  };
  for (const e of events) {
    if (e.type === 'position') {
      const t = track(e.group, e.partition);
      if (t.first < 0) t.first = e.offset;
    } else if (e.type === 'committed') {
      track(e.group, e.partition).commits.push({ tUs: e.tUs, offset: e.offset });
    } else if (e.type === 'processing') {
      inHand.set(e.consumer, { group: e.group, parts: e.parts });
    } else if (e.type === 'processed') {
      inHand.delete(e.consumer);
      for (const [p, from, to] of e.parts) {
        const t = track(e.group, p);
        if (to > t.counts.length) {
          const c = new Uint16Array(Math.max(to, t.counts.length * 2));
          c.set(t.counts);
          t.counts = c;
        }
        for (let o = from; o < to; o++) {
          if (t.counts[o] < 0xffff) t.counts[o]++;
          if (t.counts[o] === 2) {
            let list = dups.get(e.group);
            if (list === undefined) dups.set(e.group, (list = []));
            list.push(e.tUs);
          }
        }
      }
    }
  }
  const out: GroupProcessing[] = [];
  for (const [group, parts] of [...tracks].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const skipTimes: number[] = [];
    for (const [partition, t] of parts) {
      const last = t.commits[t.commits.length - 1];
      if (last === undefined || t.first < 0) continue;
      const held = [...inHand.values()].filter((h) => h.group === group).flatMap((h) => h.parts.filter(([p]) => p === partition));
      for (let o = t.first; o < last.offset; o++) {
        if ((o < t.counts.length && t.counts[o] > 0) || held.some(([, f, to]) => o >= f && o < to)) continue;
        const passed = t.commits.find((c) => c.offset > o);
        if (passed !== undefined) skipTimes.push(passed.tUs);
      }
    }
    out.push({ group, duplicateTimes: (dups.get(group) ?? []).sort((a, b) => a - b), skipTimes: skipTimes.sort((a, b) => a - b) });
  }
  return out;
}

/** How many of the sorted times are at or before `tUs`. */
export function countUntil(times: readonly number[], tUs: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= tUs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
