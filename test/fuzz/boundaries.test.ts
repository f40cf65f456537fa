// Boundary values, one at a time: every interval, timeout and size config the fuzz generator may set
// to its smallest legal value (EDGES in generate.ts, usually 0) is tried alone in the same small busy
// scenario (three brokers, a producer, a consumer group, a follower that crashes and returns), with
// the default 1 ms network and with no latency at all. Kafka accepts each of these values; the
// simulator must run the scenario to its end without a zero-time loop (the event limit), an exception
// or a broken invariant. The random fuzz meets these values only now and then; this meets each one.
// Refusing a value with a located error (exit 2) counts as handling it.

import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import { EDGES } from './generate.ts';
import { failureOf } from './oracle.ts';

/** A clean run of this scenario makes ~10,000 events; 200,000 means time stopped advancing. */
const EVENT_LIMIT = 200_000;

function scenario(scope: string, name: string, value: number, latency: string): string {
  const broker: Record<string, number> = { 'replica.lag.time.max.ms': 1000, 'group.initial.rebalance.delay.ms': 0 };
  const producer: Record<string, number | string> = {};
  const consumer: Record<string, number | string> = { 'auto.offset.reset': 'earliest' };
  ({ broker, producer, consumer } as Record<string, Record<string, number | string>>)[scope][name] = value;
  const flow = (c: Record<string, number | string>): string => `{ ${Object.entries(c).map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
  return `name: boundary-${scope}-${name.replace(/\./g, '-')}
duration: 5s
cluster:
  brokers: 3
  config: ${flow(broker)}
network:
  latency: ${latency}
topics:
  - name: orders
    partitions: 2
    replication.factor: 3
producers:
  - id: checkout
    topic: orders
    rate: 20/s
    config: ${flow(producer)}
consumers:
  - id: billing-1
    group: billing
    topics: [orders]
    config: ${flow(consumer)}
timeline:
  - at: 2s
    crash: 3
  - at: 3500ms
    restart: 3
`;
}

const cases = Object.entries(EDGES).flatMap(([scope, configs]) =>
  Object.entries(configs).flatMap(([name, value]) => ['1ms', '0'].map((latency) => ({ scope, name, value, latency }))),
);

describe(`boundary values: ${cases.length} configs at their minimum, alone`, () => {
  const titled = cases.map((c) => [`${c.scope} config ${c.name}: ${c.value}, network latency ${c.latency}:`, c] as const);
  it.each(titled)('%s runs to its end', (_title, { scope, name, value, latency }) => {
    const text = scenario(scope, name, value, latency);
    const parsed = parseScenario(text, 'boundary.yaml');
    if (!parsed.ok) {
      for (const e of parsed.errors) expect(e.line, formatError(e)).toBeGreaterThanOrEqual(1);
      return;
    }
    const failure = failureOf(text, { eventLimit: EVENT_LIMIT, keepTrace: false });
    expect(failure?.signature, `${failure?.signature}\n--- scenario:\n${text}`).toBeUndefined();
  });
});
