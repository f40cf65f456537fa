// Messages between the page and the worker that runs the simulator (and reads scenario text and trace
// files: the page's main thread never parses either, see run/check.ts).

import type { RunData } from '../lib/run-data.ts';
import type { MetricsResult } from '../../sim/kafka/metrics-port.ts';
import type { ScenarioCheck } from './check.ts';
import type { MetricsRequest as MetricsRerun } from './simulate.ts';

export interface RunRequest {
  kind?: 'run';
  id: number;
  text: string;
  fileName: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** What-if config overrides. */
  overrides?: Record<string, string>;
  /**
   * Where the page's playhead starts: the run so far is sent as a 'partial' once it has simulated a
   * little past it. Undefined: no partial, only 'done'.
   */
  streamFromUs?: number;
}

/** Parse and validate only: the reply is a `checked` with the errors and what the page shows. */
export interface CheckRequest {
  kind: 'check';
  id: number;
  text: string;
  fileName: string;
}

/** Read a trace file (`kafkasim run --trace`, .jsonl or .jsonl.gz): the reply is a `done` with the run it records. */
export interface OpenTraceRequest {
  kind: 'open-trace';
  id: number;
  bytes: ArrayBuffer;
  fileName: string;
}

/** Run a trace file's scenario again with the metrics part: the reply is a `metrics` (trace-run's rerunForMetrics). */
export interface MetricsRequest extends MetricsRerun {
  kind: 'metrics';
  id: number;
}

export type WorkerRequest = RunRequest | CheckRequest | OpenTraceRequest | MetricsRequest;

export type RunReply =
  | { id: number; kind: 'progress'; tUs: number; durationUs: number }
  /** The run so far, streamed ahead of the playhead so the page draws before the run ends (simulate.ts); 'done' follows. */
  | { id: number; kind: 'partial'; data: RunData }
  | { id: number; kind: 'done'; data: RunData }
  | { id: number; kind: 'invalid'; errors: string[] }
  | { id: number; kind: 'failed'; message: string }
  | { id: number; kind: 'checked'; check: ScenarioCheck }
  | { id: number; kind: 'metrics'; metrics?: MetricsResult; missing?: string };
