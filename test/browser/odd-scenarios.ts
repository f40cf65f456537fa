// Odd-but-valid scenario files (and a few odd-and-invalid ones), generated: the cross-engine
// determinism test runs each in Node and in the page and compares (issue 10, point 8).

export interface OddCase {
  id: string;
  fileName: string;
  /** The file's bytes (text cases are UTF-8 encoded). */
  bytes: Uint8Array;
  /** True when the case is meant to be a valid scenario (the test checks Node agrees). */
  valid: boolean;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A plain scenario in block style, the base most variants start from. */
export const BASE = `name: odd-base
title: A leader crash, in plain block style
duration: 20s
cluster:
  brokers: 3
  config:
    unclean.leader.election.enable: true
network:
  latency: 2ms
topics:
  - name: orders
    partitions: 2
    replication.factor: 3
producers:
  - id: checkout
    topic: orders
    rate: 200/s
    config:
      acks: 1
      linger.ms: 5
consumers:
  - id: billing-1
    group: billing
    topics: [orders]
timeline:
  - at: 5s
    crash: 1
    note: The first broker goes down.
  - at: 12s
    restart: 1
    note: It comes back.
`;

/** The same scenario as BASE, as one flow mapping. */
export const FLOW =
  '{name: odd-base, title: "A leader crash, in plain block style", duration: 20s, ' +
  'cluster: {brokers: 3, config: {unclean.leader.election.enable: true}}, network: {latency: 2ms}, ' +
  'topics: [{name: orders, partitions: 2, replication.factor: 3}], ' +
  'producers: [{id: checkout, topic: orders, rate: 200/s, config: {acks: 1, linger.ms: 5}}], ' +
  'consumers: [{id: billing-1, group: billing, topics: [orders]}], ' +
  'timeline: [{at: 5s, crash: 1, note: The first broker goes down.}, {at: 12s, restart: 1, note: It comes back.}]}\n';

const ANCHORS = `name: odd-anchors
duration: 20s
cluster: { brokers: 3, config: &bc { unclean.leader.election.enable: false } }
network: { latency: &lat 2ms }
topics:
  - name: orders
    partitions: 2
    replication.factor: 3
    replicas: &rs [[1, 2, 3], [2, 3, 1]]
    config: &tc { min.insync.replicas: 2 }
  - { name: audit, partitions: 2, replication.factor: 3, replicas: *rs, config: *tc }
producers:
  - id: checkout
    topic: orders
    rate: 200/s
    config: &pc { acks: all, linger.ms: 5 }
  - { id: auditor, topic: audit, rate: 100/s, config: *pc }
timeline:
  - at: 5s
    crash: 1
    note: &n The first broker goes down, again and again.
  - at: 9s
    slow: { broker: 2, latency: *lat }
    note: *n
  - at: 12s
    restart: 1
`;

const MERGE = `name: odd-merge
duration: 10s
cluster: { brokers: 3 }
topics:
  - &t { name: orders, partitions: 1, replication.factor: 3 }
  - <<: *t
    name: audit
`;

const QUOTED = `name: "odd-quoted"
duration: "20s"
seed: 3
cluster: { brokers: 3, config: { min.insync.replicas: "2", unclean.leader.election.enable: "true" } }
network: { latency: "2ms" }
topics:
  - { name: "orders", partitions: 2, replication.factor: 3 }
producers:
  - { id: "checkout", topic: "orders", rate: "200/s", config: { acks: "1", linger.ms: "5", batch.size: '16384' } }
timeline:
  - { at: "5s", crash: 1 }
  - { at: '12s', restart: 1 }
`;

const NUMBERS = `name: odd-numbers
duration: 20000
seed: 0x2A
cluster: { brokers: 3, config: { replica.lag.time.max.ms: 0x2710 } }
network: { latency: 1500us }
topics:
  - { name: orders, partitions: 0o2, replication.factor: 3 }
producers:
  - { id: checkout, topic: orders, rate: 150/s, config: { acks: -1, linger.ms: 0x0A } }
timeline:
  - { at: 5000, crash: 1 }
  - { at: 12.5s, restart: 1 }
`;

const UNICODE = `name: odd-unicode
title: "Ünïcödé, emoji 🚀💥 and scripts: 数据丢失 · данные потеряны · البيانات مفقودة"
description: |
  Notes carry text from every plane: é (precomposed), é (combining), 👩‍👩‍👧 (a ZWJ sequence),
  🇰🇷 (a flag), 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 (astral letters), a zero-width space here:​, and a right-to-left mark: ‏.
duration: 20s
cluster: { brokers: 3, config: { unclean.leader.election.enable: true } }
topics:
  - { name: orders, partitions: 1, replication.factor: 3 }
producers:
  - { id: checkout, topic: orders, rate: 100/s, config: { acks: 1 } }
timeline:
  - at: 5s
    crash: 1
    note: "Broker 1 dies 💥 — les données acquittées sont perdues; 数据丢失; 👩‍👩‍👧 \\u00e9 \\U0001F600 tab:\\t end"
  - at: 12s
    restart: 1
    note: 'Ça revient ✓ — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🇰🇷'
`;

const RANDOM = `name: odd-random
seed: 17
duration: 30s
cluster: { brokers: 3, config: { unclean.leader.election.enable: true } }
network: { latency: { min: 1ms, max: 7ms } }
topics:
  - { name: orders, partitions: 3, replication.factor: 3 }
producers:
  - { id: checkout, topic: orders, rate: 300/s, keys: { random: 50 }, config: { acks: 1 } }
  - { id: cycler, topic: orders, rate: 50/s, keys: [a, b, c, d], config: { acks: all } }
timeline:
  - at: { between: [4s, 9s] }
    crash: { any-of: [1, 2, 3] }
    note: Someone dies, somewhen.
  - at: { between: [10s, 12s] }
    crash: leader-of orders-0
  - at: 20s
    restart: crashed
`;

function longNotes(): string {
  const para = (i: number) => `Paragraph ${i}: the leader acknowledged what the followers had not fetched yet, and then it was gone. `;
  const long = Array.from({ length: 200 }, (_, i) => para(i)).join('');
  return `name: odd-long-notes
title: Long notes
description: |
${Array.from({ length: 300 }, (_, i) => `  ${para(i)}`).join('\n')}
duration: 20s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 1, replication.factor: 3 }
producers:
  - { id: checkout, topic: orders, rate: 100/s }
timeline:
  - at: 5s
    note: "${long}"
  - at: 6s
    crash: 2
    note: >
${Array.from({ length: 100 }, (_, i) => `      ${para(i)}`).join('\n')}
  - at: 15s
    restart: 2
`;
}

const JSON_TEXT = JSON.stringify(
  {
    name: 'odd-json',
    title: 'JSON input, with escapes: \u00e9 \ud83d\ude80',
    duration: '20s',
    cluster: { brokers: 3, config: { 'unclean.leader.election.enable': true } },
    network: { latency: { min: '1ms', max: '3ms' } },
    topics: [{ name: 'orders', partitions: 2, 'replication.factor': 3 }],
    producers: [{ id: 'checkout', topic: 'orders', rate: '200/s', keys: { random: 20 }, config: { acks: 1 } }],
    timeline: [
      { at: { between: ['4s', '8s'] }, crash: { 'any-of': [1, 2] }, note: 'JSON \u2014 "quoted" and \\ back-slashed' },
      { at: '15s', restart: 'crashed' },
    ],
  },
  null,
  2,
);

export function oddCases(): OddCase[] {
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  const latin1Note = BASE.replace('The first broker goes down.', 'Le premier broker tombe: caf\u00e9.');
  const latin1 = Uint8Array.from(latin1Note, (c) => c.charCodeAt(0)); // é as the single byte 0xE9
  return [
    { id: 'block', fileName: 'odd-block.yaml', bytes: utf8(BASE), valid: true },
    { id: 'flow', fileName: 'odd-flow.yaml', bytes: utf8(FLOW), valid: true },
    { id: 'anchors-aliases', fileName: 'odd-anchors.yaml', bytes: utf8(ANCHORS), valid: true },
    { id: 'merge-key', fileName: 'odd-merge.yaml', bytes: utf8(MERGE), valid: false },
    { id: 'merge-key-yaml-1.1', fileName: 'odd-merge-11.yaml', bytes: utf8('%YAML 1.1\n---\n' + MERGE), valid: false },
    { id: 'quoted-numbers', fileName: 'odd-quoted.yaml', bytes: utf8(QUOTED), valid: true },
    { id: 'quoted-counts', fileName: 'odd-quoted-counts.yaml', bytes: utf8(QUOTED.replace('partitions: 2, replication.factor: 3', 'partitions: "2", replication.factor: "3"')), valid: false },
    { id: 'underscore-number', fileName: 'odd-underscore.yaml', bytes: utf8(NUMBERS.replace('0x2710', '1_0000')), valid: false },
    { id: 'number-forms', fileName: 'odd-numbers.yaml', bytes: utf8(NUMBERS), valid: true },
    { id: 'unicode-emoji', fileName: 'odd-unicode.yaml', bytes: utf8(UNICODE), valid: true },
    { id: 'crlf', fileName: 'odd-crlf.yaml', bytes: utf8(crlf(UNICODE)), valid: true },
    { id: 'bom', fileName: 'odd-bom.yaml', bytes: utf8('\uFEFF' + RANDOM), valid: true },
    { id: 'bom-crlf-json', fileName: 'odd-bom-crlf.json', bytes: utf8('\uFEFF' + crlf(JSON_TEXT)), valid: true },
    { id: 'json', fileName: 'odd.json', bytes: utf8(JSON_TEXT), valid: true },
    { id: 'random-between-any-of', fileName: 'odd-random.yaml', bytes: utf8(RANDOM), valid: true },
    { id: 'long-notes', fileName: 'odd-long.yaml', bytes: utf8(longNotes()), valid: true },
    { id: 'invalid-utf8', fileName: 'odd-latin1.yaml', bytes: latin1, valid: false },
    // Node's yaml reads !!binary as a Buffer (traced as "hello"), Chromium's as a Uint8Array
    // ("104,101,108,108,111"): before the validator refused non-string tags, one file, two hashes.
    { id: 'binary-tag-note', fileName: 'odd-binary.yaml', bytes: utf8(BASE.replace('note: The first broker goes down.', 'note: !!binary aGVsbG8=')), valid: false },
    { id: 'binary-tag-title', fileName: 'odd-binary-title.yaml', bytes: utf8(BASE.replace('title: A leader crash, in plain block style', 'title: !!binary aGVsbG8=')), valid: false },
    { id: 'timestamp-tag-note', fileName: 'odd-timestamp.yaml', bytes: utf8(BASE.replace('note: It comes back.', 'note: !!timestamp 2001-12-14t21:59:43.10-05:00')), valid: false },
    { id: 'custom-tag-note', fileName: 'odd-custom-tag.yaml', bytes: utf8(BASE.replace('note: It comes back.', 'note: !shout it comes back')), valid: false },
  ];
}
