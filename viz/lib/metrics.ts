// What the metrics panel (views/metrics.ts) draws, as pure functions of the series the model's metrics
// part recorded (sim/kafka/metrics.ts, posted with the run): the rows in Kafka's groups (broker,
// controller, producer, consumer) with Kafka's names and units, the value at a moment, the usual alert
// on each, and the jumps worth a mark, each with the event of the run that caused it.

import { metricDef, type MetricDef } from '../../sim/kafka/metrics.ts';
import type { MetricSeries, MetricsResult } from '../../sim/kafka/metrics-port.ts';
import type { VizEvent, VizEventType } from './events.ts';

export type MetricGroup = 'broker' | 'controller' | 'producer' | 'consumer';

export const GROUP_TITLES: Record<MetricGroup, string> = {
  broker: 'Broker · kafka.server (summed over the running brokers; MaxLag the largest)',
  controller: 'Controller · kafka.controller',
  producer: 'Producer · producer-metrics (all producers)',
  consumer: 'Consumer · consumer-fetch-manager / coordinator metrics, and each group\'s lag',
};

/** The usual alert on a metric: a condition on its value, in the words an alerting rule uses. */
export interface AlertRule {
  /** "> 0", "!= 1", "> 1000". */
  text: string;
  fires(v: number): boolean;
  /** The level drawn across the sparkline. */
  level: number;
}

/**
 * A consumer lag threshold for the panel's mark. Kafka has no standard one (it depends on how far
 * behind an application may fall); 1,000 records is a common first rule (Burrow and the monitoring
 * guides alert on lag that keeps growing; a fixed bound is the simple version).
 */
export const CONSUMER_LAG_ALERT = 1000;

/** The standard alerts operators set on these metrics (Kafka's monitoring docs' "alert on" list). */
export function alertRule(name: string): AlertRule | undefined {
  const def = metricDef(name);
  if (name === 'ActiveControllerCount') return { text: '!= 1', fires: (v) => v !== 1, level: 1 };
  if (name === 'records-lag-max' || name === 'consumer-group-lag') return { text: `> ${CONSUMER_LAG_ALERT.toLocaleString('en')}`, fires: (v) => v > CONSUMER_LAG_ALERT, level: CONSUMER_LAG_ALERT };
  if (def?.alertAbove !== undefined) {
    const above = def.alertAbove;
    return { text: `> ${above}`, fires: (v) => v > above, level: above };
  }
  return undefined;
}

export function groupOf(def: MetricDef): MetricGroup {
  if (def.source.startsWith('kafka.server')) return 'broker';
  if (def.source.startsWith('kafka.controller')) return 'controller';
  if (def.source.startsWith('producer') || def.source.startsWith('the application')) return 'producer';
  return 'consumer';
}

/** One sparkline: a series (one per run when two runs play side by side) under one name. */
export interface MetricRow {
  /** Kafka's name and labels: "UnderReplicatedPartitions", "consumer-group-lag{group=g,partition=orders-0}". */
  key: string;
  name: string;
  /** "group g · orders-0" for a labelled series. */
  labelText?: string;
  def: MetricDef;
  group: MetricGroup;
  alert?: AlertRule;
  /** Per run (undefined: that run has no such series). */
  series: (MetricSeries | undefined)[];
}

export const seriesKey = (s: MetricSeries): string =>
  s.labels === undefined ? s.name : `${s.name}{${Object.entries(s.labels).map(([a, b]) => `${a}=${b}`).join(',')}}`;

/** At most this many of a labelled metric's series (the ones with the largest peaks); the rest are counted. */
export const MAX_LABELLED = 8;

/** The rows of the panel, in METRIC_DEFS order within each group, labelled series after their metric. */
export function metricRows(runs: readonly (MetricsResult | undefined)[]): { rows: MetricRow[]; hidden: Map<string, number> } {
  const keys: string[] = [];
  const byKey = new Map<string, MetricRow>();
  runs.forEach((r, ri) => {
    for (const s of r?.series ?? []) {
      const def = metricDef(s.name);
      if (def === undefined) continue;
      const k = seriesKey(s);
      let row = byKey.get(k);
      if (row === undefined) {
        const labelText = s.labels === undefined ? undefined : Object.values(s.labels).join(' · ');
        row = { key: k, name: s.name, labelText, def, group: groupOf(def), alert: alertRule(s.name), series: runs.map(() => undefined) };
        byKey.set(k, row);
        keys.push(k);
      }
      row.series[ri] = s;
    }
  });
  const hidden = new Map<string, number>();
  const rows: MetricRow[] = [];
  const order: MetricGroup[] = ['broker', 'controller', 'producer', 'consumer'];
  for (const g of order) {
    const mine = keys.map((k) => byKey.get(k)!).filter((r) => r.group === g);
    const labelled = new Map<string, MetricRow[]>();
    for (const r of mine) {
      if (r.labelText === undefined) rows.push(r);
      else (labelled.get(r.name) ?? labelled.set(r.name, []).get(r.name)!).push(r);
    }
    for (const [name, list] of labelled) {
      const peak = (r: MetricRow) => Math.max(0, ...r.series.flatMap((s) => (s ? s.v.filter((v) => !Number.isNaN(v)) : [])));
      const kept = list.length > MAX_LABELLED ? [...list].sort((a, b) => peak(b) - peak(a)).slice(0, MAX_LABELLED) : list;
      const keptSet = new Set(kept);
      rows.push(...list.filter((r) => keptSet.has(r)));
      if (list.length > kept.length) hidden.set(name, list.length - kept.length);
    }
  }
  return { rows, hidden };
}

/** The index of the last sample at or before t (-1: none yet). */
export function sampleIndexAt(s: Pick<MetricSeries, 't'>, tUs: number): number {
  let lo = 0;
  let hi = s.t.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.t[mid] <= tUs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The value a dashboard shows at t: the last sample at or before it (NaN: none yet, or none in its interval). */
export function valueAt(s: Pick<MetricSeries, 't' | 'v'>, tUs: number): number {
  const i = sampleIndexAt(s, tUs);
  return i < 0 ? NaN : s.v[i];
}

/** A value as the panel prints it: whole numbers as they are, others to 3 significant digits, none as "–". */
export function formatMetric(v: number): string {
  if (Number.isNaN(v)) return '–';
  if (Number.isInteger(v)) return v.toLocaleString('en');
  const a = Math.abs(v);
  return a >= 100 ? Math.round(v).toLocaleString('en') : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export interface Jump {
  /** The sample that jumped. */
  tUs: number;
  from: number;
  to: number;
  /** The event that caused it (the latest notable one between the sample before and this one), if any. */
  cause?: VizEvent;
  /** Where a click seeks: the cause's moment, or the sample's. */
  seekUs: number;
}

/** At most this many jump marks per sparkline (the largest). */
export const MAX_JUMPS = 6;

/**
 * The jumps of a series worth a mark: for a gauge sampled at every change (the ISR counts, leaders,
 * brokers), every change; for a rate, a latency or a lag, a step of at least a third of the series'
 * range. The cause of each is the run's latest notable event between the sample before and this one
 * (a gauge sampled at the change is sampled at the moment of the event that changed it).
 */
export function jumpsOf(s: Pick<MetricSeries, 't' | 'v'>, def: MetricDef, notable: readonly VizEvent[]): Jump[] {
  const vals = s.v.filter((v) => !Number.isNaN(v));
  if (vals.length === 0) return [];
  const range = Math.max(...vals) - Math.min(...vals);
  if (range === 0) return [];
  const minStep = def.onChange ? 0 : range / 3;
  const found: Jump[] = [];
  let prev = NaN;
  let prevT = 0;
  for (let i = 0; i < s.t.length; i++) {
    const v = s.v[i];
    if (Number.isNaN(v)) continue;
    // a value after none (a latency after an interval without requests) is no jump
    if (!Number.isNaN(prev) && v !== prev && Math.abs(v - prev) >= minStep) {
      const cause = latestBetween(notable, prevT, s.t[i], MOVED_BY[def.name]);
      found.push({ tUs: s.t[i], from: prev, to: v, cause, seekUs: cause?.tUs ?? s.t[i] });
    }
    prev = v;
    prevT = s.t[i];
  }
  if (found.length <= MAX_JUMPS) return found;
  const kept = new Set([...found].sort((a, b) => Math.abs(b.to - b.from) - Math.abs(a.to - a.from) || a.tUs - b.tUs).slice(0, MAX_JUMPS));
  return found.filter((j) => kept.has(j));
}

/**
 * The kinds of event that move a gauge, when another notable event may fall between the change and
 * its sample: a leader samples its ISR gauges when the change reaches it, a moment after the
 * controller made it, and a broker stopping in between is not why UnderMinIsrPartitionCount rose.
 */
const ISR_MOVES: readonly VizEventType[] = ['isr', 'leader', 'partition-state'];
const MOVED_BY: Readonly<Record<string, readonly VizEventType[]>> = {
  UnderReplicatedPartitions: ISR_MOVES,
  UnderMinIsrPartitionCount: ISR_MOVES,
  AtMinIsrPartitionCount: ISR_MOVES,
  IsrShrinksPerSec: ISR_MOVES,
  IsrExpandsPerSec: ISR_MOVES,
  OfflinePartitionsCount: ['leader', 'partition-state'],
  LeaderCount: ['leader', 'partition-state'],
  ActiveControllerCount: ['controller', 'quorum'],
  FencedBrokerCount: ['broker'],
  ActiveBrokerCount: ['broker'],
};

/** The latest of the (time-ordered) events in [fromUs, toUs]: of the kinds given, if one is there. */
function latestBetween(events: readonly VizEvent[], fromUs: number, toUs: number, kinds?: readonly VizEventType[]): VizEvent | undefined {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].tUs <= toUs) lo = mid + 1;
    else hi = mid;
  }
  if (kinds !== undefined) {
    for (let k = lo - 1; k >= 0 && events[k].tUs >= fromUs; k--) if (kinds.includes(events[k].type)) return events[k];
  }
  const e = lo > 0 ? events[lo - 1] : undefined;
  return e !== undefined && e.tUs >= fromUs ? e : undefined;
}

/** Each stretch during which an alert fires, [from, to) in µs (to: the end of the run if it still fires). */
export function firingSpans(s: Pick<MetricSeries, 't' | 'v'>, rule: AlertRule, endUs: number): { fromUs: number; toUs: number }[] {
  const out: { fromUs: number; toUs: number }[] = [];
  let from: number | undefined;
  for (let i = 0; i < s.t.length; i++) {
    const v = s.v[i];
    if (Number.isNaN(v)) continue;
    const f = rule.fires(v);
    if (f && from === undefined) from = s.t[i];
    else if (!f && from !== undefined) {
      out.push({ fromUs: from, toUs: s.t[i] });
      from = undefined;
    }
  }
  if (from !== undefined) out.push({ fromUs: from, toUs: endUs });
  return out;
}

/** The standard broker and controller alerts (ISR and offline gauges, the active controller) that fire during the run. */
export function firingAlertRows(rows: readonly MetricRow[], endUs: number): MetricRow[] {
  return rows.filter((r) => r.alert !== undefined && r.labelText === undefined && r.series.some((s) => s !== undefined && firingSpans(s, r.alert!, endUs).length > 0));
}

/**
 * The metrics a lesson is about, for presentation mode's collapsed panel: the alerts that fire during
 * the run (what an operator was paged on), then those the scenario's expectations name (the author's
 * pick); at most `max`.
 */
export function lessonRows(rows: readonly MetricRow[], named: readonly string[], endUs: number, max = 4): MetricRow[] {
  const out: MetricRow[] = [];
  const add = (r: MetricRow) => {
    if (out.length < max && !out.includes(r)) out.push(r);
  };
  for (const r of firingAlertRows(rows, endUs)) add(r);
  for (const n of named) for (const r of rows) if (r.name === n && r.labelText === undefined) add(r);
  return out;
}
