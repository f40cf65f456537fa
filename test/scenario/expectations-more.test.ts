// The expectations Kafka users check beyond counts of records (issue 14): leader and partition epochs,
// records a consumer group received and a consumer's position, and producer errors per record and by
// which timeout it was — read in real runs and held against an independent count of the same thing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, formatError } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';

function run(text: string) {
  const parsed = parseScenario(text, 'x.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map(formatError).join('\n'));
  return runScenario(parsed.scenario, parsed.spec, { keepTrace: false });
}

function errorsOf(text: string): string[] {
  const parsed = parseScenario(text, 'x.yaml');
  return parsed.ok ? [] : parsed.errors.map(formatError);
}

const GROUP = (expect: string) => `name: consumers-and-epochs
duration: 30s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 2, replicas: [[1, 2, 3], [2, 3, 1]] }
producers:
  - { id: checkout, topic: orders, rate: 100/s }
consumers:
  - { id: billing-1, group: billing, topics: [orders], config: { auto.offset.reset: earliest } }
timeline:
  - at: 10s
    crash: 1
expect:
${expect}`;

describe('epoch and partition-epoch', () => {
  it('read the controller\'s metadata: the election after the crash moves the leader epoch from 0 to 1', () => {
    const r = run(GROUP(`  - at: 9s
    epoch: { partition: orders-0, is: 0 }
  - epoch: { partition: orders-0, is: 1 }
  - epoch: { partition: orders-1, is: 0 }
  - at: 9s
    partition-epoch: { partition: orders-0, is: 0 }
  - partition-epoch: { partition: orders-0, min: 1 }
`));
    expect(r.expectations.map((e) => `${e.check} ${e.actual}`)).toEqual([
      'epoch orders-0 0', 'epoch orders-0 1', 'epoch orders-1 0', 'partition-epoch orders-0 0', expect.stringMatching(/^partition-epoch orders-0 [1-9]/),
    ]);
    expect(r.passed).toBe(true);
    const p = r.sim.partition('orders-0')!;
    expect([p.leaderEpoch, p.partitionEpoch >= 1]).toEqual([1, true]);
  });
});

describe('consumed and position', () => {
  it('consumed counts the records the group received (the ledger\'s count for that group); position is where the consumer reads next', () => {
    const r = run(GROUP(`  - consumed: { group: billing, min: 1 }
  - consumed: { group: billing, partition: orders-1, min: 1 }
  - position: { consumer: billing-1, partition: orders-1, min: 1 }
`));
    expect(r.passed).toBe(true);
    const [all, one, pos] = r.expectations.map((e) => Number(e.actual));
    const ledger = r.sim.ledgerSummary();
    expect(all).toBe(ledger.consumed); // one group: its records are all the consumed ones
    expect(all).toBeGreaterThan(2000);
    expect(one).toBe(r.sim.ledgerSummary({ partition: 'orders-1' }).consumed);
    expect(one).toBeLessThan(all);
    // the consumer has read up to about the HW of orders-1 (it is caught up at the end)
    const hw = r.sim.partition('orders-1')!.highWatermark!;
    expect(pos).toBeLessThanOrEqual(hw);
    expect(pos).toBeGreaterThan(hw - 50);
  });

  it('consumed is: 0 fails while the group has records, and a consumer with no position yet fails the check saying so', () => {
    const text = GROUP(`  - consumed: { group: billing, is: 0 }
  - at: 1ms
    position: { consumer: billing-1, partition: orders-0, min: 0 }
`);
    const r = run(text);
    expect(r.expectations.map((e) => [e.ok, e.actual])).toEqual([
      [false, expect.stringMatching(/^\d+$/)],
      [false, 'none (not assigned, or no valid position yet)'],
    ]);
  });

  it('names unknown consumers and groups, and needs a partition for position', () => {
    expect(errorsOf(GROUP('  - position: { consumer: billing-9, partition: orders-0, is: 1 }\n'))).toEqual([
      expect.stringMatching(/expect\[0\]\.position\.consumer +consumer "billing-9" does not exist/),
    ]);
    expect(errorsOf(GROUP('  - consumed: { group: audit, min: 1 }\n'))[0]).toMatch(/expect\[0\]\.consumed\.group +group "audit" does not exist/);
    expect(errorsOf(GROUP('  - position: { consumer: billing-1, is: 1 }\n'))[0]).toMatch(/expect\[0\]\.position +.*partition/);
  });
});

// the leader stalls 12 s: attempts time out after 2 s and are retried; batches expire after 5 s
const STALL = (expect: string) => `name: timeouts
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
expect:
${expect}`;

describe('producer errors per record and by timeout', () => {
  it('tells delivery.timeout.ms from request.timeout.ms, and counts records as well as answers', () => {
    const r = run(STALL(`  - errors: { reason: delivery-timeout, records: true, min: 1 }
  - errors: { reason: delivery-timeout, min: 1 }
  - errors: { reason: request-timeout, min: 1 }
  - errors: { code: REQUEST_TIMED_OUT, min: 1 }
  - errors: { reason: max-block, is: 0 }
`));
    expect(r.passed).toBe(true);
    const [expiredRecords, expiredBatches, attemptTimeouts, all] = r.expectations.map((e) => Number(e.actual));
    // every record given up on here expired by delivery.timeout.ms: the ledger's failed records
    expect(expiredRecords).toBe(r.sim.ledgerSummary().failed);
    expect(expiredRecords).toBeGreaterThan(expiredBatches);
    expect(all).toBe(expiredBatches + attemptTimeouts);
  });

  it('refuses a reason with another code, an unknown reason and a records flag that is not a boolean', () => {
    expect(errorsOf(STALL('  - errors: { code: NOT_ENOUGH_REPLICAS, reason: delivery-timeout }\n'))[0]).toMatch(/expect\[0\]\.errors\.reason +expected no reason with code NOT_ENOUGH_REPLICAS/);
    expect(errorsOf(STALL('  - errors: { reason: delivery-timout }\n'))[0]).toMatch(/unknown timeout reason "delivery-timout" \(did you mean "delivery-timeout"\?\)/);
    expect(errorsOf(STALL('  - errors: { records: yes }\n'))[0]).toMatch(/expect\[0\]\.errors\.records +expected true or false/);
  });
});

describe('event: when, and about whom', () => {
  it('first/last pin when matching events happened; group, consumer and reason filter them', () => {
    const r = run(GROUP(`  - event: { type: leader-elected, partition: orders-0, first: { min: 10s, max: 20s } }
  - event: { type: offset-reset, group: billing, reason: no-committed-offset, is: 2, first: { max: 10s }, last: { max: 10s } }
  - event: { type: offset-reset, consumer: billing-1, reason: out-of-range, is: 0 }
  - event: { type: isr-shrink, partition: orders-0, last: { max: 5s } }
`));
    const byType = r.expectations.map((e) => [e.ok, e.actual]);
    // the election after broker 1's crash at 10 s: the controller fences it after its session timeout
    expect(byType[0][0]).toBe(true);
    expect(byType[0][1]).toMatch(/^1 \(at 1\d(\.\d+)?s\)$/);
    // the consumer found no committed offset for either partition at its start: two resets, both early
    expect(byType[1]).toEqual([true, expect.stringMatching(/^2 \(first at [0-9.]+s, last at [0-9.]+s\)$/)]);
    expect(byType[2]).toEqual([true, '0']);
    // the ISR shrank after 10 s, so "last by 5 s" fails and says when it was
    expect(byType[3]).toEqual([false, expect.stringMatching(/^1 \(at 1\d(\.\d+)?s\)$/)]);
  });

  it('refuses a filter on a field the event does not carry, an unknown reason, and an empty or inverted window', () => {
    const bad = (line: string) => errorsOf(GROUP(`  - ${line}\n`))[0];
    expect(bad('event: { type: broker-crashed, group: billing }')).toMatch(/expect\[0\]\.event\.group +broker-crashed events have no group to filter on/);
    expect(bad('event: { type: leader-elected, consumer: billing-1 }')).toMatch(/leader-elected events have no client to filter on/);
    expect(bad('event: { type: offset-reset, reason: truncation }')).toMatch(/unknown offset-reset reason "truncation"/);
    expect(bad('event: { type: isr-expand, first: {} }')).toMatch(/expect\[0\]\.event\.first +expected min and\/or max/);
    expect(bad('event: { type: isr-expand, first: { min: 25s, max: 20s } }')).toMatch(/expect\[0\]\.event\.first\.max +max \(20s\) is before min \(25s\)/);
    expect(bad('event: { type: offset-reset, consumer: billing-1, producer: checkout }')).toMatch(/consumer or producer, not both/);
  });
});

describe('metric and alert-seconds (issue 16)', () => {
  it('read the metrics part, which a scenario with such expectations gets by itself', () => {
    const text = readFileSync(join(import.meta.dirname, '../../scenarios/library/hw-freeze-under-min-isr.yaml'), 'utf8').replace(/\nexpect:[\s\S]*$/, `
expect:
  - at: 10s
    metric: { name: UnderMinIsrPartitionCount, is: 1 }
  - at: 4s
    metric: { name: UnderMinIsrPartitionCount, is: 0 }
  - metric: { name: UnderMinIsrPartitionCount, max: 0 }
  - alert-seconds: { metric: UnderMinIsrPartitionCount, above: 0, min: 20, max: 30 }
  - alert-seconds: { metric: OfflinePartitionsCount, max: 0 }
`);
    const r = run(text);
    expect(r.sim.parts.metrics).toBeDefined();
    expect(r.expectations.map((e) => [e.ok, e.actual])).toEqual([
      [true, '1'], [true, '0'],
      [false, expect.stringMatching(/^peak 1 at 5(\.\d+)?s, lowest 0$/)],
      [true, expect.stringMatching(/^2\d(\.\d+)?$/)],
      [true, '0'],
    ]);
    // no such expectation, no metrics part
    expect(run(GROUP('  - lost: 0\n')).sim.parts.metrics).toBeUndefined();
  });

  it('names unknown metrics with a suggestion, and refuses labels on a metric that has none', () => {
    expect(errorsOf(GROUP('  - metric: { name: UnderMinIsrPartitionCnt, max: 0 }\n'))[0]).toMatch(/unknown metric "UnderMinIsrPartitionCnt" \(did you mean "UnderMinIsrPartitionCount"\?\)/);
    expect(errorsOf(GROUP('  - metric: { name: MaxLag, group: billing, max: 0 }\n'))[0]).toMatch(/expect\[0\]\.metric\.group +expected no group: MaxLag is one series for the cluster/);
    expect(errorsOf(GROUP('  - metric: { name: consumer-group-lag, group: billing, max: 1000 }\n'))).toEqual([]);
  });
});
