// Fetching from the closest replica (KIP-392): a consumer with client.rack, and brokers with
// replica.selector.class = RackAwareReplicaSelector, is sent by the leader to the in-sync replica of
// its rack (ReplicaManager.findPreferredReadReplica, RackAwareReplicaSelector) and reads there, up to
// that follower's HW; it goes back to the leader when that replica fails (AbstractFetch).
import { describe, it, expect } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import { assembleStory, at } from './clients/story.ts';
import { producerSpec, consumerSpec } from './clients/helpers.ts';
import { spec } from './support/cluster.ts';
import type { ConfigMap } from '../../sim/kafka/config.ts';
import type { TimelineStep } from '../../sim/kafka/spec.ts';

const SELECTOR = { 'replica.selector.class': 'org.apache.kafka.common.replica.RackAwareReplicaSelector' };

/** Brokers 1, 2, 3 in racks a, b, c; orders-0 led by 1; a consumer in rack b reading from the start. */
function run(brokerConfig: ConfigMap, consumerConfig: ConfigMap, timeline: TimelineStep[] = [], durationUs = 20 * SEC) {
  const s = spec({ brokerConfig, durationUs, timeline });
  s.racks = { a: [1], b: [2], c: [3] };
  s.producers = [producerSpec({ ratePerSec: 50, stopUs: durationUs - 5 * SEC })];
  s.consumers = [consumerSpec({ id: 'billing-1', config: { 'auto.offset.reset': 'earliest', ...consumerConfig } })];
  const { sim } = assembleStory(s, { keepTrace: true });
  sim.run();
  const fetchedFrom = (from = 0, to = Infinity) => [...new Set(sim.trace.events.filter((e) => e.type === 'consumed' && e.t >= from && e.t < to).map((e) => e.broker))].sort();
  return { sim, fetchedFrom };
}

describe('KIP-392 follower fetching', () => {
  it('the leader sends a consumer in rack b to broker 2 (in sync, rack b), and it reads everything there', () => {
    const { sim, fetchedFrom } = run(SELECTOR, { 'client.rack': 'b' });
    const told = sim.trace.events.filter((e) => e.type === 'preferred-read-replica');
    expect(told.map((e) => e.broker)).toEqual([2]);
    expect(fetchedFrom()).toEqual([2]);
    // every acknowledged record was read, from the follower
    const s = sim.ledgerSummary({ group: 'billing' });
    expect(s.consumed).toBe(s.acked);
  });

  it('reads only what the follower knows is committed: never past broker 2\'s HW', () => {
    const s = spec({ brokerConfig: SELECTOR, durationUs: 10 * SEC });
    s.racks = { a: [1], b: [2], c: [3] };
    s.producers = [producerSpec({ ratePerSec: 200 })];
    s.consumers = [consumerSpec({ id: 'billing-1', config: { 'auto.offset.reset': 'earliest', 'client.rack': 'b' } })];
    const { sim } = assembleStory(s, { keepTrace: true });
    const idx = sim.cluster.names.find('orders', 0);
    let checked = 0;
    let seen = 0;
    while (sim.scheduler.peekTime() !== undefined && sim.scheduler.peekTime()! <= 10 * SEC) {
      sim.scheduler.step();
      const events = sim.trace.events;
      for (; seen < events.length; seen++) {
        const e = events[seen];
        if (e.type !== 'consumed' || e.broker !== 2) continue;
        const hw2 = sim.broker(2).disk.get(idx)!.highWatermark;
        for (const [, , to] of e.parts as [string, number, number][]) {
          expect(to).toBeLessThanOrEqual(hw2);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('without replica.selector.class, or without client.rack, the consumer reads from the leader', () => {
    expect(run({}, { 'client.rack': 'b' }).fetchedFrom()).toEqual([1]);
    expect(run(SELECTOR, {}).fetchedFrom()).toEqual([1]);
    // in the leader's own rack: the leader
    expect(run(SELECTOR, { 'client.rack': 'a' }).fetchedFrom()).toEqual([1]);
  });

  it('when its replica crashes the consumer goes back to the leader, which no longer names it once out of the ISR', () => {
    const { sim, fetchedFrom } = run(SELECTOR, { 'client.rack': 'b' }, [at(8 * SEC, { type: 'crash', nodes: [2] })], 60 * SEC);
    const told = sim.trace.events.filter((e) => e.type === 'preferred-read-replica').map((e) => e.broker);
    expect(told.slice(0, 2)).toEqual([2, null]);
    expect(fetchedFrom(0, 8 * SEC)).toEqual([2]);
    // after the ISR shrank (replica.lag.time.max.ms, 30 s) the leader serves it itself
    expect(fetchedFrom(45 * SEC)).toEqual([1]);
    const s = sim.ledgerSummary({ group: 'billing' });
    expect(s.consumed).toBe(s.acked);
  });
});
