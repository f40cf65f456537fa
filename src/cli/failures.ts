// Simulator failures, as opposed to bad input: a broken invariant (a simulator bug) or a run that hit
// its event limit. Both map to exit code 3 with the seed and the command that replays the run.
import { SimulationFailure } from '../scenario/run.ts';

/** The message for a simulator failure, or undefined if `err` is something else. */
export function simulatorFailure(err: unknown, file: string): string | undefined {
  if (!(err instanceof SimulationFailure)) return undefined;
  const what = err.reason.name === 'InvariantViolation' ? 'simulator invariant violated' : 'run aborted';
  return `${what} in ${err.message}\nreplay: kafkasim run ${file} --seed ${err.seed}`;
}
