// The follower's fetch loop when there is nothing to fetch. Kafka's AbstractFetcherThread.doWork is
// maybeTruncate(); maybeFetch(), in a loop: maybeFetch waits replica.fetch.backoff.ms only when
// buildFetch has no partition ready to fetch, and processFetchRequest delays partitions only when the
// fetch failed or a partition came back with an error. An empty, error-free response delays nothing:
// the next fetch goes out at once. What bounds the loop is the leader: ReplicaManager.fetchMessages
// parks a fetch with no data for up to maxWaitMs (DelayedFetch) — unless maxWaitMs <= 0, when it
// answers at once. So replica.fetch.wait.max.ms=0 makes an idle follower fetch once per round trip,
// as a real cluster does: the simulator models that storm rather than damping it (the fuzz gives such
// runs a larger event budget, test/fuzz/event-budget.ts).
import { describe, it, expect } from 'vitest';
import { MS, SEC, US } from '../../sim/engine/index.ts';
import { assembleSimulation } from '../../sim/kafka/index.ts';
import { build, clusterParts, events } from './support/sim.ts';
import { spec } from './support/cluster.ts';

/** Follower 2's fetch round trips to leader 1 between `fromUs` and `toUs`. */
function fetchesOf2(sim: ReturnType<typeof build>['sim'], fromUs: number, toUs: number): number {
  return events(sim, 'rt', { k: 'fetch', f: 2, to: 1 }).filter((e) => e.t > fromUs && e.t <= toUs).length;
}

describe('the replica fetcher on an idle partition', () => {
  it('parks each fetch at the leader for replica.fetch.wait.max.ms (500 ms): two round trips a second', () => {
    const { sim } = build({ latencyUs: 100 * US });
    sim.runUntil(6 * SEC);
    expect(fetchesOf2(sim, 5 * SEC, 6 * SEC)).toBe(2);
  });

  it('with replica.fetch.wait.max.ms=0 fetches again as each empty answer arrives: one round trip per 2 × latency, no backoff', () => {
    const { sim } = build({ latencyUs: 100 * US, brokerConfig: { 'replica.fetch.wait.max.ms': 0 } });
    sim.runUntil(6 * SEC);
    // 1 s / (2 × 100 µs) = 5000 round trips; replica.fetch.backoff.ms (1 s) would allow one
    expect(fetchesOf2(sim, 5 * SEC, 6 * SEC)).toBe(5000);
    // the same for the other follower, and nothing goes wrong: no fetch timed out or failed
    expect(events(sim, 'rt', { k: 'fetch', f: 3, to: 1 }).filter((e) => e.t > 5 * SEC && e.t <= 6 * SEC)).toHaveLength(5000);
    expect(events(sim, 'fetch-timeout')).toEqual([]);
  });
});

describe('a fetch with no answer', () => {
  // Fuzz seed 7677 (a zero fetch timeout, replica.fetch.backoff.ms: 0): the timeout fired at
  // the instant the fetch was sent, the retry went out at once, and simulated time stood still.
  // Kafka's clocks count milliseconds and a request expires only when more than its timeout has
  // passed (InFlightRequests: timeSinceSend > requestTimeoutMs), so a zero timeout takes a millisecond.
  it('with request.timeout.ms=0 fails a millisecond after it was sent, not at the same instant', () => {
    const sim = assembleSimulation(spec({ brokerConfig: { 'request.timeout.ms': 0, 'replica.fetch.backoff.ms': 0 } }), clusterParts(), { eventLimit: 100_000 });
    sim.runUntil(1 * SEC);
    const timeouts = events(sim, 'fetch-timeout', { broker: 2, leader: 1 });
    // the round trip (2 ms at 1 ms latency) is longer than the timeout: every fetch times out, once a millisecond
    expect(timeouts.length).toBeGreaterThan(900);
    expect(timeouts.length).toBeLessThanOrEqual(1000);
    for (let i = 1; i < timeouts.length; i++) expect(timeouts[i].t - timeouts[i - 1].t).toBeGreaterThanOrEqual(1 * MS);
  });

  it("times out after the broker's request.timeout.ms, not replica.socket.timeout.ms (BrokerBlockingSender)", () => {
    // the leader never answers: its link to the follower is cut one way
    const sim = assembleSimulation(spec({ brokerConfig: { 'request.timeout.ms': 2000, 'replica.socket.timeout.ms': 30000 } }), clusterParts(), { eventLimit: 1_000_000 });
    sim.network.cut(1, 2);
    sim.runUntil(5 * SEC);
    const first = events(sim, 'fetch-timeout', { broker: 2, leader: 1 })[0];
    expect(first).toBeDefined();
    expect(first.t).toBeLessThanOrEqual(2 * SEC + 10 * MS);
  });
});
