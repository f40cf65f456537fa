// Messages between a sweep and its worker threads.
import type { RunOutcome } from './outcome.ts';
import type { RunTask } from './runner.ts';

export type WorkerRequest = { kind: 'run'; tasks: RunTask[] };
export type WorkerReply = { kind: 'outcomes'; outcomes: RunOutcome[] } | { kind: 'failed'; message: string };
