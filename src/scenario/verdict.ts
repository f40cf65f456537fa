// Expectations → verdict. Each expectation of a scenario is checked at its time against what the
// simulation shows then, through the small Observer interface below, so the same code serves the CLI,
// the experiments and the front end. docs/scenario-format.md defines each check. Checks over many runs
// (loss-probability) are not checked in one run: runWithExpectations skips them, and a sweep reads
// their bound from the scenario's `expect` (see isOverRuns).

import { formatTime } from '../../sim/engine/time.ts';
import { secondsAbove } from '../../sim/kafka/metrics.ts';
import { isOverRuns, type Bound, type Expectation, type ProducerErrorReason, type RunExpectation, type TimeBound } from './types.ts';

/** What an event expectation filters on. */
export interface EventQuery {
  partition?: string;
  broker?: number;
  group?: string;
  client?: string;
  reason?: string;
}

/** The filter of an event expectation, as the simulation's watches take it (consumer and producer are both a client). */
export function eventQuery(e: Extract<Expectation, { check: 'event' }>): EventQuery {
  const q: EventQuery = {};
  if (e.partition !== undefined) q.partition = e.partition;
  if (e.broker !== undefined) q.broker = e.broker;
  if (e.group !== undefined) q.group = e.group;
  const client = e.consumer ?? e.producer;
  if (client !== undefined) q.client = client;
  if (e.reason !== undefined) q.reason = e.reason;
  return q;
}

function describeTimeBound(b: TimeBound): string {
  if (b.minUs !== undefined && b.maxUs !== undefined) return `between ${formatTime(b.minUs)} and ${formatTime(b.maxUs)}`;
  return b.minUs !== undefined ? `at ${formatTime(b.minUs)} or later` : `by ${formatTime(b.maxUs!)}`;
}

const withinTime = (b: TimeBound, t: number): boolean => t >= 0 && (b.minUs === undefined || t >= b.minUs) && (b.maxUs === undefined || t <= b.maxUs);

/** What expectations may ask of a running simulation, all as of "now". */
export interface Observer {
  /** The controller's committed metadata for a partition (kafka-topics --describe), undefined if it does not exist. */
  partition(name: string): {
    leader: number | null; isr: number[]; replicas: number[]; hw: number | null; leo: (broker: number) => number | undefined;
    /** The leader epoch and the partition epoch in the controller's metadata. */
    epoch: number; partitionEpoch: number;
  } | undefined;
  records(kind: 'acked' | 'lost' | 'duplicates' | 'unavailable' | 'consumed', filter: { topic?: string; partition?: string; group?: string }): number;
  /** Records the groups' applications processed more than once, or skipped (the ledger's processing side). */
  processing(kind: 'duplicates-processed' | 'skipped', filter: { group?: string; topic?: string; partition?: string }): number;
  /** Events of a type so far that match the filter (client: a consumer's or producer's id), and when the first and last were (−1: none). */
  events(type: string, filter: EventQuery): { count: number; firstUs: number; lastUs: number };
  /** Error answers (batches), or with `records` the records they concerned. */
  producerErrors(filter: { producer?: string; code?: string; reason?: ProducerErrorReason; records?: boolean }): number;
  /** A consumer's fetch position; undefined when it has none. */
  position(consumer: string, partition: string): number | undefined;
  /** A metric's samples so far (every series of that name matching the labels), and the time now. */
  metric(name: string, labels: { group?: string; partition?: string }): { series: { t: number[]; v: number[] }[]; nowUs: number } | undefined;
  /** kafka-consumer-groups LAG summed over the matching partitions; undefined when it prints `-`. */
  lag(group: string, filter: { topic?: string; partition?: string }): number | undefined;
  committed(group: string, partition: string): number | undefined;
}

export interface ExpectationResult {
  ok: boolean;
  /** The check as written, e.g. `leader orders-0` or `lost`. */
  check: string;
  expected: string;
  actual: string;
  atUs: number | undefined;
  path: string;
  line: number;
  column: number;
}

export function describeBound(b: Bound): string {
  if ('is' in b) return `${b.is}`;
  if (b.min !== undefined && b.max !== undefined) return `between ${b.min} and ${b.max}`;
  if (b.min !== undefined) return `at least ${b.min}`;
  return `at most ${b.max}`;
}

export function withinBound(b: Bound, value: number): boolean {
  if ('is' in b) return value === b.is;
  return (b.min === undefined || value >= b.min) && (b.max === undefined || value <= b.max);
}

function result(e: RunExpectation, check: string, expected: string, actual: string, ok: boolean): ExpectationResult {
  return { ok, check, expected, actual, atUs: e.atUs, path: e.path, line: e.source.line, column: e.source.column };
}

function numeric(e: RunExpectation, check: string, bound: Bound, value: number | undefined, missing = 'none'): ExpectationResult {
  const ok = value !== undefined && withinBound(bound, value);
  return result(e, check, describeBound(bound), value === undefined ? missing : String(value), ok);
}

function filterLabel(f: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(f).filter(([, v]) => v !== undefined && v !== false).map(([k, v]) => (v === true ? k : `${k}=${v}`));
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Checks one expectation now. */
export function evaluate(e: RunExpectation, o: Observer): ExpectationResult {
  switch (e.check) {
    case 'leader': {
      const p = o.partition(e.partition);
      const actual = p === undefined ? 'no such partition' : p.leader === null ? 'none' : String(p.leader);
      return result(e, `leader ${e.partition}`, String(e.is), actual, actual === String(e.is));
    }
    case 'isr': {
      const p = o.partition(e.partition);
      const want = [...e.is].sort((a, b) => a - b);
      const got = p ? [...p.isr].sort((a, b) => a - b) : undefined;
      const ok = got !== undefined && got.length === want.length && got.every((x, i) => x === want[i]);
      return result(e, `isr ${e.partition}`, `[${want.join(', ')}]`, got ? `[${got.join(', ')}]` : 'no such partition', ok);
    }
    case 'replicas': {
      const p = o.partition(e.partition);
      const got = p?.replicas;
      const ok = got !== undefined && got.length === e.is.length && got.every((x, i) => x === e.is[i]);
      return result(e, `replicas ${e.partition}`, `[${e.is.join(', ')}]`, got ? `[${got.join(', ')}]` : 'no such partition', ok);
    }
    case 'hw': {
      const p = o.partition(e.partition);
      const hw = p?.hw ?? undefined;
      return numeric(e, `hw ${e.partition}`, e.bound, hw, p ? 'no leader, so no high watermark' : 'no such partition');
    }
    case 'leo':
      return numeric(e, `leo ${e.partition} broker ${e.broker}`, e.bound, o.partition(e.partition)?.leo(e.broker));
    case 'epoch':
      return numeric(e, `epoch ${e.partition}`, e.bound, o.partition(e.partition)?.epoch, 'no such partition');
    case 'partition-epoch':
      return numeric(e, `partition-epoch ${e.partition}`, e.bound, o.partition(e.partition)?.partitionEpoch, 'no such partition');
    case 'acked':
    case 'lost':
    case 'duplicates':
    case 'unavailable': {
      const f = { topic: e.topic, partition: e.partition };
      return numeric(e, `${e.check}${filterLabel(f)}`, e.bound, o.records(e.check, f));
    }
    case 'event': {
      const f = { partition: e.partition, broker: e.broker, group: e.group, consumer: e.consumer, producer: e.producer, reason: e.reason };
      const w = o.events(e.type, eventQuery(e));
      const label = `event ${e.type}${filterLabel(f)}`;
      if (e.first === undefined && e.last === undefined) return numeric(e, label, e.bound, w.count);
      // a count and when: every part must hold
      const expected = [describeBound(e.bound), ...(e.first ? [`first ${describeTimeBound(e.first)}`] : []), ...(e.last ? [`last ${describeTimeBound(e.last)}`] : [])];
      const when = w.count === 0 ? '' : w.count === 1 ? ` (at ${formatTime(w.firstUs)})` : ` (first at ${formatTime(w.firstUs)}, last at ${formatTime(w.lastUs)})`;
      const ok = withinBound(e.bound, w.count) && (e.first === undefined || withinTime(e.first, w.firstUs)) && (e.last === undefined || withinTime(e.last, w.lastUs));
      return result(e, label, expected.join(', '), `${w.count}${when}`, ok);
    }
    case 'errors': {
      const f = { producer: e.producer, code: e.code, reason: e.reason, records: e.records };
      return numeric(e, `errors${filterLabel(f)}`, e.bound, o.producerErrors(f));
    }
    case 'consumed': {
      const f = { topic: e.topic, partition: e.partition };
      return numeric(e, `consumed ${e.group}${filterLabel(f)}`, e.bound, o.records('consumed', { ...f, group: e.group }));
    }
    case 'duplicates-processed':
    case 'skipped': {
      const f = { topic: e.topic, partition: e.partition };
      return numeric(e, `${e.check}${e.group !== undefined ? ` ${e.group}` : ''}${filterLabel(f)}`, e.bound, o.processing(e.check, { ...f, group: e.group }));
    }
    case 'metric':
      return metricResult(e, o);
    case 'alert-seconds': {
      const m = o.metric(e.metric, {});
      const label = `alert-seconds ${e.metric} > ${e.above}`;
      if (m === undefined) return result(e, label, describeBound(e.bound), 'no metrics recorded', false);
      const seconds = Math.max(0, ...m.series.map((s) => secondsAbove(s, e.above, m.nowUs)));
      const shown = Number(seconds.toFixed(3));
      return result(e, label, describeBound(e.bound), `${shown}`, withinBound(e.bound, shown));
    }
    case 'position':
      return numeric(e, `position ${e.consumer} ${e.partition}`, e.bound, o.position(e.consumer, e.partition), 'none (not assigned, or no valid position yet)');
    case 'lag': {
      const f = { topic: e.topic, partition: e.partition };
      return numeric(e, `lag ${e.group}${filterLabel(f)}`, e.bound, o.lag(e.group, f), '- (no committed offset)');
    }
    case 'committed':
      return numeric(e, `committed ${e.group} ${e.partition}`, e.bound, o.committed(e.group, e.partition), '- (no committed offset)');
  }
}

/**
 * Runs a simulation to its end, checking each expectation at its moment (after every event of that
 * instant). `advance(t)` must run the simulation until t; `endUs` is the scenario's duration. Returns
 * one result per expectation one run can check, in the given order; those over many runs
 * (loss-probability) are left out, so they never fail a single run.
 */
export function runWithExpectations(
  expectations: readonly Expectation[],
  endUs: number,
  advance: (tUs: number) => void,
  observe: () => Observer,
): ExpectationResult[] {
  const checkable = expectations.filter((e): e is RunExpectation => !isOverRuns(e));
  const order = checkable.map((e, i) => ({ e, i, at: e.atUs ?? endUs })).sort((a, b) => a.at - b.at || a.i - b.i);
  const results: ExpectationResult[] = new Array(checkable.length);
  for (const { e, i, at } of order) {
    advance(at);
    results[i] = evaluate(e, observe());
  }
  advance(endUs);
  return results;
}

/**
 * A metric at `at` (its last sample by then, the largest over its series), or over the whole run (every
 * sample within the bound: the peak against max, the lowest against min).
 */
function metricResult(e: Extract<RunExpectation, { check: 'metric' }>, o: Observer): ExpectationResult {
  const labels = { group: e.group, partition: e.partition };
  const label = `metric ${e.name}${filterLabel(labels)}`;
  const m = o.metric(e.name, labels);
  if (m === undefined || m.series.length === 0) return result(e, label, describeBound(e.bound), 'no such series recorded', false);
  if (e.atUs !== undefined) {
    let value = Number.NaN;
    for (const s of m.series) {
      let i = s.t.length - 1;
      while (i >= 0 && (s.t[i] > e.atUs || Number.isNaN(s.v[i]))) i--;
      if (i >= 0 && !(s.v[i] <= value)) value = s.v[i];
    }
    return Number.isNaN(value) ? result(e, label, describeBound(e.bound), 'no sample by then', false) : numeric(e, label, e.bound, Number(value.toFixed(6)));
  }
  let max = -Infinity;
  let min = Infinity;
  let maxAt = 0;
  for (const s of m.series) {
    for (let i = 0; i < s.v.length; i++) {
      const v = s.v[i];
      if (Number.isNaN(v)) continue;
      if (v > max) [max, maxAt] = [v, s.t[i]];
      if (v < min) min = v;
    }
  }
  if (max === -Infinity) return result(e, label, describeBound(e.bound), 'no samples', false);
  const b = e.bound;
  const ok = 'is' in b ? min === b.is && max === b.is : (b.min === undefined || min >= b.min) && (b.max === undefined || max <= b.max);
  const round = (x: number) => Number(x.toFixed(6));
  return result(e, label, `${describeBound(b)} throughout the run`, `peak ${round(max)} at ${formatTime(maxAt)}, lowest ${round(min)}`, ok);
}

