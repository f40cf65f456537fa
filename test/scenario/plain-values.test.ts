// Only plain YAML values reach the scenario (issue 10, point 8): `note: !!binary aGVsbG8=` was traced
// as "hello" by the CLI (a Node Buffer) and as "104,101,108,108,111" in a browser (a Uint8Array), so
// one scenario and seed gave two trace hashes. Tags other than YAML 1.2's core ones are located
// errors, and the ways of writing the same scenario (flow or block, anchors, quoted numbers, CRLF, a
// byte-order mark, JSON) all give the same spec, made of plain data only (no Buffer, Date or Symbol
// whose printing depends on the JavaScript engine or the time zone).

import { describe, expect, it } from 'vitest';
import { parseScenario, type ParseResult } from '../../src/scenario/index.ts';

const BASE = 'name: x\nduration: 60s\ncluster: { brokers: 3 }\ntopics: [{ name: orders }]\nproducers: [{ id: checkout, topic: orders, rate: 1/s }]\n';
const errorsOf = (text: string): string[] => {
  const r = parseScenario(text, 'tags.yaml');
  return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.path}  ${e.message}`);
};
const refusal = (tag: string): string => `the tag ${tag} is not accepted: write a plain value (a text, a number, true or false, a list or a mapping)`;

describe('tags', () => {
  it.each([
    ['!!binary aGVsbG8=', '!!binary'],
    ['!!timestamp 2001-12-14', '!!timestamp'],
    ['!!set { a, b }', '!!set'],
    ['!!omap [a: 1]', '!!omap'],
    ['!!pairs [a: 1]', '!!pairs'],
    ['!foo bar', '!foo'],
    ['!<tag:example.com,2000:x> bar', 'tag:example.com,2000:x'],
  ])('%s in a note is refused where it stands', (value, tag) => {
    expect(errorsOf(`${BASE}timeline:\n  - at: 1s\n    note: ${value}\n`)).toEqual([`8:${11 + value.indexOf(' ') + 1} timeline[0].note  ${refusal(tag)}`]);
  });

  it('in every string field: name, title, description, ids, topic names, partitions, config values', () => {
    const text = [
      'name: !!binary aGVsbG8=', 'title: !!timestamp 2001-12-14', 'description: !foo x', 'duration: 60s', 'cluster: { brokers: 3, controller: !!binary a3JhZnQ= }',
      'topics: [{ name: !!binary b3JkZXJz }]', 'producers: [{ id: !!binary aWQ=, topic: orders, rate: 1/s }]',
      'consumers: [{ id: c, group: !!binary Zw==, topics: [!!binary b3JkZXJz] }]',
      'timeline:', '  - { at: !!timestamp 2001-12-14, crash: 1 }', '  - { at: 1s, crash: !!binary MQ== }', '  - { at: 1s, elect-leaders: { partition: !!binary b3JkZXJzLTA= } }',
      'expect:', '  - event: { type: !!binary bm90ZQ== }', '',
    ].join('\n');
    expect(errorsOf(text).map((e) => e.replace(/ {2}the tag (\S+) is not accepted.*/, ' $1'))).toEqual([
      '1:16 name !!binary', '2:20 title !!timestamp', '3:19 description !foo', '5:45 cluster.controller !!binary',
      '6:27 topics[0].name !!binary', '7:28 producers[0].id !!binary',
      '7:41 producers[0].topic  topic "orders" does not exist (no topics are defined)', // its definition was refused
      '8:38 consumers[0].group !!binary', '8:62 consumers[0].topics[0] !!binary',
      '10:23 timeline[0].at !!timestamp', '11:31 timeline[1].crash !!binary', '12:52 timeline[2].elect-leaders.partition !!binary',
      '14:29 expect[0].event.type !!binary',
    ]);
  });

  it('on a key, and on a list or a mapping', () => {
    expect(errorsOf(`${BASE}!!binary dGl0bGU=: x\n`)).toEqual([`6:10   ${refusal('!!binary')}`]);
    expect(errorsOf(`${BASE}!foo title: x\n`)).toEqual([`6:6   ${refusal('!foo')}`]);
    expect(errorsOf(`${BASE}timeline: !!set { a }\n`)).toEqual([`6:17 timeline  ${refusal('!!set')}`]);
    expect(errorsOf(`${BASE}timeline: !mine [{ at: 1s, note: x }]\n`)).toEqual([`6:17 timeline  ${refusal('!mine')}`]);
  });

  it('a merge key tag (!!merge) is refused too; a plain << is an unknown key', () => {
    expect(errorsOf(`${BASE}timeline:\n  - { at: 1s, note: !!merge << }\n`)).toEqual([`7:29 timeline[0].note  ${refusal('!!merge')}`]);
    expect(errorsOf(`${BASE}title: x\nbase: &b { at: 1s }\n`)[0]).toContain('unknown key "base"');
  });

  it('accepts the core schema\'s own tags and the non-specific one, which mean what an untagged value means', () => {
    const text = 'name: !!str x\nduration: !!str 60s\ncluster: !!map { brokers: !!int 3 }\ntopics: !!seq [{ name: ! orders, partitions: !!int "2" }]\n' +
      'title: !!str 2001-12-14\ndescription: !<tag:yaml.org,2002:str> d\ntimeline: [{ at: 1s, note: !!str 3 }, { at: 2s, crash: !!int "1" }]\nconsumers: !!null ""\nexpect: [{ event: { type: note, min: !!int "1" } }, { at: !!int 3000, lost: !!int "0" }]\n';
    const r = parseScenario(text, 'core.yaml');
    expect(r.ok ? [] : r.errors).toEqual([]);
    expect(r.ok && r.scenario).toMatchObject({ name: 'x', title: '2001-12-14', description: 'd', topics: [{ name: 'orders', partitions: 2 }] });
    expect(r.ok && r.spec.timeline.map((s) => [s.note, s.action])).toEqual([['3', undefined], [undefined, { type: 'crash', nodes: [1] }]]);
    expect(r.ok && r.scenario.expect.map((e) => [e.atUs, 'bound' in e && e.bound])).toEqual([[undefined, { min: 1 }], [3_000_000, { is: 0 }]]);
  });

  it('a %YAML 1.1 document is still read with YAML 1.2\'s core schema: no dates, no sexagesimal numbers', () => {
    const r = parseScenario(`%YAML 1.1\n---\n${BASE}title: 2001-12-14\ndescription: 1:20\n`, 'old.yaml');
    expect(r.ok && r.scenario).toMatchObject({ title: '2001-12-14', description: '1:20' });
  });
});

/** Only what JSON can hold, with plain prototypes: nothing whose printing depends on the engine. */
function expectPlainData(value: unknown, path = 'spec'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    expect(Number.isFinite(value), path).toBe(true);
    return;
  }
  expect(typeof value, path).toBe('object');
  if (Array.isArray(value)) {
    expect(Object.getPrototypeOf(value), path).toBe(Array.prototype);
    value.forEach((v, i) => expectPlainData(v, `${path}[${i}]`));
    return;
  }
  expect(Object.getPrototypeOf(value), path).toBe(Object.prototype);
  for (const [k, v] of Object.entries(value as object)) if (v !== undefined) expectPlainData(v, `${path}.${k}`);
}

/** The spec without positions in the file, which differ with the layout. */
function withoutSources(r: ParseResult): unknown {
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.path} ${e.message}`).join('\n'));
  return JSON.parse(JSON.stringify({ scenario: r.scenario, spec: r.spec }, (k, v) => (k === 'source' ? undefined : v)));
}

describe('odd but valid files give the same scenario and spec', () => {
  const NOTE = 'Broker 1 dies: café, naïve, e\u0301 (combining), 한국어, עברית, 😀, \u00a0no-break, tab\there';
  const canonical = [
    '# yaml-language-server: $schema=../scenario.schema.json',
    'name: odd-but-valid',
    'title: "Seoul: 서울"',
    'description: |',
    '  Line one.',
    '  Line two, 😀.',
    'duration: 60s',
    'cluster:',
    '  brokers: 3',
    '  config:',
    '    unclean.leader.election.enable: true',
    '    replica.lag.time.max.ms: 10000',
    'topics:',
    '  - name: orders',
    '    partitions: 2',
    '    replication.factor: 3',
    '    config:',
    '      min.insync.replicas: 2',
    'producers:',
    '  - id: checkout',
    '    topic: orders',
    '    rate: 100/s',
    '    keys: [a, "1", b]',
    '    config:',
    '      acks: all',
    '      linger.ms: 5',
    'consumers:',
    '  - id: billing',
    '    group: billing-group',
    '    topics: [orders]',
    'timeline:',
    '  - at: 10s',
    '    crash: 1',
    `    note: "${NOTE.replace('\t', '\\t')}"`,
    '  - at: 20s',
    '    restart: 1',
    '  - at: 30s',
    '    alter-config:',
    '      topic: orders',
    '      set:',
    '        min.insync.replicas: 1',
    'expect:',
    '  - lost: 0',
    '  - at: 50s',
    '    isr: { partition: orders-1, is: [1, 2, 3] }',
    '',
  ].join('\n');

  const flow = `{name: odd-but-valid, title: "Seoul: 서울", description: "Line one.\\nLine two, 😀.\\n", duration: 60s,
  cluster: {brokers: 3, config: {unclean.leader.election.enable: true, replica.lag.time.max.ms: 10000}},
  topics: [{name: orders, partitions: 2, replication.factor: 3, config: {min.insync.replicas: 2}}],
  producers: [{id: checkout, topic: orders, rate: 100/s, keys: [a, "1", b], config: {acks: all, linger.ms: 5}}],
  consumers: [{id: billing, group: billing-group, topics: [orders]}],
  timeline: [{at: 10s, crash: 1, note: "${NOTE.replace('\t', '\\t')}"}, {at: 20s, restart: 1}, {at: 30s, alter-config: {topic: orders, set: {min.insync.replicas: 1}}}],
  expect: [{lost: 0}, {at: 50s, isr: {partition: orders-1, is: [1, 2, 3]}}]}
`;

  /** Anchors and aliases, quoted numbers where text or ids are expected, tags of the core schema, comments, document markers. */
  const aliased = `%YAML 1.2
---
name: 'odd-but-valid'   # single quotes
title: "Seoul: \\uC11C\\uC6B8"
description: "Line one.\\nLine two, \\U0001F600.\\n"
duration: !!str 60s
cluster:
  brokers: !!int "3"
  config: &broker
    unclean.leader.election.enable: "TRUE"
    replica.lag.time.max.ms: "10000"
topics:
  - name: &topic orders
    partitions: 2
    replication.factor: 3
    config: { min.insync.replicas: "2" }
producers:
  - id: checkout
    topic: *topic
    rate: 100/s
    keys: [a, 1, b]
    config: { acks: -1, linger.ms: "5" }
consumers:
  - { id: billing, group: billing-group, topics: [*topic] }
timeline:
  - { at: 10000, crash: "1", note: "${NOTE.replace('\t', '\\t')}" }
  - { at: 20s, restart: [1] }
  - at: 0.5m
    alter-config: { topic: *topic, set: { min.insync.replicas: 1 } }
expect:
  - lost: { is: 0 }
  - { at: 50000ms, isr: { partition: orders-1, is: [1, 2, 3] } }
...
`;

  const json = JSON.stringify({
    name: 'odd-but-valid', title: 'Seoul: 서울', description: 'Line one.\nLine two, 😀.\n', duration: '60s',
    cluster: { brokers: 3, config: { 'unclean.leader.election.enable': true, 'replica.lag.time.max.ms': 10000 } },
    topics: [{ name: 'orders', partitions: 2, 'replication.factor': 3, config: { 'min.insync.replicas': 2 } }],
    producers: [{ id: 'checkout', topic: 'orders', rate: '100/s', keys: ['a', '1', 'b'], config: { acks: 'all', 'linger.ms': 5 } }],
    consumers: [{ id: 'billing', group: 'billing-group', topics: ['orders'] }],
    timeline: [{ at: '10s', crash: 1, note: NOTE }, { at: '20s', restart: 1 }, { at: '30s', 'alter-config': { topic: 'orders', set: { 'min.insync.replicas': 1 } } }],
    expect: [{ lost: 0 }, { at: '50s', isr: { partition: 'orders-1', is: [1, 2, 3] } }],
  }, null, 2);

  const reference = parseScenario(canonical, 'odd.yaml');

  it('the canonical file is plain data through and through', () => {
    expect(reference.ok).toBe(true);
    if (!reference.ok) return;
    expectPlainData(reference.spec);
    expectPlainData(JSON.parse(JSON.stringify(reference.scenario)));
    expect(reference.spec.timeline[0].note).toBe(NOTE);
    expect(reference.scenario.description).toBe('Line one.\nLine two, 😀.\n');
  });

  it.each([
    ['CRLF line ends', canonical.replace(/\n/g, '\r\n')],
    ['a byte-order mark', `\uFEFF${canonical}`],
    ['both', `\uFEFF${canonical.replace(/\n/g, '\r\n')}`],
  ])('%s: the same spec, positions included', (_, text) => {
    const r = parseScenario(text, 'odd.yaml');
    expect(r).toEqual(reference);
  });

  it.each([
    ['flow style', flow, 'odd.yaml'],
    ['anchors, aliases, quoted numbers, core tags, another unit', aliased, 'odd.yaml'],
    ['JSON', json, 'odd.json'],
    ['JSON with a byte-order mark and CRLF', `\uFEFF${json.replace(/\n/g, '\r\n')}`, 'odd.json'],
  ])('%s: the same spec, but for positions in the file', (_, text, file) => {
    const r = parseScenario(text, file);
    expect(withoutSources(r)).toEqual(withoutSources(reference));
    if (r.ok) expectPlainData(r.spec);
  });
});
