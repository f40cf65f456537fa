// Runs scenarios off the main thread, so the page stays responsive (and shows progress) while a big
// cluster simulates. The worker runs exactly the code the CLI runs; the result is plain data.

import type { RunData } from '../lib/run-data.ts';
import type { RunReply, RunRequest } from '../run/protocol.ts';

export class RunFailed extends Error {
  constructor(
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
  }
}

export class RunClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (d: RunData) => void; reject: (e: Error) => void; progress?: (t: number, d: number) => void }>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('../run/worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (ev: MessageEvent<RunReply>) => {
      const r = ev.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      if (r.kind === 'progress') return p.progress?.(r.tUs, r.durationUs);
      this.pending.delete(r.id);
      if (r.kind === 'done') p.resolve(r.data);
      else if (r.kind === 'invalid') p.reject(new RunFailed('the scenario is not valid', r.errors));
      else p.reject(new RunFailed(r.message));
    };
    w.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new RunFailed(`the simulator worker failed: ${ev.message}`));
      this.pending.clear();
      this.worker = undefined;
    };
    this.worker = w;
    return w;
  }

  run(req: Omit<RunRequest, 'id'>, progress?: (tUs: number, durationUs: number) => void): Promise<RunData> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      this.ensure().postMessage({ ...req, id } satisfies RunRequest);
    });
  }

  /** Abandon whatever is running (a new scenario was picked). */
  cancelAll(): void {
    for (const p of this.pending.values()) p.reject(new RunFailed('cancelled'));
    this.pending.clear();
    this.worker?.terminate();
    this.worker = undefined;
  }
}
