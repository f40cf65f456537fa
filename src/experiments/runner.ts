// Runs a sweep's (cell, seed) pairs, in this thread or across worker threads (node:worker_threads),
// handing each outcome to the caller as it arrives. Outcomes arrive in any order; the report sorts
// them, so the result does not depend on the number of workers. Work is handed out in small batches
// so a slow cell does not leave a core idle, and stop() ends the workers at once (Ctrl-C).

import { Worker } from 'node:worker_threads';
import { runOutcome, type RunOutcome } from './outcome.ts';
import { parseCell } from './set-keys.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

export interface SweepJob {
  text: string;
  fileName: string;
  /** Each cell's settings, by cell index. */
  cells: { key: string; value: string }[][];
  /** Record Kafka's metrics in every run (produce latency, time under min ISR): about half again the cost. */
  metrics?: boolean;
}

export interface RunTask {
  cell: number;
  seed: number;
}

export interface RunnerOptions {
  workers: number;
  onOutcome?: (o: RunOutcome) => void;
}

export interface Running {
  /** Resolves when every task ran, or after stop() with what finished. */
  done: Promise<{ outcomes: RunOutcome[]; stopped: boolean }>;
  stop(): void;
}

const BATCH = 4;

/** The worker threads a sweep of `tasks` runs starts when `requested` are asked for: no more than its batches. */
export function workerCount(requested: number, tasks: number): number {
  return Math.max(1, Math.min(requested, Math.ceil(tasks / BATCH)));
}

export function startRuns(job: SweepJob, tasks: readonly RunTask[], opts: RunnerOptions): Running {
  return opts.workers <= 1 ? inThisThread(job, tasks, opts) : inWorkers(job, tasks, opts);
}

function inThisThread(job: SweepJob, tasks: readonly RunTask[], opts: RunnerOptions): Running {
  let stopped = false;
  const outcomes: RunOutcome[] = [];
  const cells = job.cells.map((settings) => parseCell(job.text, job.fileName, settings));
  const done = (async () => {
    for (const t of tasks) {
      if (stopped) break;
      const o = runOutcome(t.cell, cells[t.cell].scenario, cells[t.cell].spec, t.seed, { metrics: job.metrics });
      outcomes.push(o);
      opts.onOutcome?.(o);
      // let a signal handler run between runs
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { outcomes, stopped };
  })();
  return { done, stop: () => (stopped = true) };
}

function inWorkers(job: SweepJob, tasks: readonly RunTask[], opts: RunnerOptions): Running {
  const outcomes: RunOutcome[] = [];
  const workers: Worker[] = [];
  let next = 0;
  let stopped = false;
  let settle: (v: { outcomes: RunOutcome[]; stopped: boolean }) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const done = new Promise<{ outcomes: RunOutcome[]; stopped: boolean }>((res, rej) => {
    settle = res;
    fail = rej;
  });
  const finish = (err?: unknown) => {
    for (const w of workers) void w.terminate();
    if (err !== undefined) fail(err);
    else settle({ outcomes, stopped });
  };
  const count = workerCount(opts.workers, tasks.length);
  let idle = 0;
  const feed = (w: Worker) => {
    if (stopped || next >= tasks.length) {
      idle++;
      if (idle === count) finish();
      return;
    }
    const batch = tasks.slice(next, next + BATCH);
    next += batch.length;
    w.postMessage({ kind: 'run', tasks: batch } satisfies WorkerRequest);
  };
  for (let i = 0; i < count; i++) {
    const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: job });
    workers.push(w);
    w.on('message', (m: WorkerReply) => {
      if (m.kind === 'failed') return finish(new Error(`a sweep worker failed: ${m.message}`));
      for (const o of m.outcomes) {
        outcomes.push(o);
        opts.onOutcome?.(o);
      }
      feed(w);
    });
    w.on('error', (e) => finish(e));
    feed(w);
  }
  if (tasks.length === 0) finish();
  return {
    done,
    stop: () => {
      if (stopped) return;
      stopped = true;
      finish();
    },
  };
}
