// The engine's public surface: clock units, the scheduler, seeded random streams and the trace.
// Everything outside sim/engine imports from here.
export { US, MS, SEC, formatTime } from './time.ts';
export { Heap } from './heap.ts';
export { Scheduler, EventLimitExceeded } from './scheduler.ts';
export type { EventId, SchedulerOptions, EveryOptions } from './scheduler.ts';
export { RandomStreams, streamSeed } from './random.ts';
export type { Rng } from './random.ts';
export { TraceRecorder, canonicalJson, hashJSONL, nobleSha256 } from './trace.ts';
export type { TraceEvent, TraceRecorderOptions, HashFactory, StreamingHash } from './trace.ts';
