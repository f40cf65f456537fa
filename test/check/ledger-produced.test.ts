// `produced` counts every record the application handed to a producer — including those that never
// got a producer id and sequence — and every one of them is acked, failed, pending or in flight:
// produced = acked + failed + pending + inFlight (sim/kafka/ledger-port.ts), at any moment.
import { describe, it, expect } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import { assembleSimulation, type BatchRef, type LedgerPort } from '../../sim/kafka/index.ts';
import { standardParts } from '../../src/scenario/standard-parts.ts';
import { spec } from '../kafka/support/cluster.ts';
import { assembleStory } from '../kafka/clients/story.ts';
import { libraryScenario, unaccounted } from './support/library.ts';

/** A simulation whose ledger hears of one producer, `checkout`, writing to orders-0, by hand. */
function checkout() {
  const sim = assembleSimulation(spec(), standardParts());
  const ledger: LedgerPort = sim.ledger;
  const batch = (producerId: number, baseSequence: number, count: number): BatchRef =>
    ({ producer: 'checkout', producerId, topic: 'orders', partition: 0, baseSequence, count });
  return {
    sim,
    summary: () => sim.ledgerSummary(),
    send: (n: number) => {
      for (let i = 0; i < n; i++) ledger.onSend?.('checkout', 'orders', sim.now);
    },
    drain: (b: BatchRef) => {
      ledger.recordsCreated?.(b, sim.now, sim.now, sim.now);
      ledger.batchSent?.(b, 1, 1, -1, sim.now);
    },
    batch,
    ledger,
  };
}

describe('produced: every record handed to send()', () => {
  it('counts a record from send(), and follows it from pending to in flight to acked', () => {
    const p = checkout();
    p.send(10);
    expect(p.summary()).toMatchObject({ produced: 10, pending: 10, inFlight: 0, sent: 0, acked: 0 });

    // the sender drains a first batch of 4 under producer id 7
    const first = p.batch(7, 0, 4);
    p.drain(first);
    expect(p.summary()).toMatchObject({ produced: 10, pending: 6, inFlight: 4, sent: 4 });

    p.ledger.batchAcked?.(first, 1, 0, p.sim.now);
    expect(p.summary()).toMatchObject({ produced: 10, pending: 6, inFlight: 0, acked: 4 });
    expect(unaccounted(p.summary())).toBe(0);
  });

  it('counts records that failed before they had an identity as failed, not pending', () => {
    const p = checkout();
    p.send(10);
    // one send() blocked for max.block.ms and threw
    p.ledger.onSendError?.('checkout', 'orders', 'REQUEST_TIMED_OUT', p.sim.now);
    // a batch of 3 expired (delivery.timeout.ms) before InitProducerId ever answered
    const orphan = p.batch(-1, 0, 3);
    p.ledger.recordsCreated?.(orphan, 0, 0, p.sim.now);
    p.ledger.batchFailed?.(orphan, 1, 'REQUEST_TIMED_OUT', true, p.sim.now);

    expect(p.summary()).toMatchObject({ produced: 10, failed: 4, pending: 6, inFlight: 0 });
    expect(unaccounted(p.summary())).toBe(0);
  });

  it('per partition, counts only the records that reached it; per topic, all of them', () => {
    const p = checkout();
    p.send(10);
    p.drain(p.batch(7, 0, 4));
    expect(p.sim.ledgerSummary({ partition: 'orders-0' })).toMatchObject({ produced: 4, inFlight: 4, pending: 0 });
    expect(p.sim.ledgerSummary({ topic: 'orders' })).toEqual(p.summary());
    expect(p.sim.ledgerSummary({ topic: 'refunds' })).toMatchObject({ produced: 0, pending: 0 });
  });

  it('a producer that dies takes every record it had not had acknowledged with it: they all fail', () => {
    const p = checkout();
    p.send(10);
    const inFlight = p.batch(7, 0, 4);
    p.drain(inFlight);
    // KafkaProducer.crash: the in-flight batch is abandoned, the queued one never had a producer id,
    // and the record a blocked send() held never reached a batch
    const queued = p.batch(-1, 4, 5);
    p.ledger.batchAbandoned?.(inFlight, p.sim.now);
    p.ledger.recordsCreated?.(queued, 0, 0, p.sim.now);
    p.ledger.batchFailed?.(queued, -1, 'PRODUCER_CRASHED', true, p.sim.now);
    p.ledger.onSendError?.('checkout', 'orders', 'PRODUCER_CRASHED', p.sim.now);
    expect(p.summary()).toMatchObject({ produced: 10, failed: 10, pending: 0, inFlight: 0 });

    // its next life sends under the same name
    p.send(2);
    expect(p.summary()).toMatchObject({ produced: 12, failed: 10, pending: 2 });
    expect(unaccounted(p.summary())).toBe(0);
  });

  it('a producer waiting out a leaderless partition: every record adds up at every second', () => {
    const { spec: s } = libraryScenario('clean-election-waits-for-isr');
    const sim = assembleSimulation(s, standardParts());
    for (let t = 1; t <= 90; t++) {
      sim.runUntil(t * SEC);
      expect(unaccounted(sim.ledgerSummary()), `at ${t}s`).toBe(0);
    }
  });

  it('produced is what the application sent, and what waited out the outage was pending meanwhile', () => {
    const { spec: s } = libraryScenario('clean-election-waits-for-isr');
    const { sim, clients } = assembleStory(s);
    // broker 1's crash at 60s leaves orders-0 without a leader until broker 1 returns (75s, unfenced
    // within a few heartbeat round trips): the producer's records wait in its buffer meanwhile, then go to broker 1
    sim.runUntil(74.9 * SEC);
    const stuck = sim.ledgerSummary();
    sim.run();
    const end = sim.ledgerSummary();
    const sent = clients.producer('checkout').producer.stats.created;
    expect(end.produced).toBe(sent);
    // 20 records/s since the crash at 60s (plus the unanswered ones just before): about 300
    expect(stuck.pending).toBeGreaterThan(280);
    expect(end.pending).toBe(0);
  });
});
