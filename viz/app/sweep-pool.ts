// A small pool of Web Workers for "How often?": each worker parses the scenario once, then takes
// (side, seed) runs one at a time (with one more queued), so a fast worker takes more and the page
// thread only files results.
// Results come back in whatever order the workers finish; the caller files them by seed.

import type { RunOutcome } from '../lib/how-often.ts';
import type { SweepSetup } from '../run/sweep.ts';
import type { SweepReply, SweepRequest } from '../run/sweep-protocol.ts';

export interface SweepJob {
  setup: SweepSetup;
  seeds: readonly number[];
}

export interface SweepCallbacks {
  result(side: number, outcome: RunOutcome): void;
  done(stats: SweepStats): void;
  failed(message: string, errors: string[]): void;
}

export interface SweepStats {
  runs: number;
  workers: number;
  wallMs: number;
  /** Summed time inside runScenario, over every worker. */
  runMs: number;
}

/** Workers to use: the machine's cores, at least 1 and at most 4. */
export function defaultWorkerCount(): number {
  const hc = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 1;
  return Math.max(1, Math.min(4, Number.isFinite(hc) && hc > 0 ? hc : 1));
}

export class SweepPool {
  private workers: Worker[] = [];
  private sweep = 0;
  private active = false;

  get running(): boolean {
    return this.active;
  }

  start(job: SweepJob, workerCount: number, cb: SweepCallbacks): void {
    this.cancel();
    const id = ++this.sweep;
    this.active = true;
    const tasks: { side: number; seed: number }[] = [];
    // Seed by seed, both sides of a pair together: part-way results compare like with like.
    for (const seed of job.seeds) for (let side = 0; side < job.setup.sides.length; side++) tasks.push({ side, seed });
    const n = Math.max(1, Math.min(workerCount, tasks.length));
    while (this.workers.length < n) this.spawn();
    const t0 = performance.now();
    let next = 0;
    let finished = 0;
    let runMs = 0;
    const stop = (fn: () => void) => {
      if (id !== this.sweep || !this.active) return;
      this.active = false;
      fn();
    };
    const feed = (w: Worker) => {
      if (next >= tasks.length) return;
      const t = tasks[next];
      w.postMessage({ kind: 'run', sweep: id, task: next, side: t.side, seed: t.seed } satisfies SweepRequest);
      next++;
    };
    this.workers.slice(0, n).forEach((w) => {
      w.onmessage = (ev: MessageEvent<SweepReply>) => {
        const r = ev.data;
        if (r.sweep !== id || !this.active) return;
        // Two runs queued per worker: it starts the next while its last result is on its way.
        if (r.kind === 'ready') feed(w), feed(w);
        else if (r.kind === 'result') {
          finished++;
          runMs += r.wallMs;
          cb.result(r.side, r.outcome);
          if (finished === tasks.length) stop(() => cb.done({ runs: tasks.length, workers: n, wallMs: performance.now() - t0, runMs }));
          else feed(w);
        } else if (r.kind === 'invalid') {
          stop(() => cb.failed('the scenario is not valid', r.errors));
          this.terminate();
        } else {
          stop(() => cb.failed(r.message, []));
          this.terminate();
        }
      };
      w.onerror = (ev) => {
        ev.preventDefault();
        stop(() => cb.failed(`a simulator worker failed: ${ev.message}`, []));
        this.terminate();
      };
      w.postMessage({ kind: 'setup', sweep: id, ...job.setup } satisfies SweepRequest);
    });
    // Workers beyond what this sweep needs are let go.
    for (const w of this.workers.splice(n)) w.terminate();
  }

  /** Start the workers ahead of the first sweep (loading the simulator takes them a moment). */
  warm(workerCount: number): void {
    if (this.active) return;
    while (this.workers.length < workerCount) this.spawn();
  }

  /** Stop now: the workers are terminated (a run cannot be interrupted), new ones start next time. */
  cancel(): void {
    if (!this.active) return;
    this.active = false;
    this.sweep++;
    this.terminate();
  }

  private terminate(): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }

  private spawn(): void {
    this.workers.push(new Worker(new URL('../run/sweep-worker.ts', import.meta.url), { type: 'module' }));
  }
}
