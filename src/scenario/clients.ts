// The `producers:` and `consumers:` sections: the load (rate, keys, partitioning, record size), when
// each client runs, which topics and group it uses, and its Kafka client configs.

import { behavioursOf, compareVersions, type KafkaVersion } from '../../sim/kafka/versions.ts';
import { configNumber, type ConfigMap } from '../../sim/kafka/config.ts';
import { NEVER_US, type ConsumerSpec, type KeysSpec, type ProducerSpec } from '../../sim/kafka/spec.ts';
import { readApplication } from './consumer-application.ts';
import { checkConsumerConfig, checkProducerConfig } from './client-rules.ts';
import { readConfigMap } from './configs.ts';
import { QUORUM_NODE, RESERVED_NODE_NAMES, type Context } from './context.ts';
import { own } from './own.ts';
import {
  asMap, asSeq, describe, expected, item, key, keysOf, readEnum, readInteger, readString, refuse, scalar, sectionItems,
} from './reader.ts';
import type { YEntry, YNode } from './tree.ts';

const PRODUCER_KEYS = ['id', 'topic', 'rate', 'keys', 'start', 'stop', 'config', 'partitioner', 'partition', 'record-size'];
const CONSUMER_KEYS = ['id', 'group', 'topics', 'start', 'stop', 'config', 'processing', 'commit'];
const PARTITIONERS = ['uniform-sticky', 'sticky', 'round-robin'] as const;
/** Kafka's legal client.id characters; all digits would read as a broker id. */
const CLIENT_ID = /^[A-Za-z0-9._-]+$/;
/** One record per microsecond of simulated time is the finest spacing the clock can express. */
const MAX_RATE_PER_SEC = 1_000_000;
const RATE_UNITS: Readonly<Record<string, number>> = { ms: 1000, s: 1, m: 1 / 60, h: 1 / 3600 };
const DEFAULT_RECORD_SIZE = 100;
export const MAX_RANDOM_KEYS = 1_000_000;

export function readProducers(ctx: Context, node: YNode | undefined, path: string): ProducerSpec[] {
  const producers = sectionItems(ctx.p, node, path).flatMap((n, i) => readProducer(ctx, n, item(path, i)) ?? []);
  // Not Kafka's limit but the simulator's: every send() is simulated, so the producers together are
  // held to what one may send (200 producers at 1,000,000/s made 200 million events per simulated
  // second, and ran past five minutes and 3.4 GB without reaching the event limit)
  const total = producers.reduce((sum, pr) => sum + pr.ratePerSec, 0);
  if (node && total > MAX_RATE_PER_SEC) {
    ctx.p.add(node.pos, path, `the producers' rates add up to ${total}/s: kafkasim simulates every send(), and all producers together may send at most ${MAX_RATE_PER_SEC}/s`);
  }
  return producers;
}

export function readConsumers(ctx: Context, node: YNode | undefined, path: string): ConsumerSpec[] {
  return sectionItems(ctx.p, node, path).flatMap((n, i) => readConsumer(ctx, n, item(path, i)) ?? []);
}

function readProducer(ctx: Context, node: YNode, path: string): ProducerSpec | undefined {
  const p = ctx.p;
  const map = asMap(p, node, path, 'a producer (id:, topic:, rate:, …)');
  if (!map) return undefined;
  const k = keysOf(p, map, path, PRODUCER_KEYS, { required: ['id', 'topic', 'rate'] });
  const id = k.id && declareClient(ctx, k.id, key(path, 'id'), 'producer');
  const topic = k.topic && ctx.topic(k.topic.value, key(path, 'topic'));
  const ratePerSec = k.rate && readRate(ctx, k.rate.value, key(path, 'rate'));
  const keys = k.keys ? readKeys(ctx, k.keys.value, key(path, 'keys')) : { kind: 'none' as const };
  const window = readWindow(ctx, k, path);
  // the version's partitioner unless the file names one the version had (KIP-480 sticky 2.4, KIP-794 uniform sticky 3.3)
  const partitioner = k.partitioner ? readPartitioner(ctx, k.partitioner.value, key(path, 'partitioner')) : behavioursOf(ctx.kafkaVersion).partitioner;
  const partition = k.partition && readInteger(p, k.partition.value, key(path, 'partition'), { min: 0 }, 'a partition number');
  if (partition !== undefined && topic !== undefined) checkPartitionLater(ctx, k.partition!.value, key(path, 'partition'), topic, partition, window?.startUs);
  const sizePath = key(path, 'record-size');
  const recordSizeBytes = k['record-size'] ? readInteger(p, k['record-size'].value, sizePath, { min: 1 }, 'a size in bytes') : DEFAULT_RECORD_SIZE;
  const config = k.config ? readConfigMap(p, k.config.value, key(path, 'config'), 'producer', ctx.kafkaVersion) : {};
  checkProducerConfig(p, k.config?.value, key(path, 'config'), config, Number(behavioursOf(ctx.kafkaVersion).idempotentMaxInFlight));
  if (recordSizeBytes !== undefined) checkRecordSize(ctx, k['record-size']?.value, sizePath, k.config?.value, key(path, 'config'), recordSizeBytes, config);
  if (!id || !topic || ratePerSec === undefined || !keys || !window || !partitioner || recordSizeBytes === undefined) return undefined;
  return { id, topic, ratePerSec, keys, ...window, partitioner, partition, recordSizeBytes, config };
}

function readConsumer(ctx: Context, node: YNode, path: string): ConsumerSpec | undefined {
  const p = ctx.p;
  const map = asMap(p, node, path, 'a consumer (id:, group:, topics:, …)');
  if (!map) return undefined;
  const k = keysOf(p, map, path, CONSUMER_KEYS, { required: ['id', 'group', 'topics'] });
  const id = k.id && declareClient(ctx, k.id, key(path, 'id'), 'consumer');
  const group = k.group && readString(p, k.group.value, key(path, 'group'), 'a consumer group id');
  if (group !== undefined) ctx.groups.add(group);
  const topics = k.topics && readTopicList(ctx, k.topics.value, key(path, 'topics'));
  // `start: never`: the consumer waits for a start-consumer step
  const never = k.start !== undefined && scalar(k.start.value) === 'never';
  if (never && k.stop) ctx.p.add(k.stop.value.pos, key(path, 'stop'), 'a consumer with start: never is stopped by a stop-consumer step, not stop:');
  const window = never ? { startUs: NEVER_US } : readWindow(ctx, k, path);
  const config = k.config ? readConfigMap(p, k.config.value, key(path, 'config'), 'consumer', ctx.kafkaVersion) : {};
  checkConsumerConfig(p, k.config?.value, key(path, 'config'), config);
  const application = readApplication(p, k, path, config, k.config?.value);
  if (!id || !group || !topics || !window || ((k.processing || k.commit) && !application)) return undefined;
  return application === undefined ? { id, group, topics, ...window, config } : { id, group, topics, ...window, config, application };
}

/** max.request.size (ProducerConfig's default; not a scenario setting: a request here is far below it). */
const MAX_REQUEST_SIZE = 1048576;

/**
 * KafkaProducer.ensureValidRecordSize: a record larger than max.request.size or buffer.memory fails
 * every send() with RecordTooLargeException, so a producer of such records could send nothing.
 */
function checkRecordSize(
  ctx: Context, sizeNode: YNode | undefined, sizePath: string, configNode: YNode | undefined, configPath: string, size: number, config: ConfigMap,
): void {
  const memory = configNumber('producer', 'buffer.memory', config);
  if (sizeNode !== undefined && size > MAX_REQUEST_SIZE) {
    ctx.p.add(sizeNode.pos, sizePath, `a record of ${size} bytes is larger than max.request.size (${MAX_REQUEST_SIZE}): Kafka's producer refuses every one (RecordTooLargeException)`);
  } else if (size > memory) {
    // said where the smaller number is written: record-size if the file sets it, else buffer.memory
    const entry = configNode?.kind === 'map' ? configNode.entries.find((e) => e.key === 'buffer.memory') : undefined;
    const at = sizeNode ?? entry?.value;
    if (at === undefined) return;
    ctx.p.add(at.pos, sizeNode !== undefined ? sizePath : key(configPath, 'buffer.memory'),
      `a record of ${size} bytes is larger than buffer.memory (${memory}): Kafka's producer refuses every one (RecordTooLargeException)`);
  }
}

/** A client id, unique among producers and consumers: both are nodes that faults can name. */
function declareClient(ctx: Context, entry: YEntry, path: string, kind: 'producer' | 'consumer'): string | undefined {
  const id = readString(ctx.p, entry.value, path, `a ${kind} id`);
  if (id === undefined) return undefined;
  const no = (why: string): undefined => refuse(ctx.p, entry.value, path, why);
  if (!CLIENT_ID.test(id)) return no(`"${id}" is not a usable client id: use letters, digits, ".", "_" and "-"`);
  if (/^\d+$/.test(id)) return no(`"${id}" is not a usable client id: all digits would read as a broker id`);
  const reserved = own(RESERVED_NODE_NAMES, id);
  if (reserved !== undefined) return no(`"${id}" is reserved (it names ${reserved})`);
  if (QUORUM_NODE.test(id)) return no(`"${id}" is reserved (it names a node of the controller quorum)`);
  const first = ctx.clients.get(id);
  if (first) return no(`client id "${id}" is already used by a ${first.kind} (line ${first.line}); producer and consumer ids must be unique`);
  ctx.declareClient(id, kind, entry.value.pos.line);
  return id;
}

/** `100/s`, `5/ms`, `30/m`, or a bare number of records per second. */
function readRate(ctx: Context, node: YNode, path: string): number | undefined {
  const v = scalar(node);
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*\/\s*(ms|s|m|h)\s*$/.exec(v) : undefined;
  const perSec = typeof v === 'number' ? v : m ? Number(m[1]) * RATE_UNITS[m[2]] : undefined;
  if (perSec === undefined || !Number.isFinite(perSec)) return expected(ctx.p, node, path, 'a rate like 100/s (records per second; also /ms, /m, /h)');
  if (perSec <= 0 || perSec > MAX_RATE_PER_SEC) {
    ctx.p.add(node.pos, path, `a rate must be above 0 and at most ${MAX_RATE_PER_SEC}/s (one record per microsecond), got ${describe(node)}`);
    return undefined;
  }
  return perSec;
}

function readKeys(ctx: Context, node: YNode, path: string): KeysSpec | undefined {
  const what = 'none, a list of keys like [a, b, c], or {random: 100}';
  if (node.kind === 'scalar') return node.value === 'none' ? { kind: 'none' } : expected(ctx.p, node, path, what);
  if (node.kind === 'seq') {
    if (node.items.length === 0) return expected(ctx.p, node, path, 'at least one key');
    const keys = node.items.map((k, i) => {
      const v = scalar(k);
      return typeof v === 'string' || typeof v === 'number' ? String(v) : expected(ctx.p, k, item(path, i), 'a key (a text or a number)');
    });
    return keys.every((k) => k !== undefined) ? { kind: 'list', keys: keys as string[] } : undefined;
  }
  const k = keysOf(ctx.p, node, path, ['random'], { required: ['random'] });
  // the producer precomputes each key's partition, so the number of distinct keys is bounded
  const count = k.random && readInteger(ctx.p, k.random.value, key(path, 'random'), { min: 1, max: MAX_RANDOM_KEYS }, 'a number of distinct keys');
  return count === undefined ? undefined : { kind: 'random', count };
}

function readTopicList(ctx: Context, node: YNode, path: string): string[] | undefined {
  const list = asSeq(ctx.p, node, path, 'a list of topic names, like [orders]');
  if (!list) return undefined;
  if (list.items.length === 0) return expected(ctx.p, node, path, 'at least one topic');
  const topics: string[] = [];
  const seen = new Set<string>();
  list.items.forEach((n, i) => {
    const topic = ctx.topic(n, item(path, i));
    if (topic !== undefined && seen.has(topic)) ctx.p.add(n.pos, item(path, i), `topic "${topic}" is listed twice`);
    else if (topic !== undefined) {
      topics.push(topic);
      seen.add(topic);
    }
  });
  return topics.length === list.items.length ? topics : undefined;
}

/** `start` (default 0s) and optional `stop`, both within the run, stop after start. */
function readWindow(ctx: Context, k: Record<string, YEntry>, path: string): { startUs: number; stopUs?: number } | undefined {
  const startUs = k.start ? ctx.instant(k.start.value, key(path, 'start')) : 0;
  const stopUs = k.stop && ctx.instant(k.stop.value, key(path, 'stop'));
  if (startUs !== undefined && stopUs !== undefined && stopUs <= startUs) {
    ctx.p.add(k.stop!.value.pos, key(path, 'stop'), 'stop must be after start');
    return undefined;
  }
  if (startUs === undefined || (k.stop && stopUs === undefined)) return undefined;
  return stopUs === undefined ? { startUs } : { startUs, stopUs };
}

/** The explicit partition must exist when the producer starts (add-partitions may have created it). */
function checkPartitionLater(ctx: Context, node: YNode, path: string, topic: string, partition: number, startUs = 0): void {
  ctx.later(() => {
    const count = ctx.partitionCount(topic, startUs);
    if (partition >= count) ctx.p.add(node.pos, path, `partition ${partition} does not exist: ${topic} has ${count} partition${count === 1 ? '' : 's'} when the producer starts`);
  });
}

const PARTITIONER_SINCE: Record<(typeof PARTITIONERS)[number], { since: KafkaVersion; source: string } | undefined> = {
  'round-robin': undefined, sticky: { since: '2.4', source: 'KIP-480' }, 'uniform-sticky': { since: '3.3', source: 'KIP-794' },
};

function readPartitioner(ctx: Context, node: YNode, path: string): (typeof PARTITIONERS)[number] | undefined {
  const v = readEnum(ctx.p, node, path, PARTITIONERS);
  const since = v && PARTITIONER_SINCE[v];
  if (since && compareVersions(ctx.kafkaVersion, since.since) < 0) {
    ctx.p.add(node.pos, path, `the ${v} partitioner appeared in Kafka ${since.since} (${since.source}); this scenario runs Kafka ${ctx.kafkaVersion} (cluster.kafka.version)`);
    return undefined;
  }
  return v;
}
