// Runs a scenario for a command in slices of simulated time (the shared run loop, src/scenario/run.ts
// runInSlices), yielding to Node's event loop between them, so that a long run stays responsive:
// Ctrl-C is heard (the run stops where it is and says so) and progress is drawn.

import { runInSlices as runSliced, type RunOptions, type RunResult, type Slicing } from '../scenario/run.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { nodeSha256 } from './native-hash.ts';

export type { Slicing };

/** The run was stopped between two slices (Ctrl-C): where it was. */
export class Interrupted extends Error {
  constructor(
    readonly atUs: number,
    readonly events: number,
    readonly endUs: number,
  ) {
    super('interrupted');
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** runInSlices with Node's event loop turning between slices (signals, progress bars, streams), slices of about 50 ms. */
export function runInSlices(scenario: Scenario, spec: ClusterSpec, opts: RunOptions, slicing: Slicing = {}): Promise<RunResult> {
  return runSliced(scenario, spec, { traceHash: nodeSha256, ...opts }, { pause: yieldToEventLoop, clock: () => performance.now(), ...slicing });
}

/** Ctrl-C while a command runs: noted, so the run stops at its next slice; the default (exit) is back after dispose(). */
export function watchInterrupt(): { readonly requested: boolean; dispose(): void } {
  let requested = false;
  const onSigint = () => {
    requested = true;
  };
  process.once('SIGINT', onSigint);
  return {
    get requested() {
      return requested;
    },
    dispose: () => void process.off('SIGINT', onSigint),
  };
}
