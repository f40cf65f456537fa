// Simulator failures, as opposed to bad input: a broken invariant (a simulator bug) or a run that hit
// its event limit. Both map to exit code 3 with the seed and the command that replays the run.
// Recognised by name so that main() does not load the whole model just to run `validate`.
import type { SimulationFailure } from '../scenario/run.ts';

/** The message for a simulator failure, or undefined if `err` is something else. */
export function simulatorFailure(err: unknown, file: string): string | undefined {
  if (!(err instanceof Error) || err.name !== 'SimulationFailure') return undefined;
  const f = err as SimulationFailure;
  const what = f.reason.name === 'InvariantViolation' ? 'simulator invariant violated' : 'run aborted';
  return `${what} in ${f.message}\nreplay: kafkasim run ${file} --seed ${f.seed}`;
}
