// cluster.racks, faults on a rack, and the retention configs in a scenario file: what is accepted,
// what it becomes in the ClusterSpec, and a located message for each mistake.
import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import { buildClusterSpec as buildSpec } from '../../src/scenario/build.ts';

const scenario = (cluster: string, timeline = '', more = '') => `name: racks
duration: 60s
cluster:
  brokers: 6
${cluster}
topics:
  - { name: orders, partitions: 3, replication.factor: 3 }
producers:
  - { id: checkout, topic: orders, rate: 10/s }
${more}${timeline ? `timeline:\n${timeline}` : ''}
`;

const parse = (text: string) => parseScenario(text, 'r.yaml');
const errors = (text: string): string[] => {
  const r = parse(text);
  return r.ok ? [] : r.errors.map(formatError);
};
const RACKS = '  racks: { a: [1, 2], b: [3, 4], c: [5, 6] }';

describe('cluster.racks', () => {
  it('gives each broker its rack', () => {
    const r = parse(scenario(RACKS));
    expect(r.ok).toBe(true);
    if (r.ok) expect(buildSpec(r.scenario).racks).toEqual({ a: [1, 2], b: [3, 4], c: [5, 6] });
  });

  it('refuses a broker in two racks, an unknown broker, a broker without a rack, and an empty rack', () => {
    expect(errors(scenario('  racks: { a: [1, 2], b: [2, 3, 4], c: [5, 6] }'))).toEqual([
      'r.yaml:5:27  cluster.racks.b[0]  broker 2 is already in rack a: a broker has one broker.rack',
    ]);
    expect(errors(scenario('  racks: { a: [1, 2], b: [3, 4], c: [5, 7] }'))[0]).toMatch(/cluster\.racks\.c\[1\]  broker 7 does not exist/);
    expect(errors(scenario('  racks: { a: [1, 2], b: [3, 4] }'))).toEqual([
      'r.yaml:5:10  cluster.racks  brokers 5, 6 have no rack: once racks are given every broker needs one (Kafka\'s rack-aware assignment refuses "Not all brokers have rack information")',
    ]);
    expect(errors(scenario('  racks: { a: [1, 2, 3, 4, 5, 6], b: [] }'))[0]).toMatch(/cluster\.racks\.b  rack b has no brokers/);
  });

  it('sends broker.rack in cluster.config to cluster.racks', () => {
    expect(errors(scenario('  config: { broker.rack: a }'))[0]).toMatch(/"broker.rack": each broker has its own broker.rack: give them in cluster.racks/);
  });
});

describe('faults on a rack', () => {
  it('crash, restart and power-loss { rack: a } take the rack\'s brokers', () => {
    const r = parse(scenario(RACKS, '  - { at: 5s, crash: { rack: a } }\n  - { at: 6s, restart: { rack: a } }\n  - { at: 7s, power-loss: { rack: b } }'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(buildSpec(r.scenario).timeline.map((s) => s.action)).toEqual([
      { type: 'crash', nodes: [1, 2], rack: 'a' }, { type: 'restart', nodes: [1, 2], rack: 'a' }, { type: 'power-loss', brokers: [3, 4], rack: 'b' },
    ]);
  });

  it('isolate { rack: a } cuts the rack off from every other node; its brokers still reach each other', () => {
    const r = parse(scenario(RACKS, '  - { at: 5s, isolate: { rack: a } }'));
    expect(r.ok).toBe(true);
    if (r.ok) expect(buildSpec(r.scenario).timeline[0].action).toEqual({ type: 'partition', groups: [[1, 2], [3, 4, 5, 6, 'controller', 'checkout']], rack: 'a' });
  });

  it('refuses an unknown rack, and a rack in a cluster without racks', () => {
    expect(errors(scenario(RACKS, '  - { at: 5s, crash: { rack: d } }'))[0]).toMatch(/timeline\[0\]\.crash\.rack  rack d does not exist \(racks are a, b, c\)/);
    expect(errors(scenario('', '  - { at: 5s, crash: { rack: a } }'))[0]).toMatch(/crash names rack a, but the cluster has no racks \(cluster.racks\)/);
  });
});

describe('retention configs', () => {
  it('accepts the topic and broker retention and segment configs, with Kafka\'s ranges', () => {
    const ok = parse(scenario('  config: { log.retention.hours: 1, log.retention.check.interval.ms: 10000, log.segment.bytes: 1048576, log.roll.ms: 60000 }'));
    expect(ok.ok).toBe(true);
    const topic = (config: string) => errors(scenario('').replace('replication.factor: 3 }', `replication.factor: 3, config: { ${config} } }`));
    expect(topic('retention.ms: 60000, retention.bytes: 1000000, segment.bytes: 100000, segment.ms: 10000')).toEqual([]);
    expect(topic('retention.ms: -1, retention.bytes: -1')).toEqual([]);
    expect(topic('retention.ms: -2')[0]).toMatch(/invalid value -2 for retention.ms: value must be at least -1/);
    expect(topic('segment.bytes: 10')[0]).toMatch(/invalid value 10 for segment.bytes: value must be at least 14/);
    expect(topic('log.retention.ms: 1000')[0]).toMatch(/"log.retention.ms" is a broker config; its topic-level override is "retention.ms"/);
  });
});
