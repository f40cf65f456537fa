// Limits of the model that Kafka does not have, met by valid-looking scenarios: each is refused up
// front with a located error that names kafkasim's limit, and a run that reaches one anyway stops
// with exit 3 and a message, never a stack trace (exit 1) or an out-of-memory crash.
//
// - __consumer_offsets is built with all its partitions at the start, like any topic, so
//   offsets.topic.num.partitions is held to a topic's 100,000 partitions; Kafka's ConfigDef allows
//   up to 2^31 − 1, and 2147483647 made kafkasim run out of memory.

import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';

const errors = (text: string): string[] => {
  const r = parseScenario(text, 'l.yaml');
  return r.ok ? [] : r.errors.map(formatError);
};

describe('offsets.topic.num.partitions: at most a topic\'s 100,000 partitions', () => {
  const cluster = (n: number) => `name: limits
duration: 1s
cluster: { brokers: 3, config: { offsets.topic.num.partitions: ${n} } }
`;
  it('refuses 100,001 and 2^31 − 1 at the key', () => {
    expect(errors(cluster(100_001))).toEqual([
      'l.yaml:3:64  cluster.config.offsets.topic.num.partitions  offsets.topic.num.partitions 100001 gives __consumer_offsets more partitions than kafkasim models (at most 100000, as for any topic)',
    ]);
    expect(errors(cluster(2147483647))).toHaveLength(1);
  });

  it('accepts 100,000', () => {
    expect(errors(cluster(100_000))).toEqual([]);
  });
});
