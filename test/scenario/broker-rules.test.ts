// A broker Kafka would refuse to start is a located error: KafkaConfig.validateValues requires
// replica.fetch.wait.max.ms <= replica.socket.timeout.ms and <= replica.lag.time.max.ms.
import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';

const scenario = (config: string) => `name: broker-rules
duration: 1s
cluster:
  brokers: 3
  config: { ${config} }
`;

const errors = (config: string) => {
  const r = parseScenario(scenario(config), 'b.yaml');
  return r.ok ? [] : r.errors.map(formatError);
};

describe('broker configs Kafka checks together', () => {
  it('refuses a fetch wait longer than the socket timeout or the ISR lag, at the key that was set', () => {
    expect(errors('replica.socket.timeout.ms: 0')).toEqual([
      'b.yaml:5:40  cluster.config.replica.socket.timeout.ms  replica.fetch.wait.max.ms (500) must be at most replica.socket.timeout.ms (0), as Kafka requires',
    ]);
    expect(errors('replica.fetch.wait.max.ms: 40000')).toEqual([
      'b.yaml:5:40  cluster.config.replica.fetch.wait.max.ms  replica.fetch.wait.max.ms (40000) must be at most replica.socket.timeout.ms (30000), as Kafka requires',
      'b.yaml:5:40  cluster.config.replica.fetch.wait.max.ms  replica.fetch.wait.max.ms (40000) must be at most replica.lag.time.max.ms (30000), as Kafka requires',
    ]);
    expect(errors('replica.lag.time.max.ms: 100')).toHaveLength(1);
  });

  it('accepts the wait at either bound, and 0 everywhere', () => {
    expect(errors('replica.fetch.wait.max.ms: 500, replica.lag.time.max.ms: 500, replica.socket.timeout.ms: 500')).toEqual([]);
    expect(errors('replica.fetch.wait.max.ms: 0, replica.lag.time.max.ms: 0, replica.socket.timeout.ms: 0')).toEqual([]);
  });
});
