// The producer against a stand-in broker: batching by size and by linger, keyed partitioning, sticky
// switching, metadata refresh on errors and on age, retries and idempotence.
import { describe, it, expect } from 'vitest';
import { MS, SEC } from '../../../sim/engine/index.ts';
import { FakeCluster } from './fake-cluster.ts';
import { attachProducer, producerSpec } from './helpers.ts';
import { partitionForKey } from '../../../sim/kafka/clients/murmur2.ts';

describe('producer batching (RecordAccumulator.batchReady)', () => {
  it('sends a batch when linger.ms has passed since its first record', () => {
    const c = new FakeCluster([1], [1]);
    // 100 records/s, 10 ms apart; linger 5 ms: every record goes alone, 5 ms after it was created
    attachProducer(c.network, producerSpec({ ratePerSec: 100, config: { 'linger.ms': 5 } }), [1]);
    c.scheduler.runUntil(1 * SEC);
    expect(c.received.length).toBeGreaterThan(90);
    expect(c.received.every(([, , , n]) => n === 1)).toBe(true);
    // the first record is due at t=0; metadata and the producer id take two round trips (4 ms)
    const times = c.received.map(([t]) => t);
    expect(times[5] % (10 * MS)).toBe(5 * MS + 1 * MS); // created at 50 ms, sent at +5 ms, received 1 ms later
  });

  it('gathers records for linger.ms into one batch', () => {
    const c = new FakeCluster([1], [1]);
    attachProducer(c.network, producerSpec({ ratePerSec: 1000, config: { 'linger.ms': 50 } }), [1]);
    c.scheduler.runUntil(2 * SEC);
    const counts = c.received.slice(2, -2).map(([, , , n]) => n);
    // 1 record/ms, 50 ms of linger: batches of ~50 records (plus those arriving while one is in flight)
    for (const n of counts) expect(n).toBeGreaterThanOrEqual(50);
    for (const n of counts) expect(n).toBeLessThanOrEqual(52);
  });

  it('sends a batch as soon as batch.size is reached, without waiting for linger', () => {
    const c = new FakeCluster([1], [1]);
    // 100-byte records, batch.size 1000: 10 records fill a batch; linger is a long 10 s
    attachProducer(c.network, producerSpec({ ratePerSec: 1000, config: { 'linger.ms': 10000, 'batch.size': 1000 } }), [1]);
    c.scheduler.runUntil(1 * SEC);
    expect(c.received.length).toBeGreaterThan(90);
    expect(c.received.every(([, , , n]) => n === 10)).toBe(true);
  });
});

describe('the sender loop (Sender.runOnce)', () => {
  it('drains a backlog up to max.in.flight.requests.per.connection requests at once, not one per response', () => {
    // no leader for the first second: 10-record batches pile up; then one metadata answer names broker 1
    const c = new FakeCluster([1], [-1]);
    attachProducer(c.network, producerSpec({ ratePerSec: 1000, config: { 'linger.ms': 0, 'batch.size': 1000, acks: '1' } }), [1]);
    c.scheduler.runUntil(1 * SEC);
    expect(c.received).toEqual([]);
    c.moveLeader(0, 1);
    c.scheduler.runUntil(3 * SEC);
    const first = c.received[0][0];
    // the sender ran again after each request (pollTimeout 0) until 5 were in flight
    expect(c.received.filter(([t]) => t === first).length).toBe(5);
  });

  it('acks=0: the batch left first in the queue after a full one went out still goes after linger.ms', () => {
    const c = new FakeCluster([1], [-1]);
    attachProducer(c.network, producerSpec({ ratePerSec: 100, config: { 'linger.ms': 20, 'batch.size': 950, acks: '0' } }), [1]);
    c.scheduler.runUntil(1 * SEC);
    c.moveLeader(0, 1);
    c.scheduler.runUntil(4 * SEC);
    // once the backlog is out, records (10 ms apart) go in batches of two, 20 ms after the first
    const late = c.received.filter(([t]) => t > 3 * SEC);
    expect(late.length).toBeGreaterThan(40);
    expect(late.every(([, , , n]) => n <= 3)).toBe(true);
  });
});

describe('producer partitioning', () => {
  it('sends keyed records to toPositive(murmur2(key)) % partitions', () => {
    const c = new FakeCluster([1, 2, 3], [1, 2, 3, 1, 2, 3]);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    attachProducer(c.network, producerSpec({ ratePerSec: 700, keys: { kind: 'list', keys } }), [1, 2, 3]);
    c.scheduler.runUntil(1 * SEC);
    const perPartition = c.partitions.map((p) => p.leo);
    const expected = [0, 0, 0, 0, 0, 0];
    // records 0..699 cycle through the keys
    for (let i = 0; i < 700; i++) expected[partitionForKey(keys[i % keys.length], 6)]++;
    // all sent records are in the logs; only the last linger's worth may be missing
    const total = perPartition.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(690);
    for (let p = 0; p < 6; p++) expect(perPartition[p]).toBeLessThanOrEqual(expected[p]);
    for (let p = 0; p < 6; p++) if (expected[p] === 0) expect(perPartition[p]).toBe(0);
  });

  it('uniform sticky: null-key records stick to one partition for batch.size bytes, then switch', () => {
    const c = new FakeCluster([1], [1, 1, 1, 1]);
    // 128-byte records and batch.size 1280: a batch is exactly full after 10 records, so the
    // partitioner switches every 10 records (KIP-794)
    attachProducer(c.network, producerSpec({ ratePerSec: 1000, recordSizeBytes: 128, config: { 'batch.size': 1280, 'linger.ms': 1000, 'partitioner.adaptive.partitioning.enable': false } }), [1]);
    c.scheduler.runUntil(500 * MS);
    const sizes = c.received.map(([, , , n]) => n);
    expect(sizes.every((n) => n === 10)).toBe(true);
    const parts = new Set(c.received.map(([, , p]) => p));
    expect(parts.size).toBe(4);
  });

  it('uniform sticky: with records that never fill a batch exactly, switches after 2 × batch.size', () => {
    const c = new FakeCluster([1], [1, 1, 1, 1]);
    // 100-byte records, batch.size 1000 → 10 per batch but never "full" by bytes after the 10th... it is: 1000 >= 1000
    // so use 300-byte records: 3 fit (900), the 4th opens a new batch; switch after 2000 bytes (7 records)
    attachProducer(c.network, producerSpec({ ratePerSec: 1000, recordSizeBytes: 300, config: { 'batch.size': 1000, 'linger.ms': 0, 'partitioner.adaptive.partitioning.enable': false } }), [1]);
    c.scheduler.runUntil(30 * MS);
    const seq = c.partitions.map((p) => p.log.map((b) => [b.baseOffset, b.count]));
    const total = c.partitions.reduce((a, p) => a + p.leo, 0);
    expect(total).toBeGreaterThan(20);
    // every run of consecutive records on one partition is 7 long (2000 / 300 rounded up)
    const runs: number[] = [];
    let last = -1;
    for (const [, , p, n] of c.received) {
      if (p === last) runs[runs.length - 1] += n;
      else runs.push(n);
      last = p;
    }
    expect(seq.flat().length).toBeGreaterThan(0);
    for (const r of runs.slice(0, -1)) expect(r).toBe(7);
  });

  it('sticky (KIP-480): switches when a new batch would start', () => {
    const c = new FakeCluster([1], [1, 1, 1]);
    attachProducer(c.network, producerSpec({ ratePerSec: 1000, partitioner: 'sticky', config: { 'linger.ms': 20 } }), [1]);
    c.scheduler.runUntil(1 * SEC);
    // consecutive batches never go to the same partition
    const parts = c.received.map(([, , p]) => p);
    for (let i = 1; i < parts.length; i++) expect(parts[i]).not.toBe(parts[i - 1]);
  });

  it('round-robin (≤ 2.3): one record per partition in turn', () => {
    const c = new FakeCluster([1], [1, 1, 1]);
    attachProducer(c.network, producerSpec({ ratePerSec: 300, partitioner: 'round-robin', config: { 'linger.ms': 0 } }), [1]);
    c.scheduler.runUntil(1 * SEC);
    const leos = c.partitions.map((p) => p.leo);
    expect(Math.max(...leos) - Math.min(...leos)).toBeLessThanOrEqual(1);
  });

  it('an explicit partition wins over keys', () => {
    const c = new FakeCluster([1], [1, 1, 1]);
    attachProducer(c.network, producerSpec({ ratePerSec: 100, partition: 2, keys: { kind: 'list', keys: ['a', 'b'] } }), [1]);
    c.scheduler.runUntil(1 * SEC);
    expect(c.partitions[0].leo + c.partitions[1].leo).toBe(0);
    expect(c.partitions[2].leo).toBeGreaterThan(90);
  });
});

describe('producer metadata (Metadata.java, Sender.completeBatch)', () => {
  const metadataRequests = (c: FakeCluster): number[] =>
    c.trace.events.filter((e) => e.type === 'msg' && e.k === 'metadata').map((e) => e.t);

  it('refreshes at once on NOT_LEADER_OR_FOLLOWER and retries to the new leader', () => {
    const c = new FakeCluster([1, 2], [1]);
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 100 }), [1, 2]);
    c.scheduler.runUntil(1 * SEC);
    c.moveLeader(0, 2);
    c.scheduler.runUntil(2 * SEC);
    expect(p.stats.errors.get('NOT_LEADER_OR_FOLLOWER')).toBeGreaterThanOrEqual(1);
    expect(c.partitions[0].log.some((b) => b.leaderEpoch === 1)).toBe(true);
    const refreshes = c.trace.events.filter((e) => e.type === 'metadata-refreshed');
    expect(refreshes.at(-1)).toMatchObject({ client: 'checkout', partitions: [[0, 2, 1]] });
    // the error came at ~1 s; the refresh right after (not 5 minutes later)
    const after = metadataRequests(c).filter((t) => t > 1 * SEC);
    expect(after[0]).toBeLessThan(1 * SEC + 20 * MS);
    expect(p.stats.failed).toBe(0);
  });

  it('refreshes after metadata.max.age.ms when nothing goes wrong', () => {
    const c = new FakeCluster([1], [1]);
    attachProducer(c.network, producerSpec({ ratePerSec: 10, config: { 'metadata.max.age.ms': 2000 } }), [1]);
    c.scheduler.runUntil(7 * SEC);
    const times = metadataRequests(c);
    expect(times.length).toBe(4); // 0, ~2, ~4, ~6 s
    expect(times[1]).toBeGreaterThanOrEqual(2 * SEC);
    expect(times[1]).toBeLessThan(2 * SEC + 10 * MS);
  });

  it('ignores metadata with an older leader epoch than it has seen (KIP-320)', () => {
    const c = new FakeCluster([1, 2], [1]);
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 100, config: { 'metadata.max.age.ms': 500 } }), [1, 2]);
    c.scheduler.runUntil(1 * SEC);
    c.moveLeader(0, 2);
    c.scheduler.runUntil(2 * SEC);
    expect(p.metadata.leaderFor('orders', 0)).toBe(2);
    // broker 1's cache still says "leader 1, epoch 0"; the producer must not go back to it
    c.staleMetadata.set(1, [{ leader: 1, epoch: 0 }]);
    c.staleMetadata.set(2, [{ leader: 1, epoch: 0 }]);
    c.scheduler.runUntil(5 * SEC);
    expect(p.metadata.leaderFor('orders', 0)).toBe(2);
    expect(p.metadata.leaderEpochFor('orders', 0)).toBe(1);
  });

  it('keeps writing to a leader whose machine died until a request times out, then refreshes and moves on', () => {
    const c = new FakeCluster([1, 2], [1]);
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 100, config: { 'request.timeout.ms': 5000, 'delivery.timeout.ms': 60000 } }), [1, 2]);
    c.scheduler.runUntil(1 * SEC);
    c.kill(1, 'power-loss');
    c.moveLeader(0, 2);
    c.scheduler.runUntil(3 * SEC);
    // within the request timeout the producer still believes in broker 1: its requests go unanswered
    // (TCP retransmits them into the void while the machine is off)
    expect(p.metadata.leaderFor('orders', 0)).toBe(1);
    const unanswered = c.trace.events.filter((e) => e.type === 'msg-held' && e.k === 'produce' && e.to === 1);
    expect(unanswered.length).toBeGreaterThan(0);
    c.scheduler.runUntil(20 * SEC);
    expect(p.metadata.leaderFor('orders', 0)).toBe(2);
    expect(p.stats.errors.get('REQUEST_TIMED_OUT')).toBeGreaterThanOrEqual(1);
    expect(c.trace.events.some((e) => e.type === 'client-disconnect' && e.broker === 1 && e.why === 'timeout')).toBe(true);
    // everything created is eventually on broker 2
    c.scheduler.runUntil(25 * SEC);
    expect(p.stats.failed).toBe(0);
    expect(p.stats.acked).toBeGreaterThan(2400);
  });

  it('backs off metadata refreshes exponentially while no leader is known', () => {
    const c = new FakeCluster([1], [-1]);
    attachProducer(c.network, producerSpec({ ratePerSec: 100 }), [1]);
    c.scheduler.runUntil(10 * SEC);
    const times = metadataRequests(c);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // the first answer taught it the topic (not "equivalent"), but every refresh is followed by at
    // least backoff(0) = retry.backoff.ms ±20% (Metadata.timeToAllowUpdate: lastRefreshMs +
    // refreshBackoff.backoff(0) with no failed attempt), counted from the answer 2 ms after the
    // request; after that every answer is "equivalent" and the wait grows: 100 doubling to 1000, ±20%
    expect(gaps[0]).toBeGreaterThanOrEqual(80 * MS + 2 * MS);
    expect(gaps[0]).toBeLessThanOrEqual(120 * MS + 2 * MS);
    expect(gaps[1]).toBeGreaterThanOrEqual(80 * MS);
    expect(gaps[1]).toBeLessThanOrEqual(122 * MS);
    expect(gaps[3]).toBeGreaterThanOrEqual(320 * MS);
    for (const g of gaps.slice(6)) {
      expect(g).toBeGreaterThanOrEqual(800 * MS);
      expect(g).toBeLessThanOrEqual(1001 * MS + 2 * MS);
    }
  });
});

describe('producer retries and idempotence', () => {
  it('with idempotence off, a retry after a lost response writes the batch twice', () => {
    const c = new FakeCluster([1], [1]);
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 10, config: { 'enable.idempotence': false, 'request.timeout.ms': 1000 } }), [1]);
    c.scheduler.runUntil(500 * MS);
    c.swallowResponses.add(1);
    c.scheduler.runUntil(700 * MS);
    c.swallowResponses.delete(1);
    c.scheduler.runUntil(5 * SEC);
    const ids = c.partitions[0].log.flatMap((b) => Array.from({ length: b.count }, (_, i) => `${b.producerId}:${b.baseSequence + i}`));
    expect(new Set(ids).size).toBeLessThan(ids.length);
    expect(p.stats.errors.get('REQUEST_TIMED_OUT')).toBeGreaterThanOrEqual(1);
  });

  it('with idempotence on, the broker drops the retried duplicate', () => {
    const c = new FakeCluster([1], [1]);
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 10, config: { 'request.timeout.ms': 1000 } }), [1]);
    c.scheduler.runUntil(500 * MS);
    c.swallowResponses.add(1);
    c.scheduler.runUntil(700 * MS);
    c.swallowResponses.delete(1);
    c.scheduler.runUntil(5 * SEC);
    const ids = c.partitions[0].log.flatMap((b) => Array.from({ length: b.count }, (_, i) => `${b.producerId}:${b.baseSequence + i}`));
    expect(new Set(ids).size).toBe(ids.length);
    expect(p.stats.errors.get('REQUEST_TIMED_OUT')).toBeGreaterThanOrEqual(1);
    expect(p.stats.acked).toBe(ids.length);
  });

  it('acks=0 completes at once with offset -1 and never retries', () => {
    const c = new FakeCluster([1], [1]);
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 100, config: { acks: '0' } }), [1]);
    c.scheduler.runUntil(1 * SEC);
    const acked = c.trace.events.filter((e) => e.type === 'produce-acked');
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.every((e) => e.offset === -1)).toBe(true);
    expect(p.settings.idempotent).toBe(false);
    expect(c.trace.events.some((e) => e.type === 'msg' && e.k === 'produce-response')).toBe(false);
  });

  it('gives up after delivery.timeout.ms with a TimeoutException', () => {
    const c = new FakeCluster([1], [1]);
    c.produceError.set(1, 'NOT_ENOUGH_REPLICAS');
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 10, stopUs: 100 * MS, config: { 'delivery.timeout.ms': 3000, 'request.timeout.ms': 1000, 'linger.ms': 0 } }), [1]);
    c.scheduler.runUntil(10 * SEC);
    expect(p.stats.errors.get('NOT_ENOUGH_REPLICAS')).toBeGreaterThan(2);
    expect(p.stats.failed).toBe(p.stats.created);
    const final = c.trace.events.filter((e) => e.type === 'produce-failed' && e.retry === false);
    expect(final.length).toBeGreaterThan(0);
    expect(final.every((e) => e.code === 'REQUEST_TIMED_OUT' && e.t >= 3 * SEC && e.t < 4 * SEC)).toBe(true);
  });

  it('retries=0 fails the batch on the first error', () => {
    const c = new FakeCluster([1], [1]);
    c.produceError.set(1, 'NOT_ENOUGH_REPLICAS');
    const p = attachProducer(c.network, producerSpec({ ratePerSec: 10, stopUs: 250 * MS, config: { retries: 0 } }), [1]);
    c.scheduler.runUntil(2 * SEC);
    expect(p.settings.idempotent).toBe(false);
    expect(p.stats.errors.get('NOT_ENOUGH_REPLICAS')).toBe(3);
    expect(p.stats.failed).toBe(3);
  });
});
