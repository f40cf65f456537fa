// cluster.kafka.version (issue 15): every row of the version table (sim/kafka/versions.ts) is run at the
// versions on both sides of its change, and each side does what Kafka documents for it. Library
// scenarios are reused with the setting the row is about taken out of them, so the version decides it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { VERSION_TABLE, behavioursOf, versionDefaults, versionDifferences } from '../../sim/kafka/versions.ts';
import type { TraceEvent } from '../../sim/engine/index.ts';

const LIBRARY = join(import.meta.dirname, '../../scenarios/library');
const library = (name: string): string => readFileSync(join(LIBRARY, `${name}.yaml`), 'utf8');

/** The scenario text with `kafka.version` set (no expectations: the tests assert themselves). */
function atVersion(text: string, version: string): string {
  const noExpect = text.replace(/\nexpect:[\s\S]*$/, '\n');
  return noExpect.replace(/^cluster:\n/m, `cluster:\n  kafka.version: "${version}"\n`).replace(/^cluster: \{ /m, `cluster: { kafka.version: "${version}", `);
}

function parse(text: string) {
  const parsed = parseScenario(text, 'v.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map(formatError).join('\n'));
  return parsed;
}

function run(text: string) {
  const p = parse(text);
  return runScenario(p.scenario, p.spec, { keepTrace: true }).sim;
}

function errors(text: string): string[] {
  const parsed = parseScenario(text, 'v.yaml');
  return parsed.ok ? [] : parsed.errors.map(formatError);
}

const events = (sim: { trace: { events: readonly TraceEvent[] } }, type: string) => sim.trace.events.filter((e) => e.type === type);

/** Which rows a test covers, checked at the end against the table. */
const covered = new Set<string>();
const row = (since: string, what: string) => covered.add(`${since} ${what}`);

const SMALL = (version: string, extra = '') => `name: v
duration: 2s
cluster: { brokers: 3, kafka.version: "${version}" }
topics:
  - { name: orders, partitions: 2, replication.factor: 3 }
producers:
  - { id: p, topic: orders, rate: 10/s${extra} }
`;

describe('0.11: leader epochs (KIP-101) and clean election by default (KIP-106)', () => {
  it('on 0.10 a follower truncates to its own HW and can diverge; on 0.11 it asks the leader by epoch and does not', () => {
    row('0.11', 'replicationProtocol');
    // 0.10's and 0.11's clients had no socket.connection.setup.timeout.* (KIP-601, 2.7), 0.10's no reconnect.backoff.max.ms (KIP-144)
    const text = library('kip-101-high-watermark-divergence').replace(/^ {2}replication\.protocol: high-watermark\n/m, '')
      .replace(/^ {6}(socket\.connection\.setup\.timeout(\.max)?|reconnect\.backoff\.max)\.ms: \d+\n/gm, '');
    const old = run(atVersion(text, '0.10'));
    const now = run(atVersion(text, '0.11'));
    expect(old.spec.replicationProtocol).toBe('high-watermark');
    expect(now.spec.replicationProtocol).toBe('leader-epoch');
    // the KIP-101 case: without epochs broker 1 keeps its m2 at offset 1 where the leader has m3 (no
    // truncation: the logs diverge for good); with epochs it finds the divergence and truncates it
    const truncationsOf1 = (s: typeof old) => events(s, 'truncated').filter((e) => e.broker === 1).length;
    expect(truncationsOf1(old)).toBe(0);
    expect(truncationsOf1(now)).toBe(1);
    expect(events(now, 'truncated').find((e) => e.broker === 1)!.reason).toBe('diverging-epoch');
    expect(errors(text.replace(/^ {2}page-cache-writeback/m, '  kafka.version: "0.10"\n  replication.protocol: leader-epoch\n  page-cache-writeback').replace(/\nexpect:[\s\S]*$/, '\n'))[0])
      .toMatch(/cluster\.replication\.protocol +leader-epoch truncation appeared in Kafka 0\.11 \(KIP-101\)/);
  });

  it('on 0.10 the controller elects an out-of-sync replica and acknowledged writes are lost; on 0.11 the partition waits without a leader', () => {
    row('0.11', 'unclean.leader.election.enable');
    const text = library('unclean-election-loses-acked-writes').replace(/^ {2}config:\n {4}unclean\.leader\.election\.enable: true\n/m, '');
    const old = run(atVersion(text, '0.10'));
    const now = run(atVersion(text, '0.11'));
    expect(events(old, 'unclean-election')).toHaveLength(1);
    expect(old.ledgerSummary().lost).toBeGreaterThan(900);
    expect(events(now, 'unclean-election')).toHaveLength(0);
    expect(now.ledgerSummary().lost).toBe(0);
  });

  it('enable.idempotence cannot be set before 0.11 (KIP-98)', () => {
    row('0.11', 'enable.idempotence exists');
    expect(errors(SMALL('0.10', ', config: { enable.idempotence: true, acks: all }'))[0]).toMatch(/producers\[0\]\.config\.enable\.idempotence +enable\.idempotence appeared in Kafka 0\.11 \(KIP-98\)/);
    expect(errors(SMALL('0.11', ', config: { enable.idempotence: true, acks: all }'))).toEqual([]);
  });
});

describe('0.11: the first rebalance of a new group waits group.initial.rebalance.delay.ms (KIP-134)', () => {
  it('on 0.10 the coordinator completes the first join at once; from 0.11 it waits 3 s for more members', () => {
    row('0.11', 'group.initial.rebalance.delay.ms');
    const text = (v: string, config = '') => `name: v
duration: 5s
cluster: { brokers: 3, kafka.version: "${v}"${config} }
topics:
  - { name: orders, partitions: 1, replication.factor: 3 }
consumers:
  - { id: c, group: g, topics: [orders] }
`;
    const firstJoin = (v: string) => events(run(text(v)), 'rebalance').find((e) => e.phase === 'join')!.t;
    // KAFKA-4925 brought InitialDelayedJoin; before it the join completed once every known member had joined
    expect(firstJoin('0.10')).toBeLessThan(1_000_000);
    expect(firstJoin('0.11')).toBeGreaterThanOrEqual(3_000_000);
    expect(errors(text('0.10', ', config: { group.initial.rebalance.delay.ms: 0 }'))[0]).toMatch(/group\.initial\.rebalance\.delay\.ms appeared in Kafka 0\.11 \(KIP-134\)/);
  });
});

describe('configs that came later, by the version each appeared in (the config classes at the release tags)', () => {
  const CONSUMER = (v: string, config: string) => `name: v
duration: 2s
cluster: { brokers: 3, kafka.version: "${v}" }
topics:
  - { name: orders, partitions: 1, replication.factor: 3 }
consumers:
  - { id: c, group: g, topics: [orders], config: { ${config} } }
`;
  const BROKER = (v: string, config: string) => SMALL(v).replace('brokers: 3,', `brokers: 3, config: { ${config} },`);
  const cases: [since: string, before: string, text: (v: string) => string, name: string][] = [
    ['0.11', '0.10', (v) => CONSUMER(v, 'isolation.level: read_committed'), 'isolation.level'],
    ['0.11', '0.10', (v) => CONSUMER(v, 'reconnect.backoff.max.ms: 2000'), 'reconnect.backoff.max.ms'],
    ['0.11', '0.10', (v) => SMALL(v, ', config: { reconnect.backoff.max.ms: 2000 }'), 'reconnect.backoff.max.ms'],
    ['2.3', '2.2', (v) => CONSUMER(v, 'client.rack: a'), 'client.rack'],
    ['2.4', '2.3', (v) => BROKER(v, 'replica.selector.class: RackAwareReplicaSelector'), 'replica.selector.class'],
    ['2.8', '2.7', (v) => BROKER(v, 'broker.heartbeat.interval.ms: 1000'), 'broker.heartbeat.interval.ms'],
    ['2.8', '2.7', (v) => BROKER(v, 'controller.quorum.election.timeout.ms: 500, controller.quorum.fetch.timeout.ms: 1000, controller.quorum.election.backoff.max.ms: 500, controller.quorum.request.timeout.ms: 1000, controller.quorum.retry.backoff.ms: 10'), 'controller.quorum.election.timeout.ms'],
    ['3.3', '3.2', (v) => BROKER(v, 'metadata.max.idle.interval.ms: 100'), 'metadata.max.idle.interval.ms'],
  ];
  it('each is refused the release before and accepted from it', () => {
    for (const [since, before, text, name] of cases) {
      row(since, name);
      expect(errors(text(before))[0], name).toMatch(new RegExp(`${name.replace(/\./g, '\\.')} appeared in Kafka ${since.replace('.', '\\.')}`));
      expect(errors(text(since)), name).toEqual([]);
    }
    row('2.8', 'controller.quorum.');
  });

  it('consumer defaults: request.timeout.ms 305 s before 2.0 (KIP-266), partition.assignment.strategy [range] before 3.0 (KIP-726)', () => {
    row('2.0', 'request.timeout.ms');
    row('3.0', 'partition.assignment.strategy');
    // ConsumerConfig at the tags: 305000 on 1.1.0, 30000 on 2.0.0; [RangeAssignor] on 2.8.0, [RangeAssignor, CooperativeStickyAssignor] on 3.0.0
    const config = (v: string) => parse(CONSUMER(v, 'auto.offset.reset: earliest')).spec.consumers[0].config;
    expect(config('1.1')['request.timeout.ms']).toBe(305000);
    expect(config('2.0')['request.timeout.ms']).toBeUndefined();
    expect(config('2.8')['partition.assignment.strategy']).toEqual(['range']);
    expect(config('3.0')['partition.assignment.strategy']).toBeUndefined();
  });

  it('elect-leaders type: unclean needs kafka-leader-election (2.4, KIP-460); preferred elections worked before', () => {
    const text = (v: string, type: string) => `${SMALL(v)}timeline:\n  - { at: 1s, elect-leaders: { partitions: all, type: ${type} } }\n`;
    expect(errors(text('2.3', 'unclean'))[0]).toMatch(/timeline\[0\]\.elect-leaders\.type +unclean elections by kafka-leader-election appeared in Kafka 2\.4 \(KIP-460/);
    expect(errors(text('2.3', 'preferred'))).toEqual([]);
    expect(errors(text('2.4', 'unclean'))).toEqual([]);
  });

  it('before 0.11 (KIP-144) a client reconnects every reconnect.backoff.ms: the maximum is pinned to it', () => {
    row('0.11', 'reconnect.backoff.ms doubling');
    expect(parse(SMALL('0.10')).spec.producers[0].config['reconnect.backoff.max.ms']).toBe(50);
    expect(parse(SMALL('0.10', ', config: { reconnect.backoff.ms: 200 }')).spec.producers[0].config['reconnect.backoff.max.ms']).toBe(200);
    expect(parse(CONSUMER('0.10', 'reconnect.backoff.ms: 300')).spec.consumers[0].config['reconnect.backoff.max.ms']).toBe(300);
    expect(parse(SMALL('0.11')).spec.producers[0].config['reconnect.backoff.max.ms']).toBeUndefined();
  });

  it('group.max.session.timeout.ms 5 minutes before 2.3 (KIP-345): a consumer asking for more is refused INVALID_SESSION_TIMEOUT', () => {
    row('2.3', 'group.max.session.timeout.ms');
    // 5 s: the first join waits group.initial.rebalance.delay.ms (3 s)
    const text = (v: string) => CONSUMER(v, 'session.timeout.ms: 400000, heartbeat.interval.ms: 3000').replace('duration: 2s', 'duration: 5s');
    expect(events(run(text('2.2')), 'consumer-error').map((e) => e.error)).toContain('INVALID_SESSION_TIMEOUT');
    expect(events(run(text('2.3')), 'consumer-error')).toEqual([]);
    expect(events(run(text('2.3')), 'rebalance').some((e) => e.phase === 'join')).toBe(true);
  });
});

describe('2.7 and 2.8: the clients\' connection setup timeout (KIP-601)', () => {
  it('cannot be set before 2.7; its maximum is 127 s on 2.7 and 30 s from 2.8', () => {
    row('2.7', 'socket.connection.setup.timeout');
    row('2.8', 'socket.connection.setup.timeout.max.ms');
    expect(errors(SMALL('2.6', ', config: { socket.connection.setup.timeout.ms: 5000 }'))[0]).toMatch(/socket\.connection\.setup\.timeout\.ms appeared in Kafka 2\.7 \(KIP-601\)/);
    // CommonClientConfigs.DEFAULT_SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS: 127 * 1000L in 2.7.0, 30 * 1000L in 2.8.0
    expect(parse(SMALL('2.7')).spec.producers[0].config['socket.connection.setup.timeout.max.ms']).toBe(127000);
    expect(parse(SMALL('2.8')).spec.producers[0].config['socket.connection.setup.timeout.max.ms']).toBeUndefined();
  });
});

describe('2.1: retries forever within delivery.timeout.ms (KIP-91)', () => {
  it('on 2.0 a batch whose leader died fails at once (retries 0); on 2.1 it is retried and acked', () => {
    row('2.1', 'retries');
    row('2.1', 'delivery.timeout.ms exists');
    const text = library('acks-1-leader-crash');
    const old = run(atVersion(text, '2.0'));
    const now = run(atVersion(text, '2.1'));
    expect(old.ledgerSummary().failed).toBeGreaterThan(0);
    expect(now.ledgerSummary().failed).toBe(0);
    expect(errors(SMALL('2.0', ', config: { delivery.timeout.ms: 60000 }'))[0]).toMatch(/delivery\.timeout\.ms appeared in Kafka 2\.1 \(KIP-91\)/);
  });
});

/** Mean records per acked batch, and how often consecutive batches change partition. */
function batching(sim: ReturnType<typeof run>): { perBatch: number; switches: number } {
  const acked = events(sim, 'produce-acked');
  let switches = 0;
  for (let i = 1; i < acked.length; i++) if (acked[i].partition !== acked[i - 1].partition) switches++;
  return { perBatch: acked.reduce((n, e) => n + Number(e.n), 0) / acked.length, switches: switches / (acked.length - 1) };
}

const UNKEYED = (version: string, config = '') => `name: unkeyed
duration: 5s
cluster: { brokers: 3, kafka.version: "${version}" }
topics:
  - { name: orders, partitions: 3, replication.factor: 3 }
producers:
  - { id: p, topic: orders, rate: 2000/s${config} }
`;

describe('the partitioner for records without a key', () => {
  it('2.4 (KIP-480): sticky fills one partition\'s batch where round-robin spread each window over all of them', () => {
    row('2.4', 'records without a key stick');
    const old = parse(UNKEYED('2.3', ', config: { linger.ms: 5 }'));
    const now = parse(UNKEYED('2.4', ', config: { linger.ms: 5 }'));
    expect([old.spec.producers[0].partitioner, now.spec.producers[0].partitioner]).toEqual(['round-robin', 'sticky']);
    const a = batching(run(UNKEYED('2.3', ', config: { linger.ms: 5 }')));
    const b = batching(run(UNKEYED('2.4', ', config: { linger.ms: 5 }')));
    expect(b.perBatch).toBeGreaterThan(a.perBatch * 2);
    expect(errors(UNKEYED('2.3').replace('rate: 2000/s', 'rate: 2000/s, partitioner: sticky'))[0]).toMatch(/the sticky partitioner appeared in Kafka 2\.4 \(KIP-480\)/);
  });

  it('3.3 (KIP-794): uniform sticky stays on a partition for batch.size bytes where sticky moved on at every new batch', () => {
    row('3.3', 'the sticky partitioner switches');
    row('3.3', 'partitioner.adaptive.partitioning.enable exists');
    row('3.3', 'partitioner.availability.timeout.ms exists');
    row('3.3', 'partitioner.ignore.keys exists');
    const a = batching(run(UNKEYED('3.2')));
    const b = batching(run(UNKEYED('3.3')));
    expect(a.switches).toBeGreaterThan(0.5); // a new batch at nearly every record (linger.ms 0): a new partition
    expect(b.switches).toBeLessThan(a.switches / 5);
    for (const c of ['partitioner.adaptive.partitioning.enable: false', 'partitioner.availability.timeout.ms: 100', 'partitioner.ignore.keys: true']) {
      expect(errors(UNKEYED('3.2', `, config: { ${c} }`))[0]).toMatch(/appeared in Kafka 3\.3 \(KIP-794\)/);
      expect(errors(UNKEYED('3.3', `, config: { ${c} }`))).toEqual([]);
    }
  });
});

describe('2.5 (KIP-537): longer ISR lag and ZooKeeper session timeouts', () => {
  it('replica.lag.time.max.ms 10 s before 2.5: the slow follower leaves the ISR 15 s sooner', () => {
    row('2.5', 'replica.lag.time.max.ms');
    const text = library('slow-follower-leaves-isr');
    const old = events(run(atVersion(text, '2.4')), 'isr-shrink')[0].t;
    const now = events(run(atVersion(text, '2.5')), 'isr-shrink')[0].t;
    expect(old).toBeLessThan(now - 10_000_000);
  });

  it('zookeeper.session.timeout.ms 6 s before 2.5: a crashed leader is replaced 4–9 s after the crash, not 12–21 s', () => {
    row('2.5', 'zookeeper.session.timeout.ms');
    const text = library('leader-crash-kraft').replace(/^ {2}controller: kraft\n/m, '');
    const old = run(atVersion(text, '2.4'));
    const now = run(atVersion(text, '2.5'));
    expect([old.spec.controller, now.spec.controller]).toEqual(['zookeeper', 'zookeeper']);
    // the ZooKeeper client pings every third of the session timeout, and the server expires the session
    // on its next 3 s tick after last ping + timeout: 2/3 of the timeout to the timeout + 3 s after the crash at 10 s
    const afterCrash = (s: typeof old) => events(s, 'leader-elected')[0].t - 10_000_000;
    expect(afterCrash(old)).toBeGreaterThan(4_000_000);
    expect(afterCrash(old)).toBeLessThanOrEqual(9_000_000);
    expect(afterCrash(now)).toBeGreaterThan(12_000_000);
    expect(afterCrash(now)).toBeLessThanOrEqual(21_000_000);
    expect(afterCrash(old)).toBeLessThan(afterCrash(now));
  });

  it('metadata.max.idle.ms cannot be set before 2.5 (KIP-526)', () => {
    row('2.5', 'metadata.max.idle.ms exists');
    expect(errors(SMALL('2.4', ', config: { metadata.max.idle.ms: 60000 }'))[0]).toMatch(/metadata\.max\.idle\.ms appeared in Kafka 2\.5 \(KIP-526\)/);
  });
});

describe('2.8: KRaft', () => {
  it('a KRaft controller, and its broker.session.timeout.ms, from 2.8 (KIP-500, KIP-631); ZooKeeper until 3.9', () => {
    row('2.8', 'broker.session.timeout.ms exists');
    row('4.0', 'ZooKeeper is gone');
    expect(errors(SMALL('2.7').replace('brokers: 3,', 'brokers: 3, controller: kraft,'))[0]).toMatch(/cluster\.controller +KRaft controllers appeared in Kafka 2\.8/);
    expect(errors(SMALL('2.8').replace('brokers: 3,', 'brokers: 3, controller: kraft,'))).toEqual([]);
    expect(errors(SMALL('2.7').replace('brokers: 3,', 'brokers: 3, config: { broker.session.timeout.ms: 9000 },'))[0]).toMatch(/broker\.session\.timeout\.ms appeared in Kafka 2\.8/);
    expect([parse(SMALL('3.9')).spec.controller, parse(SMALL('4.0')).spec.controller]).toEqual(['zookeeper', 'kraft']);
    expect(errors(SMALL('4.0').replace('brokers: 3,', 'brokers: 3, controller: zookeeper,'))[0]).toMatch(/ZooKeeper mode was removed in Kafka 4\.0/);
    expect(errors(SMALL('3.9').replace('brokers: 3,', 'brokers: 3, controller: zookeeper,'))).toEqual([]);
  });
});

describe('3.0: safe producer and longer consumer sessions', () => {
  it('acks=1 before 3.0 (KIP-679): the leader that dies before replicating loses acknowledged records; acks=all does not', () => {
    row('3.0', 'acks');
    const text = library('acks-1-leader-crash').replace('config: { acks: 1, linger.ms: 0 }', 'config: { linger.ms: 0 }');
    const old = run(atVersion(text, '2.8'));
    const now = run(atVersion(text, '3.0'));
    expect(old.ledgerSummary().lost).toBeGreaterThan(0);
    expect(now.ledgerSummary().lost).toBe(0);
  });

  it('enable.idempotence false before 3.0 (KIP-679): a retried batch the broker already had is written twice', () => {
    row('3.0', 'enable.idempotence');
    const text = library('retry-duplicates-without-idempotence').replace('config: { enable.idempotence: false, linger.ms: 0 }', 'config: { linger.ms: 0, acks: all }');
    const old = run(atVersion(text, '2.8'));
    const now = run(atVersion(text, '3.0'));
    expect(old.ledgerSummary({ topic: 'payments' }).duplicates).toBeGreaterThan(0);
    expect(now.ledgerSummary({ topic: 'payments' }).duplicates).toBe(0);
  });

  it('session.timeout.ms 10 s before 3.0 (KIP-735): a crashed consumer is removed 35 s sooner', () => {
    row('3.0', 'session.timeout.ms');
    const text = library('consumer-crash-rebalance-lag');
    const removed = (v: string) => events(run(atVersion(text, v)), 'member-removed')[0].t;
    const old = removed('2.8');
    const now = removed('3.0');
    expect(now - old).toBeGreaterThan(30_000_000);
  });
});

describe('3.6 and 3.7: leader epochs and the HW under min ISR', () => {
  it('before 3.6 (KAFKA-15021) an ISR shrink also bumps the leader epoch; from 3.6 only a new leader does', () => {
    row('3.6', 'an ISR shrink no longer bumps');
    // KRaft's rule (PartitionChangeBuilder); a ZooKeeper controller never bumped the epoch for a
    // leader's own shrink (KafkaController.processAlterPartition keeps the request's epoch)
    const text = library('slow-follower-leaves-isr');
    const epochAfterShrink = (v: string, controller = 'kraft') => {
      const sim = run(atVersion(text, v).replace('cluster:\n', `cluster:\n  controller: ${controller}\n`));
      return [events(sim, 'isr-shrink').length, sim.partition('orders-0')!.leaderEpoch, sim.partition('orders-0')!.leader];
    };
    expect(epochAfterShrink('3.5')).toEqual([1, 1, 1]);
    expect(epochAfterShrink('3.6')).toEqual([1, 0, 1]);
    expect(epochAfterShrink('3.5', 'zookeeper')).toEqual([1, 0, 1]);
  });

  it('before 3.7 (KAFKA-15583) the HW advanced with the ISR below min.insync.replicas; from 3.7 it freezes', () => {
    row('3.7', 'the high watermark stops');
    row('3.7', 'retry.backoff.max.ms exists');
    const text = library('hw-freeze-under-min-isr');
    const hwAt29 = (v: string) => {
      const p = parse(atVersion(text, v));
      const r = runScenario(p.scenario, p.spec, { untilUs: 29_000_000, trace: false });
      return r.sim.partition('orders-0')!.highWatermark!;
    };
    expect(hwAt29('3.6')).toBeGreaterThan(300); // the acks=1 writes of the freeze became visible
    expect(hwAt29('3.7')).toBeLessThanOrEqual(100);
    expect(errors(SMALL('3.6', ', config: { retry.backoff.max.ms: 2000 }'))[0]).toMatch(/retry\.backoff\.max\.ms appeared in Kafka 3\.7 \(KIP-580\)/);
    // the consumer's too (ConsumerConfig RETRY_BACKOFF_MAX_MS_CONFIG, 3.7)
    const consumer = `${SMALL('3.6')}consumers:\n  - { id: c, group: g, topics: [orders], config: { retry.backoff.max.ms: 2000 } }\n`;
    expect(errors(consumer)[0]).toMatch(/consumers\[0\]\.config\.retry\.backoff\.max\.ms .*appeared in Kafka 3\.7 \(KIP-580\)/);
  });
  it('before 3.7 (KIP-580) a producer retries every retry.backoff.ms; from 3.7 the backoff doubles to retry.backoff.max.ms', () => {
    row('3.7', 'retry and metadata backoff doubles');
    // min.insync.replicas 3 and a dead follower: once it leaves the ISR every attempt of the first
    // waiting batch is refused with NOT_ENOUGH_REPLICAS (retriable) and retried. Before 3.7
    // (RecordAccumulator: waitedTimeMs < retryBackoffMs) the attempts are retry.backoff.ms = 100 ms
    // apart plus a round trip; from 3.7 (ExponentialBackoff(100, 2, 1000, 0.2)) the 5th retry on
    // waits at least 0.8 × 1000 ms.
    const text = (v: string) => `name: v
duration: 60s
cluster: { brokers: 3, kafka.version: "${v}" }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]], config: { min.insync.replicas: 3 } }
producers:
  - { id: p, topic: orders, rate: 10/s, config: { acks: all, delivery.timeout.ms: 200000 } }
timeline:
  - { at: 1s, crash: 3 }
`;
    const gaps = (v: string): number[] => {
      // the first batch refused is retried alone (one in flight per partition while it retries), so
      // the refusals follow one another attempt after attempt
      const t = events(run(text(v)), 'produce-failed').filter((e) => e.code === 'NOT_ENOUGH_REPLICAS').map((e) => e.t);
      return t.slice(1).map((x, i) => x - t[i]).slice(0, 12);
    };
    const old = gaps('3.6');
    const now = gaps('3.7');
    expect(old.length).toBe(12);
    expect(now.length).toBe(12);
    for (const g of old) expect(g).toBeLessThan(120_000);
    for (const g of now.slice(5)) expect(g).toBeGreaterThanOrEqual(800_000);
  });

  it('before 3.7 (KAFKA-15583) a min.insync.replicas above the replication factor refuses every acks=all write; from 3.7 it counts as the replication factor', () => {
    // Partition.appendRecordsToLeader compares the ISR size with leaderLog.config.minInSyncReplicas
    // before 3.7, with effectiveMinIsr = min(min.insync.replicas, replicas) from 3.7 (the commit that
    // also froze the HW under min ISR). RF 2, min.insync.replicas 3, the whole ISR in sync:
    const text = (v: string) => `name: v
duration: 5s
cluster: { brokers: 2, kafka.version: "${v}", controller: kraft }
topics:
  - { name: orders, partitions: 1, replication.factor: 2, config: { min.insync.replicas: 3 } }
producers:
  - { id: p, topic: orders, rate: 10/s }
`;
    const old = run(text('3.6'));
    const now = run(text('3.7'));
    expect(old.ledgerSummary().acked).toBe(0);
    expect(old.producerErrors().p.NOT_ENOUGH_REPLICAS).toBeGreaterThan(0);
    expect(now.ledgerSummary().acked).toBeGreaterThan(40);
    expect(now.producerErrors().p?.NOT_ENOUGH_REPLICAS).toBeUndefined();
  });

  it('before 3.7 (KIP-951) a producer learns a moved leader only from metadata; from 3.7 also from the NOT_LEADER_OR_FOLLOWER answer', () => {
    row('3.7', 'a producer learns a new leader from the NOT_LEADER_OR_FOLLOWER answer');
    // the stale-metadata scenario moves orders-0's leader while the producers write: the old leader's
    // answer names the new one (ProduceResponse.currentLeader, which 3.7 clients apply:
    // Sender.completeBatch → Metadata.updatePartitionLeadership, traced with source produce-response)
    // (in KRaft mode at both versions, as the library runs it: 3.x defaults to ZooKeeper)
    const text = library('stale-metadata-not-leader').replace(/^cluster:\n/m, 'cluster:\n  controller: kraft\n');
    const fromAnswer = (v: string) => events(run(atVersion(text, v)), 'metadata-refreshed').filter((e) => e.source === 'produce-response').length;
    expect(fromAnswer('3.6')).toBe(0);
    expect(fromAnswer('3.7')).toBeGreaterThan(0);
  });
});

describe('3.2 and 3.9: what a KRaft controller reads of the configs ZooKeeper mode always had', () => {
  const kraft = (text: string, v: string) => atVersion(text, v).replace(/^cluster:\n/m, 'cluster:\n  controller: kraft\n');

  it('before 3.2 (KAFKA-13682) a KRaft controller never moves leadership back by itself; from 3.2 it does at its imbalance check', () => {
    row('3.2', 'moves leadership back to the preferred replicas');
    // auto-leader-rebalance: orders-0 moves to broker 2 at the 5 s shutdown; the check 30 s later moves it back
    const text = library('auto-leader-rebalance');
    const old = run(kraft(text, '3.1'));
    const now = run(kraft(text, '3.2'));
    expect(events(old, 'leader-elected').filter((e) => e.reason === 'auto-rebalance')).toEqual([]);
    expect(old.partition('orders-0')!.leader).toBe(2);
    expect(events(now, 'leader-elected').filter((e) => e.reason === 'auto-rebalance').map((e) => e.partition)).toEqual(['orders-0']);
    expect(now.partition('orders-0')!.leader).toBe(1);
  });

  it('before 3.9 (KAFKA-12670) a KRaft controller ignores unclean.leader.election.enable: the partition stays leaderless; from 3.9 it elects the out-of-sync replica', () => {
    row('3.9', 'honours unclean.leader.election.enable');
    row('3.9', 'unclean.leader.election.interval.ms exists');
    // unclean-election-enabled: both replicas shut down, broker 2 (out of the ISR) comes back at 15 s, broker 1 at 25 s
    const text = library('unclean-election-enabled');
    const old = run(kraft(text, '3.8'));
    const now = run(kraft(text, '3.9'));
    // 3.8: ConfigurationControlManager.uncleanLeaderElectionEnabledForTopic returns false; the partition
    // waits for its ISR member, broker 1, and nothing acknowledged is lost
    expect(events(old, 'unclean-election')).toEqual([]);
    expect(events(old, 'leader-elected').find((e) => e.t > 10_000_000)).toMatchObject({ leader: 1 });
    expect(old.ledgerSummary().lost).toBe(0);
    expect(events(now, 'unclean-election')).toHaveLength(1);
    expect(now.ledgerSummary().lost).toBeGreaterThan(0);
    expect(errors(SMALL('3.8').replace('brokers: 3,', 'brokers: 3, config: { unclean.leader.election.interval.ms: 1000 },'))[0])
      .toMatch(/unclean\.leader\.election\.interval\.ms/);
  });
});

describe('4.0', () => {
  it('linger.ms 5 from 4.0 (KIP-1030): batches carry more records', () => {
    row('4.0', 'linger.ms');
    const old = batching(run(UNKEYED('3.9').replace('kafka.version: "3.9"', 'kafka.version: "3.9", controller: kraft')));
    const now = batching(run(UNKEYED('4.0')));
    expect(now.perBatch).toBeGreaterThan(old.perBatch * 2);
  });
});

describe('enable.idempotence=true on a version whose defaults are acks=1 and retries=0', () => {
  it('before 3.0 it raises the defaults it needs: acks to all, retries to MAX_INT, unless the file sets them', () => {
    // ProducerConfig.maybeOverrideAcksAndRetries (2.8; KafkaProducer.configureAcks/configureRetries
    // before): with idempotence enabled, an acks the user did not set becomes -1 and a retries the
    // user did not set becomes Integer.MAX_VALUE. RF 2, min.insync.replicas 2 and a dead follower:
    // acks=all writes are refused (NOT_ENOUGH_REPLICAS, retried), acks=1 writes would be acknowledged.
    const text = (v: string) => `name: v
duration: 30s
cluster: { brokers: 2, kafka.version: "${v}" }
topics:
  - { name: orders, partitions: 1, replication.factor: 2, replicas: [[1, 2]], config: { min.insync.replicas: 2 } }
producers:
  - { id: p, topic: orders, rate: 10/s, start: 25s, config: { enable.idempotence: true } }
timeline:
  - { at: 1s, crash: 2 }
`;
    for (const v of ['2.0', '2.8']) {
      const config = parse(text(v)).spec.producers[0].config;
      expect(config.acks, v).toBe('all');
      expect(config.retries ?? 2147483647, v).toBe(2147483647); // unset: the catalog's default from 2.1
      const sim = run(text(v));
      expect(sim.ledgerSummary().acked, v).toBe(0);
      expect(sim.producerErrors().p.NOT_ENOUGH_REPLICAS, v).toBeGreaterThan(0);
    }
    // what the file sets stays (and acks=1 with idempotence is refused, as Kafka refuses it)
    expect(parse(text('2.0').replace('enable.idempotence: true', 'enable.idempotence: true, retries: 3')).spec.producers[0].config.retries).toBe(3);
    expect(errors(text('2.8').replace('enable.idempotence: true', 'enable.idempotence: true, acks: 1'))[0]).toMatch(/acks +must be all when enable\.idempotence is true/);
  });

  it('on 0.11 an idempotent producer keeps one request in flight; from 1.0 up to 5 (KAFKA-5494)', () => {
    row('1.0', 'up to 5 requests in flight');
    // KafkaProducer.configureInflightRequests (0.11): an unset max.in.flight.requests.per.connection
    // becomes 1 with idempotence, and a set one other than 1 is a ConfigException; 1.0 allows <= 5
    const small = (v: string, extra: string) => SMALL(v, `, config: { enable.idempotence: true${extra} }`);
    expect(parse(small('0.11', '')).spec.producers[0].config['max.in.flight.requests.per.connection']).toBe(1);
    expect(parse(small('1.0', '')).spec.producers[0].config['max.in.flight.requests.per.connection']).toBeUndefined(); // the default, 5
    expect(errors(small('0.11', ', max.in.flight.requests.per.connection: 2'))[0]).toMatch(/max\.in\.flight\.requests\.per\.connection +must be at most 1 when enable\.idempotence is true on Kafka 0\.11/);
    expect(errors(small('1.0', ', max.in.flight.requests.per.connection: 5'))).toEqual([]);
    expect(errors(small('1.0', ', max.in.flight.requests.per.connection: 6'))[0]).toMatch(/must be at most 5 when enable\.idempotence is true$/);
  });
});

describe('2.1: delivery.timeout.ms (KIP-91)', () => {
  it('before 2.1 a batch waiting for a leader is given up request.timeout.ms after it could have gone; from 2.1 delivery.timeout.ms after its creation', () => {
    row('2.1', 'a batch is given up delivery.timeout.ms after its creation');
    // orders-0 lives on broker 2 alone, which dies at 1 s; from 20 s the producer writes to it. Its
    // first batch goes to the dead broker, fails and is retried (retries 3); metadata then shows no
    // leader, so every batch waits in the queue. Before 2.1 (ProducerBatch.maybeExpire) a batch in
    // retry expires request.timeout.ms (30 s) after its last attempt plus retry.backoff.ms, a new one
    // 30 s after its creation plus linger.ms: all are gone by 20 + 5 + 30.1 s. From 2.1 each lives
    // delivery.timeout.ms (120 s) from its creation.
    const text = (v: string) => `name: v
duration: 200s
cluster: { brokers: 2, kafka.version: "${v}" }
topics:
  - { name: orders, partitions: 1, replication.factor: 1, replicas: [[2]] }
producers:
  - { id: p, topic: orders, rate: 10/s, start: 20s, stop: 25s, config: { retries: 3 } }
timeline:
  - { at: 1s, crash: 2 }
`;
    const given = (v: string) => events(run(text(v)), 'produce-failed').filter((e) => e.code === 'REQUEST_TIMED_OUT' && e.retry === false).map((e) => e.t);
    const old = given('2.0');
    const now = given('2.1');
    expect(old.length).toBeGreaterThan(0);
    expect(now.length).toBeGreaterThan(0);
    expect(Math.min(...old)).toBeGreaterThanOrEqual(50_000_000);
    expect(Math.max(...old)).toBeLessThan(56_000_000);
    expect(Math.min(...now)).toBeGreaterThanOrEqual(140_000_000);
    expect(run(text('2.0')).ledgerSummary().failed).toBe(50);
  });
});

describe('the table', () => {
  it('a setting written in the file wins over the version\'s default', () => {
    const p = parse(SMALL('2.4', ', config: { acks: all, linger.ms: 7 }'));
    expect(p.spec.producers[0].config).toMatchObject({ acks: 'all', 'linger.ms': 7, 'enable.idempotence': false });
    expect(p.spec.brokerConfig['replica.lag.time.max.ms']).toBe(10000);
    expect(parse(SMALL('2.4').replace('brokers: 3,', 'brokers: 3, config: { replica.lag.time.max.ms: 30000 },')).spec.brokerConfig['replica.lag.time.max.ms']).toBe(30000);
  });

  it('the current version changes nothing, and every row is covered by a test above', () => {
    expect(versionDefaults('4.0')).toEqual([]);
    expect(behavioursOf('4.0')).toEqual({ replicationProtocol: 'leader-epoch', partitioner: 'uniform-sticky', isrShrinkBumpsLeaderEpoch: false, hwFreezesUnderMinIsr: true, controller: 'kraft', retryBackoff: 'exponential', leaderDiscovery: 'kip-951', idempotentMaxInFlight: '5', batchExpiry: 'delivery-timeout', kraftAutoLeaderRebalance: true, kraftUncleanElectionConfig: true, reconnectBackoff: 'exponential' });
    const names = VERSION_TABLE.map((r) => `${r.since} ${r.kind === 'behaviour' ? r.what : r.kind === 'introduced' ? `${r.config} exists` : r.config}`);
    const missing = names.filter((n) => ![...covered].some((c) => n.startsWith(c.split(' ')[0] + ' ') && n.includes(c.slice(c.indexOf(' ') + 1))));
    // replicationProtocol is a behaviour named by its text; the covered key names it by field
    expect(missing.filter((n) => !n.includes('leader epoch, not to its own'))).toEqual([]);
  });

  it('kafka.version reads "2.4" and 2.4 alike and refuses a release the table does not know', () => {
    expect(parse(SMALL('2.4').replace('"2.4"', '2.4')).spec.kafkaVersion).toBe('2.4');
    expect(parse(SMALL('2.4').replace('"2.4"', '4.0')).spec.kafkaVersion).toBeUndefined(); // the current version
    expect(errors(SMALL('2.4').replace('"2.4"', '"2.45"'))[0]).toMatch(/cluster\.kafka\.version +expected a Kafka version MAJOR\.MINOR from 0\.10 to 4\.0/);
  });
});

describe('kafkasim versions --at', () => {
  it('names each config a version could not set yet once, with its scope', () => {
    // retry.backoff.max.ms came to the producer and the consumer in 3.7 (KIP-580): two rows, two names
    const line = versionDifferences('3.6').find((l) => l.startsWith('not yet settable: '))!;
    expect(line).toBe('not yet settable: producer retry.backoff.max.ms, consumer retry.backoff.max.ms, broker unclean.leader.election.interval.ms');
  });
});
