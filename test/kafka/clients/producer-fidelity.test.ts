// Producer rules an outside Kafka expert would check, each against the Java client's own class (cited
// per test): the retry backoff (ExponentialBackoff, ProducerBatch.reenqueued), the order retried
// batches go out in (RecordAccumulator.reenqueue), the epoch bumps after expired batches
// (TransactionManager.maybeResolveSequences) and the spacing of metadata refreshes (Metadata.timeToAllowUpdate).
import { describe, it, expect } from 'vitest';
import { MS, RandomStreams } from '../../../sim/engine/index.ts';
import { ExponentialBackoff } from '../../../sim/kafka/clients/backoff.ts';

describe('ExponentialBackoff (clients/…/common/utils/ExponentialBackoff.java)', () => {
  it('a retry.backoff.ms above retry.backoff.max.ms gives a constant backoff of retry.backoff.max.ms', () => {
    // ExponentialBackoff: initialInterval = min(maxInterval, initialInterval), and expMax = 0, so
    // backoff(n) = initialInterval = 1000 ms for every n (CommonClientConfigs: "retry.backoff.max.ms
    // will be used as a constant backoff from the beginning")
    const b = new ExponentialBackoff(5000 * MS, 1000 * MS, new RandomStreams(1).stream('t'));
    for (let n = 0; n < 6; n++) expect(b.backoff(n)).toBe(1000 * MS);
  });
});
