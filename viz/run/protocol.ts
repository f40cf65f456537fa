// Messages between the page and the worker that runs the simulator (and reads scenario text and trace
// files: the page's main thread never parses either, see run/check.ts).

import type { RunData } from '../lib/run-data.ts';
import type { ScenarioCheck } from './check.ts';

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

export type WorkerRequest = RunRequest | CheckRequest | OpenTraceRequest;

export type RunReply =
  | { id: number; kind: 'progress'; tUs: number; durationUs: number }
  /** The run so far, streamed ahead of the playhead so the page draws before the run ends (simulate.ts); 'done' follows. */
  | { id: number; kind: 'partial'; data: RunData }
  | { id: number; kind: 'done'; data: RunData }
  | { id: number; kind: 'invalid'; errors: string[] }
  | { id: number; kind: 'failed'; message: string }
  | { id: number; kind: 'checked'; check: ScenarioCheck };
