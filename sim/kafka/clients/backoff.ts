// Kafka's ExponentialBackoff (clients/…/common/utils/ExponentialBackoff.java, KIP-580) with exact
// integer arithmetic: the interval doubles per attempt from retry.backoff.ms up to
// retry.backoff.max.ms, then a ±20% jitter (CommonClientConfigs.RETRY_BACKOFF_JITTER) drawn from the
// client's own seeded stream, and the result is capped at the maximum again, as Kafka caps it.

import type { Rng } from '../../engine/index.ts';

/**
 * The shortest wait before a client tries again, whatever retry.backoff.ms says. With
 * retry.backoff.ms = 0 a real client is paced by its network round trips; in a scenario with zero
 * latency nothing would pace it and simulated time would stand still, so 1 ms stands in for them.
 */
export const MIN_RETRY_BACKOFF_US = 1000;

export class ExponentialBackoff {
  private readonly initialUs: number;

  constructor(
    initialUs: number,
    private readonly maxUs: number,
    private readonly rng: Rng,
  ) {
    // ExponentialBackoff: initialInterval = min(maxInterval, initialInterval), so a retry.backoff.ms
    // above retry.backoff.max.ms backs off by the maximum, constantly
    this.initialUs = Math.min(maxUs, initialUs);
  }

  /** The longest wait backoff(attempts) can draw (its jitter at +20%, capped at the maximum), in µs. */
  longest(attempts: number): number {
    let term = this.initialUs;
    if (this.maxUs > term) for (let i = 0; i < attempts && term < this.maxUs; i++) term *= 2;
    return Math.max(Math.min(Math.ceil((term * 6) / 5), Math.max(this.maxUs, this.initialUs)), MIN_RETRY_BACKOFF_US);
  }

  /** The wait before attempt number `attempts + 1` (0 = the first retry), in µs. */
  backoff(attempts: number): number {
    return Math.max(this.raw(attempts), MIN_RETRY_BACKOFF_US);
  }

  private raw(attempts: number): number {
    const initial = this.initialUs;
    // ExponentialBackoff: expMax = 0 when max <= initial, so the interval never grows
    if (this.maxUs <= initial) return initial;
    let term = initial;
    for (let i = 0; i < attempts && term < this.maxUs; i++) term *= 2;
    if (term > this.maxUs) term = this.maxUs;
    if (term === 0) return 0;
    // randomFactor uniform in [0.8, 1.2): term * 4/5 plus a draw below term * 2/5
    const low = Math.floor((term * 4) / 5);
    const span = Math.floor((term * 2) / 5);
    const value = span > 0 ? low + this.rng.int(span) : term;
    return value > this.maxUs ? this.maxUs : value;
  }
}
