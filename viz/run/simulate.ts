// Runs a scenario in the page exactly as the CLI does: the same parser, spec, parts and seed, through
// the same run loop (src/scenario/run.ts runInSlices), so the same trace hash. The page keeps nothing
// of the model but the trace lines it recorded: the run it shows is built from them (trace-run.ts),
// exactly as a trace file written by `kafkasim run --trace` is.

import { parseScenario } from '../../src/scenario/index.ts';
import { runInSlices } from '../../src/scenario/run.ts';
import type { ClusterSpec, TraceHeader } from '../../sim/kafka/index.ts';
import type { MetricsResult } from '../../sim/kafka/metrics-port.ts';
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
  // Kafka's metrics for the metrics panel, recorded by the model's metrics part during this same run
  // (it watches and never acts: the trace, and so its hash, are the same with it or without it)
  const tooBig = metricsTooBig(spec);
  const run = await runInSlices(parsed.scenario, spec, { keepTrace: false, traceSink: (line) => void lines.push(line), metrics: tooBig === undefined }, {
    clock: now,
    between(sim, endUs) {
      if (sim.now >= partialAtUs && sim.now < endUs) {
        // the run so far, built from its lines as the whole run will be (its lost records come at the
        // end); no trace hash yet: the page shows `trace simulating…` until the whole run replaces it
        partialAtUs = Number.POSITIVE_INFINITY;
        const sofar = runDataFromTrace({ header, lines: lines.slice(), traceHash: 'simulating', overrides: req.overrides, wallMs: now() - wall0 });
        onPartial?.({ ...sofar, metricsMissing: tooBig ?? 'still simulating: the metrics come with the whole run' });
      }
      if (sim.now < nextProgress) return;
      onProgress?.(sim.now, endUs);
      nextProgress = sim.now + progressEvery;
    },
  });
  const data = runDataFromTrace({ header, lines, traceHash: run.sim.trace.hash(), overrides: req.overrides, wallMs: now() - wall0 });
  const m = run.sim.parts.metrics;
  return m === undefined ? { ...data, metricsMissing: tooBig ?? 'the run did not record them' } : { ...data, metrics: m.result() };
}

/**
 * The page records the metrics of clusters up to this many partitions: the metrics part reads every
 * partition's state after each event, which on a big cluster costs about as much again as the run
 * (1,000 partitions: 6.9 → 14.8 CPU s), too long to make a viewer wait for a panel.
 */
export const PAGE_METRICS_MAX_PARTITIONS = 200;

/** Why the page will not record this spec's metrics (too many partitions), or undefined. */
export function metricsTooBig(spec: ClusterSpec): string | undefined {
  let n = 0;
  for (const t of spec.topics) n += t.partitions ?? t.replicas?.length ?? 1;
  if (n <= PAGE_METRICS_MAX_PARTITIONS) return undefined;
  return `not recorded in the page for a cluster of ${n.toLocaleString('en')} partitions (above ${PAGE_METRICS_MAX_PARTITIONS}: recording them would take about as long again as the run): the command kafkasim run FILE --metrics out.csv writes them`;
}

export interface MetricsRequest {
  text: string;
  fileName: string;
  seed: number;
  untilUs?: number;
  /** The trace hash of the run whose metrics are wanted: the re-run must reproduce it. */
  traceHash: string;
}

/**
 * A trace file's metrics: the file holds none, so the scenario in its header is run again with the
 * metrics part, and they are the file's only if that run reproduces the file's trace (same hash);
 * otherwise `missing` says why.
 */
export async function rerunForMetrics(req: MetricsRequest): Promise<{ metrics?: MetricsResult; missing?: string }> {
  const parsed = parseScenario(req.text, req.fileName);
  if (!parsed.ok) return { missing: 'the scenario in the trace file\'s header is not valid, so it cannot be run again for its metrics' };
  const spec = buildSpec({ text: req.text, fileName: req.fileName, seed: req.seed }, parsed);
  const tooBig = metricsTooBig(spec);
  if (tooBig !== undefined) return { missing: tooBig };
  const run = await runInSlices(parsed.scenario, spec, { keepTrace: false, untilUs: req.untilUs, metrics: true, checkInvariants: false });
  const hash = run.sim.trace.hash();
  if (hash !== req.traceHash) {
    return { missing: `running the file's scenario again (seed ${req.seed}) gives another trace (${hash.slice(0, 12)}…, the file's is ${req.traceHash.slice(0, 12)}…): it was written by another version of kafkasim, or edited, so the metrics of a new run would not be this one's` };
  }
  return { metrics: run.sim.parts.metrics!.result() };
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
