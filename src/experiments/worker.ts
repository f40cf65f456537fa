// A sweep worker thread: parses the job's cells once, then runs the (cell, seed) batches it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { runOutcome } from './outcome.ts';
import type { SweepJob } from './runner.ts';
import { parseCell } from './set-keys.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

const job = workerData as SweepJob;
const cells = job.cells.map((settings) => parseCell(job.text, job.fileName, settings));

parentPort!.on('message', (m: WorkerRequest) => {
  try {
    const outcomes = m.tasks.map((t) => runOutcome(t.cell, cells[t.cell].scenario, cells[t.cell].spec, t.seed, { metrics: job.metrics }));
    parentPort!.postMessage({ kind: 'outcomes', outcomes } satisfies WorkerReply);
  } catch (e) {
    parentPort!.postMessage({ kind: 'failed', message: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies WorkerReply);
  }
});
