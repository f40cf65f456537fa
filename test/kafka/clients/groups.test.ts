// Consumer groups on the real cluster: consumption, rebalances, lag as kafka-consumer-groups shows
// it, offset resets, the reset-offsets tool, and the coordinator moving with its broker.
import { describe, it, expect } from 'vitest';
import { SEC } from '../../../sim/engine/index.ts';
import { story, at, stepUntil } from './story.ts';
import { producerSpec, consumerSpec } from './helpers.ts';
import { topic } from '../support/cluster.ts';
import type { Simulation } from '../../../sim/kafka/index.ts';
import { committedOffset, groupLag } from '../../../sim/kafka/clients/lag.ts';

const threePartitions = [topic('orders', [[1, 2, 3], [2, 3, 1], [3, 1, 2]])];
const earliest = { 'auto.offset.reset': 'earliest' };
const ev = (sim: Simulation, type: string, where: Record<string, unknown> = {}) =>
  sim.trace.events.filter((e) => e.type === type && Object.entries(where).every(([k, v]) => e[k] === v));
/** The group's LAG and committed offsets as the expectations read them (GroupQueries). */
const lag = (sim: Simulation, group: string) => groupLag(sim.parts.groupQueries.groupOffsets(group));
const committed = (sim: Simulation, group: string, partition: string) => committedOffset(sim.parts.groupQueries.groupOffsets(group), partition);

describe('consumer groups', () => {
  it('consume every acknowledged record once, and lag drops to 0 once the producer stops', () => {
    const { sim, clients } = story({
      topics: threePartitions,
      producers: [producerSpec({ ratePerSec: 300, keys: { kind: 'random', count: 50 }, stopUs: 20 * SEC })],
      consumers: [consumerSpec({ id: 'billing-1', config: earliest }), consumerSpec({ id: 'billing-2', config: earliest })],
    });
    sim.runUntil(30 * SEC);
    const s = sim.ledgerSummary();
    expect(s.acked).toBe(6000);
    expect(s.consumed).toBe(6000);
    expect(lag(sim, 'billing')).toBe(0);
    const rows = clients.describeGroup('billing');
    expect(rows.map((r) => `${r.topic}-${r.partition}`)).toEqual(['orders-0', 'orders-1', 'orders-2']);
    expect(rows.every((r) => r.currentOffset === r.logEndOffset && r.lag === 0)).toBe(true);
    // range: the first member (by id) takes two partitions
    expect(rows[0].clientId).toBe(rows[1].clientId);
    const total = [...clients.consumers.values()].reduce((n, c) => n + c.consumer.consumedCount, 0);
    expect(total).toBe(6000);
  });

  it('a crashed member is evicted after session.timeout.ms and its partitions move', () => {
    const { sim, clients } = story({
      topics: threePartitions,
      producers: [producerSpec({ ratePerSec: 100 })],
      consumers: [consumerSpec({ id: 'billing-1', config: earliest }), consumerSpec({ id: 'billing-2', config: earliest })],
      timeline: [at(20 * SEC, { type: 'crash', nodes: ['billing-2'] })],
    });
    sim.runUntil(90 * SEC);
    const removed = ev(sim, 'member-removed', { client: 'billing-2' });
    expect(removed).toHaveLength(1);
    expect(removed[0].reason).toBe('session timeout');
    // last heartbeat at most heartbeat.interval.ms (3 s) before the crash; session.timeout.ms 45 s
    expect(removed[0].t).toBeGreaterThan(20 * SEC + 42 * SEC);
    expect(removed[0].t).toBeLessThanOrEqual(20 * SEC + 45 * SEC + 10_000);
    const stable = ev(sim, 'rebalance', { phase: 'stable' }).at(-1)!;
    expect(stable.t - removed[0].t).toBeLessThan(1 * SEC);
    expect(clients.describeGroup('billing').every((r) => r.clientId === 'billing-1')).toBe(true);
    // nothing acked is left unconsumed
    sim.runUntil(100 * SEC);
    expect(sim.ledgerSummary().acked - sim.ledgerSummary().consumed).toBeLessThan(50);
  });

  it('lag is HW − committed offset, and "-" before the group commits anything', () => {
    const { sim, clients } = story({
      producers: [producerSpec({ ratePerSec: 100, stopUs: 10 * SEC })],
      consumers: [consumerSpec({ id: 'billing-1', startUs: 15 * SEC, config: { 'auto.offset.reset': 'latest' } })],
    });
    sim.runUntil(12 * SEC);
    expect(clients.describeGroup('billing')).toEqual([]);
    expect(lag(sim, 'billing')).toBeUndefined();
    // joined (after the 3 s initial delay) but not yet committed: CURRENT-OFFSET and LAG print "-"
    stepUntil(sim, () => ev(sim, 'assignment').length > 0, 30 * SEC);
    const row = clients.describeGroup('billing')[0];
    expect(row).toMatchObject({ topic: 'orders', partition: 0, currentOffset: undefined, logEndOffset: 1000, lag: undefined, clientId: 'billing-1' });
    // latest: the first commit is at the HW, so lag 0 although nothing was consumed
    sim.runUntil(30 * SEC);
    expect(committed(sim, 'billing', 'orders-0')).toBe(1000);
    expect(lag(sim, 'billing')).toBe(0);
    expect(clients.consumer('billing-1').consumer.consumedCount).toBe(0);
  });

  it('a stopped group\'s lag grows with the log; LOG-END-OFFSET is the HW, not the leader\'s LEO', () => {
    const { sim, clients } = story({
      brokerConfig: {},
      topics: [topic('orders', [[1, 2, 3]], { 'min.insync.replicas': 2 })],
      producers: [producerSpec({ ratePerSec: 100, config: { acks: '1' } })],
      consumers: [consumerSpec({ id: 'billing-1', stopUs: 10 * SEC, config: earliest })],
      timeline: [at(20 * SEC, { type: 'crash', nodes: [2, 3] })],
    });
    sim.runUntil(19 * SEC);
    const committedAt19 = committed(sim, 'billing', 'orders-0')!;
    expect(committedAt19).toBeGreaterThan(900);
    const hw = sim.partition('orders-0')!.highWatermark!;
    expect(lag(sim, 'billing')).toBe(hw - committedAt19);
    // ISR shrinks below min.insync.replicas: the HW freezes while acks=1 keeps appending
    sim.runUntil(60 * SEC);
    const p = sim.partition('orders-0')!;
    const leo = p.brokers.find((b) => b.broker === 1)!.logEndOffset;
    expect(leo).toBeGreaterThan(p.highWatermark! + 100);
    expect(clients.describeGroup('billing')[0].logEndOffset).toBe(p.highWatermark);
    expect(lag(sim, 'billing')).toBe(p.highWatermark! - committedAt19);
  });
});

describe('offset reset rules (auto.offset.reset)', () => {
  const run = (reset: string, extra: object = {}) => {
    const r = story({
      producers: [producerSpec({ ratePerSec: 100, stopUs: 20 * SEC })],
      consumers: [consumerSpec({ id: 'billing-1', startUs: 10 * SEC, config: { 'auto.offset.reset': reset, ...extra } })],
    });
    r.sim.runUntil(30 * SEC);
    return r;
  };

  it('earliest: a new group reads the log from the start', () => {
    const { sim, clients } = run('earliest');
    expect(ev(sim, 'offset-reset')[0]).toMatchObject({ to: 0, strategy: 'earliest', reason: 'no-committed-offset' });
    expect(clients.consumer('billing-1').consumer.consumedCount).toBe(2000);
  });

  it('latest: a new group starts at the HW and sees only new records', () => {
    const { sim, clients } = run('latest');
    const reset = ev(sim, 'offset-reset')[0];
    expect(reset.strategy).toBe('latest');
    expect(reset.to as number).toBeGreaterThan(1000);
    expect(clients.consumer('billing-1').consumer.consumedCount).toBe(2000 - (reset.to as number));
  });

  it('none: without a committed offset the consumer fails (NoOffsetForPartitionException)', () => {
    const { sim, clients } = run('none');
    expect(ev(sim, 'consumer-error')[0]).toMatchObject({ error: 'NoOffsetForPartitionException', partition: 'orders-0' });
    expect(clients.consumer('billing-1').consumer.consumedCount).toBe(0);
  });

  it('a committed offset wins over auto.offset.reset: a restarted consumer resumes where the group was', () => {
    const { sim, clients } = story({
      producers: [producerSpec({ ratePerSec: 100, stopUs: 40 * SEC })],
      consumers: [consumerSpec({ id: 'billing-1', config: { 'auto.offset.reset': 'latest' } })],
      timeline: [at(20 * SEC, { type: 'crash', nodes: ['billing-1'] }), at(25 * SEC, { type: 'restart', nodes: ['billing-1'] })],
    });
    sim.runUntil(20 * SEC);
    const committedAtCrash = committed(sim, 'billing', 'orders-0')!;
    sim.runUntil(90 * SEC);
    // the new member's first position is the committed offset; no reset happened after the restart
    expect(ev(sim, 'offset-reset').filter((e) => e.t > 20 * SEC)).toEqual([]);
    const consumed = ev(sim, 'consumed').filter((e) => e.t > 25 * SEC);
    expect((consumed[0].parts as [string, number, number][])[0][1]).toBe(committedAtCrash);
    // everything from the first position (latest, at the start) on was consumed, some of it twice
    const firstReset = ev(sim, 'offset-reset')[0].to as number;
    expect(sim.ledgerSummary().consumed).toBe(sim.ledgerSummary().acked - firstReset);
  });
});

describe('offsets after truncation', () => {
  it('an unclean election truncates below the consumer\'s position: KIP-320 validation resets it to where the logs diverge', () => {
    // broker 3 holds no replica; it is there so the clients can still reach the cluster (a client only
    // knows the brokers of its last metadata, and with 1 dead and 2 fenced that would be none)
    const { sim } = story({
      brokerConfig: { 'unclean.leader.election.enable': true },
      topics: [topic('orders', [[1, 2]])],
      producers: [producerSpec({ ratePerSec: 100, config: { 'enable.idempotence': false, 'request.timeout.ms': 2000, 'delivery.timeout.ms': 10000 } })],
      consumers: [consumerSpec({ id: 'billing-1', config: { ...earliest, 'request.timeout.ms': 5000 } })],
      timeline: [
        at(5 * SEC, { type: 'shutdown', brokers: [2] }),
        at(15 * SEC, { type: 'crash', nodes: [1] }),
        at(16 * SEC, { type: 'restart', nodes: [2] }),
      ],
    });
    sim.runUntil(40 * SEC);
    expect(sim.eventCount('unclean-election')).toBe(1);
    const reset = ev(sim, 'offset-reset', { reason: 'log-truncation' });
    expect(reset).toHaveLength(1);
    expect(reset[0].to as number).toBeLessThan(reset[0].from as number);
    // the consumer then reads the new leader's records at the reused offsets
    expect(ev(sim, 'consumed').some((e) => e.t > (reset[0].t as number) && (e.parts as [string, number, number][])[0][1] === reset[0].to)).toBe(true);
    expect(sim.ledgerSummary().lost).toBeGreaterThan(0);
  });
});

describe('kafka-consumer-groups --reset-offsets', () => {
  it('refuses an active group with Kafka\'s message', () => {
    const { sim } = story({
      producers: [producerSpec({ ratePerSec: 10 })],
      consumers: [consumerSpec({ id: 'billing-1', config: earliest })],
      timeline: [at(10 * SEC, { type: 'reset-offsets', group: 'billing', topic: 'orders', to: 'earliest' })],
    });
    sim.runUntil(11 * SEC);
    expect(ev(sim, 'admin-error')[0].message).toBe("Error: Assignments can only be reset if the group 'billing' is inactive, but the current state is Stable.");
  });

  it('resets an inactive group; its next consumer starts from there', () => {
    const { sim, clients } = story({
      producers: [producerSpec({ ratePerSec: 100, stopUs: 10 * SEC })],
      consumers: [
        consumerSpec({ id: 'billing-1', stopUs: 12 * SEC, config: earliest }),
        consumerSpec({ id: 'billing-2', startUs: 20 * SEC, config: { 'auto.offset.reset': 'latest' } }),
      ],
      timeline: [at(15 * SEC, { type: 'reset-offsets', group: 'billing', topic: 'orders', to: { shiftBy: -300 } })],
    });
    sim.runUntil(14 * SEC);
    expect(committed(sim, 'billing', 'orders-0')).toBe(1000);
    expect(clients.groupState('billing')).toBe('Empty');
    sim.runUntil(30 * SEC);
    expect(ev(sim, 'admin-error')).toEqual([]);
    // the tool's move is traced as an offset reset of the group (no consumer), as a consumer's own are
    expect(ev(sim, 'offset-reset', { reason: 'reset-offsets' })).toMatchObject([
      { t: 15 * SEC, tool: 'kafka-consumer-groups', group: 'billing', partition: 'orders-0', from: 1000, to: 700 },
    ]);
    expect(clients.consumer('billing-2').consumer.consumedCount).toBe(300);
    expect(lag(sim, 'billing')).toBe(0);
  });
});

describe('the group coordinator', () => {
  it('moves to another broker when its broker dies; committed offsets survive the move', () => {
    const { sim, clients } = story({
      topics: threePartitions,
      producers: [producerSpec({ ratePerSec: 100 })],
      consumers: [consumerSpec({ id: 'billing-1', config: earliest }), consumerSpec({ id: 'billing-2', config: earliest })],
    });
    sim.runUntil(20 * SEC);
    const before = clients.offsetsTopic.coordinatorFor('billing');
    const committed = clients.describeGroup('billing').map((r) => r.currentOffset!);
    sim.broker(before).crash('crash');
    sim.runUntil(80 * SEC);
    const after = clients.offsetsTopic.coordinatorFor('billing');
    expect(after).not.toBe(before);
    expect(after).toBeGreaterThan(0);
    expect(ev(sim, 'group-loaded', { group: 'billing', coordinator: after })).toHaveLength(1);
    expect(ev(sim, 'coordinator-found', { coordinator: after }).length).toBeGreaterThanOrEqual(2);
    // the new coordinator answered with the offsets committed before the move, and commits continue there
    const rows = clients.describeGroup('billing');
    rows.forEach((r, i) => expect(r.currentOffset!).toBeGreaterThanOrEqual(committed[i]));
    expect(ev(sim, 'offset-committed', { coordinator: after }).length).toBeGreaterThan(0);
    sim.runUntil(100 * SEC);
    const s = sim.ledgerSummary();
    expect(s.acked - s.consumed).toBeLessThan(50);
  });
});

describe('cooperative-sticky', () => {
  it('a new member takes partitions in two rebalances; the others keep consuming theirs throughout', () => {
    const coop = { ...earliest, 'partition.assignment.strategy': ['cooperative-sticky'] };
    const { sim } = story({
      topics: [topic('orders', [[1, 2, 3], [2, 3, 1], [3, 1, 2], [1, 3, 2]])],
      producers: [producerSpec({ ratePerSec: 200, keys: { kind: 'random', count: 100 } })],
      consumers: [consumerSpec({ id: 'billing-1', config: coop }), consumerSpec({ id: 'billing-2', startUs: 20 * SEC, config: coop })],
    });
    sim.runUntil(40 * SEC);
    const assignments = ev(sim, 'assignment');
    const first = assignments.filter((e) => e.client === 'billing-1');
    expect(first[0].partitions).toEqual(['orders-0', 'orders-1', 'orders-2', 'orders-3']);
    // billing-2's first assignment is empty (partitions are still owned), its second holds two
    const second = assignments.filter((e) => e.client === 'billing-2');
    expect(second[0].partitions).toEqual([]);
    expect((second.at(-1)!.partitions as string[]).length).toBe(2);
    // billing-1 revoked exactly the two it gave away, and was never told it lost the rest
    const revoked = ev(sim, 'partitions-revoked', { client: 'billing-1' });
    expect(revoked).toHaveLength(1);
    expect((revoked[0].partitions as string[]).length).toBe(2);
    expect(ev(sim, 'partitions-lost')).toEqual([]);
    const s = sim.ledgerSummary();
    expect(s.acked - s.consumed).toBeLessThan(50);
  });
});

describe('group protocol selection', () => {
  it('a member sharing no assignor with the group is refused with INCONSISTENT_GROUP_PROTOCOL', () => {
    const { sim, clients } = story({
      brokers: [1],
      topics: [topic('orders', [[1], [1], [1], [1]])],
      consumers: [
        consumerSpec({ id: 'reader-1' }),
        consumerSpec({ id: 'reader-2', startUs: 1 * SEC, config: { 'partition.assignment.strategy': ['round-robin'] } }),
      ],
    });
    sim.runUntil(10 * SEC);
    expect(ev(sim, 'consumer-error')).toMatchObject([{ client: 'reader-2', error: 'INCONSISTENT_GROUP_PROTOCOL' }]);
    expect(clients.describeGroup('billing').every((r) => r.clientId === 'reader-1')).toBe(true);
  });

  it('members vote: the most preferred assignor every member supports wins', () => {
    const { sim } = story({
      topics: threePartitions,
      consumers: [
        consumerSpec({ id: 'reader-1', config: { 'partition.assignment.strategy': ['round-robin', 'range'] } }),
        consumerSpec({ id: 'reader-2', config: { 'partition.assignment.strategy': ['round-robin', 'range'] } }),
        consumerSpec({ id: 'reader-3', config: { 'partition.assignment.strategy': ['range'] } }),
      ],
    });
    sim.runUntil(10 * SEC);
    expect(ev(sim, 'rebalance', { phase: 'join' }).at(-1)!.protocol).toBe('range');
  });
});
