// The consumption checker: Jepsen's anomaly names per group, from what the consumers returned.
import { describe, it, expect } from 'vitest';
import { SEC } from '../../../sim/engine/index.ts';
import { story, at } from './story.ts';
import { producerSpec, consumerSpec } from './helpers.ts';
import { topic } from '../support/cluster.ts';
import { ConsumptionChecker } from '../../../sim/check/consumption.ts';
import type { Simulation } from '../../../sim/kafka/index.ts';

const earliest = { 'auto.offset.reset': 'earliest' };

describe('consumption anomalies (lost write, duplicate, skip, nonmonotonic)', () => {
  it('a healthy run has none, and every acked record was consumed once', () => {
    const { sim, checks } = story({
      topics: [topic('orders', [[1, 2, 3], [2, 3, 1]])],
      producers: [producerSpec({ ratePerSec: 500, keys: { kind: 'random', count: 10 }, stopUs: 10 * SEC })],
      consumers: [consumerSpec({ id: 'billing-1', config: earliest }), consumerSpec({ id: 'audit-1', group: 'audit', config: earliest })],
    });
    sim.runUntil(20 * SEC);
    const c = checks.consumption;
    expect(c.groupIds()).toEqual(['audit', 'billing']);
    for (const g of ['audit', 'billing']) {
      const a = c.anomalies(g);
      expect(a).toMatchObject({ consumed: 5000, lostWrites: 0, duplicates: 0, skips: [], nonmonotonic: [] });
    }
  });

  it('duplicates: a retry without idempotence writes a batch twice, and the group reads both copies', () => {
    const { sim, checks } = story({
      producers: [producerSpec({ ratePerSec: 100, stopUs: 10 * SEC, config: { 'enable.idempotence': false, 'request.timeout.ms': 1000 } })],
      consumers: [consumerSpec({ id: 'billing-1', config: earliest })],
    });
    sim.runUntil(3 * SEC);
    // the leader's answers to the producer are cut off for longer than request.timeout.ms (TCP would
    // deliver them after a shorter cut): the producer closes the connection and retries the batches
    sim.network.cut(1, 'checkout');
    sim.runUntil(3 * SEC + 1_500_000);
    sim.network.heal('all');
    sim.runUntil(40 * SEC);
    const a = checks.consumption.anomalies('billing');
    expect(sim.ledgerSummary().duplicates).toBeGreaterThan(0);
    expect(a.duplicates).toBe(sim.ledgerSummary().duplicates);
    expect(a.lostWrites).toBe(0);
  });

  it('with idempotence the same fault leaves no duplicate', () => {
    const { sim, checks } = story({
      producers: [producerSpec({ ratePerSec: 100, stopUs: 10 * SEC, config: { 'request.timeout.ms': 1000 } })],
      consumers: [consumerSpec({ id: 'billing-1', config: earliest })],
    });
    sim.runUntil(3 * SEC);
    sim.network.cut(1, 'checkout');
    sim.runUntil(3 * SEC + 1_500_000);
    sim.network.heal('all');
    sim.runUntil(40 * SEC);
    expect(sim.ledgerSummary().duplicates).toBe(0);
    expect(checks.consumption.anomalies('billing')).toMatchObject({ duplicates: 0, lostWrites: 0, consumed: 1000 });
  });

  it('an unclean election: lost writes for the group, and a nonmonotonic position when the consumer resets into the new log', () => {
    const { sim, checks } = story({
      brokerConfig: { 'unclean.leader.election.enable': true },
      topics: [topic('orders', [[1, 2]])],
      producers: [producerSpec({ ratePerSec: 100, config: { 'enable.idempotence': false, 'request.timeout.ms': 2000 } })],
      consumers: [consumerSpec({ id: 'billing-1', config: { ...earliest, 'request.timeout.ms': 5000 } })],
      timeline: [
        at(5 * SEC, { type: 'shutdown', brokers: [2] }),
        at(15 * SEC, { type: 'crash', nodes: [1] }),
        at(16 * SEC, { type: 'restart', nodes: [2] }),
      ],
    });
    sim.runUntil(40 * SEC);
    const a = checks.consumption.anomalies('billing');
    expect(a.nonmonotonic).toHaveLength(1);
    expect(a.nonmonotonic[0]).toMatchObject({ consumer: 'billing-1', partition: 'orders-0', reason: 'truncation' });
    // the records the group read from broker 1 after broker 2 fell behind are not lost *to the group*
    // (it read them); the acked ones it never read are: those in flight on broker 1 when it died
    expect(a.lostWrites).toBeLessThanOrEqual(sim.ledgerSummary().lost);
    expect(sim.ledgerSummary().lost).toBeGreaterThan(0);
  });

  it('skips: a position moved forward over unread offsets (unit)', () => {
    const c = new ConsumptionChecker({} as Simulation);
    c.assignmentChanged('g', 'c1', [{ topic: 't', partition: 0 }]);
    c.positionChanged('g', 'c1', 't', 0, 0, 'committed', 0);
    c.consumed('g', 'c1', 't', 0, [{ baseOffset: 0, count: 10, producerId: 1, baseSequence: 0, leaderEpoch: 0 }], 1);
    c.positionChanged('g', 'c1', 't', 0, 25, 'reset-latest', 2);
    c.consumed('g', 'c1', 't', 0, [{ baseOffset: 25, count: 5, producerId: 1, baseSequence: 25, leaderEpoch: 0 }], 3);
    c.batchAcked({ producer: 'p', producerId: 1, topic: 't', partition: 0, baseSequence: 10, count: 15 }, 1, 10);
    const a = c.anomalies('g');
    expect(a.skips).toEqual([{ t: 2, consumer: 'c1', partition: 't-0', from: 10, to: 25, reason: 'reset-latest' }]);
    expect(a.lostWrites).toBe(15);
    expect(a.nonmonotonic).toEqual([]);
    // a new assignment is a new session: resuming elsewhere is not an anomaly
    c.assignmentChanged('g', 'c1', []);
    c.assignmentChanged('g', 'c1', [{ topic: 't', partition: 0 }]);
    c.positionChanged('g', 'c1', 't', 0, 5, 'committed', 4);
    expect(c.anomalies('g').nonmonotonic).toEqual([]);
  });
});
