// What the page's metrics panel draws (viz/lib/metrics.ts) and where its values come from: the page's
// run (viz/run/simulate.ts) carries the model's metrics, equal to runScenario({ metrics: true })'s and
// with the trace hash of a run without the part; the panel's value at t is the last sample at or
// before t; a gauge's every change is a jump, a rate's only a step of a third of its range, each with
// the latest notable event since the sample before as its cause; the usual alerts; the lesson's picks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { metricDef } from '../../sim/kafka/metrics.ts';
import type { MetricSeries, MetricsResult } from '../../sim/kafka/metrics-port.ts';
import type { VizEvent } from '../../viz/lib/events.ts';
import { alertRule, firingSpans, jumpsOf, lessonRows, MAX_LABELLED, metricRows, valueAt } from '../../viz/lib/metrics.ts';
import { metricsTooBig, simulate } from '../../viz/run/simulate.ts';

const FILE = join(import.meta.dirname, '../../scenarios/library/metrics-isr-shrink-alerts.yaml');

const series = (name: string, t: number[], v: number[], labels?: Record<string, string>): MetricSeries => ({ name, labels, t, v });
const note = (tUs: number): VizEvent => ({ tUs, type: 'note', text: `at ${tUs}` });

describe('the metrics panel', () => {
  it("the page's run carries the model's metrics, and its trace is the run's without them", async () => {
    const text = readFileSync(FILE, 'utf8');
    const data = await simulate({ text, fileName: 'm.yaml' });
    const parsed = parseScenario(text, 'm.yaml');
    if (!parsed.ok) throw new Error('invalid');
    const withPart = runScenario(parsed.scenario, parsed.spec, { metrics: true, keepTrace: false });
    const without = runScenario(parsed.scenario, parsed.spec, { metrics: false, keepTrace: false });
    expect(data.metrics).toEqual(withPart.sim.parts.metrics!.result());
    expect(without.sim.parts.metrics).toBeUndefined();
    expect(data.traceHash).toBe(without.sim.trace.hash());
    expect(data.metricsMissing).toBeUndefined();
    // the expectations name these: the lesson's metrics
    expect(data.lessonMetrics).toEqual(['UnderReplicatedPartitions', 'AtMinIsrPartitionCount', 'UnderMinIsrPartitionCount', 'OfflinePartitionsCount']);
  });

  it('a big cluster is not recorded in the page, and the reason says what to run instead', async () => {
    const parsed = parseScenario('name: big\nduration: 1s\ncluster: { brokers: 3 }\ntopics:\n  - { name: t, partitions: 201, replication.factor: 3 }\n', 'big.yaml');
    if (!parsed.ok) throw new Error('invalid');
    expect(metricsTooBig(parsed.spec)).toMatch(/201 partitions .*kafkasim run FILE --metrics/);
    const small = parseScenario('name: s\nduration: 1s\ncluster: { brokers: 3 }\ntopics:\n  - { name: t, partitions: 200, replication.factor: 3 }\n', 's.yaml');
    if (!small.ok) throw new Error('invalid');
    expect(metricsTooBig(small.spec)).toBeUndefined();
  });

  it('the value at t is the last sample at or before t', () => {
    const s = series('LeaderCount', [0, 1_000_000, 1_500_000], [1, 2, 3]);
    expect(valueAt(s, 0)).toBe(1);
    expect(valueAt(s, 1_499_999)).toBe(2);
    expect(valueAt(s, 1_500_000)).toBe(3);
    expect(valueAt(series('LeaderCount', [5], [1]), 4)).toBeNaN();
  });

  it("a gauge's every change is a jump; its cause the latest notable event between the sample before and it", () => {
    const def = metricDef('UnderReplicatedPartitions')!;
    const s = series(def.name, [0, 1_000_000, 1_000_500, 2_000_000, 3_000_000], [0, 0, 1, 1, 0]);
    const events = [note(900_000), note(1_000_100), note(1_000_400), note(2_500_000)];
    const j = jumpsOf(s, def, events);
    expect(j.map((x) => [x.tUs, x.from, x.to, x.seekUs])).toEqual([
      [1_000_500, 0, 1, 1_000_400], // 900 ms is before the sample at 1 s: not it
      [3_000_000, 1, 0, 2_500_000],
    ]);
    // no event in its interval: the click goes to the sample itself
    expect(jumpsOf(s, def, [])[0].seekUs).toBe(1_000_500);
  });

  it('an ISR gauge\'s cause is the ISR change, not a later event before the leader sampled it', () => {
    // metrics-isr-shrink-alerts: the controller shrinks the ISR at 15.001 s, broker 2 stops at 15.002 s,
    // and the leader, learning of the shrink then, samples UnderMinIsrPartitionCount 0 → 1 at 15.002 s
    const def = metricDef('UnderMinIsrPartitionCount')!;
    const s = series(def.name, [14_000_000, 15_002_000], [0, 1]);
    const shrink: VizEvent = { tUs: 15_001_000, type: 'isr', partition: 'orders-0', isr: [1], change: 'shrink' };
    const stopped: VizEvent = { tUs: 15_002_000, type: 'broker', broker: 2, change: 'shutdown' };
    expect(jumpsOf(s, def, [shrink, stopped])[0].cause).toBe(shrink);
    // with no ISR change in the interval, the latest notable event still explains it
    expect(jumpsOf(s, def, [stopped])[0].cause).toBe(stopped);
  });

  it("a rate's jumps are steps of a third of its range or more; a value after none is no jump", () => {
    const def = metricDef('MessagesInPerSec')!;
    // range 0–90: steps of 30 or more count (20 → 50 = 30 does, 50 → 60 does not)
    const s = series(def.name, [0, 1, 2, 3, 4, 5], [0, 20, 50, 60, 90, 0]);
    expect(jumpsOf(s, def, []).map((x) => x.tUs)).toEqual([2, 4, 5]);
    const lat = metricDef('request-latency-avg')!;
    expect(jumpsOf(series(lat.name, [0, 1, 2], [NaN, 40, 2]), lat, []).map((x) => [x.from, x.to])).toEqual([[40, 2]]);
  });

  it('the usual alerts: above 0 for the ISR and offline gauges, != 1 for the active controller, a lag bound for consumers', () => {
    expect(alertRule('UnderMinIsrPartitionCount')!.fires(1)).toBe(true);
    expect(alertRule('UnderMinIsrPartitionCount')!.fires(0)).toBe(false);
    expect(alertRule('OfflinePartitionsCount')!.text).toBe('> 0');
    const ac = alertRule('ActiveControllerCount')!;
    expect([ac.fires(0), ac.fires(1), ac.fires(2)]).toEqual([true, false, true]);
    expect(alertRule('records-lag-max')!.fires(1001)).toBe(true);
    expect(alertRule('LeaderCount')).toBeUndefined();
    const spans = firingSpans(series('ActiveControllerCount', [0, 10, 20], [1, 0, 1]), ac, 50);
    expect(spans).toEqual([{ fromUs: 10, toUs: 20 }]);
    expect(firingSpans(series('OfflinePartitionsCount', [0, 10], [0, 2]), alertRule('OfflinePartitionsCount')!, 50)).toEqual([{ fromUs: 10, toUs: 50 }]);
  });

  it("rows in Kafka's groups; a labelled metric keeps its largest series; the lesson's picks: firing first, then named", () => {
    const lag = Array.from({ length: MAX_LABELLED + 2 }, (_, i) => series('consumer-group-lag', [0], [i], { group: 'g', partition: `t-${i}` }));
    const r: MetricsResult = {
      intervalUs: 1, endUs: 10,
      series: [series('UnderReplicatedPartitions', [0, 5], [0, 1]), series('OfflinePartitionsCount', [0], [0]), series('record-send-rate', [0], [3]), ...lag],
    };
    const { rows, hidden } = metricRows([r]);
    expect(rows.map((x) => x.group)).toEqual(['broker', 'controller', 'producer', ...Array(MAX_LABELLED).fill('consumer')]);
    // the two smallest peaks (0 and 1) are left out and counted
    expect(rows.filter((x) => x.name === 'consumer-group-lag').map((x) => x.labelText)).toEqual(Array.from({ length: MAX_LABELLED }, (_, i) => `g · t-${i + 2}`));
    expect(hidden.get('consumer-group-lag')).toBe(2);
    // the alert that fires first (what an operator was paged on), then what the expectations name
    expect(lessonRows(rows, ['record-send-rate'], 10).map((x) => x.name)).toEqual(['UnderReplicatedPartitions', 'record-send-rate']);
    expect(lessonRows(rows, [], 10, 1).map((x) => x.name)).toEqual(['UnderReplicatedPartitions']);
  });
});
