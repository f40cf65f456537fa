// Messages between the page and a "How often?" worker: set up a sweep once, then one run per message
// (so cancelling loses little, and a fast worker simply takes more seeds).

import type { RunOutcome } from '../lib/how-often.ts';
import type { SweepSetup } from './sweep.ts';

export type SweepRequest =
  | ({ kind: 'setup'; sweep: number } & SweepSetup)
  | { kind: 'run'; sweep: number; task: number; side: number; seed: number };

export type SweepReply =
  | { kind: 'ready'; sweep: number }
  | { kind: 'invalid'; sweep: number; errors: string[] }
  | { kind: 'result'; sweep: number; task: number; side: number; outcome: RunOutcome; wallMs: number }
  | { kind: 'failed'; sweep: number; message: string };
