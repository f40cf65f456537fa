// A "How often?" worker: parses the scenario once per sweep, then runs the seeds it is handed.
import { prepareSweep, type PreparedSweep } from './sweep.ts';
import { InvalidScenario } from './simulate.ts';
import type { SweepReply, SweepRequest } from './sweep-protocol.ts';

const post = (r: SweepReply) => (self as unknown as Worker).postMessage(r);
let current: { sweep: number; prepared: PreparedSweep } | undefined;

self.onmessage = (ev: MessageEvent<SweepRequest>) => {
  const req = ev.data;
  try {
    if (req.kind === 'setup') {
      current = undefined;
      current = { sweep: req.sweep, prepared: prepareSweep(req) };
      post({ kind: 'ready', sweep: req.sweep });
    } else {
      if (!current || current.sweep !== req.sweep) throw new Error(`sweep ${req.sweep} was not set up in this worker`);
      const t0 = performance.now();
      const outcome = current.prepared.run(req.side, req.seed);
      post({ kind: 'result', sweep: req.sweep, task: req.task, side: req.side, outcome, wallMs: performance.now() - t0 });
    }
  } catch (e) {
    if (e instanceof InvalidScenario) post({ kind: 'invalid', sweep: req.sweep, errors: e.errors });
    else {
      const message = e instanceof Error ? e.message : String(e);
      post({ kind: 'failed', sweep: req.sweep, message: req.kind === 'run' ? `seed ${req.seed}${req.side ? ` (side ${req.side + 1})` : ''}: ${message}` : message });
    }
  }
};
