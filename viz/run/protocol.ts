// Messages between the page and the worker that runs the simulator.

import type { RunData } from '../lib/run-data.ts';

export interface RunRequest {
  id: number;
  text: string;
  fileName: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** What-if config overrides. */
  overrides?: Record<string, string>;
}

export type RunReply =
  | { id: number; kind: 'progress'; tUs: number; durationUs: number }
  | { id: number; kind: 'done'; data: RunData }
  | { id: number; kind: 'invalid'; errors: string[] }
  | { id: number; kind: 'failed'; message: string };
