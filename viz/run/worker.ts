// The simulator in a Web Worker: receives a scenario, runs it (simulate.ts) or only checks it
// (check.ts), or reads a trace file (simulate.ts openTrace) and runs its scenario again for its metrics
// (rerunForMetrics), and posts back the result.
import { openTrace, rerunForMetrics, simulate, InvalidScenario } from './simulate.ts';
import { checkScenario } from './check.ts';
import type { RunReply, WorkerRequest } from './protocol.ts';
import type { RunData } from '../lib/run-data.ts';

const post = (r: RunReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(r, transfer);
const done = (id: number, data: RunData) => post({ id, kind: 'done', data }, [data.fingerprints.buffer, data.rawTimes.buffer]);

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  try {
    if (req.kind === 'check') {
      post({ id: req.id, kind: 'checked', check: checkScenario(req.text, req.fileName) });
      return;
    }
    if (req.kind === 'metrics') {
      post({ id: req.id, kind: 'metrics', ...(await rerunForMetrics(req)) });
      return;
    }
    if (req.kind === 'open-trace') {
      done(req.id, await openTrace(new Uint8Array(req.bytes), () => performance.now()));
      return;
    }
    const partial = (data: RunData) => post({ id: req.id, kind: 'partial', data }, [data.fingerprints.buffer, data.rawTimes.buffer]);
    done(req.id, await simulate(req, (tUs, durationUs) => post({ id: req.id, kind: 'progress', tUs, durationUs }), () => performance.now(), partial));
  } catch (e) {
    if (e instanceof InvalidScenario) post({ id: req.id, kind: 'invalid', errors: e.errors });
    else post({ id: req.id, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
};
