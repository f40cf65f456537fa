// KIP-360 for an idempotent producer whose retried batch expires by delivery.timeout.ms: the broker may
// or may not hold it, so the partition's sequence is unresolved (Sender.sendProducerData →
// TransactionManager.markSequenceUnresolved); no new batch is drained to it (RecordAccumulator.
// shouldStopDrainBatchesForPartition) until its batches in flight are answered, and then, with the last
// acked sequence not just before the next one, the epoch is bumped (maybeResolveSequences) — so the
// broker never sees the gap and never answers OUT_OF_ORDER_SEQUENCE_NUMBER.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/index.ts';
import { startScenario } from '../../../src/scenario/run.ts';
import { SEC } from '../../../sim/engine/index.ts';

// the leader stalls for 12 s: requests time out after 2 s and are retried, and expire after 5 s
const SCENARIO = `name: unresolved-sequences
duration: 40s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 1, replicas: [[1, 2, 3]], config: { min.insync.replicas: 2 } }
producers:
  - id: checkout
    topic: orders
    rate: 50/s
    config: { request.timeout.ms: 2000, delivery.timeout.ms: 5000, linger.ms: 0 }
timeline:
  - at: 10s
    pause: { broker: 1, for: 12s }
`;

describe('an idempotent producer whose retried batch expired (KIP-360, unresolved sequences)', () => {
  it('bumps its epoch before sending past the gap, so the broker never answers OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
    const parsed = parseScenario(SCENARIO, 'unresolved.yaml');
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
    const { sim } = startScenario(parsed.scenario, parsed.spec, { keepTrace: true });
    sim.runUntil(30 * SEC);
    const failedAfterStall = sim.ledgerSummary().failed;
    sim.runUntil(40 * SEC);

    const errors = sim.producerErrors().checkout;
    expect(errors.REQUEST_TIMED_OUT).toBeGreaterThan(0); // batches did expire while retried
    expect(errors.OUT_OF_ORDER_SEQUENCE_NUMBER).toBeUndefined(); // before the fix: 1, after a gap was sent
    const bumps = sim.trace.events.filter((e) => e.type === 'producer-epoch-bumped');
    expect(bumps.length).toBeGreaterThan(0);
    // each bump comes after an expiry (the batch given up on), never before the first one
    const firstExpiry = sim.trace.events.find((e) => e.type === 'produce-failed' && e.retry === false)!;
    expect(bumps[0].t).toBeGreaterThanOrEqual(firstExpiry.t);
    // once the partition has a leader again, nothing more fails: the new epoch's stream is accepted
    expect(sim.ledgerSummary().failed).toBe(failedAfterStall);
    expect(sim.ledgerSummary().lost).toBe(0);
  });
});
