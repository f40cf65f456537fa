// Simulator failures, as opposed to bad input: a broken invariant (a simulator bug) or a run that hit
// its event limit (it did not finish: too long a run, or a storm of events). Both map to exit code 3
// with the scenario, the seed and the command that replays the run; the message says which it was.
// Recognised by name so that main() does not load the whole model just to run `validate`.
import { formatTime } from '../../sim/engine/time.ts';
import type { EventLimitExceeded } from '../../sim/engine/index.ts';
import type { SimulationFailure } from '../scenario/run.ts';

/** The message for a simulator failure, or undefined if `err` is something else. */
export function simulatorFailure(err: unknown, file: string): string | undefined {
  if (!(err instanceof Error) || err.name !== 'SimulationFailure') return undefined;
  const f = err as SimulationFailure;
  const replay = `replay: kafkasim run ${file} --seed ${f.seed}`;
  if (f.reason.name === 'EventLimitExceeded') {
    const r = f.reason as EventLimitExceeded;
    return (
      `event limit reached in scenario ${f.scenario}, seed ${f.seed}: ${r.limit} events by simulated time ${formatTime(r.time)}, ` +
      `before the run's end; it stopped there and nothing was judged (a shorter duration or a lighter workload fits; --event-limit N raises the limit)\n${replay}`
    );
  }
  const what = f.reason.name === 'InvariantViolation' ? 'simulator invariant violated' : 'run aborted';
  return `${what} in ${f.message}\n${replay}`;
}
