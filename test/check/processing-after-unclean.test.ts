// After an unclean election the new leader writes other records at offsets the group already
// processed (the old ones are lost: the ledger counts them). Reading those offsets again is reading
// new records, not processing the old ones twice: the processing ledger tells them apart by the
// leader epoch a record was written in (an offset and an epoch name one record of a log).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { startScenario } from '../../src/scenario/run.ts';

const yaml = `
name: unclean-reread
title: a group reads offsets an unclean election refilled
duration: 90s
cluster:
  brokers: 3
  config: { unclean.leader.election.enable: true }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]] }
producers:
  - { id: checkout, topic: orders, rate: 20/s, stop: 85s }
consumers:
  - { id: c1, group: ge, topics: [orders], config: { auto.offset.reset: earliest } }
timeline:
  - at: 5s
    partition: [[1], [2, 3]]
  - at: 60s
    crash: 1
  - at: 65s
    heal: all
  - at: 75s
    restart: 1
`;

describe('the processing ledger after an unclean election', () => {
  it('does not count the new records at refilled offsets as processed twice', () => {
    const parsed = parseScenario(yaml, 'unclean-reread.yaml');
    if (!parsed.ok) throw new Error('invalid scenario');
    const run = startScenario(parsed.scenario, parsed.spec, {});
    run.sim.run();
    const ledger = run.sim.ledgerSummary();
    // the premise: acknowledged records were lost, and the group read the new leader's records at their offsets
    expect(run.sim.eventCount('unclean-election')).toBe(1);
    expect(ledger.lost).toBeGreaterThan(500);
    expect(ledger.duplicates).toBe(0);
    const p = run.sim.ledger.processing({ group: 'ge' });
    expect(p.duplicatesProcessed).toBe(0);
    expect(run.sim.ledger.processingAnomalies({ group: 'ge' })).toEqual([]);
    // every offset the group was handed was processed: the old records up to the old leader's HW,
    // then the new leader's
    expect(p.processed).toBeGreaterThan(1000);
  });
});
