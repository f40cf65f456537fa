// Shrinking a failing schedule to its smallest story, pure over an oracle that says whether a
// candidate still fails (the explorer's oracle runs the scenario with the run seed fixed and asks
// whether the same expectation still fails). The passes, in order, each step kept only if the
// candidate still fails:
//
//   1. fewer faults: delta debugging over the list of faults;
//   2. earlier and shorter: per fault, a binary search toward an earlier start, then toward a shorter
//      duration (and, for a slow link, less added latency);
//   3. fewer nodes: fewer brokers in a crash of several, fewer members on each side of a partition;
//   4. a smaller workload: fewer consumers and producers, lower producer rates, a shorter run (one
//      that still leaves the cluster time to settle after the last fault, see ShrinkOptions).
//
// The passes repeat while a round still changes something (a lower rate can make a fault
// unnecessary), at most three rounds, and stop as soon as the oracle's budget of runs is spent.
// The binary searches assume "fails" is roughly monotone; where it is not they still end on a
// failing value, only perhaps not the smallest one.

import { ddmin } from './ddmin.ts';
import { QUANTUM_US, endUs, minForUs, type Fault } from './schedule.ts';

/** What the shrinker may make smaller besides the faults; the rest of the scenario stays as written. */
export interface Workload {
  durationUs: number;
  producers: { id: string; ratePerSec: number }[];
  /** Consumer ids kept. */
  consumers: string[];
}

export interface Candidate {
  faults: Fault[];
  workload: Workload;
}

export interface Oracle {
  /** Whether the candidate still fails the same way; false once the budget is spent. */
  fails(c: Candidate): boolean;
  exhausted(): boolean;
}

const MAX_ROUNDS = 3;
const LATENCY_QUANTUM_US = 10_000;
const DURATION_QUANTUM_US = 1_000_000;

export interface ShrinkOptions {
  /** Told whether the passes reached a candidate none of them could shrink (false: the rounds ran out first). */
  onSettled?: (settled: boolean) => void;
  /**
   * A shortened run still lasts this long after its last fault ends. "Lost" is judged at the end of
   * the run, so a run cut short in the middle of a recovery (the leader that lost its disk not yet
   * fenced) would report as lost what the cluster is about to get back.
   */
  settleUs: number;
}

export function shrink(failing: Candidate, oracle: Oracle, opts: ShrinkOptions): Candidate {
  let c = failing;
  let settled = false;
  for (let round = 0; round < MAX_ROUNDS && !oracle.exhausted(); round++) {
    const before = JSON.stringify(c);
    c = fewerFaults(c, oracle, round === 0);
    c = earlierAndShorter(c, oracle);
    c = fewerNodes(c, oracle);
    c = smallerWorkload(c, oracle, opts.settleUs);
    if (JSON.stringify(c) === before) {
      settled = true;
      break;
    }
  }
  opts.onSettled?.(settled);
  return { ...c, faults: [...c.faults].sort((a, b) => a.atUs - b.atUs) };
}

export function fewerFaults(c: Candidate, oracle: Oracle, tryEmpty = true): Candidate {
  const faults = ddmin(c.faults, (fs) => oracle.fails({ ...c, faults: fs }), { tryEmpty });
  return { ...c, faults };
}

export function earlierAndShorter(c: Candidate, oracle: Oracle): Candidate {
  let cur = c;
  for (let i = 0; i < cur.faults.length && !oracle.exhausted(); i++) {
    const tryFault = (f: Fault): boolean => oracle.fails(withFault(cur, i, f));
    const f0 = cur.faults[i];
    const atUs = smallestFailing(0, f0.atUs, QUANTUM_US, (at) => tryFault({ ...f0, atUs: at }));
    const f1 = { ...f0, atUs };
    const forUs = smallestFailing(minForUs(f1.kind), f1.forUs, QUANTUM_US, (d) => tryFault({ ...f1, forUs: d }));
    let f2: Fault = { ...f1, forUs };
    if (f2.kind === 'slow') {
      const slow = f2;
      f2 = { ...slow, latencyUs: smallestFailing(LATENCY_QUANTUM_US, slow.latencyUs, LATENCY_QUANTUM_US, (l) => tryFault({ ...slow, latencyUs: l })) };
    }
    cur = withFault(cur, i, f2);
  }
  return cur;
}

export function fewerNodes(c: Candidate, oracle: Oracle): Candidate {
  let cur = c;
  for (let i = 0; i < cur.faults.length && !oracle.exhausted(); i++) {
    const f = cur.faults[i];
    if (f.kind === 'crash' || f.kind === 'shutdown' || f.kind === 'power-loss' || f.kind === 'disk-loss') {
      const brokers = ddmin(f.brokers, (bs) => oracle.fails(withFault(cur, i, { ...f, brokers: bs })));
      cur = withFault(cur, i, { ...f, brokers });
    } else if (f.kind === 'partition') {
      cur = withFault(cur, i, smallerSides(f, (g) => oracle.fails(withFault(cur, i, g))));
    }
  }
  return cur;
}

/** Drops partition members one at a time (a side never empties), keeping each drop that still fails. */
function smallerSides(f: Extract<Fault, { kind: 'partition' }>, fails: (f: Fault) => boolean): Fault {
  let cur = f;
  for (let g = 0; g < cur.groups.length; g++) {
    for (let m = cur.groups[g].length - 1; m >= 0 && cur.groups[g].length > 1; m--) {
      const groups = cur.groups.map((side, j) => (j === g ? side.filter((_, k) => k !== m) : side));
      const next = { ...cur, groups };
      if (fails(next)) cur = next;
    }
  }
  return cur;
}

export function smallerWorkload(c: Candidate, oracle: Oracle, settleUs: number): Candidate {
  let cur = c;
  const withLoad = (w: Partial<Workload>): Candidate => ({ ...cur, workload: { ...cur.workload, ...w } });
  cur = withLoad({ consumers: ddmin(cur.workload.consumers, (cs) => oracle.fails(withLoad({ consumers: cs })), { tryEmpty: true }) });
  cur = withLoad({ producers: ddmin(cur.workload.producers, (ps) => oracle.fails(withLoad({ producers: ps }))) });
  cur = lowerRates(cur, oracle);
  const lowest = Math.max(DURATION_QUANTUM_US, ...cur.faults.map((f) => endUs(f) + settleUs));
  const floor = Math.min(cur.workload.durationUs, Math.ceil(lowest / DURATION_QUANTUM_US) * DURATION_QUANTUM_US);
  return withLoad({ durationUs: smallestFailing(floor, cur.workload.durationUs, DURATION_QUANTUM_US, (d) => oracle.fails(withLoad({ durationUs: d }))) });
}

/** Whole records per second, down to 1/s; a rate that is not a whole number is left as written. */
function lowerRates(c: Candidate, oracle: Oracle): Candidate {
  let cur = c;
  cur.workload.producers.forEach((p, i) => {
    if (!Number.isInteger(p.ratePerSec) || oracle.exhausted()) return;
    const withRate = (r: number): Candidate => {
      const producers = cur.workload.producers.map((q, j) => (j === i ? { ...q, ratePerSec: r } : q));
      return { ...cur, workload: { ...cur.workload, producers } };
    };
    cur = withRate(smallestFailing(1, p.ratePerSec, 1, (r) => oracle.fails(withRate(r))));
  });
  return cur;
}

function withFault(c: Candidate, i: number, f: Fault): Candidate {
  return { ...c, faults: c.faults.map((g, j) => (j === i ? f : g)) };
}

/**
 * The smallest value on the grid lo, lo + q, … that fails, by binary search, given that `hi` fails:
 * lo itself is tried first (often a fault can start at 0 s), then halves of the gap.
 */
export function smallestFailing(lo: number, hi: number, q: number, fails: (v: number) => boolean): number {
  if (hi <= lo) return hi;
  if (fails(lo)) return lo;
  while (hi - lo > q) {
    const mid = lo + Math.max(q, Math.floor((hi - lo) / (2 * q)) * q);
    if (mid >= hi) break;
    if (fails(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
