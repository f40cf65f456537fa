// Benchmark workloads shared by engine.bench.ts (vitest bench) and run.ts (the ratio table):
// the same steady-state "pop one, push one later" loop on the bare heap, on the Scheduler with
// empty self-rescheduling handlers, and on SimJS, all drawing delays from one precomputed table
// so that no random-number cost is measured.
import { Heap } from '../../sim/engine/heap.ts';
import { Scheduler } from '../../sim/engine/scheduler.ts';

/** Delays are uniform integers in [1, MAX_DELAY_US]; initial times uniform in [0, MAX_DELAY_US). */
export const MAX_DELAY_US = 1_000_000;
const TABLE_SIZE = 1 << 16;
const MASK = TABLE_SIZE - 1;

/** A deterministic table of delays (a small LCG: benchmarks must not depend on ambient state). */
function delayTable(): Float64Array {
  const table = new Float64Array(TABLE_SIZE);
  let state = 12345;
  for (let i = 0; i < TABLE_SIZE; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    table[i] = 1 + (state % MAX_DELAY_US);
  }
  return table;
}

export const DELAYS = delayTable();

/** A workload that keeps `size` events pending and runs about `n` more of them per call. */
export interface Workload {
  readonly name: string;
  readonly size: number;
  /** Runs about n events; returns how many actually ran. */
  run(n: number): number;
}

/** The physical limit: push and pop on the typed-array heap, no function called per event. */
export function rawHeap(size: number): Workload {
  const heap = new Heap(size);
  let seq = 0;
  for (let i = 0; i < size; i++) heap.push(i, DELAYS[i & MASK] - 1, seq++);
  let k = 0;
  return {
    name: 'raw heap',
    size,
    run(n) {
      for (let i = 0; i < n; i++) {
        const time = heap.topTime();
        const id = heap.pop();
        heap.push(id, time + DELAYS[k++ & MASK], seq++);
      }
      return n;
    },
  };
}

/** The Scheduler with `size` empty handlers, each rescheduling itself by after(). */
export function engineLoop(size: number): Workload {
  const scheduler = new Scheduler({ eventLimit: Number.MAX_SAFE_INTEGER, label: 'bench' });
  let k = 0;
  const tick = (): void => {
    scheduler.after(DELAYS[k++ & MASK], tick);
  };
  for (let i = 0; i < size; i++) scheduler.at(DELAYS[i & MASK] - 1, tick);
  // mean delay is MAX_DELAY_US / 2, so `size` handlers run size / (MAX_DELAY_US / 2) events per µs
  const eventsPerUs = size / (MAX_DELAY_US / 2);
  return {
    name: 'engine',
    size,
    run(n) {
      const before = scheduler.executed;
      scheduler.runUntil(scheduler.now + Math.max(1, Math.round(n / eventsPerUs)));
      return scheduler.executed - before;
    },
  };
}

interface SimJsRequest {
  done(fn: () => void): void;
}
interface SimJsModule {
  Sim: new () => { step(): boolean; addEntity(klass: unknown): unknown };
  Entity: new (...args: unknown[]) => { setTimer(delay: number): SimJsRequest };
}

/**
 * SimJS's bundle exports nothing under Node: it only assigns window.Sim when a window exists, so
 * give it a stand-in window while it loads.
 */
export async function loadSimJs(): Promise<SimJsModule> {
  const g = globalThis as { window?: { Sim?: SimJsModule } };
  const hadWindow = 'window' in g;
  if (!hadWindow) g.window = {};
  try {
    // @ts-expect-error simjs ships no type declarations; SimJsModule above describes what is used
    await import('simjs');
    const sim = g.window?.Sim;
    if (sim === undefined) throw new Error('simjs did not register window.Sim');
    return sim;
  } finally {
    if (!hadWindow) delete g.window;
  }
}

/**
 * SimJS with `size` entities, each re-arming a timer from its callback. It is advanced with
 * step(): simulate(endTime) drops the first event past endTime, so it cannot be called in slices.
 */
export function simJsLoop(simjs: SimJsModule, size: number): Workload {
  let k = 0;
  class Loop extends simjs.Entity {
    start(): void {
      this.setTimer(DELAYS[k++ & MASK]).done(this.start);
    }
  }
  const sim = new simjs.Sim();
  for (let i = 0; i < size; i++) sim.addEntity(Loop);
  return {
    name: 'SimJS',
    size,
    run(n) {
      for (let i = 0; i < n; i++) sim.step();
      return n;
    },
  };
}

/** Events per second of one timed call running about n events. */
export function rate(workload: Workload, n: number): number {
  const start = process.hrtime.bigint();
  const ran = workload.run(n);
  const ns = Number(process.hrtime.bigint() - start);
  return (ran * 1e9) / ns;
}
