// Runs a scenario in slices of simulated time and yields to the event loop between them, so that a long
// run stays responsive: Ctrl-C is heard (the run stops where it is and says so) and progress is drawn.
// It is the same run as runScenario, event for event: the scheduler runs the same events whether it is
// asked to reach a time at once or in steps, and nothing happens between the steps. The expectations
// are checked as runWithExpectations checks them: each at its moment, in time order, ties in file order.

import type { Simulation } from '../../sim/kafka/index.ts';
import { asSimulationFailure, observerFor, startScenario, type RunOptions, type RunResult } from '../scenario/run.ts';
import { isOverRuns, type RunExpectation } from '../scenario/types.ts';
import { evaluate, type ExpectationResult } from '../scenario/verdict.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';

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

export interface Slicing {
  /** Called between two slices with the run so far; throw (an Interrupted) to stop the run there. */
  between?(sim: Simulation, endUs: number): void;
  /** Wall-clock milliseconds a slice should take (default 50): how soon Ctrl-C is heard. */
  sliceMs?: number;
}

const MIN_SLICE_US = 1_000;
const MAX_SLICE_US = 3_600_000_000;

/** The simulated length of the next slice, adjusted so that a slice takes about `targetMs` of wall time. */
class SliceLength {
  private us = 10_000;
  private startedMs = 0;

  constructor(private readonly targetMs: number) {}

  next(): number {
    this.startedMs = performance.now();
    return this.us;
  }

  done(): void {
    const tookMs = Math.max(performance.now() - this.startedMs, 0.05);
    const factor = Math.min(4, Math.max(0.25, this.targetMs / tookMs));
    this.us = Math.max(MIN_SLICE_US, Math.min(MAX_SLICE_US, Math.round(this.us * factor)));
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runInSlices(scenario: Scenario, spec: ClusterSpec, opts: RunOptions, slicing: Slicing = {}): Promise<RunResult> {
  try {
    const run = startScenario(scenario, spec, opts);
    const { sim, endUs } = run;
    const length = new SliceLength(slicing.sliceMs ?? 50);
    const advance = async (tUs: number) => {
      while (sim.now < tUs) {
        sim.runUntil(Math.min(tUs, sim.now + length.next()));
        length.done();
        slicing.between?.(sim, endUs);
        await yieldToEventLoop();
      }
    };
    const checkable = run.due.filter((e): e is RunExpectation => !isOverRuns(e));
    const order = checkable.map((e, i) => ({ e, i, at: e.atUs ?? endUs })).sort((a, b) => a.at - b.at || a.i - b.i);
    const expectations: ExpectationResult[] = new Array(checkable.length);
    for (const { e, i, at } of order) {
      await advance(at);
      expectations[i] = evaluate(e, observerFor(sim));
    }
    await advance(endUs);
    // a run that reached its end gets the model's full end-of-run invariant pass too
    if (endUs === run.spec.durationUs) sim.run();
    return { scenario, spec: run.spec, sim, endUs, expectations, passed: expectations.every((r) => r.ok) };
  } catch (err) {
    throw asSimulationFailure(err, scenario.name, opts.seed ?? spec.seed);
  }
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
