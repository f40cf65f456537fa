// The `expect:` section (docs/scenario-format.md): one check per item, optionally at a moment of the run, with
// every field checked against what the scenario declares (partitions as they exist at that moment,
// brokers, producers, groups, event types, Kafka error codes). Evaluating them is the verdict's job.
// `loss-probability` is a statement over many runs (kafkasim sweep): it takes no `at`, a scenario
// states it at most once, and its bounds are probabilities in [0, 1].

import type { Context } from './context.ts';
import { EVENT_TYPES } from './event-types.ts';
import { KAFKA_ERROR_CODES } from './kafka-errors.ts';
import { own } from './own.ts';
import { asMap, asSeq, expected, item, key, keysOf, readDuration, readInteger, readNumber, readString, scalar, sectionItems } from './reader.ts';
import { didYouMean } from './suggest.ts';
import type { YEntry, YMap, YNode } from './tree.ts';
import { EXPECTATION_CHECKS, PRODUCER_ERROR_REASONS, isOverRuns, type Bound, type CountCheck, type Expectation, type ExpectationCheck, type TimeBound } from './types.ts';
import { eventFields } from '../../sim/kafka/trace-events.ts';
import { METRIC_NAMES, metricDef } from '../../sim/kafka/metrics.ts';
import { formatDuration } from './durations.ts';

type CheckReader = (ctx: Context, node: YNode, path: string, atUs: number | undefined) => ExpectationCheck | undefined;
type Fields = Record<string, YEntry>;

const BOUND_KEYS = ['is', 'min', 'max'];
/** How a bound's numbers are read. */
type BoundValue = (ctx: Context, node: YNode, path: string) => number | undefined;
/** Counts and offsets: whole numbers ≥ 0. */
const COUNT: BoundValue = (ctx, node, path) => readInteger(ctx.p, node, path, { min: 0 }, 'a whole number ≥ 0');
const PROBABILITY: BoundValue = (ctx, node, path) => readNumber(ctx.p, node, path, { min: 0, max: 1 }, 'a probability between 0 and 1, like 0.01');
/** Occurrence counts (events, errors) without a bound mean "at least one". */
const AT_LEAST_ONE: Bound = { min: 1 };

const CHECKS: Readonly<Record<string, CheckReader>> = {
  leader: readLeader,
  isr: readIsr,
  replicas: (ctx, node, path, atUs) => readIsr(ctx, node, path, atUs, 'replicas'),
  hw: (ctx, node, path, atUs) => {
    const f = fields(ctx, node, path, ['partition', ...BOUND_KEYS], ['partition'], 'a mapping like {partition: orders-0, is: 120}');
    const partition = f && readPartition(ctx, f.k, path, atUs);
    const bound = f && readBound(ctx, f.map, f.k, path);
    return partition && bound ? { check: 'hw', partition, bound } : undefined;
  },
  leo: (ctx, node, path, atUs) => {
    const f = fields(ctx, node, path, ['partition', 'broker', ...BOUND_KEYS], ['partition', 'broker'], 'a mapping like {partition: orders-0, broker: 1, is: 120}');
    const partition = f && readPartition(ctx, f.k, path, atUs);
    const broker = f?.k.broker && ctx.broker(f.k.broker.value, key(path, 'broker'));
    const bound = f && readBound(ctx, f.map, f.k, path);
    return partition && broker !== undefined && bound ? { check: 'leo', partition, broker, bound } : undefined;
  },
  epoch: partitionNumber('epoch', 'a mapping like {partition: orders-0, is: 3}'),
  'partition-epoch': partitionNumber('partition-epoch', 'a mapping like {partition: orders-0, is: 5}'),
  acked: countCheck('acked'),
  lost: countCheck('lost'),
  duplicates: countCheck('duplicates'),
  unavailable: countCheck('unavailable'),
  event: readEvent,
  errors: readErrors,
  consumed: (ctx, node, path, atUs) => {
    const f = fields(ctx, node, path, ['group', 'topic', 'partition', ...BOUND_KEYS], ['group'], 'a mapping like {group: billing, min: 1000}');
    const group = f?.k.group && ctx.group(f.k.group.value, key(path, 'group'));
    const filter = f && readFilter(ctx, f.k, path, atUs);
    const bound = f && readBound(ctx, f.map, f.k, path);
    return group !== undefined && filter && bound ? { check: 'consumed', group, ...filter, bound } : undefined;
  },
  'duplicates-processed': processingCheck('duplicates-processed'),
  skipped: processingCheck('skipped'),
  position: (ctx, node, path, atUs) => {
    const f = fields(ctx, node, path, ['consumer', 'partition', ...BOUND_KEYS], ['consumer', 'partition'], 'a mapping like {consumer: billing-1, partition: orders-0, min: 900}');
    const consumer = f?.k.consumer && ctx.consumer(f.k.consumer.value, key(path, 'consumer'));
    const partition = f && readPartition(ctx, f.k, path, atUs);
    const bound = f && readBound(ctx, f.map, f.k, path);
    return consumer !== undefined && partition && bound ? { check: 'position', consumer, partition, bound } : undefined;
  },
  lag: (ctx, node, path, atUs) => {
    const f = fields(ctx, node, path, ['group', 'topic', 'partition', ...BOUND_KEYS], ['group'], 'a mapping like {group: billing, max: 0}');
    const group = f?.k.group && ctx.group(f.k.group.value, key(path, 'group'));
    const filter = f && readFilter(ctx, f.k, path, atUs);
    const bound = f && readBound(ctx, f.map, f.k, path);
    return group !== undefined && filter && bound ? { check: 'lag', group, ...filter, bound } : undefined;
  },
  committed: (ctx, node, path, atUs) => {
    const f = fields(ctx, node, path, ['group', 'partition', ...BOUND_KEYS], ['group', 'partition'], 'a mapping like {group: billing, partition: orders-0, is: 100}');
    const group = f?.k.group && ctx.group(f.k.group.value, key(path, 'group'));
    const partition = f && readPartition(ctx, f.k, path, atUs);
    const bound = f && readBound(ctx, f.map, f.k, path);
    return group !== undefined && partition && bound ? { check: 'committed', group, partition, bound } : undefined;
  },
  metric: readMetric,
  'alert-seconds': readAlertSeconds,
  'loss-probability': readLossProbability,
};

export function readExpectations(ctx: Context, node: YNode | undefined, path: string): Expectation[] {
  const expectations = sectionItems(ctx.p, node, path).flatMap((n, i) => readExpectation(ctx, n, item(path, i)) ?? []);
  // A sweep judges each cell against one bound; two would only raise the question which one counts.
  const overRuns = expectations.filter(isOverRuns);
  for (const e of overRuns.slice(1)) {
    ctx.p.add(e.source, e.path, `${e.check} is already stated at ${overRuns[0].path} (line ${overRuns[0].source.line}): give min and max in one item`);
  }
  return expectations;
}

function readExpectation(ctx: Context, node: YNode, path: string): Expectation | undefined {
  const map = asMap(ctx.p, node, path, 'an expectation like {lost: 0}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, ['at', ...EXPECTATION_CHECKS], { unknown: unknownCheck });
  const atUs = k.at && ctx.instant(k.at.value, key(path, 'at'));
  const checks = map.entries.filter((e) => own(CHECKS, e.key));
  for (const extra of checks.slice(1)) {
    ctx.p.add(extra.keyPos, key(path, extra.key), `one check per item: this item already has "${checks[0].key}" (write another item)`);
  }
  if (checks.length === 0) {
    const misspelt = map.entries.some((e) => e.key !== 'at' && !own(CHECKS, e.key));
    return misspelt ? undefined : expected(ctx.p, node, path, `a check (${EXPECTATION_CHECKS.join(', ')})`);
  }
  const check = CHECKS[checks[0].key](ctx, checks[0].value, key(path, checks[0].key), atUs);
  if (check && k.at && isOverRuns(check)) {
    ctx.p.add(k.at.keyPos, key(path, 'at'), `${check.check} is a statement over whole runs (kafkasim sweep), so it takes no at`);
    return undefined;
  }
  if (!check || checks.length > 1 || (k.at && atUs === undefined)) return undefined;
  return { ...check, ...(atUs === undefined ? {} : { atUs }), source: map.pos, path };
}

function unknownCheck(name: string): string {
  const hint = didYouMean(name, ['at', ...EXPECTATION_CHECKS]);
  return hint !== '' ? `unknown expectation "${name}"${hint}` : `unknown expectation "${name}" (checks are ${EXPECTATION_CHECKS.join(', ')})`;
}

/** The check's mapping and its known fields; required ones that are missing are reported (and read as absent). */
function fields(ctx: Context, node: YNode, path: string, known: string[], required: string[], what: string): { map: YMap; k: Fields } | undefined {
  const map = asMap(ctx.p, node, path, what);
  return map && { map, k: keysOf(ctx.p, map, path, known, { required }) };
}

function readPartition(ctx: Context, k: Fields, path: string, atUs: number | undefined): string | undefined {
  return k.partition && ctx.partition(k.partition.value, key(path, 'partition'), atUs);
}

function readLeader(ctx: Context, node: YNode, path: string, atUs: number | undefined): ExpectationCheck | undefined {
  const f = fields(ctx, node, path, ['partition', 'is'], ['partition', 'is'], 'a mapping like {partition: orders-0, is: 2}');
  if (!f) return undefined;
  const partition = readPartition(ctx, f.k, path, atUs);
  const isNode = f.k.is?.value;
  const isValue = isNode && scalar(isNode);
  const is = !isNode ? undefined
    : isValue === 'none' ? 'none'
      : typeof isValue === 'number' ? ctx.broker(isNode, key(path, 'is'))
        : expected(ctx.p, isNode, key(path, 'is'), 'a broker id, or none for no leader');
  return partition && is !== undefined ? { check: 'leader', partition, is } : undefined;
}

/** `isr:` (compared as a set) or `replicas:` (in assignment order, as kafka-topics prints them). */
function readIsr(ctx: Context, node: YNode, path: string, atUs: number | undefined, check: 'isr' | 'replicas' = 'isr'): ExpectationCheck | undefined {
  const f = fields(ctx, node, path, ['partition', 'is'], ['partition', 'is'], 'a mapping like {partition: orders-0, is: [2, 3]}');
  if (!f) return undefined;
  const partition = readPartition(ctx, f.k, path, atUs);
  const list = f.k.is && asSeq(ctx.p, f.k.is.value, key(path, 'is'), 'a list of broker ids, like [2, 3]');
  const is: number[] = [];
  const seen = new Set<number>();
  list?.items.forEach((n, i) => {
    const id = ctx.broker(n, item(key(path, 'is'), i));
    if (id !== undefined && seen.has(id)) ctx.p.add(n.pos, item(key(path, 'is'), i), `broker ${id} is listed twice`);
    else if (id !== undefined) {
      is.push(id);
      seen.add(id);
    }
  });
  return partition && list && is.length === list.items.length ? { check, partition, is } : undefined;
}

/** `lost: 0` (shorthand for is: 0), or `{topic:|partition:, is|min|max: N}`. */
function countCheck(check: CountCheck): CheckReader {
  return (ctx, node, path, atUs) => {
    if (node.kind === 'scalar') {
      const is = readInteger(ctx.p, node, path, { min: 0 }, `a count (${check}: 0) or a mapping like {min: 1}`);
      return is === undefined ? undefined : { check, bound: { is } };
    }
    const f = fields(ctx, node, path, ['topic', 'partition', ...BOUND_KEYS], [], `a count (${check}: 0) or a mapping like {min: 1}`);
    const filter = f && readFilter(ctx, f.k, path, atUs);
    const bound = f && readBound(ctx, f.map, f.k, path);
    return filter && bound ? { check, ...filter, bound } : undefined;
  };
}

function readEvent(ctx: Context, node: YNode, path: string, atUs: number | undefined): ExpectationCheck | undefined {
  const f = fields(ctx, node, path, ['type', 'partition', 'broker', 'group', 'consumer', 'producer', 'reason', 'first', 'last', ...BOUND_KEYS], ['type'], 'a mapping like {type: unclean-election, min: 1}');
  if (!f) return undefined;
  const type = f.k.type && readNamed(ctx, f.k.type.value, key(path, 'type'), EVENT_TYPES, 'event type');
  const partition = readPartition(ctx, f.k, path, atUs);
  const broker = f.k.broker ? ctx.broker(f.k.broker.value, key(path, 'broker')) : undefined;
  const group = f.k.group ? ctx.group(f.k.group.value, key(path, 'group')) : undefined;
  const consumer = f.k.consumer ? ctx.consumer(f.k.consumer.value, key(path, 'consumer')) : undefined;
  const producer = f.k.producer ? ctx.producer(f.k.producer.value, key(path, 'producer')) : undefined;
  if (consumer !== undefined && producer !== undefined) {
    return expected(ctx.p, f.k.producer.value, key(path, 'producer'), 'consumer or producer, not both (an event is about one client)');
  }
  // a filter on a field this type of event does not carry would silently count nothing
  const info = type === undefined ? undefined : eventFields(type);
  let unfit = false;
  for (const [name, field] of [['partition', 'partition'], ['broker', 'broker'], ['group', 'group'], ['consumer', 'client'], ['producer', 'client'], ['reason', 'reason']] as const) {
    if (f.k[name] && info && !info.fields.includes(field)) {
      ctx.p.add(f.k[name].keyPos, key(path, name), `${type} events have no ${name === 'consumer' || name === 'producer' ? 'client' : name} to filter on (they carry ${info.fields.join(', ')})`);
      unfit = true;
    }
  }
  const reason = f.k.reason && info?.fields.includes('reason')
    ? info.reasons ? readNamed(ctx, f.k.reason.value, key(path, 'reason'), info.reasons, `${type} reason`) : readString(ctx.p, f.k.reason.value, key(path, 'reason'), 'a reason')
    : undefined;
  const first = f.k.first ? readTimeBound(ctx, f.k.first.value, key(path, 'first')) : undefined;
  const last = f.k.last ? readTimeBound(ctx, f.k.last.value, key(path, 'last')) : undefined;
  const bound = readBound(ctx, f.map, f.k, path, AT_LEAST_ONE);
  const bad = (k: keyof Fields, v: unknown) => f.k[k] !== undefined && v === undefined;
  if (type === undefined || unfit || bad('partition', partition) || bad('broker', broker) || bad('group', group) || bad('consumer', consumer)
    || bad('producer', producer) || bad('reason', reason) || bad('first', first) || bad('last', last) || !bound) return undefined;
  return {
    check: 'event', type, ...(partition ? { partition } : {}), ...(broker !== undefined ? { broker } : {}), ...(group !== undefined ? { group } : {}),
    ...(consumer !== undefined ? { consumer } : {}), ...(producer !== undefined ? { producer } : {}), ...(reason !== undefined ? { reason } : {}),
    bound, ...(first ? { first } : {}), ...(last ? { last } : {}),
  };
}

/** `first: { min: 20s, max: 25s }`: a window of simulated time, either end open, min ≤ max. */
function readTimeBound(ctx: Context, node: YNode, path: string): TimeBound | undefined {
  const f = fields(ctx, node, path, ['min', 'max'], [], 'a window like {min: 20s, max: 25s}');
  if (!f) return undefined;
  if (!f.k.min && !f.k.max) return expected(ctx.p, node, path, 'min and/or max, like {min: 20s, max: 25s}');
  const minUs = f.k.min ? readDuration(ctx.p, f.k.min.value, key(path, 'min')) : undefined;
  const maxUs = f.k.max ? readDuration(ctx.p, f.k.max.value, key(path, 'max')) : undefined;
  if ((f.k.min && minUs === undefined) || (f.k.max && maxUs === undefined)) return undefined;
  if (minUs !== undefined && maxUs !== undefined && minUs > maxUs) {
    ctx.p.add(f.k.max.value.pos, key(path, 'max'), `max (${formatDuration(maxUs)}) is before min (${formatDuration(minUs)})`);
    return undefined;
  }
  return { ...(minUs !== undefined ? { minUs } : {}), ...(maxUs !== undefined ? { maxUs } : {}) };
}

function readErrors(ctx: Context, node: YNode, path: string): ExpectationCheck | undefined {
  const f = fields(ctx, node, path, ['producer', 'code', 'reason', 'records', ...BOUND_KEYS], [], 'a mapping like {producer: checkout, code: NOT_ENOUGH_REPLICAS, min: 1}');
  if (!f) return undefined;
  const producer = f.k.producer ? ctx.producer(f.k.producer.value, key(path, 'producer')) : undefined;
  const code = f.k.code ? readNamed(ctx, f.k.code.value, key(path, 'code'), KAFKA_ERROR_CODES, 'Kafka error code') : undefined;
  // the producer's TimeoutExceptions all carry REQUEST_TIMED_OUT; reason tells which timeout it was
  const reason = f.k.reason ? readNamed(ctx, f.k.reason.value, key(path, 'reason'), PRODUCER_ERROR_REASONS, 'timeout reason') : undefined;
  if (reason !== undefined && code !== undefined && code !== 'REQUEST_TIMED_OUT') {
    return expected(ctx.p, f.k.reason.value, key(path, 'reason'), `no reason with code ${code} (a reason names one of the timeouts, all REQUEST_TIMED_OUT)`);
  }
  const records = f.k.records ? readFlag(ctx, f.k.records.value, key(path, 'records')) : undefined;
  const bound = readBound(ctx, f.map, f.k, path, AT_LEAST_ONE);
  if ((f.k.producer && !producer) || (f.k.code && !code) || (f.k.reason && !reason) || (f.k.records && records === undefined) || !bound) return undefined;
  return {
    check: 'errors', ...(producer ? { producer } : {}), ...(code ? { code } : {}), ...(reason ? { reason: reason as ExpectationReason } : {}),
    ...(records ? { records } : {}), bound,
  };
}

type ExpectationReason = (typeof PRODUCER_ERROR_REASONS)[number];

/** `records: true`: a YAML boolean. */
function readFlag(ctx: Context, node: YNode, path: string): boolean | undefined {
  const v = scalar(node);
  return typeof v === 'boolean' ? v : expected(ctx.p, node, path, 'true or false');
}

/** `{partition: orders-0, is|min|max: N}`: a number the controller's metadata holds for a partition. */
function partitionNumber(check: 'epoch' | 'partition-epoch', what: string): CheckReader {
  return (ctx, node, path, atUs) => {
    const f = fields(ctx, node, path, ['partition', ...BOUND_KEYS], ['partition'], what);
    const partition = f && readPartition(ctx, f.k, path, atUs);
    const bound = f && readBound(ctx, f.map, f.k, path);
    return partition && bound ? { check, partition, bound } : undefined;
  };
}

/** A name from a fixed vocabulary (event types, error codes), with a did-you-mean. */
function readNamed(ctx: Context, node: YNode, path: string, known: readonly string[], what: string): string | undefined {
  const name = readString(ctx.p, node, path, `a ${what}`);
  if (name === undefined || known.includes(name)) return name;
  const hint = didYouMean(name, known);
  ctx.p.add(node.pos, path, `unknown ${what} "${name}"${hint || ` (known: ${known.join(', ')})`}`);
  return undefined;
}

/** The optional `topic:` or `partition:` filter; when both are given they must agree. */
function readFilter(ctx: Context, k: Fields, path: string, atUs: number | undefined): { topic?: string; partition?: string } | undefined {
  const topic = k.topic ? ctx.topic(k.topic.value, key(path, 'topic')) : undefined;
  const partition = readPartition(ctx, k, path, atUs);
  if ((k.topic && !topic) || (k.partition && !partition)) return undefined;
  if (topic && partition && !partition.startsWith(`${topic}-`)) {
    return expected(ctx.p, k.partition.value, key(path, 'partition'), `a partition of topic ${topic}`);
  }
  return { ...(topic ? { topic } : {}), ...(partition ? { partition } : {}) };
}

/** Metric values: any number ≥ 0 (rates and latencies are fractional). */
const METRIC_VALUE: BoundValue = (ctx, node, path) => readNumber(ctx.p, node, path, { min: 0 }, 'a number ≥ 0');

/** `metric: { name: UnderMinIsrPartitionCount, max: 0 }` (group:/partition: for consumer-group-lag). */
function readMetric(ctx: Context, node: YNode, path: string, atUs: number | undefined): ExpectationCheck | undefined {
  const f = fields(ctx, node, path, ['name', 'group', 'partition', ...BOUND_KEYS], ['name'], 'a mapping like {name: UnderMinIsrPartitionCount, max: 0}');
  if (!f) return undefined;
  const name = f.k.name && readNamed(ctx, f.k.name.value, key(path, 'name'), METRIC_NAMES, 'metric');
  const labelled = name !== undefined && (metricDef(name)?.labels?.length ?? 0) > 0;
  for (const l of ['group', 'partition'] as const) {
    if (f.k[l] && name !== undefined && !labelled) return expected(ctx.p, f.k[l].value, key(path, l), `no ${l}: ${name} is one series for the cluster`);
  }
  const group = f.k.group ? ctx.group(f.k.group.value, key(path, 'group')) : undefined;
  const partition = readPartition(ctx, f.k, path, atUs);
  const bound = readBound(ctx, f.map, f.k, path, undefined, METRIC_VALUE);
  if (name === undefined || (f.k.group && group === undefined) || (f.k.partition && !partition) || !bound) return undefined;
  return { check: 'metric', name, ...(group !== undefined ? { group } : {}), ...(partition ? { partition } : {}), bound };
}

/** `alert-seconds: { metric: UnderMinIsrPartitionCount, above: 0, max: 10 }`: seconds the alert would have fired. */
function readAlertSeconds(ctx: Context, node: YNode, path: string): ExpectationCheck | undefined {
  const f = fields(ctx, node, path, ['metric', 'above', ...BOUND_KEYS], ['metric'], 'a mapping like {metric: UnderMinIsrPartitionCount, above: 0, max: 10}');
  if (!f) return undefined;
  const metric = f.k.metric && readNamed(ctx, f.k.metric.value, key(path, 'metric'), METRIC_NAMES, 'metric');
  const above = f.k.above ? readNumber(ctx.p, f.k.above.value, key(path, 'above'), {}, 'a number: the alert fires while the metric is above it') : 0;
  const bound = readBound(ctx, f.map, f.k, path, undefined, METRIC_VALUE);
  if (metric === undefined || above === undefined || !bound) return undefined;
  return { check: 'alert-seconds', metric, above, bound };
}

/** `loss-probability: 0` (shorthand for is: 0), or `{is|min|max: P}` with P in [0, 1]. */
function readLossProbability(ctx: Context, node: YNode, path: string): ExpectationCheck | undefined {
  if (node.kind === 'scalar') {
    const is = PROBABILITY(ctx, node, path);
    return is === undefined ? undefined : { check: 'loss-probability', bound: { is } };
  }
  const f = fields(ctx, node, path, BOUND_KEYS, [], 'a bound on the share of runs that lose an acked record, like {max: 0.01}');
  const bound = f && readBound(ctx, f.map, f.k, path, undefined, PROBABILITY);
  return bound ? { check: 'loss-probability', bound } : undefined;
}

/** `is: N`, or `min:` and/or `max:`, each read as `value` says (by default a count). */
function readBound(ctx: Context, map: YMap, k: Fields, path: string, fallback?: Bound, value: BoundValue = COUNT): Bound | undefined {
  const read = (name: string): number | undefined => k[name] && value(ctx, k[name].value, key(path, name));
  const [is, min, max] = [read('is'), read('min'), read('max')];
  if (k.is && (k.min || k.max)) {
    const extra = k.min ? 'min' : 'max';
    ctx.p.add(k[extra].keyPos, key(path, extra), 'give is, or min and/or max, not both');
    return undefined;
  }
  if (!k.is && !k.min && !k.max) {
    if (fallback) return fallback;
    ctx.p.add(map.pos, path, 'needs a bound: is, min or max');
    return undefined;
  }
  if (min !== undefined && max !== undefined && min > max) {
    ctx.p.add(k.max.value.pos, key(path, 'max'), `max (${max}) is smaller than min (${min})`);
    return undefined;
  }
  if (k.is) return is === undefined ? undefined : { is };
  if ((k.min && min === undefined) || (k.max && max === undefined)) return undefined;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/** `duplicates-processed:` / `skipped:` — a number (shorthand for is) or {group?, topic?, partition?, is/min/max}. */
function processingCheck(check: 'duplicates-processed' | 'skipped'): CheckReader {
  return (ctx, node, path, atUs) => {
    if (node.kind === 'scalar') {
      const is = readInteger(ctx.p, node, path, { min: 0 }, `a count (${check}: 0) or a mapping like {group: billing, max: 0}`);
      return is === undefined ? undefined : { check, bound: { is } };
    }
    const f = fields(ctx, node, path, ['group', 'topic', 'partition', ...BOUND_KEYS], [], 'a number, or a mapping like {group: billing, is: 0}');
    const group = f?.k.group && ctx.group(f.k.group.value, key(path, 'group'));
    const filter = f && readFilter(ctx, f.k, path, atUs);
    const bound = f && readBound(ctx, f.map, f.k, path);
    if (f?.k.group && group === undefined) return undefined;
    return filter && bound ? { check, ...(group !== undefined ? { group } : {}), ...filter, bound } : undefined;
  };
}
