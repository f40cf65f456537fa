// The consumer side against Kafka's own rules, case by case (each expected value derived in a comment
// from the Kafka class that decides it): what an outside Kafka expert would check first.
import { describe, it, expect } from 'vitest';
import { SEC } from '../../../sim/engine/index.ts';
import { story, at, stepUntil } from './story.ts';
import { producerSpec, consumerSpec } from './helpers.ts';
import { topic } from '../support/cluster.ts';
import type { Simulation } from '../../../sim/kafka/index.ts';

/** Three partitions led by brokers 1, 2 and 3; a producer of random keys over them; a consumer reading from the start. */
const ORDERS_3 = topic('orders', [[1, 2, 3], [2, 3, 1], [3, 1, 2]]);
const keyed = (ratePerSec: number) => producerSpec({ ratePerSec, keys: { kind: 'random', count: 30 } });
const earliest = (id: string, extra: Partial<Parameters<typeof consumerSpec>[0]> = {}) => consumerSpec({ id, config: { 'auto.offset.reset': 'earliest' }, ...extra });

const ev = (sim: Simulation, type: string, where: Record<string, unknown> = {}) =>
  sim.trace.events.filter((e) => e.type === type && Object.entries(where).every(([k, v]) => e[k] === v));

describe('a consumer whose leader dies', () => {
  it('fetches from the new leader soon after the election, without waiting for a commit or the metadata max age', () => {
    // AbstractFetch.prepareFetchRequests only skips a node while it is in reconnect backoff
    // (reconnect.backoff.ms 50, doubling to reconnect.backoff.max.ms 1000); the next poll fetches
    // again, the refused connection requests a metadata update (retry.backoff.ms), and the new
    // leader is known within about a second of the election. enable.auto.commit=false: no commit
    // timer wakes the consumer.
    const { sim } = story({
      producers: [producerSpec({ ratePerSec: 10 })],
      consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest', 'enable.auto.commit': false } })],
      timeline: [at(20 * SEC, { type: 'crash', nodes: [1] })],
    });
    sim.runUntil(60 * SEC);
    const elected = ev(sim, 'leader-elected', { partition: 'orders-0' }).find((e) => e.t > 20 * SEC);
    expect(elected).toBeDefined();
    const next = ev(sim, 'consumed', { client: 'billing-1' }).find((e) => e.t > 20 * SEC);
    expect(next).toBeDefined();
    expect(next!.broker).toBe(elected!.leader);
    expect(next!.t - elected!.t).toBeLessThan(2 * SEC);
  });
});

describe('the group coordinator as a member sees it', () => {
  it('a broker that is not the coordinator dying does not make the member look its coordinator up again', () => {
    // AbstractCoordinator marks the coordinator unknown when *its* connection fails
    // (checkAndGetCoordinator: client.isUnavailable(coordinator)) or a request to it fails; a
    // disconnect from the broker that answered FindCoordinator fails only requests to that broker.
    const { sim, clients } = story({
      producers: [producerSpec({ ratePerSec: 10 })],
      consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest' } })],
    });
    sim.runUntil(10 * SEC);
    const coordinator = clients.offsetsTopic.coordinatorFor('billing');
    const asked = sim.trace.events.find((e) => e.type === 'msg' && e.k === 'find-coordinator' && e.f === 'billing-1')!.to as number;
    expect(asked).not.toBe(coordinator);
    sim.broker(asked).crash('crash');
    sim.runUntil(20 * SEC);
    expect(ev(sim, 'coordinator-lost', { client: 'billing-1' })).toEqual([]);
  });
});

describe('kafka-consumer-groups --reset-offsets', () => {
  // retention (segment.ms 5 s, retention.ms 20 s) deletes the oldest segments at the first check,
  // 30 s after the broker starts: the log start moves above 0
  const retained = {
    topics: [{ name: 'orders', partitions: 1, replicationFactor: 1, replicas: [[1]], config: { 'retention.ms': 20000, 'segment.ms': 5000 } }],
    brokers: [1],
    producers: [producerSpec({ ratePerSec: 10, stopUs: 60 * SEC })],
  };
  const logStart = (sim: Simulation) => sim.partition('orders-0')!.logStartOffset!;
  const committedOf = (sim: Simulation) => sim.parts.groupQueries.groupOffsets('billing').find((r) => r.partition === 0)?.committed;

  it('--to-earliest commits the log start offset (ListOffsets EARLIEST), not 0', () => {
    // ConsumerGroupCommand.prepareOffsetsToReset: resetToEarliest = getLogStartOffsets
    const { sim } = story({ ...retained, consumers: [], timeline: [at(40 * SEC, { type: 'reset-offsets', group: 'billing', topic: 'orders', to: 'earliest' })] });
    sim.runUntil(41 * SEC);
    expect(logStart(sim)).toBeGreaterThan(0);
    expect(committedOf(sim)).toBe(logStart(sim));
  });

  it('--to-offset and --shift-by below the log start are raised to it', () => {
    // ConsumerGroupCommand.checkOffsetsRange: an offset below the log start offset becomes the log start
    const { sim } = story({ ...retained, consumers: [], timeline: [at(40 * SEC, { type: 'reset-offsets', group: 'billing', topic: 'orders', to: { offset: 3 } })] });
    sim.runUntil(41 * SEC);
    expect(committedOf(sim)).toBe(logStart(sim));
  });
});

describe('auto-commit', () => {
  it('a commit that failed for a retriable reason (the coordinator died) is retried after retry.backoff.ms, not a whole auto.commit.interval.ms later', () => {
    // ConsumerCoordinator.autoCommitOffsetsAsync: on a RetriableCommitFailedException
    // nextAutoCommitTimer.updateAndReset(retryBackoffMs) (100 ms); so once the group's new
    // coordinator has loaded it, the next attempt (after a FindCoordinator) commits within about
    // retry.backoff.ms plus round trips, well under the 5 s interval.
    const { sim, clients } = story({
      topics: [ORDERS_3],
      producers: [producerSpec({ ratePerSec: 100 })],
      consumers: [earliest('billing-1')],
    });
    sim.runUntil(20 * SEC);
    const before = clients.offsetsTopic.coordinatorFor('billing');
    sim.broker(before).crash('crash');
    sim.runUntil(60 * SEC);
    const after = clients.offsetsTopic.coordinatorFor('billing');
    const loaded = ev(sim, 'group-loaded', { group: 'billing', coordinator: after })[0];
    expect(loaded).toBeDefined();
    const firstCommit = ev(sim, 'offset-committed', { group: 'billing', coordinator: after })[0];
    expect(firstCommit.t - loaded.t).toBeLessThan(1 * SEC);
  });
});

describe('fetch.min.bytes and fetch.max.wait.ms', () => {
  // 10 records/s of 100 bytes each, one record per batch (linger.ms 5): 1000 bytes a second
  const slowLoad = { producers: [producerSpec({ ratePerSec: 10, recordSizeBytes: 100 })] };
  const fetches = (sim: Simulation) => ev(sim, 'consumed', { client: 'billing-1' })
    .filter((e) => e.t > 8 * SEC)
    .map((e) => ({ t: e.t, n: (e.parts as [string, number, number][]).reduce((s, [, from, to]) => s + to - from, 0) }));

  it('a fetch with fewer than fetch.min.bytes readable waits fetch.max.wait.ms at the leader, then returns what there is', () => {
    // ReplicaManager.fetchMessages answers at once only if bytesReadable >= fetch.min.bytes;
    // DelayedFetch completes when the accumulated bytes reach it, else after maxWaitMs (500 ms).
    // 5000 bytes never accumulate at 1000 B/s within 500 ms: every fetch returns after 500 ms with
    // about 5 records (without the rule: one record per fetch, every 100 ms).
    const { sim } = story({ ...slowLoad, consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest', 'fetch.min.bytes': 5000 } })] });
    sim.runUntil(20 * SEC);
    const f = fetches(sim);
    expect(f.length).toBeGreaterThan(10);
    for (let i = 1; i < f.length; i++) expect(f[i].t - f[i - 1].t).toBeGreaterThanOrEqual(500_000);
    expect(f.reduce((s, x) => s + x.n, 0) / f.length).toBeGreaterThanOrEqual(4);
  });

  it('a parked fetch completes as soon as fetch.min.bytes are readable', () => {
    // DelayedFetch.tryComplete: accumulatedSize >= fetchMinBytes forces completion; with 300 bytes
    // (3 records) and a long wait, each fetch returns once 3 records are below the HW
    const { sim } = story({ ...slowLoad, consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest', 'fetch.min.bytes': 300, 'fetch.max.wait.ms': 10000 } })] });
    sim.runUntil(20 * SEC);
    const f = fetches(sim);
    expect(f.length).toBeGreaterThan(10);
    for (const x of f) expect(x.n).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < f.length; i++) expect(f[i].t - f[i - 1].t).toBeLessThan(1 * SEC);
  });
});

describe('max.partition.fetch.bytes', () => {
  it('bounds the records one fetch returns per partition (at least one batch, KIP-74)', () => {
    // ConsumerConfig max.partition.fetch.bytes → FetchRequest.PartitionData.maxBytes; the leader's
    // read stops before the batch that would pass it, but returns the first batch whatever its size.
    // A backlog of about 1000 of 100-byte single-record batches, read 1000 bytes at a time: 10 per fetch.
    const { sim } = story({
      producers: [producerSpec({ ratePerSec: 1000, recordSizeBytes: 100, stopUs: 1 * SEC, config: { 'linger.ms': 0 } })],
      consumers: [consumerSpec({ startUs: 5 * SEC, config: { 'auto.offset.reset': 'earliest', 'max.partition.fetch.bytes': 1000 } })],
    });
    sim.runUntil(20 * SEC);
    const sizes = ev(sim, 'consumed', { client: 'billing-1' }).map((e) => (e.parts as [string, number, number][]).reduce((s, [, from, to]) => s + to - from, 0));
    expect(sizes.reduce((s, n) => s + n, 0)).toBe(sim.ledgerSummary().acked);
    expect(sim.ledgerSummary().acked).toBeGreaterThan(900);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });
});

describe('a group whose members subscribe to different topics', () => {
  it('the leader assigns every topic some member subscribes to, not only its own', () => {
    // ConsumerCoordinator.onLeaderElected: the leader adds all members' topics to its group
    // subscription and waits for fresh metadata (updateGroupSubscription → ensureFreshMetadata)
    // before it assigns. RangeAssignor, per topic over its subscribers sorted by member id:
    // orders (2 partitions) → a-1 orders-0, b-1 orders-1; refunds (4) has one subscriber → b-1 all four.
    const { sim } = story({
      topics: [
        { name: 'orders', partitions: 2, replicationFactor: 3, replicas: [[1, 2, 3], [2, 3, 1]], config: {} },
        { name: 'refunds', partitions: 4, replicationFactor: 3, replicas: [[1, 2, 3], [2, 3, 1], [3, 1, 2], [1, 3, 2]], config: {} },
      ],
      producers: [producerSpec({ topic: 'refunds', ratePerSec: 20, keys: { kind: 'random', count: 40 } })],
      consumers: [
        consumerSpec({ id: 'a-1', group: 'g', topics: ['orders'], config: { 'auto.offset.reset': 'earliest' } }),
        consumerSpec({ id: 'b-1', group: 'g', topics: ['orders', 'refunds'], startUs: 1 * SEC, config: { 'auto.offset.reset': 'earliest' } }),
      ],
    });
    sim.runUntil(30 * SEC);
    const stable = ev(sim, 'rebalance', { group: 'g', phase: 'stable' }).at(-1)!;
    const byClient = Object.fromEntries(Object.entries(stable.assignment as Record<string, string[]>).map(([m, ps]) => [m.slice(0, 3), ps]));
    expect(byClient).toEqual({ 'a-1': ['orders-0'], 'b-1': ['orders-1', 'refunds-0', 'refunds-1', 'refunds-2', 'refunds-3'] });
    // and b-1 reads refunds
    expect(sim.ledgerSummary({ topic: 'refunds' }).consumed).toBeGreaterThan(0);
  });
});

describe('a paused consumer process', () => {
  it('closes only once it runs again: a frozen application cannot call close(), commit or leave', () => {
    // a SIGSTOPped (or GC-paused) JVM runs no thread: KafkaConsumer.close() — its commit
    // (onJoinPrepare/close: maybeAutoCommitOffsetsSync) and its LeaveGroup — happens after the resume
    const { sim } = story({
      producers: [producerSpec({ ratePerSec: 10 })],
      consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest' } })],
      timeline: [
        at(5 * SEC, { type: 'pause', node: 'billing-1', forUs: 30 * SEC }),
        at(10 * SEC, { type: 'stop-consumer', consumer: 'billing-1' }),
      ],
    });
    sim.runUntil(60 * SEC);
    const commits = ev(sim, 'offset-committed', { group: 'billing' }).filter((e) => String(e.member).startsWith('billing-1'));
    expect(commits.filter((e) => e.t > 5 * SEC && e.t < 35 * SEC)).toEqual([]);
    expect(commits.some((e) => e.t >= 35 * SEC)).toBe(true);
    expect(ev(sim, 'member-removed', { client: 'billing-1' })).toMatchObject([{ reason: 'left the group' }]);
  });
});

describe('the heartbeat thread', () => {
  it('finds the new coordinator while the application is busy processing, and keeps the member in the group', () => {
    // AbstractCoordinator.HeartbeatThread: with the coordinator unknown it looks it up itself
    // (lookupCoordinator, every retry.backoff.ms), then heartbeats the new one; the application's
    // poll() is not needed. One poll's records take 100 s (max.poll.interval.ms 200 s): the
    // coordinator dies at 20 s, moves ~9 s later, and without heartbeats would evict the member
    // session.timeout.ms (45 s) after loading the group, long before the application polls again.
    const { sim, clients } = story({
      topics: [ORDERS_3],
      producers: [producerSpec({ ratePerSec: 10, stopUs: 2 * SEC })],
      consumers: [consumerSpec({
        config: { 'auto.offset.reset': 'earliest', 'max.poll.interval.ms': 200000 },
        application: { processing: { perRecord: { minUs: 0, maxUs: 0 }, perPollUs: 100 * SEC }, commit: 'sync' },
      })],
    });
    sim.runUntil(20 * SEC);
    const before = clients.offsetsTopic.coordinatorFor('billing');
    sim.broker(before).crash('crash');
    sim.runUntil(100 * SEC);
    expect(clients.offsetsTopic.coordinatorFor('billing')).not.toBe(before);
    expect(ev(sim, 'member-removed', { group: 'billing' })).toEqual([]);
  });
});

describe('kafka-consumer-groups --describe', () => {
  it('shows no member against a partition while the group rebalances', () => {
    // GroupMetadataManager.describeGroups: a classic group not Stable describes its members without
    // metadata or assignment (describeNoMetadata), so the tool lists each partition with a committed
    // offset under no consumer ('-') until the group is Stable again
    const { sim, clients } = story({
      topics: [topic('orders', [[1, 2, 3], [2, 3, 1]])],
      producers: [producerSpec({ ratePerSec: 20, keys: { kind: 'random', count: 10 } })],
      consumers: [
        earliest('billing-1'),
        earliest('billing-2', { startUs: 20 * SEC }),
      ],
    });
    sim.runUntil(19 * SEC);
    expect(clients.describeGroup('billing').map((r) => r.clientId)).toEqual(['billing-1', 'billing-1']);
    expect(stepUntil(sim, () => clients.groupState('billing') === 'PreparingRebalance', 30 * SEC)).toBeDefined();
    expect(clients.describeGroup('billing').map((r) => [r.partition, r.clientId])).toEqual([[0, undefined], [1, undefined]]);
    expect(stepUntil(sim, () => clients.groupState('billing') === 'Stable', 40 * SEC)).toBeDefined();
    expect(clients.describeGroup('billing').map((r) => r.clientId).sort()).toEqual(['billing-1', 'billing-2']);
  });
});

describe('a consumer whose partition has no leader', () => {
  it('keeps refreshing its metadata and fetches as soon as a leader is back', () => {
    // AbstractFetch skips a partition without a leader and requests a metadata update; the consumer's
    // poll loop sends it when Metadata.timeToNextUpdate allows (retry.backoff.ms, growing to
    // retry.backoff.max.ms), so the new leader is known within about a second of its election, with
    // no commit timer to wake the loop (enable.auto.commit=false)
    const { sim } = story({
      brokers: [1, 2],
      topics: [topic('orders', [[1]])],
      producers: [producerSpec({ ratePerSec: 10 })],
      consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest', 'enable.auto.commit': false } })],
      timeline: [at(10 * SEC, { type: 'crash', nodes: [1] }), at(30 * SEC, { type: 'restart', nodes: [1] })],
    });
    sim.runUntil(60 * SEC);
    const elected = ev(sim, 'leader-elected', { partition: 'orders-0' }).find((e) => e.t > 30 * SEC);
    expect(elected).toBeDefined();
    const next = ev(sim, 'consumed', { client: 'billing-1' }).find((e) => e.t > 30 * SEC);
    expect(next).toBeDefined();
    expect(next!.t - elected!.t).toBeLessThan(2 * SEC);
  });
});

describe('retry.backoff.max.ms (KIP-580, 3.7)', () => {
  it('a consumer waiting for a leader refreshes its metadata with a backoff growing to retry.backoff.max.ms', () => {
    // Metadata (ConsumerConfig retry.backoff.ms 100, retry.backoff.max.ms 1000): a response that
    // taught nothing new spaces the next one by retry.backoff.ms × 2^n (±20% jitter), capped at 1 s;
    // over 20 s without a leader that is about 20 requests, not one every 100 ms (200)
    const { sim } = story({
      brokers: [1, 2],
      topics: [topic('orders', [[1]])],
      producers: [producerSpec({ ratePerSec: 10, stopUs: 5 * SEC })],
      consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest' } })],
      timeline: [at(10 * SEC, { type: 'crash', nodes: [1] })],
    });
    sim.runUntil(50 * SEC);
    const refreshes = sim.trace.events.filter((e) => e.type === 'msg' && e.k === 'metadata' && e.f === 'billing-1' && e.t > 25 * SEC && e.t < 45 * SEC);
    expect(refreshes.length).toBeGreaterThan(10);
    expect(refreshes.length).toBeLessThan(40);
  });
});

describe('the commit before a rebalance (onJoinPrepare)', () => {
  it('is retried after a retriable failure until it succeeds, before the member revokes and rejoins', () => {
    // ConsumerCoordinator.onJoinPrepare: an auto-commit that fails with a retriable error (the
    // coordinator died under it) is retried every retry.backoff.ms until the rebalance timeout;
    // only then, or on success, are the partitions revoked. So the member's positions are committed
    // (at the group's next coordinator) and no record it processed is processed again.
    const { sim, clients } = story({
      topics: [ORDERS_3],
      producers: [keyed(100)],
      consumers: [
        earliest('billing-1'),
        earliest('billing-2', { startUs: 20 * SEC }),
      ],
    });
    sim.runUntil(20 * SEC);
    const coordinator = clients.offsetsTopic.coordinatorFor('billing');
    // billing-1 hears of the rebalance; its commit goes to a coordinator that has just died
    expect(stepUntil(sim, () => ev(sim, 'rejoin-requested', { client: 'billing-1' }).length > 0, 30 * SEC)).toBeDefined();
    sim.broker(coordinator).crash('crash');
    sim.runUntil(90 * SEC);
    expect(ev(sim, 'commit-failed', { client: 'billing-1', why: 'before-rebalance' }).length).toBeGreaterThan(0);
    expect(ev(sim, 'rebalance', { group: 'billing', phase: 'stable' }).at(-1)!.generation).toBeGreaterThanOrEqual(2);
    expect(sim.ledger.processingAnomalies({ group: 'billing' }).filter((a) => a.kind === 'duplicate')).toEqual([]);
  });
});

describe('close()', () => {
  it('retries its commit through a coordinator move within the close timeout, then leaves', () => {
    // ConsumerCoordinator.close → maybeAutoCommitOffsetsSync(timer) → commitOffsetsSync: retriable
    // failures are retried (after looking the coordinator up again) until the close timeout (30 s,
    // KafkaConsumer.DEFAULT_CLOSE_TIMEOUT_MS); the coordinator moves ~9 s after its broker dies, so
    // the positions are committed and the member that takes over processes nothing twice
    const { sim, clients } = story({
      topics: [ORDERS_3],
      producers: [keyed(100)],
      consumers: [
        earliest('billing-1'),
        earliest('billing-2'),
      ],
    });
    sim.runUntil(22 * SEC);
    const coordinator = clients.offsetsTopic.coordinatorFor('billing');
    sim.broker(coordinator).crash('crash');
    clients.consumer('billing-2').stopConsumer();
    sim.runUntil(90 * SEC);
    const commits = ev(sim, 'offset-committed', { group: 'billing' }).filter((e) => String(e.member).startsWith('billing-2') && e.t > 22 * SEC);
    expect(commits.length).toBeGreaterThan(0);
    expect(commits[0].t).toBeLessThan(22 * SEC + 30 * SEC);
    expect(sim.ledger.processingAnomalies({ group: 'billing' }).filter((a) => a.kind === 'duplicate')).toEqual([]);
  });
});

describe('commitSync()', () => {
  it('blocks the application through a coordinator move, retrying until it commits (default.api.timeout.ms)', () => {
    // ConsumerCoordinator.commitOffsetsSync(offsets, timer of default.api.timeout.ms = 60 s): it waits
    // for a coordinator (ensureCoordinatorReady) and retries retriable failures; the application
    // thread is inside commitSync() meanwhile, so it polls no new records until the commit succeeds
    const { sim, clients } = story({
      topics: [ORDERS_3],
      producers: [keyed(100)],
      consumers: [consumerSpec({
        config: { 'auto.offset.reset': 'earliest', 'enable.auto.commit': false },
        application: { processing: { perRecord: { minUs: 1000, maxUs: 1000 }, perPollUs: 0 }, commit: 'sync' },
      })],
    });
    sim.runUntil(20 * SEC);
    const before = clients.offsetsTopic.coordinatorFor('billing');
    sim.broker(before).crash('crash');
    sim.runUntil(60 * SEC);
    const after = clients.offsetsTopic.coordinatorFor('billing');
    const failed = ev(sim, 'commit-failed', { client: 'billing-1' }).find((e) => e.t > 20 * SEC);
    expect(failed).toBeDefined();
    const committed = ev(sim, 'offset-committed', { group: 'billing', coordinator: after })[0];
    expect(committed).toBeDefined();
    expect(ev(sim, 'records-polled', { client: 'billing-1' }).filter((e) => e.t > failed!.t && e.t < committed.t)).toEqual([]);
  });
});

describe('a new leader learnt from a fetch error (KIP-951)', () => {
  it('is validated (KIP-320) before the consumer fetches from it: a truncation resets to where the logs diverge, not by auto.offset.reset', () => {
    // AbstractFetch.handleFetchSuccess: NOT_LEADER_OR_FOLLOWER with currentLeader updates the metadata
    // (updatePartitionLeadership) and then subscriptions.maybeValidatePositionForCurrentLeader, so
    // the position is checked with OffsetsForLeaderEpoch: the unclean leader's epoch 0 ends where
    // broker 1's log was truncated, and the consumer resets there ('log-truncation'); without the
    // validation its fetch at the new leader is out of range and auto.offset.reset=earliest sends it to 0
    const { sim } = story({
      brokerConfig: { 'unclean.leader.election.enable': true },
      producers: [producerSpec({ ratePerSec: 20, config: { acks: 1 } })],
      consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest' } })],
      timeline: [
        at(5 * SEC, { type: 'partition', groups: [[1], [2, 3]] }),
        at(50 * SEC, { type: 'partition', groups: [[1, 'checkout', 'billing-1'], [2, 3, 'controller']] }),
        at(70 * SEC, { type: 'heal', node: 'all' }),
      ],
    });
    sim.runUntil(90 * SEC);
    expect(ev(sim, 'unclean-election', { partition: 'orders-0' })).toHaveLength(1);
    const truncated = ev(sim, 'truncated', { broker: 1, partition: 'orders-0' })[0];
    expect(truncated).toBeDefined();
    const resets = ev(sim, 'offset-reset', { client: 'billing-1' }).filter((e) => e.t > 70 * SEC);
    expect(resets).toMatchObject([{ reason: 'log-truncation', to: truncated.to }]);
  });
});

describe('fetch.min.bytes 0', () => {
  it('the leader answers at once, even with nothing to return', () => {
    // ReplicaManager.fetchMessages: bytesReadable >= params.minBytes holds for 0, so the fetch is
    // never parked: with no new records each fetch is answered after one round trip (2 ms here),
    // not after fetch.max.wait.ms (500 ms)
    const { sim } = story({
      producers: [producerSpec({ ratePerSec: 10, stopUs: 2 * SEC })],
      consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest', 'fetch.min.bytes': 0 } })],
    });
    sim.runUntil(12 * SEC);
    const empty = sim.trace.events.filter((e) => e.type === 'rt' && e.k === 'fetch' && e.f === 'billing-1' && e.t > 10 * SEC);
    expect(empty.length).toBeGreaterThan(500);
    for (const e of empty) expect(Number(e.r) - Number(e.a)).toBe(0);
  });
});

describe('the cooperative protocol during the commit before a rebalance', () => {
  it('keeps returning records of the partitions it owns (only the eager protocol marks them pending revocation)', () => {
    // ConsumerCoordinator.maybeMarkPartitionsPendingRevocation returns at once unless the protocol is
    // EAGER; a cooperative member's poll() keeps returning records while onJoinPrepare's commit is retried
    const coop = { 'auto.offset.reset': 'earliest', 'partition.assignment.strategy': ['cooperative-sticky'] };
    const { sim, clients } = story({
      topics: [ORDERS_3],
      producers: [keyed(100)],
      consumers: [consumerSpec({ id: 'billing-1', config: coop }), consumerSpec({ id: 'billing-2', startUs: 20 * SEC, config: coop })],
    });
    sim.runUntil(20 * SEC);
    const coordinator = clients.offsetsTopic.coordinatorFor('billing');
    expect(stepUntil(sim, () => ev(sim, 'rejoin-requested', { client: 'billing-1' }).length > 0, 30 * SEC)).toBeDefined();
    sim.broker(coordinator).crash('crash');
    sim.runUntil(60 * SEC);
    const failed = ev(sim, 'commit-failed', { client: 'billing-1', why: 'before-rebalance' })[0];
    expect(failed).toBeDefined();
    const committed = ev(sim, 'offset-committed', { group: 'billing' }).find((e) => e.t > failed.t && String(e.member).startsWith('billing-1'))!;
    expect(committed).toBeDefined();
    expect(ev(sim, 'consumed', { client: 'billing-1' }).filter((e) => e.t > failed.t && e.t < committed.t).length).toBeGreaterThan(0);
  });
});

describe('a group moving away from a live coordinator', () => {
  it('answers the JoinGroup requests waiting there with NOT_COORDINATOR, so the members rejoin at the new one', () => {
    // GroupCoordinator.onResignation → onGroupUnloaded: the group becomes Dead and every member
    // awaiting a JoinGroup or SyncGroup answer gets NOT_COORDINATOR at once (they look the
    // coordinator up again). Here the preferred-leader rebalance moves __consumer_offsets back to the
    // restarted broker in the middle of a rebalance.
    const { sim, clients } = story({
      topics: [ORDERS_3],
      producers: [keyed(50)],
      consumers: [
        earliest('billing-1'),
        earliest('billing-2', { startUs: 40 * SEC }),
      ],
    });
    sim.runUntil(10 * SEC);
    const preferred = clients.offsetsTopic.coordinatorFor('billing');
    sim.broker(preferred).crash('crash');
    sim.runUntil(20 * SEC);
    sim.broker(preferred).restart();
    sim.runUntil(40 * SEC);
    expect(clients.offsetsTopic.coordinatorFor('billing')).not.toBe(preferred);
    expect(stepUntil(sim, () => clients.groupState('billing') === 'PreparingRebalance', 50 * SEC)).toBeDefined();
    const movedAt = sim.now;
    clients.offsetsTopic.preferredLeaderRebalance();
    expect(clients.offsetsTopic.coordinatorFor('billing')).toBe(preferred);
    sim.runUntil(movedAt + 15 * SEC);
    const stable = ev(sim, 'rebalance', { group: 'billing', phase: 'stable', coordinator: preferred }).filter((e) => e.t > movedAt);
    expect(stable.length).toBeGreaterThan(0);
    expect(Object.keys(stable.at(-1)!.assignment as object)).toHaveLength(2);
  });
});

describe('an eager member whose application takes time, during the commit before a rebalance', () => {
  it('gets no records from poll() until the rebalance is done (its partitions are pending revocation)', () => {
    // ConsumerCoordinator.maybeMarkPartitionsPendingRevocation (EAGER): while onJoinPrepare's commit is
    // under way (here retried through a coordinator move) the FetchCollector returns nothing of them
    const { sim, clients } = story({
      topics: [ORDERS_3],
      producers: [keyed(100)],
      consumers: [
        consumerSpec({ id: 'billing-1', config: { 'auto.offset.reset': 'earliest' }, application: { processing: { perRecord: { minUs: 100, maxUs: 100 }, perPollUs: 0 }, commit: 'auto' } }),
        earliest('billing-2', { startUs: 20 * SEC }),
      ],
    });
    sim.runUntil(20 * SEC);
    const coordinator = clients.offsetsTopic.coordinatorFor('billing');
    expect(stepUntil(sim, () => ev(sim, 'rejoin-requested', { client: 'billing-1' }).length > 0, 30 * SEC)).toBeDefined();
    sim.broker(coordinator).crash('crash');
    sim.runUntil(60 * SEC);
    const failed = ev(sim, 'commit-failed', { client: 'billing-1', why: 'before-rebalance' })[0];
    expect(failed).toBeDefined();
    const committed = ev(sim, 'offset-committed', { group: 'billing' }).find((e) => e.t > failed.t && String(e.member).startsWith('billing-1'))!;
    expect(committed).toBeDefined();
    expect(ev(sim, 'records-polled', { client: 'billing-1' }).filter((e) => e.t > failed.t && e.t <= committed.t)).toEqual([]);
  });
});

describe('a fetch answered UNKNOWN_LEADER_EPOCH', () => {
  it('is retried without asking for new metadata (the broker is behind the client, not the other way round)', () => {
    // FetchCollector.handleInitializeErrors: UNKNOWN_LEADER_EPOCH is only logged ("Received unknown
    // leader epoch error in fetch"); NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH and the like call
    // requestMetadataUpdate. Here the consumer believes in an epoch one above the leader's, so every
    // fetch is answered UNKNOWN_LEADER_EPOCH; metadata.max.age.ms (5 min) is far away.
    const { sim, clients } = story({
      producers: [producerSpec({ ratePerSec: 10 })],
      consumers: [consumerSpec({ config: { 'auto.offset.reset': 'earliest' } })],
    });
    sim.runUntil(10 * SEC);
    const p = sim.partition('orders-0')!;
    clients.consumer('billing-1').consumer.metadata.updateLeader('orders', 0, p.leader!, p.leaderEpoch + 1);
    sim.runUntil(20 * SEC);
    const unknown = sim.trace.events.filter((e) => e.type === 'rt' && e.k === 'fetch' && e.f === 'billing-1' && e.t > 10 * SEC);
    expect(unknown.length).toBeGreaterThan(0);
    // (the fetch in flight at 10 s still carried the old epoch: its records arrive; none after it)
    expect(ev(sim, 'consumed', { client: 'billing-1' }).filter((e) => e.t > 10.05 * SEC)).toEqual([]);
    const asked = sim.trace.events.filter((e) => e.type === 'msg' && e.k === 'metadata' && e.f === 'billing-1' && e.t > 10 * SEC);
    expect(asked).toEqual([]);
  });
});
