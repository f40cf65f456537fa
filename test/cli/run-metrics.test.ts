// When `kafkasim run` records Kafka's metrics. The story's Alerts need the metrics part, which reads
// every partition's state after each event (on 1,000 brokers × 10,000 partitions, over a minute
// against 7.7 s without it), so above STORY_METRICS_MAX_PARTITIONS the story says they were not
// recorded instead of recording them. And a scenario whose expectations read metrics (metric:,
// alert-seconds:) gets them whatever the output: `run --json` used to switch the part off, so those
// expectations failed with "no such series recorded" where `check` passed them.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STORY_METRICS_MAX_PARTITIONS } from '../../src/cli/run.ts';
import { cli, REPO } from './support.ts';

function scenarioFile(partitions: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kafkasim-run-metrics-')), `p${partitions}.yaml`);
  writeFileSync(file, `name: many-partitions
duration: 200ms
cluster: { brokers: 1 }
topics:
  - { name: orders, partitions: ${partitions}, replication.factor: 1 }
`);
  return file;
}

describe('run: the story\'s metrics', () => {
  it('records them up to the limit, and says they were not recorded above it', async () => {
    expect(STORY_METRICS_MAX_PARTITIONS).toBe(1000);
    const at = await cli('run', scenarioFile(1000));
    expect(at.code).toBe(0);
    expect(at.stdout).toMatch(/Alerts {2}\(what a standard alert/);
    const above = await cli('run', scenarioFile(1001));
    expect(above.code).toBe(0);
    expect(above.stdout).toContain('Alerts  not recorded for a cluster of 1001 partitions (above 1000');
    expect(above.stdout).toContain('--metrics out.csv records them');
  });

  it('--metrics records them above the limit all the same', async () => {
    const file = scenarioFile(1001);
    const out = join(mkdtempSync(join(tmpdir(), 'kafkasim-run-metrics-')), 'm.csv');
    const r = await cli('run', file, '--metrics', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Alerts {2}\(what a standard alert/);
  });

  it('run --json still records what the scenario\'s metric expectations need', async () => {
    // this library scenario's metric: ActiveControllerCount expectations hold under `check`
    const r = await cli('run', join(REPO, 'scenarios/library/controller-failover-delays-election.yaml'), '--json');
    const json = JSON.parse(r.stdout) as { expectations: { ok: boolean; check: string; actual: string }[] };
    const metricChecks = json.expectations.filter((e) => e.check.startsWith('metric '));
    expect(metricChecks.length).toBeGreaterThan(0);
    for (const e of metricChecks) expect(e.actual).not.toBe('no such series recorded');
    expect(r.code).toBe(0);
  });
});
