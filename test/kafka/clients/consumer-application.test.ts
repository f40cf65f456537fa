// Consumers that take time (`processing:`, `commit:`; issue 17) on the real cluster, with expected values
// derived from Kafka's rules: lag grows by production − processing capacity; max.poll.interval.ms is
// enforced on the client, which leaves the group at that moment (AbstractCoordinator.HeartbeatThread:
// Heartbeat.pollTimeoutExpired → maybeLeaveGroup); the heartbeat thread keeps a member that polls
// within max.poll.interval.ms in the group however long past session.timeout.ms it processes; and after
// a crash in the middle of a batch, what each commit mode processes twice or skips.
import { describe, it, expect } from 'vitest';
import { MS, SEC } from '../../../sim/engine/index.ts';
import type { Simulation } from '../../../sim/kafka/index.ts';
import type { CommitMode, ConsumerSpec } from '../../../sim/kafka/spec.ts';
import { groupLag } from '../../../sim/kafka/clients/lag.ts';
import { topic } from '../support/cluster.ts';
import { producerSpec, consumerSpec } from './helpers.ts';
import { at, story } from './story.ts';

const ev = (sim: Simulation, type: string, where: Record<string, unknown> = {}) =>
  sim.trace.events.filter((e) => e.type === type && Object.entries(where).every(([k, v]) => e[k] === v));
const lag = (sim: Simulation, group: string) => groupLag(sim.parts.groupQueries.groupOffsets(group));

/** A consumer whose application takes `perRecordMs` per record and commits per `commit`. */
function slow(id: string, perRecordMs: number, commit: CommitMode, config: Record<string, unknown> = {}, over: Partial<ConsumerSpec> = {}): ConsumerSpec {
  return consumerSpec({
    id, config: { 'auto.offset.reset': 'earliest', ...config } as ConsumerSpec['config'],
    application: { processing: { perRecord: { minUs: perRecordMs * MS, maxUs: perRecordMs * MS }, perPollUs: 0 }, commit }, ...over,
  });
}

const twoPartitions = [topic('orders', [[1, 2, 3], [2, 3, 1]])];
const onePartition = [topic('orders', [[1, 2, 3]])];

describe('a consumer that takes time', () => {
  it('lag grows by the production rate minus the processing capacity', () => {
    // 200 records/s produced; 10 ms per record is a capacity of 100 records/s. With a backlog the
    // application is never idle, so the committed offset advances 100/s and the lag (HW − committed)
    // by 200 − 100 = 100 records/s: 2000 over 20 s, give or take one poll (50 records) at either end.
    const { sim } = story({
      topics: twoPartitions,
      producers: [producerSpec({ ratePerSec: 200, partitioner: 'round-robin' })],
      consumers: [slow('billing-1', 10, 'sync', { 'max.poll.records': 50 })],
    });
    sim.runUntil(20 * SEC);
    const at20 = lag(sim, 'billing')!;
    sim.runUntil(40 * SEC);
    const at40 = lag(sim, 'billing')!;
    expect(at40 - at20).toBeGreaterThanOrEqual(2000 - 100);
    expect(at40 - at20).toBeLessThanOrEqual(2000 + 100);
  });

  it('with capacity above the production rate, lag stays within what one poll holds', () => {
    // 2 ms per record is 500 records/s against 200 produced: the consumer keeps up; the lag is at most
    // what was produced during one poll's processing plus the records of that poll (max.poll.records 50)
    const { sim } = story({
      topics: twoPartitions,
      producers: [producerSpec({ ratePerSec: 200, partitioner: 'round-robin' })],
      consumers: [slow('billing-1', 2, 'sync', { 'max.poll.records': 50 })],
    });
    sim.runUntil(40 * SEC);
    expect(lag(sim, 'billing')).toBeLessThanOrEqual(100);
    expect(sim.ledger.processing({ group: 'billing' }).processed).toBeGreaterThan(7000);
  });

  it('a consumer that processes longer than max.poll.interval.ms leaves the group then, and its partitions are reassigned', () => {
    // 500 records (max.poll.records' default) × 20 ms = 10 s of processing > max.poll.interval.ms 5 s:
    // the heartbeat thread leaves the group exactly max.poll.interval.ms after the poll that returned them
    const { sim } = story({
      topics: twoPartitions,
      producers: [producerSpec({ ratePerSec: 400, partitioner: 'round-robin', stopUs: 5 * SEC })],
      consumers: [
        slow('billing-1', 20, 'sync', { 'max.poll.interval.ms': 5000 }, { startUs: 6 * SEC }),
        slow('billing-2', 1, 'sync', { 'max.poll.interval.ms': 5000 }, { startUs: 6 * SEC }),
      ],
    });
    sim.runUntil(40 * SEC);
    const polled = ev(sim, 'records-polled', { client: 'billing-1' });
    const timeout = ev(sim, 'poll-timeout', { client: 'billing-1' });
    expect(polled.length).toBeGreaterThan(0);
    expect(timeout.length).toBeGreaterThan(0);
    expect(timeout[0].t).toBe(polled[0].t + 5 * SEC);
    // the coordinator hears the LeaveGroup one link later and hands both partitions to billing-2
    const removed = ev(sim, 'member-removed', { client: 'billing-1' });
    expect(removed[0].reason).toBe('left the group: consumer poll timeout has expired');
    const after = sim.trace.events.find((e) => e.type === 'rebalance' && e.phase === 'stable' && e.t > timeout[0].t);
    const assignment = after?.assignment as Record<string, string[]>;
    const owner = Object.entries(assignment).find(([m]) => m.startsWith('billing-2-'));
    expect(owner?.[1]).toEqual(['orders-0', 'orders-1']);
    // its commit after the batch fails: it is no longer in the group (CommitFailedException)
    expect(ev(sim, 'commit-failed', { client: 'billing-1', error: 'CommitFailedException' }).length).toBeGreaterThan(0);
    // billing-2 never processed longer than 5 s, so it never timed out
    expect(ev(sim, 'poll-timeout', { client: 'billing-2' })).toHaveLength(0);
  });

  it('the heartbeat thread keeps a slow consumer that still polls within max.poll.interval.ms in the group past session.timeout.ms', () => {
    // 500 × 20 ms = 10 s per poll, longer than session.timeout.ms (6 s), shorter than max.poll.interval.ms
    // (5 min): heartbeats every 2 s from the background thread reach the coordinator, so no eviction and
    // no rebalance after the first; every record is processed once
    const { sim } = story({
      topics: onePartition,
      producers: [producerSpec({ ratePerSec: 200, stopUs: 10 * SEC })],
      consumers: [slow('billing-1', 20, 'sync', { 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 2000 }, { startUs: 10 * SEC })],
    });
    sim.runUntil(60 * SEC);
    const polled = ev(sim, 'records-polled', { client: 'billing-1' });
    expect(polled[0].records).toBe(500);
    expect(Number(polled[1].t) - Number(polled[0].t)).toBeGreaterThan(6 * SEC);
    expect(ev(sim, 'member-removed')).toHaveLength(0);
    expect(ev(sim, 'poll-timeout')).toHaveLength(0);
    expect(ev(sim, 'rebalance', { phase: 'stable' })).toHaveLength(1);
    const p = sim.ledger.processing({ group: 'billing' });
    expect(p.processed).toBe(2000);
    expect(p.duplicatesProcessed).toBe(0);
    expect(lag(sim, 'billing')).toBe(0);
  });
});

describe('a rebalance while a member processes', () => {
  it('waits for the busy member to rejoin at its next poll() (within max.poll.interval.ms, the rebalance timeout)', () => {
    // billing-1 processes 100 records × 40 ms = 4 s per poll; billing-2 starts at 20 s. The coordinator's
    // DelayedJoin completes when every known member has rejoined, and billing-1 rejoins only in its next
    // poll(), after the batch it holds: the join phase ends right after billing-1's batch, not at once
    const { sim } = story({
      topics: twoPartitions,
      producers: [producerSpec({ ratePerSec: 200, partitioner: 'round-robin', stopUs: 10 * SEC })],
      consumers: [slow('billing-1', 40, 'sync', { 'max.poll.records': 100 }), slow('billing-2', 40, 'sync', { 'max.poll.records': 100 }, { startUs: 20 * SEC })],
    });
    sim.runUntil(40 * SEC);
    const prepare = ev(sim, 'rebalance', { phase: 'prepare' }).find((e) => Number(e.t) >= 20 * SEC)!;
    const joined = ev(sim, 'rebalance', { phase: 'join' }).find((e) => Number(e.t) > Number(prepare.t))!;
    const batchEnd = ev(sim, 'records-processed', { client: 'billing-1' }).find((e) => Number(e.t) >= Number(prepare.t))!;
    expect(Number(batchEnd.t)).toBeGreaterThan(Number(prepare.t) + 100 * MS);
    // the JoinGroup leaves billing-1 after its batch (and its commitSync): a few network hops later
    expect(Number(joined.t)).toBeGreaterThan(Number(batchEnd.t));
    expect(Number(joined.t)).toBeLessThan(Number(batchEnd.t) + 100 * MS);
    expect(ev(sim, 'member-removed')).toHaveLength(0);
  });
});

describe('scaling a group from the timeline', () => {
  it('stop-consumer lets the batch finish and be committed, then leaves the group: the next owner processes nothing twice', () => {
    // KafkaConsumer.close() is called by the application between polls: its batch ends, commitSync
    // stores its end, close() sends LeaveGroup and the coordinator rebalances at once (no session wait)
    const config = { 'max.poll.records': 100 };
    const { sim } = story({
      topics: onePartition,
      producers: [producerSpec({ ratePerSec: 200, stopUs: 5 * SEC })],
      consumers: [slow('billing-a', 10, 'sync', config, { startUs: 6 * SEC }), slow('billing-b', 10, 'sync', config, { startUs: 6 * SEC })],
      timeline: [at(16_345 * MS, { type: 'stop-consumer', consumer: 'billing-a' })],
    });
    sim.runUntil(40 * SEC);
    const stopAt = 16_345 * MS;
    const lastBatch = ev(sim, 'records-processed', { client: 'billing-a' }).pop()!;
    expect(Number(lastBatch.t)).toBeGreaterThan(stopAt);
    const [[, , end]] = lastBatch.parts as [string, number, number][];
    const commit = ev(sim, 'offset-committed').find((e) => Number(e.t) >= Number(lastBatch.t) && String(e.member).startsWith('billing-a-'))!;
    expect((commit.offsets as [string, number][])[0][1]).toBe(end);
    const left = ev(sim, 'member-removed', { client: 'billing-a' });
    expect(left).toHaveLength(1);
    expect(left[0].reason).toBe('left the group');
    expect(Number(left[0].t)).toBeGreaterThan(Number(commit.t));
    expect(ev(sim, 'consumer-closed', { client: 'billing-a' })).toHaveLength(1);
    expect(ev(sim, 'processing-interrupted')).toHaveLength(0);
    const p = sim.ledger.processing({ group: 'billing' });
    expect([p.processed, p.duplicatesProcessed, p.skipped]).toEqual([1000, 0, 0]);
  });

  it('start-consumer of a consumer already running is skipped, and says why', () => {
    const { sim } = story({
      topics: onePartition,
      consumers: [slow('billing-a', 1, 'sync')],
      timeline: [at(5 * SEC, { type: 'start-consumer', consumer: 'billing-a' }), at(6 * SEC, { type: 'crash-consumer', consumer: 'billing-a' }), at(7 * SEC, { type: 'crash-consumer', consumer: 'billing-a' })],
    });
    sim.runUntil(10 * SEC);
    expect(ev(sim, 'step-skipped').map((e) => [e.action, e.reason])).toEqual([
      ['start-consumer', 'consumer billing-a is already running'],
      ['crash-consumer', 'consumer billing-a has already crashed'],
    ]);
    expect(ev(sim, 'client-crashed', { client: 'billing-a' })).toHaveLength(1);
  });
});

describe('a crash in the middle of a batch, per commit mode', () => {
  // One partition of 1000 records (200/s for 5 s). billing-a owns it (range: the first member id),
  // billing-b waits idle. From its first poll billing-a polls 100 records at a time, 10 ms each; it dies at 18.345 s (the group forms at about 12 s: the initial rebalance delay, then a rejoin), with about 300 records left.
  // After session.timeout.ms (6 s) billing-b gets the partition and resumes from the committed offset.
  const crashAt = 18_345 * MS;
  function run(commit: CommitMode) {
    const config = { 'max.poll.records': 100, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 2000 };
    const { sim } = story({
      topics: onePartition,
      producers: [producerSpec({ ratePerSec: 200, stopUs: 5 * SEC })],
      consumers: [slow('billing-a', 10, commit, config, { startUs: 6 * SEC }), slow('billing-b', 10, commit, config, { startUs: 6 * SEC })],
      timeline: [at(crashAt, { type: 'crash-consumer', consumer: 'billing-a' })],
    });
    sim.runUntil(60 * SEC);
    const interrupted = ev(sim, 'processing-interrupted', { client: 'billing-a' })[0];
    const [[, from, to]] = interrupted.unprocessed as [string, number, number][];
    const processedEnd = (interrupted.processed as [string, number, number][])[0]?.[2] ?? from;
    const lastPoll = ev(sim, 'records-polled', { client: 'billing-a' }).pop()!;
    return { sim, p: sim.ledger.processing({ group: 'billing' }), from, to, processedEnd, lastPoll };
  }

  it('sync (commit after processing): the processed part of the batch is processed again, nothing is skipped', () => {
    const { p, lastPoll, processedEnd } = run('sync');
    const [[, batchStart, batchEnd]] = lastPoll.parts as [string, number, number][];
    expect(batchEnd - batchStart).toBe(100);
    // the batch started processing when poll() returned it; a record is processed 10 ms after the one
    // before: ⌊(crash − poll) / 10 ms⌋ of them were done, and the committed offset is the batch's start
    const done = Math.floor((crashAt - Number(lastPoll.t)) / (10 * MS));
    expect(processedEnd - batchStart).toBe(done);
    expect(done).toBeGreaterThan(0);
    expect(p.duplicatesProcessed).toBe(done);
    expect(p.skipped).toBe(0);
    expect(p.processed).toBe(1000);
  });

  it('sync: a crash while the commit after processing is in flight leaves nothing unprocessed', () => {
    const config = { 'max.poll.records': 100, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 2000 };
    const build = (crashUs?: number) => story({
      topics: onePartition,
      producers: [producerSpec({ ratePerSec: 200, stopUs: 5 * SEC })],
      consumers: [slow('billing-a', 10, 'sync', config, { startUs: 6 * SEC }), slow('billing-b', 10, 'sync', config, { startUs: 6 * SEC })],
      timeline: crashUs === undefined ? [] : [at(crashUs, { type: 'crash-consumer', consumer: 'billing-a' })],
    }).sim;
    // the same run up to the crash (a step has a random stream of its own): find a batch's end, crash 1 µs later
    const first = build();
    first.runUntil(20 * SEC);
    const batchEnd = ev(first, 'records-processed', { client: 'billing-a' }).find((e) => Number(e.t) > 15 * SEC)!;
    const sim = build(Number(batchEnd.t) + 1);
    sim.runUntil(60 * SEC);
    expect(ev(sim, 'processing-interrupted')).toHaveLength(0);
    const [[, from, to]] = batchEnd.parts as [string, number, number][];
    // the OffsetCommit left before the crash; if the coordinator stored it, nothing is processed twice, else the batch is
    const landed = ev(sim, 'offset-committed').some((e) => String(e.member).startsWith('billing-a-') && (e.offsets as [string, number][])[0][1] === to);
    const p = sim.ledger.processing({ group: 'billing' });
    expect(p.duplicatesProcessed).toBe(landed ? 0 : to - from);
    expect([p.processed, p.skipped]).toEqual([1000, 0]);
  });

  it('async (commitAsync after processing): the same as sync — the previous batch was committed', () => {
    const { p, lastPoll, processedEnd } = run('async');
    const [[, batchStart]] = lastPoll.parts as [string, number, number][];
    expect(p.duplicatesProcessed).toBe(processedEnd - batchStart);
    expect(processedEnd - batchStart).toBe(Math.floor((crashAt - Number(lastPoll.t)) / (10 * MS)));
    expect(p.skipped).toBe(0);
  });

  it('before-processing (commit, then process): the unprocessed rest of the batch is skipped, nothing is processed twice', () => {
    const { sim, p, from, to, lastPoll } = run('before-processing');
    const [[, , batchEnd]] = lastPoll.parts as [string, number, number][];
    // the batch's end was committed before processing began; what the crash left unprocessed is never processed
    expect(to).toBe(batchEnd);
    expect(sim.parts.groupQueries.groupOffsets('billing')[0].committed).toBe(1000);
    expect(p.skipped).toBe(to - from);
    expect(to - from).toBeGreaterThan(0);
    expect(p.duplicatesProcessed).toBe(0);
    expect(p.processed).toBe(1000 - (to - from));
    const skip = sim.ledger.processingAnomalies({ group: 'billing' }).find((a) => a.kind === 'skipped');
    expect(skip?.reason).toBe('committed-before-processing');
  });

  it('none (never commits): the survivor starts over from auto.offset.reset, so everything processed is processed again', () => {
    const { p, processedEnd } = run('none');
    expect(p.duplicatesProcessed).toBe(processedEnd);
    expect(p.skipped).toBe(0);
  });

  it('auto (enable.auto.commit): what was processed since the last auto-commit is processed again', () => {
    const { sim, p, processedEnd } = run('auto');
    // the last offset billing-a's poll() auto-committed before it died (every auto.commit.interval.ms, 5 s,
    // the positions of what earlier polls returned, all processed by then)
    const commits = ev(sim, 'offset-committed').filter((e) => e.t < crashAt && String(e.member).startsWith('billing-a-'));
    expect(commits.length).toBeGreaterThan(0);
    const lastCommitted = (commits.pop()!.offsets as [string, number][])[0][1];
    expect(lastCommitted).toBeGreaterThan(0);
    expect(p.duplicatesProcessed).toBe(processedEnd - lastCommitted);
    expect(p.skipped).toBe(0);
  });
});
