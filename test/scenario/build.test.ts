// Valid scenarios become the ClusterSpec the simulation runs: durations in microseconds, configs
// normalised the way Kafka reads them, brokers ascending, the timeline in time order.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_MAX } from '../../sim/kafka/config.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { ROOT } from './corpus.ts';

function load(relative: string): { scenario: Scenario; spec: ClusterSpec } {
  const result = parseScenario(readFileSync(join(ROOT, relative), 'utf8'), relative);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result;
}

describe('the file with every key of the format', () => {
  const { scenario, spec } = load('test/fixtures/scenarios/valid/full.yaml');

  it('keeps the scenario\'s identity and converts the run length to µs', () => {
    expect(spec).toMatchObject({ name: 'everything', seed: 42, durationUs: 120_000_000 });
    expect(scenario).toMatchObject({ title: 'Every key of the format', description: expect.stringContaining('each action') });
  });

  it('builds the cluster section', () => {
    expect(spec).toMatchObject({
      brokers: [0, 1, 2, 3],
      controller: 'zookeeper',
      replicationProtocol: 'high-watermark',
      pageCacheWritebackUs: 5_000_000,
      network: { latency: { minUs: 500, maxUs: 1500 } },
    });
  });

  it('normalises config values as Kafka parses them', () => {
    expect(spec.brokerConfig).toEqual({
      'unclean.leader.election.enable': true, // "TRUE"
      'replica.lag.time.max.ms': 10000, // "10000"
      'log.flush.interval.messages': LONG_MAX, // Java's Long.MAX_VALUE
      'default.replication.factor': 3,
    });
    expect(spec.producers[0].config).toEqual({ acks: 'all', 'linger.ms': 0, 'enable.idempotence': true }); // acks: -1
    expect(spec.producers[1].config.acks).toBe('1');
    expect(spec.consumers[0].config['partition.assignment.strategy']).toEqual(['range', 'sticky']);
  });

  it('builds topics with their explicit or default shape', () => {
    expect(spec.topics).toEqual([
      { name: 'orders', partitions: 2, replicationFactor: 3, replicas: [[0, 1, 2], [1, 2, 3]], config: { 'min.insync.replicas': 2, 'flush.messages': 1 } },
      { name: 'payments', partitions: undefined, replicationFactor: undefined, replicas: undefined, config: {} },
    ]);
  });

  it('builds producers with rates per second, keys, windows and the extensions', () => {
    const [checkout, refunds, audit] = spec.producers;
    expect(checkout).toMatchObject({
      id: 'checkout', topic: 'orders', ratePerSec: 2000, keys: { kind: 'list', keys: ['a', 'b', '7'] },
      startUs: 500_000, stopUs: 100_000_000, partitioner: 'sticky', recordSizeBytes: 512,
    });
    expect(refunds).toMatchObject({ ratePerSec: 10, keys: { kind: 'random', count: 16 }, partitioner: 'round-robin', startUs: 0 });
    expect(refunds.stopUs).toBeUndefined();
    expect(audit).toMatchObject({ ratePerSec: 0.5, partition: 3, startUs: 40_000_000, partitioner: 'uniform-sticky', recordSizeBytes: 100 });
  });

  it('builds consumers', () => {
    expect(spec.consumers.map((c) => [c.id, c.group, c.topics, c.startUs, c.stopUs])).toEqual([
      ['billing-1', 'billing', ['orders', 'payments'], 1_000_000, 110_000_000],
      ['billing-2', 'billing', ['orders'], 0, undefined],
    ]);
  });

  it('puts the timeline in time order, keeping each step\'s place in the file', () => {
    const times = spec.timeline.map((s) => s.atUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // the last step of the file comes first; its index (its stream's name) stays its place in the file
    expect(spec.timeline[0]).toEqual({ atUs: 1_000_000, index: 30, note: 'Steps may be written in any order.', source: { line: 126, column: 5 } });
    expect(scenario.timeline[scenario.timeline.length - 1].path).toBe('timeline[30]');
  });

  it('turns every action into the simulation\'s Action', () => {
    const actions = spec.timeline.flatMap((s) => (s.action ? [s.action] : []));
    expect(actions).toEqual([
      { type: 'slow', node: 3, latencyUs: 200_000 },
      { type: 'slow', link: [0, 'controller'], latencyUs: 1_000_000 },
      { type: 'slow', node: 'billing-1', latencyUs: 50_000 },
      { type: 'cut', from: 1, to: 'checkout' },
      { type: 'partition', groups: [[0, 1], [2, 'controller', 'billing-2']] },
      { type: 'isolate', node: 'controller' },
      { type: 'heal', node: 'all' },
      { type: 'heal', node: 3 },
      { type: 'crash', nodes: [1, 'billing-2'] },
      { type: 'restart', nodes: [1, 'billing-2'] },
      { type: 'shutdown', brokers: [2] },
      { type: 'restart', nodes: [2] },
      { type: 'power-loss', brokers: [0, 3] },
      { type: 'restart', nodes: [0, 3] },
      { type: 'disk-loss', brokers: [0] },
      { type: 'pause', node: 1, forUs: 5_000_000 },
      { type: 'pause', node: 'billing-1', forUs: 30_000_000 },
      { type: 'alter-config', topic: 'orders', set: { 'min.insync.replicas': 1 }, delete: ['flush.messages'] },
      { type: 'alter-config', broker: 1, set: { 'unclean.leader.election.enable': false }, delete: [] },
      { type: 'alter-config', broker: 2, set: {}, delete: ['replica.lag.time.max.ms'] },
      { type: 'elect-leaders', partitions: ['orders-0'], electionType: 'unclean' },
      { type: 'elect-leaders', partitions: 'all', electionType: 'preferred' },
      { type: 'add-partitions', topic: 'orders', count: 4 },
      { type: 'elect-leaders', partitions: ['orders-2', 'orders-3'], electionType: 'preferred' },
      { type: 'stop-producer', producer: 'checkout' },
      { type: 'start-producer', producer: 'checkout' },
      { type: 'reset-offsets', group: 'billing', topic: 'orders', to: 'earliest' },
      { type: 'reset-offsets', group: 'billing', topic: 'orders', to: { offset: 42 } },
      { type: 'reset-offsets', group: 'billing', topic: 'payments', to: { shiftBy: -10 } },
    ]);
  });

  it('exposes every expectation, typed, with its place in the file', () => {
    const strip = scenario.expect.map(({ source, path, ...check }) => check);
    expect(strip).toEqual([
      { check: 'lost', bound: { is: 0 } },
      { check: 'acked', topic: 'orders', bound: { min: 1 } },
      { check: 'duplicates', partition: 'orders-1', bound: { max: 0 } },
      { check: 'unavailable', bound: { is: 0 } },
      { check: 'leader', partition: 'orders-0', is: 1, atUs: 25_000_000 },
      { check: 'leader', partition: 'orders-3', is: 'none' },
      { check: 'isr', partition: 'orders-1', is: [1, 2, 3] },
      { check: 'hw', partition: 'orders-0', bound: { min: 100 } },
      { check: 'leo', partition: 'orders-1', broker: 2, bound: { min: 10, max: 100000 } },
      { check: 'event', type: 'unclean-election', partition: 'orders-0', bound: { min: 1 } },
      { check: 'event', type: 'broker-crashed', broker: 1, bound: { min: 1 } },
      { check: 'errors', producer: 'checkout', code: 'NOT_ENOUGH_REPLICAS', bound: { min: 1 } },
      { check: 'errors', code: 'REQUEST_TIMED_OUT', bound: { max: 3 } },
      { check: 'lag', group: 'billing', bound: { max: 0 } },
      { check: 'lag', group: 'billing', partition: 'orders-2', bound: { is: 0 } },
      { check: 'committed', group: 'billing', partition: 'orders-0', bound: { is: 100 } },
    ]);
    expect(scenario.expect[0]).toMatchObject({ path: 'expect[0]', source: { line: 129, column: 5 } });
  });
});

describe('other valid samples', () => {
  it('the design document\'s example builds as written', () => {
    const { scenario, spec } = load('test/fixtures/scenarios/valid/design-example.yaml');
    expect(spec).toMatchObject({ name: 'unclean-election-loses-acked-writes', seed: 7, durationUs: 60_000_000, brokers: [1, 2, 3] });
    expect(spec.brokerConfig).toEqual({ 'unclean.leader.election.enable': true });
    expect(spec.producers[0]).toMatchObject({ ratePerSec: 100, keys: { kind: 'none' }, startUs: 0, stopUs: 50_000_000, config: { acks: '1', 'linger.ms': 0 } });
    expect(spec.timeline.map((s) => [s.atUs, s.action?.type, s.note])).toEqual([
      [5_000_000, 'slow', 'Broker 3\'s network degrades; it stops keeping up.'],
      [40_000_000, 'crash', undefined],
      [55_000_000, 'restart', undefined],
    ]);
    expect(scenario.expect.map((e) => e.check)).toEqual(['lost', 'leader', 'event']);
  });

  it('a minimal file gets every default', () => {
    const { spec } = load('test/fixtures/scenarios/valid/minimal.yaml');
    expect(spec).toEqual({
      name: 'minimal', seed: 1, durationUs: 10_000_000, brokers: [1], controller: 'kraft', replicationProtocol: 'leader-epoch',
      pageCacheWritebackUs: 30_000_000, brokerConfig: {}, network: { latency: { minUs: 1000, maxUs: 1000 } },
      topics: [], producers: [], consumers: [], timeline: [],
    });
  });

  it('JSON and YAML spellings of one scenario build the same spec', () => {
    const json = load('test/fixtures/scenarios/valid/unclean.json').spec;
    const yaml = parseScenario(
      [
        'name: unclean-json', 'duration: 60s', 'cluster: { brokers: 3, config: { unclean.leader.election.enable: true } }',
        'topics: [{ name: orders, replication.factor: 3 }]',
        'producers: [{ id: checkout, topic: orders, rate: 100/s, config: { acks: 1 } }]',
        'timeline:', '  - { at: 5s, slow: { broker: 3, latency: 40s } }', '  - { at: 40s, crash: 1 }', '  - { at: 55000, restart: [1] }',
      ].join('\n'),
      'same.yaml',
    );
    if (!yaml.ok) throw new Error('the YAML twin must parse');
    const withoutSources = (s: ClusterSpec) => ({ ...s, timeline: s.timeline.map(({ source, ...rest }) => rest) });
    expect(withoutSources(json)).toEqual(withoutSources(yaml.spec));
  });

  it('brokers given as a list are sorted ascending', () => {
    const result = parseScenario('name: b\nduration: 1s\ncluster: { brokers: [3, 1, 2] }\n', 'b.yaml');
    expect(result.ok && result.spec.brokers).toEqual([1, 2, 3]);
  });

  it('steps at the same moment keep their file order', () => {
    const text = 'name: t\nduration: 10s\ncluster: { brokers: 2 }\ntimeline:\n  - { at: 5s, crash: 2 }\n  - { at: 1s, note: first }\n  - { at: 5s, restart: 2 }\n';
    const result = parseScenario(text, 't.yaml');
    expect(result.ok && result.spec.timeline.map((s) => s.action?.type ?? s.note)).toEqual(['first', 'crash', 'restart']);
  });
});

describe('a file that describes a family of failures', () => {
  const { scenario, spec } = load('test/fixtures/scenarios/valid/failure-family.yaml');
  const byIndex = (i: number) => spec.timeline.find((s) => s.index === i)!;

  it('keeps a window as `between`, placed in time at its start', () => {
    expect(byIndex(0)).toMatchObject({ atUs: 10_000_000, between: { minUs: 10_000_000, maxUs: 20_000_000 } });
    expect(byIndex(1).between).toBeUndefined();
    expect(scenario.timeline[8]).toMatchObject({ atUs: 44_000_000, between: { minUs: 44_000_000, maxUs: 50_000_000 } });
  });

  it('turns each choice into a BrokerChoice, in every spelling', () => {
    expect(spec.timeline.map((s) => s.action)).toEqual([
      { type: 'crash', nodes: { choose: 'any-of', brokers: [1, 2, 3] } },
      { type: 'restart', nodes: { choose: 'crashed' } },
      { type: 'power-loss', brokers: { choose: 'leader-of', partition: 'orders-0' } },
      { type: 'shutdown', brokers: { choose: 'leader-of', partition: 'orders-1' } },
      { type: 'restart', nodes: { choose: 'any-of', brokers: [1, 2] } },
      { type: 'pause', node: { choose: 'leader-of', partition: 'orders-1' }, forUs: 1_000_000 },
      { type: 'isolate', node: { choose: 'any-of', brokers: [3] } },
      { type: 'disk-loss', brokers: { choose: 'any-of', brokers: [2, 3] } },
      { type: 'add-partitions', topic: 'orders', count: 3 },
      { type: 'crash', nodes: { choose: 'leader-of', partition: 'orders-2' } },
      { type: 'restart', nodes: { choose: 'crashed' } },
      undefined,
    ]);
  });

  it('a partition added in a window exists from the window\'s end', () => {
    const text = (at: string) => `name: w\nduration: 60s\ncluster: { brokers: 3 }\ntopics: [{ name: orders, partitions: 1, replication.factor: 3 }]\ntimeline:\n` +
      `  - { at: { between: [10s, 20s] }, add-partitions: { topic: orders, count: 2 } }\n  - { at: ${at}, crash: leader-of orders-1 }\n`;
    expect(parseScenario(text('20s'), 'w.yaml').ok).toBe(true);
    const early = parseScenario(text('15s'), 'w.yaml');
    expect(early.ok ? [] : early.errors.map((e) => [e.path, e.message])).toEqual([
      ['timeline[1].crash', 'partition orders-1 does not exist (orders has 1 partition at 15s: orders-0)'],
    ]);
  });
});
