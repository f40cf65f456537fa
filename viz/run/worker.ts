// The simulator in a Web Worker: receives a scenario, runs it (simulate.ts), posts back the result.
import { simulate, InvalidScenario } from './simulate.ts';
import type { RunReply, RunRequest } from './protocol.ts';

const post = (r: RunReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(r, transfer);

self.onmessage = (ev: MessageEvent<RunRequest>) => {
  const req = ev.data;
  try {
    const data = simulate(req, (tUs, durationUs) => post({ id: req.id, kind: 'progress', tUs, durationUs }), () => performance.now());
    post({ id: req.id, kind: 'done', data }, [data.fingerprints.buffer, data.rawTimes.buffer]);
  } catch (e) {
    if (e instanceof InvalidScenario) post({ id: req.id, kind: 'invalid', errors: e.errors });
    else post({ id: req.id, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
};
