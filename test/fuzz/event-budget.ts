// How many events a fuzz run may make before the fuzz calls it stuck in a loop. A generated run makes
// tens of thousands; a million is the base limit. One configuration legitimately makes far more: a
// fetch with a max wait of zero. Kafka does not damp that loop (AbstractFetcherThread.maybeFetch
// backs off replica.fetch.backoff.ms only when no partition is ready, processFetchRequest only on
// errors; ReplicaManager.fetchMessages answers a maxWaitMs <= 0 fetch at once instead of parking it
// in DelayedFetch; the consumer's fetcher likewise sends its next fetch when the last one returned),
// so the simulator does not either: such a fetcher makes one round trip per 2 × network latency for
// the whole run, however idle the partition (test/kafka/fetcher.test.ts). Six brokers at 100 µs make
// over a million events in 15 simulated seconds that way. Those runs get a budget on top of the base:
// every zero-wait fetch loop the scenario can have, at its fastest round trip, for the whole run.
// Time still passes in such a loop, so a real bug (a loop where it stands still) is still caught,
// only later.

import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { configNumber } from '../../sim/kafka/config.ts';

/** The fuzz's event limit for a run without zero-wait fetches (FUZZ_EVENT_LIMIT overrides it). */
export const BASE_EVENT_LIMIT = 1_000_000;

/**
 * Scheduler events one idle fetch round trip makes: the request delivered to the leader, the
 * response delivered back, and the fetcher's wake-up that sends the next one (measured: a 6-broker
 * storm of 387,550 round trips ran 1,195,195 events, the rest of the run included).
 */
export const EVENTS_PER_FETCH_ROUND_TRIP = 3;

/**
 * How many fetch loops of the run may have a max wait of zero: each broker runs at most one replica
 * fetcher per other broker (one per source broker, fetcher.ts), each consumer at most one fetch per
 * broker. A broker config set to 0 in the cluster section or by an alter-config step counts for all.
 */
export function zeroWaitFetchLoops(spec: ClusterSpec): number {
  const n = spec.brokers.length;
  const brokerZero =
    configNumber('broker', 'replica.fetch.wait.max.ms', spec.brokerConfig) === 0 ||
    spec.timeline.some((s) => s.action?.type === 'alter-config' && s.action.broker !== undefined && s.action.set['replica.fetch.wait.max.ms'] === 0);
  const followers = brokerZero ? n * (n - 1) : 0;
  const consumers = spec.consumers.filter((c) => configNumber('consumer', 'fetch.max.wait.ms', c.config) === 0).length * n;
  return followers + consumers;
}

/** The event limit for one run: `base`, plus the budget of its zero-wait fetch loops. */
export function eventLimitFor(spec: ClusterSpec, base = BASE_EVENT_LIMIT): number {
  const loops = zeroWaitFetchLoops(spec);
  if (loops === 0) return base;
  const roundTrips = Math.ceil(spec.durationUs / (2 * spec.network.latency.minUs));
  return base + loops * roundTrips * EVENTS_PER_FETCH_ROUND_TRIP;
}
