// Random VALID scenario files for the fuzz suite: one seed → one YAML text, always the same text for
// the same seed. Every section of docs/scenario-format.md is drawn (clusters of 1–6 brokers in either controller
// mode and either replication protocol, topics with random partitions, replication factors, explicit
// assignments and configs, producers and consumer groups with random client configs, a fault
// timeline using every action, random expectations), and the alternative spellings the format
// accepts (durations in us/ms/s/m or plain milliseconds, `acks: -1`, `"TRUE"`, flow or block style).
//
// The generator mirrors the validator's cross-reference rules (partitions as they exist at each
// moment, client ids unique across producers and consumers, idempotence needs acks=all, heartbeat
// below the session timeout, …), so a generated file that does not validate is a generator bug, or a
// validator that refuses something the format allows: either way the test prints the text.
//
// Loads are kept small (short runs, modest rates) so that thousands of runs fit in a CI minute; the
// point is breadth of situations, not volume.

import { eventFields } from '../../sim/kafka/trace-events.ts';
import seedrandom from 'seedrandom';
import { Document, visit } from 'yaml';
import { CLIENT_PROCESS_ACTIONS, PROCESS_EFFECT, type ProcessState } from '../../src/scenario/process-states.ts';

export const TIMELINE_ACTIONS = [
  'crash', 'restart', 'shutdown', 'power-loss', 'disk-loss', 'pause', 'isolate', 'partition', 'cut', 'slow', 'heal',
  'alter-config', 'elect-leaders', 'add-partitions', 'reset-offsets', 'stop-producer', 'start-producer',
  'start-consumer', 'stop-consumer', 'crash-consumer', 'note',
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export const EXPECTATION_CHECKS = [
  'leader', 'isr', 'hw', 'leo', 'acked', 'lost', 'duplicates', 'unavailable', 'event', 'errors', 'lag', 'committed',
  'duplicates-processed', 'skipped',
] as const;

const EVENT_TYPES = [
  'broker-crashed', 'broker-restarted', 'broker-shutdown', 'broker-fenced', 'broker-unfenced',
  'leader-elected', 'unclean-election', 'isr-shrink', 'isr-expand', 'truncated', 'hw-advanced',
  'produce-acked', 'produce-failed', 'metadata-refreshed', 'rebalance', 'offset-committed',
  'network-fault', 'note',
];
const ERROR_CODES = [
  'NOT_LEADER_OR_FOLLOWER', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'REBALANCE_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'FENCED_LEADER_EPOCH',
];
/** No two names differ only in "." versus "_" (Kafka refuses such pairs); some contain dashes and digits. */
export const TOPIC_NAMES = ['orders', 'payments', 'audit.log', 'clicks_v2', 'events-2', 't', 'a-b-c-7'];
export const PRODUCER_IDS = ['checkout', 'refunds', 'p-1', 'ingest.svc', 'loadgen_2'];
export const CONSUMER_IDS = ['billing-1', 'billing-2', 'audit', 'c.3', 'reader_x', 'ship-9'];
export const GROUPS = ['billing', 'analytics', 'g-1'];
export const CLIENT_IDS = [...PRODUCER_IDS, ...CONSUMER_IDS];
const NOTES = [
  'Something happens here.', 'Broker: down # not a comment', "It's \"quoted\"", 'µs — unicode ✓', 'line one\nline two',
  '- looks like a list', '{ looks: like a map }', '*not-an-alias', '&not-an-anchor', 'yes', 'null', '42',
];

export interface GeneratorOptions {
  /** Longest run, in seconds of simulated time (default 20). */
  maxDurationS?: number;
  /** Shortest run, in seconds (default 5). */
  minDurationS?: number;
  /** Leave clients (producers, consumers and the actions that need them) out. */
  noClients?: boolean;
}

export interface GeneratedScenario {
  seed: number;
  name: string;
  text: string;
}

/** A small seeded random helper; every draw comes from one seedrandom stream. */
export class Rand {
  private readonly prng: seedrandom.PRNG;

  constructor(seed: string) {
    this.prng = seedrandom(seed);
  }

  next(): number {
    return this.prng();
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** A random subset of `n` distinct items. */
  some<T>(items: readonly T[], n: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, Math.min(n, items.length)));
  }
}

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
type YMap = { [key: string]: Yaml };

interface TopicInfo {
  name: string;
  /** Partition count when the run starts. */
  partitions: number;
  replicationFactor: number;
}

interface Model {
  durationMs: number;
  brokers: number[];
  topics: TopicInfo[];
  producers: string[];
  consumers: string[];
  groups: string[];
  /** Nodes an earlier step crashed or stopped (restart prefers them). */
  down: Set<Yaml>;
  /** add-partitions so far, in time order: the count of each topic at a moment. */
  growth: { topic: string; atMs: number; count: number }[];
}

/** Generates the scenario of one seed. */
export function generateScenario(seed: number, opts: GeneratorOptions = {}): GeneratedScenario {
  const r = new Rand(`kafkasim-fuzz:${seed}`);
  const name = `fuzz-${seed}`;
  const durationMs = r.int((opts.minDurationS ?? 5) * 1000, (opts.maxDurationS ?? 20) * 1000);
  const doc: YMap = { name };
  if (r.chance(0.5)) doc.title = `Fuzz case ${seed}`;
  if (r.chance(0.3)) doc.description = `Generated by test/fuzz/generate.ts from seed ${seed}.\n\n*Markdown* here.\n`;
  if (r.chance(0.8)) doc.seed = r.chance(0.1) ? r.pick([0, Number.MAX_SAFE_INTEGER]) : r.int(0, 1_000_000);
  doc.duration = durationText(r, durationMs * 1000, true);

  const brokers = brokerIds(r);
  const cluster = clusterSection(r, brokers);
  doc.cluster = cluster.section;
  if (r.chance(0.6)) doc.network = networkSection(r);

  const m: Model = { durationMs, brokers, topics: [], producers: [], consumers: [], groups: [], down: new Set(), growth: [] };
  const topics = topicsSection(r, m, cluster);
  if (topics.length > 0 || r.chance(0.3)) doc.topics = topics.length > 0 ? topics : null;
  if (!opts.noClients && m.topics.length > 0) {
    const producers = producersSection(r, m);
    if (producers.length > 0) doc.producers = producers;
    const consumers = consumersSection(r, m);
    if (consumers.length > 0) doc.consumers = consumers;
  }
  const timeline = timelineSection(r, m);
  if (timeline.length > 0) doc.timeline = timeline;
  const expect = expectSection(r, m);
  if (expect.length > 0) doc.expect = expect;
  return { seed, name, text: toYaml(r, doc) };
}

// -- rendering ------------------------------------------------------------------------------------

/** YAML text with a random mix of block and flow collections. */
function toYaml(r: Rand, value: YMap): string {
  const doc = new Document(value);
  const flowChance = r.pick([0, 0.2, 0.5]);
  visit(doc, {
    Map(_k, node) {
      if (r.chance(flowChance)) node.flow = true;
    },
    Seq(_k, node) {
      if (r.chance(flowChance)) node.flow = true;
    },
  });
  const header = r.chance(0.3) ? '# yaml-language-server: $schema=../../scenarios/scenario.schema.json\n' : '';
  return header + doc.toString({ lineWidth: 0 });
}

/** A duration in one of the spellings the format accepts; `positive` never gives 0. */
export function durationText(r: Rand, us: number, positive = false): string | number {
  if (positive && us === 0) us = 1000;
  const forms: (() => string | number | undefined)[] = [
    () => `${us}us`,
    () => (us % 1000 === 0 ? `${us / 1000}ms` : undefined),
    () => (us % 1000 === 0 ? us / 1000 : undefined), // a plain number means milliseconds
    () => (us % 1000 === 0 ? `${us / 1000} ms` : undefined),
    () => `${us / 1_000_000}s`, // exact: the validator works on the decimal digits
    () => (us % 60_000_000 === 0 ? `${us / 60_000_000}m` : undefined),
    () => `${us / 1000}ms`,
    () => (us % 1000 !== 0 ? us / 1000 : undefined), // fractional milliseconds, as a number
    () => `${us}µs`,
  ];
  for (;;) {
    const v = r.pick(forms)();
    if (v !== undefined && !(typeof v === 'string' && /e/.test(v))) return v;
  }
}

/** A moment in [0, end], in whole milliseconds mostly, sometimes microseconds. */
function moment(r: Rand, endMs: number): number {
  const ms = r.chance(0.05) ? r.pick([0, endMs]) : r.int(0, endMs);
  const us = ms * 1000 + (r.chance(0.1) && ms < endMs ? r.int(0, 999) : 0);
  return us;
}

function boolText(r: Rand, v: boolean): Yaml {
  return r.pick<Yaml>([v, v, String(v), v ? 'TRUE' : 'False']);
}

function intText(r: Rand, v: number): Yaml {
  return r.chance(0.15) ? String(v) : v;
}

// -- boundary values ------------------------------------------------------------------------------

/**
 * Intervals, timeouts and sizes whose smallest legal value (usually 0) is worth trying: Kafka accepts
 * them, and a simulator must neither divide by them nor loop on them without time passing. Lowering
 * replica.socket.timeout.ms or replica.lag.time.max.ms can break Kafka's rule that the fetch wait stay
 * within both: keepFetchWaitWithinTimeouts lowers the wait with them.
 */
export const EDGES: Readonly<Record<'broker' | 'producer' | 'consumer', Readonly<Record<string, number>>>> = {
  broker: {
    'replica.lag.time.max.ms': 0, 'replica.fetch.wait.max.ms': 0, 'replica.fetch.min.bytes': 0, 'replica.fetch.max.bytes': 0,
    'replica.fetch.backoff.ms': 0, 'replica.socket.timeout.ms': 0, 'replica.high.watermark.checkpoint.interval.ms': 0,
    'log.flush.interval.ms': 0, 'log.flush.scheduler.interval.ms': 0, 'unclean.leader.election.interval.ms': 1,
    'leader.imbalance.check.interval.seconds': 1, 'controlled.shutdown.retry.backoff.ms': 0, 'zookeeper.session.timeout.ms': 1,
    'broker.heartbeat.interval.ms': 1, 'broker.session.timeout.ms': 1, 'metadata.max.idle.interval.ms': 0,
    'controller.quorum.request.timeout.ms': 0, 'controller.socket.timeout.ms': 0, 'group.initial.rebalance.delay.ms': 0,
  },
  producer: {
    'linger.ms': 0, 'request.timeout.ms': 0, 'batch.size': 0, 'retry.backoff.ms': 0, 'retry.backoff.max.ms': 0,
    'metadata.max.age.ms': 0, 'max.block.ms': 0, 'buffer.memory': 0, 'partitioner.availability.timeout.ms': 0,
  },
  consumer: {
    'heartbeat.interval.ms': 0, 'auto.commit.interval.ms': 0, 'fetch.max.wait.ms': 0, 'fetch.min.bytes': 0, 'max.poll.interval.ms': 1,
    'request.timeout.ms': 0, 'retry.backoff.ms': 0, 'metadata.max.age.ms': 0,
  },
};
/** How often a drawn config that has an edge takes it instead: boundaries are a minority on purpose. */
const EDGE_CHANCE = 0.06;

function edgeValues(r: Rand, scope: keyof typeof EDGES, config: YMap): void {
  for (const name of Object.keys(config)) {
    const edge = EDGES[scope][name];
    if (edge !== undefined && r.chance(EDGE_CHANCE)) config[name] = edge;
  }
}

// -- cluster --------------------------------------------------------------------------------------

function brokerIds(r: Rand): number[] {
  const n = r.int(1, 6);
  if (r.chance(0.6)) return Array.from({ length: n }, (_, i) => i + 1);
  return r.some(Array.from({ length: 12 }, (_, i) => i), n).sort((a, b) => a - b);
}

interface ClusterDraw {
  section: YMap;
  defaultRf: number;
  numPartitions: number;
}

function clusterSection(r: Rand, brokers: number[]): ClusterDraw {
  const contiguous = brokers.every((b, i) => b === i + 1);
  const section: YMap = { brokers: contiguous && r.chance(0.7) ? brokers.length : r.shuffle(brokers) };
  if (r.chance(0.6)) section.controller = r.pick(['kraft', 'zookeeper']);
  if (r.chance(0.6)) section['replication.protocol'] = r.pick(['leader-epoch', 'high-watermark']);
  if (r.chance(0.2)) section['page-cache-writeback'] = durationText(r, r.int(0, 40_000) * 1000);
  const config = brokerConfig(r, brokers.length);
  // Unclean elections are where the interesting invariants live: make them common enough to happen.
  // A follower leaves the ISR only after replica.lag.time.max.ms, 30 s by default: longer than most runs.
  if (!('unclean.leader.election.enable' in config.yaml) && r.chance(0.25)) config.yaml['unclean.leader.election.enable'] = boolText(r, true);
  if (!('replica.lag.time.max.ms' in config.yaml) && r.chance(0.4)) config.yaml['replica.lag.time.max.ms'] = r.pick([500, 2000, 5000]);
  if (!('unclean.leader.election.interval.ms' in config.yaml) && r.chance(0.2)) config.yaml['unclean.leader.election.interval.ms'] = r.pick([100, 1000]);
  keepFetchWaitWithinTimeouts(config.yaml);
  const defaultRf = typeof config.values['default.replication.factor'] === 'number' ? (config.values['default.replication.factor'] as number) : 1;
  const numPartitions = typeof config.values['num.partitions'] === 'number' ? (config.values['num.partitions'] as number) : 1;
  if (Object.keys(config.yaml).length > 0 || r.chance(0.1)) section.config = Object.keys(config.yaml).length > 0 ? config.yaml : null;
  return { section, defaultRf, numPartitions };
}

/**
 * KafkaConfig refuses replica.fetch.wait.max.ms above replica.socket.timeout.ms or
 * replica.lag.time.max.ms (as the validator does): lower the wait rather than draw again, so every
 * other draw stays where it was.
 */
function keepFetchWaitWithinTimeouts(yaml: YMap): void {
  const num = (name: string, fallback: number): number => (yaml[name] === undefined ? fallback : Number(yaml[name]));
  const bound = Math.min(num('replica.socket.timeout.ms', 30000), num('replica.lag.time.max.ms', 30000));
  if (num('replica.fetch.wait.max.ms', 500) > bound) yaml['replica.fetch.wait.max.ms'] = bound;
}

/** A broker config draw: the values as numbers (for the generator's own reasoning) and as written. */
function brokerConfig(r: Rand, brokerCount: number): { values: Record<string, Yaml>; yaml: YMap } {
  const gens: Record<string, () => Yaml> = {
    'unclean.leader.election.enable': () => r.chance(0.5),
    'min.insync.replicas': () => r.int(1, brokerCount + 1),
    'default.replication.factor': () => r.int(1, brokerCount),
    'num.partitions': () => r.int(1, 4),
    'replica.lag.time.max.ms': () => r.pick([500, 2000, 10000, 30000]),
    'replica.fetch.wait.max.ms': () => r.pick([50, 100, 500]),
    'replica.fetch.min.bytes': () => r.pick([1, 100, 10000]),
    'replica.fetch.max.bytes': () => r.pick([1000, 1048576]),
    'replica.fetch.response.max.bytes': () => r.pick([5000, 10485760]),
    'replica.fetch.backoff.ms': () => r.pick([100, 1000]),
    'num.replica.fetchers': () => r.int(1, 3),
    'replica.socket.timeout.ms': () => r.pick([1000, 30000]),
    'replica.high.watermark.checkpoint.interval.ms': () => r.pick([1000, 5000]),
    'unclean.leader.election.interval.ms': () => r.pick([1000, 300000]),
    'log.flush.interval.messages': () => r.pick<Yaml>([1, 10, 1000, 9223372036854775807]),
    'log.flush.interval.ms': () => r.pick([0, 100, 1000, 5000]),
    'log.flush.scheduler.interval.ms': () => r.pick([100, 1000, 3000]),
    'auto.leader.rebalance.enable': () => r.chance(0.5),
    'leader.imbalance.check.interval.seconds': () => r.pick([1, 5, 300]),
    'leader.imbalance.per.broker.percentage': () => r.int(0, 100),
    'controlled.shutdown.enable': () => r.chance(0.7),
    'controlled.shutdown.max.retries': () => r.int(0, 3),
    'controlled.shutdown.retry.backoff.ms': () => r.pick([100, 5000]),
    'zookeeper.session.timeout.ms': () => r.pick([2000, 6000, 18000]),
    'broker.heartbeat.interval.ms': () => r.pick([250, 1000, 2000]),
    'broker.session.timeout.ms': () => r.pick([3000, 9000]),
    'metadata.max.idle.interval.ms': () => r.pick([100, 500]),
    'controller.quorum.request.timeout.ms': () => r.pick([500, 2000]),
    'controller.socket.timeout.ms': () => r.pick([1000, 30000]),
    'group.initial.rebalance.delay.ms': () => r.pick([0, 100, 3000]),
    'group.min.session.timeout.ms': () => r.pick([0, 6000, 10000]),
    'group.max.session.timeout.ms': () => r.pick([30000, 1800000]),
    'offsets.topic.num.partitions': () => r.pick([1, 3, 50]),
  };
  const names = r.some(Object.keys(gens), r.pick([0, 0, 1, 2, 4, 8]));
  const values: Record<string, Yaml> = {};
  const yaml: YMap = {};
  for (const n of names) {
    const v = gens[n]();
    values[n] = v;
    yaml[n] = typeof v === 'boolean' ? boolText(r, v) : typeof v === 'number' ? intText(r, v) : v;
  }
  edgeValues(r, 'broker', yaml);
  return { values, yaml };
}

function networkSection(r: Rand): YMap {
  // at least the validator's MIN_LATENCY_US: a zero-latency network lets zero-wait polling loops spin
  const latency = (): number => r.pick([100, 200, 500, 1000, 2000, 5000, 20000]);
  if (r.chance(0.1)) return {};
  if (r.chance(0.5)) return { latency: durationText(r, latency()) };
  const a = latency();
  const b = latency();
  return { latency: { min: durationText(r, Math.min(a, b)), max: durationText(r, Math.max(a, b)) } };
}

// -- topics ---------------------------------------------------------------------------------------

function topicsSection(r: Rand, m: Model, cluster: ClusterDraw): YMap[] {
  const out: YMap[] = [];
  const n = r.pick([0, 1, 1, 1, 2, 2, 3]);
  for (const name of r.some(TOPIC_NAMES, n)) {
    const t: YMap = { name };
    // The replication factor: explicit, from an explicit assignment, or the broker default.
    const rfExplicit = r.chance(0.6);
    const rf = rfExplicit ? r.int(1, m.brokers.length) : Math.min(cluster.defaultRf, m.brokers.length);
    const partitionsExplicit = r.chance(0.7);
    const partitions = partitionsExplicit ? r.int(1, 4) : cluster.numPartitions;
    if (partitionsExplicit) t.partitions = partitions;
    if (rfExplicit) t['replication.factor'] = rf;
    if (r.chance(0.4)) {
      // An explicit assignment: one list per partition, rf distinct brokers each.
      t.replicas = Array.from({ length: partitions }, () => r.some(m.brokers, rf));
    }
    // Without explicit rf or replicas the broker's default applies; it was drawn ≤ the broker count.
    const config: YMap = {};
    if (r.chance(0.5)) config['min.insync.replicas'] = intText(r, r.int(1, rf + 1));
    if (r.chance(0.3)) config['unclean.leader.election.enable'] = boolText(r, r.chance(0.5));
    if (r.chance(0.2)) config['flush.messages'] = r.pick([1, 5, 100]);
    if (r.chance(0.2)) config['flush.ms'] = r.pick([0, 10, 1000]);
    if (Object.keys(config).length > 0) t.config = config;
    else if (r.chance(0.05)) t.config = null;
    m.topics.push({ name, partitions, replicationFactor: rf });
    out.push(t);
  }
  return out;
}

// -- clients --------------------------------------------------------------------------------------

/**
 * Records all producers of a run may make together: the cost of a run follows its records (about five
 * events each), and a few heavy runs would otherwise take most of the suite's time.
 */
const RECORD_BUDGET = 2500;

function producersSection(r: Rand, m: Model): YMap[] {
  const out: YMap[] = [];
  let budgetPerSec = RECORD_BUDGET / (m.durationMs / 1000);
  for (const id of r.some(PRODUCER_IDS, r.pick([0, 1, 1, 1, 2, 3]))) {
    const topic = r.pick(m.topics);
    const perSec = Math.max(1, Math.min(r.pick([1, 2, 5, 10, 20, 50, 100]), Math.floor(budgetPerSec)));
    budgetPerSec -= perSec;
    const p: YMap = { id, topic: topic.name, rate: rateText(r, perSec) };
    if (r.chance(0.6)) p.keys = keysValue(r);
    const window = clientWindow(r, m.durationMs);
    Object.assign(p, window.yaml);
    if (r.chance(0.3)) p.partitioner = r.pick(['uniform-sticky', 'sticky', 'round-robin']);
    // An explicit partition must exist when the producer starts; the initial count always does.
    if (r.chance(0.15)) p.partition = r.int(0, topic.partitions - 1);
    if (r.chance(0.2)) p['record-size'] = r.pick([1, 100, 1000, 20000]);
    const config = producerConfig(r);
    // a record larger than buffer.memory is refused (KafkaProducer.ensureValidRecordSize): the
    // tightest buffer the producer can run with holds one record
    const size = (p['record-size'] as number | undefined) ?? 100;
    if (config && typeof config['buffer.memory'] === 'number' && config['buffer.memory'] < size) config['buffer.memory'] = size;
    if (config) p.config = config;
    m.producers.push(id);
    out.push(p);
  }
  return out;
}

/** A rate of about `perSec` records per second, in one of the spellings the format accepts. */
function rateText(r: Rand, perSec: number): Yaml {
  return r.pick<Yaml>([
    `${perSec}/s`,
    perSec,
    `${perSec * 60}/m`,
    `${perSec * 3600}/h`,
    perSec % 1000 === 0 ? `${perSec / 1000}/ms` : `${perSec}/s`,
    `${perSec} / s`,
    `${perSec}.5/s`,
  ]);
}

function keysValue(r: Rand): Yaml {
  const kind = r.int(0, 2);
  if (kind === 0) return 'none';
  if (kind === 1) return r.some<Yaml>(['a', 'b', 'c', 7, 'key-x', 'ünï', 'k k'], r.int(1, 5));
  return { random: r.pick([1, 3, 16, 100]) };
}

/** `start` and `stop` within the run, stop after start. */
function clientWindow(r: Rand, durationMs: number): { yaml: YMap; startMs: number } {
  const yaml: YMap = {};
  let startMs = 0;
  if (r.chance(0.3)) {
    startMs = r.int(0, Math.floor(durationMs / 2));
    yaml.start = durationText(r, startMs * 1000);
  }
  if (r.chance(0.3)) {
    const stopMs = r.int(startMs + 1, durationMs);
    yaml.stop = durationText(r, stopMs * 1000, true);
  }
  return { yaml, startMs };
}

function producerConfig(r: Rand): YMap | undefined {
  if (r.chance(0.2)) return undefined;
  const c: YMap = {};
  const acks = r.pick(['all', '1', '0', 'default']);
  if (acks !== 'default') c.acks = acks === 'all' ? r.pick<Yaml>(['all', -1, '-1']) : r.pick<Yaml>([Number(acks), acks]);
  const ackAll = acks === 'all' || acks === 'default';
  // enable.idempotence=true needs acks=all, retries > 0 and at most 5 in flight (ProducerConfig).
  const idempotence = ackAll ? r.pick([true, false, undefined]) : r.pick([false, undefined]);
  if (idempotence !== undefined) c['enable.idempotence'] = boolText(r, idempotence);
  if (r.chance(0.3)) c.retries = idempotence === true ? r.int(1, 5) : r.pick([0, 1, 3, 2147483647]);
  if (r.chance(0.3)) c['max.in.flight.requests.per.connection'] = idempotence === true ? r.int(1, 5) : r.int(1, 10);
  const linger = r.chance(0.5) ? r.pick([0, 1, 5, 20, 100]) : undefined;
  if (linger !== undefined) c['linger.ms'] = linger;
  const requestTimeout = r.chance(0.3) ? r.pick([500, 2000, 30000]) : undefined;
  if (requestTimeout !== undefined) c['request.timeout.ms'] = requestTimeout;
  if (r.chance(0.3)) c['delivery.timeout.ms'] = (linger ?? 5) + (requestTimeout ?? 30000) + r.pick([0, 1000, 90000]);
  if (r.chance(0.2)) c['batch.size'] = r.pick([0, 100, 16384, 1048576]);
  if (r.chance(0.2)) c['retry.backoff.ms'] = r.pick([0, 10, 100, 1000]);
  if (r.chance(0.2)) c['retry.backoff.max.ms'] = r.pick([0, 100, 1000, 10000]);
  if (r.chance(0.2)) c['metadata.max.age.ms'] = r.pick([500, 5000, 300000]);
  if (r.chance(0.1)) c['metadata.max.idle.ms'] = r.pick([5000, 300000]);
  if (r.chance(0.2)) c['max.block.ms'] = r.pick([0, 1000, 60000]);
  if (r.chance(0.1)) c['buffer.memory'] = r.pick([1000, 100000, 33554432]);
  if (r.chance(0.1)) c['partitioner.adaptive.partitioning.enable'] = r.chance(0.5);
  if (r.chance(0.1)) c['partitioner.availability.timeout.ms'] = r.pick([0, 100, 5000]);
  if (r.chance(0.1)) c['partitioner.ignore.keys'] = r.chance(0.5);
  edgeValues(r, 'producer', c);
  return Object.keys(c).length > 0 ? c : undefined;
}

function consumersSection(r: Rand, m: Model): YMap[] {
  const out: YMap[] = [];
  const groups = r.some(GROUPS, r.int(1, 2));
  for (const id of r.some(CONSUMER_IDS, r.pick([0, 0, 1, 2, 3, 4]))) {
    const group = r.pick(groups);
    const topics = r.some(m.topics, r.int(1, m.topics.length)).map((t) => t.name);
    const c: YMap = { id, group, topics };
    // `start: never` waits for a start-consumer step (issue 17)
    if (r.chance(0.1)) c.start = 'never';
    else Object.assign(c, clientWindow(r, m.durationMs).yaml);
    const config = consumerConfig(r);
    if (config) c.config = config;
    application(r, c, config);
    m.consumers.push(id);
    if (!m.groups.includes(group)) m.groups.push(group);
    out.push(c);
  }
  return out;
}

/** A consumer's application (issue 17): processing time and a commit mode that agrees with enable.auto.commit. */
function application(r: Rand, c: YMap, config: YMap | undefined): void {
  if (r.chance(0.6)) return;
  const ms = (x: number): string => `${x}ms`;
  const kind = r.int(0, 3);
  if (kind === 0) c.processing = ms(r.pick([0, 1, 5, 20, 200]));
  else if (kind === 1) c.processing = { min: ms(r.pick([0, 1, 5])), max: ms(r.pick([5, 20, 100])) };
  else if (kind === 2) c.processing = { 'per-record': ms(r.pick([0, 1, 10])), 'per-poll': ms(r.pick([0, 50, 1000])) };
  // the generator writes booleans in any case, as text too ("TRUE")
  const set = config?.['enable.auto.commit'];
  const auto = set === undefined ? undefined : String(set).toLowerCase() === 'true';
  const modes = auto === true ? ['auto'] : auto === false ? ['sync', 'async', 'before-processing', 'none'] : ['auto', 'sync', 'async', 'before-processing', 'none'];
  if (kind === 3 || r.chance(0.7)) c.commit = r.pick(modes);
}

function consumerConfig(r: Rand): YMap | undefined {
  if (r.chance(0.2)) return undefined;
  const c: YMap = {};
  if (r.chance(0.7)) c['auto.offset.reset'] = r.pick(['earliest', 'latest', 'none']);
  // The heartbeat must be below the session timeout (defaults 3000 and 45000).
  const session = r.chance(0.4) ? r.pick([4000, 6000, 10000, 45000]) : undefined;
  const heartbeat = r.chance(0.4) ? r.pick([100, 500, 1000, 3000]) : undefined;
  if (session !== undefined && (heartbeat ?? 3000) < session) c['session.timeout.ms'] = session;
  if (heartbeat !== undefined && heartbeat < ((c['session.timeout.ms'] as number | undefined) ?? 45000)) c['heartbeat.interval.ms'] = heartbeat;
  if (r.chance(0.2)) c['max.poll.interval.ms'] = r.pick([1000, 300000]);
  if (r.chance(0.3)) c['enable.auto.commit'] = boolText(r, r.chance(0.6));
  if (r.chance(0.3)) c['auto.commit.interval.ms'] = r.pick([100, 1000, 5000]);
  if (r.chance(0.1)) c['fetch.min.bytes'] = r.pick([1, 1000]);
  if (r.chance(0.2)) c['fetch.max.wait.ms'] = r.pick([10, 100, 500]);
  if (r.chance(0.2)) c['max.poll.records'] = r.pick([1, 10, 500]);
  if (r.chance(0.1)) c['isolation.level'] = r.pick(['read_uncommitted', 'read_committed']);
  if (r.chance(0.3)) c['partition.assignment.strategy'] = assignmentStrategy(r);
  if (r.chance(0.1)) c['request.timeout.ms'] = r.pick([1000, 30000]);
  if (r.chance(0.1)) c['retry.backoff.ms'] = r.pick([10, 100]);
  if (r.chance(0.1)) c['metadata.max.age.ms'] = r.pick([1000, 300000]);
  edgeValues(r, 'consumer', c);
  return Object.keys(c).length > 0 ? c : undefined;
}

function assignmentStrategy(r: Rand): Yaml {
  const names = ['range', 'cooperative-sticky', 'round-robin', 'sticky', 'org.apache.kafka.clients.consumer.RangeAssignor',
    'org.apache.kafka.clients.consumer.CooperativeStickyAssignor', 'org.apache.kafka.clients.consumer.RoundRobinAssignor',
    'org.apache.kafka.clients.consumer.StickyAssignor'];
  const chosen = r.some(names, r.int(1, 3));
  return r.chance(0.5) ? chosen : chosen.join(r.pick([',', ', ']));
}

// -- timeline -------------------------------------------------------------------------------------

function partitionCountAt(m: Model, topic: TopicInfo, atMs: number): number {
  let count = topic.partitions;
  for (const g of m.growth) if (g.topic === topic.name && g.atMs <= atMs) count = Math.max(count, g.count);
  return count;
}

function partitionAt(r: Rand, m: Model, atMs: number): string | undefined {
  if (m.topics.length === 0) return undefined;
  const t = r.pick(m.topics);
  return `${t.name}-${r.int(0, partitionCountAt(m, t, atMs) - 1)}`;
}

/** Any node of the network: a broker, the controller, or a client (a broker id sometimes quoted). */
function anyNode(r: Rand, m: Model): Yaml {
  const clients = [...m.producers, ...m.consumers];
  const kind = r.int(0, 9);
  if (kind === 0) return 'controller';
  if (kind <= 2 && clients.length > 0) return r.pick(clients);
  const b = r.pick(m.brokers);
  return r.chance(0.1) ? String(b) : b;
}

/** Distinct process nodes (brokers or clients) for crash/restart. */
function processNodes(r: Rand, m: Model): Yaml[] {
  const pool: Yaml[] = [...m.brokers, ...(r.chance(0.3) ? [...m.producers, ...m.consumers] : [])];
  return r.some(pool, r.int(1, Math.min(3, pool.length)));
}

/** Restart mostly what an earlier step took down (and sometimes what is running anyway). */
function restartNodes(r: Rand, m: Model): Yaml[] {
  const down = [...m.down];
  return down.length > 0 && r.chance(0.75) ? r.some(down, r.int(1, Math.min(3, down.length))) : processNodes(r, m);
}

function oneOrList(r: Rand, nodes: Yaml[]): Yaml {
  return nodes.length === 1 && r.chance(0.6) ? nodes[0] : nodes;
}

const ACTION_WEIGHTS: [TimelineAction, number][] = [
  ['crash', 6], ['restart', 6], ['shutdown', 3], ['power-loss', 3], ['disk-loss', 2], ['pause', 3], ['isolate', 3],
  ['partition', 3], ['cut', 3], ['slow', 3], ['heal', 4], ['alter-config', 3], ['elect-leaders', 3], ['add-partitions', 2],
  ['reset-offsets', 2], ['stop-producer', 2], ['start-producer', 2], ['start-consumer', 2], ['stop-consumer', 2], ['crash-consumer', 2], ['note', 1],
];

function weightedAction(r: Rand): TimelineAction {
  const total = ACTION_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [a, w] of ACTION_WEIGHTS) {
    x -= w;
    if (x < 0) return a;
  }
  return 'note';
}

function timelineSection(r: Rand, m: Model): YMap[] {
  const n = r.pick([0, 1, 2, 3, 4, 6, 8, 12, 20]);
  const times = (r.chance(0.25) ? burstTimes(r, m.durationMs, n) : Array.from({ length: n }, () => moment(r, m.durationMs))).sort((a, b) => a - b);
  const steps: { atUs: number; step: YMap }[] = [];
  for (const atUs of times) {
    const step = timelineStep(r, m, atUs);
    if (step) steps.push({ atUs, step });
  }
  if (m.brokers.length >= 2 && r.chance(0.3)) steps.push(...laggingFollowerThenLeaderCrash(r, m));
  steps.sort((a, b) => a.atUs - b.atUs);
  // Steps may be written in any order; only equal times keep their file order, so shuffle only then.
  const distinct = new Set(steps.map((s) => s.atUs)).size === steps.length;
  const ordered = distinct && r.chance(0.3) ? r.shuffle(steps) : steps;
  const effective = new Set(withoutStepsThatDoNothing(steps, m));
  return ordered.filter((s) => effective.has(s)).map((s) => s.step);
}

// -- steps that certainly do nothing --------------------------------------------------------------

// What each action does to a broker in each state is the validator's own table, so the generator
// never draws a step the validator would refuse as doing nothing.
/** How long each generated pause lasts, by its value in the step. */
const pauseForUs = new WeakMap<object, number>();

interface ProcessModel {
  states: Set<ProcessState>;
  pausedUntilUs: number;
}

/**
 * The validator refuses a step that certainly does nothing — a crash of a broker that is down, a
 * restart of one that runs, a shutdown of one already shutting down, a pause of a paused one, a crash
 * or restart of a client likewise (issue 10, point 10; src/scenario/process-states.ts). The random
 * timeline follows each broker and client the same way, in the order the run takes the steps (time,
 * then file order), and leaves out the targets such a step would not touch, and the step when none is
 * left (a step with a note keeps the note). The generator's draws are not changed: it only removes.
 */
function withoutStepsThatDoNothing<S extends { atUs: number; step: YMap }>(steps: readonly S[], m: Model): S[] {
  const processes = new Map<Yaml, ProcessModel>();
  for (const n of [...m.brokers, ...m.producers, ...m.consumers]) processes.set(n, { states: new Set(['running']), pausedUntilUs: -1 });
  return steps.filter(({ atUs, step }) => {
    const action = Object.keys(step).find((k) => k in PROCESS_EFFECT);
    if (action === undefined) return true;
    const value = step[action];
    const isPause = action === 'pause' && typeof value === 'object' && value !== null && !Array.isArray(value);
    const targets: Yaml[] = isPause ? [value.broker ?? value.node] : Array.isArray(value) ? value : [value];
    const kept = targets.filter((t) => {
      // a node written "2" is broker 2
      const node = typeof t === 'string' && m.brokers.includes(Number(t)) ? Number(t) : t;
      const p = processes.get(node);
      if (p === undefined || (typeof node === 'string' && !CLIENT_PROCESS_ACTIONS.has(action))) return true;
      return changesState(p, action, atUs, isPause ? pauseForUs.get(value as object) ?? 0 : 0);
    });
    if (kept.length === targets.length) return true;
    if (kept.length > 0) {
      step[action] = kept;
      return true;
    }
    delete step[action];
    return step.note !== undefined;
  });
}

/** Applies `action` at `atUs` if it does something to the process; false if it would do nothing. */
function changesState(p: ProcessModel, action: string, atUs: number, forUs: number): boolean {
  // what may have happened since the last step: a pause ended (a step at its very end still finds it paused), a shutdown finished
  if (p.states.has('paused') && atUs > p.pausedUntilUs) {
    p.states.delete('paused');
    p.states.add('running');
  }
  if (p.states.has('stopping')) p.states.add('down');
  const effect = (PROCESS_EFFECT as Readonly<Record<string, Partial<Record<ProcessState, readonly ProcessState[]>>>>)[action];
  if ([...p.states].every((s) => effect[s] === undefined)) return false;
  const next = new Set<ProcessState>();
  for (const s of p.states) for (const n of effect[s] ?? [s]) next.add(n);
  p.states = next;
  if (action === 'pause') p.pausedUntilUs = Math.max(p.pausedUntilUs, atUs + forUs);
  return true;
}

/**
 * The classic unclean-election story (the README's example scenario): one broker's links slow down so it falls
 * out of the ISR, others crash, and maybe come back later. Inserted among the random steps.
 */
function laggingFollowerThenLeaderCrash(r: Rand, m: Model): { atUs: number; step: YMap }[] {
  const [slow, ...others] = r.shuffle(m.brokers);
  const crashed = r.some(others, r.int(1, others.length));
  const t1 = r.int(0, Math.floor(m.durationMs / 3));
  const t2 = r.int(t1, Math.floor((2 * m.durationMs) / 3));
  const steps: { atUs: number; step: YMap }[] = [
    { atUs: t1 * 1000, step: { at: durationText(r, t1 * 1000), slow: { broker: slow, latency: durationText(r, r.pick([5, 40, 100]) * 1_000_000, true) } } },
    { atUs: t2 * 1000, step: { at: durationText(r, t2 * 1000), [r.pick(['crash', 'power-loss', 'shutdown'])]: oneOrList(r, crashed) } },
  ];
  if (r.chance(0.5)) {
    const t3 = r.int(t2, m.durationMs);
    steps.push({ atUs: t3 * 1000, step: { at: durationText(r, t3 * 1000), restart: oneOrList(r, crashed) } });
  }
  return steps;
}

/** Steps crowded around a few moments (a fault while the last one is still being handled), some at the same instant. */
function burstTimes(r: Rand, endMs: number, n: number): number[] {
  const centres = Array.from({ length: r.int(1, 3) }, () => moment(r, endMs));
  return Array.from({ length: n }, () => {
    const us = r.pick(centres) + (r.chance(0.3) ? 0 : r.pick([1, 100, 1000, 5000, 50_000, 500_000]) * r.int(0, 3));
    return Math.min(us, endMs * 1000);
  });
}

function timelineStep(r: Rand, m: Model, atUs: number): YMap | undefined {
  const action = weightedAction(r);
  const value = actionValue(r, m, action, atUs);
  if (value === undefined && action !== 'note') return undefined;
  const step: YMap = { at: durationText(r, atUs) };
  if (action === 'note') {
    step.note = r.pick(NOTES);
    return step;
  }
  // The action key first or after a note, as people write it.
  if (r.chance(0.2)) step.note = r.pick(NOTES);
  step[action] = value!;
  return step;
}

function actionValue(r: Rand, m: Model, action: TimelineAction, atUs: number): Yaml | undefined {
  const atMs = atUs / 1000;
  let forUs = 0;
  const forDuration = (): string | number => durationText(r, (forUs = r.pick([1, 100, 1000, 5000, 15000, 60000]) * 1000), true);
  switch (action) {
    case 'crash': {
      const nodes = processNodes(r, m);
      for (const n of nodes) m.down.add(n);
      return oneOrList(r, nodes);
    }
    case 'restart': {
      const nodes = restartNodes(r, m);
      for (const n of nodes) m.down.delete(n);
      return oneOrList(r, nodes);
    }
    case 'shutdown':
    case 'power-loss':
    case 'disk-loss': {
      const brokers = r.some(m.brokers, r.int(1, Math.min(3, m.brokers.length)));
      for (const b of brokers) m.down.add(b);
      return oneOrList(r, brokers);
    }
    case 'pause': {
      const value: YMap = r.chance(0.6) ? { broker: r.pick(m.brokers), for: forDuration() } : { node: anyNode(r, m), for: forDuration() };
      pauseForUs.set(value, forUs);
      return value;
    }
    case 'isolate':
      return anyNode(r, m);
    case 'partition':
      return partitionGroups(r, m);
    case 'cut': {
      const from = anyNode(r, m);
      let to = anyNode(r, m);
      for (let i = 0; i < 10 && String(to) === String(from); i++) to = anyNode(r, m);
      return String(to) === String(from) ? undefined : { from, to };
    }
    case 'slow': {
      const latency = durationText(r, r.pick([1, 20, 200, 1000, 40000]) * 1000, true);
      const kind = r.int(0, 2);
      if (kind === 0) return { broker: r.pick(m.brokers), latency };
      if (kind === 1) return { node: anyNode(r, m), latency };
      const a = anyNode(r, m);
      let b = anyNode(r, m);
      for (let i = 0; i < 10 && String(a) === String(b); i++) b = anyNode(r, m);
      return String(a) === String(b) ? undefined : { link: [a, b], latency };
    }
    case 'heal':
      return r.chance(0.5) ? 'all' : anyNode(r, m);
    case 'alter-config':
      return alterConfig(r, m);
    case 'elect-leaders': {
      const type = r.pick(['preferred', 'unclean', undefined]);
      const base: YMap = type === undefined ? {} : { type };
      if (m.topics.length === 0 || r.chance(0.25)) return { partitions: 'all', ...base };
      if (r.chance(0.5)) return { partition: partitionAt(r, m, atMs)!, ...base };
      const names = [...new Set(Array.from({ length: r.int(1, 3) }, () => partitionAt(r, m, atMs)!))];
      return { partitions: names, ...base };
    }
    case 'add-partitions': {
      if (m.topics.length === 0) return undefined;
      const t = r.pick(m.topics);
      const count = partitionCountAt(m, t, atMs) + r.int(1, 3);
      m.growth.push({ topic: t.name, atMs, count });
      return { topic: t.name, count };
    }
    case 'reset-offsets': {
      if (m.groups.length === 0) return undefined;
      const v: YMap = { group: r.pick(m.groups), topic: r.pick(m.topics).name };
      const how = r.int(0, 3);
      if (how === 0) v.to = 'earliest';
      else if (how === 1) v.to = 'latest';
      else if (how === 2) v.to = r.pick([0, 1, 42, 100000]);
      else v['shift-by'] = r.pick([-1000, -10, -1, 0, 1, 10, 1000]);
      return v;
    }
    case 'stop-producer':
    case 'start-producer':
      return m.producers.length === 0 ? undefined : r.pick(m.producers);
    case 'start-consumer':
    case 'stop-consumer':
    case 'crash-consumer':
      return m.consumers.length === 0 ? undefined : r.pick(m.consumers);
    case 'note':
      return undefined;
  }
}

function partitionGroups(r: Rand, m: Model): Yaml | undefined {
  const nodes: Yaml[] = [...m.brokers, 'controller', ...(r.chance(0.4) ? [...m.producers, ...m.consumers] : [])];
  const chosen = r.some(nodes, r.int(2, nodes.length));
  if (chosen.length < 2) return undefined;
  const groupCount = r.int(2, Math.min(3, chosen.length));
  const groups: Yaml[][] = Array.from({ length: groupCount }, () => []);
  chosen.forEach((n, i) => groups[i < groupCount ? i : r.int(0, groupCount - 1)].push(n));
  return groups;
}

function alterConfig(r: Rand, m: Model): Yaml | undefined {
  if (m.topics.length > 0 && r.chance(0.6)) {
    const t = r.pick(m.topics);
    const gens: Record<string, () => Yaml> = {
      'min.insync.replicas': () => r.int(1, t.replicationFactor + 1),
      'unclean.leader.election.enable': () => boolText(r, r.chance(0.5)),
      'flush.messages': () => r.pick([1, 10]),
      'flush.ms': () => r.pick([0, 100]),
    };
    return alterWith(r, { topic: t.name }, gens);
  }
  const gens: Record<string, () => Yaml> = {
    'unclean.leader.election.enable': () => boolText(r, r.chance(0.5)),
    'min.insync.replicas': () => r.int(1, m.brokers.length + 1),
    'replica.lag.time.max.ms': () => r.pick([500, 10000, 30000]),
    'log.flush.interval.messages': () => r.pick([1, 100]),
    'auto.leader.rebalance.enable': () => r.chance(0.5),
    'leader.imbalance.check.interval.seconds': () => r.pick([1, 300]),
  };
  return alterWith(r, { broker: r.pick(m.brokers) }, gens);
}

function alterWith(r: Rand, target: YMap, gens: Record<string, () => Yaml>): YMap {
  const names = r.shuffle(Object.keys(gens));
  const setCount = r.int(0, 2);
  const deleteCount = setCount === 0 ? r.int(1, 2) : r.int(0, 1);
  const set: YMap = {};
  for (const n of names.slice(0, setCount)) set[n] = gens[n]();
  const del = names.slice(setCount, setCount + deleteCount);
  const v: YMap = { ...target };
  if (setCount > 0) v.set = set;
  if (del.length > 0) v.delete = del;
  return v;
}

// -- expectations ---------------------------------------------------------------------------------

function bound(r: Rand, max: number): YMap {
  const a = r.int(0, max);
  const kind = r.int(0, 3);
  if (kind === 0) return { is: a };
  if (kind === 1) return { min: a };
  if (kind === 2) return { max: a };
  return { min: a, max: a + r.int(0, max) };
}

function expectSection(r: Rand, m: Model): YMap[] {
  const out: YMap[] = [];
  for (let i = r.pick([0, 1, 2, 4]); i > 0; i--) {
    const e = expectation(r, m);
    if (e) out.push(e);
  }
  return out;
}

function expectation(r: Rand, m: Model): YMap | undefined {
  const atUs = r.chance(0.3) ? moment(r, m.durationMs) : undefined;
  const atMs = atUs === undefined ? m.durationMs : atUs / 1000;
  const check = r.pick(EXPECTATION_CHECKS);
  const value = checkValue(r, m, check, atMs);
  if (value === undefined) return undefined;
  const e: YMap = {};
  if (atUs !== undefined) e.at = durationText(r, atUs);
  e[check] = value;
  return e;
}

function checkValue(r: Rand, m: Model, check: (typeof EXPECTATION_CHECKS)[number], atMs: number): Yaml | undefined {
  const partition = (): string | undefined => partitionAt(r, m, atMs);
  switch (check) {
    case 'leader': {
      const p = partition();
      return p && { partition: p, is: r.chance(0.2) ? 'none' : r.pick(m.brokers) };
    }
    case 'isr': {
      const p = partition();
      return p && { partition: p, is: r.some(m.brokers, r.int(0, m.brokers.length)) };
    }
    case 'hw': {
      const p = partition();
      return p && { partition: p, ...bound(r, 1000) };
    }
    case 'leo': {
      const p = partition();
      return p && { partition: p, broker: r.pick(m.brokers), ...bound(r, 1000) };
    }
    case 'acked':
    case 'lost':
    case 'duplicates':
    case 'unavailable': {
      if (r.chance(0.4)) return r.int(0, 10);
      const v: YMap = bound(r, 1000);
      if (m.topics.length > 0 && r.chance(0.4)) {
        if (r.chance(0.5)) v.topic = r.pick(m.topics).name;
        else v.partition = partition()!;
      }
      return v;
    }
    case 'duplicates-processed':
    case 'skipped': {
      if (r.chance(0.3)) return r.int(0, 10);
      const v: YMap = bound(r, 1000);
      if (m.groups.length > 0 && r.chance(0.6)) v.group = r.pick(m.groups);
      if (m.topics.length > 0 && r.chance(0.3)) v.topic = r.pick(m.topics).name;
      return v;
    }
    case 'event': {
      const type = r.pick(EVENT_TYPES);
      const v: YMap = { type };
      // only filters the type's events carry (the validator refuses the others: they would count nothing)
      const carries = (f: string) => eventFields(type)?.fields.includes(f) === true;
      if (r.chance(0.3) && m.topics.length > 0 && carries('partition')) v.partition = partition()!;
      if (r.chance(0.3) && carries('broker')) v.broker = r.pick(m.brokers);
      return r.chance(0.5) ? { ...v, ...bound(r, 20) } : v;
    }
    case 'errors': {
      const v: YMap = {};
      if (m.producers.length > 0 && r.chance(0.5)) v.producer = r.pick(m.producers);
      if (r.chance(0.5)) v.code = r.pick(ERROR_CODES);
      return r.chance(0.5) ? { ...v, ...bound(r, 20) } : v;
    }
    case 'lag': {
      if (m.groups.length === 0) return undefined;
      const v: YMap = { group: r.pick(m.groups), ...bound(r, 100) };
      if (r.chance(0.3)) v.partition = partition()!;
      return v;
    }
    case 'committed': {
      const p = partition();
      if (m.groups.length === 0 || !p) return undefined;
      return { group: r.pick(m.groups), partition: p, ...bound(r, 100) };
    }
  }
}
