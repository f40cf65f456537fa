// The three worked data-loss cases (docs/scenarios.md: (a), (b), (c)), with the real producer on the real cluster.
import { describe, it, expect } from 'vitest';
import { MS, SEC } from '../../../sim/engine/index.ts';
import { story, at, stepUntil } from './story.ts';
import { producerSpec } from './helpers.ts';
import { topic } from '../support/cluster.ts';

describe('case (a) acks=1, the leader crashes before replication', () => {
  it('loses the acknowledged batch; the new leader reuses its offsets', () => {
    const { sim, clients } = story({
      producers: [producerSpec({ ratePerSec: 100, config: { acks: '1', 'linger.ms': 0 } })],
      timeline: [at(20 * SEC, { type: 'restart', nodes: [1] })],
    });
    sim.runUntil(2 * SEC);
    const before = sim.partition('orders-0')!;
    expect(before.leader).toBe(1);
    // the next append on broker 1: cut its links to the followers (fetch responses in flight are lost)
    // and kill it, in the same instant — it acknowledged to the producer but replicated nothing
    const appends = (): number => sim.trace.events.filter((e) => e.type === 'append' && e.broker === 1).length;
    const n = appends();
    stepUntil(sim, () => appends() > n, 3 * SEC);
    const lostAppend = sim.trace.events.filter((e) => e.type === 'append' && e.broker === 1).at(-1)!;
    sim.network.cut(1, 2);
    sim.network.cut(1, 3);
    sim.broker(1).crash('crash');
    sim.runUntil(sim.now + 10 * MS);
    sim.network.heal('all');
    sim.runUntil(60 * SEC);

    const after = sim.partition('orders-0')!;
    expect(after.leader).toBe(2);
    // the producer learnt of the new leader (request timeout → disconnect → metadata) and carried on there
    const refreshed = sim.trace.events.filter((e) => e.type === 'metadata-refreshed' && e.client === 'checkout');
    expect(refreshed.at(-1)!.partitions).toEqual([[0, 2, after.leaderEpoch]]);
    const summary = sim.ledgerSummary();
    expect(summary.lost).toBe(lostAppend.n);
    const lost = sim.lostRecords();
    expect(lost[0].ack.offset).toBe(lostAppend.offset);
    expect(lost[0].text).toMatch(/acks=1/);
    // broker 2 wrote new records at the lost offset, in the new epoch; broker 1 truncated on its return
    expect(sim.trace.events.some((e) => e.type === 'append' && e.broker === 2 && e.offset === lostAppend.offset)).toBe(true);
    expect(sim.trace.events.some((e) => e.type === 'truncated' && e.broker === 1)).toBe(true);
    expect(clients.producer('checkout').producer.stats.failed).toBe(0);
  });
});

describe('case (b) unclean election with a lagging replica', () => {
  // enable.idempotence=false: Kafka's test creates a fresh producer per message, so no sequence
  // history links "second" and "third"; the idempotent variant is the last test below
  const setup = (unclean: boolean, idempotence = false) => story({
    brokers: [1, 2],
    brokerConfig: { 'unclean.leader.election.enable': unclean },
    topics: [topic('orders', [[1, 2]])],
    producers: [producerSpec({ ratePerSec: 10, config: { 'enable.idempotence': idempotence, 'request.timeout.ms': 1000, 'delivery.timeout.ms': 5000, 'linger.ms': 0 } })],
    timeline: [
      at(1 * SEC, { type: 'stop-producer', producer: 'checkout' }), // "first": records 0..9
      at(2 * SEC, { type: 'shutdown', brokers: [2] }),
      at(5 * SEC, { type: 'start-producer', producer: 'checkout' }), // "second": acked by 1 alone
      at(6 * SEC, { type: 'stop-producer', producer: 'checkout' }),
      at(8 * SEC, { type: 'shutdown', brokers: [1] }),
      at(15 * SEC, { type: 'restart', nodes: [2] }),
      at(25 * SEC, { type: 'start-producer', producer: 'checkout' }), // "third"
      at(26 * SEC, { type: 'stop-producer', producer: 'checkout' }),
    ],
  });

  it('enabled: broker 2 is elected uncleanly and "second" is lost', () => {
    const { sim } = setup(true);
    sim.runUntil(40 * SEC);
    expect(sim.eventCount('unclean-election')).toBe(1);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    const s = sim.ledgerSummary();
    expect(s.lost).toBe(10);
    expect(s.failed).toBe(0);
    // "third" landed at the offsets "second" had on broker 1
    expect(sim.partition('orders-0')!.highWatermark).toBe(20);
  });

  it('disabled: the partition stays leaderless and "third" fails with a timeout', () => {
    const { sim, clients } = setup(false);
    sim.runUntil(40 * SEC);
    expect(sim.eventCount('unclean-election')).toBe(0);
    expect(sim.partition('orders-0')!.leader).toBe(null);
    const s = sim.ledgerSummary();
    expect(s.lost).toBe(0);
    expect(s.unavailable).toBe(20);
    expect(clients.producer('checkout').producer.stats.failed).toBe(10);
  });

  it('enabled, idempotent producer: the new leader never saw "second", so "third" is out of sequence; KIP-360 bumps the epoch and retries it', () => {
    const { sim, clients } = setup(true, true);
    sim.runUntil(40 * SEC);
    const p = clients.producer('checkout').producer;
    // broker 2 has the producer's state up to "first" (seq 9); "third" starts at seq 20 …
    expect(p.stats.errors.get('OUT_OF_ORDER_SEQUENCE_NUMBER')).toBeGreaterThan(0);
    const refused = sim.trace.events.filter((e) => e.type === 'produce-failed' && e.code === 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    // … which since 2.5 (TransactionManager.canRetry) is retried, not failed
    expect(refused.every((e) => e.retry === true)).toBe(true);
    // the same producer id under the next epoch (bumpIdempotentProducerEpoch), not a new producer id
    const bumps = sim.trace.events.filter((e) => e.type === 'producer-epoch-bumped');
    expect(bumps.map((e) => [e.producerId, e.producerEpoch])).toEqual([[p.currentProducerId, 1]]);
    expect(bumps[0].t).toBe(refused[0].t);
    expect(sim.trace.events.filter((e) => e.type === 'producer-id')).toHaveLength(1);
    // broker 2 takes the retried batch in the new epoch, where "second" had been on broker 1
    const third = sim.trace.events.filter((e) => e.type === 'append' && e.broker === 2 && e.t > 25 * SEC);
    expect(third[0]).toMatchObject({ offset: 10, producerId: p.currentProducerId, sequence: 20, producerEpoch: 1 });
    expect(p.stats.failed).toBe(0);
    expect(p.stats.acked).toBe(30);
    const s = sim.ledgerSummary();
    expect(s.lost).toBe(10);
    expect(s.failed).toBe(0);
    expect(s.duplicates).toBe(0);
    expect(sim.partition('orders-0')!.highWatermark).toBe(20);
  });
});

describe('case (c) RF=3, min.insync.replicas=2, acks=all: no loss', () => {
  it('acked records survive the leader\'s death; NOT_ENOUGH_REPLICAS while the ISR is short', () => {
    const { sim, clients } = story({
      topics: [topic('orders', [[1, 2, 3]], { 'min.insync.replicas': 2 })],
      producers: [producerSpec({ ratePerSec: 200, config: { 'request.timeout.ms': 5000 } })],
      timeline: [
        at(5 * SEC, { type: 'crash', nodes: [3] }),
        at(20 * SEC, { type: 'crash', nodes: [1] }),
        at(60 * SEC, { type: 'restart', nodes: [3] }),
      ],
    });
    sim.runUntil(90 * SEC);
    const s = sim.ledgerSummary();
    expect(s.lost).toBe(0);
    expect(s.duplicates).toBe(0);
    expect(s.acked).toBeGreaterThan(10000);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    const errors = sim.producerErrors().checkout ?? {};
    expect(errors.NOT_ENOUGH_REPLICAS).toBeGreaterThan(0);
    expect(clients.producer('checkout').producer.stats.failed).toBe(0);
  });
});

describe('acks=all with a short ISR', () => {
  it('NOT_ENOUGH_REPLICAS: nothing is appended while the ISR is below min.insync.replicas; acks=1 still is', () => {
    const { sim, clients } = story({
      topics: [topic('orders', [[1, 2, 3]], { 'min.insync.replicas': 2 })],
      producers: [
        // requests already in the purgatory when the ISR shrank wait out request.timeout.ms (5 s here)
        producerSpec({ id: 'checkout', ratePerSec: 100, config: { 'request.timeout.ms': 5000 } }),
        producerSpec({ id: 'clicks', ratePerSec: 100, config: { acks: '1' } }),
      ],
      timeline: [at(5 * SEC, { type: 'crash', nodes: [2, 3] }), at(40 * SEC, { type: 'restart', nodes: [2] })],
    });
    sim.runUntil(25 * SEC);
    expect(sim.partition('orders-0')!.isr).toEqual([1]);
    const checkout = clients.producer('checkout').producer;
    expect(checkout.stats.errors.get('NOT_ENOUGH_REPLICAS')).toBeGreaterThan(5);
    // the acks=all producer's records from ISR [1] on were refused before append: none of its pid
    const pid = checkout.currentProducerId;
    const fenced = sim.trace.events.find((e) => e.type === 'isr-shrink' && (e.isr as number[]).length === 1)!.t;
    const appendedWhileShort = sim.trace.events.filter((e) => e.type === 'append' && e.producerId === pid && e.t > fenced + 5 * MS && e.t < 25 * SEC);
    expect(appendedWhileShort).toEqual([]);
    const clicks = clients.producer('clicks').producer;
    expect(sim.trace.events.some((e) => e.type === 'produce-acked' && e.client === 'clicks' && e.t > 20 * SEC)).toBe(true);
    expect(clicks.stats.errors.size).toBe(0);
    // broker 2 returns and catches up: the retried batches go in, nothing lost, nothing failed
    sim.runUntil(70 * SEC);
    expect(sim.ledgerSummary().lost).toBe(0);
    expect(checkout.stats.failed).toBe(0);
    expect(sim.producerErrors().checkout.NOT_ENOUGH_REPLICAS).toBe(checkout.stats.errors.get('NOT_ENOUGH_REPLICAS'));
  });
});

describe('metadata recovery (KIP-899 rebootstrap, the default since 4.0)', () => {
  it('a producer whose only known broker died starts over from bootstrap.servers and finds the new leader', () => {
    const { sim, clients } = story({
      brokers: [1, 2],
      brokerConfig: { 'unclean.leader.election.enable': true },
      topics: [topic('orders', [[1, 2]])],
      // metadata.max.age.ms 1 s: the producer refreshes after broker 2's shutdown and lists broker 1 only
      // (before, it learnt that only from the restarted broker 2 while 2 was still fenced, which
      // lasted 2 s; a restarted KRaft broker is now unfenced within a few heartbeat round trips)
      producers: [producerSpec({ ratePerSec: 100, config: { 'enable.idempotence': false, 'request.timeout.ms': 2000, 'metadata.max.age.ms': 1000 } })],
      timeline: [
        at(5 * SEC, { type: 'shutdown', brokers: [2] }), // the producer's metadata now lists broker 1 only
        at(15 * SEC, { type: 'crash', nodes: [1] }),
        at(16 * SEC, { type: 'restart', nodes: [2] }),
      ],
    });
    sim.runUntil(40 * SEC);
    const p = clients.producer('checkout').producer;
    expect(sim.trace.events.some((e) => e.type === 'client-rebootstrap' && e.client === 'checkout')).toBe(true);
    expect(p.metadata.leaderFor('orders', 0)).toBe(2);
    expect(sim.trace.events.some((e) => e.type === 'produce-acked' && e.broker === 2)).toBe(true);
  });
});
