// The metrics part (issue 16): every metric, driven into the state it measures, with its value read
// from the series. Values are checked against what the scenario makes certain (the ISR after a crash,
// the load's rate, a fixed link latency), not against a recording.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MetricsResult, MetricSeries } from '../../sim/kafka/index.ts';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';

function run(text: string): { m: MetricsResult; hash: string } {
  const parsed = parseScenario(text, 'x.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map(formatError).join('\n'));
  const r = runScenario(parsed.scenario, parsed.spec, { metrics: true });
  return { m: r.sim.parts.metrics!.result(), hash: r.sim.trace.hash() };
}

const library = (name: string) => run(readFileSync(new URL(`../../scenarios/library/${name}.yaml`, import.meta.url), 'utf8'));

function series(m: MetricsResult, name: string, labels?: Record<string, string>): MetricSeries {
  const s = m.series.find((x) => x.name === name && (labels === undefined || JSON.stringify(x.labels) === JSON.stringify(labels)));
  if (s === undefined) throw new Error(`no series ${name}`);
  return s;
}

/** The value a series holds at `tS` seconds (its last sample at or before). */
function at(m: MetricsResult, name: string, tS: number, labels?: Record<string, string>): number {
  const s = series(m, name, labels);
  let v = NaN;
  for (let i = 0; i < s.t.length && s.t[i] <= tS * 1e6; i++) v = s.v[i];
  return v;
}

const max = (m: MetricsResult, name: string) => Math.max(...series(m, name).v.filter((v) => !Number.isNaN(v)));
const sum = (m: MetricsResult, name: string) => series(m, name).v.reduce((a, v) => a + (Number.isNaN(v) ? 0 : v), 0);

// three replicas, min.insync.replicas=2, acks=all; the followers die one after the other, then the leader
const CRASHES = `name: crashes
duration: 60s
cluster: { brokers: 3 }
network: { latency: 5ms }
topics:
  - { name: orders, partitions: 1, replicas: [[1, 2, 3]], config: { min.insync.replicas: 2 } }
producers:
  - { id: checkout, topic: orders, rate: 100/s, config: { acks: all, linger.ms: 0, request.timeout.ms: 5000 } }
consumers:
  - { id: billing-1, group: billing, topics: [orders], config: { auto.offset.reset: earliest } }
timeline:
  - at: 10s
    crash: 3
  - at: 25s
    crash: 2
  - at: 45s
    crash: 1
`;

describe('broker and controller gauges follow the ISR through three crashes', () => {
  const { m } = run(CRASHES);
  it('all in sync: nothing under-replicated, one leader, three replicas, three active brokers', () => {
    for (const [name, v] of [['UnderReplicatedPartitions', 0], ['UnderMinIsrPartitionCount', 0], ['AtMinIsrPartitionCount', 0], ['LeaderCount', 1],
      ['PartitionCount', 3], ['OfflinePartitionsCount', 0], ['ActiveControllerCount', 1], ['FencedBrokerCount', 0], ['ActiveBrokerCount', 3]] as const) {
      expect(at(m, name, 9), name).toBe(v);
    }
  });
  it('one follower gone and fenced: the partition is under-replicated and at min ISR', () => {
    for (const [name, v] of [['UnderReplicatedPartitions', 1], ['UnderMinIsrPartitionCount', 0], ['AtMinIsrPartitionCount', 1],
      ['PartitionCount', 2], ['FencedBrokerCount', 1], ['ActiveBrokerCount', 2]] as const) {
      expect(at(m, name, 24), name).toBe(v);
    }
  });
  it('both followers gone: under min ISR; acks=all produce is refused (FailedProduceRequestsPerSec) and retried', () => {
    expect(at(m, 'UnderMinIsrPartitionCount', 44)).toBe(1);
    expect(at(m, 'AtMinIsrPartitionCount', 44)).toBe(0);
    expect(at(m, 'UnderReplicatedPartitions', 44)).toBe(1);
    expect(at(m, 'LeaderCount', 44)).toBe(1);
    expect(at(m, 'FailedProduceRequestsPerSec', 44)).toBeGreaterThan(0);
    expect(at(m, 'FailedProduceRequestsPerSec', 20)).toBe(0);
    expect(at(m, 'record-retry-rate', 44)).toBeGreaterThan(0);
    expect(at(m, 'record-retry-rate', 20)).toBe(0);
    expect(at(m, 'MessagesInPerSec', 44)).toBe(0);
  });
  it('the leader gone too: the partition is offline, no broker reports it, the controller counts it', () => {
    expect(at(m, 'OfflinePartitionsCount', 59)).toBe(1);
    expect(at(m, 'UnderReplicatedPartitions', 59)).toBe(0);
    expect(at(m, 'LeaderCount', 59)).toBe(0);
    expect(at(m, 'PartitionCount', 59)).toBe(0);
    expect(at(m, 'ActiveBrokerCount', 59)).toBe(0);
    expect(at(m, 'FencedBrokerCount', 59)).toBe(3);
  });
  it('gauges are sampled at the moment they change, not only on the second', () => {
    const s = series(m, 'UnderMinIsrPartitionCount');
    const i = s.v.indexOf(1);
    expect(s.t[i] % 1_000_000).not.toBe(0);
  });
  it('healthy load: MessagesInPerSec and record-send-rate are the producer\'s 100 records/s, BytesInPerSec their bytes', () => {
    expect(at(m, 'MessagesInPerSec', 5)).toBe(100);
    expect(at(m, 'record-send-rate', 5)).toBe(100);
    expect(at(m, 'BytesInPerSec', 5)).toBe(100 * 100);
    expect(at(m, 'records-consumed-rate', 5)).toBe(100);
  });
});

describe('producer latency', () => {
  it('request-latency-avg/-max are the round trip of a Produce (2 × 5 ms), acks=all under a 5 ms link waits for a follower fetch too', () => {
    const { m } = run(CRASHES);
    expect(at(m, 'request-latency-max', 5)).toBeGreaterThanOrEqual(10);
    expect(at(m, 'request-latency-avg', 5)).toBeGreaterThanOrEqual(10);
    expect(at(m, 'request-latency-avg', 5)).toBeLessThanOrEqual(at(m, 'request-latency-max', 5));
    // send() to callback: at least the request, and with linger.ms 0 no batching delay
    expect(at(m, 'produce-latency-p50', 5)).toBeGreaterThanOrEqual(at(m, 'request-latency-avg', 5) - 1e-9);
    expect(at(m, 'produce-latency-p99', 5)).toBeGreaterThanOrEqual(at(m, 'produce-latency-p50', 5));
  });
  it('acks=1 on a fixed 5 ms link: every request takes exactly 10 ms, and with linger.ms 0 so does every record', () => {
    const { m } = run(CRASHES.replace('acks: all', 'acks: 1').replace(/timeline:[^]*$/, ''));
    expect(at(m, 'request-latency-avg', 5)).toBe(10);
    expect(at(m, 'request-latency-max', 5)).toBe(10);
    expect(at(m, 'produce-latency-p50', 5)).toBe(10);
    expect(at(m, 'produce-latency-p99', 5)).toBe(10);
  });
  it('records stuck past delivery.timeout.ms fail for good: record-error-rate', () => {
    const { m } = run(CRASHES.replace('request.timeout.ms: 5000', 'request.timeout.ms: 2000, delivery.timeout.ms: 3000'));
    expect(at(m, 'record-error-rate', 20)).toBe(0);
    expect(max(m, 'record-error-rate')).toBeGreaterThan(0);
  });
});

describe('ISR changes, elections and fetch lag', () => {
  it('a slow follower: the leader shrinks the ISR by AlterPartition (IsrShrinksPerSec) and expands it once the link heals', () => {
    const { m } = library('slow-follower-leaves-isr');
    expect(sum(m, 'IsrShrinksPerSec')).toBe(1);
    expect(sum(m, 'IsrExpandsPerSec')).toBe(1);
    expect(at(m, 'UnderReplicatedPartitions', 4)).toBe(0);
    expect(max(m, 'UnderReplicatedPartitions')).toBe(1);
  });
  it('a follower back from a crash catches up in small fetches: MaxLag is the HW its fetch responses show ahead of its log', () => {
    const text = CRASHES.replace(/timeline:[^]*$/, 'timeline:\n  - at: 5s\n    crash: 3\n  - at: 30s\n    restart: 3\n')
      .replace('cluster: { brokers: 3 }', 'cluster: { brokers: 3, config: { replica.fetch.max.bytes: 1000 } }');
    const { m } = run(text);
    expect(at(m, 'MaxLag', 4)).toBe(0);
    expect(max(m, 'MaxLag')).toBeGreaterThan(100);
    expect(at(m, 'MaxLag', 59)).toBe(0);
  });
  it('the leader\'s crash fences it and the controller, not the leader, removes it from the ISR: no IsrShrinksPerSec (KRaft)', () => {
    const { m } = run(CRASHES);
    expect(sum(m, 'IsrShrinksPerSec')).toBe(0);
  });
  it('an unclean election: UncleanLeaderElectionsPerSec and LeaderElectionRateAndTimeMs', () => {
    const { m } = library('unclean-election-enabled');
    expect(sum(m, 'UncleanLeaderElectionsPerSec')).toBe(1);
    expect(sum(m, 'LeaderElectionRateAndTimeMs')).toBeGreaterThanOrEqual(1);
  });
  it('a clean election: LeaderElectionRateAndTimeMs, no unclean ones', () => {
    const { m } = library('leader-crash-kraft');
    expect(sum(m, 'LeaderElectionRateAndTimeMs')).toBeGreaterThanOrEqual(1);
    expect(sum(m, 'UncleanLeaderElectionsPerSec')).toBe(0);
  });
});

describe('consumer metrics', () => {
  it('a consumer paused: records-lag-max and the group\'s lag grow while it is away; commits come every auto.commit.interval.ms', () => {
    const { m } = library('consumer-gc-pause');
    expect(max(m, 'records-lag-max')).toBeGreaterThan(0);
    expect(max(m, 'commit-rate')).toBeGreaterThan(0);
    const lags = m.series.filter((s) => s.name === 'consumer-group-lag');
    expect(lags.length).toBeGreaterThan(0);
    expect(Math.max(...lags.flatMap((s) => s.v.filter((v) => !Number.isNaN(v))))).toBeGreaterThan(0);
  });
});

describe('the part changes nothing', () => {
  it('the same trace with and without metrics', () => {
    const parsed = parseScenario(CRASHES, 'x.yaml');
    if (!parsed.ok) throw new Error('bad');
    const plain = runScenario(parsed.scenario, parsed.spec, {});
    expect(run(CRASHES).hash).toBe(plain.sim.trace.hash());
    expect(plain.sim.parts.metrics).toBeUndefined();
  });
});
