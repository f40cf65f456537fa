// The nemesis: draws a random fault schedule over a scenario's cluster, from one seeded random
// stream per schedule. Schedule i of explore seed S is drawn from its own stream `explore:S:i`, so it
// can be drawn again alone (and does not change when the nemesis learns a new fault kind and draws
// more, or fewer, numbers for schedule i − 1). The run seed of the schedule comes from the same stream.
//
// What it draws: one to four faults of the allowed kinds; which brokers (usually one, sometimes
// more); for pause, isolate, cut and slow also the controller; for a partition two sides drawn from
// the brokers, the controller and (less often) the clients, each node on one side or on neither.
// Faults start within the first three quarters of the run or so, leaving the rest for what follows
// (fencing after broker.session.timeout.ms, elections, truncation), and end before that too.
// Only exact arithmetic on the draws (multiply and floor), so a seed draws the same schedule anywhere.

import seedrandom from 'seedrandom';
import { CONTROLLER } from '../../../sim/kafka/index.ts';
import type { NodeName } from '../../../sim/kafka/spec.ts';
import { QUANTUM_US, minForUs, wellFormed, type Fault, type FaultKind } from './schedule.ts';

/** What the nemesis may aim at. */
export interface Target {
  brokers: number[];
  /** Producer and consumer ids: they may stand on one side of a partition (a zombie leader's clients). */
  clients: string[];
  durationUs: number;
}

export interface DrawnSchedule {
  runSeed: number;
  faults: Fault[];
}

type Rng = () => number;

const MAX_FAULTS = 4;
/** Extra latencies a slow link gets: from a congested link to one slower than every timeout. */
const SLOW_LATENCIES_US = [20_000, 100_000, 500_000, 2_000_000, 10_000_000, 40_000_000];

export function scheduleRng(exploreSeed: number, index: number): Rng {
  return seedrandom(`explore:${exploreSeed}:${index}`);
}

export function drawSchedule(rng: Rng, target: Target, kinds: readonly FaultKind[]): DrawnSchedule {
  const runSeed = 1 + int(rng, 0, 2_147_483_646);
  const count = int(rng, 1, MAX_FAULTS);
  const faults: Fault[] = [];
  // a draw that clashes with the faults so far is drawn again, a few times at most
  for (let i = 0; i < count; i++) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const f = drawFault(rng, target, pick(rng, kinds));
      if (f && wellFormed([...faults, f], target.durationUs)) {
        faults.push(f);
        break;
      }
    }
  }
  faults.sort((a, b) => a.atUs - b.atUs);
  return { runSeed, faults };
}

/** Faults start and end before this, so the run has time to show their consequences. */
export function horizonUs(durationUs: number): number {
  const settle = Math.min(20_000_000, Math.floor(durationUs / 4));
  return Math.floor((durationUs - settle) / QUANTUM_US) * QUANTUM_US;
}

/** Whether a fault of this kind can be drawn in a run of this length (it must end by the horizon). */
export function fits(kind: FaultKind, durationUs: number): boolean {
  return horizonUs(durationUs) - minForUs(kind) >= 0;
}

function drawFault(rng: Rng, t: Target, kind: FaultKind): Fault | undefined {
  const timing = drawTiming(rng, t.durationUs, kind);
  if (!timing) return undefined;
  // the controller is aimed at as often as any one broker
  const nodes: NodeName[] = [...t.brokers, CONTROLLER];
  switch (kind) {
    case 'crash': case 'shutdown': case 'power-loss': case 'disk-loss':
      return { kind, brokers: drawBrokers(rng, t.brokers), ...timing };
    case 'pause': case 'isolate':
      return { kind, node: pick(rng, nodes), ...timing };
    case 'slow':
      return { kind, node: pick(rng, nodes), latencyUs: pick(rng, SLOW_LATENCIES_US), ...timing };
    case 'cut': {
      const from = pick(rng, nodes);
      const to = pick(rng, nodes.filter((n) => n !== from));
      return { kind, from, to, ...timing };
    }
    case 'partition':
      return { kind, groups: drawSides(rng, t), ...timing };
  }
}

/** Half the faults are short (up to 10 s: a blip), half last anything up to the horizon (long enough to shrink an ISR). */
function drawTiming(rng: Rng, durationUs: number, kind: FaultKind): { atUs: number; forUs: number } | undefined {
  const horizon = horizonUs(durationUs);
  const min = minForUs(kind);
  if (!fits(kind, durationUs)) return undefined;
  const atUs = quantum(rng, 0, horizon - min);
  if (kind === 'disk-loss') return { atUs, forUs: 0 };
  const longest = rng() < 0.5 ? Math.min(10_000_000, horizon - atUs) : horizon - atUs;
  return { atUs, forUs: quantum(rng, min, Math.max(min, longest)) };
}

/** Usually one broker, sometimes two, now and then any number up to all of them. */
function drawBrokers(rng: Rng, brokers: number[]): number[] {
  const r = rng();
  const size = r < 0.6 ? 1 : r < 0.9 ? 2 : int(rng, 1, brokers.length);
  return shuffle(rng, brokers).slice(0, Math.min(size, brokers.length)).sort((a, b) => a - b);
}

/** Two sides; every broker and the controller falls on one side or neither, a client less often. */
function drawSides(rng: Rng, t: Target): NodeName[][] {
  for (let attempt = 0; attempt < 20; attempt++) {
    const sides: NodeName[][] = [[], []];
    for (const n of [...t.brokers, CONTROLLER]) {
      const r = rng();
      if (r < 1 / 3) sides[0].push(n);
      else if (r < 2 / 3) sides[1].push(n);
    }
    for (const c of t.clients) {
      const r = rng();
      if (r < 0.15) sides[0].push(c);
      else if (r < 0.3) sides[1].push(c);
    }
    if (sides[0].some((n) => typeof n === 'number') && sides[1].length > 0) return sides;
  }
  // the classic: one broker alone against the others
  const alone = pick(rng, t.brokers);
  const others = t.brokers.filter((b) => b !== alone);
  return [[alone], others.length > 0 ? others : [CONTROLLER]];
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function quantum(rng: Rng, lo: number, hi: number): number {
  const steps = Math.floor((hi - lo) / QUANTUM_US);
  return lo + int(rng, 0, steps) * QUANTUM_US;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[int(rng, 0, items.length - 1)];
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rng, 0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
