// The timeline's "Kafka alerts" chart: UnderMinIsrPartitionCount and UnderReplicatedPartitions as the
// page computes them from the trace (the controller's ISR against each partition's replicas and
// min.insync.replicas), matching what the model's metrics part records for the same run (issue 16).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../viz/run/simulate.ts';
import { buildSeries } from '../../viz/lib/series.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';

const FILE = join(import.meta.dirname, '../../scenarios/library/metrics-isr-shrink-alerts.yaml');

describe("the page's alert gauges", () => {
  it('follow the ISR losing two members, as the metrics part saw it', async () => {
    const text = readFileSync(FILE, 'utf8');
    const data = await simulate({ text, fileName: 'm.yaml' });
    const series = buildSeries(data.events, data.topology, data.durationUs, 500); // a point every 0.1 s
    const at = (s: number) => series.find((p) => p.tUs >= s * 1e6)!;
    expect([at(4).underReplicated, at(4).underMinIsr]).toEqual([0, 0]);
    expect([at(10).underReplicated, at(10).underMinIsr]).toEqual([1, 0]);
    expect([at(20).underReplicated, at(20).underMinIsr]).toEqual([1, 1]);
    expect([at(45).underReplicated, at(45).underMinIsr]).toEqual([0, 0]);
    // the same stretch of min-ISR alert as the model's own metric, to the sampling step
    const parsed = parseScenario(text, 'm.yaml');
    if (!parsed.ok) throw new Error('invalid');
    const model = runScenario(parsed.scenario, parsed.spec, { metrics: true, trace: false }).sim.parts.metrics!.summary().underMinIsrSeconds;
    const page = series.filter((p) => p.underMinIsr > 0).length * 0.1;
    expect(Math.abs(page - model)).toBeLessThanOrEqual(0.2);
  });
});
