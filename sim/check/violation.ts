// A broken invariant is a simulator bug, not a Kafka behaviour: the run stops with this error, which
// names the invariant, the seed, the simulated time and the event, and the CLI exits with code 3.
import { formatTime } from '../engine/index.ts';

export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
  constructor(
    readonly invariant: string,
    readonly detail: string,
    readonly seed: number | string,
    readonly timeUs: number,
    /** The number of the event after which the check failed, and the last traced event. */
    readonly event: string,
  ) {
    super(`invariant "${invariant}" violated at ${formatTime(timeUs)} (seed ${String(seed)}, ${event}): ${detail}`);
  }
}
