// Runs a scenario in the page exactly as the CLI does: the same parser, spec, parts and seed, through
// the same run loop (src/scenario/run.ts runInSlices), so the same trace hash. The page keeps nothing
// of the model but the trace lines it recorded: the run it shows is built from them (trace-run.ts),
// exactly as a trace file written by `kafkasim run --trace` is.

import { parseScenario } from '../../src/scenario/index.ts';
import { runInSlices } from '../../src/scenario/run.ts';
import type { TraceHeader } from '../../sim/kafka/index.ts';
import type { RunData } from '../lib/run-data.ts';
import { buildSpec, InvalidScenario, runDataFromTrace, splitTrace, type SpecRequest } from './trace-run.ts';

export { buildSpec, InvalidScenario };

export type SimulateRequest = SpecRequest & { streamFromUs?: number };

/**
 * How far past the playhead the run so far is sent as a partial run: a simulated second, which the
 * first slice or two reach, so the page draws its first frame while the rest simulates ahead of the
 * playhead (and at normal speed the playhead takes a second to get there).
 */
export const STREAM_LEAD_US = 1_000_000;

export async function simulate(
  req: SimulateRequest, onProgress?: (tUs: number, durationUs: number) => void, now: () => number = () => 0,
  onPartial?: (data: RunData) => void,
): Promise<RunData> {
  const wall0 = now();
  const parsed = parseScenario(req.text, req.fileName);
  const spec = buildSpec(req, parsed); // parsed once: a big text costs its parse once
  if (!parsed.ok) throw new InvalidScenario([]);
  const lines: string[] = [];
  const progressEvery = Math.max(1, Math.floor(spec.durationUs / 50));
  let nextProgress = progressEvery;
  // the header the CLI would write for this run (the page's what-if overrides travel beside it)
  const header: TraceHeader = { type: 'kafkasim-trace', format: 1, kafkasim: '', scenario: spec.name, file: req.fileName, text: req.text, seed: spec.seed };
  let partialAtUs = onPartial !== undefined && req.streamFromUs !== undefined ? req.streamFromUs + STREAM_LEAD_US : Number.POSITIVE_INFINITY;
  const run = await runInSlices(parsed.scenario, spec, { keepTrace: false, traceSink: (line) => void lines.push(line) }, {
    clock: now,
    between(sim, endUs) {
      if (sim.now >= partialAtUs && sim.now < endUs) {
        // the run so far, built from its lines as the whole run will be (its lost records come at the
        // end); no trace hash yet: the page shows `trace simulating…` until the whole run replaces it
        partialAtUs = Number.POSITIVE_INFINITY;
        onPartial?.(runDataFromTrace({ header, lines: lines.slice(), traceHash: 'simulating', overrides: req.overrides, wallMs: now() - wall0 }));
      }
      if (sim.now < nextProgress) return;
      onProgress?.(sim.now, endUs);
      nextProgress = sim.now + progressEvery;
    },
  });
  return runDataFromTrace({ header, lines, traceHash: run.sim.trace.hash(), overrides: req.overrides, wallMs: now() - wall0 });
}

/** A trace file's bytes (gzipped or not) → the run it records. */
export async function openTrace(bytes: Uint8Array, now: () => number = () => 0): Promise<RunData & { header: TraceHeader }> {
  const wall0 = now();
  const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = gzipped ? await gunzip(bytes) : new TextDecoder().decode(bytes);
  const { header, lines } = splitTrace(text);
  const data = runDataFromTrace({ header, lines });
  return { ...data, header, wallMs: now() - wall0 };
}

async function gunzip(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}
