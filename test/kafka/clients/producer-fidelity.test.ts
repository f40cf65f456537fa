// Producer rules an outside Kafka expert would check, each against the Java client's own class (cited
// per test): the retry backoff (ExponentialBackoff, ProducerBatch.reenqueued), the order retried
// batches go out in (RecordAccumulator.reenqueue), the epoch bumps after expired batches
// (TransactionManager.maybeResolveSequences) and the spacing of metadata refreshes (Metadata.timeToAllowUpdate).
import { describe, it, expect } from 'vitest';
import { MS, SEC, RandomStreams } from '../../../sim/engine/index.ts';
import { ExponentialBackoff } from '../../../sim/kafka/clients/backoff.ts';
import { FakeCluster } from './fake-cluster.ts';
import { attachProducer, producerSpec } from './helpers.ts';
import { partitionForKey } from '../../../sim/kafka/clients/murmur2.ts';

describe('ExponentialBackoff (clients/…/common/utils/ExponentialBackoff.java)', () => {
  it('a retry.backoff.ms above retry.backoff.max.ms gives a constant backoff of retry.backoff.max.ms', () => {
    // ExponentialBackoff: initialInterval = min(maxInterval, initialInterval), and expMax = 0, so
    // backoff(n) = initialInterval = 1000 ms for every n (CommonClientConfigs: "retry.backoff.max.ms
    // will be used as a constant backoff from the beginning")
    const b = new ExponentialBackoff(5000 * MS, 1000 * MS, new RandomStreams(1).stream('t'));
    for (let n = 0; n < 6; n++) expect(b.backoff(n)).toBe(1000 * MS);
  });
});

describe('the retry backoff counts from the failure (ProducerBatch.reenqueued, waitedTimeMs)', () => {
  it('a batch whose request timed out is sent again retry.backoff.ms after the timeout, not at once', () => {
    const c = new FakeCluster([1], [1]);
    // one record; the broker keeps its answers for the first second, so the request times out
    c.swallowResponses.add(1);
    attachProducer(c.network, producerSpec({
      ratePerSec: 10, stopUs: 50 * MS,
      config: { 'request.timeout.ms': 1000, 'retry.backoff.ms': 500, 'retry.backoff.max.ms': 500, 'linger.ms': 0 },
    }), [1]);
    c.scheduler.runUntil(1100 * MS);
    c.swallowResponses.delete(1);
    c.scheduler.runUntil(5 * SEC);
    const times = c.received.map(([t]) => t);
    expect(times.length).toBe(2);
    // sent at s (received at s + 1 ms); timed out at s + 1000 ms; reenqueued then (lastAttemptMs = now),
    // so the next send waits retry.backoff.ms (a constant 500 ms here: max = initial, no jitter) from
    // the timeout: received at s + 1000 + 500 + 1 at the earliest. Counting from the send, as before,
    // it went out as soon as the connection was back (~1050 ms after the first)
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1500 * MS);
    expect(times[1] - times[0]).toBeLessThan(1600 * MS);
  });
});

describe('the order retried batches go out in (RecordAccumulator.reenqueue)', () => {
  // five one-record batches in flight to broker 1 (its answers held back); then broker 1's process
  // dies: the five fail together (NETWORK_EXCEPTION, NetworkClient.processDisconnection, oldest first)
  // and are retried to broker 2, the new leader
  const run = (config: Record<string, string | number | boolean>): number[] => {
    const c = new FakeCluster([1, 2], [1]);
    c.swallowResponses.add(1);
    attachProducer(c.network, producerSpec({ ratePerSec: 100, stopUs: 45 * MS, config: { 'linger.ms': 0, ...config } }), [1, 2]);
    c.scheduler.runUntil(200 * MS);
    expect(c.received.length).toBe(5);
    c.kill(1);
    c.moveLeader(0, 2);
    c.scheduler.runUntil(3 * SEC);
    // the first sequences broker 2 received, in arrival order
    return c.received.filter(([, b]) => b === 2).map(([, , , , seq]) => seq).slice(0, 5);
  };

  it('without idempotence each retry goes back to the front of the queue (addFirst), so the five reach the new leader in reverse order', () => {
    // Sender.completeBatch → reenqueueBatch for b0, b1, …, b4 in turn; RecordAccumulator.reenqueue
    // without a TransactionManager is deque.addFirst, leaving [b4, b3, b2, b1, b0]: drained head first
    expect(run({ 'enable.idempotence': false, acks: '1' })).toEqual([4, 3, 2, 1, 0]);
  });

  it('with idempotence the retries keep their sequence order (insertInSequenceOrder)', () => {
    expect(run({})).toEqual([0, 1, 2, 3, 4]);
  });
});

/**
 * One partition whose answers are held back until 0.9 s: the one-record batches in flight (five,
 * linger.ms 0, 10 ms apart) time out (request.timeout.ms 1 s) and are retried; from then on the broker
 * refuses them (NOT_ENOUGH_REPLICAS, retriable) until delivery.timeout.ms (3 s) gives up on each.
 * Records stop at `stopUs`. Runs to 6 s.
 */
function expiringRetries(stopUs: number): { c: FakeCluster; p: ReturnType<typeof attachProducer> } {
  const c = new FakeCluster([1], [1]);
  c.swallowResponses.add(1);
  const p = attachProducer(c.network, producerSpec({
    ratePerSec: 100, stopUs,
    config: { 'linger.ms': 0, 'request.timeout.ms': 1000, 'delivery.timeout.ms': 3000 },
  }), [1]);
  c.scheduler.runUntil(900 * MS);
  expect(c.received.length).toBe(5);
  c.swallowResponses.delete(1);
  c.produceError.set(1, 'NOT_ENOUGH_REPLICAS');
  c.scheduler.runUntil(6 * SEC);
  return { c, p };
}

describe('batches that expire while retried (TransactionManager.maybeResolveSequences)', () => {
  it('bumps the epoch once, after the last of the partition\'s outstanding batches is given up on', () => {
    // five one-record batches go out and their answers are held back; they time out (1 s) and are
    // retried; from then on the broker refuses them (NOT_ENOUGH_REPLICAS, retriable) until each
    // reaches delivery.timeout.ms (3 s after its creation, 10 ms apart)
    const { c, p } = expiringRetries(45 * MS);
    expect(p.stats.failed).toBe(5);
    const expiries = c.trace.events.filter((e) => e.type === 'produce-failed' && e.retry === false).map((e) => e.t);
    expect(expiries.length).toBe(5);
    // Each expired batch was in retry, so its partition's sequence is unresolved
    // (markSequenceUnresolved). The TransactionManager still tracks the others as in flight
    // (inflightBatchesBySequence keeps a batch from its first drain until it completes or fails, also
    // while it waits in the queue for its retry), so nothing is resolved until the fifth is given up
    // on; then the last acked sequence (none) is not just before the next (5): one epoch bump.
    const bumps = c.trace.events.filter((e) => e.type === 'producer-epoch-bumped');
    expect(bumps.length).toBe(1);
    expect(bumps[0].t).toBeGreaterThanOrEqual(Math.max(...expiries));
  });
});

describe('the epoch bump after the last outstanding batch expired (Sender.runOnce)', () => {
  it('comes at once, before the next batch of the partition goes out', () => {
    // as above, and five more records queue behind the five in flight as one new batch
    const { c } = expiringRetries(95 * MS);
    const fifthExpiry = c.trace.events.filter((e) => e.type === 'produce-failed' && e.retry === false)[4].t;
    const bumps = c.trace.events.filter((e) => e.type === 'producer-epoch-bumped');
    // Sender.sendProducerData marks the sequence unresolved as the fifth expires; the queued batch
    // makes its leader ready, so the sender polls with a 0 timeout and runs again at once:
    // maybeResolveSequences finds nothing outstanding and bumps the epoch, and the queued batch goes
    // out under it
    expect(bumps[0].t).toBe(fifthExpiry);
    const nextSend = c.received.find(([t, , , n]) => t > fifthExpiry && n === 5);
    expect(nextSend).toBeDefined();
    expect(nextSend![0]).toBe(fifthExpiry + 1 * MS);
  });
});

describe('delivery.timeout.ms left at its default (KafkaProducer.configureDeliveryTimeout)', () => {
  it('is raised to linger.ms + request.timeout.ms when these add up to more than 120000 ms', () => {
    const c = new FakeCluster([1], [1]);
    c.produceError.set(1, 'NOT_ENOUGH_REPLICAS');
    // request.timeout.ms 150000 and linger.ms 5 (the 4.0 default): the default delivery.timeout.ms
    // (120000) is below their sum, and since the user did not set it, Kafka sets it to 150005 ms
    // ("delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms. Setting it to 150005")
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 10, stopUs: 50 * MS, config: { 'request.timeout.ms': 150000 } }), [1]);
    c.scheduler.runUntil(200 * SEC);
    expect(p.stats.failed).toBe(1);
    const expired = c.trace.events.filter((e) => e.type === 'produce-failed' && e.retry === false);
    expect(expired.length).toBe(1);
    // the record was created at 0; the batch expires at the first sender run from 150.005 s on
    // (retries are at most retry.backoff.max.ms × 1.2 apart)
    expect(expired[0].t).toBeGreaterThanOrEqual(150_005 * MS);
    expect(expired[0].t).toBeLessThan(151_300 * MS);
  });
});

describe('a retry to a new leader skips its backoff (KIP-951, ProducerBatch.hasLeaderChangedForTheOngoingRetry)', () => {
  // the leader moves to broker 2 (epoch 1) at 6 s; broker 1 answers NOT_LEADER_OR_FOLLOWER without
  // naming the new leader (the fake broker fills no currentLeader), so the producer learns it from the
  // metadata refresh the error asks for (allowed at once: the last refresh, at start, is more than
  // retry.backoff.ms old), well within its 5 s retry backoff
  const retryGap = (spec: { leaderDiscovery?: 'metadata' }): number => {
    const c = new FakeCluster([1, 2], [1]);
    attachProducer(c.network, producerSpec({
      ratePerSec: 10, ...spec, config: { 'retry.backoff.ms': 5000, 'retry.backoff.max.ms': 5000, 'linger.ms': 0 },
    }), [1, 2]);
    c.scheduler.runUntil(6 * SEC);
    c.moveLeader(0, 2);
    c.scheduler.runUntil(15 * SEC);
    const refusal = c.trace.events.find((e) => e.type === 'produce-failed' && e.code === 'NOT_LEADER_OR_FOLLOWER');
    expect(refusal).toBeDefined();
    // the refused batch's retry is the first request broker 2 receives
    const retried = c.received.find(([, b]) => b === 2)!;
    return retried[0] - refusal!.t;
  };

  it('from 3.7: once metadata shows a newer leader epoch than the failed attempt\'s, the retry goes at once', () => {
    // RecordAccumulator.ready/drain: maybeUpdateLeaderEpoch sees epoch 1 > the batch's 0 with the
    // attempt count unchanged, so shouldBackoff is false: the retry leaves as soon as the refresh
    // answers (a round trip, 2 ms), plus the request's own 1 ms
    expect(retryGap({})).toBeLessThan(10 * MS);
  });

  it('before 3.7: the retry waits retry.backoff.ms whatever the metadata says', () => {
    const gap = retryGap({ leaderDiscovery: 'metadata' });
    expect(gap).toBeGreaterThanOrEqual(5000 * MS);
    expect(gap).toBeLessThan(5010 * MS);
  });
});

describe('buffer.memory holds whole batch buffers (RecordAccumulator.append → BufferPool.allocate)', () => {
  // four keys that hash to the four partitions of the topic, one record each in turn
  const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
  const fourKeys = (): string[] => {
    const byPartition = new Map<number, string>();
    for (const k of keys) if (!byPartition.has(partitionForKey(k, 4))) byPartition.set(partitionForKey(k, 4), k);
    expect(byPartition.size).toBe(4);
    return [0, 1, 2, 3].map((p) => byPartition.get(p)!);
  };

  it('each new batch takes batch.size from buffer.memory, however few records it holds', () => {
    // no partition has a leader, so batches wait. buffer.memory is three batch buffers (3 × 16384):
    // the first three records open three batches and take it all; the fourth needs a fourth buffer,
    // so send() blocks (for max.block.ms) and the application makes no more records. Counting
    // record bytes instead (400 of 49152), it never blocked.
    const c = new FakeCluster([1], [-1, -1, -1, -1]);
    const p = attachProducer(c.network, producerSpec({
      ratePerSec: 100, keys: { kind: 'list', keys: fourKeys() }, config: { 'buffer.memory': 3 * 16384, 'batch.size': 16384 },
    }), [1]);
    c.scheduler.runUntil(1 * SEC);
    expect(p.stats.created).toBe(4);
  });

  it('while a send() waits for memory every queued batch is sendable at once, whatever linger.ms says', () => {
    // the leader is alive, linger.ms is 10 s: the three one-record batches would wait 10 s, but the
    // fourth record's send() waits for memory, so RecordAccumulator.ready finds the pool exhausted
    // (BufferPool.queued() > 0) and sends them; their buffers come back and the fourth goes on
    const c = new FakeCluster([1], [1, 1, 1, 1]);
    const p = attachProducer(c.network, producerSpec({
      ratePerSec: 100, keys: { kind: 'list', keys: fourKeys() }, stopUs: 35 * MS,
      config: { 'buffer.memory': 3 * 16384, 'batch.size': 16384, 'linger.ms': 10000 },
    }), [1]);
    c.scheduler.runUntil(1 * SEC);
    expect(c.received.length).toBe(3);
    expect(c.received.every(([t]) => t < 100 * MS)).toBe(true);
    expect(p.stats.created).toBe(4);
  });
});
