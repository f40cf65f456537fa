// `kafkasim run --metrics FILE`: the metrics part's series as a file operators' tools load. FILE.csv:
// one row per sample time, one column per series with its unit in the header (gauges hold their value
// between samples; rates and latencies are blank off their interval's sample). FILE.prom (or
// .openmetrics / .txt): the OpenMetrics text format, every sample with its timestamp (simulated
// seconds), so `promtool tsdb create-blocks-from openmetrics FILE` backfills it into Prometheus.
// And the alerts a standard rule set would have raised, for the story.

import { alertSpans, METRIC_DEFS, metricDef, type MetricSeries, type MetricsResult } from '../../sim/kafka/index.ts';

/** The alerts the story reports: a standard rule on each (value > 0). */
export const STANDARD_ALERTS = ['UnderMinIsrPartitionCount', 'OfflinePartitionsCount', 'UnderReplicatedPartitions'] as const;

function columnName(s: MetricSeries): string {
  const labels = s.labels === undefined ? '' : `[${Object.values(s.labels).join('/')}]`;
  return `${s.name}${labels} (${metricDef(s.name)?.unit ?? ''})`;
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

export function metricsCsv(r: MetricsResult): string {
  const times = [...new Set(r.series.flatMap((s) => s.t))].sort((a, b) => a - b);
  const lines = [['t (s)', ...r.series.map(columnName)].join(',')];
  const cursor = r.series.map(() => 0);
  const held = r.series.map(() => NaN);
  for (const t of times) {
    const row = [num(t / 1e6)];
    r.series.forEach((s, i) => {
      const gauge = metricDef(s.name)?.kind === 'gauge';
      let v = NaN;
      if (cursor[i] < s.t.length && s.t[cursor[i]] === t) {
        v = s.v[cursor[i]++];
        held[i] = v;
      } else if (gauge) v = held[i];
      row.push(Number.isNaN(v) ? '' : num(v));
    });
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function metricsOpenMetrics(r: MetricsResult): string {
  const lines: string[] = [];
  for (const def of METRIC_DEFS) {
    const series = r.series.filter((s) => s.name === def.name);
    lines.push(`# TYPE ${def.prom} gauge`);
    lines.push(`# HELP ${def.prom} ${escapeHelp(`${def.name} (${def.unit}): ${def.doc}. ${def.source}`)}`);
    for (const s of series) {
      const labels = s.labels === undefined ? '' : `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
      for (let i = 0; i < s.t.length; i++) {
        if (Number.isNaN(s.v[i])) continue;
        lines.push(`${def.prom}${labels} ${num(s.v[i])} ${(s.t[i] / 1e6).toFixed(6)}`);
      }
    }
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

/** The file's format from its name: .csv, or OpenMetrics (.prom, .openmetrics, .txt). */
export function metricsFormat(path: string): 'csv' | 'openmetrics' | undefined {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(prom|openmetrics|txt)$/i.test(path)) return 'openmetrics';
  return undefined;
}

export interface AlertMoment {
  metric: string;
  firedUs: number;
  clearedUs: number | undefined;
  peak: number;
}

/** When each standard alert fired and cleared, in time order. */
export function standardAlerts(r: MetricsResult): AlertMoment[] {
  const out: AlertMoment[] = [];
  for (const metric of STANDARD_ALERTS) {
    const s = r.series.find((x) => x.name === metric);
    if (s === undefined) continue;
    for (const span of alertSpans(s, 0)) out.push({ metric, ...span });
  }
  return out.sort((a, b) => a.firedUs - b.firedUs || STANDARD_ALERTS.indexOf(a.metric as never) - STANDARD_ALERTS.indexOf(b.metric as never));
}
