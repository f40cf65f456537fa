// Racks (issue 18 part 2): KRaft's StripedReplicaPlacer and ZooKeeper's AdminUtils rack-aware
// assignment, checked against Kafka's own tests (StripedReplicaPlacerTest with its MockRandom,
// AdminRackAwareTest), then in a running cluster: placement with racks in both modes, and a rack
// outage with and without rack-aware placement.
import { describe, it, expect } from 'vitest';
import type { Rng } from '../../sim/engine/index.ts';
import { SEC } from '../../sim/engine/index.ts';
import { placeStriped, javaHashMapOrder, javaStringHash, type UsableBroker } from '../../sim/kafka/striped-replica-placer.ts';
import { assignReplicasRackAware, rackAlternatedBrokerList, PlacementError } from '../../sim/kafka/placement.ts';
import { assembleStory, at } from './clients/story.ts';
import { producerSpec } from './clients/helpers.ts';
import { spec, type SpecOptions } from './support/cluster.ts';
import type { ProducerSpec } from '../../sim/kafka/spec.ts';

const RACKS = { a: [1, 2], b: [3, 4], c: [5, 6] };

/** A cluster of brokers 1–6 in racks a, b, c (cluster.racks), with these producers. */
function withRacks(o: SpecOptions, producers: ProducerSpec[] = []) {
  const s = spec({ brokers: [1, 2, 3, 4, 5, 6], ...o });
  s.racks = RACKS;
  s.producers = producers;
  return assembleStory(s, { keepTrace: true }).sim;
}

/**
 * server-common's MockRandom (a java.util.Random whose next(bits) is a fixed LCG from state 17) and
 * Random.nextInt(bound), so the placer draws exactly what Kafka's tests draw.
 */
function mockRandom(seed = 17n): Rng {
  let state = seed;
  const M64 = (1n << 64n) - 1n;
  const next = (bits: number): number => {
    state = (state * 2862933555777941757n + 3037000493n) & M64;
    return Number(BigInt.asIntN(32, state >> BigInt(64 - bits)));
  };
  const nextInt = (bound: number): number => {
    let r = next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    for (let u = r; u - (r = u % bound) + m < 0 || u - r + m > 0x7fffffff; u = next(31));
    return r;
  };
  const unused = (): never => {
    throw new Error('the placer only draws integers');
  };
  return { next: unused, int: nextInt, between: unused, pick: unused, shuffle: unused };
}

const b = (id: number, rack: string, fenced = false): UsableBroker => ({ id, rack, fenced });

describe('StripedReplicaPlacer (KRaft), as StripedReplicaPlacerTest has it', () => {
  it('testRackListWithMultipleRacks: one replica per rack in turn, the fenced broker 20 only when needed', () => {
    const brokers = [b(11, '1'), b(10, '1'), b(30, '3'), b(31, '3'), b(21, '2'), b(20, '2', true)];
    expect(placeStriped(brokers, 3, 4, mockRandom())).toEqual([[11, 21, 31, 10], [21, 30, 10, 20], [31, 11, 21, 30]]);
  });

  it('testRackListWithInvalidRacks: racks with only fenced brokers come after those with unfenced ones', () => {
    const brokers = [b(11, '1'), b(10, '1'), b(30, '3', true), b(31, '3', true), b(20, '2', true), b(21, '2', true), b(41, '4'), b(40, '4', true)];
    expect(placeStriped(brokers, 3, 4, mockRandom())).toEqual([[41, 11, 21, 30], [10, 20, 31, 41], [41, 21, 30, 11]]);
  });

  it('testSuccessfulPlacement and testEvenDistribution (brokers without a rack: one rack, named "" as Optional.empty hashes 0)', () => {
    const four = [b(0, ''), b(3, ''), b(2, ''), b(1, '')];
    expect(placeStriped(four, 5, 3, mockRandom())).toEqual([[2, 3, 0], [3, 0, 1], [0, 1, 2], [1, 2, 3], [1, 0, 2]]);
    // 200 partitions: the shuffles after every 4 partitions are Kafka's too
    const counts = new Map<string, number>();
    for (const r of placeStriped([b(0, ''), b(1, ''), b(2, ''), b(3, '')], 200, 2, mockRandom())) counts.set(r.join(','), (counts.get(r.join(',')) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({
      '0,1': 14, '0,2': 22, '0,3': 14, '1,0': 17, '1,2': 17, '1,3': 16, '2,0': 13, '2,1': 17, '2,3': 20, '3,0': 20, '3,1': 19, '3,2': 11,
    });
  });

  it('refuses as Kafka does: all fenced, too few brokers, a non-positive factor', () => {
    expect(() => placeStriped([b(11, '1', true), b(10, '1', true)], 1, 1, mockRandom())).toThrow('All brokers are currently fenced.');
    expect(() => placeStriped([b(11, '1'), b(10, '1')], 1, 3, mockRandom())).toThrow('The target replication factor of 3 cannot be reached because only 2 broker(s) are registered.');
    expect(() => placeStriped([b(11, '1'), b(10, '1')], 1, 0, mockRandom())).toThrow(PlacementError);
  });

  it('replicas land in distinct racks while the replication factor is at most the number of racks, whatever the draws', () => {
    const racks = { a: [1, 2], b: [3, 4], c: [5, 6] };
    const brokers = Object.entries(racks).flatMap(([r, ids]) => ids.map((id) => b(id, r)));
    const rackOf = new Map(brokers.map((x) => [x.id, x.rack]));
    for (let seed = 1n; seed < 30n; seed++) {
      for (const replicas of placeStriped(brokers, 12, 3, mockRandom(seed))) expect(new Set(replicas.map((id) => rackOf.get(id))).size).toBe(3);
    }
  });

  it('initialises racks in java.util.HashMap order: bucket of the spread String.hashCode, then insertion', () => {
    // "rack1".hashCode() = 114·31⁴ + 97·31³ + 99·31² + 107·31 + 49
    expect(javaStringHash('rack1')).toBe(108269626);
    // "a", "b", "c" hash to 97–99: buckets 1–3 of 16, so HashMap order is name order here …
    expect(javaHashMapOrder(['c', 'a', 'b'])).toEqual(['a', 'b', 'c']);
    // … but "Aa" and "BB" both hash to 2112 = 132·16, bucket 0, before "a" (bucket 1), in insertion order
    expect(javaHashMapOrder(['a', 'BB', 'Aa'])).toEqual(['BB', 'Aa', 'a']);
  });
});

describe('AdminUtils rack-aware assignment (ZooKeeper mode), as AdminRackAwareTest has it', () => {
  const rackMap = new Map([[0, 'rack1'], [1, 'rack3'], [2, 'rack3'], [3, 'rack2'], [4, 'rack2'], [5, 'rack1']]);

  it('alternates racks in the broker list', () => {
    expect(rackAlternatedBrokerList(rackMap)).toEqual([0, 3, 1, 5, 4, 2]);
    const without5 = new Map(rackMap);
    without5.delete(5);
    expect(rackAlternatedBrokerList(without5)).toEqual([0, 3, 1, 4, 2]);
  });

  it('testGetRackAlternatedBrokerListAndAssignReplicasToBrokers: 7 partitions, RF 3, start index 0', () => {
    const unused: Rng = mockRandom();
    expect(assignReplicasRackAware(rackMap, 7, 3, unused, 0, 0)).toEqual([
      [0, 3, 1], [3, 1, 5], [1, 5, 4], [5, 4, 2], [4, 2, 0], [2, 0, 3], [0, 4, 2],
    ]);
  });
});

describe('placement with racks in a running cluster', () => {
  const rackOf = (id: number): string => (id <= 2 ? 'a' : id <= 4 ? 'b' : 'c');

  for (const controller of ['kraft', 'zookeeper'] as const) {
    it(`${controller}: a topic without replicas gets one replica per rack`, () => {
      const sim = withRacks({ controller, topics: [{ name: 'orders', partitions: 12, replicationFactor: 3, config: {} }] });
      sim.runUntil(1);
      const parts = sim.topics()[0].partitions;
      expect(parts).toHaveLength(12);
      for (const p of parts) expect(new Set(p.replicas.map(rackOf)).size).toBe(3);
    });
  }
});

describe('a rack outage', () => {
  /**
   * 6 brokers in racks a (1, 2), b (3, 4), c (5, 6); min.insync.replicas 2; acks=all. Rack a crashes
   * at 5 s; the controller fences its brokers within broker.session.timeout.ms (9 s) and shrinks the
   * ISRs. A partition keeps min ISR 2 only if at most one of its 3 replicas was in rack a.
   */
  function outage(replicas: number[][] | undefined) {
    const sim = withRacks({
      durationUs: 25 * SEC,
      topics: [{ name: 'orders', partitions: 6, replicationFactor: 3, ...(replicas ? { replicas } : {}), config: { 'min.insync.replicas': 2 } }],
      timeline: [at(5 * SEC, { type: 'crash', nodes: RACKS.a })],
    }, [producerSpec({ ratePerSec: 60, keys: { kind: 'random', count: 60 } })]);
    sim.run();
    return sim;
  }

  it('with rack-aware placement every partition keeps two in-sync replicas: no NOT_ENOUGH_REPLICAS', () => {
    const sim = outage(undefined);
    for (const p of sim.topics()[0].partitions) expect(p.isr.length).toBe(2);
    expect(sim.producerErrors().checkout?.NOT_ENOUGH_REPLICAS ?? 0).toBe(0);
    expect(sim.ledgerSummary().lost).toBe(0);
  });

  it('isolate { rack: a }: the zone\'s brokers still reach each other but not the controller: fenced, and leadership leaves the zone', () => {
    // what the scenario reader makes of isolate: { rack: a } (test/scenario/racks-and-retention.test.ts)
    const sim = withRacks({
      durationUs: 25 * SEC,
      topics: [{ name: 'orders', partitions: 6, replicationFactor: 3, config: { 'min.insync.replicas': 2 } }],
      timeline: [at(5 * SEC, { type: 'partition', groups: [RACKS.a, [...RACKS.b, ...RACKS.c, 'controller', 'checkout']], rack: 'a' })],
    }, [producerSpec({ ratePerSec: 60, keys: { kind: 'random', count: 60 } })]);
    sim.run();
    // no heartbeat reaches the controller: each is fenced broker.session.timeout.ms (9 s) after its last one
    const fenced = sim.trace.events.filter((e) => e.type === 'broker-fenced').map((e) => e.broker).sort();
    expect(fenced).toEqual([1, 2]);
    for (const p of sim.topics()[0].partitions) {
      expect(RACKS.a).not.toContain(p.leader);
      expect(p.isr.length).toBe(2);
    }
    expect(sim.trace.events.find((e) => e.type === 'network-fault')).toMatchObject({ action: 'partition', rack: 'a' });
  });

  it('with the rack-unaware assignment, the partitions with two replicas in rack a drop below min ISR', () => {
    // AdminUtils rack-unaware with start index 0 and shift 0 over brokers 1–6
    const sim = outage([[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 1], [6, 1, 2]]);
    const isr = Object.fromEntries(sim.topics()[0].partitions.map((p) => [p.name, p.isr.length]));
    expect(isr).toEqual({ 'orders-0': 1, 'orders-1': 2, 'orders-2': 3, 'orders-3': 3, 'orders-4': 2, 'orders-5': 1 });
    expect(sim.producerErrors().checkout?.NOT_ENOUGH_REPLICAS).toBeGreaterThan(0);
  });
});
