// The fuzz's event limit (test/fuzz/event-budget.ts): a fetch storm that Kafka itself would make
// (replica.fetch.wait.max.ms: 0, 100 µs latency, six replicas: the shape of fuzz seed 2431, which
// ran 1,195,195 events in 15.5 simulated seconds and failed the 1M limit) fits its scenario's budget;
// everything else keeps the base limit. Scaled down here: 2 s of storm against a base of 100,000.
import { describe, it, expect } from 'vitest';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { EVENTS_PER_FETCH_ROUND_TRIP, eventLimitFor, zeroWaitFetchLoops } from './event-budget.ts';
import { failureOf, runChecked } from './oracle.ts';

function storm(brokerConfig: string, extra = ''): string {
  return `name: fetch-storm
title: Six replicas fetching with no wait
duration: 2s
cluster:
  brokers: 6
  config: { ${brokerConfig} }
network: { latency: 100us }
topics:
  - { name: orders, partitions: 1, replication.factor: 6, replicas: [[1, 2, 3, 4, 5, 6]] }
${extra}`;
}

function parsed(text: string): { scenario: Scenario; spec: ClusterSpec } {
  const r = parseScenario(text, 'storm.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}

const specOf = (text: string): ClusterSpec => parsed(text).spec;

const BASE = 100_000;

describe('the fuzz event budget', () => {
  it('keeps the base limit for scenarios whose fetches wait at the leader', () => {
    expect(eventLimitFor(specOf(storm('replica.fetch.wait.max.ms: 500')), BASE)).toBe(BASE);
    expect(eventLimitFor(specOf(storm('replica.fetch.backoff.ms: 0')), BASE)).toBe(BASE);
  });

  it('a zero-wait fetch storm makes more events than the base limit allows, and fits its budget', () => {
    const text = storm('replica.fetch.wait.max.ms: 0');
    const { scenario, spec } = parsed(text);
    // five followers × 2 s / 200 µs = 50,000 round trips, about 150,000 events
    expect(failureOf(text, { eventLimit: BASE, keepTrace: false })?.signature).toMatch(/EventLimitExceeded/);
    const limit = eventLimitFor(spec, BASE);
    const r = runChecked(scenario, spec, { eventLimit: limit, keepTrace: false });
    expect(r.sim.scheduler.executed).toBeGreaterThan(5 * 10_000 * EVENTS_PER_FETCH_ROUND_TRIP * 0.95);
    expect(r.sim.scheduler.executed).toBeLessThan(limit);
  });

  it('counts every loop that may have a zero wait: 6 × 5 replica fetchers, one fetch per broker for each zero-wait consumer', () => {
    expect(zeroWaitFetchLoops(specOf(storm('replica.fetch.wait.max.ms: 0')))).toBe(30);
    const consumers = `consumers:
  - { id: c1, group: g, topics: [orders], config: { fetch.max.wait.ms: 0 } }
  - { id: c2, group: g, topics: [orders] }
`;
    expect(zeroWaitFetchLoops(specOf(storm('replica.fetch.wait.max.ms: 500', consumers)))).toBe(6);
    const altered = `timeline:
  - at: 1s
    alter-config: { broker: 3, set: { replica.fetch.wait.max.ms: 0 } }
`;
    expect(zeroWaitFetchLoops(specOf(storm('replica.fetch.wait.max.ms: 500', altered)))).toBe(30);
  });
});
