// The simulator in a Web Worker: receives a scenario, runs it (simulate.ts) or only checks it
// (check.ts), posts back the result.
import { simulate, InvalidScenario } from './simulate.ts';
import { checkScenario } from './check.ts';
import type { RunReply, WorkerRequest } from './protocol.ts';

const post = (r: RunReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(r, transfer);

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  try {
    if (req.kind === 'check') {
      post({ id: req.id, kind: 'checked', check: checkScenario(req.text, req.fileName) });
      return;
    }
    const data = simulate(req, (tUs, durationUs) => post({ id: req.id, kind: 'progress', tUs, durationUs }), () => performance.now());
    post({ id: req.id, kind: 'done', data }, [data.fingerprints.buffer, data.rawTimes.buffer]);
  } catch (e) {
    if (e instanceof InvalidScenario) post({ id: req.id, kind: 'invalid', errors: e.errors });
    else post({ id: req.id, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
};
