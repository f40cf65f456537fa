// Producer rules an outside Kafka expert would check, each against the Java client's own class (cited
// per test): the retry backoff (ExponentialBackoff, ProducerBatch.reenqueued), the order retried
// batches go out in (RecordAccumulator.reenqueue), the epoch bumps after expired batches
// (TransactionManager.maybeResolveSequences) and the spacing of metadata refreshes (Metadata.timeToAllowUpdate).
import { describe, it, expect } from 'vitest';
import { MS, SEC, RandomStreams } from '../../../sim/engine/index.ts';
import { ExponentialBackoff } from '../../../sim/kafka/clients/backoff.ts';
import { FakeCluster } from './fake-cluster.ts';
import { attachProducer, producerSpec } from './helpers.ts';

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
