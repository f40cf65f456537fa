// Limits of the model that Kafka does not have, met by valid-looking scenarios: each is refused up
// front with a located error that names kafkasim's limit, and a run that reaches one anyway stops
// with exit 3 and a message, never a stack trace (exit 1) or an out-of-memory crash.
//
// - The ledger follows at most 32 brokers per partition (a record's holders are one bit each in an
//   Int32); Kafka's replication factor is bounded only by the number of brokers. Without the checks,
//   replication.factor 33 threw "the ledger follows at most 32 replicas" from inside the run.
// - __consumer_offsets is built with all its partitions at the start, like any topic, so
//   offsets.topic.num.partitions is held to a topic's 100,000 partitions; Kafka's ConfigDef allows
//   up to 2^31 − 1, and 2147483647 made kafkasim run out of memory.
// - The ledger keeps every record for the whole run (about 100 bytes each), so a run stops once the
//   producers have created MAX_LEDGER_RECORDS, as at the event limit: 1,000,000/s for an hour grew
//   by about 1 GB per simulated minute, until the process would run out of memory. Tested here with
//   a lowered limit.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LEDGER_RECORDS } from '../../sim/check/index.ts';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import { runScenario, SimulationFailure } from '../../src/scenario/run.ts';
import { cli, STACK_TRACE } from '../cli/support.ts';

const errors = (text: string): string[] => {
  const r = parseScenario(text, 'l.yaml');
  return r.ok ? [] : r.errors.map(formatError);
};

const topic = (brokers: number, rf: number, extra = '') => `name: limits
duration: 1s
cluster: { brokers: ${brokers} }
topics:
  - { name: orders, partitions: 1, replication.factor: ${rf} }
${extra}`;

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('replicas per partition: at most the 32 the ledger follows', () => {
  it('refuses replication.factor 33 at the key, naming the limit', () => {
    expect(errors(topic(40, 33))).toEqual([
      'l.yaml:5:56  topics[0].replication.factor  replication factor 33 is more than kafkasim follows (at most 32 replicas per partition: its ledger keeps one bit per replica); Kafka itself allows up to the number of brokers',
    ]);
  });

  it('refuses 33 explicit replicas, and a default.replication.factor of 33', () => {
    const listed = `name: limits
duration: 1s
cluster: { brokers: 40 }
topics:
  - { name: orders, replicas: [[${range(1, 33).join(', ')}]] }
`;
    expect(errors(listed).join('\n')).toMatch(/^l\.yaml:5:5 {2}topics\[0\] {2}replication factor 33 is more than kafkasim follows/);
    const byDefault = `name: limits
duration: 1s
cluster: { brokers: 40, config: { default.replication.factor: 33 } }
topics:
  - { name: orders }
`;
    expect(errors(byDefault)).toHaveLength(1);
  });

  it('accepts 32', () => {
    expect(errors(topic(40, 32))).toEqual([]);
  });

  it('refuses a reassignment to 33 brokers at its replicas list', () => {
    const text = topic(40, 3, `timeline:\n  - { at: 500ms, reassign: { partition: orders-0, replicas: [${range(1, 33).join(', ')}] } }\n`);
    expect(errors(text)).toEqual([
      'l.yaml:7:61  timeline[0].reassign.replicas  33 replicas are more than kafkasim follows (at most 32 per partition: its ledger keeps one bit per replica)',
    ]);
  });

  it('a run whose reassignment brings a 33rd broker to a partition stops with exit 3 and says why', async () => {
    // 20 replicas reassigned to 20 others: during the move all 40 fetch and append (KIP-455: the
    // target's new replicas are added while the old ones remain), which the validator cannot see
    // statically in general; the run must stop cleanly when it gets there.
    const text = `name: chain
duration: 5s
cluster: { brokers: 40 }
topics:
  - { name: orders, partitions: 1, replicas: [[${range(1, 20).join(', ')}]] }
producers:
  - { id: p, topic: orders, rate: 100/s }
timeline:
  - { at: 1s, reassign: { partition: orders-0, replicas: [${range(21, 40).join(', ')}] } }
`;
    expect(errors(text)).toEqual([]);
    const file = join(mkdtempSync(join(tmpdir(), 'kafkasim-limits-')), 'chain.yaml');
    writeFileSync(file, text);
    const r = await cli('run', file, '--event-limit', '1000000');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).toMatch(/^run aborted in scenario chain, seed 1: the ledger follows at most 32 brokers per partition/);
    expect(r.code).toBe(3);
  });
});

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

describe('records per run: the ledger stops the run at its limit', () => {
  // 1000 records/s for 10 s: 10,000 records, above a limit of 2,000, which they reach at about 2 s
  const text = `name: many
duration: 10s
cluster: { brokers: 1 }
topics:
  - { name: orders, partitions: 1, replication.factor: 1 }
producers:
  - { id: p, topic: orders, rate: 1000/s, config: { linger.ms: 0 } }
`;

  it('stops as a simulation failure naming the limit and the simulated time, not an exception', () => {
    const parsed = parseScenario(text, 'many.yaml');
    if (!parsed.ok) throw new Error(parsed.errors.map(formatError).join('\n'));
    let error: unknown;
    try {
      runScenario(parsed.scenario, parsed.spec, { recordLimit: 2000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationFailure);
    const f = error as SimulationFailure;
    expect(f.reason.name).toBe('LedgerLimitExceeded');
    expect(f.message).toMatch(/^scenario many, seed 1: the ledger follows at most 2000 records .* by simulated time 2(\.\d+)? s, before the run's end/);
  });

  it('runs to the end below the limit, and the default limit is 50,000,000', () => {
    const parsed = parseScenario(text, 'many.yaml');
    if (!parsed.ok) throw new Error('invalid');
    expect(runScenario(parsed.scenario, parsed.spec, { recordLimit: 20_000 }).endUs).toBe(10_000_000);
    expect(MAX_LEDGER_RECORDS).toBe(50_000_000);
  });
});

describe('numbers and durations beyond 2^53 − 1 say where the limit is', () => {
  // YAML reads 9007199254740993 as the double 9007199254740992: the message must not just echo a
  // rounded number as if it were what the file says, nor "too long" without a limit
  const text = `name: big
duration: 9007199254740993ms
cluster: { brokers: 1 }
topics:
  - { name: orders, partitions: 1 }
expect:
  - acked: { min: 9007199254740993 }
`;
  it('names 2^53 − 1 for an integer and for a duration', () => {
    expect(errors(text)).toEqual([
      'l.yaml:2:11  duration  9007199254740993ms is too long: at most 9007199254740991us (2^53 − 1 microseconds, about 285 years)',
      'l.yaml:7:19  expect[0].acked.min  expected a whole number ≥ 0, got a number beyond 9007199254740991 (2^53 − 1, the largest whole number read exactly)',
    ]);
  });
});

describe('cluster size: partitions, and brokers × partitions', () => {
  // measured before the limits: 1,000 brokers × 100,000 partitions ran >120 s and 3.8 GB without a
  // line of output; 1,000,000 partitions on 3 brokers would take about 8 GB (0.8 GB per 100,000)
  const sized = (brokers: number, topics: number[], timeline = '') => `name: size
duration: 10s
cluster: { brokers: ${brokers} }
topics:
${topics.map((p, i) => `  - { name: t${i}, partitions: ${p}, replication.factor: 1 }\n`).join('')}${timeline}`;

  it('refuses brokers × partitions above 20,000,000 at topics, accepts it at the limit', () => {
    expect(errors(sized(1000, [100_000]))).toEqual([
      "l.yaml:5:3  topics  1,000 brokers × 100,000 partitions is 100,000,000: every broker keeps the whole cluster's metadata, and kafkasim models at most 20,000,000 (1,000 brokers × 20,000 partitions take about 1 GB); use fewer brokers or partitions",
    ]);
    expect(errors(sized(1000, [20_000]))).toEqual([]);
    expect(errors(sized(1000, [20_001])).join('\n')).toContain('20,001 partitions is 20,001,000');
  });

  it('counts partitions over every topic and what add-partitions adds', () => {
    expect(errors(sized(3, [100_000, 100_000]))).toEqual([]);
    expect(errors(sized(3, [100_000, 100_000, 1]))).toEqual([
      'l.yaml:5:3  topics  the topics reach 200,001 partitions: kafkasim models at most 200,000 in a cluster (each costs several kB: 100,000 take about 1 GB); use fewer partitions',
    ]);
    const grown = sized(3, [100_000, 50_000, 1], 'timeline:\n  - { at: 5s, add-partitions: { topic: t1, count: 100000 } }\n');
    expect(errors(grown).join('\n')).toContain('the topics reach 200,001 partitions');
  });
});

describe('producers together: at most 1,000,000 records per second', () => {
  // every send() is an event: 200 producers at 1,000,000/s each made 200 million events per
  // simulated second and ran past five minutes and 3.4 GB without output
  const producers = (rates: string[]) => `name: rates
duration: 10s
cluster: { brokers: 1 }
topics:
  - { name: orders, partitions: 1 }
producers:
${rates.map((r, i) => `  - { id: p${i}, topic: orders, rate: ${r} }\n`).join('')}`;

  it('accepts one producer at 1,000,000/s and several that add up to it', () => {
    expect(errors(producers(['1000000/s']))).toEqual([]);
    expect(errors(producers(['500000/s', '500/ms']))).toEqual([]);
  });

  it('refuses rates that add up to more, at producers', () => {
    expect(errors(producers(['600000/s', '600000/s']))).toEqual([
      "l.yaml:7:3  producers  the producers' rates add up to 1200000/s: kafkasim simulates every send(), and all producers together may send at most 1000000/s",
    ]);
  });
});

describe('values nested too deeply for the parser', () => {
  it('say so, located, instead of "Maximum call stack size exceeded"', () => {
    const deep = `name: deep\nduration: 1s\ncluster: { brokers: 1 }\ndescription: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const e = errors(deep);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^l\.yaml:4:\d+ {2}YAML syntax: values nest too deeply here for the YAML parser to read \(its call stack ran out\); a scenario nests a few levels$/);
  });
});
